"""coursekit.data: offline datasets, synthetic sets, splitting, standardising, mini-batching."""

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coursekit import data
from coursekit.data import (
    iterate_minibatches,
    load_digits,
    load_iris,
    load_mnist1d,
    load_sample_photo,
    make_blobs,
    make_spirals,
    make_xor,
    standardize,
    train_val_test_split,
)

REPO = Path(__file__).resolve().parents[1]


# ----------------------------------------------------------------------------- real data


def test_load_digits_shapes_and_range():
    X, y = load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert X.min() == 0.0 and X.max() == 16.0
    assert y.shape == (1797,) and y.dtype == np.int64
    np.testing.assert_array_equal(np.unique(y), np.arange(10))


def test_load_iris_shapes_and_classes():
    X, y = load_iris()
    assert X.shape == (150, 4) and X.dtype == np.float64
    np.testing.assert_array_equal(np.bincount(y), [50, 50, 50])


@pytest.mark.parametrize("name", ["china", "flower", "china.jpg"])
def test_load_sample_photo_is_rgb_in_unit_range(name):
    image = load_sample_photo(name)
    assert image.shape == (427, 640, 3) and image.dtype == np.float64
    assert 0.0 <= image.min() and image.max() <= 1.0


def test_load_sample_photo_gray_is_the_luminance():
    rgb, gray = load_sample_photo("flower"), load_sample_photo("flower", gray=True)
    assert gray.shape == (427, 640)
    np.testing.assert_allclose(gray, 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2], atol=1e-12)


def test_load_sample_photo_rejects_unknown_names():
    with pytest.raises(ValueError, match="load_sample_photo: name must be one of"):
        load_sample_photo("mona_lisa")


def test_mnist1d_cache_matches_its_published_checksum():
    digest = hashlib.sha256((REPO / "data" / "mnist1d.npz").read_bytes()).hexdigest()
    assert digest == data.MNIST1D_SHA256


def test_checksum_file_lists_every_shipped_data_file():
    listed = {}
    for line in (REPO / "data" / "checksums.sha256").read_text().splitlines():
        digest, name = line.split()
        listed[name] = digest
    shipped = {p.name for p in (REPO / "data").iterdir() if p.name not in {"README.md", "checksums.sha256"}}
    assert set(listed) == shipped
    for name, digest in listed.items():
        assert hashlib.sha256((REPO / "data" / name).read_bytes()).hexdigest() == digest


def test_load_mnist1d_shapes_dtypes_and_labels():
    d = load_mnist1d()
    assert d["x_train"].shape == (4000, 40) and d["x_test"].shape == (1000, 40)
    assert d["x_train"].dtype == np.float64 and d["y_train"].dtype == np.int64
    assert d["y_train"].shape == (4000,) and d["y_test"].shape == (1000,)
    assert d["t"].shape == (40,)
    np.testing.assert_array_equal(np.unique(d["y_train"]), np.arange(10))


def _write_npz(path: Path, arrays: dict) -> Path:
    np.savez(path, **arrays)
    return path


def test_load_mnist1d_rejects_a_file_that_cannot_be_read(tmp_path):
    corrupt = tmp_path / "mnist1d.npz"
    payload = (REPO / "data" / "mnist1d.npz").read_bytes()
    corrupt.write_bytes(payload[: len(payload) // 2])  # a truncated download or copy
    with pytest.raises(ValueError, match="load_mnist1d: .* has SHA-256 .* expected .* corrupt"):
        load_mnist1d(corrupt)


def test_load_mnist1d_accepts_last_bit_differences_that_another_cpu_makes(tmp_path):
    # Another CPU's kernels round the generator's floats differently: other bytes, the same data set.
    d = load_mnist1d()
    moved = {k: np.nextafter(v, np.inf) if v.dtype == np.float64 else v for k, v in d.items()}
    got = load_mnist1d(_write_npz(tmp_path / "other_cpu.npz", moved))
    np.testing.assert_array_equal(got["x_train"], moved["x_train"])


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda d: d["x_train"].__setitem__((17, 3), d["x_train"][17, 3] + 1e-3), "x_train: values differ"),
        (lambda d: d["y_test"].__setitem__(5, (d["y_test"][5] + 1) % 10), "y_test: the labels differ"),
        (lambda d: d.__setitem__("x_test", d["x_test"][:-1]), r"x_test: float64 \(999, 40\), expected"),
        (lambda d: d.pop("t"), "t is missing"),
    ],
    ids=["value", "label", "shape", "missing-array"],
)
def test_load_mnist1d_rejects_a_readable_file_with_other_contents(tmp_path, change, reason):
    d = {k: v.copy() for k, v in load_mnist1d().items()}
    change(d)
    with pytest.raises(ValueError, match=f"contents are not MNIST-1D's .*{reason}"):
        load_mnist1d(_write_npz(tmp_path / "changed.npz", d))


