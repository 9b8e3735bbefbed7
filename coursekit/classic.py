r"""The first neurons: threshold logic units, Rosenblatt's perceptron, Widrow-Hoff ADALINE.

All three compute the same *net input* :math:`z = w \cdot x + b`; they differ in what they do with it.

* A **threshold unit** outputs :math:`[z > 0] \in \{0, 1\}`.
* The **perceptron** (Rosenblatt, ~1957) learns online from its *thresholded* output:
  :math:`w_i \leftarrow w_i + \alpha (d_j - y_j) x_{j,i}`, one sample :math:`j` at a time.
* The **pocket perceptron** (Gallant, 1990) runs the same online rule and keeps "in its pocket" the
  weights with the fewest training mistakes seen so far: useful weights on data that are not separable.
* **ADALINE** (Widrow and Hoff, ~1960) learns in batch from its *linear* output
  :math:`y = w \cdot x + b` by gradient descent on :math:`\tfrac12 \sum_j (d_j - y_j)^2`.

The classifiers follow scikit-learn's shape: ``fit(X, y) -> self``, ``predict(X)``, learned
attributes with a trailing underscore (``w_``, ``b_``, ``errors_``, ``cost_``). Labels are 0/1.
"""

from __future__ import annotations

import numpy as np

__all__ = ["threshold_unit", "Perceptron", "PocketPerceptron", "Adaline"]


def _check_x(x: np.ndarray, func: str, name: str = "X") -> np.ndarray:
    x = np.asarray(x)
    if x.ndim != 2:
        raise ValueError(f"{func}: {name} must have shape (N, D), got shape {x.shape}")
    if x.shape[0] == 0:
        raise ValueError(f"{func}: {name} must hold at least one sample, got shape {x.shape}")
    if not (np.issubdtype(x.dtype, np.number) or x.dtype == bool):
        raise TypeError(f"{func}: {name} must be numeric, got dtype {x.dtype}")
    return x.astype(np.float64)


def _check_labels(y: np.ndarray, n: int, func: str) -> np.ndarray:
    y = np.asarray(y)
    if y.shape != (n,):
        raise ValueError(f"{func}: y must have shape ({n},) to match X, got shape {y.shape}")
    if not np.all((y == 0) | (y == 1)):
        bad = np.unique(y[(y != 0) & (y != 1)])[:5]
        raise ValueError(f"{func}: y must hold 0/1 labels, got values such as {bad.tolist()}")
    return y.astype(np.int64)


def _check_params(func: str, lr: float, epochs: int) -> None:
    if not lr > 0:
        raise ValueError(f"{func}: lr must be > 0, got {lr}")
    if isinstance(epochs, bool) or not isinstance(epochs, int | np.integer) or epochs < 1:
        raise ValueError(f"{func}: epochs must be a positive int, got {epochs!r}")


