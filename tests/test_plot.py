"""coursekit.plot: every figure has its axes, titles, labels and legends, and draws without warnings."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from coursekit import plot  # noqa: E402
from coursekit.data import make_blobs  # noqa: E402
from coursekit.train import History  # noqa: E402

# Any warning the plotting code raises fails the test. ResourceWarnings are excluded: an event loop left
# by another test's Jupyter client can be garbage-collected while a plot test runs (not this code's doing).
pytestmark = [
    pytest.mark.filterwarnings("error"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


@pytest.fixture(autouse=True)
def _close_figures():
    with matplotlib.rc_context():
        yield
    plt.close("all")


def drawn(fig: Figure) -> Figure:
    """Render the figure (layout, text, colour mapping): warnings appear only when drawing."""
    assert isinstance(fig, Figure)
    fig.canvas.draw()
    return fig


def legend_labels(ax) -> list[str]:
    legend = ax.get_legend()
    return [] if legend is None else [t.get_text() for t in legend.get_texts()]


def sigmoid(x):
    return 0.5 * (1 + np.tanh(x / 2))


def test_setup_notebook_sets_small_deterministic_defaults():
    plot.setup_notebook(dpi=80)
    assert matplotlib.rcParams["figure.dpi"] == 80
    assert matplotlib.rcParams["svg.hashsalt"] == "coursekit"
    assert tuple(matplotlib.rcParams["figure.figsize"]) == (5.0, 3.5)


def test_plot_activations_shows_values_and_derivatives_side_by_side():
    fig = drawn(plot.plot_activations({"sigmoid": sigmoid, "tanh": (np.tanh, lambda x: 1 - np.tanh(x) ** 2)}))
    left, right = fig.axes
    assert (left.get_title(), right.get_title()) == ("Activation functions", "Derivatives")
    assert left.get_xlabel() == right.get_xlabel() == "$x$"
    assert (left.get_ylabel(), right.get_ylabel()) == ("$f(x)$", "$f'(x)$")
    assert legend_labels(left) == legend_labels(right) == ["sigmoid", "tanh"]


def test_plot_activations_estimates_a_missing_derivative():
    fig = plot.plot_activations({"sigmoid": sigmoid}, xlim=(-4, 4))
    x, dy = fig.axes[1].lines[0].get_data()
    np.testing.assert_allclose(dy[1:-1], sigmoid(x[1:-1]) * (1 - sigmoid(x[1:-1])), atol=1e-3)
    assert fig.axes[0].get_legend() is None  # one line: no legend


def test_plot_activation_single_function():
    fig = drawn(plot.plot_activation("ReLU", lambda x: np.maximum(x, 0), lambda x: (x > 0).astype(float)))
    assert len(fig.axes) == 2 and len(fig.axes[0].lines) == 1


def test_plot_decision_boundary_colours_regions_and_scatters_classes():
    X, y = make_blobs(20, centers=3, rng=0)
    fig = drawn(plot.plot_decision_boundary(lambda P: (P[:, 0] > 0).astype(int) + (P[:, 1] > 2), X, y))
    (ax,) = fig.axes
    assert ax.get_title() == "Decision boundary"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("$x_1$", "$x_2$")
    assert legend_labels(ax) == ["class 0", "class 1", "class 2"]


def test_plot_decision_boundary_accepts_scores_and_an_existing_axes():
    X, y = make_blobs(20, centers=2, rng=0)
    fig, axes = plt.subplots(1, 3)
    for epoch, ax in enumerate(axes):
        out = plot.plot_decision_boundary(
            lambda P: np.column_stack([-P[:, 0], P[:, 0]]), X, y, ax, title=f"epoch {epoch}"
        )
        assert out is fig
    assert [ax.get_title() for ax in fig.axes] == ["epoch 0", "epoch 1", "epoch 2"]
    drawn(fig)


def test_plot_decision_boundary_rejects_points_that_are_not_2d():
    with pytest.raises(ValueError, match=r"plot_decision_boundary: X must have shape \(N, 2\)"):
        plot.plot_decision_boundary(lambda P: P[:, 0], np.zeros((5, 3)), np.zeros(5, dtype=int))


def test_plot_curves_draws_one_line_per_run_with_a_log_axis():
    fig = drawn(
        plot.plot_curves(
            {"mu = 0.01": [10.0, 5.0, 2.0], "mu = 0.1": ([1, 2, 3], [10.0, 50.0, 200.0])},
            title="ADALINE cost",
            ylabel="cost",
            logy=True,
        )
    )
    (ax,) = fig.axes
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("ADALINE cost", "epoch", "cost")
    assert ax.get_yscale() == "log"
    assert legend_labels(ax) == ["mu = 0.01", "mu = 0.1"]


def history(offset: float = 0.0) -> History:
    return History(
        train_loss=[1.0 + offset, 0.5, 0.3],
        train_acc=[0.5, 0.8, 0.9],
        val_loss=[1.1, 0.7, 0.6],
        val_acc=[0.4, 0.7, 0.8],
        lr=[0.1] * 3,
        best_epoch=2,
    )


def test_plot_history_single_run_has_loss_and_accuracy_panels():
    fig = drawn(plot.plot_history(history()))
    loss_ax, acc_ax = fig.axes
    assert (loss_ax.get_title(), acc_ax.get_title()) == ("Loss", "Accuracy")
    assert (loss_ax.get_xlabel(), loss_ax.get_ylabel(), acc_ax.get_ylabel()) == ("epoch", "loss", "accuracy")
    assert legend_labels(loss_ax) == ["train", "val"]
    assert fig.get_suptitle() == "Training history"


def test_plot_history_several_runs_and_dicts():
    fig = drawn(plot.plot_history({"tanh": history(), "relu": history(0.5).to_dict()}, title="tanh vs ReLU"))
    assert legend_labels(fig.axes[0]) == ["tanh train", "tanh val", "relu train", "relu val"]
    assert fig.get_suptitle() == "tanh vs ReLU"


def test_plot_history_without_accuracy_has_only_the_loss_panel():
    h = History(train_loss=[1.0, 0.5], train_acc=[float("nan")] * 2, lr=[0.1, 0.1])
    fig = drawn(plot.plot_history(h, logy=True))
    assert [ax.get_title() for ax in fig.axes] == ["Loss"]
    assert fig.axes[0].get_yscale() == "log"


def test_plot_layer_histograms_one_panel_per_layer():
    rng = np.random.default_rng(0)
    layers = [np.tanh(rng.normal(0, s, (100, 20))) for s in (1.0, 0.5, 0.1)]
    fig = drawn(plot.plot_layer_histograms(layers, "tanh, small init", xlabel="activation"))
    assert len(fig.axes) == 3
    assert fig.get_suptitle() == "tanh, small init"
    assert [ax.get_title().splitlines()[0] for ax in fig.axes] == ["layer 1", "layer 2", "layer 3"]
    assert "mean" in fig.axes[0].get_title() and "std" in fig.axes[0].get_title()
    assert all(ax.get_xlabel() == "activation" for ax in fig.axes)
    assert fig.axes[0].get_ylabel() == "count"
    assert fig.axes[0].get_xlim() == fig.axes[2].get_xlim()


def test_plot_layer_histograms_handles_constant_and_nonfinite_layers():
    fig = drawn(plot.plot_layer_histograms([np.zeros(10), np.array([1.0, np.inf, np.nan])], "dead", labels=["a", "b"]))
    assert [ax.get_title().splitlines()[0] for ax in fig.axes] == ["a", "b"]


def test_plot_optimizer_paths_on_rosenbrock():
    def rosenbrock(x, y):
        return (1 - x) ** 2 + 100 * (y - x**2) ** 2

    paths = {"SGD": np.array([[-1.5, 2.0], [-1.0, 1.5], [0.0, 0.5]]), "Adam": np.array([[-1.5, 2.0], [0.5, 0.5]])}
    fig = drawn(plot.plot_optimizer_paths(rosenbrock, paths, (-2, 2), (-1, 3), minimum=(1, 1), title="Rosenbrock"))
    (ax,) = fig.axes
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("Rosenbrock", "$w_1$", "$w_2$")
    assert legend_labels(ax) == ["SGD", "Adam", "minimum"]


def test_plot_optimizer_paths_contours_only_on_a_quadratic():
    fig = drawn(plot.plot_optimizer_paths(lambda x, y: x**2 + 10 * y**2, {}, (-3, 3), (-3, 3)))
    assert fig.axes[0].get_title() == "Optimiser paths"


def test_plot_optimizer_paths_rejects_a_bad_path():
    with pytest.raises(ValueError, match=r"path 'SGD' must have shape \(T, 2\)"):
        plot.plot_optimizer_paths(lambda x, y: x + y, {"SGD": np.zeros((4, 3))}, (0, 1), (0, 1))


@pytest.mark.parametrize(("channels", "panels"), [(1, 6), (3, 6), (2, 12)])
def test_plot_filters_one_panel_per_image(channels, panels):
    w = np.random.default_rng(0).normal(size=(6, channels, 3, 3))
    fig = drawn(plot.plot_filters(w, "conv1 filters", ncols=4))
    titled = [ax for ax in fig.axes if ax.get_title()]
    assert len(titled) == panels
    assert fig.get_suptitle() == "conv1 filters"


def test_plot_filters_rejects_a_wrong_rank():
    with pytest.raises(ValueError, match=r"plot_filters: w must have shape \(F, C, kh, kw\)"):
        plot.plot_filters(np.zeros((3, 3, 3)))


def test_plot_feature_maps_one_panel_per_channel():
    fig = drawn(plot.plot_feature_maps(np.random.default_rng(0).normal(size=(5, 8, 8)), ncols=3))
    assert [ax.get_title() for ax in fig.axes if ax.get_title()] == [f"channel {i}" for i in range(5)]
    assert len(fig.axes) == 6  # a 2 x 3 grid, the last panel left empty
    assert fig.get_suptitle() == "Feature maps"


def test_plot_feature_maps_rejects_a_batch():
    with pytest.raises(ValueError, match=r"maps must have shape \(C, H, W\)"):
        plot.plot_feature_maps(np.zeros((2, 3, 8, 8)))


@pytest.mark.parametrize("shape", [(4, 8, 8), (4, 8, 8, 3), (4, 3, 8, 8), (4, 1, 8, 8)])
def test_plot_image_grid_accepts_common_layouts(shape):
    images = np.random.default_rng(0).uniform(size=shape)
    fig = drawn(plot.plot_image_grid(images, labels=[3, 1, 4, 1], title="digits"))
    assert [ax.get_title() for ax in fig.axes if ax.get_title()] == ["3", "1", "4", "1"]
    assert fig.get_suptitle() == "digits"


def test_plot_image_grid_rejects_mismatched_labels():
    with pytest.raises(ValueError, match="plot_image_grid: got 2 labels for 4 images"):
        plot.plot_image_grid(np.zeros((4, 8, 8)), labels=[0, 1])


def test_importing_these_modules_imports_neither_matplotlib_nor_torch():
    import subprocess
    import sys

    modules = "coursekit.plot, coursekit.train, coursekit.data, coursekit.classic"
    code = f"import sys, {modules}; print('matplotlib' in sys.modules or 'torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
