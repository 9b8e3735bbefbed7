r"""Datasets that work offline, synthetic problems, splitting, standardising and mini-batching.

Real data (nothing is downloaded):

* ``load_digits()``, ``load_iris()``: scikit-learn's bundled copies.
* ``load_sample_photo()``: one of the two photos scikit-learn ships (``china``, ``flower``).
* ``load_mnist1d()``: MNIST-1D (Greydanus 2020), cached in ``data/mnist1d.npz`` and checksummed.

Synthetic data: ``make_xor``, ``make_spirals``, ``make_blobs`` return ``(X, y)`` with ``X`` of shape
``(N, D)`` float64 and integer labels ``y`` in ``0..K-1`` (int64), rows in random order.

Randomness only through an explicit ``rng``: a ``numpy.random.Generator`` or an ``int`` seed.
``rng=None`` means a fresh, unseeded generator (different every call), never NumPy's global state.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np

__all__ = [
    "load_digits",
    "load_iris",
    "load_sample_photo",
    "load_mnist1d",
    "make_xor",
    "make_spirals",
    "make_blobs",
    "train_val_test_split",
    "standardize",
    "iterate_minibatches",
    "MNIST1D_SHA256",
]

_REPO_ROOT = Path(__file__).resolve().parents[1]
MNIST1D_PATH = _REPO_ROOT / "data" / "mnist1d.npz"
MNIST1D_TOOL = _REPO_ROOT / "tools" / "make_mnist1d.py"
#: SHA-256 of ``data/mnist1d.npz`` as written by ``tools/make_mnist1d.py`` (see ``data/README.md``).
MNIST1D_SHA256 = "f5c0144b9fa4e67587b8c3a109d8b092701a5c2213a8d7d6fa3486b41a3b2d45"
#: What a regenerated file must match when its bytes differ (another CPU rounds the generator's floats
#: differently): shapes, dtypes, exact labels, and float statistics within ``_FINGERPRINT_RTOL``.
MNIST1D_FINGERPRINT = _REPO_ROOT / "data" / "mnist1d.fingerprint.json"
_FINGERPRINT_RTOL = 1e-8
_FINGERPRINT_PROJECTIONS = 8
_PHOTOS = ("china", "flower")


def _as_rng(rng: np.random.Generator | int | None, func: str) -> np.random.Generator:
    if rng is None or (isinstance(rng, int | np.integer) and not isinstance(rng, bool)):
        return np.random.default_rng(rng)
    if isinstance(rng, np.random.Generator):
        return rng
    raise TypeError(f"{func}: rng must be a numpy.random.Generator, an int seed or None, got {type(rng).__name__}")


def _check_positive_int(value: int, func: str, name: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{func}: {name} must be an int >= {minimum}, got {value!r}")
    return int(value)


def _check_xy(X: np.ndarray, y: np.ndarray, func: str) -> tuple[np.ndarray, np.ndarray]:
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim < 1 or y.ndim < 1 or X.shape[0] != y.shape[0]:
        raise ValueError(
            f"{func}: X and y must have the same number of samples (first axis), "
            f"got X of shape {X.shape} and y of shape {y.shape}"
        )
    return X, y


# --------------------------------------------------------------------------- real data


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 8x8 handwritten digits (UCI, 1797 images).

    Returns
    -------
    X : (1797, 64) float64
        Pixel intensities in ``[0, 16]``; reshape a row to ``(8, 8)`` to see it.
    y : (1797,) int64
        Digit labels ``0..9``.
    """
    from sklearn.datasets import load_digits as _load

    X, y = _load(return_X_y=True)
    return X.astype(np.float64), y.astype(np.int64)


def load_iris() -> tuple[np.ndarray, np.ndarray]:
    """Fisher's iris flowers (scikit-learn's copy).

    Returns
    -------
    X : (150, 4) float64
        Sepal length, sepal width, petal length, petal width (cm).
    y : (150,) int64
        ``0`` setosa, ``1`` versicolor, ``2`` virginica (50 each, in that order).
    """
    from sklearn.datasets import load_iris as _load

    X, y = _load(return_X_y=True)
    return X.astype(np.float64), y.astype(np.int64)


