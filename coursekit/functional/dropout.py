r"""Inverted dropout.

Convention (torch's): ``p`` is the probability of **zeroing** a unit, not of keeping it. Survivors
are scaled by :math:`1/(1-p)` during training so that the expected activation is unchanged and
inference needs no rescaling at all: at test time dropout is the identity.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import as_float_array, check_dout, check_probability

__all__ = ["dropout_forward", "dropout_backward"]


class DropoutCache(NamedTuple):
    mask: np.ndarray | None  # 0 or 1/(1-p) per unit; None when dropout was the identity
    shape: tuple[int, ...]


def dropout_forward(
    x: np.ndarray, p: float = 0.5, training: bool = True, rng: np.random.Generator | None = None
) -> tuple[np.ndarray, DropoutCache]:
    r"""Inverted dropout: :math:`\mathrm{out} = x \odot m / (1 - p)` with :math:`m_i \sim \mathrm{Bernoulli}(1-p)`.

    Parameters
    ----------
    x : array of any shape
    p : float in [0, 1], the probability of zeroing each unit. ``p == 0`` (or ``training=False``)
        is the identity; ``p == 1`` zeroes everything.
    training : bool
    rng : numpy.random.Generator or None. ``None`` draws from a fresh, unseeded
        ``np.random.default_rng()`` (not reproducible); pass a seeded generator for repeatable masks.

    Returns
    -------
    out : array of x's shape (a copy, never x itself)
    cache : DropoutCache
    """
    fn = "dropout_forward"
    x = as_float_array(fn, "x", x)
    p = check_probability(fn, "p", p)
    if rng is not None and not isinstance(rng, np.random.Generator):
        raise TypeError(f"{fn}: rng must be a numpy.random.Generator or None, got {type(rng).__name__}")
    if not training or p == 0.0:
        return x.copy(), DropoutCache(None, x.shape)
    if p == 1.0:  # 1/(1-p) would divide by zero; every unit is dropped
        mask = np.zeros(x.shape)
    else:
        rng = np.random.default_rng() if rng is None else rng
        mask = (rng.random(x.shape) >= p) / (1.0 - p)  # a unit survives with probability 1 - p
    return x * mask, DropoutCache(mask, x.shape)


def dropout_backward(dout: np.ndarray, cache: DropoutCache) -> np.ndarray:
    r""":math:`\partial L/\partial x = \delta \odot m / (1-p)`: the same mask, the same scale."""
    dout = check_dout("dropout_backward", dout, cache.shape)
    return dout.copy() if cache.mask is None else dout * cache.mask
