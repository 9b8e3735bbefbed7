"""A small, readable training loop: ``fit``, ``evaluate``, ``accuracy``, ``EarlyStopping``, ``History``.

The loop is duck-typed against ``coursekit.nn`` and ``coursekit.optim``:

* ``model``: ``forward(x) -> scores``, ``backward(dscores)``, ``parameters()`` (objects with ``.data``),
  ``train()``, ``eval()`` and a ``training`` flag;
* ``loss``: ``forward(scores, y) -> float`` (the batch mean) and ``backward() -> dscores``;
* ``optimizer``: ``zero_grad()``, ``step()`` and a readable ``lr``;
* ``scheduler`` (optional): ``step()``, called once at the end of every epoch.

One mini-batch step is the five lines every framework shares::

    optimizer.zero_grad()
    scores = model.forward(x_batch)
    batch_loss = loss.forward(scores, y_batch)
    model.backward(loss.backward())
    optimizer.step()
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

import numpy as np

from coursekit.data import _check_xy, iterate_minibatches

__all__ = ["History", "EarlyStopping", "fit", "evaluate", "accuracy"]


def accuracy(scores_or_pred: np.ndarray, y: np.ndarray) -> float:
    """Fraction of correct predictions.

    Parameters
    ----------
    scores_or_pred : (N, K) scores (K >= 2; the prediction is the arg-max over axis 1) or (N,) labels
    y : (N,) integer labels

    Returns
    -------
    float in [0, 1]
    """
    s, y = np.asarray(scores_or_pred), np.asarray(y)
    if s.ndim == 2 and s.shape[1] >= 2:
        s = s.argmax(axis=1)
    elif s.ndim != 1:
        raise ValueError(
            f"accuracy: scores_or_pred must have shape (N, K) with K >= 2 or (N,) predicted labels, got shape "
            f"{s.shape} (threshold one-column scores yourself)"
        )
    if y.shape != s.shape:
        raise ValueError(f"accuracy: y must have shape {s.shape} to match the predictions, got shape {y.shape}")
    if y.size == 0:
        raise ValueError("accuracy: y is empty; accuracy of zero samples is undefined")
    return float(np.mean(s == y))


def _batch_accuracy(scores: np.ndarray, y: np.ndarray) -> float:
    """Accuracy when it means something (integer labels, (N, K >= 2) scores), NaN otherwise (regression)."""
    if np.issubdtype(np.asarray(y).dtype, np.integer) and np.ndim(scores) == 2 and np.shape(scores)[1] >= 2:
        return accuracy(scores, y)
    return math.nan


def evaluate(model: Any, loss: Any, X: np.ndarray, y: np.ndarray, batch_size: int = 256) -> tuple[float, float]:
    """Mean loss and accuracy of ``model`` on ``(X, y)`` in evaluation mode.

    The model is switched to ``eval()`` (dropout off, batch norm on its running statistics) and
    put back in the mode it was in. Batches are only for memory: the result is the mean over
    all N samples, whatever ``batch_size`` is.

    Parameters
    ----------
    X : (N, ...) inputs, y : (N, ...) targets

    Returns
    -------
    (loss, accuracy) : two floats; accuracy is NaN when ``y`` is not integer class labels.
    """
    X, y = _check_xy(X, y, "evaluate")
    was_training = getattr(model, "training", True)
    model.eval()
    try:
        total, correct = 0.0, 0.0
        for xb, yb in iterate_minibatches(X, y, batch_size, shuffle=False):
            scores = model.forward(xb)
            total += float(loss.forward(scores, yb)) * len(yb)
            correct += _batch_accuracy(scores, yb) * len(yb)
    finally:
        model.train(was_training)
    return total / len(y), correct / len(y)


class _Snapshot(NamedTuple):
    """Copies of a model's parameter arrays and of its modules' array buffers (batch-norm running stats)."""

    params: list[np.ndarray]
    buffers: list[tuple[Any, str, np.ndarray]]


def _modules(model: Any) -> list[Any]:
    found = [model]
    for child in getattr(model, "children", lambda: [])():
        found.extend(_modules(child))
    return found


def _snapshot(model: Any) -> _Snapshot:
    params = [np.array(p.data, copy=True) for p in model.parameters()]
    buffers = [
        (m, name, value.copy())
        for m in _modules(model)
        for name, value in vars(m).items()
        if isinstance(value, np.ndarray)
    ]
    return _Snapshot(params, buffers)


def _restore(model: Any, snap: _Snapshot) -> None:
    # In place, so the optimizer (which holds the same Parameter objects and arrays) keeps working.
    for p, saved in zip(model.parameters(), snap.params, strict=True):
        p.data[...] = saved
    for module, name, saved in snap.buffers:
        setattr(module, name, saved.copy())


class EarlyStopping:
    """Stop when the validation loss has not improved for ``patience`` epochs; keep the best weights.

    An epoch *improves* when ``val_loss < best_loss - min_delta``. After ``patience`` epochs in a row
    without improvement, ``update`` returns True and ``fit`` stops. With ``restore_best`` the model
    ends ``fit`` with the parameters (and batch-norm running statistics) of its best epoch, whether
    training stopped early or ran out of epochs.

    Attributes
    ----------
    best_loss : float, best_epoch : int or None (0-based), wait : int (epochs since the best),
    stopped_epoch : int or None (0-based epoch after which training stopped)
    """

    def __init__(self, patience: int = 5, min_delta: float = 0.0, restore_best: bool = True) -> None:
        if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
            raise ValueError(f"EarlyStopping: patience must be an int >= 1, got {patience!r}")
        if not min_delta >= 0:
            raise ValueError(f"EarlyStopping: min_delta must be >= 0, got {min_delta}")
        self.patience, self.min_delta, self.restore_best = patience, float(min_delta), restore_best
        self.reset()

    def reset(self) -> None:
        """Forget everything (``fit`` calls this, so one object can serve several runs)."""
        self.best_loss, self.best_epoch, self.wait, self.stopped_epoch = math.inf, None, 0, None
        self._best: _Snapshot | None = None

    def update(self, epoch: int, val_loss: float, model: Any) -> bool:
        """Record one epoch's validation loss; return True when training should stop."""
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.wait = float(val_loss), epoch, 0
            if self.restore_best:
                self._best = _snapshot(model)
            return False
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            return True
        return False

    def restore(self, model: Any) -> None:
        """Copy the best epoch's parameters back into ``model`` (no-op before any improvement)."""
        if self._best is not None:
            _restore(model, self._best)


