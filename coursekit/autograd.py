r"""A scalar reverse-mode automatic differentiation engine (the backprop lecture's ``Value``).

Every operation builds a new :class:`Value` and records, for each input, the *local derivative*
:math:`\partial\,\text{out} / \partial\,\text{input}` computed right next to the forward value:
``node.parents`` is a tuple of :class:`Edge` ``(parent, local_grad)`` pairs that you can print.
``backward()`` then applies the chain rule from the output back to the leaves,

.. math::  \frac{\partial L}{\partial p} = \sum_{\text{children } c \text{ of } p}
           \frac{\partial L}{\partial c}\,\frac{\partial c}{\partial p},

visiting nodes in reverse topological order, so every node's gradient is complete before it is
passed on. A value used twice (``x * x``) has two edges, and their contributions add up.

Unlike PyTorch, ``backward()`` **zeroes every gradient in the graph first**: calling it twice
gives the same gradients instead of doubling them (micrograd's double-counting is a classic trap).
The flip side: gradients never accumulate across two ``backward()`` calls; to differentiate a sum
of outputs, build the sum and call ``backward()`` on it once.

>>> x, y, z = Value(-2.0, "x"), Value(5.0, "y"), Value(-4.0, "z")
>>> f = (x + y) * z
>>> f.backward()
>>> f.data, x.grad, y.grad, z.grad
(-12.0, -4.0, -4.0, 3.0)
"""

from __future__ import annotations

import math
import numbers
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # pragma: no cover
    import matplotlib.axes
    import matplotlib.figure

__all__ = ["Edge", "Value", "draw"]


class Edge(NamedTuple):
    """One input of an operation and the local derivative of the output with respect to it."""

    parent: Value
    local_grad: float


def _as_value(x: Value | float) -> Value:
    if isinstance(x, Value):
        return x
    if isinstance(x, numbers.Real):
        return Value(float(x), label=f"{float(x):g}")
    raise TypeError(f"Value: cannot combine a Value with {type(x).__name__} (use a Value or a real number)")


