r"""Normalisation layers: batch norm (statistics over the batch), layer norm (over the features) and
group norm (over groups of channels).

All three compute :math:`\hat x = (x - \mu)/\sqrt{\sigma^2 + \epsilon}` and return :math:`\gamma \hat x + \beta`;
they differ only in the axes :math:`\mu, \sigma^2` are taken over. Their backward passes share one step:
the gradient through the normalisation itself, where :math:`\mu` and :math:`\sigma^2` depend on every
input they were computed from.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import as_float_array, check_dout, check_real, check_shape

__all__ = [
    "batchnorm_forward",
    "batchnorm_backward",
    "layernorm_forward",
    "layernorm_backward",
    "group_norm_forward",
    "group_norm_backward",
]


class NormCache(NamedTuple):
    x_hat: np.ndarray  # the normalised input, x's shape
    gamma: np.ndarray  # broadcastable against x
    inv_std: np.ndarray  # 1 / sqrt(var + eps), broadcastable against x
    stat_axes: tuple[int, ...]  # axes mean and var were taken over
    param_axes: tuple[int, ...]  # axes gamma and beta are shared across
    param_shape: tuple[int, ...]  # gamma's shape, for dgamma and dbeta
    batch_stats: bool  # False in eval mode: mean and var were constants, not functions of x


def _normalize_backward(dx_hat: np.ndarray, cache: NormCache) -> np.ndarray:
    r"""Gradient through :math:`\hat x = (x - \mu)\, s` with :math:`s = 1/\sqrt{\sigma^2 + \epsilon}`.

    With :math:`\mu, \sigma^2` taken over n values, the three paths (direct, via :math:`\mu`, via
    :math:`\sigma^2`) sum to :math:`s\,(g - \overline{g} - \hat x\, \overline{g \hat x})` where
    :math:`g = \partial L/\partial \hat x` and the bars are means over the same n values.
    """
    if not cache.batch_stats:
        return dx_hat * cache.inv_std
    mean_g = dx_hat.mean(axis=cache.stat_axes, keepdims=True)
    mean_gx = (dx_hat * cache.x_hat).mean(axis=cache.stat_axes, keepdims=True)
    return cache.inv_std * (dx_hat - mean_g - cache.x_hat * mean_gx)


def _affine_backward(dout: np.ndarray, cache: NormCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """dx, dgamma, dbeta of :math:`\\gamma \\hat x + \\beta` given the normalisation's cache."""
    dgamma = (dout * cache.x_hat).sum(axis=cache.param_axes).reshape(cache.param_shape)
    dbeta = dout.sum(axis=cache.param_axes).reshape(cache.param_shape)
    return _normalize_backward(dout * cache.gamma, cache), dgamma, dbeta


# --- Batch norm ---------------------------------------------------------------------------------------


def _check_channel_vectors(fn: str, c: int, x_shape, **vectors) -> dict[str, np.ndarray]:
    checked = {}
    for name, v in vectors.items():
        v = as_float_array(fn, name, v, ndim=1)
        check_shape(fn, name, v, (c,), hint=f"one value per channel (axis 1) of x {x_shape}")
        checked[name] = v
    return checked


def _check_running_buffer(fn: str, name: str, buf, c: int, x_shape) -> np.ndarray:
    # Running buffers are updated in place, so they must be real float arrays (no copy is made).
    if not isinstance(buf, np.ndarray) or not np.issubdtype(buf.dtype, np.floating):
        raise TypeError(f"{fn}: {name} must be a float numpy.ndarray (updated in place), got {type(buf).__name__}")
    check_shape(fn, name, buf, (c,), hint=f"one value per channel (axis 1) of x {x_shape}")
    return buf


def _update_running(buf: np.ndarray, batch_value: np.ndarray, momentum: float) -> None:
    """torch's convention: ``running = (1 - momentum) * running + momentum * batch`` (in place)."""
    buf *= 1.0 - momentum
    buf += momentum * batch_value


