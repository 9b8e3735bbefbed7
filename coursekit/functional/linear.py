r"""The fully connected (affine) layer :math:`y = x W + b`.

Weights are stored ``(in_features, out_features)`` as in the lecture's :math:`x \cdot W + b`;
PyTorch's ``nn.Linear`` stores the transpose.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import as_float_array, check_dout, check_shape

__all__ = ["linear_forward", "linear_backward"]


class LinearCache(NamedTuple):
    x_flat: np.ndarray  # (N, D)
    w: np.ndarray  # (D, M)
    x_shape: tuple[int, ...]  # the caller's shape, restored for dx


def linear_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, LinearCache]:
    r"""Affine layer :math:`\mathrm{out} = \mathrm{flatten}(x)\, W + b`.

    Parameters
    ----------
    x : (N, d1, ..., dk) array, flattened to (N, D) with D = d1 * ... * dk
    w : (D, M) array
    b : (M,) array

    Returns
    -------
    out : (N, M) array
    cache : LinearCache
    """
    fn = "linear_forward"
    x = as_float_array(fn, "x", x, min_ndim=1)
    w = as_float_array(fn, "w", w, ndim=2)
    b = as_float_array(fn, "b", b, ndim=1)
    x_flat = x.reshape(x.shape[0], -1)
    d, m = x_flat.shape[1], w.shape[1]
    if w.shape[0] != d:
        raise ValueError(
            f"{fn}: w has shape {w.shape} but x (shape {x.shape}) has {d} features per sample; "
            f"expected w of shape ({d}, M)"
        )
    check_shape(fn, "b", b, (m,), hint=f"one bias per column of w, whose shape is {w.shape}")
    return x_flat @ w + b, LinearCache(x_flat, w, x.shape)


def linear_backward(dout: np.ndarray, cache: LinearCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Gradients of the affine layer.

    .. math:: \frac{\partial L}{\partial x} = \delta W^\top, \quad
              \frac{\partial L}{\partial W} = x^\top \delta, \quad
              \frac{\partial L}{\partial b} = \textstyle\sum_n \delta_n

    Parameters
    ----------
    dout : (N, M) array, the upstream gradient :math:`\delta`
    cache : LinearCache from :func:`linear_forward`

    Returns
    -------
    dx : array of x's shape (N, d1, ..., dk)
    dw : (D, M) array
    db : (M,) array
    """
    dout = check_dout("linear_backward", dout, (cache.x_flat.shape[0], cache.w.shape[1]))
    dx = (dout @ cache.w.T).reshape(cache.x_shape)
    return dx, cache.x_flat.T @ dout, dout.sum(axis=0)
