"""coursekit.autograd: the scalar engine against torch float64, and its graph drawing."""

from __future__ import annotations

import math

import matplotlib
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from coursekit.autograd import Value, draw, topological_order

matplotlib.use("Agg")

TOL = 1e-10
N_VARS = 3

# ----------------------------------------------------------------------------------------------
# A small expression grammar, evaluated by the same code on Values and on torch tensors.
# Every rule keeps values finite and inputs of log / division / fractional powers positive,
# so both engines differentiate the same smooth function.
# ----------------------------------------------------------------------------------------------

UNARY = {
    "neg": lambda a: -a,
    "exp": lambda a: a.tanh().exp(),
    "log": lambda a: (a * a + 1.0).log(),
    "tanh": lambda a: a.tanh(),
    "relu": lambda a: a.relu(),
    "sigmoid": lambda a: a.sigmoid(),
    "square": lambda a: a**2,
    "cube": lambda a: a**3,
    "sqrt": lambda a: (a * a + 0.5) ** 0.5,
    "inverse": lambda a: (a * a + 1.0) ** -1.5,
}
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b * b + 1.0),
}
WITH_CONSTANT = {
    "radd": lambda a, c: c + a,
    "rsub": lambda a, c: c - a,
    "rmul": lambda a, c: c * a,
    "rdiv": lambda a, c: c / (a * a + 1.0),
    "addc": lambda a, c: a + c,
    "subc": lambda a, c: a - c,
    "mulc": lambda a, c: a * c,
    "divc": lambda a, c: a / (c * c + 1.0),
}

constants = st.floats(-3, 3, allow_nan=False)
expressions = st.recursive(
    st.integers(0, N_VARS - 1).map(lambda i: ("var", i)),
    lambda child: st.one_of(
        st.tuples(st.just("unary"), st.sampled_from(sorted(UNARY)), child),
        st.tuples(st.just("binary"), st.sampled_from(sorted(BINARY)), child, child),
        st.tuples(st.just("constant"), st.sampled_from(sorted(WITH_CONSTANT)), child, constants),
    ),
    max_leaves=12,
)


def evaluate(tree, leaves):
    kind = tree[0]
    if kind == "var":
        return leaves[tree[1]]
    if kind == "unary":
        return UNARY[tree[1]](evaluate(tree[2], leaves))
    if kind == "binary":
        return BINARY[tree[1]](evaluate(tree[2], leaves), evaluate(tree[3], leaves))
    return WITH_CONSTANT[tree[1]](evaluate(tree[2], leaves), tree[3])


@given(expressions, st.lists(st.floats(-2, 2, allow_nan=False), min_size=N_VARS, max_size=N_VARS))
def test_random_expressions_match_torch_values_and_gradients(tree, xs):
    ours = [Value(x, label=f"x{i}") for i, x in enumerate(xs)]
    theirs = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    out, tout = evaluate(tree, ours), evaluate(tree, theirs)
    out.backward()
    tout.backward()
    assert out.data == pytest.approx(tout.item(), rel=TOL, abs=TOL)
    for v, t in zip(ours, theirs, strict=True):
        expected = 0.0 if t.grad is None else t.grad.item()
        assert v.grad == pytest.approx(expected, rel=TOL, abs=TOL)


def test_lecture_example_f_equals_x_plus_y_times_z():
    x, y, z = Value(-2.0, "x"), Value(5.0, "y"), Value(-4.0, "z")
    f = (x + y) * z
    f.backward()
    assert (f.data, x.grad, y.grad, z.grad) == (-12.0, -4.0, -4.0, 3.0)


def test_backward_twice_gives_the_same_gradients():
    x, y = Value(0.7), Value(-1.3)
    f = (x * y + x.tanh()) * x
    f.backward()
    first = (x.grad, y.grad)
    f.backward()
    assert (x.grad, y.grad) == first


def test_variable_used_twice_accumulates_both_paths():
    x = Value(3.0)
    f = x * x + x  # df/dx = 2x + 1
    f.backward()
    assert x.grad == 7.0


