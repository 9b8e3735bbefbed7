"""Claims checked by code: every number the lecture prose quotes is measured and asserted.

A notebook states a claim in its prose ("one hidden layer of 64 units reaches 95-98 % on the digits"),
then proves it in the cell that measures it::

    claim("2-layer MLP test accuracy on digits", acc, 0.95, 0.98, lecture="~92 % on MNIST")

`claim` prints the measured value beside the stated range (and the lecture's figure, when given) and
raises `ClaimError` when the value leaves the range, so a broken claim fails the notebook build and nbval
instead of silently contradicting the text. The range, not the printed digits, is the claim: state ranges
that hold across seeds and CPUs, and measure a claim that the text interprets on the reference
implementation, so it holds whatever a student's (correct) answers are.
"""

from __future__ import annotations

import math
import numbers

__all__ = ["ClaimError", "claim"]


class ClaimError(AssertionError):
    """A measured value left the range that the lecture text states."""


def _as_float(value: object, name: str) -> float:
    if isinstance(value, bool | str | bytes):
        raise TypeError(f"claim: {name} must be a real number, got {type(value).__name__}")
    if not isinstance(value, numbers.Real):
        # numpy scalars are numbers.Real; 0-d arrays and tensors go through float() below
        try:
            value = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise TypeError(f"claim: {name} must be a real number, got {type(value).__name__}") from None
    return float(value)


def claim(
    text: str,
    value: float,
    low: float,
    high: float,
    *,
    fmt: str = ".4g",
    unit: str = "",
    lecture: str | None = None,
) -> None:
    """Check that a measured ``value`` lies in ``[low, high]`` and print it beside the claim.

    Parameters
    ----------
    text : what is claimed, in the words of the prose ("momentum reaches 1e-3 in fewer steps (ratio)").
    value : the measured number (a Python/NumPy scalar, a 0-d array or a one-element tensor).
    low, high : the range the prose states; either may be ``-inf`` / ``inf`` for a one-sided claim.
    fmt : format spec of the printed value and range (the printed value is informative; what the
        notebook asserts is the range).
    unit : appended to the printed numbers ("%", " steps").
    lecture : the source lecture's figure, printed beside ours ("~6x (Krizhevsky et al. 2012)").

    Returns
    -------
    None, on purpose: a cell that ends with ``claim(...)`` must not display the raw value, whose last
    digits differ between CPUs (nbval compares what a cell displays).

    Raises
    ------
    ClaimError : the value is NaN or outside ``[low, high]``; the message names the claim, the value
        and the range.
    """
    if not isinstance(text, str) or not text:
        raise TypeError("claim: text must be a non-empty string that says what is claimed")
    value, low, high = _as_float(value, "value"), _as_float(low, "low"), _as_float(high, "high")
    if math.isnan(low) or math.isnan(high) or low > high:
        raise ValueError(f"claim: the range [{low}, {high}] of {text!r} is empty or NaN")
    shown = f"{value:{fmt}}{unit}"
    bounds = _range_text(low, high, fmt, unit)
    if not low <= value <= high:  # NaN fails here too
        raise ClaimError(
            f"claim broken: {text}: measured {shown}, but the text states {bounds}. "
            "Fix the experiment or restate the claim (and its prose) with a range that holds across seeds and CPUs."
        )
    beside = f"; lecture: {lecture}" if lecture else ""
    print(f"claim ✓ {text}: {shown} (stated {bounds}{beside})")


def _range_text(low: float, high: float, fmt: str, unit: str) -> str:
    if math.isinf(low) and math.isinf(high):
        return "any value"
    if math.isinf(low):
        return f"≤ {high:{fmt}}{unit}"
    if math.isinf(high):
        return f"≥ {low:{fmt}}{unit}"
    return f"{low:{fmt}}–{high:{fmt}}{unit}"
