r"""2-D max pooling.

.. math:: \mathrm{out}[n, c, i, j] = \max_{0 \le a, b < k} x[n, c, i s + a, j s + b]

Backward routes each output's gradient to the element that won its window; on a tie, to the first
maximum in row-major order, like PyTorch's CPU kernel. No padding, and ``stride`` defaults to
``kernel_size`` (non-overlapping windows), as ``torch.nn.functional.max_pool2d``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import as_float_array, check_dout, check_int, check_output_size

__all__ = ["max_pool2d_forward", "max_pool2d_backward", "max_pool2d_forward_naive", "max_pool2d_backward_naive"]


class PoolCache(NamedTuple):
    x_shape: tuple[int, ...]  # (N, C, H, W)
    winner: np.ndarray  # (N, C, Ho, Wo): flat index a * k + b of the max inside each window
    kernel_size: int
    stride: int


def _check_pool_args(fn: str, x, kernel_size, stride):
    x = as_float_array(fn, "x", x, ndim=4)
    k = check_int(fn, "kernel_size", kernel_size, 1)
    s = k if stride is None else check_int(fn, "stride", stride, 1)
    ho = check_output_size(fn, "height", x.shape[2], k, s, 0)
    wo = check_output_size(fn, "width", x.shape[3], k, s, 0)
    return x, k, s, ho, wo


def _offset_view(x: np.ndarray, a: int, b: int, s: int, ho: int, wo: int) -> np.ndarray:
    """Element (a, b) of every pooling window at once: a strided view of x, shape (N, C, Ho, Wo)."""
    return x[:, :, a : a + s * (ho - 1) + 1 : s, b : b + s * (wo - 1) + 1 : s]


def max_pool2d_forward(x: np.ndarray, kernel_size: int = 2, stride: int | None = None) -> tuple[np.ndarray, PoolCache]:
    r"""Max pooling over ``kernel_size`` x ``kernel_size`` windows, moved by ``stride``.

    Vectorised over every window at once, looping over the k*k positions inside a window only:
    position (a, b) of all windows is one strided view of ``x``, folded into a running maximum.

    Parameters
    ----------
    x : (N, C, H, W) array
    kernel_size : int >= 1
    stride : int >= 1, or None for ``kernel_size``

    Returns
    -------
    out : (N, C, Ho, Wo) array, Ho = (H - kernel_size) // stride + 1, likewise Wo
    cache : PoolCache
    """
    x, k, s, ho, wo = _check_pool_args("max_pool2d_forward", x, kernel_size, stride)
    views = [_offset_view(x, *divmod(offset, k), s, ho, wo) for offset in range(k * k)]
    out = views[0].copy()
    for view in views[1:]:
        np.maximum(out, view, out=out)
    # Which position won? Scan the offsets backwards so that on a tie the *first* maximum is
    # written last and kept, as in torch. (Equality is exact: out holds one of the compared values.)
    winner = np.full(out.shape, k * k - 1, dtype=np.min_scalar_type(k * k - 1))
    for offset in range(k * k - 2, -1, -1):
        np.copyto(winner, offset, where=views[offset] == out)
    return out, PoolCache(x.shape, winner, k, s)


def max_pool2d_backward(dout: np.ndarray, cache: PoolCache) -> np.ndarray:
    r"""Gradient of max pooling: :math:`\delta_{ncij}` goes to the winner of window (i, j), zero elsewhere.

    Returns
    -------
    dx : (N, C, H, W) array
    """
    x_shape, winner, k, s = cache
    dout = check_dout("max_pool2d_backward", dout, winner.shape)
    ho, wo = winner.shape[2:]
    dx = np.zeros(x_shape)
    # Overlapping windows (stride < kernel) can share a winner: += on a strided view accumulates,
    # where fancy indexing would need np.add.at.
    for offset in range(k * k):
        _offset_view(dx, *divmod(offset, k), s, ho, wo)[...] += np.where(winner == offset, dout, 0.0)
    return dx


def max_pool2d_forward_naive(
    x: np.ndarray, kernel_size: int = 2, stride: int | None = None
) -> tuple[np.ndarray, PoolCache]:
    """The loop version of :func:`max_pool2d_forward` (same arguments, result and cache), for teaching."""
    x, k, s, ho, wo = _check_pool_args("max_pool2d_forward_naive", x, kernel_size, stride)
    out = np.zeros(x.shape[:2] + (ho, wo))
    winner = np.zeros(out.shape, dtype=np.intp)
    for n in range(x.shape[0]):
        for c in range(x.shape[1]):
            for i in range(ho):
                for j in range(wo):
                    window = x[n, c, i * s : i * s + k, j * s : j * s + k]
                    winner[n, c, i, j] = np.argmax(window)  # flat row-major index: first max wins
                    out[n, c, i, j] = window.flat[winner[n, c, i, j]]
    return out, PoolCache(x.shape, winner, k, s)


def max_pool2d_backward_naive(dout: np.ndarray, cache: PoolCache) -> np.ndarray:
    """The loop version of :func:`max_pool2d_backward`."""
    x_shape, winner, k, s = cache
    dout = check_dout("max_pool2d_backward_naive", dout, winner.shape)
    dx = np.zeros(x_shape)
    for n, c, i, j in np.ndindex(winner.shape):
        a, b = divmod(int(winner[n, c, i, j]), k)
        dx[n, c, i * s + a, j * s + b] += dout[n, c, i, j]
    return dx
