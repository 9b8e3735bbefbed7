"""``coursekit feedback``: per-student HTML feedback that never contains hidden-test source.

nbgrader's own feedback shows the hidden tests (upstream, by design). Here hidden tests are removed
structurally, never by matching lines:

* every test cell shows the student's (released) version of its source, which nbgrader generated
  without the hidden block;
* the grader ran each test cell's hidden block as a separate execution and recorded where its outputs
  start (cell metadata ``coursekit.hidden_outputs_from``): those outputs are dropped, and a failure
  there is reported as one line that says a hidden test failed, without its message or traceback;
* the other error outputs of test cells keep their message but lose their traceback;
* every output and every student-written markdown cell is sanitised (``sanitize.py``).

A summary of the scores from grades/grades.csv opens the page.
"""

from __future__ import annotations

import copy
import csv
from pathlib import Path

import nbformat

from .course import Course
from .executor import HIDDEN_FROM
from .sanitize import sanitise_notebook

HIDDEN_FAILED = "A hidden test of this cell failed (hidden tests are not shown)."
HIDDEN_PASSED = "Hidden tests of this cell: passed."


def sanitise(executed, source, release) -> object:
    """A copy of ``executed`` that is safe to show the student (``source`` is kept for the signature)."""
    del source  # the released cells are all that is shown; nothing is matched against the hidden source
    nb = copy.deepcopy(executed)
    released = {c.metadata["nbgrader"]["grade_id"]: c for c in release.cells if "nbgrader" in c.metadata}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        is_test = cell.cell_type == "code" and meta.get("grade") and not meta.get("solution")
        if is_test:
            cell.source = released[meta["grade_id"]].source if meta.get("grade_id") in released else ""
            cell.outputs = _visible_outputs(cell)
            cell.metadata.pop("coursekit", None)
    sanitise_notebook(nb)
    return nb


def _visible_outputs(cell) -> list:
    start = cell.metadata.get("coursekit", {}).get(HIDDEN_FROM)
    outputs = list(cell.outputs) if start is None else list(cell.outputs[:start])
    for output in outputs:
        if output.get("output_type") == "error":
            output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
    if start is not None:
        hidden = cell.outputs[start:]
        failed = any(o.get("output_type") == "error" for o in hidden)
        text = HIDDEN_FAILED if failed else HIDDEN_PASSED
        outputs.append(nbformat.v4.new_output("stream", name="stdout", text=text + "\n"))
    return outputs


def _summary(course: Course, student: str, assignment: str) -> str:
    path = course.root / "grades" / "grades.csv"
    rows = []
    if path.exists():
        with path.open(newline="") as f:
            rows = [r for r in csv.DictReader(f) if r["student"] == student and r["assignment"] == assignment]
    total = sum(float(r["score"]) for r in rows)
    maximum = sum(float(r["max_score"]) for r in rows)
    lines = [f"# Feedback: {assignment}", "", f"**Autograded score: {total:g} / {maximum:g}**", ""]
    lines += ["| test | score | status |", "|---|---|---|"]
    lines += [f"| {r['grade_id']} | {r['score']} / {r['max_score']} | {r['status']} |" for r in rows]
    lines += ["", "Hidden tests are not shown. Manually graded answers are marked separately."]
    return "\n".join(lines)


def write_feedback(course: Course, ids: list[str] | None = None, log=print) -> list[Path]:
    """Write ``feedback/<student>/<id>/<id>.html`` for every autograded submission."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter()
    written = []
    for assignment in course.resolve_ids(ids):
        source = nbformat.read(course.solution_path(assignment), as_version=4)
        release = nbformat.read(course.release_path(assignment), as_version=4)
        for executed_path in sorted((course.root / "autograded").glob(f"*/{assignment}/{assignment}.ipynb")):
            student = executed_path.parent.parent.name
            nb = sanitise(nbformat.read(executed_path, as_version=4), source, release)
            nb.cells.insert(0, nbformat.v4.new_markdown_cell(_summary(course, student, assignment)))
            html, _ = exporter.from_notebook_node(nb)
            out = course.root / "feedback" / student / assignment / f"{assignment}.html"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(html, encoding="utf-8")
            written.append(out)
            log(f"feedback {out.relative_to(course.root)}")
    return written