@dataclass
class History:
    """What ``fit`` measured, one entry per epoch run (epochs are 0-based).

    ``train_loss`` / ``train_acc`` are running means over the epoch's mini-batches, in training mode
    (as the weights changed; dropout on), the number Keras and most PyTorch loops print.
    ``val_loss`` / ``val_acc`` are measured after the epoch with ``evaluate`` (eval mode); they are
    empty lists when ``fit`` had no validation set. ``lr`` is the learning rate the epoch used.
    ``best_epoch`` is the epoch with the lowest validation loss (None without validation).
    Accuracies are NaN for non-classification targets.
    """

    train_loss: list[float] = field(default_factory=list)
    train_acc: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_acc: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    best_epoch: int | None = None
    stopped_early: bool = False

    @property
    def epochs(self) -> int:
        """Number of epochs run."""
        return len(self.train_loss)

    def to_dict(self) -> dict[str, Any]:
        """Plain ``dict`` of lists (JSON-serialisable), for saving or for ``plot.plot_history``."""
        return asdict(self)


def _train_epoch(model, loss, optimizer, X, y, batch_size, rng) -> tuple[float, float]:
    model.train()
    total, correct = 0.0, 0.0
    for xb, yb in iterate_minibatches(X, y, batch_size, shuffle=True, rng=rng):
        optimizer.zero_grad()
        scores = model.forward(xb)
        total += float(loss.forward(scores, yb)) * len(yb)
        model.backward(loss.backward())
        optimizer.step()
        correct += _batch_accuracy(scores, yb) * len(yb)
    return total / len(y), correct / len(y)


