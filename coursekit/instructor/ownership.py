"""Which checks compare a student's value with another value of the student's own: they must say ``own=True``.

The grader judges a check against the **reference** run's expected value (``verdict.py``), unless the test
writes ``own=True``. A check whose expected value the student's code computes (a second call of their seeded
function, the numerical gradient of their forward pass, a value drawn from a generator their code has used)
without ``own=True`` passes in the student's kernel and fails at grading as soon as an honest answer differs
from the reference in the last bits, or draws its random numbers in another order: full marks in JupyterLab,
zero in the gradebook. Four such checks were found in the course by hand; this module finds them statically.

A forward data-flow over the instructor's notebook, cell by cell in order: the names an answer cell binds are
the student's; a name assigned from an expression that mentions one of the student's names becomes the
student's, and so do a random generator passed to the student's code (it drew from it), the arguments of an
in-place function of theirs (``initialise_(model)``: PyTorch's trailing ``_``) and what a callback they call
appends to (``seen.append(x)`` in the function a search evaluates); a name assigned from anything else is the
notebook's again. Data passed in stays the notebook's: an answer that modifies its input fails the tests that
say it must not. Then every ``coursekit.grading`` check in a tests cell whose expected side (``expected``; the function,
point and ``dout`` of ``assert_gradient``; the bounds of ``assert_between``; the shape of ``assert_shape``; the
exception and ``mentions`` of ``assert_raises``) mentions a student name must say ``own=True`` (``assert_between``,
``assert_shape`` and ``assert_raises`` have no ``own``: the test must be written otherwise). It
over-approximates: a finding is a check to read, ``own=True`` or a rewrite its usual answer.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from .forbid import _is_answer, _is_test, _meta, answer_names
from .pyast import parse

# check -> (positions, keywords) of its expected side
EXPECTED = {
    "assert_close": ((1,), ("expected",)),
    "assert_equal": ((1,), ("expected",)),
    "assert_gradient": ((1, 2), ("f", "x", "dout")),
    "assert_between": ((1, 2), ("low", "high")),
    "assert_shape": ((1,), ("expected_shape",)),
    "assert_raises": ((0,), ("exception", "mentions")),
}


@dataclass(frozen=True)
class Finding:
    test: str  # grade id of the tests cell
    line: int  # line in that cell
    check: str  # assert_close, ...
    names: tuple[str, ...]  # the student's names its expected side mentions

    def __str__(self) -> str:
        own = "own=True" if self.check in ("assert_close", "assert_equal", "assert_gradient") else "a rewrite"
        return (
            f"{self.test}, line {self.line}: {self.check}'s expected side uses {', '.join(self.names)}, computed by "
            f"the student's code; without {own} the grader compares with the reference run's value"
        )


RNG_MAKERS = {"default_rng", "RandomState", "Generator"}
MUTATORS = {"append", "extend", "insert", "update", "add", "pop", "clear", "setdefault", "remove", "discard", "fill"}


def _mentions(node, tainted: set[str], indices: bool = True) -> set[str]:
    """The tainted names ``node`` reads (``indices=False``: not those only used as a subscript's index: a key
    taken from the student's dict still selects the reference's entry)."""
    if node is None:
        return set()
    found, stack = set(), [node]
    while stack:
        n = stack.pop()
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id in tainted:
            found.add(n.id)
        if isinstance(n, ast.Subscript) and not indices:
            stack.append(n.value)
            continue
        stack.extend(ast.iter_child_nodes(n))
    return found - _bound_inside(node)


def _bound_inside(node) -> set[str]:
    """Names that comprehensions, lambdas and nested functions in ``node`` bind for themselves (their
    targets and parameters), and names a function body assigns: not the notebook's globals."""
    bound = set()
    for n in ast.walk(node):
        if isinstance(n, ast.comprehension):
            bound.update(_target_names(n.target))
        elif isinstance(n, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef)):
            a = n.args
            bound.update(x.arg for x in [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg] if x)
            if not isinstance(n, ast.Lambda):
                bound.update(t.id for t in ast.walk(n) if isinstance(t, ast.Name) and isinstance(t.ctx, ast.Store))
    return bound


