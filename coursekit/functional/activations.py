r"""Activation functions, each forward immediately followed by its backward.

Every backward multiplies the upstream gradient by the local derivative :math:`f'(x)`
(the chain rule), except Maxout, which routes the gradient to the winning piece.
At a kink (ReLU at 0) we use the same one-sided derivative as PyTorch.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import as_float_array, check_dout, check_real, check_shape

__all__ = [
    "relu_forward",
    "relu_backward",
    "leaky_relu_forward",
    "leaky_relu_backward",
    "elu_forward",
    "elu_backward",
    "selu_forward",
    "selu_backward",
    "prelu_forward",
    "prelu_backward",
    "sigmoid_forward",
    "sigmoid_backward",
    "tanh_forward",
    "tanh_backward",
    "gelu_forward",
    "gelu_backward",
    "silu_forward",
    "silu_backward",
    "maxout_forward",
    "maxout_backward",
    "SELU_LAMBDA",
    "SELU_ALPHA",
]

# The fixed point constants of Klambauer et al. (2017), to the digits torch.nn.SELU uses.
SELU_LAMBDA = 1.0507009873554804934193349852946
SELU_ALPHA = 1.6732632423543772848170429916717


class XCache(NamedTuple):
    """Cache of an elementwise activation that needs only its input."""

    x: np.ndarray


class OutCache(NamedTuple):
    """Cache of an elementwise activation whose derivative is cheapest from its output."""

    out: np.ndarray


class SlopeCache(NamedTuple):
    """Cache of an activation with a negative-side parameter ``alpha``."""

    x: np.ndarray
    alpha: float


# --- ReLU -------------------------------------------------------------------------------------------


def relu_forward(x: np.ndarray) -> tuple[np.ndarray, XCache]:
    r""":math:`\mathrm{relu}(x) = \max(0, x)`, elementwise. ``x``: any shape; ``out``: the same shape."""
    x = as_float_array("relu_forward", "x", x)
    return np.maximum(x, 0.0), XCache(x)


def relu_backward(dout: np.ndarray, cache: XCache) -> np.ndarray:
    r""":math:`\partial L/\partial x = \delta \cdot [x > 0]` (0 at the kink, as torch). Shapes of ``x``."""
    dout = check_dout("relu_backward", dout, cache.x.shape)
    return dout * (cache.x > 0)


# --- Leaky ReLU ---------------------------------------------------------------------------------------


def leaky_relu_forward(x: np.ndarray, alpha: float = 0.01) -> tuple[np.ndarray, SlopeCache]:
    r""":math:`x` if :math:`x > 0` else :math:`\alpha x` (for :math:`\alpha \le 1`, :math:`\max(\alpha x, x)`).

    ``x``: any shape; ``out``: the same shape. ``alpha`` is a fixed hyper-parameter, not learned.
    """
    alpha = check_real("leaky_relu_forward", "alpha", alpha)
    x = as_float_array("leaky_relu_forward", "x", x)
    return np.where(x > 0, x, alpha * x), SlopeCache(x, alpha)


def leaky_relu_backward(dout: np.ndarray, cache: SlopeCache) -> np.ndarray:
    r""":math:`\partial L/\partial x = \delta \cdot (1 \text{ if } x > 0 \text{ else } \alpha)`."""
    dout = check_dout("leaky_relu_backward", dout, cache.x.shape)
    return dout * np.where(cache.x > 0, 1.0, cache.alpha)


# --- ELU and SELU -------------------------------------------------------------------------------------


def elu_forward(x: np.ndarray, alpha: float = 1.0) -> tuple[np.ndarray, SlopeCache]:
    r""":math:`x` if :math:`x > 0` else :math:`\alpha (e^x - 1)`. ``x``: any shape; ``out``: the same."""
    alpha = check_real("elu_forward", "alpha", alpha)
    x = as_float_array("elu_forward", "x", x)
    # expm1 is accurate near 0; min(x, 0) keeps exp from overflowing on the branch np.where discards.
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0))), SlopeCache(x, alpha)


@np.errstate(under="ignore")  # exp(-1000) underflowing to 0 is the right answer, not an error
def elu_backward(dout: np.ndarray, cache: SlopeCache) -> np.ndarray:
    r""":math:`\partial L/\partial x = \delta \cdot (1 \text{ if } x > 0 \text{ else } \alpha e^x)`."""
    dout = check_dout("elu_backward", dout, cache.x.shape)
    return dout * np.where(cache.x > 0, 1.0, cache.alpha * np.exp(np.minimum(cache.x, 0.0)))


def selu_forward(x: np.ndarray) -> tuple[np.ndarray, SlopeCache]:
    r""":math:`\lambda\,\mathrm{elu}_\alpha(x)` with :math:`\lambda \approx 1.0507`, :math:`\alpha \approx 1.6733`.

    The constants make zero mean / unit variance a fixed point of a deep SELU network (as ``torch.nn.SELU``).
    ``x``: any shape; ``out``: the same shape.
    """
    out, cache = elu_forward(as_float_array("selu_forward", "x", x), SELU_ALPHA)
    return SELU_LAMBDA * out, cache


def selu_backward(dout: np.ndarray, cache: SlopeCache) -> np.ndarray:
    r""":math:`\partial L/\partial x = \lambda\, \mathrm{elu}'_\alpha(x)\, \delta`."""
    check_dout("selu_backward", dout, cache.x.shape)
    return SELU_LAMBDA * elu_backward(dout, cache)


# --- PReLU --------------------------------------------------------------------------------------------


class PReLUCache(NamedTuple):
    x: np.ndarray
    alpha: np.ndarray  # broadcastable against x: shape (1, C, 1, ...) or ()
    alpha_shape: tuple[int, ...]  # the caller's shape, for dalpha


def _prelu_alpha(x: np.ndarray, alpha) -> np.ndarray:
    """Reshape a scalar or per-feature ``alpha`` so it broadcasts along axis 1 of ``x``."""
    fn = "prelu_forward"
    if not isinstance(alpha, np.ndarray):
        return np.asarray(check_real(fn, "alpha", alpha))
    alpha = as_float_array(fn, "alpha", alpha)
    if alpha.size == 1 and alpha.ndim <= 1:
        return alpha.reshape(())
    if x.ndim < 2:
        raise ValueError(f"{fn}: a per-feature alpha needs x with a feature axis 1, got x of shape {x.shape}")
    check_shape(fn, "alpha", alpha, (x.shape[1],), hint=f"a scalar, (1,) or one per feature of x {x.shape}")
    return alpha.reshape((1, -1) + (1,) * (x.ndim - 2))


def prelu_forward(x: np.ndarray, alpha) -> tuple[np.ndarray, PReLUCache]:
    r"""Parametric ReLU: :math:`x` if :math:`x > 0` else :math:`\alpha_c x`, with a *learned* :math:`\alpha`.

    Parameters
    ----------
    x : (N, C, ...) array (any shape when ``alpha`` is a scalar)
    alpha : float, (1,) array or (C,) array, one slope per feature (axis 1 of ``x``), as ``torch.nn.PReLU``

    Returns
    -------
    out : array of x's shape
    cache : PReLUCache
    """
    x = as_float_array("prelu_forward", "x", x)
    a = _prelu_alpha(x, alpha)
    return np.where(x > 0, x, a * x), PReLUCache(x, a, np.shape(alpha))


def prelu_backward(dout: np.ndarray, cache: PReLUCache) -> tuple[np.ndarray, np.ndarray]:
    r"""Gradients of PReLU.

    .. math:: \frac{\partial L}{\partial x} = \delta\,(1 \text{ if } x>0 \text{ else } \alpha_c), \qquad
              \frac{\partial L}{\partial \alpha_c} = \sum_{x \le 0,\ \text{feature } c} \delta\, x

    Returns
    -------
    dx : array of x's shape
    dalpha : array of alpha's shape (a 0-d array for a Python float)
    """
    x = cache.x
    dout = check_dout("prelu_backward", dout, x.shape)
    dx = dout * np.where(x > 0, 1.0, cache.alpha)
    contrib = np.where(x > 0, 0.0, dout * x)
    # Sum over every axis the slope is shared across: all but axis 1 (per feature) or all (scalar).
    axes = tuple(i for i in range(x.ndim) if cache.alpha.ndim == 0 or i != 1)
    return dx, contrib.sum(axis=axes).reshape(cache.alpha_shape)


# --- Sigmoid and tanh ---------------------------------------------------------------------------------


@np.errstate(under="ignore")  # exp(-|x|) may underflow to 0 for |x| > 745: harmless, and exact
def sigmoid_forward(x: np.ndarray) -> tuple[np.ndarray, OutCache]:
    r""":math:`\sigma(x) = 1 / (1 + e^{-x})`, elementwise. ``x``: any shape; ``out``: the same shape.

    Computed from :math:`z = e^{-|x|} \in (0, 1]`, which never overflows: :math:`\sigma(x) = 1/(1+z)`
    for :math:`x \ge 0` and :math:`z/(1+z)` for :math:`x < 0`. Both branches are finite everywhere.
    """
    x = as_float_array("sigmoid_forward", "x", x)
    z = np.exp(-np.abs(x))
    out = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
    return out, OutCache(out)


@np.errstate(under="ignore")
def sigmoid_backward(dout: np.ndarray, cache: OutCache) -> np.ndarray:
    r""":math:`\partial L/\partial x = \delta\, \sigma(x) (1 - \sigma(x))`."""
    dout = check_dout("sigmoid_backward", dout, cache.out.shape)
    return dout * cache.out * (1.0 - cache.out)


def tanh_forward(x: np.ndarray) -> tuple[np.ndarray, OutCache]:
    r""":math:`\tanh(x)`, elementwise. ``x``: any shape; ``out``: the same shape."""
    out = np.tanh(as_float_array("tanh_forward", "x", x))
    return out, OutCache(out)


@np.errstate(under="ignore")
def tanh_backward(dout: np.ndarray, cache: OutCache) -> np.ndarray:
    r""":math:`\partial L/\partial x = \delta\, (1 - \tanh^2 x)`."""
    dout = check_dout("tanh_backward", dout, cache.out.shape)
    return dout * (1.0 - cache.out**2)


# --- GELU and SiLU (the smooth defaults of transformers and modern CNNs) ------------------------------

_SQRT_HALF = 0.70710678118654752440  # 1/sqrt(2)
_INV_SQRT_2PI = 0.39894228040143267794  # 1/sqrt(2 pi)


class GELUCache(NamedTuple):
    x: np.ndarray
    cdf: np.ndarray  # Phi(x), the standard normal CDF


class SiLUCache(NamedTuple):
    x: np.ndarray
    sig: np.ndarray  # sigma(x)


@np.errstate(under="ignore")  # x * Phi(x) for x < -37 underflows to 0: exact in float64
def gelu_forward(x: np.ndarray) -> tuple[np.ndarray, GELUCache]:
    r"""Exact GELU (Hendrycks & Gimpel, 2016): :math:`x\,\Phi(x)`, as ``torch.nn.GELU()``.

    The exact form, torch's default ``approximate="none"``, not the tanh approximation.

    :math:`\Phi(x) = \tfrac12 \operatorname{erfc}(-x/\sqrt2)` is the standard normal CDF; ``erfc`` keeps
    its relative accuracy for negative ``x``, where :math:`\tfrac12(1 + \operatorname{erf})` cancels.
    ``x``: any shape; ``out``: the same shape.
    """
    from scipy.special import erfc  # imported here so that importing coursekit stays cheap

    x = as_float_array("gelu_forward", "x", x)
    cdf = 0.5 * erfc(-x * _SQRT_HALF)
    return x * cdf, GELUCache(x, cdf)


@np.errstate(under="ignore")  # the density underflows to 0 for |x| > 38: exact in float64
def gelu_backward(dout: np.ndarray, cache: GELUCache) -> np.ndarray:
    r""":math:`\partial L/\partial x = \delta\,\big(\Phi(x) + x\,\varphi(x)\big)`.

    :math:`\varphi` is the standard normal density. ``dout``: the shape of ``x``; returns ``dx`` of that shape.
    """
    x = cache.x
    dout = check_dout("gelu_backward", dout, x.shape)
    # min(|x|, 40) keeps x*x from overflowing; the density is already exactly 0 at 40.
    pdf = _INV_SQRT_2PI * np.exp(-0.5 * np.square(np.minimum(np.abs(x), 40.0)))
    return dout * (cache.cdf + x * pdf)


@np.errstate(under="ignore")  # as gelu: tiny products round to 0, never an error
def silu_forward(x: np.ndarray) -> tuple[np.ndarray, SiLUCache]:
    r"""SiLU: :math:`x\,\sigma(x)`, as ``torch.nn.SiLU``.

    Also called Swish with :math:`\beta = 1` (Elfwing et al., 2017; Ramachandran et al., 2017).
    :math:`\sigma` is the stable :func:`sigmoid_forward`. ``x``: any shape; ``out``: the same shape.
    """
    x = as_float_array("silu_forward", "x", x)
    sig = sigmoid_forward(x)[0]
    return x * sig, SiLUCache(x, sig)


@np.errstate(under="ignore")
def silu_backward(dout: np.ndarray, cache: SiLUCache) -> np.ndarray:
    r""":math:`\partial L/\partial x = \delta\,\sigma(x)\,\big(1 + x\,(1 - \sigma(x))\big)`.

    ``dout``: the shape of ``x``; returns ``dx`` of that shape.
    """
    dout = check_dout("silu_backward", dout, cache.x.shape)
    return dout * cache.sig * (1.0 + cache.x * (1.0 - cache.sig))


# --- Maxout -------------------------------------------------------------------------------------------


class MaxoutCache(NamedTuple):
    x: np.ndarray  # (N, D)
    w: np.ndarray  # (D, M, K)
    winner: np.ndarray  # (N, M) index k of the winning piece


def maxout_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, MaxoutCache]:
    r"""Maxout unit (Goodfellow et al., 2013): the max of K affine pieces.

    .. math:: \mathrm{out}_{nm} = \max_k \big(x_n \cdot W_{:, m, k} + b_{m, k}\big)

    Parameters
    ----------
    x : (N, D) array
    w : (D, M, K) array
    b : (M, K) array

    Returns
    -------
    out : (N, M) array
    cache : MaxoutCache
    """
    fn = "maxout_forward"
    x = as_float_array(fn, "x", x, ndim=2)
    w = as_float_array(fn, "w", w, ndim=3)
    b = as_float_array(fn, "b", b, ndim=2)
    if w.shape[0] != x.shape[1]:
        raise ValueError(
            f"{fn}: w has shape {w.shape} but x (shape {x.shape}) has {x.shape[1]} features; "
            f"expected w of shape ({x.shape[1]}, M, K)"
        )
    check_shape(fn, "b", b, w.shape[1:], hint=f"(M, K) from w of shape {w.shape}")
    z = np.tensordot(x, w, axes=(1, 0)) + b  # (N, M, K)
    winner = z.argmax(axis=2)  # ties: the first piece wins, as torch.max does
    out = np.take_along_axis(z, winner[..., None], axis=2)[..., 0]
    return out, MaxoutCache(x, w, winner)


def maxout_backward(dout: np.ndarray, cache: MaxoutCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Gradients of Maxout: the upstream gradient flows only through the winning piece.

    Returns
    -------
    dx : (N, D) array
    dw : (D, M, K) array
    db : (M, K) array
    """
    x, w, winner = cache
    dout = check_dout("maxout_backward", dout, winner.shape)
    dz = np.zeros(winner.shape + (w.shape[2],))  # (N, M, K), zero for every losing piece
    np.put_along_axis(dz, winner[..., None], dout[..., None], axis=2)
    dx = np.tensordot(dz, w, axes=([1, 2], [1, 2]))
    dw = np.tensordot(x, dz, axes=(0, 0))
    return dx, dw, dz.sum(axis=0)
