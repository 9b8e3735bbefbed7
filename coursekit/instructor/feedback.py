"""``coursekit feedback``: per-student HTML feedback that never contains hidden-test source.

nbgrader's own feedback shows the hidden tests (upstream, by design). Here every test cell shows the
student's (released) version of its source, error outputs of test cells keep their message but lose
their traceback (which quotes the failing hidden line), and any hidden-test line that appears in any
output is redacted. A summary of the scores from grades/grades.csv opens the page.
"""

from __future__ import annotations

import copy
import csv
from pathlib import Path

import nbformat

from .course import Course

REDACTED = "[hidden test]"


def _hidden_lines(source_cell) -> list[str]:
    lines, inside = [], False
    for line in source_cell.source.splitlines():
        if "BEGIN HIDDEN TESTS" in line:
            inside = True
        elif "END HIDDEN TESTS" in line:
            inside = False
        elif inside and len(line.strip()) >= 8:
            lines.append(line.strip())
    return lines


def sanitise(executed, source, release) -> object:
    """A copy of ``executed`` that is safe to show the student."""
    nb = copy.deepcopy(executed)
    released = {c.metadata["nbgrader"]["grade_id"]: c for c in release.cells if "nbgrader" in c.metadata}
    hidden = [line for cell in source.cells for line in _hidden_lines(cell)]
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        is_test = cell.cell_type == "code" and meta.get("grade") and not meta.get("solution")
        if is_test and meta.get("grade_id") in released:
            cell.source = released[meta["grade_id"]].source
        for output in cell.get("outputs", []):
            if is_test and output.get("output_type") == "error":
                output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
            _redact(output, hidden)
    return nb


def _redact(output, hidden: list[str]) -> None:
    def clean(text: str) -> str:
        for line in hidden:
            text = text.replace(line, REDACTED)
        return text

    if "text" in output:
        output["text"] = clean(output["text"] if isinstance(output["text"], str) else "".join(output["text"]))
    if "traceback" in output:
        output["traceback"] = [clean(t) for t in output["traceback"]]
    if "evalue" in output:
        output["evalue"] = clean(output["evalue"])
    for mime, value in output.get("data", {}).items():
        if mime.startswith("text/") and isinstance(value, str):
            output["data"][mime] = clean(value)


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
