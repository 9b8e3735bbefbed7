"""coursekit.train: the training loop, evaluation, accuracy and early stopping."""

import json
import math

import numpy as np
import pytest

from coursekit import nn, optim
from coursekit.data import make_blobs, standardize, train_val_test_split
from coursekit.train import EarlyStopping, History, accuracy, evaluate, fit


@pytest.fixture(scope="module")
def blobs():
    X, y = make_blobs(60, centers=3, std=0.8, rng=0)
    train, val, test = train_val_test_split(X, y, 0.2, 0.2, rng=0)
    return train, val, test


def mlp(seed: int = 0, hidden: int = 16) -> nn.Module:
    rng = np.random.default_rng(seed)
    return nn.Sequential(nn.Linear(2, hidden, rng=rng), nn.ReLU(), nn.Linear(hidden, 3, rng=rng))


def params_of(model) -> list[np.ndarray]:
    return [p.data.copy() for p in model.parameters()]


# ----------------------------------------------------------------------------- accuracy


def test_accuracy_of_scores_uses_the_argmax():
    scores = np.array([[0.1, 2.0, 0.0], [3.0, 0.0, 1.0], [0.0, 0.0, 5.0], [1.0, 0.0, 0.0]])
    assert accuracy(scores, np.array([1, 0, 2, 2])) == 0.75


def test_accuracy_of_predicted_labels():
    assert accuracy(np.array([0, 1, 1, 0]), np.array([0, 1, 0, 0])) == 0.75


def test_accuracy_rejects_single_column_scores():
    with pytest.raises(ValueError, match=r"accuracy: .*\(N, K\) with K >= 2.*\(4, 1\)"):
        accuracy(np.zeros((4, 1)), np.zeros(4, dtype=int))


def test_accuracy_rejects_mismatched_labels():
    with pytest.raises(ValueError, match=r"accuracy: y must have shape \(3,\).*\(4,\)"):
        accuracy(np.zeros((3, 2)), np.zeros(4, dtype=int))


# ----------------------------------------------------------------------------- evaluate


def test_evaluate_matches_the_full_batch_loss_whatever_the_batch_size(blobs):
    (X, y), _, _ = blobs
    model, loss = mlp(), nn.CrossEntropyLoss()
    full = loss.forward(model.forward(X), y)
    for batch_size in (1, 7, 1000):
        value, acc = evaluate(model, loss, X, y, batch_size=batch_size)
        assert value == pytest.approx(full, rel=1e-12)
        assert acc == accuracy(model.forward(X), y)


def test_evaluate_runs_in_eval_mode_and_restores_the_mode(blobs):
    (X, y), _, _ = blobs
    rng = np.random.default_rng(0)
    model = nn.Sequential(nn.Linear(2, 8, rng=rng), nn.Dropout(0.5, rng=rng), nn.Linear(8, 3, rng=rng))
    loss = nn.CrossEntropyLoss()
    first, second = evaluate(model, loss, X, y), evaluate(model, loss, X, y)
    assert first == second  # dropout is off: evaluation is deterministic
    assert model.training
    model.eval()
    evaluate(model, loss, X, y)
    assert not model.training


def test_evaluate_gives_nan_accuracy_for_regression():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 2))
    value, acc = evaluate(nn.Linear(2, 1, rng=rng), nn.MSELoss(), X, X[:, :1] * 2.0)
    assert value > 0 and math.isnan(acc)


# ----------------------------------------------------------------------------- fit


def test_fit_trains_a_tiny_mlp_to_high_accuracy_on_blobs(blobs):
    train, val, test = blobs
    model = mlp()
    history = fit(
        model, nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1), train, val, epochs=30, batch_size=16,
        progress=False, seed=0,
    )  # fmt: skip
    assert history.val_acc[-1] >= 0.95
    assert evaluate(model, nn.CrossEntropyLoss(), *test)[1] >= 0.95
    assert history.train_loss[-1] < 0.5 * history.train_loss[0]


def test_history_has_one_entry_per_epoch(blobs):
    train, val, _ = blobs
    model = mlp()
    history = fit(
        model, nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.05), train, val, epochs=4, batch_size=32,
        progress=False, seed=0,
    )  # fmt: skip
    assert history.epochs == 4
    for key in ("train_loss", "train_acc", "val_loss", "val_acc", "lr"):
        assert len(getattr(history, key)) == 4
    assert history.best_epoch == int(np.argmin(history.val_loss))
    assert not history.stopped_early