def _target_names(target) -> list[str]:
    """Names an assignment target binds or modifies (``a``, ``a, b``, ``a[i]``, ``a.x``: the base name)."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for elt in target.elts for n in _target_names(elt)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    if isinstance(target, (ast.Subscript, ast.Attribute)):
        return _target_names(target.value)
    return []


def _check_name(call: ast.Call) -> str | None:
    name = _callee(call)
    return name if name in EXPECTED else None


class _Flow:
    def __init__(self):
        self.tainted: set[str] = set()
        self.rngs: set[str] = set()  # names bound to a random generator
        self.lines: list[str] = []  # the current cell's source
        self.mutates: dict[str, set[str]] = {}  # notebook function -> the globals it modifies
        self.findings: list[Finding] = []

    def cell(self, source: str, test: str | None) -> None:
        self.lines = source.splitlines()
        tree = parse(source)
        for stmt in tree.body if tree is not None else []:
            self._statement(stmt, test)

    def _calls(self, node, test: str | None, statement: bool = False) -> None:
        """Checks in this statement's expressions (judged before it binds anything), then the names that
        calls of the student's code have drawn from (a generator passed to it) or were called to modify (an
        in-place function, named with a trailing ``_`` as in PyTorch: after ``initialise_(model, ...)`` the model's
        weights are the student's)."""
        for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
            check = _check_name(call) if test is not None else None
            if check is not None and not self._acknowledged(call):
                positions, keywords = EXPECTED[check]
                sides = [call.args[i] for i in positions if i < len(call.args)]
                sides += [k.value for k in call.keywords if k.arg in keywords]
                names = (
                    set().union(*(_mentions(side, self.tainted, indices=False) for side in sides)) if sides else set()
                )
                if names:
                    self.findings.append(Finding(test, call.lineno, check, tuple(sorted(names))))
            if check is None and _mentions(call.func, self.tainted):
                for arg in [*call.args, *(k.value for k in call.keywords)]:
                    if isinstance(arg, ast.Name) and arg.id in self.mutates:  # a callback the student's code calls
                        self.tainted.update(self.mutates[arg.id])
                    if isinstance(arg, (ast.Name, ast.Attribute)):
                        names = _target_names(arg)
                        modifies = (
                            statement
                            and call is node
                            and isinstance(call.func, ast.Name)
                            and call.func.id.endswith("_")
                        )
                        self.tainted.update(n for n in names if modifies or n in self.rngs)

    def _acknowledged(self, call: ast.Call) -> bool:
        """``own=True``, or a comment saying "not yours" on the check's lines or the line above it: the test's
        author has read the check and its expected side is the reference's (the flow cannot tell)."""
        if any(k.arg == "own" and isinstance(k.value, ast.Constant) and k.value.value is True for k in call.keywords):
            return True
        lines = self.lines[max(call.lineno - 2, 0) : (call.end_lineno or call.lineno)]
        return any("#" in line and "not yours" in line.split("#", 1)[1] for line in lines)

    def _statement(self, stmt, test: str | None) -> None:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if _mentions(stmt, self.tainted):  # a helper that calls the student's code returns the student's values
                self.tainted.add(stmt.name)
            else:
                self.tainted.discard(stmt.name)
            self.mutates[stmt.name] = _mutated_globals(stmt)
            return
        if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            value = stmt.value
            if value is not None:
                self._calls(value, test)
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            student = bool(_mentions(value, self.tainted))
            maker = isinstance(value, ast.Call) and _callee(value) in RNG_MAKERS
            for target in targets:
                names = _target_names(target)
                if isinstance(target, ast.Name) and maker:
                    self.rngs.add(target.id)
                elif isinstance(target, ast.Name):
                    self.rngs.discard(target.id)
                if student:
                    self.tainted.update(names)
                elif isinstance(target, (ast.Name, ast.Tuple, ast.List)) and not isinstance(stmt, ast.AugAssign):
                    self.tainted.difference_update(names)  # rebound (``a[i] = ...``, ``a += ...`` keep a's owner)
            return
        if isinstance(stmt, (ast.For, ast.AsyncFor)):
            self._calls(stmt.iter, test)
            self._loop_target(stmt.target, stmt.iter)
            for _ in range(2):  # a second pass: what one iteration makes the student's, the next one sees
                for inner in stmt.body:
                    self._statement(inner, test)
            for inner in stmt.orelse:
                self._statement(inner, test)
            return
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                self._calls(item.context_expr, test)
                if item.optional_vars is not None and _mentions(item.context_expr, self.tainted):
                    self.tainted.update(_target_names(item.optional_vars))
            for inner in stmt.body:
                self._statement(inner, test)
            return
        if isinstance(stmt, (ast.If, ast.While)):
            self._calls(stmt.test, test)
            for inner in [*stmt.body, *stmt.orelse]:
                self._statement(inner, test)
            return
        if isinstance(stmt, ast.Try):
            for inner in [*stmt.body, *(s for h in stmt.handlers for s in h.body), *stmt.orelse, *stmt.finalbody]:
                self._statement(inner, test)
            return
        self._calls(stmt.value if isinstance(stmt, ast.Expr) else stmt, test, statement=isinstance(stmt, ast.Expr))

    def _loop_target(self, target, iterable) -> None:
        """``for f, g, name in ((student_f, ref_g, "a"), ...)`` or ``for got, want in zip(yours, ref)``:
        position by position; otherwise every target is the student's if the iterable mentions the student's."""
        rows = iterable.elts if isinstance(iterable, (ast.Tuple, ast.List)) else None
        if (
            isinstance(target, ast.Tuple)
            and rows
            and all(isinstance(r, ast.Tuple) and len(r.elts) == len(target.elts) for r in rows)
        ):
            columns = [[r.elts[k] for r in rows] for k in range(len(target.elts))]
        elif (
            isinstance(target, ast.Tuple)
            and len(target.elts) == 2
            and isinstance(iterable, ast.Call)
            and _callee(iterable) == "enumerate"
            and iterable.args
        ):
            self._loop_target(target.elts[1], iterable.args[0])
            self.tainted.difference_update(_target_names(target.elts[0]))  # the index: the notebook's
            return
        elif isinstance(target, ast.Tuple) and isinstance(iterable, ast.Call) and _callee(iterable) == "zip":
            columns = [[a] for a in iterable.args] if len(iterable.args) == len(target.elts) else None
        else:
            columns = None
        if columns is not None:  # position by position: zip(student's, reference's) keeps the reference's clean
            for element, column in zip(target.elts, columns, strict=True):
                names = _target_names(element)
                if any(_mentions(c, self.tainted) for c in column):
                    self.tainted.update(names)
                else:
                    self.tainted.difference_update(names)
        elif _mentions(iterable, self.tainted):
            self.tainted.update(_target_names(target))
        else:
            self.tainted.difference_update(_target_names(target))


def _mutated_globals(func) -> set[str]:
    """Globals a function modifies: ``calls.append(...)``, ``log[k] = ...``, ``global`` names it assigns."""
    local = _bound_inside(func) - {n for g in ast.walk(func) if isinstance(g, ast.Global) for n in g.names}
    found = {n for g in ast.walk(func) if isinstance(g, ast.Global) for n in g.names}
    for n in ast.walk(func):
        if (
            isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and isinstance(n.func.value, ast.Name)
            and n.func.attr in MUTATORS
        ):
            found.add(n.func.value.id)
        elif isinstance(n, (ast.Subscript, ast.Attribute)) and isinstance(n.ctx, ast.Store):
            found.update(_target_names(n))
    return found - local


def _callee(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def findings(nb) -> list[Finding]:
    """The checks of the instructor's notebook ``nb`` whose expected side the student's code computes and that
    do not say ``own=True``."""
    flow = _Flow()
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        if _is_answer(cell):
            flow.tainted.update(answer_names(cell.source))
        else:
            flow.cell(cell.source, _meta(cell).get("grade_id") if _is_test(cell) else None)
    return list(dict.fromkeys(flow.findings))  # a loop body is read twice: each finding once
