r"""Assertions for nbgrader test cells, with messages written for students.

A test cell calls, for example::

    assert_close(dw, dw_expected, name="linear_backward: dw")

and a wrong answer fails with an ``AssertionError`` that says what is wrong in plain words::

    linear_backward: dw has shape (3, 4) but expected (4, 3) — it looks transposed.

Strictness. Only real numbers are compared: exact ``numpy.ndarray`` objects with a bool, integer
or float dtype, Python/NumPy scalars, (nested) lists or tuples of those, and torch tensors
(converted with ``.detach().cpu().numpy()``). Everything else is rejected *before* any of its
methods are used, so an object whose ``__eq__`` always says ``True`` (or an ``ndarray``
subclass overriding arithmetic) can never pass. The comparison itself runs on plain float64
copies. NaN never passes.

Grading. While ``coursekit grade`` runs a test cell, every helper also records what it compared, as plain
data, and the grader decides the verdict again outside the student's process against the instructor's
solution (``coursekit.instructor.verdict``); the comparisons are the pure functions ``close_failure``,
``equal_failure``, ``shape_failure``, ``gradient_failure`` and ``between_failure``, shared by both sides. A
check whose expected value the student's own code computes (the numerical gradient of the student's forward
pass, a second call of the student's seeded function) says so with ``own=True``: the grader then compares
with the expected value of the student's run, since the reference run's would hold the instructor's.

Tolerance. ``assert_close`` uses torch's rule, elementwise,

.. math::  |a - e| \le \text{atol} + \text{rtol}\,|e|

(infinities pass only where ``expected`` has the same infinity). The defaults ``rtol=1e-7``,
``atol=1e-9`` accept the rounding differences of a float64 formula evaluated in another order
(around 1e-13) with a wide margin, while an off-by-epsilon or a missing term fails. A float64
result merely *stored* as float32 passes (rounding error 6e-8); longer float32 computations
usually do not, and the message then points at the dtype.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .gradcheck import numerical_gradient, numerical_gradient_array, rel_error

__all__ = ["assert_close", "assert_equal", "assert_shape", "assert_gradient", "assert_between", "assert_raises"]

_SCALARS = (bool, int, float)
_NUMERIC_KINDS = "biuf"


# ----------------------------------------------------------------------------------------------
# Strict conversion
# ----------------------------------------------------------------------------------------------


def _is_torch_tensor(x: Any) -> bool:
    # checked by name so that torch is never imported here
    return any(c.__module__ == "torch" and c.__name__ == "Tensor" for c in type(x).__mro__)


def _is_plain_scalar(x: Any) -> bool:
    if type(x) in _SCALARS:
        return True
    return isinstance(x, np.bool_ | np.integer | np.floating) and type(x).__module__ == "numpy"


def _check_nested(x: Any, name: str) -> None:
    """Reject anything inside a list/tuple that is not a plain number, plain array or list/tuple."""
    stack = [x]
    while stack:
        item = stack.pop()
        if type(item) in (list, tuple):
            stack.extend(item)
        elif not (_is_plain_scalar(item) or type(item) is np.ndarray):
            raise AssertionError(
                f"{name} contains an element of type {type(item).__name__}; it should contain only numbers"
            )


def _to_array(x: Any, name: str) -> np.ndarray:
    """A plain ndarray with a real numeric dtype, or an AssertionError that explains why not."""
    if x is None:
        raise AssertionError(f"{name} is None — did you forget to `return` the result?")
    if _is_torch_tensor(x):
        try:
            x = x.detach().cpu().numpy()
        except Exception as err:  # e.g. bfloat16 has no NumPy dtype
            raise AssertionError(f"{name}: could not convert the torch tensor to NumPy ({err})") from None
    if type(x) is np.ndarray:
        arr = x
    elif _is_plain_scalar(x):
        arr = np.asarray(x)
    elif type(x) in (list, tuple):
        _check_nested(x, name)
        try:
            arr = np.asarray(x)
        except ValueError:
            raise AssertionError(f"{name} is a ragged list (rows of different lengths)") from None
    elif isinstance(x, np.ndarray):
        raise AssertionError(
            f"{name} is of type {type(x).__name__} (a subclass of numpy.ndarray); return a plain numpy array"
        )
    else:
        raise AssertionError(f"{name} should be a NumPy array or a number, but it is of type {type(x).__name__}")
    if arr.dtype.kind not in _NUMERIC_KINDS or type(arr) is not np.ndarray:
        raise AssertionError(f"{name} has dtype {arr.dtype}; it should hold real numbers (bool, int or float)")
    return arr


def _expected_array(x: Any, name: str) -> np.ndarray:
    try:
        return _to_array(x, f"the expected {name}")
    except AssertionError as err:  # a bad reference is the instructor's bug, not the student's
        raise TypeError(str(err)) from None


# ----------------------------------------------------------------------------------------------
# Messages
# ----------------------------------------------------------------------------------------------


def _shape_hint(actual: tuple, expected: tuple) -> str:
    if len(actual) >= 2 and actual[::-1] == expected:
        return " — it looks transposed"
    if tuple(d for d in actual if d != 1) == tuple(d for d in expected if d != 1):
        return " — it has extra or missing axes of length 1 (check keepdims, reshape or squeeze)"
    if len(actual) == len(expected) + 1 and actual[:-1] == expected and actual[-1] == expected[-1]:
        return " — an unintended broadcast? (an array of shape (N,) combined with one of shape (N, 1))"
    if int(np.prod(actual)) == int(np.prod(expected)):
        return " — it has the right number of elements, so check how it is reshaped"
    return ""


def _dtype_note(actual: np.ndarray, expected: np.ndarray) -> str:
    if actual.dtype == np.float32 or actual.dtype == np.float16:
        return (
            f"\n  Note: it has dtype {actual.dtype} (single/half precision, about 7/3 correct digits); "
            "compute in float64."
        )
    if actual.dtype.kind in "biu" and expected.dtype.kind == "f":
        return f"\n  Note: it has dtype {actual.dtype} but fractional values are expected (integer division?)."
    return ""


def _value_hint(a: np.ndarray, e: np.ndarray, rtol: float, atol: float) -> str:
    """One easy-to-spot pattern in a wrong answer, or ''."""

    def close(x: np.ndarray) -> bool:
        return bool(np.all(np.abs(x - e) <= atol + rtol * np.abs(e)))

    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(e))) or not np.any(e):
        return ""
    with np.errstate(all="ignore"):
        return _first_pattern(a, e, close)


def _first_pattern(a: np.ndarray, e: np.ndarray, close: Callable[[np.ndarray], bool]) -> str:
    if close(-a):
        return "\n  Hint: it has the wrong sign (it equals -expected)."
    if a.ndim == 2 and a.shape[0] == a.shape[1] and close(a.T):
        return "\n  Hint: it looks transposed."
    factor = float(np.sum(a * e) / np.sum(e * e))
    if factor != 0 and close(a / factor):
        return f"\n  Hint: it is off by a constant factor: it equals {factor:.6g} * expected."
    offset = float(np.mean(a - e))
    if close(a - offset):
        return f"\n  Hint: it is off by a constant {offset:.6g} everywhere."
    return ""


def _mismatch_report(a: np.ndarray, e: np.ndarray, bad: np.ndarray, allowed: np.ndarray) -> str:
    """Count, worst element and largest errors of a value mismatch."""
    err = np.abs(a - e)
    with np.errstate(all="ignore"):
        score = np.nan_to_num(err / allowed, nan=np.inf, posinf=np.inf)  # NaN is the worst element
        rel = np.where(e != 0, err / np.abs(e), np.where(err == 0, 0.0, np.inf))
    worst = np.unravel_index(int(np.argmax(np.where(bad, score, -1.0))), a.shape) if a.ndim else ()
    idx = tuple(int(i) for i in worst)
    where = f"at index {idx}" if a.ndim else "(a single number)"
    lines = [
        f"{int(bad.sum())} of {bad.size} elements are outside the tolerance.",
        f"Worst element {where}: got {a[idx].item()!r}, expected {e[idx].item()!r}.",
    ]
    if np.all(np.isfinite(err)):
        lines.append(f"Largest absolute error: {np.max(err):.3g}; largest relative error: {np.max(rel):.3g}.")
    return "".join(f"\n  {line}" for line in lines)


def _nan_report(a: np.ndarray, name: str) -> str:
    nan = np.isnan(a)
    if nan.any():
        first = tuple(int(i) for i in np.argwhere(nan)[0])
        return f"{name} contains NaN in {int(nan.sum())} place(s) (first at index {first}). "
    return ""


# ----------------------------------------------------------------------------------------------
# Public assertions
# ----------------------------------------------------------------------------------------------


def assert_close(
    actual: Any, expected: Any, *, rtol: float = 1e-7, atol: float = 1e-9, name: str = "value", own: bool = False
) -> None:
    r"""Assert that ``actual`` equals ``expected`` elementwise within :math:`\text{atol} + \text{rtol}|e|`.

    Parameters
    ----------
    actual : array-like
        The student's result (strictly checked, see the module docstring).
    expected : array-like
        The reference; its shape must match exactly (no broadcasting).
    rtol, atol : float
        Relative and absolute tolerance (torch's rule, ``torch.isclose`` semantics, NaN never close).
    name : str
        How the message refers to ``actual`` (e.g. ``"relu_forward: out"``).
    own : bool
        ``expected`` comes from the student's own code (another of their answers, their own random draws),
        so the grader re-checks ``actual`` against the expected value of the student's run, not the one of
        the instructor's reference run (see the module docstring, Grading).

    Raises
    ------
    AssertionError
        With the shape, the worst element, the errors and a hint where one is easy to spot.
    """
    if not (rtol >= 0 and atol >= 0):
        raise ValueError(f"assert_close: rtol and atol must be >= 0, got rtol={rtol}, atol={atol}")
    a_raw, e_raw = _to_array(actual, name), _expected_array(expected, name)
    _record("close", name, (a_raw, e_raw), rtol=float(rtol), atol=float(atol), own=bool(own))
    _raise_if(close_failure(a_raw, e_raw, rtol, atol, name))


def close_failure(a_raw: np.ndarray, e_raw: np.ndarray, rtol: float, atol: float, name: str) -> str | None:
    """``assert_close``'s comparison on plain arrays: None when close, else the message for the student.
    The grader runs the same function outside the student's process (``coursekit.instructor.verdict``)."""
    shape = shape_failure(a_raw.shape, e_raw.shape, name, exact=True)
    if shape is not None:
        return shape
    a, e = a_raw.astype(np.float64), e_raw.astype(np.float64)
    with np.errstate(all="ignore"):
        diff = np.abs(np.subtract(a, e))
        allowed = atol + rtol * np.abs(e)
        ok = np.equal(a, e) | (np.isfinite(diff) & (diff <= allowed))  # as torch.isclose
    if ok.all():
        return None
    with np.errstate(all="ignore"):
        report = _mismatch_report(a, e, ~ok, allowed)
    return (
        f"{_nan_report(a, name)}{name} is not close to the expected value "
        f"(tolerance: |actual - expected| <= {atol:g} + {rtol:g} * |expected|).{report}"
        f"{_value_hint(a, e, rtol, atol)}{_dtype_note(a_raw, e_raw)}"
    )


def assert_equal(actual: Any, expected: Any, *, name: str = "value", own: bool = False) -> None:
    """Assert exact equality, for integer and boolean results (labels, masks, counts).

    Shapes must match exactly; NaN never equals anything. ``own``: as in :func:`assert_close`.
    """
    a, e = _to_array(actual, name), _expected_array(expected, name)
    _record("equal", name, (a, e), own=bool(own))
    _raise_if(equal_failure(a, e, name))


def equal_failure(a: np.ndarray, e: np.ndarray, name: str) -> str | None:
    """``assert_equal``'s comparison on plain arrays: None when equal, else the message."""
    shape = shape_failure(a.shape, e.shape, name, exact=True)
    if shape is not None:
        return shape
    bad = ~np.equal(a, e)
    if not bad.any():
        return None
    idx = tuple(int(i) for i in np.argwhere(bad)[0]) if a.ndim else ()
    where = f"at index {idx}" if a.ndim else ""
    return (
        f"{name} differs from the expected value in {int(bad.sum())} of {bad.size} elements; "
        f"first difference {where}: got {a[idx].item()!r}, expected {e[idx].item()!r}."
    )


def assert_shape(actual: Any, expected_shape: Sequence[int | None], *, name: str = "value") -> None:
    """Assert that ``actual`` (a strictly checked array) has ``expected_shape``.

    ``None`` in ``expected_shape`` matches any length along that axis.
    """
    a = _to_array(actual, name)
    wanted = tuple(None if w is None else int(w) for w in expected_shape)
    _record("shape", name, (), shape=tuple(a.shape), wanted=wanted)
    _raise_if(shape_failure(a.shape, wanted, name))


def shape_failure(shape: tuple, wanted: tuple, name: str, *, exact: bool = False) -> str | None:
    """``assert_shape``'s check: None when ``shape`` matches ``wanted`` (``None`` = any length), else the message.
    ``exact``: the message of a comparison whose expected value has another shape."""
    shape, wanted = tuple(shape), tuple(wanted)
    if len(wanted) == len(shape) and all(w is None or w == s for w, s in zip(wanted, shape, strict=True)):
        return None
    hint = _shape_hint(shape, wanted) if None not in wanted else ""
    if exact or None not in wanted:
        return f"{name} has shape {shape} but expected {wanted}{hint}."
    shown = "(" + ", ".join("any" if w is None else str(w) for w in wanted) + ("," if len(wanted) == 1 else "")
    return f"{name} has shape {shape} but expected {shown})."


def assert_gradient(
    analytic: Any,
    f: Callable[[np.ndarray], Any],
    x: np.ndarray,
    *,
    dout: np.ndarray | None = None,
    h: float = 1e-5,
    rtol: float = 1e-5,
    name: str = "gradient",
    own: bool = False,
) -> None:
    r"""Assert that an analytic gradient matches the numerical (central-difference) one.

    Without ``dout``, ``f(x)`` returns a scalar and the reference is
    :func:`coursekit.gradcheck.numerical_gradient`; with ``dout`` it returns an array and the
    reference is the gradient of :math:`\sum f(x) \odot \text{dout}`. They agree when
    :func:`coursekit.gradcheck.rel_error` is at most ``rtol`` (a correct gradient usually
    gives 1e-8 or less; a bug gives 1e-2 or more).

    Parameters
    ----------
    analytic : array-like with ``x``'s shape
    f : callable, reads ``x`` (perturbed in place and restored)
    x : float ndarray, the point
    dout : ndarray, optional, the upstream gradient for array-valued ``f``
    h : float, finite-difference step
    rtol : float, largest accepted relative error
    name : str
    own : bool, ``f`` is the student's own forward pass (the numerical gradient of the student's run is
        the reference), as in :func:`assert_close`
    """
    a = _to_array(analytic, name).astype(np.float64)
    _raise_if(shape_failure(a.shape, np.shape(x), name, exact=True))
    numeric = numerical_gradient(f, x, h) if dout is None else numerical_gradient_array(f, x, dout, h)
    _record("gradient", name, (a, np.asarray(numeric, dtype=np.float64)), rtol=float(rtol), own=bool(own))
    _raise_if(gradient_failure(a, numeric, rtol, name))


def gradient_failure(a: np.ndarray, numeric: np.ndarray, rtol: float, name: str) -> str | None:
    """``assert_gradient``'s comparison of an analytic and a numerical gradient: None or the message."""
    shape = shape_failure(a.shape, numeric.shape, name, exact=True)
    if shape is not None:
        return shape
    a, numeric = a.astype(np.float64), numeric.astype(np.float64)
    err = rel_error(a, numeric)
    if err <= rtol:
        return None
    worst = tuple(int(i) for i in np.unravel_index(int(np.argmax(np.abs(a - numeric))), a.shape))
    return (
        f"{name} does not match the numerical gradient: relative error {err:.2g} "
        f"(a correct gradient gives less than {rtol:g}).\n"
        f"  Largest difference at index {worst}: yours {a[worst].item()!r}, numerical {numeric[worst].item()!r}."
        f"{_value_hint(a, numeric, 1e-4, 1e-7)}"
    )


def assert_between(value: Any, low: float, high: float, *, name: str = "value") -> None:
    """Assert that a real scalar lies in ``[low, high]`` (either bound may be ``-inf``/``inf``).

    For test conditions on a measured number (a final loss, an accuracy, a count): ``assert loss < 0.5``
    becomes ``assert_between(loss, -np.inf, 0.5, name="final training loss")``, which says what was
    measured, and which the grader re-checks outside the student's process.
    """
    v = _to_array(value, name)
    if v.size != 1:
        raise AssertionError(f"{name} should be a single number, but it has shape {v.shape}")
    _record("between", name, (v.reshape(()),), low=float(low), high=float(high))
    _raise_if(between_failure(v.reshape(()), float(low), float(high), name))


def between_failure(v: np.ndarray, low: float, high: float, name: str) -> str | None:
    """``assert_between``'s check: None when ``low <= v <= high``, else the message."""
    x = float(v)
    if low <= x <= high:  # NaN fails
        return None
    if low == -np.inf:
        wanted = f"at most {high:g}"
    elif high == np.inf:
        wanted = f"at least {low:g}"
    else:
        wanted = f"between {low:g} and {high:g}"
    return f"{name} is {x:.6g}, but it should be {wanted}."


def assert_raises(
    exception: type[BaseException],
    func: Callable[..., Any],
    *args: Any,
    mentions: Sequence[str] = (),
    name: str = "call",
) -> None:
    """Assert that ``func(*args)`` raises ``exception`` (or a subclass) whose message contains every string of
    ``mentions`` as a whole word (``"p"`` is not found in ``"probability"``): the argument a bad-input error
    must name. The order is ``unittest``'s ``assertRaises(exception, func, *args)``.

    For the tests of input checks: ``assert_raises(ValueError, clip_gradient, g, -1.0, mentions=("beta",),
    name="clip_gradient(g, beta=-1.0)")``. The outcome is recorded as an ``equal`` check of
    two booleans (raised the right type, named everything) against ``[True, True]``, so the grader re-checks it
    outside the student's process like any other check; the message says what was raised instead.
    """
    raised, named, got = False, False, "returned normally"
    try:
        func(*args)
    except exception as err:
        raised, text = True, _message(err)
        named = all(re.search(rf"(?<!\w){re.escape(str(m))}(?!\w)", text) for m in mentions)
        got = f"raised {type(err).__name__}: {text}"
    except Exception as err:  # the wrong type: reported, and the check fails
        got = f"raised {type(err).__name__}: {_message(err)}"
    _record("equal", name, (np.array([raised, named]), np.array([True, True])), own=False)
    wanted = exception.__name__ + (" naming " + ", ".join(repr(str(m)) for m in mentions) if mentions else "")
    if not (raised and named):
        raise AssertionError(f"{name} should raise {wanted}, but it {got}.")


def _message(err: BaseException) -> str:
    """``str(err)``, or a note when the exception's own ``__str__`` fails."""
    try:
        return str(err)
    except Exception:
        return f"<the message of this {type(err).__name__} could not be read>"


# ----------------------------------------------------------------------------------------------
# Recording: the grader decides verdicts outside the student's process
# ----------------------------------------------------------------------------------------------


class _Recorder:
    """While the grader runs a test cell, every check appends what it compared, as plain data."""

    __slots__ = ("on", "items")

    def __init__(self) -> None:
        self.on = False
        self.items: list = []


_RECORDER = _Recorder()


def _encode(a: np.ndarray) -> tuple[str, tuple[int, ...], str]:
    """An array as (dtype, shape, base64 bytes): decoded without pickle by ``verdict.decode``."""
    import base64

    a = np.ascontiguousarray(a)
    return (a.dtype.str, tuple(int(n) for n in a.shape), base64.b64encode(a.tobytes()).decode("ascii"))


def _record(kind: str, name: str, arrays: tuple, **params: Any) -> None:
    if _RECORDER.on:  # with the file name of the caller's code (the test cell's, or a student's function's)
        caller = sys._getframe(2).f_code.co_filename
        _RECORDER.items.append((kind, str(name), [_encode(a) for a in arrays], params, caller))


def _raise_if(message: str | None) -> None:
    if message is not None:
        raise AssertionError(message)