def load_sample_photo(name: str = "china", gray: bool = False) -> np.ndarray:
    r"""One of the two photos bundled with scikit-learn, as floats in ``[0, 1]``.

    Parameters
    ----------
    name : {"china", "flower"}
        ``"china.jpg"`` and ``"flower.jpg"`` are accepted too.
    gray : bool
        Convert to luminance :math:`0.299 R + 0.587 G + 0.114 B` (ITU-R BT.601).

    Returns
    -------
    image : (427, 640, 3) float64, or (427, 640) when ``gray``
        Height, width, channels (matplotlib's layout; use ``image.transpose(2, 0, 1)[None]`` for ``(N, C, H, W)``).
    """
    stem = name.removesuffix(".jpg") if isinstance(name, str) else name
    if stem not in _PHOTOS:
        raise ValueError(f"load_sample_photo: name must be one of {_PHOTOS}, got {name!r}")
    from sklearn.datasets import load_sample_image

    image = load_sample_image(f"{stem}.jpg").astype(np.float64) / 255.0
    if gray:
        image = image @ np.array([0.299, 0.587, 0.114])
    return image


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mnist1d_fingerprint(arrays: dict[str, np.ndarray]) -> dict[str, dict]:
    """A last-bit-tolerant summary of the MNIST-1D arrays (what ``data/mnist1d.fingerprint.json`` holds).

    Integer arrays (the labels) are summarised by the SHA-256 of their bytes: they must match exactly.
    Float arrays by ``[sum, sum of squares, min, max]`` and ``_FINGERPRINT_PROJECTIONS`` projections on
    fixed Gaussian directions: a rounding difference in the last bit moves these by ~1e-16 relative,
    a changed value by far more than ``_FINGERPRINT_RTOL``.
    """
    summary = {}
    for name in sorted(arrays):
        a = np.asarray(arrays[name])
        entry: dict = {"shape": list(a.shape), "dtype": str(a.dtype)}
        if np.issubdtype(a.dtype, np.integer):
            entry["sha256"] = hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()
        else:
            flat = a.astype(np.float64).ravel()
            directions = np.random.default_rng(2020).standard_normal((_FINGERPRINT_PROJECTIONS, flat.size))
            stats = [flat.sum(), flat @ flat, flat.min(), flat.max(), *(directions @ flat)]
            entry["stats"] = [float(v) for v in stats]
            entry["scale"] = float(np.sqrt(flat @ flat) + 1.0)
        summary[name] = entry
    return summary


def _fingerprint_differences(arrays: dict[str, np.ndarray], expected: dict[str, dict]) -> list[str]:
    """Human-readable differences between ``arrays`` and a stored fingerprint (empty when they match)."""
    actual = mnist1d_fingerprint(arrays)
    problems = [f"{name} is missing" for name in sorted(set(expected) - set(actual))]
    problems += [f"unexpected array {name}" for name in sorted(set(actual) - set(expected))]
    for name in sorted(set(actual) & set(expected)):
        got, want = actual[name], expected[name]
        if (got["shape"], got["dtype"]) != (want["shape"], want["dtype"]):
            problems.append(
                f"{name}: {got['dtype']} {tuple(got['shape'])}, expected {want['dtype']} {tuple(want['shape'])}"
            )
        elif "sha256" in want and got.get("sha256") != want["sha256"]:
            problems.append(f"{name}: the labels differ")
        elif "stats" in want:
            gap = max(abs(g - w) for g, w in zip(got["stats"], want["stats"], strict=True))
            if not gap <= _FINGERPRINT_RTOL * want["scale"]:
                problems.append(
                    f"{name}: values differ (statistics off by {gap:.3g}, tolerance {_FINGERPRINT_RTOL:g}·scale)"
                )
    return problems


def _regenerate_mnist1d(path: Path) -> None:
    """Rebuild the cache with ``tools/make_mnist1d.py`` in a child process.

    The generator seeds NumPy's global random state, so it never runs inside this process.
    """
    if not MNIST1D_TOOL.exists():
        raise FileNotFoundError(
            f"load_mnist1d: {path} is missing and {MNIST1D_TOOL} is not there to rebuild it; "
            "restore data/mnist1d.npz from the course repository"
        )
    warnings.warn(
        f"load_mnist1d: {path} not found; regenerating it with {MNIST1D_TOOL.name} (a few seconds)",
        stacklevel=3,
    )
    cmd = [sys.executable, str(MNIST1D_TOOL), "--output", str(path)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"load_mnist1d: regenerating {path} failed:\n{done.stderr}")