class Value:
    """A scalar that remembers how it was computed.

    Parameters
    ----------
    data : float
        The forward value.
    label : str
        Shown by :func:`draw` (e.g. ``"x"``).

    Attributes
    ----------
    data : float
    grad : float
        :math:`\\partial L / \\partial\\, \\text{self}` after ``L.backward()``; starts at 0.
    op : str
        The operation that produced this node (``""`` for a leaf).
    parents : tuple of Edge
        ``(parent, local_grad)`` pairs, one per input of ``op``.
    """

    __slots__ = ("data", "grad", "label", "op", "parents")

    def __init__(self, data: float, label: str = "", *, op: str = "", parents: tuple[Edge, ...] = ()) -> None:
        if isinstance(data, Value) or not isinstance(data, numbers.Real):
            raise TypeError(f"Value: data must be a real number, got {type(data).__name__}")
        self.data = float(data)
        self.grad = 0.0
        self.label = label
        self.op = op
        self.parents = tuple(Edge(p, float(g)) for p, g in parents)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{label})"

    # --- binary operations: forward value and local derivatives side by side ------------------

    def __add__(self, other: Value | float) -> Value:
        other = _as_value(other)
        return Value(self.data + other.data, op="+", parents=((self, 1.0), (other, 1.0)))

    def __mul__(self, other: Value | float) -> Value:
        other = _as_value(other)
        return Value(self.data * other.data, op="*", parents=((self, other.data), (other, self.data)))

    def __sub__(self, other: Value | float) -> Value:
        other = _as_value(other)
        return Value(self.data - other.data, op="-", parents=((self, 1.0), (other, -1.0)))

    def __truediv__(self, other: Value | float) -> Value:
        other = _as_value(other)
        a, b = self.data, other.data
        if b == 0.0:
            raise ZeroDivisionError(f"Value: division by zero ({a:g} / 0)")
        # d(a/b)/da = 1/b, d(a/b)/db = -a/b^2
        return Value(a / b, op="/", parents=((self, 1.0 / b), (other, -a / (b * b))))

    def __pow__(self, n: float) -> Value:
        if isinstance(n, Value) or not isinstance(n, numbers.Real):
            raise TypeError(f"Value: the exponent must be a number, got {type(n).__name__}")
        x, n = self.data, float(n)
        if x < 0 and not n.is_integer():
            raise ValueError(f"Value: {x:g} ** {n:g} is not a real number (negative base, fractional power)")
        if x == 0 and n < 0:
            raise ZeroDivisionError(f"Value: 0 ** {n:g} divides by zero")
        return Value(x**n, op=f"**{n:g}", parents=((self, _power_rule(x, n)),))

    def __radd__(self, other: float) -> Value:
        return _as_value(other) + self

    def __rsub__(self, other: float) -> Value:
        return _as_value(other) - self

    def __rmul__(self, other: float) -> Value:
        return _as_value(other) * self

    def __rtruediv__(self, other: float) -> Value:
        return _as_value(other) / self

    def __neg__(self) -> Value:
        return Value(-self.data, op="neg", parents=((self, -1.0),))

    # --- unary functions ------------------------------------------------------------------------

    def exp(self) -> Value:
        e = math.exp(self.data)
        return Value(e, op="exp", parents=((self, e),))  # d e^x / dx = e^x

    def log(self) -> Value:
        x = self.data
        if x <= 0:
            raise ValueError(f"Value.log: the logarithm needs a positive number, got {x:g}")
        return Value(math.log(x), op="log", parents=((self, 1.0 / x),))

    def tanh(self) -> Value:
        t = math.tanh(self.data)
        return Value(t, op="tanh", parents=((self, 1.0 - t * t),))

    def relu(self) -> Value:
        x = self.data
        # the derivative at the kink x = 0 is taken as 0, as torch does
        return Value(max(x, 0.0), op="relu", parents=((self, 1.0 if x > 0 else 0.0),))

    def sigmoid(self) -> Value:
        s = _stable_sigmoid(self.data)
        return Value(s, op="sigmoid", parents=((self, s * (1.0 - s)),))

    # --- backpropagation ------------------------------------------------------------------------

    def backward(self, grad: float = 1.0) -> None:
        r"""Fill ``.grad`` of every node in this graph with :math:`\partial\,\text{self} / \partial\,\text{node}`.

        All gradients in the graph are reset to 0 first (see the module docstring), then
        ``self.grad = grad`` and the chain rule runs in reverse topological order.
        """
        order = topological_order(self)
        for node in order:
            node.grad = 0.0
        self.grad = float(grad)
        for node in reversed(order):
            for parent, local_grad in node.parents:
                parent.grad += local_grad * node.grad


def _power_rule(x: float, n: float) -> float:
    if n == 0.0:
        return 0.0
    if x == 0.0 and n < 1.0:
        return math.inf  # e.g. d sqrt(x)/dx at 0
    return n * x ** (n - 1.0)


