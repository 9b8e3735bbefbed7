r"""Convolution layers (cross-correlation, as in every deep-learning library), 1-D and 2-D.

.. math:: \mathrm{out}[n, f, i, j] = b_f + \sum_{c, a, b'} x_p[n, c, i s + a, j s + b'] \, w[f, c, a, b']

where :math:`x_p` is the input zero-padded by ``padding`` on each side and :math:`s` the stride.
Output size per axis: :math:`\lfloor (H + 2p - k)/s \rfloor + 1` (:func:`conv_output_size`).

Two vectorised formulations, both without a loop over output pixels:

* ``conv1d``: :func:`numpy.lib.stride_tricks.sliding_window_view` views every receptive field at once
  (no copy) and one ``einsum`` contracts it with the weights.
* ``conv2d``: *im2col* copies each receptive field into a column of a matrix so the convolution is a
  single matrix product (fast BLAS); its backward pass, *col2im*, adds the columns' gradients back.
  Both loop over the kernel offsets only (``HH * WW`` iterations of whole-array slices).

The ``*_naive`` versions are the loops the notebook derives; tests check that all of them agree.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._checks import as_float_array, check_dout, check_int, check_output_size, check_shape

__all__ = [
    "conv_output_size",
    "conv1d_forward",
    "conv1d_backward",
    "conv1d_forward_naive",
    "conv1d_backward_naive",
    "conv2d_forward",
    "conv2d_backward",
    "conv2d_forward_naive",
    "conv2d_backward_naive",
]


def conv_output_size(size: int, kernel: int, stride: int = 1, padding: int = 0) -> int:
    r"""Length of a convolution's (or pooling's) output along one axis: :math:`\lfloor (n + 2p - k)/s \rfloor + 1`.

    >>> conv_output_size(32, 3, stride=1, padding=1)  # "same" padding
    32
    """
    fn = "conv_output_size"
    size, kernel = check_int(fn, "size", size, 1), check_int(fn, "kernel", kernel, 1)
    stride, padding = check_int(fn, "stride", stride, 1), check_int(fn, "padding", padding, 0)
    return check_output_size(fn, "size", size, kernel, stride, padding)


class ConvCache(NamedTuple):
    x_padded: np.ndarray  # (N, C, L + 2p) or (N, C, H + 2p, W + 2p)
    w: np.ndarray  # (F, C, K) or (F, C, HH, WW)
    stride: int
    padding: int
    out_shape: tuple[int, ...]


def _check_conv_args(fn: str, x, w, b, stride, padding, dims: int):
    """Validate a conv call with ``dims`` spatial axes; return float arrays and the output shape."""
    layout = "(N, C, L)" if dims == 1 else "(N, C, H, W)"
    x = as_float_array(fn, "x", x, ndim=dims + 2)
    w = as_float_array(fn, "w", w, ndim=dims + 2)
    b = as_float_array(fn, "b", b, ndim=1)
    stride, padding = check_int(fn, "stride", stride, 1), check_int(fn, "padding", padding, 0)
    if w.shape[1] != x.shape[1]:
        raise ValueError(
            f"{fn}: w has shape {w.shape} ({w.shape[1]} input channels) but x {layout} has shape {x.shape} "
            f"({x.shape[1]} channels); expected w of shape (F, {x.shape[1]}, ...)"
        )
    check_shape(fn, "b", b, (w.shape[0],), hint=f"one bias per filter of w {w.shape}")
    names = ["length"] if dims == 1 else ["height", "width"]
    spatial = [
        check_output_size(fn, name, x.shape[2 + d], w.shape[2 + d], stride, padding) for d, name in enumerate(names)
    ]
    return x, w, b, stride, padding, (x.shape[0], w.shape[0], *spatial)


def _pad(x: np.ndarray, padding: int) -> np.ndarray:
    """Zero-pad every spatial axis (all axes after the first two) by ``padding`` on both sides."""
    return np.pad(x, [(0, 0), (0, 0)] + [(padding, padding)] * (x.ndim - 2))


def _unpad(xp: np.ndarray, padding: int) -> np.ndarray:
    return xp[(slice(None), slice(None), *(slice(padding, xp.shape[d] - padding) for d in range(2, xp.ndim)))]


# --- Conv1d -------------------------------------------------------------------------------------------


def _windows1d(xp: np.ndarray, k: int, stride: int) -> np.ndarray:
    """(N, C, Lo, K) view of every receptive field; no copy."""
    return sliding_window_view(xp, k, axis=2)[:, :, ::stride]


def conv1d_forward(
    x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int = 1, padding: int = 0
) -> tuple[np.ndarray, ConvCache]:
    r"""1-D convolution (cross-correlation), as ``torch.nn.functional.conv1d``.

    Parameters
    ----------
    x : (N, C, L) array
    w : (F, C, K) array
    b : (F,) array
    stride : int >= 1
    padding : int >= 0, zeros added at both ends

    Returns
    -------
    out : (N, F, Lo) array, Lo = (L + 2 padding - K) // stride + 1
    cache : ConvCache
    """
    x, w, b, stride, padding, out_shape = _check_conv_args("conv1d_forward", x, w, b, stride, padding, 1)
    xp = _pad(x, padding)
    cols = _windows1d(xp, w.shape[2], stride)  # (N, C, Lo, K)
    out = np.einsum("nclk,fck->nfl", cols, w, optimize=True) + b[:, None]
    return out, ConvCache(xp, w, stride, padding, out_shape)


def conv1d_backward(dout: np.ndarray, cache: ConvCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Gradients of :func:`conv1d_forward`.

    Returns
    -------
    dx : (N, C, L) array
    dw : (F, C, K) array
    db : (F,) array
    """
    xp, w, stride, padding, out_shape = cache
    dout = check_dout("conv1d_backward", dout, out_shape)
    k, lo = w.shape[2], out_shape[2]
    dw = np.einsum("nfl,nclk->fck", dout, _windows1d(xp, k, stride), optimize=True)
    dcols = np.einsum("nfl,fck->kncl", dout, w, optimize=True)  # each window's gradient, per offset
    dxp = np.zeros_like(xp)
    for a in range(k):  # col2im: add offset a of every window back to where it was read from
        dxp[:, :, a : a + stride * (lo - 1) + 1 : stride] += dcols[a]
    return _unpad(dxp, padding), dw, dout.sum(axis=(0, 2))


