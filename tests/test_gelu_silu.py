"""GELU (exact, erf form) and SiLU in coursekit.functional: against PyTorch float64 autograd, central
differences, extreme inputs and bad input.

Both functions are smooth, so no input needs to be kept away from a kink.
"""

import re

import numpy as np
import pytest
import torch
import torch.nn.functional as tF
from hypothesis import given
from hypothesis import strategies as st

from coursekit import functional as F
from coursekit.gradcheck import numerical_gradient_array

RTOL, ATOL = 1e-12, 1e-14
PAIRS = {
    "gelu": (F.gelu_forward, F.gelu_backward, tF.gelu),  # torch's default: approximate="none" (erf)
    "silu": (F.silu_forward, F.silu_backward, tF.silu),
}


@pytest.fixture
def rng():
    return np.random.default_rng(20261130)


@pytest.mark.parametrize("name", PAIRS)
@pytest.mark.parametrize("scale", [0.5, 3.0, 12.0])
def test_forward_and_backward_match_torch_autograd_float64(name, scale, rng):
    forward, backward, torch_fn = PAIRS[name]
    x = scale * rng.standard_normal((4, 3, 5))
    dout = rng.standard_normal(x.shape)  # random and non-uniform
    out, cache = forward(x)
    dx = backward(dout, cache)
    tx = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    t_out = torch_fn(tx)
    t_out.backward(torch.tensor(dout))
    np.testing.assert_allclose(out, t_out.detach().numpy(), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(dx, tx.grad.numpy(), rtol=RTOL, atol=ATOL)


def test_gelu_is_the_exact_erf_form_not_the_tanh_approximation():
    x = np.array([-1.5, 0.7, 2.0])
    exact = tF.gelu(torch.tensor(x), approximate="none").numpy()
    tanh_form = tF.gelu(torch.tensor(x), approximate="tanh").numpy()
    out = F.gelu_forward(x)[0]
    np.testing.assert_allclose(out, exact, rtol=RTOL, atol=ATOL)
    assert np.abs(out - tanh_form).max() > 1e-5  # the two forms differ in the 4th digit: we must be the first


@pytest.mark.parametrize(
    ("name", "x", "expected_out", "expected_slope"),
    [
        ("gelu", 0.0, 0.0, 0.5),  # Phi(0) = 1/2
        ("silu", 0.0, 0.0, 0.5),  # sigma(0) = 1/2
        ("gelu", 1.0, 0.8413447460685429, 1.0833154705876864),
        ("silu", 1.0, 0.7310585786300049, 0.9276705118714869),
    ],
)
def test_known_values_and_slopes(name, x, expected_out, expected_slope):
    forward, backward, _ = PAIRS[name]
    out, cache = forward(np.array([x]))
    np.testing.assert_allclose(out, [expected_out], rtol=1e-15, atol=0)
    np.testing.assert_allclose(backward(np.ones(1), cache), [expected_slope], rtol=1e-15, atol=0)


@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple), seed=st.integers(0, 2**32 - 1))
@pytest.mark.parametrize("name", PAIRS)
def test_backward_matches_central_differences(name, shape, seed):
    forward, backward, _ = PAIRS[name]
    rng = np.random.default_rng(seed)
    x = 3 * rng.standard_normal(shape)
    dout = rng.standard_normal(shape)
    analytic = backward(dout, forward(x)[1])
    numeric = numerical_gradient_array(lambda v: forward(v)[0], x, dout)
    assert np.abs(analytic - numeric).max() <= 1e-7 * max(np.abs(numeric).max(), 1.0)


@pytest.mark.parametrize("name", PAIRS)
def test_extreme_inputs_are_finite_and_raise_no_floating_point_error(name):
    forward, backward, torch_fn = PAIRS[name]
    x = np.array([-1e300, -1000.0, -745.0, -40.0, -38.0, 38.0, 1000.0, 1e300])
    with np.errstate(all="raise"):
        out, cache = forward(x)
        dx = backward(np.ones_like(x), cache)
    assert np.all(np.isfinite(out)) and np.all(np.isfinite(dx))
    np.testing.assert_array_equal(out[x > 0], x[x > 0])  # the identity far right
    np.testing.assert_array_equal(dx[[0, 1, -2, -1]], [0.0, 0.0, 1.0, 1.0])  # slopes 0 far left, 1 far right
    np.testing.assert_allclose(out[1:-1], torch_fn(torch.tensor(x[1:-1])).numpy(), rtol=RTOL, atol=ATOL)


def test_gelu_keeps_relative_accuracy_on_the_negative_side():
    # 0.5 * (1 + erf(x / sqrt 2)) cancels to 0 for x < -8.3; erfc keeps every digit.
    out = F.gelu_forward(np.array([-10.0]))[0]
    np.testing.assert_allclose(out, [-10.0 * 7.619853024160526e-24], rtol=1e-13)


@pytest.mark.parametrize("name", PAIRS)
def test_inputs_are_not_modified_and_integer_input_is_float(name):
    forward, backward, _ = PAIRS[name]
    x = np.array([[-2, 0, 3]])
    x_copy = x.copy()
    out, cache = forward(x)
    backward(np.ones((1, 3)), cache)
    np.testing.assert_array_equal(x, x_copy)
    assert out.dtype == np.float64


@pytest.mark.parametrize("name", PAIRS)
@pytest.mark.parametrize(
    ("bad", "error", "words"),
    [
        ([1.0, -1.0], TypeError, "x must be a numpy.ndarray"),
        (1.0, TypeError, "x must be a numpy.ndarray"),
        (np.ones(2, dtype=bool), TypeError, "x must have a real (float) dtype"),
        (np.ones(2, dtype=complex), TypeError, "x must have a real (float) dtype, got dtype complex128"),
    ],
)
def test_bad_x_raises_an_error_naming_the_function_and_x(name, bad, error, words):
    forward = PAIRS[name][0]
    with pytest.raises(error, match=re.escape(f"{name}_forward: {words}")):
        forward(bad)


@pytest.mark.parametrize("name", PAIRS)
def test_dout_of_the_wrong_shape_raises(name):
    forward, backward, _ = PAIRS[name]
    cache = forward(np.ones((2, 3)))[1]
    with pytest.raises(ValueError, match=rf"{name}_backward: dout must have shape \(2, 3\)"):
        backward(np.ones((3, 2)), cache)
    with pytest.raises(TypeError, match=rf"{name}_backward: dout must be a numpy.ndarray"):
        backward([[1.0] * 3] * 2, cache)
