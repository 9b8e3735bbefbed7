"""No shortcut to the reference, end to end: for every answer with ``forbid=``, an answer that calls each
forbidden callable loses all of its exercise's points through ``coursekit grade``, with a ``uses_reference``
flag naming the answer and the callable.

A shortcut keeps the solution's signatures and makes each function (each method but ``__init__``) one line,
``return <forbidden callable>(<the answer's arguments>)``; an answer that defines no function (a dict of
weights) gets a line that takes the callable. For a forbidden module the shortcut calls its public callable
whose name is closest to the answer's (``torch.autograd`` -> ``torch.autograd.backward`` for
``batchnorm_backward``). Each submission holds one shortcut per answer (the *j*-th forbidden callable of every
exercise that has one), the other answers left blank: one ``coursekit grade --jobs 2`` run per notebook grades
them all (measured: see the module's ``test_`` durations in ``make test``). The solution's full marks with no
flag are proven by ``tests/test_pipeline.py`` (``coursekit check`` grades it through the same path).
"""

from __future__ import annotations

import ast
import csv
import difflib
import importlib
import shutil
import warnings
from pathlib import Path

import nbformat
import pytest

from coursekit import exercises
from coursekit.instructor import forbid
from coursekit.instructor.course import Course, scratch_course
from coursekit.instructor.executor import ExecLimits
from coursekit.instructor.grader import GradeOptions, grade_course
from coursekit.instructor.nbsource import parse_source

ROOT = Path(__file__).resolve().parents[1]
COURSE = Course(ROOT)
ASSIGNMENTS = COURSE.assignments()

# Slow (one grading run of every notebook) and, under the load of the whole suite, not yet reliable:
# run by `make shortcuts`, not by `make test` (see README, CI).
pytestmark = [pytest.mark.notebooks, pytest.mark.shortcuts]


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


def _plan(assignment: str):
    """``{student: {grade_id: (code, callable)}}`` and the entries no shortcut applies to."""
    nb = nbformat.read(COURSE.solution_path(assignment), as_version=4)
    sources = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in nb.cells}
    students: dict[str, dict[str, tuple[str, str]]] = {}
    skipped = []
    for exercise in forbid.exercises(nb):
        for j, entry in enumerate(exercise.forbid):
            made = shortcut(_strip_markers(sources[exercise.answer]), exercise.answer, entry)
            if isinstance(made, str):
                skipped.append(f"{exercise.answer}/{entry}: {made}")
            else:
                students.setdefault(f"shortcut_{j}", {})[exercise.answer] = made
    return nb, students, skipped


def _strip_markers(source: str) -> str:
    return "\n".join(line for line in source.splitlines() if "### BEGIN SOLUTION" not in line and "### END" not in line)


def test_shortcut_generation_calls_the_entry_with_the_answers_arguments():
    (cell,) = parse_source(
        "# %% solution id=conv forbid=numpy.convolve\n"
        "class Conv:\n    def __init__(self, k):\n        self.k = k\n"
        "    def forward(self, x, *rest, mode='valid', **kw):\n        return x\n"
    )
    code, call = shortcut(cell.source, "conv", "numpy.convolve")
    assert call == "numpy.convolve"
    assert "return numpy.convolve(x, *rest, mode=mode, **kw)" in code and "self.k = k" in code
    code, call = shortcut("def batchnorm_backward(dout, cache):\n    pass\n", "bn", "torch.autograd")
    assert (call, code.splitlines()[0]) == ("torch.autograd.backward", "import torch.autograd")
    assert shortcut("def f(x):\n    pass\n", "f", "no_such_module.f") == "no_such_module.f cannot be imported"
    code, call = shortcut("W = {'a': 1}\n", "gate_weights", "__main__.helper")
    assert (call, code.splitlines()[-1]) == ("helper", "_reference = helper")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_shortcut_loses_all_of_its_exercises_points(assignment, tmp_path):
    nb, students, skipped = _plan(assignment)
    for reason in skipped:  # stated, not hidden: shown in pytest's warnings summary
        warnings.warn(f"{assignment}: no shortcut for {reason}", stacklevel=1)
    if not students:
        pytest.skip(f"{assignment} declares no forbid lists")
    course = scratch_course(COURSE, [assignment], tmp_path / "course")
    release = nbformat.read(course.release([assignment], log=lambda *_: None)[0], as_version=4)
    for student, answers in students.items():
        submission = nbformat.from_dict(release)
        for cell in submission.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in answers:
                cell.source = answers[grade_id][0]
        dest = course.root / "submitted" / student / assignment
        dest.mkdir(parents=True)
        nbformat.write(submission, dest / f"{assignment}.ipynb")
    # verdicts come from the test cells alone (the kernel watches an answer while its tests run): the experiment
    # cells (tagged heavy) would only cost minutes
    options = GradeOptions(jobs=2, exec_limits=ExecLimits(skip_experiments=True), log=lambda *_: None)
    grade_course(course, [assignment], options)
    rows, flags = _csv(course, "grades.csv"), _csv(course, "flags.csv")
    tests_of = {e.answer: e.tests for e in forbid.exercises(nb)}
    problems = []
    for student, answers in students.items():
        details = [f["detail"] for f in flags if f["student"] == student and f["flag"] == forbid.FLAG]
        for answer, (_code, call) in answers.items():
            scored = {r["grade_id"]: float(r["score"]) for r in rows if r["student"] == student}
            kept = {t: scored.get(t) for t in tests_of[answer] if scored.get(t) != 0.0}
            if kept:
                problems.append(f"{student}/{answer} calling {call} kept points: {kept}")
            if not any(d.startswith(f"{answer} ") and _names(d, call) for d in details):
                problems.append(f"{student}/{answer} calling {call}: no {forbid.FLAG} flag (got {details})")
    shutil.rmtree(course.root, ignore_errors=True)
    assert problems == [], "\n".join(problems + [f"(no shortcut: {s})" for s in skipped])


def _names(detail: str, call: str) -> bool:
    """The flag names the callable (by another path to the same object, at least by its name)."""
    return call in detail or f".{call.rsplit('.', 1)[-1]} " in detail


def _csv(course: Course, name: str) -> list[dict]:
    with (course.root / "grades" / name).open(newline="") as f:
        return list(csv.DictReader(f))
