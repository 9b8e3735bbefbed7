"""coursekit.claims.claim: numbers quoted in the prose, measured and range-checked."""

import math

import numpy as np
import pytest

from coursekit.claims import ClaimError, claim


def test_a_value_inside_the_range_prints_it_beside_the_claim_and_the_lecture(capsys):
    assert claim("CNN test accuracy", np.float64(0.942), 0.85, 1.0, fmt=".3f", lecture="~94 %") is None
    assert capsys.readouterr().out == "claim ✓ CNN test accuracy: 0.942 (stated 0.850–1.000; lecture: ~94 %)\n"


@pytest.mark.parametrize(
    ("low", "high", "shown"),
    [(2.0, math.inf, "≥ 2 steps"), (-math.inf, 5.0, "≤ 5 steps"), (-math.inf, math.inf, "any value")],
)
def test_one_sided_ranges_are_written_as_bounds(capsys, low, high, shown):
    claim("steps", 3, low, high, fmt=".0f", unit=" steps")
    assert f"(stated {shown})" in capsys.readouterr().out


def test_the_bounds_are_inclusive():
    claim("edge", 1.0, 1.0, 1.0)


@pytest.mark.parametrize("value", [1.5, -0.1, math.nan])
def test_a_value_outside_the_range_or_nan_breaks_the_claim_with_a_message_naming_it(value):
    with pytest.raises(ClaimError, match=r"claim broken: ratio: measured .*, but the text states 0–1"):
        claim("ratio", value, 0.0, 1.0)


def test_a_broken_claim_is_an_assertion_error_so_nbval_and_the_build_fail():
    assert issubclass(ClaimError, AssertionError)


def test_zero_d_arrays_and_one_element_tensors_are_accepted(capsys):
    torch = pytest.importorskip("torch")
    claim("array", np.array(0.5), 0, 1)
    claim("tensor", torch.tensor([0.5]), 0, 1)
    assert capsys.readouterr().out.count("claim ✓") == 2


@pytest.mark.parametrize("value", ["0.5", [0.5, 0.6], None])
def test_a_value_that_is_not_a_real_number_is_a_type_error(value):
    with pytest.raises(TypeError, match="claim: value must be a real number"):
        claim("x", value, 0, 1)


def test_an_empty_range_is_a_value_error():
    with pytest.raises(ValueError, match=r"claim: the range \[1.0, 0.0\] of 'x' is empty"):
        claim("x", 0.5, 1, 0)


def test_an_empty_text_is_a_type_error():
    with pytest.raises(TypeError, match="claim: text must be a non-empty string"):
        claim("", 0.5, 0, 1)
