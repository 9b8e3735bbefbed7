r"""Softmax and the losses: cross-entropy, multiclass SVM (hinge), mean squared error, binary cross-entropy.

Each loss returns ``(loss, dscores)``: the loss as a Python ``float`` and its gradient with respect to
the scores (or predictions), already divided by the batch size, because every loss here is a *mean*.

Stability: softmax shifts the scores by their maximum, :math:`\mathrm{softmax}(x) = \mathrm{softmax}(x - \max x)`,
so ``exp`` never sees a positive argument and cannot overflow. ``exp`` of a very negative number
underflows to exactly 0, which is the right answer; we silence only that (``under="ignore"``) so the
functions also run under ``np.errstate(all="raise")``.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_labels, check_real, check_shape

__all__ = ["softmax", "log_softmax", "softmax_cross_entropy", "svm_loss", "mse_loss", "binary_cross_entropy"]


def _check_axis(fn: str, x: np.ndarray, axis) -> int:
    if isinstance(axis, bool) or not isinstance(axis, int | np.integer):
        raise TypeError(f"{fn}: axis must be an int, got {type(axis).__name__}")
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"{fn}: axis {axis} is out of range for x of shape {x.shape}")
    return int(axis)


@np.errstate(under="ignore")
def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    r""":math:`\mathrm{softmax}(x)_i = e^{x_i - m} / \sum_j e^{x_j - m}` with :math:`m = \max_j x_j`.

    ``x``: any shape (at least 1-D); the result has the same shape and sums to 1 along ``axis``.
    """
    x = as_float_array("softmax", "x", x, min_ndim=1)
    axis = _check_axis("softmax", x, axis)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@np.errstate(under="ignore")
def log_softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    r""":math:`\log \mathrm{softmax}(x)_i = (x_i - m) - \log \sum_j e^{x_j - m}` (the log-sum-exp trick).

    Never ``log(0)``: the sum contains :math:`e^0 = 1`. ``x``: any shape; the result has the same shape.
    """
    x = as_float_array("log_softmax", "x", x, min_ndim=1)
    axis = _check_axis("log_softmax", x, axis)
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def _scores_and_labels(fn: str, scores, y) -> tuple[np.ndarray, np.ndarray]:
    scores = as_float_array(fn, "scores", scores, ndim=2)
    if scores.shape[0] == 0:
        raise ValueError(f"{fn}: scores must hold at least one sample, got shape {scores.shape}")
    return scores, check_labels(fn, y, *scores.shape)


@np.errstate(under="ignore")
def softmax_cross_entropy(scores: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    r"""Mean cross-entropy of the softmax of ``scores``, as ``torch.nn.functional.cross_entropy``.

    .. math:: L = -\frac{1}{N}\sum_n \log \mathrm{softmax}(s_n)_{y_n}, \qquad
              \frac{\partial L}{\partial s_n} = \frac{1}{N}\big(\mathrm{softmax}(s_n) - \mathrm{onehot}(y_n)\big)

    Parameters
    ----------
    scores : (N, C) array of unnormalised log-probabilities (logits)
    y : (N,) integer array of class indices in [0, C)

    Returns
    -------
    loss : float
    dscores : (N, C) array
    """
    scores, y = _scores_and_labels("softmax_cross_entropy", scores, y)
    n = scores.shape[0]
    logp = log_softmax(scores, axis=1)
    loss = -logp[np.arange(n), y].mean()
    dscores = np.exp(logp)
    dscores[np.arange(n), y] -= 1.0
    return float(loss), dscores / n


def svm_loss(scores: np.ndarray, y: np.ndarray, margin: float = 1.0) -> tuple[float, np.ndarray]:
    r"""Multiclass hinge loss (Weston-Watkins / CS231n): sum over the wrong classes, mean over the batch.

    .. math:: L = \frac{1}{N}\sum_n \sum_{j \ne y_n} \max(0,\ s_{nj} - s_{n y_n} + \Delta)

    ``torch.nn.functional.multi_margin_loss`` is the same sum divided by C as well.

    Parameters
    ----------
    scores : (N, C) array
    y : (N,) integer array of class indices in [0, C)
    margin : float, :math:`\Delta`

    Returns
    -------
    loss : float
    dscores : (N, C) array: +1/N for every violating wrong class, -(number of violators)/N for the true class
    """
    margin = check_real("svm_loss", "margin", margin)
    scores, y = _scores_and_labels("svm_loss", scores, y)
    n, rows = scores.shape[0], np.arange(scores.shape[0])
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + margin)
    margins[rows, y] = 0.0  # the true class is not a violation of itself
    violated = (margins > 0).astype(np.float64)
    violated[rows, y] = -violated.sum(axis=1)
    return float(margins.sum() / n), violated / n


def mse_loss(pred: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
    r"""Mean squared error over all elements, as ``torch.nn.functional.mse_loss``.

    .. math:: L = \frac{1}{S}\sum_i (p_i - t_i)^2, \qquad \frac{\partial L}{\partial p} = \frac{2}{S}(p - t)

    ``pred`` and ``target``: the same shape (any), with S elements. Returns ``(loss, dpred)``.
    """
    pred = as_float_array("mse_loss", "pred", pred, min_ndim=1)
    target = as_float_array("mse_loss", "target", target)
    check_shape("mse_loss", "target", target, pred.shape, hint="the shape of pred; no broadcasting")
    diff = pred - target
    return float(np.mean(diff**2)), 2.0 * diff / diff.size


# torch clamps each log term at -100 and the gradient's denominator at 1e-12, a C++ float constant
# (so 1e-12 rounded to float32); we use the same numbers, so even clipped gradients agree with torch.
_LOG_FLOOR = np.exp(-100.0)
_GRAD_EPS = float(np.float32(1e-12))


@np.errstate(under="ignore")
def binary_cross_entropy(prob: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
    r"""Mean binary cross-entropy of probabilities, as ``torch.nn.functional.binary_cross_entropy``.

    .. math:: L = -\frac{1}{S}\sum_i t_i \log p_i + (1 - t_i)\log(1 - p_i), \qquad
              \frac{\partial L}{\partial p_i} = \frac{1}{S}\,\frac{p_i - t_i}{p_i (1 - p_i)}

    Clipping, as torch: each log is taken of at least :math:`e^{-100}` (so ``log(0)`` never happens and a
    term is at most 100) and the gradient's denominator is at least :math:`10^{-12}`.

    Parameters
    ----------
    prob : array of probabilities in [0, 1], any shape with S elements
    target : array of prob's shape, usually 0/1 labels (soft targets in [0, 1] work too)

    Returns
    -------
    loss : float
    dprob : array of prob's shape
    """
    fn = "binary_cross_entropy"
    prob = as_float_array(fn, "prob", prob, min_ndim=1)
    target = as_float_array(fn, "target", target)
    check_shape(fn, "target", target, prob.shape, hint="the shape of prob; no broadcasting")
    if prob.size and (prob.min() < 0 or prob.max() > 1):
        raise ValueError(f"{fn}: prob must hold probabilities in [0, 1], got values in [{prob.min()}, {prob.max()}]")
    log_p = np.log(np.maximum(prob, _LOG_FLOOR))
    log_1mp = np.log(np.maximum(1.0 - prob, _LOG_FLOOR))
    loss = -np.mean(target * log_p + (1.0 - target) * log_1mp)
    dprob = (prob - target) / np.maximum(prob * (1.0 - prob), _GRAD_EPS)
    return float(loss), dprob / prob.size
