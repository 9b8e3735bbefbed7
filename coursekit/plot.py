r"""The figures the lectures use, one function each.

Every function draws with matplotlib (imported inside the function, so ``import coursekit`` stays fast),
gives every axes a title and axis labels (a legend where there is more than one line), and returns
the :class:`matplotlib.figure.Figure` so a notebook can tweak it (``fig.axes[0].set_xlim(...)``).
Call :func:`setup_notebook` once at the top of a notebook for small, crisp, reproducible figures.

=============================  ===================================================================
function                       lecture figure
=============================  ===================================================================
``plot_activations``           activation functions and their derivatives, side by side (03)
``plot_decision_boundary``     class regions of a 2-D classifier with the data on top (01, 02, 06)
``plot_curves``                any per-epoch curves: perceptron errors, ADALINE cost for several mu
``plot_history``               loss and accuracy per epoch of one or more ``train.fit`` runs
``plot_layer_histograms``      per-layer activation or gradient histograms in a row (03, 04)
``plot_optimizer_paths``       contours of a 2-D loss surface with optimiser trajectories (04, 08)
``plot_filters``               convolution filters ``(F, C, kh, kw)`` as small images (07)
``plot_feature_maps``          feature maps ``(C, H, W)`` of one input (07)
``plot_image_grid``            a grid of images with optional labels (02, 06, 07)
=============================  ===================================================================
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

__all__ = [
    "setup_notebook",
    "plot_activations",
    "plot_activation",
    "plot_decision_boundary",
    "plot_curves",
    "plot_history",
    "plot_layer_histograms",
    "plot_optimizer_paths",
    "plot_filters",
    "plot_feature_maps",
    "plot_image_grid",
]


RUN_ALL_NOTE = (
    "Run All stops at the first exercise you have not written yet (NotImplementedError): the cells below it run "
    "once it is done. Test failures say what is wrong first."
)


def setup_notebook(dpi: int = 100, show_versions: bool = True) -> None:
    """Set matplotlib defaults for the course notebooks (call once, at the top) and print the versions.

    Small figures (5 x 3.5 in) at ``dpi``, constrained layout, a light grid, no top/right spines,
    fixed SVG hash salt and metadata-free saving so the same code gives the same bytes. The versions
    line (Python, NumPy, torch, coursekit) is what a student pastes into a question; torch's version is
    read from its package metadata, so this does not import torch.

    In JupyterLab it also watches the answer cells (``coursekit.exercises.install``): an answer that calls
    a callable its exercise forbids (``forbid=`` in the notebook) raises at once, saying which and why;
    a failing test reports its message first and an unwritten exercise says that Run All stops there
    (``coursekit.tracebacks.install``), and a second line printed under the versions says so up front.
    """
    import matplotlib as mpl

    from coursekit import exercises, tracebacks

    exercises.install()  # no-op outside JupyterLab (nbval, nbclient, the grader's kernel, plain Python)
    in_lab = tracebacks.install()  # likewise: reference outputs and grading are unchanged
    if show_versions:
        print(environment())
    if in_lab:
        print(RUN_ALL_NOTE)

    mpl.rcParams.update(
        {
            "figure.dpi": dpi,
            "savefig.dpi": dpi,
            "figure.figsize": (5.0, 3.5),
            "figure.constrained_layout.use": True,
            "font.size": 9,
            "axes.titlesize": 10,
            "axes.labelsize": 9,
            "legend.fontsize": 8,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "image.cmap": "viridis",
            "svg.hashsalt": "coursekit",  # otherwise SVG ids are random per run
        }
    )


def environment() -> str:
    """``"Python 3.11.7 | NumPy 2.4.6 | torch 2.13.0+cpu | coursekit 0.1.0"`` (torch: "not installed")."""
    import platform
    from importlib import metadata

    import numpy as np

    import coursekit

    try:
        torch_version = metadata.version("torch")
    except metadata.PackageNotFoundError:
        torch_version = "not installed"
    return (
        f"Python {platform.python_version()} | NumPy {np.__version__} | torch {torch_version} | "
        f"coursekit {coursekit.__version__}"
    )


def _subplots(nrows: int, ncols: int, width: float, height: float, **kwargs: Any):
    import matplotlib.pyplot as plt

    return plt.subplots(nrows, ncols, figsize=(width, height), layout="constrained", squeeze=False, **kwargs)


def _integer_xticks(ax: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole numbers


def _legend_if_many(ax: Any) -> None:
    if len(ax.get_legend_handles_labels()[1]) > 1:
        ax.legend()


# --------------------------------------------------------------------------- activations


def plot_activations(
    functions: Mapping[str, Callable | tuple[Callable, Callable]],
    xlim: tuple[float, float] = (-5.0, 5.0),
    num: int = 401,
) -> Any:
    r"""Activation functions (left) and their derivatives (right) on ``xlim``.

    Parameters
    ----------
    functions : dict name -> ``f`` or ``(f, df)``
        Elementwise callables on a (num,) array. Without ``df`` the derivative is estimated with
        central differences (``np.gradient``), which rounds a kink (ReLU at 0) over one grid step.
    xlim : (lo, hi)
    num : int
        Number of grid points.

    Returns
    -------
    Figure with two axes: ``"Activation functions"`` and ``"Derivatives"``.
    """
    if not functions:
        raise ValueError("plot_activations: functions must name at least one function")
    x = np.linspace(*xlim, num)
    fig, axes = _subplots(1, 2, 9.0, 3.5)
    ax_f, ax_d = axes[0]
    for name, spec in functions.items():
        f, df = spec if isinstance(spec, tuple) else (spec, None)
        y = np.asarray(f(x), dtype=np.float64)
        dy = np.gradient(y, x) if df is None else np.asarray(df(x), dtype=np.float64)
        ax_f.plot(x, y, label=name)
        ax_d.plot(x, dy, label=name)
    for ax, title, ylabel in ((ax_f, "Activation functions", "$f(x)$"), (ax_d, "Derivatives", "$f'(x)$")):
        ax.set(title=title, xlabel="$x$", ylabel=ylabel)
        _legend_if_many(ax)
    return fig


def plot_activation(name: str, f: Callable, df: Callable | None = None, xlim: tuple[float, float] = (-5.0, 5.0)) -> Any:
    """One activation and its derivative: ``plot_activations({name: (f, df)})``."""
    return plot_activations({name: f if df is None else (f, df)}, xlim=xlim)


# --------------------------------------------------------------------------- decision boundaries


def _class_colors(k: int):
    import matplotlib as mpl
    from matplotlib.colors import ListedColormap

    return ListedColormap(mpl.colormaps["tab10"].colors[: max(k, 1)])


def _predicted_labels(predict_fn: Callable, grid: np.ndarray) -> np.ndarray:
    out = np.asarray(predict_fn(grid))
    if out.ndim == 2 and out.shape[1] >= 2:
        return out.argmax(axis=1)
    if out.shape not in ((len(grid),), (len(grid), 1)):
        raise ValueError(
            f"plot_decision_boundary: predict_fn must return (M,) labels or (M, K) scores for a (M, 2) grid, "
            f"got shape {out.shape} for M = {len(grid)}"
        )
    return out.reshape(-1).astype(np.int64)


def plot_decision_boundary(
    predict_fn: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    ax: Any = None,
    *,
    resolution: int = 200,
    padding: float = 0.5,
    title: str = "Decision boundary",
    xlabel: str = "$x_1$",
    ylabel: str = "$x_2$",
) -> Any:
    """Colour the plane by ``predict_fn``'s class and scatter the data on top.

    Parameters
    ----------
    predict_fn : callable ``(M, 2) -> (M,)`` integer labels or ``(M, K)`` scores (arg-max taken)
    X : (N, 2) points, y : (N,) integer labels 0..K-1
    ax : matplotlib Axes, optional
        Draw into it (e.g. one panel per epoch); a new figure otherwise.

    Returns
    -------
    Figure (``ax.figure`` when ``ax`` is given).
    """
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2 or y.shape != (X.shape[0],):
        raise ValueError(
            f"plot_decision_boundary: X must have shape (N, 2) and y shape (N,), got {X.shape} and {y.shape}"
        )
    if ax is None:
        ax = _subplots(1, 1, 4.5, 3.8)[1][0, 0]
    lo, hi = X.min(axis=0) - padding, X.max(axis=0) + padding
    gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    z = _predicted_labels(predict_fn, np.column_stack([gx.ravel(), gy.ravel()])).reshape(gx.shape)
    k = int(max(z.max(), y.max())) + 1
    cmap = _class_colors(k)
    ax.contourf(gx, gy, z, levels=np.arange(k + 1) - 0.5, cmap=cmap, alpha=0.3)
    for c in np.unique(y):
        ax.scatter(*X[y == c].T, s=14, color=cmap(int(c)), edgecolors="k", linewidths=0.3, label=f"class {c}")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel, xlim=(lo[0], hi[0]), ylim=(lo[1], hi[1]))
    _legend_if_many(ax)
    return ax.figure


# --------------------------------------------------------------------------- curves


def plot_curves(
    curves: Mapping[str, Sequence[float] | tuple[Sequence[float], Sequence[float]]],
    *,
    title: str,
    xlabel: str = "epoch",
    ylabel: str = "loss",
    logy: bool = False,
    ax: Any = None,
) -> Any:
    """Several curves on one axes (perceptron errors per epoch, ADALINE cost for several mu, ...).

    Parameters
    ----------
    curves : dict label -> ``y`` values or an ``(x, y)`` pair; ``y`` alone is plotted against 1, 2, ...
    logy : bool
        Logarithmic y axis (non-positive values are masked, as matplotlib does).

    Returns
    -------
    Figure
    """
    if ax is None:
        ax = _subplots(1, 1, 5.0, 3.5)[1][0, 0]
    for label, values in curves.items():
        x, y = values if isinstance(values, tuple) else (None, values)
        y = np.asarray(y, dtype=np.float64)
        x = np.arange(1, y.size + 1) if x is None else np.asarray(x)
        ax.plot(x, y, marker="o" if y.size <= 30 else None, markersize=3, label=label)
    if logy:
        ax.set_yscale("log")
    if xlabel == "epoch":
        _integer_xticks(ax)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    _legend_if_many(ax)
    return ax.figure


def _as_runs(history: Any) -> dict[str, Mapping[str, Any]]:
    def as_dict(h: Any) -> Mapping[str, Any]:
        return h if isinstance(h, Mapping) else h.to_dict()

    if hasattr(history, "to_dict") or (isinstance(history, Mapping) and "train_loss" in history):
        return {"": as_dict(history)}
    if isinstance(history, Mapping) and history:
        return {str(name): as_dict(h) for name, h in history.items()}
    raise TypeError("plot_history: expected a History, its to_dict(), or a dict name -> History")


def plot_history(history: Any, *, title: str = "Training history", logy: bool = False) -> Any:
    """Loss (left) and accuracy (right) per epoch, train solid and validation dashed.

    Parameters
    ----------
    history : ``train.History``, its ``to_dict()``, or a dict run name -> History (several runs,
        one colour each)
    logy : bool
        Logarithmic loss axis.

    Epochs are numbered from 1 on the plot (``History.best_epoch`` is 0-based: add 1).

    Returns
    -------
    Figure with axes ``"Loss"`` and ``"Accuracy"`` (the accuracy panel is left out when no run
    has a finite accuracy, e.g. regression).
    """
    runs = _as_runs(history)
    has_acc = any(np.isfinite(np.asarray(r.get("train_acc", []), dtype=float)).any() for r in runs.values())
    fig, axes = _subplots(1, 2 if has_acc else 1, 9.0 if has_acc else 5.0, 3.5)
    panels = [("loss", "Loss")] + ([("acc", "Accuracy")] if has_acc else [])
    for ax, (key, name) in zip(axes[0], panels, strict=True):
        for i, (run, h) in enumerate(runs.items()):
            for split, style in (("train", "-"), ("val", "--")):
                values = np.asarray(h.get(f"{split}_{key}", []), dtype=np.float64)
                if values.size:
                    label = f"{run} {split}".strip()
                    ax.plot(np.arange(1, values.size + 1), values, style, color=f"C{i}", label=label)
        ax.set(title=name, xlabel="epoch", ylabel="accuracy" if key == "acc" else "loss")
        _integer_xticks(ax)
        if logy and key == "loss":
            ax.set_yscale("log")
        _legend_if_many(ax)
    fig.suptitle(title)
    return fig


# --------------------------------------------------------------------------- histograms


def plot_layer_histograms(
    arrays: Sequence[np.ndarray],
    title: str,
    *,
    xlabel: str = "activation",
    labels: Sequence[str] | None = None,
    bins: int = 50,
    shared_range: bool = True,
) -> Any:
    """One histogram per layer, in a row, each titled with the layer's mean and standard deviation.

    Parameters
    ----------
    arrays : list of arrays (any shapes), one per layer: activations, gradients or weights
    title : str
        Figure title (e.g. ``"tanh, N(0, 0.01^2) init"``).
    xlabel : str
        ``"activation"``, ``"gradient"``, ``"weight"``...
    labels : list of str, optional
        Panel names; ``"layer 1"``, ``"layer 2"``, ... by default.
    shared_range : bool
        One x range for all panels (so collapsing or saturating layers are visible as such).

    Returns
    -------
    Figure with ``len(arrays)`` axes.
    """
    if len(arrays) == 0:
        raise ValueError("plot_layer_histograms: arrays must hold at least one layer")
    labels = [f"layer {i + 1}" for i in range(len(arrays))] if labels is None else list(labels)
    if len(labels) != len(arrays):
        raise ValueError(f"plot_layer_histograms: got {len(labels)} labels for {len(arrays)} arrays")
    values = [np.asarray(a, dtype=np.float64).ravel() for a in arrays]
    values = [v[np.isfinite(v)] for v in values]
    pooled = np.concatenate(values) if any(v.size for v in values) else np.zeros(1)
    span = (pooled.min(), pooled.max()) if pooled.min() < pooled.max() else (pooled.min() - 1, pooled.max() + 1)
    fig, axes = _subplots(1, len(arrays), max(2.2 * len(arrays), 4.0), 2.8, sharey=False)
    for i, (ax, v, label) in enumerate(zip(axes[0], values, labels, strict=True)):
        ax.hist(v, bins=bins, range=span if shared_range else None, color="C0")
        stats = f"mean {v.mean():.2g}, std {v.std():.2g}" if v.size else "empty"
        ax.set(title=f"{label}\n{stats}", xlabel=xlabel, ylabel="count" if i == 0 else "")
    fig.suptitle(title)
    return fig


# --------------------------------------------------------------------------- optimiser paths


def plot_optimizer_paths(
    f: Callable[[np.ndarray, np.ndarray], np.ndarray],
    paths: Mapping[str, np.ndarray],
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    *,
    title: str = "Optimiser paths",
    levels: int = 30,
    log_levels: bool | None = None,
    minimum: tuple[float, float] | None = None,
    xlabel: str = "$w_1$",
    ylabel: str = "$w_2$",
) -> Any:
    """Contours of a 2-D surface with one trajectory per optimiser.

    Parameters
    ----------
    f : callable ``f(x, y) -> z``, elementwise on equally shaped arrays
        e.g. Rosenbrock ``lambda x, y: (1 - x)**2 + 100 * (y - x**2)**2``.
    paths : dict name -> (T, 2) array of visited points (may be empty: contours only)
    xlim, ylim : (lo, hi)
    log_levels : bool, optional
        Geometrically spaced contour levels; by default on when ``f`` is positive and spans more
        than two decades (Rosenbrock), off otherwise.
    minimum : (x, y), optional
        Marked with a star.

    Returns
    -------
    Figure
    """
    gx, gy = np.meshgrid(np.linspace(*xlim, 300), np.linspace(*ylim, 300))
    z = np.asarray(f(gx, gy), dtype=np.float64)
    if z.shape != gx.shape:
        raise ValueError(f"plot_optimizer_paths: f(x, y) must return shape {gx.shape}, got {z.shape}")
    positive = z.min() > 0
    if log_levels is None:
        log_levels = bool(positive and z.max() / z.min() > 100)
    if log_levels and not positive:
        raise ValueError("plot_optimizer_paths: log_levels needs f > 0 on the plotted region")
    lv = np.geomspace(z.min(), z.max(), levels) if log_levels else levels
    ax = _subplots(1, 1, 5.5, 4.2)[1][0, 0]
    ax.contour(gx, gy, z, levels=lv, cmap="viridis", linewidths=0.7, alpha=0.7)
    for i, (name, path) in enumerate(paths.items()):
        p = np.asarray(path, dtype=np.float64)
        if p.ndim != 2 or p.shape[1] != 2:
            raise ValueError(f"plot_optimizer_paths: path {name!r} must have shape (T, 2), got shape {p.shape}")
        ax.plot(p[:, 0], p[:, 1], "-o", color=f"C{i}", markersize=2, linewidth=1, label=name)
    if minimum is not None:
        ax.plot(*minimum, "*", color="k", markersize=10, label="minimum")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel, xlim=xlim, ylim=ylim)
    _legend_if_many(ax)
    return ax.figure


# --------------------------------------------------------------------------- image grids


def _image_grid(images: list[np.ndarray], titles: list[str], title: str, ncols: int, cmap: str) -> Any:
    n = len(images)
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    fig, axes = _subplots(nrows, ncols, 1.3 * ncols + 0.4, 1.3 * nrows + 0.5)
    for i, ax in enumerate(axes.flat):
        ax.set_axis_off()  # images have no meaningful axes; the panel title names them
        if i < n:
            ax.imshow(images[i], cmap=None if images[i].ndim == 3 else cmap, interpolation="nearest")
            ax.set_title(titles[i], fontsize=8)
    fig.suptitle(title)
    return fig


def _unit_range(a: np.ndarray) -> np.ndarray:
    lo, hi = a.min(), a.max()
    return np.zeros_like(a) if hi == lo else (a - lo) / (hi - lo)


def plot_filters(w: np.ndarray, title: str = "Filters", *, ncols: int = 8, cmap: str = "gray") -> Any:
    """Convolution filters as images.

    Parameters
    ----------
    w : (F, C, kh, kw) weights
        ``C == 3``: each filter is shown as one RGB image (scaled to [0, 1] per filter);
        ``C == 1``: one grey image per filter; otherwise one panel per (filter, channel) pair.

    Returns
    -------
    Figure, one panel per image, titled ``"filter i"`` (or ``"f i, ch j"``).
    """
    w = np.asarray(w, dtype=np.float64)
    if w.ndim != 4:
        raise ValueError(f"plot_filters: w must have shape (F, C, kh, kw), got shape {w.shape}")
    n_filters, channels = w.shape[:2]
    if channels == 3:
        images = [_unit_range(f.transpose(1, 2, 0)) for f in w]
        titles = [f"filter {i}" for i in range(n_filters)]
    elif channels == 1:
        images, titles = list(w[:, 0]), [f"filter {i}" for i in range(n_filters)]
    else:
        images = [w[i, j] for i in range(n_filters) for j in range(channels)]
        titles = [f"f {i}, ch {j}" for i in range(n_filters) for j in range(channels)]
        ncols = channels if channels <= 16 else ncols
    return _image_grid(images, titles, title, ncols, cmap)


def plot_feature_maps(maps: np.ndarray, title: str = "Feature maps", *, ncols: int = 8, cmap: str = "viridis") -> Any:
    """The channels of one feature map ``maps`` : (C, H, W), one panel each, titled ``"channel i"``."""
    maps = np.asarray(maps, dtype=np.float64)
    if maps.ndim != 3:
        raise ValueError(
            f"plot_feature_maps: maps must have shape (C, H, W) (one sample; take x[0] of a batch), got shape "
            f"{maps.shape}"
        )
    return _image_grid(list(maps), [f"channel {i}" for i in range(len(maps))], title, ncols, cmap)


def _to_hwc(images: np.ndarray) -> np.ndarray:
    if images.ndim == 4 and images.shape[1] in (1, 3) and images.shape[-1] not in (1, 3):
        images = images.transpose(0, 2, 3, 1)  # (N, C, H, W) -> (N, H, W, C)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim not in (3, 4) or (images.ndim == 4 and images.shape[-1] != 3):
        raise ValueError(
            f"plot_image_grid: images must have shape (N, H, W), (N, H, W, 3) or (N, C, H, W) with C in (1, 3), "
            f"got shape {images.shape}"
        )
    return images


def plot_image_grid(
    images: np.ndarray,
    labels: Sequence[Any] | None = None,
    title: str = "Images",
    *,
    ncols: int = 8,
    cmap: str = "gray",
) -> Any:
    """A grid of images, each titled with its label.

    Parameters
    ----------
    images : (N, H, W), (N, H, W, 3) or (N, C, H, W) with C in {1, 3}
        RGB values should be in [0, 1]. Flattened digits: ``X[:16].reshape(-1, 8, 8)``.
    labels : N labels, optional (panel titles; the index otherwise)

    Returns
    -------
    Figure with N visible panels.
    """
    images = _to_hwc(np.asarray(images, dtype=np.float64))
    if labels is not None and len(labels) != len(images):
        raise ValueError(f"plot_image_grid: got {len(labels)} labels for {len(images)} images")
    titles = [str(lab) for lab in labels] if labels is not None else [str(i) for i in range(len(images))]
    return _image_grid(list(images), titles, title, ncols, cmap)