def test_grad_starts_at_zero():
    assert Value(2.0).grad == 0.0


def test_local_derivatives_are_inspectable_edges():
    x, y = Value(2.0), Value(5.0)
    f = x * y
    assert f.op == "*"
    assert [(e.parent, e.local_grad) for e in f.parents] == [(x, 5.0), (y, 2.0)]


def test_deep_graph_does_not_hit_the_recursion_limit():
    x = Value(0.5)
    f = x
    for _ in range(20_000):
        f = f + x
    f.backward()
    assert x.grad == 20_001.0


def test_topological_order_puts_parents_before_children():
    x, y = Value(1.0), Value(2.0)
    a = x * y
    f = a + x + a.exp()
    order = topological_order(f)
    position = {id(v): i for i, v in enumerate(order)}
    assert order[-1] is f
    assert all(position[id(p)] < position[id(v)] for v in order for p, _ in v.parents)


@pytest.mark.parametrize("x", [0.0, -1.0])
def test_log_of_a_non_positive_number_raises_value_error(x):
    with pytest.raises(ValueError, match="positive"):
        Value(x).log()


def test_fractional_power_of_a_negative_number_raises_value_error():
    with pytest.raises(ValueError, match="negative base"):
        Value(-2.0) ** 0.5


def test_value_exponent_is_rejected():
    with pytest.raises(TypeError, match="exponent"):
        Value(2.0) ** Value(2.0)


def test_non_numbers_are_rejected():
    with pytest.raises(TypeError):
        Value("3")
    with pytest.raises(TypeError):
        Value(1.0) + "a"


def test_sigmoid_is_stable_for_large_inputs():
    assert Value(-1000.0).sigmoid().data == 0.0
    assert Value(1000.0).sigmoid().data == 1.0


def test_relu_derivative_at_zero_is_zero_as_torch():
    x = Value(0.0)
    x.relu().backward()
    t = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    t.relu().backward()
    assert x.grad == t.grad.item() == 0.0


def test_division_matches_quotient_rule():
    a, b = Value(3.0), Value(-2.0)
    f = a / b
    f.backward()
    assert (f.data, a.grad, b.grad) == (-1.5, -0.5, -0.75)


def test_sqrt_derivative_at_zero_is_infinite():
    x = Value(0.0)
    (x**0.5).backward()
    assert math.isinf(x.grad)


# ----------------------------------------------------------------------------------------------
# Drawing
# ----------------------------------------------------------------------------------------------


def lecture_graph():
    x, y, z = Value(-2.0, "x"), Value(5.0, "y"), Value(-4.0, "z")
    f = (x + y) * z
    f.label = "f"
    f.backward()
    return f


def test_draw_returns_a_figure_with_one_box_per_value():
    from matplotlib.figure import Figure

    f = lecture_graph()
    fig = draw(f)
    texts = fig.axes[0].texts
    assert isinstance(fig, Figure)
    assert sum(t.get_gid() == "value" for t in texts) == len(topological_order(f)) == 5
    assert sum(t.get_gid() == "op" for t in texts) == 2


def test_draw_shows_data_and_grad():
    fig = draw(lecture_graph())
    labels = [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "value"]
    assert any("x" in s and "data -2" in s and "grad -4" in s for s in labels)
    assert any("f" in s and "data -12" in s and "grad 1" in s for s in labels)


def test_draw_lays_out_inputs_left_of_outputs_by_depth():
    fig = draw(lecture_graph())
    xs = {t.get_text().split(" |")[0]: t.get_position()[0] for t in fig.axes[0].texts if t.get_gid() == "value"}
    assert xs["x"] == xs["y"] < xs["f"]
    assert xs["z"] < xs["f"]


def test_draw_renders_with_agg(tmp_path):
    x = Value(0.3, "x")
    f = (x * 2 + x.exp()).tanh()
    f.backward()
    fig = draw(f)
    fig.savefig(tmp_path / "graph.png")
    assert (tmp_path / "graph.png").stat().st_size > 0


def test_draw_into_given_axes():
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    assert draw(lecture_graph(), ax=ax) is fig
