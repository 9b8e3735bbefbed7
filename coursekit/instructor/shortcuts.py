"""Shortcut answers: for an answer with ``forbid=``, the one-liner that calls a forbidden callable instead of
doing the exercise's work. ``coursekit check`` grades one such submission per assignment and proves it loses
every point of those exercises, with a ``uses_reference`` flag naming the callable; ``make shortcuts``
(``tests/test_shortcuts.py``) grades one per forbidden callable.

A shortcut keeps the solution's signatures and makes each function (each method but ``__init__``) one line,
``return <forbidden callable>(<the answer's arguments>)``; an answer that defines no function (a dict of
weights) gets a line that takes the callable. For a forbidden module the shortcut calls its public callable
whose name is closest to the answer's (``torch.autograd`` -> ``torch.autograd.backward`` for
``batchnorm_backward``). Submission ``shortcut_j`` holds the *j*-th forbidden callable of every exercise that
has one.
"""

from __future__ import annotations

import ast
import difflib
import importlib

import nbformat

from coursekit import exercises

from . import forbid

FLAG = forbid.FLAG


def callee(entry: str, name: str) -> tuple[str, str] | str:
    """``(import line, callable expression)`` for a forbid entry, or why no shortcut applies."""
    entry = exercises.canonical(entry)
    if entry.startswith("__main__."):
        return "", entry.split(".", 1)[1]
    module = _module_prefix(entry)
    if module is None:
        return f"{entry} cannot be imported"
    if module == entry:  # a whole module: its callable that looks most like the answer
        members = _public_members(entry)
        best = difflib.get_close_matches(name.lower(), [m.lower() for m in members], n=1, cutoff=0.3)
        if not best:
            return f"no public callable of {entry} resembles {name!r}"
        entry = f"{entry}.{next(m for m in members if m.lower() == best[0])}"
    return f"import {module}\n", entry


def _module_prefix(entry: str) -> str | None:
    parts = entry.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        return ".".join(parts[:cut])
    return None


def _public_members(module: str) -> list[str]:
    targets = exercises.resolve([module])
    labels = set(targets.objects.values()) | set(targets.codes.values()) | set(targets.builtins.values())
    names = {label[len(module) + 1 :].split(".")[0] for label in labels if label.startswith(module + ".")}
    return sorted(n for n in names if n and not n.startswith("_"))


class _OneLiner(ast.NodeTransformer):
    """Every function and method (``__init__`` aside) returns ``callee(<its arguments>)``."""

    def __init__(self, call: str):
        self.call = call

    def visit_FunctionDef(self, node: ast.FunctionDef):  # noqa: N802 (ast.NodeTransformer's API)
        if node.name == "__init__":
            return node
        args = node.args
        names = [a.arg for a in args.posonlyargs + args.args if a.arg not in ("self", "cls")]
        parts = names + ([f"*{args.vararg.arg}"] if args.vararg else [])
        parts += [f"{a.arg}={a.arg}" for a in args.kwonlyargs] + ([f"**{args.kwarg.arg}"] if args.kwarg else [])
        node.body = ast.parse(f"return {self.call}({', '.join(parts)})").body
        node.decorator_list = [d for d in node.decorator_list if ast.unparse(d) in ("staticmethod", "classmethod")]
        return node


def shortcut(solution: str, grade_id: str, entry: str) -> tuple[str, str] | str:
    """``(answer code, callable it calls)`` for one forbid entry, or why none applies."""
    tree = ast.parse(solution)
    defs = [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    found = callee(entry, defs[0] if defs else grade_id)
    if isinstance(found, str):
        return found
    imports, call = found
    if not defs:
        return f"{imports}{ast.unparse(tree)}\n_reference = {call}\n", call
    return f"{imports}{ast.unparse(_OneLiner(call).visit(tree))}\n", call


def strip_markers(source: str) -> str:
    """An answer's solution without nbgrader's ``### BEGIN/END SOLUTION`` lines."""
    return "\n".join(line for line in source.splitlines() if "### BEGIN SOLUTION" not in line and "### END" not in line)


def plan(solution_nb, rounds: int | None = None) -> tuple[dict[str, dict[str, tuple[str, str]]], list[str]]:
    """``({"shortcut_j": {grade_id: (code, callable)}}, entries no shortcut applies to)`` for the instructor's
    notebook; ``rounds`` keeps the first submissions only (1: each exercise's first forbidden callable)."""
    sources = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in solution_nb.cells}
    students: dict[str, dict[str, tuple[str, str]]] = {}
    skipped = []
    for exercise in forbid.exercises(solution_nb):
        for j, entry in enumerate(exercise.forbid[:rounds]):
            made = shortcut(strip_markers(sources[exercise.answer]), exercise.answer, entry)
            if isinstance(made, str):
                skipped.append(f"{exercise.answer}/{entry}: {made}")
            else:
                students.setdefault(f"shortcut_{j}", {})[exercise.answer] = made
    return students, skipped


def submission(release_nb, answers: dict[str, tuple[str, str]]):
    """The student notebook with the shortcut answers in their cells, the other answers left blank."""
    nb = nbformat.from_dict(release_nb)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id][0]
    return nb


def names(detail: str, call: str) -> bool:
    """Does a flag's text name the callable (by another path to the same object, at least by its name)?"""
    return call in detail or f".{call.rsplit('.', 1)[-1]} " in detail


def problems(solution_nb, answers: dict[str, tuple[str, str]], scored: dict[str, float], flags: list[str]) -> list[str]:
    """What a graded shortcut submission got wrong: points kept by an exercise answered with a shortcut, or no
    ``uses_reference`` flag (``flags``: the flag details, ``"<answer> ..."``) naming its callable."""
    tests_of = {e.answer: e.tests for e in forbid.exercises(solution_nb)}
    found = []
    for answer, (_code, call) in answers.items():
        kept = {t: scored.get(t) for t in tests_of[answer] if scored.get(t) != 0.0}
        if kept:
            found.append(f"{answer} calling {call} kept points: {kept}")
        if not any(d.startswith(f"{answer} ") and names(d, call) for d in flags):
            found.append(f"{answer} calling {call}: no {forbid.FLAG} flag (got {flags})")
    return found