def threshold_unit(x: np.ndarray, w: np.ndarray, b: float) -> np.ndarray | int:
    r"""McCulloch-Pitts style threshold unit :math:`[w \cdot x + b > 0]`.

    Parameters
    ----------
    x : (D,) or (N, D) array
        One input or a batch of inputs.
    w : (D,) array
        Weights.
    b : float
        Bias (minus the threshold).

    Returns
    -------
    out : int (for ``x`` of shape ``(D,)``) or (N,) int64 array of 0/1

    Examples
    --------
    AND is ``x1 + x2 - 1.5 > 0``:

    >>> threshold_unit(np.array([[0, 0], [1, 1]]), np.array([1.0, 1.0]), -1.5)
    array([0, 1])
    """
    w = np.asarray(w, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    if w.ndim != 1:
        raise ValueError(f"threshold_unit: w must have shape (D,), got shape {w.shape}")
    if x.ndim not in (1, 2) or x.shape[-1] != w.shape[0]:
        raise ValueError(
            f"threshold_unit: x must have shape ({w.shape[0]},) or (N, {w.shape[0]}) to match w, got shape {x.shape}"
        )
    if np.ndim(b) != 0:
        raise ValueError(f"threshold_unit: b must be a scalar, got shape {np.shape(b)}")
    out = (x @ w + float(b) > 0).astype(np.int64)
    return int(out) if x.ndim == 1 else out


class _LinearUnit:
    """Shared parts: weight storage, net input, input checks."""

    w_: np.ndarray
    b_: float

    def net_input(self, X: np.ndarray) -> np.ndarray:
        r"""Net input :math:`z = X w + b`. ``X`` : (N, D) -> (N,) float64."""
        name = type(self).__name__
        if not hasattr(self, "w_"):
            raise RuntimeError(f"{name}.net_input: call fit(X, y) before predicting")
        X = _check_x(X, f"{name}.net_input")
        if X.shape[1] != self.w_.shape[0]:
            raise ValueError(
                f"{name}.net_input: X must have {self.w_.shape[0]} features (it was fitted on that many), "
                f"got shape {X.shape}"
            )
        return X @ self.w_ + self.b_

    def _order(self, n: int, rng: np.random.Generator | None) -> np.ndarray:
        return np.arange(n) if rng is None else rng.permutation(n)


class Perceptron(_LinearUnit):
    r"""Rosenblatt's perceptron with the online rule :math:`w_i \leftarrow w_i + \alpha (d - y) x_i`.

    Parameters
    ----------
    lr : float
        Learning rate :math:`\alpha` (> 0). With zero initial weights any ``lr`` gives the same
        decisions, only scaled weights; it matters once the weights start elsewhere.
    epochs : int
        Maximum number of passes over the data.
    seed : int, numpy.random.Generator or None
        Shuffles the sample order at every epoch. ``None`` visits the samples in the given order
        every epoch (fully deterministic, as in the lecture's hand-worked examples).

    Attributes
    ----------
    w_ : (D,) float64
        Weights, starting at zero.
    b_ : float
        Bias, starting at zero.
    errors_ : list of int
        Number of updates (misclassified samples) in each epoch, one entry per epoch:
        ``len(errors_) == epochs``. After the first epoch with zero errors nothing can change, so
        the loop stops updating and the remaining epochs record 0 mistakes.
    n_iter_ : int
        Epochs actually run: the first clean epoch when training converged, else ``epochs``.
    """

    def __init__(self, lr: float = 1.0, epochs: int = 10, seed: int | np.random.Generator | None = None):
        _check_params("Perceptron", lr, epochs)
        self.lr = lr
        self.epochs = epochs
        self.seed = seed

    def fit(self, X: np.ndarray, y: np.ndarray) -> Perceptron:
        """Learn ``w_`` and ``b_`` from ``X`` : (N, D) and 0/1 labels ``y`` : (N,). Returns ``self``."""
        X = _check_x(X, "Perceptron.fit")
        d = _check_labels(y, X.shape[0], "Perceptron.fit")
        rng = None if self.seed is None else np.random.default_rng(self.seed)
        self.w_, self.b_, self.errors_ = np.zeros(X.shape[1]), 0.0, []
        for _ in range(self.epochs):
            errors = 0
            for j in self._order(X.shape[0], rng):
                update = self.lr * (d[j] - int(X[j] @ self.w_ + self.b_ > 0))
                self.w_ += update * X[j]
                self.b_ += update
                errors += int(update != 0)
            self.errors_.append(errors)
            if errors == 0:  # a clean epoch changes nothing, so every later epoch would be the same
                break
        self.n_iter_ = len(self.errors_)
        self.errors_ += [0] * (self.epochs - self.n_iter_)
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        """0/1 predictions :math:`[Xw + b > 0]` : (N,) int64."""
        return (self.net_input(X) > 0).astype(np.int64)


class PocketPerceptron(Perceptron):
    r"""Gallant's pocket perceptron: the online perceptron that keeps the best weights it has seen.

    The running weights follow exactly :class:`Perceptron` (same ``lr``, ``epochs``, ``seed``, so the same
    visiting order and the same updates). Beside them a *pocket* holds the weights with the fewest training
    mistakes seen so far:

    * the pocket starts with the zero start ``w = 0, b = 0`` and its mistake count on the whole training set;
    * after every update (every misclassified visit) the new running weights are counted on the whole
      training set, :math:`\#\{j : [w \cdot x_j + b > 0] \ne d_j\}`, and replace the pocket only if they
      make *strictly* fewer mistakes (a tie keeps the older weights);
    * ``fit`` leaves the pocket in ``w_``, ``b_`` (what ``predict`` uses) and the last running weights in
      ``last_w_``, ``last_b_`` (the plain perceptron's answer).

    On separable data the pocket ends with the converged weights (0 mistakes). On data that are not
    separable the running weights never settle, and the pocket returns good weights instead of whatever
    the last update left.

    Attributes
    ----------
    w_ : (D,) float64
        Pocket weights.
    b_ : float
        Pocket bias.
    pocket_errors_ : int
        Training mistakes of ``w_``, ``b_``.
    last_w_ : (D,) float64
        Running weights after the last update (equal to ``Perceptron(lr, epochs, seed).fit(X, y).w_``).
    last_b_ : float
        Running bias after the last update.
    errors_, n_iter_
        As in :class:`Perceptron`, for the running weights.
    """

    def fit(self, X: np.ndarray, y: np.ndarray) -> PocketPerceptron:
        """Learn the pocket ``w_``, ``b_`` from ``X`` : (N, D) and 0/1 labels ``y`` : (N,). Returns ``self``."""
        X = _check_x(X, "PocketPerceptron.fit")
        d = _check_labels(y, X.shape[0], "PocketPerceptron.fit")
        rng = None if self.seed is None else np.random.default_rng(self.seed)
        w, b = np.zeros(X.shape[1]), 0.0
        self.w_, self.b_, self.pocket_errors_ = w.copy(), b, _mistakes(X, d, w, b)
        self.errors_ = []
        for _ in range(self.epochs):
            errors = 0
            for j in self._order(X.shape[0], rng):
                update = self.lr * (d[j] - int(X[j] @ w + b > 0))
                if update == 0:
                    continue
                w, b, errors = w + update * X[j], b + update, errors + 1
                mistakes = _mistakes(X, d, w, b)
                if mistakes < self.pocket_errors_:  # strictly fewer: a tie keeps the older pocket
                    self.w_, self.b_, self.pocket_errors_ = w.copy(), float(b), mistakes
            self.errors_.append(errors)
            if errors == 0:  # a clean epoch changes nothing, as in Perceptron
                break
        self.n_iter_ = len(self.errors_)
        self.errors_ += [0] * (self.epochs - self.n_iter_)
        self.last_w_, self.last_b_ = w, float(b)
        return self


def _mistakes(X: np.ndarray, d: np.ndarray, w: np.ndarray, b: float) -> int:
    """Training mistakes of the threshold unit ``[Xw + b > 0]`` against the 0/1 labels ``d``."""
    return int(np.sum((X @ w + b > 0).astype(np.int64) != d))


class Adaline(_LinearUnit):
    r"""Widrow-Hoff ADALINE trained by full-batch gradient descent on :math:`\tfrac12 \sum (d - y)^2`.

    With the linear output :math:`y_j = w \cdot x_j + b`, one epoch is one step

    .. math::  w \leftarrow w + \mu \sum_j (d_j - y_j)\, x_j, \qquad b \leftarrow b + \mu \sum_j (d_j - y_j).

    The sum (not the mean) is the lecture's rule, so a safe ``lr`` shrinks as N grows.

    Parameters
    ----------
    lr : float
        Learning rate :math:`\mu` (> 0). Too large and the cost grows every epoch (divergence).
    epochs : int
        Number of batch steps (always all of them: there is no early stop).
    seed : int, numpy.random.Generator or None
        Initial weights are drawn from :math:`\mathcal N(0, 0.01^2)` with this seed; ``None`` starts
        at zero. (The batch update does not depend on the sample order.)

    Attributes
    ----------
    w_ : (D,) float64
    b_ : float
    cost_ : list of float
        :math:`\tfrac12 \sum_j (d_j - y_j)^2` computed *before* each epoch's update, one entry per epoch.

    Notes
    -----
    The targets are the 0/1 labels themselves, so the linear output aims at 0 or 1 and ``predict``
    thresholds it halfway, at 0.5 (not at 0, which is the right cut for -1/+1 targets).
    """

    def __init__(self, lr: float = 0.01, epochs: int = 50, seed: int | np.random.Generator | None = None):
        _check_params("Adaline", lr, epochs)
        self.lr = lr
        self.epochs = epochs
        self.seed = seed

    def fit(self, X: np.ndarray, y: np.ndarray) -> Adaline:
        """Learn ``w_`` and ``b_`` from ``X`` : (N, D) and 0/1 labels ``y`` : (N,). Returns ``self``."""
        X = _check_x(X, "Adaline.fit")
        d = _check_labels(y, X.shape[0], "Adaline.fit").astype(np.float64)
        if self.seed is None:
            self.w_, self.b_ = np.zeros(X.shape[1]), 0.0
        else:
            self.w_, self.b_ = 0.01 * np.random.default_rng(self.seed).standard_normal(X.shape[1]), 0.0
        self.cost_ = []
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is a lesson, not a crash
            for _ in range(self.epochs):
                residual = d - (X @ self.w_ + self.b_)
                self.cost_.append(float(0.5 * residual @ residual))
                self.w_ = self.w_ + self.lr * (X.T @ residual)
                self.b_ = float(self.b_ + self.lr * residual.sum())
        return self

    def activation(self, X: np.ndarray) -> np.ndarray:
        """Linear output :math:`y = Xw + b` (identity activation) : (N,) float64."""
        return self.net_input(X)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """0/1 predictions :math:`[Xw + b > 0.5]` : (N,) int64 (see Notes)."""
        return (self.net_input(X) > 0.5).astype(np.int64)