FORCED_KERNELS = {  # an older x86-64 CPU: SSE4 NumPy loops, OpenBLAS Nehalem kernels, no AVX in torch
    "OPENBLAS_CORETYPE": "Nehalem",
    "NPY_DISABLE_CPU_FEATURES": "X86_V3",
    "ATEN_CPU_CAPABILITY": "default",
}


def test_load_mnist1d_regenerates_a_missing_file_in_a_child_process_under_forced_kernels(tmp_path, monkeypatch):
    # mnist1d's generator seeds NumPy's global state; it must run in a child process, not here.
    for name, value in FORCED_KERNELS.items():
        monkeypatch.setenv(name, value)  # inherited by the child that regenerates the file
    before = np.random.get_state()[1].copy()  # noqa: NPY002
    target = tmp_path / "sub" / "mnist1d.npz"
    with pytest.warns(UserWarning, match="regenerating"):
        d = load_mnist1d(target)  # verify=True: checksum, or the fingerprint when the bytes differ
    shipped = load_mnist1d()
    assert set(d) == set(shipped)
    for key in shipped:
        np.testing.assert_allclose(d[key], shipped[key], rtol=1e-12, atol=1e-12, err_msg=key)
    np.testing.assert_array_equal(np.random.get_state()[1], before)  # noqa: NPY002


def test_fingerprint_file_matches_the_shipped_data():
    expected = json.loads((REPO / "data" / "mnist1d.fingerprint.json").read_text())
    assert data._fingerprint_differences(load_mnist1d(), expected) == []


# ----------------------------------------------------------------------------- synthetic data


@pytest.mark.parametrize(
    ("make", "n", "k"),
    [
        (lambda rng: make_xor(200, rng=rng), 200, 2),
        (lambda rng: make_spirals(50, 3, rng=rng), 150, 3),
        (lambda rng: make_blobs(40, centers=4, rng=rng), 160, 4),
    ],
    ids=["xor", "spirals", "blobs"],
)
def test_synthetic_sets_have_integer_labels_zero_to_k_minus_one(make, n, k):
    X, y = make(0)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    np.testing.assert_array_equal(np.unique(y), np.arange(k))


@pytest.mark.parametrize("make", [make_xor, make_spirals, make_blobs])
def test_synthetic_sets_are_deterministic_with_a_seed(make):
    (X1, y1), (X2, y2) = make(rng=7), make(rng=7)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    X3, _ = make(rng=np.random.default_rng(8))
    assert not np.array_equal(X1, X3)


def test_make_xor_without_noise_is_the_truth_table():
    X, y = make_xor(8, noise=0.0, rng=0)
    np.testing.assert_array_equal(y, np.logical_xor(X[:, 0], X[:, 1]).astype(int))
    np.testing.assert_array_equal(np.bincount(y), [4, 4])


def test_make_blobs_centres_and_spread():
    centers = np.array([[10.0, 0.0, 0.0], [-10.0, 0.0, 0.0]])
    X, y = make_blobs(2000, centers=centers, std=[0.5, 2.0], rng=0)
    assert X.shape == (4000, 3)
    np.testing.assert_allclose(X[y == 0].mean(axis=0), centers[0], atol=0.05)
    np.testing.assert_allclose(X[y == 1].std(axis=0), 2.0, rtol=0.05)


def test_make_spirals_points_lie_in_the_unit_disc():
    X, _ = make_spirals(100, rng=0)
    assert np.all(np.hypot(*X.T) <= 1.0 + 1e-12)


def test_generators_reject_bad_arguments():
    with pytest.raises(ValueError, match="make_xor: n must be an int >= 1"):
        make_xor(0)
    with pytest.raises(ValueError, match="make_blobs: std must be a float >= 0 or an array of shape \\(3,\\)"):
        make_blobs(10, centers=3, std=[1.0, 2.0])
    with pytest.raises(TypeError, match="make_spirals: rng must be a numpy.random.Generator"):
        make_spirals(10, rng="seed")


# ----------------------------------------------------------------------------- splitting


def test_split_sizes_from_fractions_and_counts():
    X, y = np.arange(100.0).reshape(50, 2), np.arange(50)
    (Xtr, ytr), (Xva, yva), (Xte, yte) = train_val_test_split(X, y, 0.2, 10, rng=0)
    assert (len(ytr), len(yva), len(yte)) == (30, 10, 10)
    assert Xtr.shape == (30, 2) and Xva.shape == (10, 2) and Xte.shape == (10, 2)


def test_split_is_a_shuffled_partition_that_keeps_pairs_together():
    X, y = np.arange(60.0).reshape(30, 2), np.arange(30)
    parts = train_val_test_split(X, y, 0.2, 0.3, rng=1)
    all_y = np.concatenate([p[1] for p in parts])
    np.testing.assert_array_equal(np.sort(all_y), y)
    assert not np.array_equal(all_y, y)
    for Xp, yp in parts:
        np.testing.assert_array_equal(Xp[:, 0], 2 * yp)


