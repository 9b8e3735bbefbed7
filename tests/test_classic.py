"""coursekit.classic: threshold units, the perceptron and ADALINE behave as the lecture says."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from coursekit.classic import Adaline, Perceptron, PocketPerceptron, threshold_unit
from coursekit.data import load_iris, make_blobs, standardize

TRUTH_TABLE = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
AND = np.array([0, 0, 0, 1])
OR = np.array([0, 1, 1, 1])
XOR = np.array([0, 1, 1, 0])


@pytest.fixture(scope="module")
def iris_two_species():
    """Setosa (0) vs versicolor (1) on sepal length and petal length: linearly separable."""
    X, y = load_iris()
    keep = y < 2
    return X[keep][:, [0, 2]], y[keep]


# ----------------------------------------------------------------------------- threshold_unit


@pytest.mark.parametrize(
    ("w", "b", "table"),
    [([1.0, 1.0], -1.5, AND), ([1.0, 1.0], -0.5, OR)],
    ids=["AND", "OR"],
)
def test_threshold_unit_realises_the_lecture_gates(w, b, table):
    np.testing.assert_array_equal(threshold_unit(TRUTH_TABLE, np.array(w), b), table)


def test_threshold_unit_realises_not():
    np.testing.assert_array_equal(threshold_unit(np.array([[0.0], [1.0]]), np.array([-1.0]), 0.5), [1, 0])


def test_threshold_unit_single_sample_returns_an_int():
    out = threshold_unit(np.array([1.0, 1.0]), np.array([1.0, 1.0]), -1.5)
    assert out == 1 and isinstance(out, int)


def test_threshold_unit_is_strict_at_zero():
    assert threshold_unit(np.array([1.0]), np.array([1.0]), -1.0) == 0


@given(
    x=arrays(np.float64, (7, 3), elements=st.floats(-10, 10)),
    w=arrays(np.float64, (3,), elements=st.floats(-10, 10)),
    b=st.floats(-10, 10),
)
def test_threshold_unit_matches_the_definition(x, w, b):
    np.testing.assert_array_equal(threshold_unit(x, w, b), (x @ w + b > 0).astype(int))


def test_threshold_unit_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match=r"threshold_unit: x must have shape \(2,\) or \(N, 2\).*\(4, 3\)"):
        threshold_unit(np.zeros((4, 3)), np.zeros(2), 0.0)


# ----------------------------------------------------------------------------- Perceptron


@pytest.mark.parametrize("labels", [AND, OR], ids=["AND", "OR"])
def test_perceptron_learns_separable_gates(labels):
    p = Perceptron(epochs=50).fit(TRUTH_TABLE, labels)
    assert p.errors_[-1] == 0
    np.testing.assert_array_equal(p.predict(TRUTH_TABLE), labels)


def test_perceptron_converges_on_iris_setosa_vs_versicolor(iris_two_species):
    X, y = iris_two_species
    p = Perceptron(epochs=50, seed=0).fit(X, y)
    assert p.errors_[-1] == 0
    assert len(p.errors_) == 50 and p.n_iter_ < 50
    np.testing.assert_array_equal(p.predict(X), y)


def test_perceptron_never_settles_on_xor():
    p = Perceptron(epochs=200, seed=0).fit(TRUTH_TABLE, XOR)
    assert len(p.errors_) == 200 and p.n_iter_ == 200
    assert min(p.errors_) > 0


def test_perceptron_records_one_entry_per_epoch_with_zeros_after_convergence():
    p = Perceptron(epochs=100).fit(TRUTH_TABLE, AND)
    assert len(p.errors_) == 100
    assert p.errors_[p.n_iter_ - 1 :] == [0] * (100 - p.n_iter_ + 1)
    assert all(e > 0 for e in p.errors_[: p.n_iter_ - 1])


def test_perceptron_one_update_follows_rosenblatts_rule():
    # One sample, one epoch: w <- w + lr (d - y) x with y = [0 > 0] = 0 at the zero start.
    p = Perceptron(lr=0.5, epochs=1).fit(np.array([[2.0, -1.0]]), np.array([1]))
    np.testing.assert_allclose(p.w_, [1.0, -0.5], rtol=0, atol=1e-15)
    assert p.b_ == 0.5
    assert p.errors_ == [1]


def test_perceptron_is_deterministic_with_a_seed(iris_two_species):
    X, y = iris_two_species
    a, b = Perceptron(seed=3).fit(X, y), Perceptron(seed=3).fit(X, y)
    np.testing.assert_array_equal(a.w_, b.w_)
    assert a.errors_ == b.errors_


def test_perceptron_without_seed_visits_samples_in_order(iris_two_species):
    X, y = iris_two_species
    a, b = Perceptron().fit(X, y), Perceptron().fit(X, y)
    np.testing.assert_array_equal(a.w_, b.w_)


def test_perceptron_fit_returns_self():
    p = Perceptron()
    assert p.fit(TRUTH_TABLE, AND) is p


@pytest.mark.parametrize("bad", [np.array([0, 1, 2, 1]), np.array([-1, 1, 1, -1])])
def test_perceptron_rejects_labels_that_are_not_zero_one(bad):
    with pytest.raises(ValueError, match="Perceptron.fit: y must hold 0/1 labels"):
        Perceptron().fit(TRUTH_TABLE, bad)


def test_perceptron_rejects_mismatched_label_count():
    with pytest.raises(ValueError, match=r"Perceptron.fit: y must have shape \(4,\).*\(3,\)"):
        Perceptron().fit(TRUTH_TABLE, np.array([0, 1, 1]))


def test_perceptron_rejects_one_dimensional_x():
    with pytest.raises(ValueError, match=r"Perceptron.fit: X must have shape \(N, D\)"):
        Perceptron().fit(np.zeros(4), AND)


def test_perceptron_predict_before_fit_is_an_error():
    with pytest.raises(RuntimeError, match="call fit"):
        Perceptron().predict(TRUTH_TABLE)


def test_perceptron_predict_checks_the_feature_count():
    p = Perceptron().fit(TRUTH_TABLE, AND)
    with pytest.raises(ValueError, match="X must have 2 features"):
        p.predict(np.zeros((3, 5)))


@pytest.mark.parametrize(("lr", "epochs"), [(0.0, 10), (-1.0, 10), (1.0, 0), (1.0, 2.5)])
def test_perceptron_rejects_bad_hyperparameters(lr, epochs):
    with pytest.raises(ValueError, match="Perceptron"):
        Perceptron(lr=lr, epochs=epochs)


# ----------------------------------------------------------------------------- Adaline


def test_adaline_one_epoch_is_the_widrow_hoff_batch_rule():
    X = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]])
    d = np.array([1, 0, 1])
    a = Adaline(lr=0.1, epochs=1).fit(X, d)
    # From w = 0, b = 0 the output is 0, so the residual is d itself.
    np.testing.assert_allclose(a.w_, 0.1 * X.T @ d, rtol=0, atol=1e-15)
    assert a.b_ == pytest.approx(0.1 * d.sum(), abs=1e-15)
    assert a.cost_ == [pytest.approx(0.5 * d @ d, abs=1e-15)]


def test_adaline_cost_decreases_monotonically_for_a_small_rate(iris_two_species):
    X, y = iris_two_species
    cost = np.array(Adaline(lr=1e-4, epochs=100).fit(X, y).cost_)
    assert np.all(np.diff(cost) < 0)


def test_adaline_diverges_for_a_large_rate(iris_two_species):
    X, y = iris_two_species
    cost = np.array(Adaline(lr=1e-2, epochs=20).fit(X, y).cost_)
    assert np.all(np.diff(cost) > 0)
    assert cost[-1] > 1e6 * cost[0]


def test_adaline_divergence_does_not_warn_or_crash(iris_two_species):
    X, y = iris_two_species
    with np.errstate(all="raise"):
        a = Adaline(lr=1.0, epochs=500).fit(X, y)
    assert len(a.cost_) == 500


def test_standardising_speeds_adaline_up(iris_two_species):
    X, y = iris_two_species
    (Z,) = standardize(X)
    rates = [1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2]

    def best_final_cost(data):
        finals = [Adaline(lr=lr, epochs=15).fit(data, y).cost_[-1] for lr in rates]
        return min(c for c in finals if np.isfinite(c))

    assert best_final_cost(Z) < 0.5 * best_final_cost(X)


def test_adaline_classifies_separable_standardised_iris(iris_two_species):
    X, y = iris_two_species
    (Z,) = standardize(X)
    a = Adaline(lr=0.005, epochs=50).fit(Z, y)
    np.testing.assert_array_equal(a.predict(Z), y)


def test_adaline_predict_thresholds_the_linear_output_at_one_half():
    a = Adaline().fit(TRUTH_TABLE, AND)
    a.w_, a.b_ = np.array([1.0, 0.0]), 0.0
    np.testing.assert_array_equal(a.predict(np.array([[0.49, 0.0], [0.51, 0.0]])), [0, 1])


def test_adaline_seed_sets_small_random_initial_weights():
    X, y = make_blobs(20, centers=2, rng=0)
    a, b = Adaline(epochs=1, seed=1).fit(X, y), Adaline(epochs=1, seed=1).fit(X, y)
    np.testing.assert_array_equal(a.w_, b.w_)
    assert not np.array_equal(a.w_, Adaline(epochs=1).fit(X, y).w_)


def test_adaline_rejects_labels_that_are_not_zero_one():
    with pytest.raises(ValueError, match="Adaline.fit: y must hold 0/1 labels"):
        Adaline().fit(TRUTH_TABLE, np.array([0.0, 0.5, 1.0, 1.0]))


# ----------------------------------------------------------------------------- PocketPerceptron


def _mistakes(X, y, w, b):
    return int(np.sum((X @ w + b > 0).astype(int) != y))


def test_pocket_ends_with_the_converged_weights_on_separable_data(iris_two_species):
    X, y = iris_two_species
    pocket, plain = PocketPerceptron(epochs=50).fit(X, y), Perceptron(epochs=50).fit(X, y)
    np.testing.assert_array_equal(pocket.w_, plain.w_)
    assert pocket.b_ == plain.b_ and pocket.pocket_errors_ == 0


def test_pocket_keeps_the_zero_start_on_the_xor_corners():
    # Every weight vector the perceptron visits on XOR makes at least 2 mistakes, as many as the zero start.
    p = PocketPerceptron(epochs=50).fit(TRUTH_TABLE, XOR)
    np.testing.assert_array_equal(p.w_, [0.0, 0.0])
    assert p.b_ == 0.0 and p.pocket_errors_ == 2


@pytest.mark.parametrize("seed", [None, 0, 1])
def test_pocket_running_weights_are_the_plain_perceptrons(seed):
    X, y = make_blobs(30, centers=np.array([[0.0, 0.0], [1.5, 1.5]]), rng=2)
    pocket, plain = PocketPerceptron(epochs=20, seed=seed).fit(X, y), Perceptron(epochs=20, seed=seed).fit(X, y)
    np.testing.assert_array_equal(pocket.last_w_, plain.w_)
    assert pocket.last_b_ == plain.b_
    assert pocket.errors_ == plain.errors_ and pocket.n_iter_ == plain.n_iter_


@pytest.mark.parametrize("seed", [None, 0, 1])
def test_pocket_is_never_worse_than_the_last_weights_and_counts_its_own_mistakes(seed):
    X, y = make_blobs(30, centers=np.array([[0.0, 0.0], [1.5, 1.5]]), rng=2)
    p = PocketPerceptron(epochs=20, seed=seed).fit(X, y)
    assert p.pocket_errors_ == _mistakes(X, y, p.w_, p.b_) == int(np.sum(p.predict(X) != y))
    assert p.pocket_errors_ <= _mistakes(X, y, p.last_w_, p.last_b_)
    assert p.pocket_errors_ <= _mistakes(X, y, np.zeros(2), 0.0)


def test_pocket_is_the_first_of_the_weights_with_the_fewest_mistakes():
    """A brute-force replay of the rule: evaluate every visited weight vector, keep the first strict minimum."""
    X, y = make_blobs(20, centers=np.array([[0.0, 0.0], [1.0, 1.0]]), rng=5)
    w, b, visited = np.zeros(2), 0.0, [(np.zeros(2), 0.0)]
    for _ in range(15):
        for x_j, d_j in zip(X, y, strict=True):
            step = d_j - int(x_j @ w + b > 0)
            if step:
                w, b = w + step * x_j, b + step
                visited.append((w, b))
    counts = [_mistakes(X, y, *wb) for wb in visited]
    first_best = visited[int(np.argmin(counts))]  # argmin returns the first of equal minima
    p = PocketPerceptron(epochs=15).fit(X, y)
    np.testing.assert_array_equal(p.w_, first_best[0])
    assert p.b_ == first_best[1] and p.pocket_errors_ == min(counts)


def test_pocket_returns_a_copy_of_its_weights():
    X, y = make_blobs(20, centers=np.array([[0.0, 0.0], [1.0, 1.0]]), rng=5)
    p = PocketPerceptron(epochs=15).fit(X, y)
    assert p.w_ is not p.last_w_


def test_pocket_fit_returns_self_and_rejects_bad_labels():
    p = PocketPerceptron()
    assert p.fit(TRUTH_TABLE, AND) is p
    with pytest.raises(ValueError, match="PocketPerceptron.fit: y must hold 0/1 labels"):
        p.fit(TRUTH_TABLE, np.array([0, 1, 2, 1]))