def test_history_without_validation_has_empty_validation_lists(blobs):
    train, _, _ = blobs
    model = mlp()
    history = fit(
        model, nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.05), train, epochs=3, batch_size=32,
        progress=False, seed=0,
    )  # fmt: skip
    assert len(history.train_loss) == 3
    assert history.val_loss == [] and history.val_acc == [] and history.best_epoch is None


def test_history_to_dict_is_json_serialisable(blobs):
    train, val, _ = blobs
    model = mlp()
    history = fit(
        model, nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.05), train, val, epochs=2, batch_size=32,
        progress=False, seed=0,
    )  # fmt: skip
    d = json.loads(json.dumps(history.to_dict()))
    assert d["train_loss"] == history.train_loss and d["best_epoch"] == history.best_epoch
    assert History(**d) == history


def test_fit_train_loss_is_the_running_mean_of_the_batch_losses():
    class RecordingLoss(nn.CrossEntropyLoss):
        def forward(self, scores, y):
            value = super().forward(scores, y)
            self.seen.append((value, len(y)))
            return value

    X, y = make_blobs(10, centers=3, rng=1)
    loss = RecordingLoss()
    loss.seen = []
    model = mlp()
    history = fit(
        model, loss, optim.SGD(model.parameters(), lr=0.01), (X, y), epochs=1, batch_size=8, progress=False, seed=0
    )
    expected = sum(v * n for v, n in loss.seen) / sum(n for _, n in loss.seen)
    assert history.train_loss[0] == pytest.approx(expected, rel=1e-12)
    assert [n for _, n in loss.seen] == [8, 8, 8, 6]


def test_fit_is_deterministic_with_a_seed(blobs):
    train, val, _ = blobs
    runs = []
    for _ in range(2):
        model = mlp(seed=1)
        h = fit(
            model, nn.CrossEntropyLoss(), optim.Adam(model.parameters(), lr=0.01), train, val, epochs=3,
            batch_size=8, progress=False, seed=42,
        )  # fmt: skip
        runs.append((h, params_of(model)))
    assert runs[0][0] == runs[1][0]
    for a, b in zip(runs[0][1], runs[1][1], strict=True):
        np.testing.assert_array_equal(a, b)


def test_fit_batch_order_depends_on_the_seed(blobs):
    train, _, _ = blobs
    finals = []
    for seed in (1, 2):
        model = mlp()
        fit(
            model, nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1), train, epochs=1, batch_size=4,
            progress=False, seed=seed,
        )  # fmt: skip
        finals.append(params_of(model)[0])
    assert not np.array_equal(*finals)


def test_fit_steps_the_scheduler_once_per_epoch_and_records_each_epochs_rate(blobs):
    train, _, _ = blobs
    model = mlp()
    opt = optim.SGD(model.parameters(), lr=0.1)
    sched = optim.StepLR(opt, step_size=2, gamma=0.5)
    history = fit(
        model, nn.CrossEntropyLoss(), opt, train, epochs=5, batch_size=16, scheduler=sched, progress=False, seed=0
    )
    assert sched.last_epoch == 5
    assert history.lr == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025], rel=1e-15)


def test_fit_calls_the_training_step_in_order():
    calls = []

    class Spy:
        def __init__(self, name, ret=None):
            self.name, self.ret = name, ret

        def __getattr__(self, attr):
            def record(*args):
                calls.append(f"{self.name}.{attr}")
                return self.ret(*args) if self.ret else None

            return record

    model = Spy("model", lambda *a: np.zeros((len(a[0]), 2)) if a else None)
    loss = Spy("loss", lambda *a: 0.5 if a else np.zeros((2, 2)))
    opt, sched = Spy("opt"), Spy("sched")
    opt.lr = 0.1
    X, y = np.zeros((4, 3)), np.zeros(4, dtype=int)
    fit(model, loss, opt, (X, y), epochs=1, batch_size=2, scheduler=sched, progress=False, seed=0)
    step = ["opt.zero_grad", "model.forward", "loss.forward", "loss.backward", "model.backward", "opt.step"]
    assert calls == ["model.train", *step, *step, "sched.step"]


def test_fit_shows_a_progress_bar_only_when_asked(blobs, capsys):
    train, _, _ = blobs
    for progress in (False, True):
        model = mlp()
        fit(
            model, nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1), train, epochs=2, batch_size=32,
            progress=progress, seed=0,
        )  # fmt: skip
        err = capsys.readouterr().err
        assert ("epochs" in err) == progress