def conv1d_forward_naive(
    x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int = 1, padding: int = 0
) -> tuple[np.ndarray, ConvCache]:
    """The loop version of :func:`conv1d_forward` (same arguments, result and cache)."""
    x, w, b, stride, padding, out_shape = _check_conv_args("conv1d_forward_naive", x, w, b, stride, padding, 1)
    xp, k = _pad(x, padding), w.shape[2]
    out = np.zeros(out_shape)
    for n in range(out_shape[0]):
        for f in range(out_shape[1]):
            for i in range(out_shape[2]):
                out[n, f, i] = np.sum(xp[n, :, i * stride : i * stride + k] * w[f]) + b[f]
    return out, ConvCache(xp, w, stride, padding, out_shape)


def conv1d_backward_naive(dout: np.ndarray, cache: ConvCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The loop version of :func:`conv1d_backward`: every output sends its gradient back to its window."""
    xp, w, stride, padding, out_shape = cache
    dout = check_dout("conv1d_backward_naive", dout, out_shape)
    dxp, dw, k = np.zeros_like(xp), np.zeros_like(w), w.shape[2]
    for n in range(out_shape[0]):
        for f in range(out_shape[1]):
            for i in range(out_shape[2]):
                window = slice(i * stride, i * stride + k)
                dxp[n, :, window] += w[f] * dout[n, f, i]
                dw[f] += xp[n, :, window] * dout[n, f, i]
    return _unpad(dxp, padding), dw, dout.sum(axis=(0, 2))


# --- Conv2d -------------------------------------------------------------------------------------------


class Conv2dCache(NamedTuple):
    cols: np.ndarray  # (C*HH*WW, N*Ho*Wo): the im2col matrix, one column per receptive field
    w: np.ndarray  # (F, C, HH, WW)
    padded_shape: tuple[int, ...]  # (N, C, H + 2p, W + 2p)
    stride: int
    padding: int
    out_shape: tuple[int, ...]  # (N, F, Ho, Wo)


def _offset_slices(a: int, b: int, stride: int, ho: int, wo: int) -> tuple[slice, slice]:
    """Rows and columns that kernel offset (a, b) reads, one per output position."""
    return slice(a, a + stride * (ho - 1) + 1, stride), slice(b, b + stride * (wo - 1) + 1, stride)


def _im2col(xp: np.ndarray, hh: int, ww: int, stride: int, ho: int, wo: int) -> np.ndarray:
    """Unroll every receptive field of ``xp`` (N, C, Hp, Wp) into a column: (C*HH*WW, N*Ho*Wo).

    Loops over the HH*WW kernel offsets only: offset (a, b) of *every* window at once is the
    strided slice ``xp[:, :, a::s, b::s]``, copied in one go.
    """
    n, c = xp.shape[:2]
    cols = np.empty((c, hh, ww, n, ho, wo))
    x_cn = xp.transpose(1, 0, 2, 3)  # (C, N, Hp, Wp) view: channels first, like the rows of cols
    for a in range(hh):
        for b in range(ww):
            cols[:, a, b] = x_cn[(slice(None), slice(None), *_offset_slices(a, b, stride, ho, wo))]
    return cols.reshape(c * hh * ww, n * ho * wo)


def _col2im(dcols: np.ndarray, padded_shape, hh: int, ww: int, stride: int, ho: int, wo: int) -> np.ndarray:
    """The adjoint of :func:`_im2col`: add each column back onto the pixels it was read from.

    Windows overlap (when stride < kernel), so a pixel collects several contributions; ``+=`` on a
    strided slice accumulates them correctly, one kernel offset at a time, with no ``np.add.at``.
    """
    n, c = padded_shape[:2]
    dcols = dcols.reshape(c, hh, ww, n, ho, wo)
    dxp = np.zeros(padded_shape)
    dx_cn = dxp.transpose(1, 0, 2, 3)  # a view: writing into it writes into dxp
    for a in range(hh):
        for b in range(ww):
            dx_cn[(slice(None), slice(None), *_offset_slices(a, b, stride, ho, wo))] += dcols[:, a, b]
    return dxp


def conv2d_forward(
    x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int = 1, padding: int = 0
) -> tuple[np.ndarray, Conv2dCache]:
    r"""2-D convolution (cross-correlation), as ``torch.nn.functional.conv2d``, by im2col.

    Every receptive field becomes a column of a matrix ``cols`` (C*HH*WW, N*Ho*Wo); the whole
    convolution is then one matrix product :math:`W_{(F, C \cdot HH \cdot WW)}\ \mathrm{cols}`.

    Parameters
    ----------
    x : (N, C, H, W) array
    w : (F, C, HH, WW) array
    b : (F,) array
    stride : int >= 1, the same along both axes
    padding : int >= 0, zeros added on every side

    Returns
    -------
    out : (N, F, Ho, Wo) array, Ho = (H + 2 padding - HH) // stride + 1, likewise Wo
    cache : Conv2dCache
    """
    x, w, b, stride, padding, out_shape = _check_conv_args("conv2d_forward", x, w, b, stride, padding, 2)
    n, f, ho, wo = out_shape
    xp = _pad(x, padding)
    cols = _im2col(xp, w.shape[2], w.shape[3], stride, ho, wo)
    out = w.reshape(f, -1) @ cols + b[:, None]  # (F, N*Ho*Wo)
    out = np.ascontiguousarray(out.reshape(f, n, ho, wo).transpose(1, 0, 2, 3))  # batch first again
    return out, Conv2dCache(cols, w, xp.shape, stride, padding, out_shape)


def conv2d_backward(dout: np.ndarray, cache: Conv2dCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Gradients of :func:`conv2d_forward`: the matrix product's two gradients, then col2im.

    With :math:`\mathrm{out} = W\,\mathrm{cols}` and :math:`\delta` laid out as (F, N*Ho*Wo):

    .. math:: rac{\partial L}{\partial W} = \delta\, \mathrm{cols}^	op, \qquad
              rac{\partial L}{\partial\, \mathrm{cols}} = W^	op \delta, \qquad
              rac{\partial L}{\partial b_f} = \sum_{n,i,j} \delta_{nfij}

    and :math:`\partial L/\partial x` is :math:`\partial L/\partial\,\mathrm{cols}` folded back by col2im.

    Returns
    -------
    dx : (N, C, H, W) array
    dw : (F, C, HH, WW) array
    db : (F,) array
    """
    cols, w, padded_shape, stride, padding, out_shape = cache
    dout = check_dout("conv2d_backward", dout, out_shape)
    f, _, hh, ww = w.shape
    d2 = dout.transpose(1, 0, 2, 3).reshape(f, -1)  # (F, N*Ho*Wo), matching the columns of cols
    dw = (d2 @ cols.T).reshape(w.shape)
    dxp = _col2im(w.reshape(f, -1).T @ d2, padded_shape, hh, ww, stride, *out_shape[2:])
    return _unpad(dxp, padding), dw, dout.sum(axis=(0, 2, 3))


def conv2d_forward_naive(
    x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int = 1, padding: int = 0
) -> tuple[np.ndarray, ConvCache]:
    """The loop version of :func:`conv2d_forward` (same arguments, result and cache), for teaching."""
    x, w, b, stride, padding, out_shape = _check_conv_args("conv2d_forward_naive", x, w, b, stride, padding, 2)
    xp, (hh, ww) = _pad(x, padding), w.shape[2:]
    out = np.zeros(out_shape)
    for n in range(out_shape[0]):
        for f in range(out_shape[1]):
            for i in range(out_shape[2]):
                for j in range(out_shape[3]):
                    window = xp[n, :, i * stride : i * stride + hh, j * stride : j * stride + ww]
                    out[n, f, i, j] = np.sum(window * w[f]) + b[f]
    return out, ConvCache(xp, w, stride, padding, out_shape)


def conv2d_backward_naive(dout: np.ndarray, cache: ConvCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The loop version of :func:`conv2d_backward`: each output pixel sends its gradient to its window."""
    xp, w, stride, padding, out_shape = cache
    dout = check_dout("conv2d_backward_naive", dout, out_shape)
    dxp, dw, (hh, ww) = np.zeros_like(xp), np.zeros_like(w), w.shape[2:]
    for n in range(out_shape[0]):
        for f in range(out_shape[1]):
            for i in range(out_shape[2]):
                for j in range(out_shape[3]):
                    rows, cols = slice(i * stride, i * stride + hh), slice(j * stride, j * stride + ww)
                    dxp[n, :, rows, cols] += w[f] * dout[n, f, i, j]
                    dw[f] += xp[n, :, rows, cols] * dout[n, f, i, j]
    return _unpad(dxp, padding), dw, dout.sum(axis=(0, 2, 3))
