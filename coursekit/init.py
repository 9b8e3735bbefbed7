r"""Weight initialisers: zeros, small normal, Xavier/Glorot, He/Kaiming, LeCun.

Every initialiser returns a new ``float64`` array of the requested ``shape``. The scaled ones
(Xavier, He, LeCun) read the *fans* of the weight from its shape, in **our** layouts:

=================  =====================  ==================  ====================
layer              weight shape           fan_in              fan_out
=================  =====================  ==================  ====================
fully connected    ``(in, out)``          ``in``              ``out``
conv1d             ``(F, C, k)``          ``C * k``           ``F * k``
conv2d             ``(F, C, kh, kw)``     ``C * kh * kw``     ``F * kh * kw``
=================  =====================  ==================  ====================

PyTorch stores a fully connected weight as ``(out, in)``; the fans are the same numbers, read from
the other axes. Convolution weights have the same layout in both.

Randomness comes only from the ``rng`` argument, a :class:`numpy.random.Generator`. When ``rng`` is
``None`` a fresh ``numpy.random.default_rng()`` is used (seeded from the OS, so the result differs
on every call); pass ``np.random.default_rng(seed)`` for reproducible weights.

==================  ============================================================  =====================
initialiser         distribution                                                  meant for
==================  ============================================================  =====================
``zeros``           :math:`0`                                                     biases (never weights)
``normal``          :math:`\mathcal N(0, \text{std}^2)`, std = 0.01               shallow nets
``xavier_uniform``  :math:`U(\pm g\sqrt{6/(n_{in}+n_{out})})`                     tanh, sigmoid
``xavier_normal``   :math:`\mathcal N(0, g^2 \cdot 2/(n_{in}+n_{out}))`           tanh, sigmoid
``he_normal``       :math:`\mathcal N(0, 2/n_{in})`                               ReLU
``he_uniform``      :math:`U(\pm\sqrt{6/n_{in}})`                                 ReLU
``lecun_normal``    :math:`\mathcal N(0, 1/n_{in})`                               SELU
==================  ============================================================  =====================
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np

__all__ = [
    "fans",
    "zeros",
    "normal",
    "xavier_uniform",
    "xavier_normal",
    "he_normal",
    "he_uniform",
    "lecun_normal",
]

Shape = int | Sequence[int]


def _as_shape(shape: Shape, fn: str) -> tuple[int, ...]:
    """Validate ``shape`` (an int or a sequence of non-negative ints) and return it as a tuple."""
    dims = (shape,) if isinstance(shape, numbers.Integral) else shape
    try:
        dims = tuple(dims)
    except TypeError:
        raise TypeError(f"{fn}: shape must be an int or a tuple of ints, got {shape!r}") from None
    for d in dims:
        if isinstance(d, bool) or not isinstance(d, numbers.Integral):
            raise TypeError(f"{fn}: shape must contain only ints, got {shape!r}")
        if d < 0:
            raise ValueError(f"{fn}: shape must not contain negative sizes, got {shape!r}")
    return tuple(int(d) for d in dims)


def _as_rng(rng: np.random.Generator | None, fn: str) -> np.random.Generator:
    """``rng`` itself, or a fresh OS-seeded generator when it is ``None`` (never the global state)."""
    if rng is None:
        return np.random.default_rng()
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"{fn}: rng must be a numpy.random.Generator or None, got {type(rng).__name__}; "
            "use rng=np.random.default_rng(seed)"
        )
    return rng


def _check_nonnegative(value: float, name: str, fn: str) -> float:
    if not isinstance(value, numbers.Real) or not value >= 0:  # `not >=` also rejects NaN
        raise ValueError(f"{fn}: {name} must be a non-negative number, got {value!r}")
    return float(value)


def _fans(shape: Shape, fn: str) -> tuple[int, int]:
    dims = _as_shape(shape, fn)
    if len(dims) < 2:
        raise ValueError(
            f"{fn}: fans need a weight with at least 2 dimensions (linear (in, out) or conv (F, C, *kernel)), "
            f"got shape {dims}"
        )
    if 0 in dims:
        raise ValueError(f"{fn}: fans are undefined for a weight with a zero-sized axis, got shape {dims}")
    if len(dims) == 2:
        return dims[0], dims[1]
    receptive_field = math.prod(dims[2:])  # the kernel: every output sees C * kh * kw inputs
    return dims[1] * receptive_field, dims[0] * receptive_field


def fans(shape: Shape) -> tuple[int, int]:
    r"""``(fan_in, fan_out)`` of a weight of ``shape`` in coursekit's layouts.

    Parameters
    ----------
    shape : tuple of int
        ``(in, out)`` for a fully connected weight (``out = x @ w + b``), or ``(F, C, *kernel)``
        for a convolution weight (``(F, C, k)`` for conv1d, ``(F, C, kh, kw)`` for conv2d).

    Returns
    -------
    fan_in, fan_out : int
        Linear: ``(in, out)``. Convolution: ``(C * prod(kernel), F * prod(kernel))``: each output
        value is a weighted sum of ``C * prod(kernel)`` inputs, and each input feeds
        ``F * prod(kernel)`` outputs.

    Raises
    ------
    ValueError
        If ``shape`` has fewer than 2 dimensions or a zero-sized axis.
    """
    return _fans(shape, "fans")


def zeros(shape: Shape) -> np.ndarray:
    """All zeros. Right for biases; for weights it leaves every hidden unit identical (symmetry).

    Returns
    -------
    w : ``shape`` float64 array
    """
    return np.zeros(_as_shape(shape, "zeros"), dtype=np.float64)


def normal(shape: Shape, std: float = 0.01, rng: np.random.Generator | None = None) -> np.ndarray:
    r"""Small Gaussian weights :math:`w \sim \mathcal N(0, \text{std}^2)`, independent of the fans.

    Fine for shallow nets; in deep nets the activations shrink towards zero layer after layer.

    Returns
    -------
    w : ``shape`` float64 array
    """
    dims = _as_shape(shape, "normal")
    std = _check_nonnegative(std, "std", "normal")
    return _as_rng(rng, "normal").normal(0.0, std, size=dims)


def xavier_uniform(shape: Shape, gain: float = 1.0, rng: np.random.Generator | None = None) -> np.ndarray:
    r"""Glorot & Bengio (2010), uniform: :math:`w \sim U(-a, a)`, :math:`a = g\sqrt{6 / (n_{in} + n_{out})}`.

    The variance :math:`a^2/3 = g^2 \cdot 2/(n_{in}+n_{out})` balances the forward signal (which wants
    :math:`1/n_{in}`) and the backward gradient (which wants :math:`1/n_{out}`).

    Returns
    -------
    w : ``shape`` float64 array
    """
    fan_in, fan_out = _fans(shape, "xavier_uniform")
    gain = _check_nonnegative(gain, "gain", "xavier_uniform")
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return _as_rng(rng, "xavier_uniform").uniform(-bound, bound, size=_as_shape(shape, "xavier_uniform"))


def xavier_normal(shape: Shape, gain: float = 1.0, rng: np.random.Generator | None = None) -> np.ndarray:
    r"""Glorot & Bengio (2010), normal: :math:`w \sim \mathcal N(0, g^2 \cdot 2 / (n_{in} + n_{out}))`.

    Returns
    -------
    w : ``shape`` float64 array
    """
    fan_in, fan_out = _fans(shape, "xavier_normal")
    gain = _check_nonnegative(gain, "gain", "xavier_normal")
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    return _as_rng(rng, "xavier_normal").normal(0.0, std, size=_as_shape(shape, "xavier_normal"))


def he_normal(shape: Shape, rng: np.random.Generator | None = None) -> np.ndarray:
    r"""He et al. (2015), Kaiming normal, fan-in mode: :math:`w \sim \mathcal N(0, 2 / n_{in})`.

    The factor 2 (gain :math:`\sqrt 2`) makes up for ReLU zeroing half of its inputs, so the
    activations keep their variance through depth. Same as
    ``torch.nn.init.kaiming_normal_(w, nonlinearity="relu")``.

    Returns
    -------
    w : ``shape`` float64 array
    """
    fan_in, _ = _fans(shape, "he_normal")
    std = math.sqrt(2.0 / fan_in)
    return _as_rng(rng, "he_normal").normal(0.0, std, size=_as_shape(shape, "he_normal"))


def he_uniform(shape: Shape, rng: np.random.Generator | None = None) -> np.ndarray:
    r"""He et al. (2015), Kaiming uniform, fan-in mode: :math:`w \sim U(\pm\sqrt{6 / n_{in}})`.

    Variance :math:`2/n_{in}`, as :func:`he_normal`.

    Returns
    -------
    w : ``shape`` float64 array
    """
    fan_in, _ = _fans(shape, "he_uniform")
    bound = math.sqrt(6.0 / fan_in)
    return _as_rng(rng, "he_uniform").uniform(-bound, bound, size=_as_shape(shape, "he_uniform"))


def lecun_normal(shape: Shape, rng: np.random.Generator | None = None) -> np.ndarray:
    r"""LeCun et al. (1998): :math:`w \sim \mathcal N(0, 1 / n_{in})`; the init SELU's fixed point assumes.

    Returns
    -------
    w : ``shape`` float64 array
    """
    fan_in, _ = _fans(shape, "lecun_normal")
    std = math.sqrt(1.0 / fan_in)
    return _as_rng(rng, "lecun_normal").normal(0.0, std, size=_as_shape(shape, "lecun_normal"))