def test_fit_rejects_bad_arguments(blobs):
    train, _, _ = blobs
    model = mlp()
    opt, loss = optim.SGD(model.parameters(), lr=0.1), nn.CrossEntropyLoss()
    with pytest.raises(ValueError, match="fit: epochs must be an int >= 1"):
        fit(model, loss, opt, train, epochs=0, batch_size=8)
    with pytest.raises(ValueError, match="fit: early_stopping needs a validation set"):
        fit(model, loss, opt, train, epochs=1, batch_size=8, early_stopping=EarlyStopping(2))
    with pytest.raises(TypeError, match=r"fit: train must be an \(X, y\) pair"):
        fit(model, loss, opt, train[0], epochs=1, batch_size=8)


# ----------------------------------------------------------------------------- early stopping


def test_early_stopping_update_counts_epochs_without_improvement():
    es, model = EarlyStopping(patience=2, min_delta=0.1), mlp()
    assert not es.update(0, 1.0, model)
    assert not es.update(1, 0.95, model)  # within min_delta: not an improvement
    assert es.update(2, 0.5 + 0.6, model)
    assert (es.best_epoch, es.best_loss, es.stopped_epoch) == (0, 1.0, 2)


def overfitting_setup():
    """20 noisy training points, a wide net and a high rate: validation loss soon rises."""
    X, y = make_blobs(40, centers=3, std=2.5, rng=3)
    (Xtr, ytr), (Xva, yva), _ = train_val_test_split(X, y, 40, 60, rng=3)
    Xtr, Xva = standardize(Xtr, Xva)
    model = mlp(seed=3, hidden=128)
    return model, optim.Adam(model.parameters(), lr=0.05), (Xtr[:20], ytr[:20]), (Xva, yva)


def test_early_stopping_stops_and_restores_the_best_parameters():
    model, opt, train, val = overfitting_setup()
    es = EarlyStopping(patience=3)
    history = fit(
        model, nn.CrossEntropyLoss(), opt, train, val, epochs=200, batch_size=5, early_stopping=es,
        progress=False, seed=0,
    )  # fmt: skip
    assert history.stopped_early and history.epochs < 200
    assert history.best_epoch == es.best_epoch == history.epochs - 1 - 3
    assert history.val_loss[history.best_epoch] == min(history.val_loss)
    restored, _ = evaluate(model, nn.CrossEntropyLoss(), *val)
    assert restored == pytest.approx(min(history.val_loss), rel=1e-12)


def test_early_stopping_without_restore_keeps_the_last_parameters():
    model, opt, train, val = overfitting_setup()
    history = fit(
        model, nn.CrossEntropyLoss(), opt, train, val, epochs=200, batch_size=5,
        early_stopping=EarlyStopping(patience=3, restore_best=False), progress=False, seed=0,
    )  # fmt: skip
    last, _ = evaluate(model, nn.CrossEntropyLoss(), *val)
    assert last == pytest.approx(history.val_loss[-1], rel=1e-12)
    assert last > min(history.val_loss)


def test_early_stopping_restores_batchnorm_running_statistics():
    rng = np.random.default_rng(0)
    model = nn.Sequential(nn.Linear(2, 8, rng=rng), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3, rng=rng))
    es = EarlyStopping(patience=1)
    es.update(0, 1.0, model)
    best_mean = model[1].running_mean.copy()
    model.forward(rng.normal(5.0, 1.0, size=(16, 2)))  # training-mode forward moves the running mean
    assert not np.array_equal(model[1].running_mean, best_mean)
    es.restore(model)
    np.testing.assert_array_equal(model[1].running_mean, best_mean)


def test_fit_accepts_an_int_patience_as_early_stopping():
    model, opt, train, val = overfitting_setup()
    history = fit(
        model, nn.CrossEntropyLoss(), opt, train, val, epochs=200, batch_size=5, early_stopping=3,
        progress=False, seed=0,
    )  # fmt: skip
    assert history.stopped_early and history.epochs < 200
    assert history.epochs - 1 - history.best_epoch == 3


def test_fit_rejects_an_early_stopping_that_is_neither_int_nor_object():
    model, opt, train, val = overfitting_setup()
    with pytest.raises(TypeError, match="early_stopping must be an int patience or an EarlyStopping"):
        fit(model, nn.CrossEntropyLoss(), opt, train, val, epochs=2, batch_size=5, early_stopping=2.5, progress=False)


def test_early_stopping_rejects_bad_patience():
    with pytest.raises(ValueError, match="EarlyStopping: patience must be an int >= 1"):
        EarlyStopping(patience=0)
