"""Argument validation shared by every function in :mod:`coursekit.functional`.

Every check raises an error that names the calling function, the argument, what was expected and
what was given, so that a student reading the traceback knows which line of *their* code to fix.
Nothing here broadcasts silently: shapes must match exactly.
"""

from __future__ import annotations

import numbers

import numpy as np


def as_float_array(fn: str, name: str, x, ndim: int | None = None, min_ndim: int | None = None) -> np.ndarray:
    """Return ``x`` as a float64 array after checking its type and number of dimensions."""
    if not isinstance(x, np.ndarray):
        raise TypeError(f"{fn}: {name} must be a numpy.ndarray, got {type(x).__name__}")
    if x.dtype == np.bool_ or not (np.issubdtype(x.dtype, np.floating) or np.issubdtype(x.dtype, np.integer)):
        raise TypeError(f"{fn}: {name} must have a real (float) dtype, got dtype {x.dtype}")
    if ndim is not None and x.ndim != ndim:
        raise ValueError(f"{fn}: {name} must be a {ndim}-D array but has shape {x.shape} ({x.ndim}-D)")
    if min_ndim is not None and x.ndim < min_ndim:
        raise ValueError(f"{fn}: {name} must have at least {min_ndim} dimensions but has shape {x.shape} ({x.ndim}-D)")
    return np.asarray(x, dtype=np.float64)


def check_shape(fn: str, name: str, x: np.ndarray, expected: tuple[int, ...], hint: str = "") -> None:
    """Raise unless ``x.shape == expected`` (no broadcasting)."""
    if x.shape != tuple(expected):
        extra = f" ({hint})" if hint else ""
        raise ValueError(f"{fn}: {name} must have shape {tuple(expected)}{extra} but has shape {x.shape}")


def check_dout(fn: str, dout, expected: tuple[int, ...]) -> np.ndarray:
    """Upstream gradients must have exactly the shape of the forward output."""
    dout = as_float_array(fn, "dout", dout)
    check_shape(fn, "dout", dout, expected, hint="the shape of the forward output")
    return dout


def check_labels(fn: str, y, n: int, c: int) -> np.ndarray:
    """Integer class labels of shape ``(n,)`` with values in ``[0, c)``."""
    if not isinstance(y, np.ndarray):
        raise TypeError(f"{fn}: y must be a numpy.ndarray of integer labels, got {type(y).__name__}")
    if not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"{fn}: y must have an integer dtype (class indices), got dtype {y.dtype}")
    check_shape(fn, "y", y, (n,), hint="one label per row of scores")
    if n and (y.min() < 0 or y.max() >= c):
        raise ValueError(
            f"{fn}: y must hold class indices in [0, {c}) for scores with {c} columns, "
            f"got values in [{y.min()}, {y.max()}]"
        )
    return y


def check_int(fn: str, name: str, value, minimum: int) -> int:
    """An ``int`` (not a float, not a bool) that is at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{fn}: {name} must be an int, got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{fn}: {name} must be >= {minimum}, got {value}")
    return int(value)


def check_real(fn: str, name: str, value) -> float:
    """A finite real number (Python or NumPy scalar)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{fn}: {name} must be a real number, got {type(value).__name__} {value!r}")
    if not np.isfinite(value):
        raise ValueError(f"{fn}: {name} must be finite, got {value}")
    return float(value)


def check_probability(fn: str, name: str, p) -> float:
    """A real number in ``[0, 1]``."""
    p = check_real(fn, name, p)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{fn}: {name} must be a probability in [0, 1], got {p}")
    return p


def check_output_size(fn: str, axis: str, size: int, kernel: int, stride: int, padding: int) -> int:
    """Output length of a window sliding over ``size + 2*padding`` samples; at least 1."""
    out = (size + 2 * padding - kernel) // stride + 1
    if size + 2 * padding < kernel:
        raise ValueError(
            f"{fn}: kernel {axis} {kernel} is larger than the padded input {axis} "
            f"{size} + 2*{padding} = {size + 2 * padding}"
        )
    return out
