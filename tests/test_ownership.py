"""No check compares a student's value with the student's own without saying so (coursekit/instructor/ownership.py).

Without ``own=True`` the grader judges such a check against the reference run's value: an honest answer that
draws its random numbers in another order, or differs in the last bit where the test wants equality, passes in
JupyterLab and scores 0 in the gradebook. Four checks of the course had that bug (08 log_uniform and
random_search, 04 initialise_, 06 ensemble_predict), found by hand; this proves the static scan finds every
check of that kind in the course, and that the course has none left.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from coursekit.instructor.course import Course
from coursekit.instructor.ownership import findings
from coursekit.instructor.pyast import parse

ROOT = Path(__file__).resolve().parents[1]
COURSE = Course(ROOT)
ASSIGNMENTS = COURSE.assignments()


def _notebook(cells: list[tuple[str, str]]):
    """A notebook from (kind, source) pairs: kind "answer", "tests" or "code"."""
    nb = nbformat.v4.new_notebook()
    for k, (kind, source) in enumerate(cells):
        cell = nbformat.v4.new_code_cell(source)
        if kind != "code":
            meta = {"solution": kind == "answer", "grade": kind == "tests", "grade_id": f"{kind}{k}"}
            cell.metadata["nbgrader"] = meta
        nb.cells.append(cell)
    return nb


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_check_whose_expected_value_is_the_students_says_own(assignment):
    nb = nbformat.read(COURSE.solution_path(assignment), as_version=4)
    assert [str(f) for f in findings(nb)] == []


def test_the_scan_finds_every_own_check_of_the_course_once_own_is_removed():
    """The course's own=True checks are the known cases (the four bugs among them): each is found again."""
    total = 0
    for assignment in ASSIGNMENTS:
        nb = nbformat.read(COURSE.solution_path(assignment), as_version=4)
        marked = []
        for cell in nb.cells:
            if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade"):
                grade_id = cell.metadata["nbgrader"]["grade_id"]
                marked += [
                    (grade_id, node.lineno)
                    for node in ast.walk(parse(cell.source))
                    if isinstance(node, ast.Call) and any(k.arg == "own" for k in node.keywords)
                ]
                cell.source = cell.source.replace("own=True", "own=False")  # same lines, same numbers
        found = {(f.test, f.line) for f in findings(nb)}
        missed = sorted(set(marked) - found)
        assert missed == [], f"{assignment}: checks that need own=True, not found: {missed}"
        total += len(set(marked))
    assert total >= 44  # the course's own=True checks today


@pytest.mark.parametrize(
    "test, expected",
    [
        # a second call of the student's seeded function
        ("a = draw(np.random.default_rng(0))\nb = draw(np.random.default_rng(0))\nassert_close(a, b, rtol=0)", ["b"]),
        # a generator the student's code has drawn from
        ("rng = np.random.default_rng(0)\nout = draw(rng)\nassert_close(out, rng.random())", ["rng"]),
        # an in-place function (trailing underscore) makes its argument the student's
        ("m = make()\nfill_(m)\nassert_close(1.0, m.w)", ["m"]),
        # a callback that the student's code calls records the student's calls
        (
            "seen = []\ndef f(x):\n    seen.append(x)\n    return x\nbest = search(f)\nassert_close(best, min(seen))",
            ["seen"],
        ),
        # the numerical gradient of the student's own forward pass
        ("x = np.ones(3)\nassert_gradient(draw_grad(x), lambda v: draw(v), x)", ["draw"]),
        # assert_between has no own=True: a bound computed by the student's code is found too
        ("a = draw(1)\nassert_between(2.0, a, 3.0)", ["a"]),
    ],
)
def test_the_scan_finds_the_kinds_of_own_values(test, expected):
    answer = (
        "def draw(rng):\n    return rng.random()\ndef fill_(m):\n    m.w = 1.0\n"
        "def search(f):\n    return f(1.0)\ndef draw_grad(x):\n    return x"
    )
    nb = _notebook([("answer", answer), ("tests", test)])
    assert [list(f.names) for f in findings(nb)] == [expected]


@pytest.mark.parametrize(
    "test",
    [
        "x = np.ones(3)\nout = draw(x)\nassert_close(out, np.ones(3) * 2)",  # data passed in stays the notebook's
        "out = draw(1)\nref = reference(1)\nfor got, want in zip((out,), (ref,)):\n    assert_close(got, want)",
        "for f, g in ((draw, reference),):\n    assert_close(f(1), g(1))",
        "ours, ref = twins(draw)\nassert_close(ours, ref)  # ref: the library's, not yours",
        "a = draw(1)\nb = draw(1)\nassert_close(a, b, own=True)",
        "d = draw(1)\nassert_close(d, table[d])",  # a key taken from the student's value selects the reference's entry
    ],
)
def test_the_scan_leaves_reference_values_alone(test):
    nb = _notebook([("answer", "def draw(x):\n    return 2 * x"), ("code", "def reference(x):\n    return 2 * x"),
                    ("tests", test)])  # fmt: skip
    assert findings(nb) == []
