"""Every assignment in solutions/ is checked the same way: add a notebook and it is covered.

* the instructor notebook is built from its source in nbsrc/ (same cells, outputs aside);
* the committed student notebook equals a fresh nbgrader generation, and carries no execution metadata;
* the solution earns full autograded points and the blank student notebook zero, graded through the
  same sandboxed path as `coursekit grade` (`coursekit check`);
* every typical wrong answer in tests/wrong_answers/<id>.py loses points, and the tests still pass with
  the ``heavy`` experiment cells removed;
* the notebook meets the course's shape: 15-30 points, a manually graded question, and test cells whose
  every failure says what is wrong (grading helpers, or ``assert`` with a message).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import nbformat
import pytest

from coursekit.instructor.course import Course, check
from coursekit.instructor.mutations import exercise_cells, parse_wrong_answers, run_mutations
from coursekit.instructor.nbsource import build, source_signature

ROOT = Path(__file__).resolve().parents[1]
COURSE = Course(ROOT)
ASSIGNMENTS = COURSE.assignments()


def _nb(assignment: str):
    return nbformat.read(COURSE.solution_path(assignment), as_version=4)


def _graded(nb, kind: str):
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if kind == "tests" and cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            yield cell
        elif kind == "manual" and cell.cell_type == "markdown" and meta.get("grade") and meta.get("solution"):
            yield cell
        elif kind == "solution" and cell.cell_type == "code" and meta.get("solution"):
            yield cell


def test_every_source_has_a_notebook():
    sources = sorted(p.stem for p in (ROOT / "nbsrc").glob("*.py"))
    assert sources == ASSIGNMENTS


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_notebook_is_built_from_its_source(assignment):
    built = build(ROOT / "nbsrc" / f"{assignment}.py")
    assert source_signature(built) == source_signature(_nb(assignment)), (
        f"solutions/{assignment} is stale: run `make notebooks IDS={assignment}`"
    )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_notebook_was_executed_with_outputs(assignment):
    code = [c for c in _nb(assignment).cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code), "every code cell must have been executed"
    errors = [
        c.source[:60]
        for c in code
        if "raises-exception" not in c.metadata.get("tags", []) and any(o.output_type == "error" for o in c.outputs)
    ]
    assert errors == [], f"cells that raised while building: {errors}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_student_notebook_has_no_outputs_or_execution_metadata(assignment):
    raw = json.loads(COURSE.release_path(assignment).read_text())
    assert set(raw["metadata"]) == {"kernelspec", "language_info"}
    for cell in raw["cells"]:
        assert set(cell["metadata"]) <= {"nbgrader", "tags", "editable", "deletable", "coursekit"}  # coursekit: forbid=
        assert cell.get("outputs", []) == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_points_and_shape_of_the_assignment(assignment):
    nb = _nb(assignment)
    points = sum(c.metadata["nbgrader"]["points"] for kind in ("tests", "manual") for c in _graded(nb, kind))
    assert 15 <= points <= 30, f"{assignment} has {points} points; the course asks for 15-30"
    assert list(_graded(nb, "manual")), "at least one manually graded question"
    assert list(_graded(nb, "tests")), "at least one autograded exercise"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_test_cells_never_fail_with_a_bare_assertion_error(assignment):
    from IPython.core.inputtransformer2 import TransformerManager

    for cell in _graded(_nb(assignment), "tests"):
        tree = ast.parse(TransformerManager().transform_cell(cell.source))
        bare = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Assert) and n.msg is None]
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        assert not bare, f"{grade_id}: assert without a message on line(s) {bare}; say what is wrong"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_exercise_has_typical_wrong_answers(assignment):
    path = ROOT / "tests" / "wrong_answers" / f"{assignment}.py"
    wrong = {w.grade_id for w in parse_wrong_answers(path)}
    _, solutions, tests = exercise_cells(_nb(assignment))
    tested = {grade_id for grade_id, cells in tests.items() if cells}
    assert tested <= wrong, f"exercises without wrong answers: {sorted(tested - wrong)}"


@pytest.mark.notebooks
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_typical_wrong_answers_lose_points(assignment):
    wrong = parse_wrong_answers(ROOT / "tests" / "wrong_answers" / f"{assignment}.py")
    outcomes = run_mutations(COURSE.solution_path(assignment), wrong)
    baseline = [o for o in outcomes if o.label.startswith("solution/")]
    mutants = [o for o in outcomes if not o.label.startswith("solution/")]
    assert [o for o in baseline if not o.passed] == [], "without heavy cells, the solution must pass every test"
    survivors = [f"{o.label}: {o.detail}" for o in mutants if o.passed]
    assert survivors == [], "wrong answers that the tests do not catch"


# The grading sandbox runs the experiment cells (tagged heavy) of this notebook's solution too: torch training on
# data from data/, the longest cells of the course, inside the grader's memory, time and output limits. The other
# solutions are graded without them (`coursekit check --skip-experiments`): nbval runs every cell of every solution
# three times in make test, tools/check_notebook.py and test_typical_wrong_answers_lose_points prove that no test
# depends on a heavy cell, and grading them again would cost make test about 90 CPU-seconds for no new path.
EXPERIMENTS_IN_THE_SANDBOX = "07_convolutions"
# `coursekit check` also grades a shortcut submission (each exercise's first forbidden callable, one line) and
# proves it scores 0 there with a uses_reference flag. What that adds to tests/test_shortcuts.py's proof that the
# grader's scan finds and zeroes all 408 shortcuts of the course is the wiring (scan, run-time watch, CSV, flags),
# the same for every notebook: graded end to end for two notebooks here, for all 69 shortcut submissions by
# `make shortcuts` (6 minutes; 8 to 15 CPU-seconds per notebook would push make test past 15 minutes).
SHORTCUTS_GRADED_END_TO_END = ("04_initialization", "06_regularization")


@pytest.mark.notebooks
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_in_sync_solution_full_marks_blank_zero(assignment):
    experiments = assignment == EXPERIMENTS_IN_THE_SANDBOX
    shortcuts = assignment in SHORTCUTS_GRADED_END_TO_END
    (result,) = check(COURSE, [assignment], log=lambda *_: None, jobs=1, experiments=experiments, shortcuts=shortcuts)
    assert result.ok, result.problems
    assert any("shortcuts to the reference score 0" in fact for fact in result.facts) == shortcuts, result.facts


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_outputs_stay_far_below_the_grader_output_caps(assignment):
    """No honest submission is ever truncated: the course's own outputs (figures included) use at most a
    quarter of the grader's per-cell and per-notebook caps (measured as the grader measures them)."""
    from coursekit.instructor.executor import ExecLimits

    sizes = [sum(len(json.dumps(o)) for o in c.outputs) for c in _nb(assignment).cells if c.cell_type == "code"]
    limits = ExecLimits()
    assert max(sizes) * 4 <= limits.cell_output_bytes, f"largest cell output {max(sizes)} bytes"
    assert sum(sizes) * 4 <= limits.notebook_output_bytes, f"notebook outputs {sum(sizes)} bytes"


def test_cli_check_can_skip_the_experiments(monkeypatch):
    from coursekit import cli

    seen = []
    monkeypatch.setattr("coursekit.instructor.course.check", lambda course, ids, **kw: seen.append((ids, kw)) or [])
    assert cli.main(["--root", str(ROOT), "check", "01_perceptron_adaline", "--skip-experiments"]) == 0
    assert cli.main(["--root", str(ROOT), "check"]) == 0
    assert seen == [(["01_perceptron_adaline"], {"experiments": False}), (None, {"experiments": True})]