def test_split_is_deterministic_with_a_seed():
    X, y = np.arange(40.0).reshape(20, 2), np.arange(20)
    a, b = train_val_test_split(X, y, 0.25, 0.25, rng=5), train_val_test_split(X, y, 0.25, 0.25, rng=5)
    for (Xa, ya), (Xb, yb) in zip(a, b, strict=True):
        np.testing.assert_array_equal(Xa, Xb)
        np.testing.assert_array_equal(ya, yb)


def test_split_rejects_sizes_that_leave_no_training_data():
    with pytest.raises(ValueError, match="leave none of the 10 for training"):
        train_val_test_split(np.zeros((10, 2)), np.zeros(10), 0.5, 5)
    with pytest.raises(ValueError, match="val_size as a fraction must be in"):
        train_val_test_split(np.zeros((10, 2)), np.zeros(10), 1.5, 0.1)


def test_split_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match=r"same number of samples.*\(10, 2\).*\(9,\)"):
        train_val_test_split(np.zeros((10, 2)), np.zeros(9), 0.1, 0.1)


# ----------------------------------------------------------------------------- standardize


def test_standardize_gives_zero_mean_unit_std_on_train():
    X = np.random.default_rng(0).normal(5.0, 3.0, size=(200, 4))
    (Z,) = standardize(X)
    np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Z.std(axis=0), 1.0, atol=1e-12)


def test_standardize_uses_train_statistics_only():
    rng = np.random.default_rng(1)
    train, test = rng.normal(0.0, 1.0, (100, 3)), rng.normal(50.0, 10.0, (30, 3))
    _, test_z = standardize(train, test)
    np.testing.assert_allclose(test_z, (test - train.mean(0)) / train.std(0), rtol=0, atol=1e-12)
    # The test set keeps its offset: its own statistics were not used (no leakage).
    assert test_z.mean() > 10


def test_standardize_leaves_others_unchanged_by_their_own_content():
    rng = np.random.default_rng(2)
    train, a, b = rng.normal(size=(50, 2)), rng.normal(size=(5, 2)), rng.normal(size=(7, 2))
    _, a_alone = standardize(train, a)
    _, a_with_b, _ = standardize(train, a, b)
    np.testing.assert_array_equal(a_alone, a_with_b)


def test_standardize_constant_feature_is_divided_by_one():
    X = np.column_stack([np.full(10, 3.0), np.arange(10.0)])
    (Z,) = standardize(X)
    np.testing.assert_array_equal(Z[:, 0], 0.0)
    assert np.all(np.isfinite(Z))


def test_standardize_does_not_modify_its_inputs():
    X = np.arange(12.0).reshape(6, 2)
    copy = X.copy()
    standardize(X, X)
    np.testing.assert_array_equal(X, copy)


def test_standardize_rejects_a_different_feature_shape():
    with pytest.raises(ValueError, match=r"standardize: array 1 must have shape \(M, 3\).*\(4, 2\)"):
        standardize(np.zeros((5, 3)), np.zeros((4, 2)))


# ----------------------------------------------------------------------------- minibatches


@given(n=st.integers(1, 60), batch_size=st.integers(1, 25), shuffle=st.booleans(), seed=st.integers(0, 99))
def test_minibatches_visit_every_sample_exactly_once(n, batch_size, shuffle, seed):
    X, y = np.arange(2.0 * n).reshape(n, 2), np.arange(n)
    batches = list(iterate_minibatches(X, y, batch_size, shuffle=shuffle, rng=seed))
    seen = np.concatenate([yb for _, yb in batches])
    np.testing.assert_array_equal(np.sort(seen), y)
    assert all(len(yb) == batch_size for _, yb in batches[:-1])
    assert 1 <= len(batches[-1][1]) <= batch_size
    for Xb, yb in batches:
        np.testing.assert_array_equal(Xb[:, 0], 2 * yb)


def test_minibatches_without_shuffle_keep_the_order():
    X, y = np.zeros((7, 1)), np.arange(7)
    assert [yb.tolist() for _, yb in iterate_minibatches(X, y, 3, shuffle=False)] == [[0, 1, 2], [3, 4, 5], [6]]


def test_minibatches_reuse_of_a_generator_gives_a_new_order_each_epoch():
    X, y = np.zeros((50, 1)), np.arange(50)
    rng = np.random.default_rng(0)
    first = np.concatenate([yb for _, yb in iterate_minibatches(X, y, 10, rng=rng)])
    second = np.concatenate([yb for _, yb in iterate_minibatches(X, y, 10, rng=rng)])
    assert not np.array_equal(first, second)


def test_minibatches_check_arguments_when_called():
    with pytest.raises(ValueError, match="iterate_minibatches: batch_size must be an int >= 1"):
        iterate_minibatches(np.zeros((4, 1)), np.zeros(4), 0)
    with pytest.raises(ValueError, match="iterate_minibatches: X and y must have the same number of samples"):
        iterate_minibatches(np.zeros((4, 1)), np.zeros(3), 2)
