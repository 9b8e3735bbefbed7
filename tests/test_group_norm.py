"""Group norm: coursekit.functional.group_norm_forward/backward and nn.GroupNorm.

Against PyTorch float64 autograd (forward and every gradient), against central differences under a random,
non-uniform upstream gradient, its two limits (one group: layer norm; one channel per group: instance norm),
and the errors that name the bad argument.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as tF

from coursekit import functional as F
from coursekit import nn
from coursekit.gradcheck import numerical_gradient_array

RTOL, ATOL = 1e-10, 1e-12

# (x shape, num_groups): (N, C), (N, C, L), (N, C, H, W); one group, several, one channel per group
CASES = [((4, 6), 3), ((3, 6, 5), 2), ((2, 6, 3, 4), 3), ((2, 4, 3, 3), 1), ((2, 4, 3, 3), 4), ((1, 8, 2, 2), 2)]


@pytest.fixture
def rng():
    return np.random.default_rng(20261130)


def leaf(a):
    return torch.tensor(a, dtype=torch.float64, requires_grad=True)


def inputs(rng, shape):
    """x with a different offset and spread per channel, non-trivial gamma and beta."""
    c = shape[1]
    scale = rng.uniform(0.2, 4.0, (1, c) + (1,) * (len(shape) - 2))
    x = rng.normal(size=(1, c) + (1,) * (len(shape) - 2)) * 5 + scale * rng.standard_normal(shape)
    return x, rng.uniform(0.5, 2.0, c), rng.standard_normal(c)


@pytest.mark.parametrize(("shape", "groups"), CASES)
@pytest.mark.parametrize("eps", [1e-5, 1e-2])
def test_group_norm_matches_torch_forward_and_backward(shape, groups, eps, rng):
    x, gamma, beta = inputs(rng, shape)
    dout = rng.standard_normal(shape)
    out, cache = F.group_norm_forward(x, gamma, beta, groups, eps=eps)
    tx, tg, tb = leaf(x), leaf(gamma), leaf(beta)
    t_out = tF.group_norm(tx, groups, tg, tb, eps=eps)
    t_out.backward(torch.tensor(dout))
    np.testing.assert_allclose(out, t_out.detach().numpy(), rtol=RTOL, atol=ATOL)
    for ours, theirs in zip(F.group_norm_backward(dout, cache), (tx.grad, tg.grad, tb.grad), strict=True):
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=RTOL, atol=1e-11)


@pytest.mark.parametrize(("shape", "groups"), CASES)
def test_group_norm_gradients_match_central_differences(shape, groups, rng):
    x, gamma, beta = inputs(rng, shape)
    args = [x, gamma, beta]
    out, cache = F.group_norm_forward(x, gamma, beta, groups)
    dout = rng.standard_normal(out.shape)  # random and non-uniform: a uniform one hides the mean path
    for k, analytic in enumerate(F.group_norm_backward(dout, cache)):

        def f(v, k=k):
            return F.group_norm_forward(*args[:k], v, *args[k + 1 :], groups)[0]

        numeric = numerical_gradient_array(f, args[k].copy(), dout)
        assert analytic.shape == args[k].shape
        assert np.abs(analytic - numeric).max() <= 1e-6 * max(np.abs(numeric).max(), 1e-3), f"input {k}"


def test_one_group_is_layer_norm_over_channels_and_positions(rng):
    x, gamma, beta = inputs(rng, (3, 4, 2, 5))
    out, _ = F.group_norm_forward(x, gamma, beta, 1)
    ones = np.ones(x.shape[1:])
    x_hat, _ = F.layernorm_forward(x, ones, 0 * ones)
    np.testing.assert_allclose(out, gamma[:, None, None] * x_hat + beta[:, None, None], rtol=RTOL, atol=ATOL)


def test_one_channel_per_group_is_instance_norm(rng):
    x, gamma, beta = inputs(rng, (3, 4, 2, 5))
    out, _ = F.group_norm_forward(x, gamma, beta, 4)
    expected = tF.instance_norm(torch.tensor(x), weight=torch.tensor(gamma), bias=torch.tensor(beta))
    np.testing.assert_allclose(out, expected.numpy(), rtol=RTOL, atol=ATOL)


def test_each_sample_is_normalised_alone(rng):
    x, gamma, beta = inputs(rng, (5, 6, 3, 3))
    out, _ = F.group_norm_forward(x, gamma, beta, 3)
    alone, _ = F.group_norm_forward(x[2:3], gamma, beta, 3)
    np.testing.assert_allclose(alone[0], out[2], rtol=RTOL, atol=ATOL)


def test_group_norm_leaves_its_inputs_unchanged(rng):
    x, gamma, beta = inputs(rng, (2, 4, 3, 3))
    dout = rng.standard_normal(x.shape)
    copies = [a.copy() for a in (x, gamma, beta, dout)]
    _, cache = F.group_norm_forward(x, gamma, beta, 2)
    F.group_norm_backward(dout, cache)
    for before, after in zip(copies, (x, gamma, beta, dout), strict=True):
        np.testing.assert_array_equal(before, after)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"num_groups": 4}, ValueError, "num_groups must be a positive divisor of the 6 channels"),
        ({"num_groups": 0}, ValueError, "num_groups must be a positive divisor"),
        ({"num_groups": 2.0}, TypeError, "num_groups must be an int"),
        ({"num_groups": True}, TypeError, "num_groups must be an int"),
        ({"gamma": np.ones(3)}, ValueError, "gamma must have shape \\(6,\\)"),
        ({"beta": np.ones((6, 1))}, ValueError, "beta must be a 1-D array"),
        ({"x": np.ones(6)}, ValueError, "x must have at least 2 dimensions"),
        ({"x": np.ones((2, 6), dtype=bool)}, TypeError, "x must have a real"),
        ({"x": [[1.0] * 6] * 2}, TypeError, "x must be a numpy.ndarray"),
        ({"eps": float("nan")}, ValueError, "eps must be finite"),
    ],
)
def test_group_norm_forward_rejects_bad_input_naming_the_argument(kwargs, error, match):
    args = {"x": np.ones((2, 6, 3)), "gamma": np.ones(6), "beta": np.zeros(6), "num_groups": 3, "eps": 1e-5}
    with pytest.raises(error, match=f"group_norm_forward: {match}"):
        F.group_norm_forward(**{**args, **kwargs})


def test_group_norm_backward_rejects_dout_of_another_shape(rng):
    _, cache = F.group_norm_forward(rng.standard_normal((2, 4, 3)), np.ones(4), np.zeros(4), 2)
    with pytest.raises(ValueError, match="group_norm_backward: dout must have shape \\(2, 4, 3\\)"):
        F.group_norm_backward(np.ones((2, 4)), cache)


# --- nn.GroupNorm ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("affine", [True, False])
def test_module_matches_torch_group_norm_and_accumulates_grads(affine, rng):
    x, gamma, beta = inputs(rng, (3, 6, 4, 4))
    dout = rng.standard_normal(x.shape)
    ours, theirs = nn.GroupNorm(3, 6, eps=1e-3, affine=affine), torch.nn.GroupNorm(3, 6, eps=1e-3, affine=affine)
    theirs = theirs.double()
    if affine:
        ours.weight.data, ours.bias.data = gamma.copy(), beta.copy()
        with torch.no_grad():
            theirs.weight.copy_(torch.tensor(gamma))
            theirs.bias.copy_(torch.tensor(beta))
    tx = leaf(x)
    t_out = theirs(tx)
    t_out.backward(torch.tensor(dout))
    np.testing.assert_allclose(ours(x), t_out.detach().numpy(), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(ours.backward(dout), tx.grad.numpy(), rtol=RTOL, atol=1e-11)
    assert len(list(ours.parameters())) == (2 if affine else 0)
    if affine:
        np.testing.assert_allclose(ours.weight.grad, theirs.weight.grad.numpy(), rtol=RTOL, atol=1e-11)
        ours(x)
        ours.backward(dout)  # a second backward without zero_grad adds, as in torch
        np.testing.assert_allclose(ours.bias.grad, 2 * theirs.bias.grad.numpy(), rtol=RTOL, atol=1e-11)


def test_module_behaves_the_same_in_training_and_evaluation(rng):
    x = rng.standard_normal((4, 6, 3, 3))
    layer = nn.GroupNorm(2, 6)
    np.testing.assert_array_equal(layer(x), layer.eval()(x))


def test_module_rejects_bad_configuration_and_input():
    with pytest.raises(ValueError, match="GroupNorm: num_channels \\(6\\) must be divisible by num_groups \\(4\\)"):
        nn.GroupNorm(4, 6)
    with pytest.raises(ValueError, match="GroupNorm.forward: expected x of shape \\(N, 6, \\*\\)"):
        nn.GroupNorm(3, 6)(np.ones((2, 5, 3, 3)))
    with pytest.raises(RuntimeError, match="GroupNorm.backward"):
        nn.GroupNorm(3, 6).backward(np.ones((2, 6)))