def _read_npz(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as archive:
        return {key: archive[key] for key in archive.files}


def _verify_mnist1d(path: Path, digest: str) -> dict[str, np.ndarray]:
    """Accept a file whose bytes differ from the published one only if its contents match the fingerprint."""
    try:
        arrays = _read_npz(path)
    except Exception as error:  # a damaged zip raises BadZipFile, ValueError, OSError, ...
        problems = [f"it cannot be read ({type(error).__name__}: {error})"]
    else:
        expected = json.loads(MNIST1D_FINGERPRINT.read_text(encoding="utf-8"))
        problems = _fingerprint_differences(arrays, expected)
    if problems:
        raise ValueError(
            f"load_mnist1d: {path} has SHA-256 {digest}, expected {MNIST1D_SHA256}, and its contents are not "
            f"MNIST-1D's ({'; '.join(problems)}): the file is corrupt; delete it and call load_mnist1d() "
            "again to regenerate it"
        )
    return arrays


def load_mnist1d(path: str | Path | None = None, *, verify: bool = True) -> dict[str, np.ndarray]:
    """MNIST-1D: 10 classes of length-40 signals, the package's default 4000/1000 split.

    Reads ``data/mnist1d.npz`` (made by ``tools/make_mnist1d.py`` with the ``mnist1d`` package's own
    generator, seed 42; no download). If the file is missing it is regenerated (with a warning) by
    running that script in a separate process.

    Verification: the shipped file is accepted by its SHA-256. A file whose bytes differ (regenerated on
    a CPU whose floating-point kernels round the generator's last bits differently) is accepted when its
    shapes, dtypes and labels match exactly and its values match ``data/mnist1d.fingerprint.json``
    within a relative ``1e-8``; anything else is corrupt.

    Parameters
    ----------
    path : str or Path, optional
        Another copy of the cache; defaults to the course's ``data/mnist1d.npz``.
    verify : bool
        Check the file as above; a corrupt file raises ``ValueError``.

    Returns
    -------
    dict with
        ``x_train`` (4000, 40) float64, ``y_train`` (4000,) int64, ``x_test`` (1000, 40) float64,
        ``y_test`` (1000,) int64, ``t`` (40,) float64 (the sample positions, for plotting),
        ``templates_x`` (10, 12), ``templates_t`` (12,), ``templates_y`` (10,): the clean digit templates.
    """
    path = MNIST1D_PATH if path is None else Path(path)
    if not path.exists():
        _regenerate_mnist1d(path)
    if verify and (digest := _sha256(path)) != MNIST1D_SHA256:
        return _verify_mnist1d(path, digest)
    return _read_npz(path)


# --------------------------------------------------------------------------- synthetic data


def _shuffled(X: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    order = rng.permutation(len(y))
    return X[order], y[order]


def make_xor(
    n: int = 200, noise: float = 0.1, rng: np.random.Generator | int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    r"""Noisy XOR: points around the corners of the unit square, labelled :math:`x_1 \oplus x_2`.

    The four corners ``(0,0), (0,1), (1,0), (1,1)`` get ``n // 4`` points each (the first ``n % 4``
    corners one more), plus Gaussian noise of standard deviation ``noise``. ``noise=0`` gives the
    truth table itself. No single line separates the classes.

    Returns
    -------
    X : (n, 2) float64
    y : (n,) int64 in {0, 1}
    """
    n = _check_positive_int(n, "make_xor", "n")
    if not noise >= 0:
        raise ValueError(f"make_xor: noise must be >= 0, got {noise}")
    rng = _as_rng(rng, "make_xor")
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)[np.arange(n) % 4]
    X = corners + noise * rng.standard_normal((n, 2))
    y = (corners[:, 0] != corners[:, 1]).astype(np.int64)
    return _shuffled(X, y, rng)


def make_spirals(
    n_per_class: int = 100, n_classes: int = 3, noise: float = 0.2, rng: np.random.Generator | int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    r"""Interleaved spiral arms (the CS231n toy problem): not linearly separable.

    Arm :math:`k` has radius :math:`r \in [0, 1]` and angle :math:`\theta = 4k + 4r + \text{noise}\cdot\varepsilon`,
    :math:`\varepsilon \sim \mathcal N(0, 1)`; a point is :math:`r(\sin\theta, \cos\theta)`.

    Returns
    -------
    X : (n_per_class * n_classes, 2) float64
    y : (n_per_class * n_classes,) int64 in ``0..n_classes-1``
    """
    n_per_class = _check_positive_int(n_per_class, "make_spirals", "n_per_class")
    n_classes = _check_positive_int(n_classes, "make_spirals", "n_classes")
    if not noise >= 0:
        raise ValueError(f"make_spirals: noise must be >= 0, got {noise}")
    rng = _as_rng(rng, "make_spirals")
    r = np.tile(np.linspace(0.0, 1.0, n_per_class), n_classes)
    y = np.repeat(np.arange(n_classes, dtype=np.int64), n_per_class)
    theta = 4.0 * y + 4.0 * r + noise * rng.standard_normal(r.shape)
    X = np.column_stack([r * np.sin(theta), r * np.cos(theta)])
    return _shuffled(X, y, rng)


def _blob_centers(centers: int | np.ndarray) -> np.ndarray:
    if isinstance(centers, int | np.integer) and not isinstance(centers, bool):
        k = _check_positive_int(centers, "make_blobs", "centers")
        angle = 2 * np.pi * np.arange(k) / k
        return 3.0 * np.column_stack([np.cos(angle), np.sin(angle)])
    c = np.asarray(centers, dtype=np.float64)
    if c.ndim != 2 or c.shape[0] == 0:
        raise ValueError(f"make_blobs: centers must be an int K or an array of shape (K, D), got shape {c.shape}")
    return c


def make_blobs(
    n_per_class: int = 100,
    centers: int | np.ndarray = 3,
    std: float | np.ndarray = 1.0,
    rng: np.random.Generator | int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Isotropic Gaussian blobs, one per class.

    Parameters
    ----------
    n_per_class : int
        Points per blob.
    centers : int K or (K, D) array
        An int places K centres evenly on a circle of radius 3 in 2-D; an array gives them explicitly.
    std : float or (K,) array
        Standard deviation of each blob (one value for all, or one per blob). Large values make
        the blobs overlap (a non-separable problem).

    Returns
    -------
    X : (n_per_class * K, D) float64
    y : (n_per_class * K,) int64 in ``0..K-1``
    """
    n_per_class = _check_positive_int(n_per_class, "make_blobs", "n_per_class")
    c = _blob_centers(centers)
    k, dim = c.shape
    std = np.asarray(std, dtype=np.float64)
    if std.shape not in ((), (k,)) or np.any(std < 0):
        raise ValueError(f"make_blobs: std must be a float >= 0 or an array of shape ({k},), got shape {std.shape}")
    std = np.broadcast_to(std, (k,))
    rng = _as_rng(rng, "make_blobs")
    y = np.repeat(np.arange(k, dtype=np.int64), n_per_class)
    X = c[y] + std[y, None] * rng.standard_normal((y.size, dim))
    return _shuffled(X, y, rng)


# --------------------------------------------------------------------------- splitting and batching


def _n_from_size(size: float | int, n: int, func: str, name: str) -> int:
    if isinstance(size, bool) or not isinstance(size, int | float | np.integer | np.floating):
        raise TypeError(f"{func}: {name} must be a fraction in [0, 1) or a count, got {size!r}")
    if isinstance(size, float | np.floating):
        if not 0.0 <= size < 1.0:
            raise ValueError(f"{func}: {name} as a fraction must be in [0, 1), got {size}")
        return int(round(size * n))
    if not 0 <= size < n:
        raise ValueError(f"{func}: {name} as a count must be in [0, {n}), got {size}")
    return int(size)


def train_val_test_split(
    X: np.ndarray,
    y: np.ndarray,
    val_size: float | int,
    test_size: float | int,
    rng: np.random.Generator | int | None = None,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Shuffle, then cut into train / validation / test sets (not stratified).

    Parameters
    ----------
    X : (N, ...) array
    y : (N,) or (N, ...) array
    val_size, test_size : float in [0, 1) or int
        A float is a fraction of N (rounded to the nearest count), an int a number of samples.
    rng : Generator, int seed or None

    Returns
    -------
    (X_train, y_train), (X_val, y_val), (X_test, y_test)
        Pairs, ready for ``coursekit.train.fit(..., train, val)``. Together they hold every sample once.
    """
    X, y = _check_xy(X, y, "train_val_test_split")
    n = X.shape[0]
    n_val = _n_from_size(val_size, n, "train_val_test_split", "val_size")
    n_test = _n_from_size(test_size, n, "train_val_test_split", "test_size")
    if n_val + n_test >= n:
        raise ValueError(
            f"train_val_test_split: val ({n_val}) + test ({n_test}) samples leave none of the {n} for training"
        )
    order = _as_rng(rng, "train_val_test_split").permutation(n)
    test, val, train = np.split(order, [n_test, n_test + n_val])
    return (X[train], y[train]), (X[val], y[val]), (X[test], y[test])


def standardize(train: np.ndarray, *others: np.ndarray) -> tuple[np.ndarray, ...]:
    r"""Standardise every feature with the mean and standard deviation of ``train`` only.

    .. math::  x' = \frac{x - \mu_{\text{train}}}{\sigma_{\text{train}}}

    Statistics are per feature (over axis 0). A constant feature (:math:`\sigma = 0`) is divided by 1,
    not 0. Using the training statistics for the validation and test sets too is what keeps them
    honest: computing statistics on the test set leaks information about it into the model.

    Parameters
    ----------
    train : (N, ...) array
    *others : (M, ...) arrays with ``train``'s feature shape (validation, test, ...)

    Returns
    -------
    tuple of float64 arrays, always a tuple, in the input order:
        ``X_train, X_val, X_test = standardize(X_train, X_val, X_test)`` or ``(X_train,) = standardize(X_train)``.
    """
    train = np.asarray(train, dtype=np.float64)
    if train.ndim < 1 or train.shape[0] == 0:
        raise ValueError(f"standardize: train must have shape (N, ...) with N >= 1, got shape {train.shape}")
    mean = train.mean(axis=0)
    std = train.std(axis=0)
    std = np.where(std == 0, 1.0, std)
    out = []
    for i, x in enumerate((train, *others)):
        x = np.asarray(x, dtype=np.float64)
        if x.shape[1:] != train.shape[1:]:
            raise ValueError(
                f"standardize: array {i} must have shape (M, {', '.join(map(str, train.shape[1:]))}) like train, "
                f"got shape {x.shape}"
            )
        out.append((x - mean) / std)
    return tuple(out)


def iterate_minibatches(
    X: np.ndarray,
    y: np.ndarray,
    batch_size: int,
    shuffle: bool = True,
    rng: np.random.Generator | int | None = None,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield ``(X_batch, y_batch)`` pairs that visit every sample exactly once (one epoch).

    Parameters
    ----------
    X : (N, ...) array
    y : (N, ...) array
    batch_size : int
        Every batch has this many samples except possibly the last, which holds the remainder.
    shuffle : bool
        Visit the samples in a random order (drawn from ``rng``) instead of ``0..N-1``.
    rng : Generator, int seed or None
        Pass the same ``Generator`` every epoch to get a fresh order each epoch, reproducibly.

    Returns
    -------
    iterator of (X_batch, y_batch)
        ``X_batch`` : (B, ...), ``y_batch`` : (B, ...); views of the data when ``shuffle`` is False, copies otherwise.
    """
    # Checked here, eagerly: a generator body would only complain at the first next().
    X, y = _check_xy(X, y, "iterate_minibatches")
    batch_size = _check_positive_int(batch_size, "iterate_minibatches", "batch_size")
    order = _as_rng(rng, "iterate_minibatches").permutation(X.shape[0]) if shuffle else None
    return _batches(X, y, batch_size, order)


def _batches(
    X: np.ndarray, y: np.ndarray, batch_size: int, order: np.ndarray | None
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    for start in range(0, X.shape[0], batch_size):
        if order is None:
            yield X[start : start + batch_size], y[start : start + batch_size]
        else:
            idx = order[start : start + batch_size]
            yield X[idx], y[idx]