def _check_fit_args(train, val, epochs, batch_size, early_stopping) -> None:
    for name, pair in (("train", train), ("val", val)):
        if pair is not None and (not isinstance(pair, tuple | list) or len(pair) != 2):
            raise TypeError(f"fit: {name} must be an (X, y) pair, got {type(pair).__name__}")
    for name, value in (("epochs", epochs), ("batch_size", batch_size)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
            raise ValueError(f"fit: {name} must be an int >= 1, got {value!r}")
    if early_stopping is not None and val is None:
        raise ValueError("fit: early_stopping needs a validation set (val=(X_val, y_val))")


def _as_early_stopping(early_stopping: EarlyStopping | int | None) -> EarlyStopping | None:
    """DESIGN.md: ``early_stopping`` is an int patience or an ``EarlyStopping`` object."""
    if early_stopping is None or isinstance(early_stopping, EarlyStopping):
        return early_stopping
    if isinstance(early_stopping, bool) or not isinstance(early_stopping, int | np.integer):
        raise TypeError(
            f"fit: early_stopping must be an int patience or an EarlyStopping, got {type(early_stopping).__name__}"
        )
    return EarlyStopping(patience=int(early_stopping))


def fit(
    model: Any,
    loss: Any,
    optimizer: Any,
    train: tuple[np.ndarray, np.ndarray],
    val: tuple[np.ndarray, np.ndarray] | None = None,
    *,
    epochs: int,
    batch_size: int,
    scheduler: Any = None,
    early_stopping: EarlyStopping | int | None = None,
    progress: bool = True,
    seed: int | np.random.Generator | None = None,
) -> History:
    """Train ``model`` with mini-batch gradient descent and return its :class:`History`.

    Each epoch: shuffle ``train`` (one fresh order per epoch from ``seed``), run the five-line step on
    every mini-batch (see the module docstring), evaluate on ``val``, call ``scheduler.step()``, and
    ask ``early_stopping`` whether to stop. ``seed`` fixes only the batch order; the model's own
    initialisation and dropout masks come from the ``rng`` it was built with.

    Parameters
    ----------
    train, val : (X, y) pairs, ``X`` : (N, ...), ``y`` : (N, ...)
    epochs : int (maximum), batch_size : int (the last batch of an epoch may be smaller)
    early_stopping : int, EarlyStopping or None
        An int is a patience: ``EarlyStopping(patience=early_stopping)`` (best weights restored).
    progress : bool
        A ``tqdm.auto`` bar over the epochs (a widget in Jupyter) showing the latest losses.
    """
    _check_fit_args(train, val, epochs, batch_size, early_stopping)
    early_stopping = _as_early_stopping(early_stopping)
    X, y = _check_xy(*train, "fit")
    rng = np.random.default_rng(seed)
    history = History()
    if early_stopping is not None:
        early_stopping.reset()
    from tqdm.auto import tqdm

    with tqdm(range(epochs), desc="epochs", disable=not progress, leave=True) as bar:
        for epoch in bar:
            history.lr.append(float(getattr(optimizer, "lr", math.nan)))
            train_loss, train_acc = _train_epoch(model, loss, optimizer, X, y, batch_size, rng)
            history.train_loss.append(train_loss)
            history.train_acc.append(train_acc)
            if val is not None and _record_val(history, model, loss, val, batch_size, early_stopping, epoch):
                history.stopped_early = True
            bar.set_postfix(_postfix(history))
            if scheduler is not None:
                scheduler.step()
            if history.stopped_early:
                break
    if early_stopping is not None:
        history.best_epoch = early_stopping.best_epoch  # its min_delta decides what counted as best
        if early_stopping.restore_best:
            early_stopping.restore(model)
    return history


def _record_val(history, model, loss, val, batch_size, early_stopping, epoch) -> bool:
    """Evaluate on ``val``, append to ``history``; True when early stopping says stop."""
    val_loss, val_acc = evaluate(model, loss, val[0], val[1], batch_size=batch_size)
    history.val_loss.append(val_loss)
    history.val_acc.append(val_acc)
    finite = np.isfinite(history.val_loss)
    history.best_epoch = int(np.argmin(np.where(finite, history.val_loss, np.inf))) if finite.any() else None
    return early_stopping is not None and early_stopping.update(epoch, val_loss, model)


def _postfix(history: History) -> dict[str, str]:
    shown = {"loss": history.train_loss[-1], "acc": history.train_acc[-1]}
    if history.val_loss:
        shown |= {"val_loss": history.val_loss[-1], "val_acc": history.val_acc[-1]}
    return {key: f"{value:.4f}" for key, value in shown.items()}
