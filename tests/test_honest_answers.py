"""Honest answers written in other styles than the instructor's get full marks and no flag.

``tests/fixtures/honest/<id>.json``, one per notebook, holds every code answer as written by students who solved
the released notebook cold, seeing only ``notebooks/`` (none is identical to the instructor's solution). They are
put into the released notebook and graded by ``coursekit grade``'s path (sandbox, spliced answers, forbid lists,
verdicts outside the kernel against the reference run), without the lecture's experiment cells.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import nbformat
import pytest

from coursekit.instructor.course import Course, scratch_course
from coursekit.instructor.executor import ExecLimits
from coursekit.instructor.grader import GradeOptions, grade_course
from coursekit.instructor.sandbox import sandbox_available

ROOT = Path(__file__).resolve().parents[1]
HONEST = sorted(p.stem for p in (ROOT / "tests" / "fixtures" / "honest").glob("*.json"))

pytestmark = [
    pytest.mark.skipif(sandbox_available() is not None, reason="bubblewrap sandbox unavailable"),
    pytest.mark.xdist_group("honest"),
]


def test_every_answer_of_the_fixtures_differs_from_the_solution_and_exists():
    for assignment in HONEST:
        answers = json.loads((ROOT / "tests" / "fixtures" / "honest" / f"{assignment}.json").read_text())
        solution = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
        ids = {
            c.metadata["nbgrader"]["grade_id"]: c.source
            for c in solution.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")
        }
        assert set(answers) == set(ids), f"{assignment}: the honest answers cover other exercises than the notebook's"
        assert all(answers[k].strip() != ids[k].strip() for k in ids), f"{assignment}: an answer is the solution"


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> tuple[list[dict], list[dict]]:
    course = scratch_course(Course(ROOT), HONEST, tmp_path_factory.mktemp("honest"))
    for assignment in HONEST:
        answers = json.loads((ROOT / "tests" / "fixtures" / "honest" / f"{assignment}.json").read_text())
        nb = nbformat.read(course.release_path(assignment), as_version=4)
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in answers:
                cell.source = answers[grade_id]
        dest = course.root / "submitted" / "cold" / assignment
        dest.mkdir(parents=True)
        nbformat.write(nb, dest / f"{assignment}.ipynb")
    options = GradeOptions(jobs=2, exec_limits=ExecLimits(skip_experiments=True), log=lambda *_: None)
    grade_course(course, HONEST, options)
    with open(course.root / "grades" / "grades.csv") as f:
        rows = list(csv.DictReader(f))
    with open(course.root / "grades" / "flags.csv") as f:
        flags = list(csv.DictReader(f))
    return rows, flags


@pytest.mark.parametrize("assignment", HONEST)
def test_honest_answers_in_other_styles_get_full_marks_and_no_flag(graded, assignment):
    rows, flags = graded
    mine = [r for r in rows if r["assignment"] == assignment]
    assert mine, f"{assignment} was not graded"
    lost = [(r["grade_id"], r["status"], r["score"], r["max_score"]) for r in mine if r["score"] != r["max_score"]]
    assert lost == [], f"{assignment}: honest answers lost points: {lost}"
    assert [f for f in flags if f["assignment"] == assignment] == []
