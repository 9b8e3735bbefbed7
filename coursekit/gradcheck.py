r"""Numerical gradients: the slow, simple truth that analytic gradients are checked against.

Central differences approximate a derivative with error :math:`O(h^2)`:

.. math::  \frac{\partial f}{\partial x_i} \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h}

"Use the analytic gradient, check it with the numeric one" is *gradient checking*. A relative
error around 1e-7 or below is good; 1e-2 or above means a bug (unless the function has a kink
close to the point being checked).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["numerical_gradient", "numerical_gradient_array", "rel_error", "check_layer"]


def _as_float_array(x: np.ndarray, name: str) -> np.ndarray:
    if not isinstance(x, np.ndarray):
        raise TypeError(f"{name} must be a numpy.ndarray, got {type(x).__name__}")
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(f"{name} must have a floating dtype to be perturbed, got {x.dtype}")
    return x


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Central-difference gradient of a scalar function ``f`` at ``x``.

    ``x`` is perturbed in place, one element at a time, and restored afterwards.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``; reads ``x`` (the same array object) on every call.
    x : (any shape) float array
    h : float
        Step size.

    Returns
    -------
    grad : array with ``x``'s shape
    """
    _as_float_array(x, "x")
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        f_plus = float(f(x))
        x[i] = old - h
        f_minus = float(f(x))
        x[i] = old  # restore: the caller's array must come back unchanged
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def numerical_gradient_array(
    f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, dout: np.ndarray, h: float = 1e-5
) -> np.ndarray:
    r"""Gradient of :math:`\sum f(x) \odot \text{dout}` with respect to ``x`` (central differences).

    This is what a layer's ``backward(dout, cache)`` must return for input ``x``.

    Parameters
    ----------
    f : callable
        ``f(x) -> array`` with ``dout``'s shape.
    x : float array, perturbed in place and restored
    dout : array, the upstream gradient
    """
    _as_float_array(x, "x")
    dout = np.asarray(dout)
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        pos = np.array(f(x), dtype=np.float64, copy=True)
        x[i] = old - h
        neg = np.array(f(x), dtype=np.float64, copy=True)
        x[i] = old
        if pos.shape != dout.shape:
            raise ValueError(f"numerical_gradient_array: f(x) has shape {pos.shape} but dout has shape {dout.shape}")
        grad[i] = np.sum((pos - neg) * dout) / (2 * h)
    return grad


def rel_error(a, b) -> float:
    r"""Largest elementwise relative error :math:`\max |a-b| / \max(10^{-8}, |a|+|b|)`."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"rel_error: a has shape {a.shape} but b has shape {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def check_layer(
    forward: Callable, backward: Callable, *inputs: np.ndarray, rng: np.random.Generator | None = None
) -> dict[int, float]:
    """Check every input's analytic gradient of a layer against the numeric one.

    ``forward(*inputs) -> (out, cache)`` and ``backward(dout, cache)`` returning the gradients in
    the order of the inputs (a single array for one input), as in :mod:`coursekit.functional`.
    The upstream gradient is random and non-uniform: a uniform one (all ones) hides bugs such as
    a missing mean-subtraction term in batch norm's backward pass.

    Returns
    -------
    errors : dict
        ``{input index: relative error}`` for every floating-point input.
    """
    rng = np.random.default_rng(0) if rng is None else rng
    for k, x in enumerate(inputs):
        _as_float_array(x, f"inputs[{k}]")
    out, cache = forward(*inputs)
    dout = rng.standard_normal(np.shape(out))
    grads = backward(dout, cache)
    if not isinstance(grads, tuple):
        grads = (grads,)
    if len(grads) != len(inputs):
        raise ValueError(f"check_layer: backward returned {len(grads)} gradients for {len(inputs)} inputs")
    errors = {}
    for k, x in enumerate(inputs):

        def f_k(xk, k=k):
            args = list(inputs)
            args[k] = xk
            return forward(*args)[0]

        num = numerical_gradient_array(f_k, x, dout)
        errors[k] = rel_error(grads[k], num)
    return errors
