"""No shortcut to the reference: for every answer with ``forbid=``, an answer that calls each forbidden
callable (``coursekit.instructor.shortcuts`` writes them) loses all of its exercise's points through ``coursekit
grade``, with a ``uses_reference`` flag naming the answer and the callable.

Three proofs, from cheap to complete:

- every shortcut (408 in the 8 notebooks) is found by the grader's scan, which zeroes all of its exercise's
  tests (``forbid.static_uses``/``zeroed_tests``, what ``coursekit grade`` runs before executing anything):
  here, in ``make test``, seconds;
- ``coursekit check`` grades ``shortcut_0`` (each exercise's first forbidden callable) end to end, with the
  blank notebook: scores, flags, the kernel's run-time watch (in ``make test``: ``tests/test_pipeline.py``, for
  two notebooks, the wiring being the same for all);
- every ``shortcut_j`` of every notebook (69 submissions) graded end to end: ``make shortcuts``, about six
  minutes on 2 cores, too long for ``make test``'s 15-minute budget.

The solution's full marks with no flag are proven by ``tests/test_pipeline.py`` (``coursekit check``).
"""

from __future__ import annotations

import csv
import shutil
import warnings
from pathlib import Path

import nbformat
import pytest

from coursekit.instructor import forbid, shortcuts
from coursekit.instructor.course import Course, scratch_course
from coursekit.instructor.executor import ExecLimits
from coursekit.instructor.grader import GradeOptions, grade_course
from coursekit.instructor.nbsource import parse_source

ROOT = Path(__file__).resolve().parents[1]
COURSE = Course(ROOT)
ASSIGNMENTS = COURSE.assignments()


def _plan(assignment: str, rounds: int | None = None):
    nb = nbformat.read(COURSE.solution_path(assignment), as_version=4)
    return (nb, *shortcuts.plan(nb, rounds))


def test_shortcut_generation_calls_the_entry_with_the_answers_arguments():
    (cell,) = parse_source(
        "# %% solution id=conv forbid=numpy.convolve\n"
        "class Conv:\n    def __init__(self, k):\n        self.k = k\n"
        "    def forward(self, x, *rest, mode='valid', **kw):\n        return x\n"
    )
    code, call = shortcuts.shortcut(cell.source, "conv", "numpy.convolve")
    assert call == "numpy.convolve"
    assert "return numpy.convolve(x, *rest, mode=mode, **kw)" in code and "self.k = k" in code
    code, call = shortcuts.shortcut("def batchnorm_backward(dout, cache):\n    pass\n", "bn", "torch.autograd")
    assert (call, code.splitlines()[0]) == ("torch.autograd.backward", "import torch.autograd")
    assert shortcuts.shortcut("def f(x):\n    pass\n", "f", "no_such_module.f") == "no_such_module.f cannot be imported"
    code, call = shortcuts.shortcut("W = {'a': 1}\n", "gate_weights", "__main__.helper")
    assert (call, code.splitlines()[-1]) == ("helper", "_reference = helper")


def test_a_shortcut_that_keeps_a_point_or_goes_unflagged_is_reported():
    nb, students, _ = _plan("04_initialization", rounds=1)
    answers = students["shortcut_0"]
    tests = [t for e in forbid.exercises(nb) for t in e.tests if e.answer in answers]
    flags = [f"{answer} refers to {call} (line 1: ...)" for answer, (_code, call) in answers.items()]
    assert shortcuts.problems(nb, answers, dict.fromkeys(tests, 0.0), flags) == []
    first, (_code, call) = next(iter(answers.items()))
    kept = shortcuts.problems(nb, answers, {**dict.fromkeys(tests, 0.0), tests[0]: 1.0}, flags)
    assert len(kept) == 1 and "kept points" in kept[0]
    unflagged = shortcuts.problems(nb, answers, dict.fromkeys(tests, 0.0), flags[1:])
    assert unflagged == [f"{first} calling {call}: no uses_reference flag (got {flags[1:]})"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_grader_scan_finds_every_shortcut_and_zeroes_its_exercise(assignment):
    nb, students, skipped = _plan(assignment)
    tests_of = {e.answer: e.tests for e in forbid.exercises(nb)}
    solutions = {a: shortcuts.strip_markers(c) for a, c in forbid.answers(nb).items()}
    problems, count = [], 0
    for student, answers in students.items():  # one scan per submission, as the grader does
        submission = {**solutions, **{answer: code for answer, (code, _call) in answers.items()}}
        found = forbid.static_uses(nb, submission)
        for answer, (_code, call) in answers.items():
            count += 1
            uses = [u for u in found if u.answer == answer]
            if not any(shortcuts.names(u.detail + " ", call) for u in uses):
                problems.append(f"{student}/{answer} calling {call}: the scan finds {[u.detail for u in uses]}")
            missed = set(tests_of[answer]) - set(forbid.zeroed_tests(nb, uses))
            if missed:
                problems.append(f"{student}/{answer} calling {call}: tests not zeroed {sorted(missed)}")
    assert count or not any(e.forbid for e in forbid.exercises(nb))
    assert problems == [], "\n".join(problems + [f"(no shortcut: {s})" for s in skipped])


@pytest.mark.notebooks
@pytest.mark.shortcuts
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
        dest = course.root / "submitted" / student / assignment
        dest.mkdir(parents=True)
        nbformat.write(shortcuts.submission(release, answers), dest / f"{assignment}.ipynb")
    # verdicts come from the test cells alone (the kernel watches an answer while its tests run): the experiment
    # cells (tagged heavy) would only cost minutes
    options = GradeOptions(jobs=2, exec_limits=ExecLimits(skip_experiments=True), log=lambda *_: None)
    grade_course(course, [assignment], options)
    rows, flags = _csv(course, "grades.csv"), _csv(course, "flags.csv")
    problems = []
    for student, answers in students.items():
        details = [f["detail"] for f in flags if f["student"] == student and f["flag"] == forbid.FLAG]
        scored = {r["grade_id"]: float(r["score"]) for r in rows if r["student"] == student}
        problems += [f"{student}/{p}" for p in shortcuts.problems(nb, answers, scored, details)]
    shutil.rmtree(course.root, ignore_errors=True)
    assert problems == [], "\n".join(problems + [f"(no shortcut: {s})" for s in skipped])


def _csv(course: Course, name: str) -> list[dict]:
    with (course.root / "grades" / name).open(newline="") as f:
        return list(csv.DictReader(f))
