"""coursekit.grading: what passes, what fails, and what the student reads when it fails."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from coursekit.grading import assert_close, assert_equal, assert_gradient, assert_raises, assert_shape


@pytest.fixture
def expected() -> np.ndarray:
    return np.random.default_rng(0).standard_normal((3, 4))


def failure(fn, *args, **kwargs) -> str:
    with pytest.raises(AssertionError) as info:
        fn(*args, **kwargs)
    return str(info.value)


# ----------------------------------------------------------------------------------------------
# assert_close: passing
# ----------------------------------------------------------------------------------------------


def test_equal_arrays_pass(expected):
    assert_close(expected.copy(), expected)


def test_values_within_tolerance_pass(expected):
    assert_close(expected * (1 + 1e-9), expected)


def test_numbers_lists_and_numpy_scalars_pass():
    assert_close(1.0, 1.0)
    assert_close(np.float64(2.5), 2.5)
    assert_close([[1, 2], [3, 4]], np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert_close((True, False), np.array([1.0, 0.0]))


def test_torch_tensor_is_accepted(expected):
    assert_close(torch.tensor(expected, requires_grad=True), expected)


def test_matching_infinities_pass():
    assert_close(np.array([np.inf, -np.inf, 1.0]), np.array([np.inf, -np.inf, 1.0]))


# ----------------------------------------------------------------------------------------------
# assert_close: failing, with a diagnosis
# ----------------------------------------------------------------------------------------------


def test_wrong_shape_names_both_shapes_and_spots_a_transpose(expected):
    message = failure(assert_close, expected.T, expected, name="linear_backward: dw")
    assert "linear_backward: dw has shape (4, 3) but expected (3, 4)" in message
    assert "transposed" in message


def test_no_broadcasting_between_shapes():
    message = failure(assert_close, np.ones((4, 4)), np.ones(4))
    assert "(4, 4)" in message and "(4,)" in message and "broadcast" in message


def test_extra_axis_of_length_one_is_pointed_out(expected):
    assert "keepdims" in failure(assert_close, expected[:, :, None], expected)


def test_mismatch_reports_worst_index_values_errors_and_count(expected):
    actual = expected.copy()
    actual[1, 2] += 1e-3
    actual[0, 0] += 1e-5
    message = failure(assert_close, actual, expected, name="out")
    assert "2 of 12 elements" in message
    assert "index (1, 2)" in message
    assert repr(float(actual[1, 2])) in message and repr(float(expected[1, 2])) in message
    assert "Largest absolute error: 0.001" in message
    assert "relative error" in message


def test_constant_factor_is_pointed_out(expected):
    assert "constant factor: it equals 2 * expected" in failure(assert_close, 2 * expected, expected)


def test_wrong_sign_is_pointed_out(expected):
    assert "wrong sign" in failure(assert_close, -expected, expected)


def test_constant_offset_is_pointed_out(expected):
    assert "constant 0.5 everywhere" in failure(assert_close, expected + 0.5, expected)


def test_square_transpose_is_pointed_out():
    m = np.arange(9.0).reshape(3, 3)
    assert "transposed" in failure(assert_close, m.T, m)


def test_integer_result_for_fractional_values_mentions_dtype():
    assert "int64" in failure(assert_close, np.array([1, 2]), np.array([1.5, 2.5]))


def test_float32_computation_mentions_dtype():
    x = np.linspace(1000.0, 1001.0, 10)
    single = x.astype(np.float32) - np.float32(1000.0)  # cancellation loses the digits float32 has
    assert "float32" in failure(assert_close, single, x - 1000.0)


def test_nan_never_passes():
    message = failure(assert_close, np.array([1.0, np.nan]), np.array([1.0, np.nan]))
    assert "NaN" in message and "index (1,)" in message


def test_infinity_of_the_wrong_sign_fails():
    failure(assert_close, np.array([np.inf]), np.array([-np.inf]))


def test_none_is_rejected_with_a_return_hint():
    message = failure(assert_close, None, 1.0, name="relu_forward: out")
    assert "relu_forward: out is None" in message and "return" in message


def test_object_whose_eq_is_always_true_is_rejected(expected):
    class AlwaysEqual:
        def __eq__(self, other):
            return True

        __hash__ = object.__hash__

    assert "AlwaysEqual" in failure(assert_close, AlwaysEqual(), expected)


def test_list_holding_such_an_object_is_rejected():
    class AlwaysEqual:
        def __eq__(self, other):
            return True

        __hash__ = object.__hash__

    assert "AlwaysEqual" in failure(assert_close, [AlwaysEqual()], np.array([1.0]))


def test_ndarray_subclass_overriding_comparison_and_arithmetic_is_rejected(expected):
    class Cheat(np.ndarray):
        def __eq__(self, other):
            return np.ones(self.shape, dtype=bool)

        def __sub__(self, other):
            return np.zeros(self.shape)

        __abs__ = __sub__
        __hash__ = None

    message = failure(assert_close, np.zeros((3, 4)).view(Cheat), expected)
    assert "subclass of numpy.ndarray" in message


@pytest.mark.parametrize(
    "bad",
    [np.array(["1.0"]), np.array([1.0], dtype=object), np.array([1 + 1j]), "1.0", [[1.0, 2.0], [3.0]]],
    ids=["strings", "object-dtype", "complex", "str", "ragged"],
)
def test_non_numeric_arrays_are_rejected(bad):
    failure(assert_close, bad, np.array([1.0]))


def test_bad_expected_value_is_the_instructors_type_error():
    with pytest.raises(TypeError, match="expected"):
        assert_close(1.0, "1.0")


def test_negative_tolerance_raises_value_error():
    with pytest.raises(ValueError, match="rtol"):
        assert_close(1.0, 1.0, rtol=-1.0)


# ----------------------------------------------------------------------------------------------
# The tolerance rule is torch.isclose's (equal_nan=False)
# ----------------------------------------------------------------------------------------------

special = st.sampled_from([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-300, 1e300])
elements = st.one_of(st.floats(-1e3, 1e3, allow_nan=False), special)


@st.composite
def close_pairs(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=2, max_side=4))
    expected = draw(hnp.arrays(np.float64, shape, elements=elements))
    noise = draw(hnp.arrays(np.float64, shape, elements=st.floats(-1e-5, 1e-5)))
    use_noise = draw(hnp.arrays(np.bool_, shape))
    with np.errstate(all="ignore"):  # inf * 0 is fine here: NaN is a case to test
        actual = np.where(use_noise, expected + noise * np.abs(expected) + noise * 1e-4, expected)
    rtol = draw(st.sampled_from([0.0, 1e-9, 1e-7, 1e-5]))
    atol = draw(st.sampled_from([0.0, 1e-12, 1e-9, 1e-7]))
    return actual, expected, rtol, atol


@given(close_pairs())
def test_tolerance_rule_matches_torch_isclose(pair):
    actual, expected, rtol, atol = pair
    torch_says = bool(torch.isclose(torch.tensor(actual), torch.tensor(expected), rtol=rtol, atol=atol).all())
    try:
        assert_close(actual, expected, rtol=rtol, atol=atol)
        passed = True
    except AssertionError:
        passed = False
    assert passed == torch_says


# ----------------------------------------------------------------------------------------------
# assert_equal, assert_shape
# ----------------------------------------------------------------------------------------------


def test_assert_equal_passes_for_identical_labels():
    assert_equal(np.array([0, 1, 2]), [0, 1, 2])


def test_assert_equal_reports_count_and_first_difference():
    message = failure(assert_equal, np.array([0, 1, 2]), np.array([0, 1, 1]), name="labels")
    assert "1 of 3" in message and "index (2,)" in message and "got 2, expected 1" in message


def test_assert_equal_is_exact():
    failure(assert_equal, np.array([1.0 + 1e-15]), np.array([1.0]))


def test_assert_shape_passes_and_accepts_wildcards(expected):
    assert_shape(expected, (3, 4))
    assert_shape(expected, (None, 4))


def test_assert_shape_reports_a_transpose(expected):
    message = failure(assert_shape, expected, (4, 3), name="h")
    assert "h has shape (3, 4) but expected (4, 3)" in message and "transposed" in message


def test_assert_shape_reports_wildcards(expected):
    assert "expected (any, 3)" in failure(assert_shape, expected, (None, 3))


def test_assert_shape_rejects_none():
    assert "return" in failure(assert_shape, None, (3,))


# ----------------------------------------------------------------------------------------------
# assert_gradient
# ----------------------------------------------------------------------------------------------


def test_correct_scalar_gradient_passes():
    x = np.random.default_rng(1).standard_normal(5)
    assert_gradient(2 * x, lambda x: float(np.sum(x**2)), x)


def test_wrong_scalar_gradient_reports_relative_error_and_factor():
    x = np.random.default_rng(1).standard_normal(5)
    message = failure(assert_gradient, x, lambda x: float(np.sum(x**2)), x, name="dx")
    assert "dx does not match the numerical gradient" in message
    assert "relative error 0.33" in message
    assert "constant factor: it equals 0.5 * expected" in message


def test_correct_layer_gradient_with_upstream_passes():
    rng = np.random.default_rng(2)
    x, w, dout = rng.standard_normal((2, 5)), rng.standard_normal((5, 3)), rng.standard_normal((2, 3))
    assert_gradient(x.T @ dout, lambda w: x @ w, w, dout=dout, name="dw")


def test_gradient_of_the_wrong_shape_is_reported():
    rng = np.random.default_rng(2)
    x, w, dout = rng.standard_normal((2, 5)), rng.standard_normal((5, 3)), rng.standard_normal((2, 3))
    message = failure(assert_gradient, (x.T @ dout).T, lambda w: x @ w, w, dout=dout, name="dw")
    assert "dw has shape (3, 5) but expected (5, 3)" in message and "transposed" in message


def test_gradient_check_leaves_x_unchanged():
    x = np.random.default_rng(3).standard_normal(4)
    before = x.copy()
    assert_gradient(np.cos(x), lambda x: float(np.sum(np.sin(x))), x)
    np.testing.assert_array_equal(x, before)


# ----------------------------------------------------------------------------------------------
# assert_raises: input checks that must name the argument
# ----------------------------------------------------------------------------------------------


def _clip(beta, message="beta must be positive, got {}"):
    if beta <= 0:
        raise ValueError(message.format(beta))
    return beta


def test_a_value_error_naming_the_argument_passes():
    assert_raises(ValueError, _clip, -1.0, mentions=("beta",), name="clip(beta=-1)")


class _NamedError(ValueError):
    pass


def test_a_subclass_of_the_exception_passes():
    def check():
        raise _NamedError("beta is negative")

    assert_raises(ValueError, check, mentions=("beta",), name="clip(beta=-1)")


def test_no_exception_is_reported_as_returning_normally():
    message = failure(assert_raises, ValueError, _clip, 1.0, mentions=("beta",), name="clip(beta=1)")
    assert message == "clip(beta=1) should raise ValueError naming 'beta', but it returned normally."


def test_an_exception_of_another_type_is_reported_with_its_message():
    def check():
        raise TypeError("bad beta")

    message = failure(assert_raises, ValueError, check, mentions=("beta",), name="clip(beta=-1)")
    assert message == "clip(beta=-1) should raise ValueError naming 'beta', but it raised TypeError: bad beta."


def test_a_message_that_does_not_name_the_argument_fails():
    message = failure(
        assert_raises, ValueError, _clip, -1.0, "must be positive", mentions=("beta",), name="clip(beta=-1)"
    )
    assert "naming 'beta'" in message and "raised ValueError: must be positive" in message


def test_an_exception_whose_message_cannot_be_read_fails_without_crashing():
    class Unreadable(ValueError):
        def __str__(self):
            raise RuntimeError("no")

    def check():
        raise Unreadable()

    message = failure(assert_raises, ValueError, check, mentions=("beta",), name="clip(beta=-1)")
    assert "could not be read" in message


def test_mentions_are_whole_words():
    def check():
        raise ValueError("the probability must lie in [0, 1)")

    assert "naming 'p'" in failure(assert_raises, ValueError, check, mentions=("p",), name="dropout(p=2)")
    assert_raises(ValueError, _clip, -1.0, "p must lie in [0, 1), got {}", mentions=("p",), name="dropout(p=-1)")