def _stable_sigmoid(x: float) -> float:
    # exp of a non-positive number never overflows
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def topological_order(root: Value) -> list[Value]:
    """Every node that ``root`` depends on, each after all of its parents (``root`` last).

    Iterative depth-first search with an explicit stack: a chain of 100 000 operations does not
    hit Python's recursion limit.
    """
    order: list[Value] = []
    visited: set[int] = set()
    stack: list[tuple[Value, bool]] = [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.append((node, True))  # revisited once all parents pushed above it are finished
        stack.extend((p, False) for p, _ in node.parents if id(p) not in visited)
    return order


# ----------------------------------------------------------------------------------------------
# Drawing
# ----------------------------------------------------------------------------------------------


def _depths(order: list[Value]) -> dict[int, int]:
    """Column of each node: one right of its deepest parent; leaves just left of their first use.

    Placing an input next to the operation that consumes it keeps its edge from running behind
    other nodes (``b`` in ``x*w + b`` sits beside ``x*w``, not among ``x`` and ``w``).
    """
    depth: dict[int, int] = {}
    for node in order:
        depth[id(node)] = 1 + max((depth[id(p)] for p, _ in node.parents), default=-1)
    first_use: dict[int, int] = {}
    for node in order:
        for parent, _ in node.parents:
            first_use[id(parent)] = min(first_use.get(id(parent), depth[id(node)]), depth[id(node)])
    for node in order:
        if not node.parents and id(node) in first_use:
            depth[id(node)] = first_use[id(node)] - 1
    return depth


def _positions(order: list[Value], depth: dict[int, int]) -> dict[int, tuple[float, float]]:
    """(x, y) of every node: x = 2 * depth (op nodes sit at odd x), y centred within each column.

    A few barycentre sweeps (left to right by the parents' mean height, then right to left by
    the children's) order each column so that most edges do not cross.
    """
    columns: dict[int, list[Value]] = {}
    children: dict[int, list[Value]] = {}
    for node in order:
        columns.setdefault(depth[id(node)], []).append(node)
        for parent, _ in node.parents:
            children.setdefault(id(parent), []).append(node)
    y = {id(v): _height(i, len(col)) for col in columns.values() for i, v in enumerate(col)}
    for sweep in range(4):
        rightwards = sweep % 2 == 0
        for d in sorted(columns, reverse=not rightwards):
            col = columns[d]
            near = (lambda v: [p for p, _ in v.parents]) if rightwards else (lambda v: children.get(id(v), []))
            col.sort(key=lambda v, near=near: -_mean([y[id(u)] for u in near(v)], default=y[id(v)]))
            y.update((id(v), _height(i, len(col))) for i, v in enumerate(col))
    return {key: (2.0 * depth[key], height) for key, height in y.items()}


def _height(i: int, n: int) -> float:
    return (n - 1) / 2.0 - i


def _mean(values: list[float], default: float) -> float:
    return sum(values) / len(values) if values else default


def draw(value: Value, *, ax: matplotlib.axes.Axes | None = None, digits: int = 4) -> matplotlib.figure.Figure:
    """Draw the computational graph that produced ``value``, left (inputs) to right (output).

    Every :class:`Value` is a box showing its label, ``data`` and ``grad``; every operation is a
    small circle between its inputs and its result. Pure matplotlib: no graphviz needed.

    Parameters
    ----------
    value : Value
        The output node; call ``value.backward()`` first to see the gradients.
    ax : matplotlib Axes, optional
        Draw into this Axes instead of a new figure.
    digits : int
        Significant digits shown for data and grad.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Value boxes are text artists with gid ``"value"``, operation circles have gid ``"op"``.
    """
    from matplotlib.figure import Figure

    order = topological_order(value)
    depth = _depths(order)
    pos = _positions(order, depth)
    if ax is None:
        n_cols = max(depth.values()) + 1
        n_rows = max(sum(1 for d in depth.values() if d == c) for c in range(n_cols))
        fig = Figure(figsize=(max(4.0, 2.6 * n_cols), max(2.0, 1.0 * n_rows + 0.5)), layout="constrained")
        ax = fig.add_subplot()
    for node in order:
        _draw_node(ax, node, pos, digits)
    ax.set_axis_off()
    xs = [x for x, _ in pos.values()]
    ys = [y for _, y in pos.values()]
    ax.set_xlim(min(xs) - 1.0, max(xs) + 1.0)
    ax.set_ylim(min(ys) - 0.6, max(ys) + 0.6)
    return ax.figure


def _draw_node(ax: matplotlib.axes.Axes, node: Value, pos: dict, digits: int) -> None:
    x, y = pos[id(node)]
    text = f"{node.label + ' | ' if node.label else ''}data {node.data:.{digits}g} | grad {node.grad:.{digits}g}"
    box = dict(boxstyle="round,pad=0.3", facecolor="white", edgecolor="0.3")
    ax.text(x, y, text, ha="center", va="center", fontsize=8, bbox=box, zorder=3, gid="value")
    if not node.parents:
        return
    ox = x - 1.0  # the operation sits between the inputs' column and this node
    oy = sum(pos[id(p)][1] for p, _ in node.parents) / len(node.parents) * 0.5 + y * 0.5
    circle = dict(boxstyle="circle,pad=0.2", facecolor="#dbe9f6", edgecolor="0.3")
    ax.text(ox, oy, node.op, ha="center", va="center", fontsize=8, bbox=circle, zorder=3, gid="op")
    line = dict(color="0.5", linewidth=0.8, zorder=1)
    ax.plot([ox, x], [oy, y], **line)
    for parent, _ in node.parents:
        px, py = pos[id(parent)]
        ax.plot([px, ox], [py, oy], **line)