def batchnorm_forward(
    x: np.ndarray,
    gamma: np.ndarray,
    beta: np.ndarray,
    running_mean: np.ndarray,
    running_var: np.ndarray,
    training: bool = True,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> tuple[np.ndarray, NormCache]:
    r"""Batch normalisation per feature / channel, as ``torch.nn.functional.batch_norm``.

    Training: :math:`\mu, \sigma^2` are the batch mean and *biased* variance (divide by n) over every
    axis but 1; the running buffers are updated **in place** with momentum, using the *unbiased*
    variance (divide by n - 1) for ``running_var``. Eval: the running statistics normalise instead.

    Parameters
    ----------
    x : (N, D), (N, C, L) or (N, C, H, W) array; statistics per column / channel (axis 1)
    gamma, beta : (C,) arrays, scale and shift
    running_mean, running_var : (C,) float arrays, modified in place when ``training``
    training : bool
    momentum : float in [0, 1]
    eps : float > 0, added to the variance

    Returns
    -------
    out : array of x's shape
    cache : NormCache
    """
    fn = "batchnorm_forward"
    x = as_float_array(fn, "x", x)
    if x.ndim not in (2, 3, 4):
        raise ValueError(f"{fn}: x must be (N, D), (N, C, L) or (N, C, H, W), got shape {x.shape}")
    c = x.shape[1]
    params = _check_channel_vectors(fn, c, x.shape, gamma=gamma, beta=beta)
    for name, buf in (("running_mean", running_mean), ("running_var", running_var)):
        _check_running_buffer(fn, name, buf, c, x.shape)
    momentum, eps = check_real(fn, "momentum", momentum), check_real(fn, "eps", eps)
    axes = (0, *range(2, x.ndim))
    bshape = (1, c) + (1,) * (x.ndim - 2)
    if training:
        mean, var = _batch_statistics(fn, x, axes, running_mean, running_var, momentum)
    else:
        mean, var = running_mean.astype(np.float64), running_var.astype(np.float64)
    inv_std = (1.0 / np.sqrt(var + eps)).reshape(bshape)
    x_hat = (x - mean.reshape(bshape)) * inv_std
    g = params["gamma"].reshape(bshape)
    out = g * x_hat + params["beta"].reshape(bshape)
    return out, NormCache(x_hat, g, inv_std, axes, axes, (c,), bool(training))


def _batch_statistics(fn, x, axes, running_mean, running_var, momentum) -> tuple[np.ndarray, np.ndarray]:
    """Batch mean and biased variance; updates the running buffers with the unbiased variance."""
    n = x.size // x.shape[1]
    if n < 2:
        raise ValueError(f"{fn}: training needs more than 1 value per channel, got x of shape {x.shape}")
    mean, var = x.mean(axis=axes), x.var(axis=axes)
    _update_running(running_mean, mean, momentum)
    _update_running(running_var, var * n / (n - 1), momentum)
    return mean, var


def batchnorm_backward(dout: np.ndarray, cache: NormCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Gradients of batch norm.

    .. math:: \frac{\partial L}{\partial \beta} = \sum \delta, \quad
              \frac{\partial L}{\partial \gamma} = \sum \delta\, \hat x, \quad
              \frac{\partial L}{\partial x} = s\,\big(g - \overline{g} - \hat x\,\overline{g \hat x}\big),
              \ g = \gamma\,\delta

    (sums and means over every axis but 1). In eval mode the statistics are constants, so
    :math:`\partial L/\partial x = s\, g`.

    Returns
    -------
    dx : array of x's shape
    dgamma, dbeta : (C,) arrays
    """
    dout = check_dout("batchnorm_backward", dout, cache.x_hat.shape)
    return _affine_backward(dout, cache)


# --- Layer norm ---------------------------------------------------------------------------------------


def layernorm_forward(
    x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5
) -> tuple[np.ndarray, NormCache]:
    r"""Layer normalisation over all axes but the batch axis, as ``F.layer_norm(x, x.shape[1:], ...)``.

    Each sample is normalised by its own mean and biased variance, in training and at test time alike.

    Parameters
    ----------
    x : (N, d1, ..., dk) array
    gamma, beta : arrays of shape (d1, ..., dk), elementwise scale and shift
    eps : float > 0

    Returns
    -------
    out : array of x's shape
    cache : NormCache
    """
    fn = "layernorm_forward"
    x = as_float_array(fn, "x", x, min_ndim=2)
    gamma, beta = as_float_array(fn, "gamma", gamma), as_float_array(fn, "beta", beta)
    check_shape(fn, "gamma", gamma, x.shape[1:], hint=f"x.shape[1:] for x of shape {x.shape}")
    check_shape(fn, "beta", beta, x.shape[1:], hint=f"x.shape[1:] for x of shape {x.shape}")
    eps = check_real(fn, "eps", eps)
    axes = tuple(range(1, x.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    inv_std = 1.0 / np.sqrt(x.var(axis=axes, keepdims=True) + eps)
    x_hat = (x - mean) * inv_std
    return gamma * x_hat + beta, NormCache(x_hat, gamma, inv_std, axes, (0,), gamma.shape, True)


def layernorm_backward(dout: np.ndarray, cache: NormCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Gradients of layer norm: batch norm's formula with the roles of the axes swapped.

    Returns
    -------
    dx : array of x's shape
    dgamma, dbeta : arrays of shape x.shape[1:]
    """
    dout = check_dout("layernorm_backward", dout, cache.x_hat.shape)
    return _affine_backward(dout, cache)


# --- Group norm ---------------------------------------------------------------------------------------


class GroupNormCache(NamedTuple):
    x_hat: np.ndarray  # the normalised input, x's shape (N, C, *spatial)
    gamma: np.ndarray  # (1, C, 1, ...), broadcastable against x
    inv_std: np.ndarray  # (N, G, 1): 1 / sqrt(var + eps) of each sample's group


def _check_groups(fn: str, x: np.ndarray, num_groups) -> int:
    if isinstance(num_groups, bool) or not isinstance(num_groups, (int, np.integer)):
        raise TypeError(f"{fn}: num_groups must be an int, got {type(num_groups).__name__} {num_groups!r}")
    if num_groups < 1 or x.shape[1] % num_groups:
        raise ValueError(
            f"{fn}: num_groups must be a positive divisor of the {x.shape[1]} channels (axis 1) of x "
            f"{x.shape}, got {num_groups}"
        )
    return int(num_groups)


def group_norm_forward(
    x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, num_groups: int, eps: float = 1e-5
) -> tuple[np.ndarray, GroupNormCache]:
    r"""Group normalisation (Wu & He, 2018), as ``torch.nn.functional.group_norm``.

    The C channels are split into ``num_groups`` consecutive groups of C / G channels; each sample is
    normalised by the mean and biased variance of each of its groups (over the group's channels and
    all spatial positions), then every channel is scaled and shifted by its own :math:`\gamma_c, \beta_c`.
    ``num_groups=1`` is layer norm over (C, H, W) with per-channel parameters; ``num_groups=C`` is
    instance norm. No batch statistics: training and test behave the same.

    Parameters
    ----------
    x : (N, C) or (N, C, *spatial) array, e.g. (N, C, H, W)
    gamma, beta : (C,) arrays, per-channel scale and shift
    num_groups : int, a divisor of C
    eps : float > 0, added to the variance

    Returns
    -------
    out : array of x's shape
    cache : GroupNormCache
    """
    fn = "group_norm_forward"
    x = as_float_array(fn, "x", x, min_ndim=2)
    g = _check_groups(fn, x, num_groups)
    params = _check_channel_vectors(fn, x.shape[1], x.shape, gamma=gamma, beta=beta)
    eps = check_real(fn, "eps", eps)
    grouped = x.reshape(x.shape[0], g, -1)  # (N, G, C/G * prod(spatial))
    inv_std = 1.0 / np.sqrt(grouped.var(axis=2, keepdims=True) + eps)
    x_hat = ((grouped - grouped.mean(axis=2, keepdims=True)) * inv_std).reshape(x.shape)
    bshape = (1, x.shape[1]) + (1,) * (x.ndim - 2)
    gamma_b = params["gamma"].reshape(bshape)
    return gamma_b * x_hat + params["beta"].reshape(bshape), GroupNormCache(x_hat, gamma_b, inv_std)


def group_norm_backward(dout: np.ndarray, cache: GroupNormCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Gradients of group norm: layer norm's formula within each (sample, group).

    .. math:: \frac{\partial L}{\partial x} = s\,\big(g - \overline{g} - \hat x\,\overline{g \hat x}\big),
              \ g = \gamma\,\delta

    with the means over the C / G channels and spatial positions of one group of one sample;
    :math:`\partial L/\partial \gamma, \partial L/\partial \beta` sum over every axis but 1.

    Returns
    -------
    dx : array of x's shape
    dgamma, dbeta : (C,) arrays
    """
    x_hat = cache.x_hat
    dout = check_dout("group_norm_backward", dout, x_hat.shape)
    n, g = cache.inv_std.shape[:2]
    param_axes = (0, *range(2, x_hat.ndim))
    dgamma, dbeta = (dout * x_hat).sum(axis=param_axes), dout.sum(axis=param_axes)
    grouped = NormCache(x_hat.reshape(n, g, -1), cache.gamma, cache.inv_std, (2,), (), (), True)
    dx = _normalize_backward((dout * cache.gamma).reshape(n, g, -1), grouped)
    return dx.reshape(x_hat.shape), dgamma, dbeta
