"""`coursekit grade` against a corpus of hostile submissions (tests/hostile_cases.py).

One grading run (``--jobs 2``) grades every case at once; each test then reads its own outcome from
grades/grades.csv, grades/flags.csv and nbgrader's gradebook.
"""

from __future__ import annotations

import csv
from pathlib import Path

import nbformat
import pytest

from coursekit.instructor.course import scores
from coursekit.instructor.executor import ExecLimits
from coursekit.instructor.grader import GradeOptions, grade_course
from coursekit.instructor.isolation import UIDS_PER_RUN, Cgroup, uid_for

from .hostile_cases import CASES, Case
from .toy_course import make_toy_course

# one grading run shared by every test here: keep them on one xdist worker (make test uses --dist loadgroup)
pytestmark = [pytest.mark.grader, pytest.mark.xdist_group("grader")]

LIMITS = ExecLimits(cell_seconds=25, notebook_seconds=240, interrupt_grace_seconds=3)  # slack for a loaded CI


def _cgroups_available() -> bool:
    group = Cgroup.create("coursekit-probe", 64 * 1024**2, 16)
    if group is None:
        return False
    group.remove()
    return True


CGROUPS = _cgroups_available()


@pytest.fixture(scope="session")
def graded(hostile_corpus):
    """(course, report): the corpus graded once per session with ``--jobs 2`` (tests/conftest.py)."""
    return hostile_corpus


def _rows(course, name: str) -> list[dict]:
    with (course.root / "grades" / name).open(newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_submission_gets_the_expected_grade_and_flags(graded, case: Case):
    course, report = graded
    assert report.grader_ok
    rows = {r["grade_id"]: r for r in _rows(course, "grades.csv") if r["student"] == case.name}
    got = {g: (r["status"], float(r["score"])) for g, r in rows.items()}
    assert got == {g: (s, float(p)) for g, (s, p) in case.expect.items()}
    flags = {r["flag"] for r in _rows(course, "flags.csv") if r["student"] == case.name}
    if case.honest:
        assert flags == set(), f"an honest submission was flagged: {flags}"
    wanted = case.flags if CGROUPS else case.flags - {"memory_limit"}  # the fallback has no memory events
    assert wanted <= flags, f"missing flags {wanted - flags}; got {flags}"


def test_every_case_has_one_row_per_test_cell(graded):
    course, _ = graded
    rows = _rows(course, "grades.csv")
    assert len(rows) == 2 * len(CASES)
    assert {r["status"] for r in rows} <= {"ok", "failed", "timeout", "killed", "error"}


def test_gradebook_agrees_with_the_csv_after_concurrent_grading(graded):
    course, _ = graded
    for case in CASES:
        if case.unreadable:
            continue
        book = scores(course, "toy", case.name)
        for grade_id, (_status, score) in case.expect.items():
            assert book[grade_id][0] == score, f"{case.name}/{grade_id}: gradebook {book[grade_id]} vs csv {score}"


def test_no_submission_reached_the_network(graded, listener):
    assert listener[1] == []


def test_hidden_files_were_invisible(graded):
    course, _ = graded
    executed = course.root / "grades" / "executed"
    out = _text(executed / "reads_other_students" / "toy" / "toy.ipynb")
    assert "visible submissions: 0" in out
    assert "blocked:" in _text(executed / "reads_hidden_tests" / "toy" / "toy.ipynb")
    assert "WROTE" not in _text(executed / "rewrites_gradebook" / "toy" / "toy.ipynb")


def test_huge_output_is_not_stored(graded):
    course, _ = graded
    path = course.root / "autograded" / "huge_output" / "toy" / "toy.ipynb"
    assert path.stat().st_size < 3_000_000


def test_regrading_one_student_keeps_everyone_elses_rows(graded):
    course, _ = graded
    before = _rows(course, "grades.csv")
    options = GradeOptions(students=["honest_partial"], exec_limits=LIMITS, log=lambda *_: None)
    grade_course(course, ["toy"], options)
    after = _rows(course, "grades.csv")
    assert sorted(map(str, before)) == sorted(map(str, after))


def _text(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "\n".join(
        o.get("text", "") + o.get("evalue", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
    )


def _hidden_texts() -> list[str]:
    import base64

    lines = ["relu on a matrix", "np.array([[-3.0, 4.0]])", "BEGIN HIDDEN TESTS", "affine(x, w, np.array([1.0, -1.0]))"]
    lines += [line[::-1] for line in lines]  # what leaks_hidden_via_exception tries
    source = (Path(__file__).parent / "fixtures" / "toy.py").read_text()
    hidden = [ln for ln in source.splitlines() if ln.startswith("assert_close(") and "matrix" in ln]
    return lines + [base64.b64encode((h + "\n").encode()).decode()[:40] for h in hidden]


HIDDEN_TEXTS = _hidden_texts()


ACTIVE = ("<script", "onerror=", "onmouseover=", "javascript:")


def test_executed_notebooks_carry_no_active_content(graded):
    course, _ = graded
    for path in (course.root / "autograded").glob("*/toy/toy.ipynb"):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                assert "application/javascript" not in data, f"{path}: a JavaScript output"
                text = " ".join(str(v) for v in data.values())
                assert not any(a in text for a in ACTIVE), f"{path}: active content in {text[:200]!r}"
            if cell.cell_type == "markdown":
                assert not any(a in cell.source for a in ACTIVE), f"{path}: active markdown {cell.source[:200]!r}"


def test_feedback_never_contains_hidden_tests(graded):
    from coursekit.instructor.feedback import write_feedback

    course, _ = graded
    written = write_feedback(course, ["toy"], log=lambda *_: None)
    assert len(written) == len([c for c in CASES if not c.unreadable])
    for path in written:
        html = path.read_text()
        for hidden in HIDDEN_TEXTS:
            assert hidden not in html, f"{path}: {hidden!r}"
        for active in ("<script>alert", "<img src=x onerror", "<b onmouseover", "alert(4)</script>"):
            assert active not in html, f"{path}: {active!r}"  # the student's code shows escaped, never live
    partial = (course.root / "feedback" / "honest_partial" / "toy" / "toy.html").read_text()
    assert "Autograded score: 2 / 5" in partial


def test_a_solution_that_fails_its_own_tests_gives_error_rows_and_a_reference_failed_flag(tmp_path):
    """No verdict can be trusted against a broken reference run: every row says error, nobody gets a wrong grade."""
    import shutil

    course = make_toy_course(tmp_path / "course")
    for student in ("ana", "ben"):
        dest = course.root / "submitted" / student / "toy"
        dest.mkdir(parents=True)
        shutil.copy(course.solution_path("toy"), dest / "toy.ipynb")
    solution = nbformat.read(course.solution_path("toy"), as_version=4)
    for cell in solution.cells:
        cell.source = cell.source.replace("return x @ w + b", "return x @ w")  # the instructor's own bug
    nbformat.write(solution, course.solution_path("toy"))
    grade_course(course, ["toy"], GradeOptions(jobs=2, exec_limits=LIMITS, log=lambda *_: None))
    rows = _rows(course, "grades.csv")
    assert len(rows) == 4 and {r["status"] for r in rows} == {"error"} and {r["score"] for r in rows} == {"0"}
    flags = _rows(course, "flags.csv")
    assert {(f["student"], f["flag"]) for f in flags} == {("ana", "reference_failed"), ("ben", "reference_failed")}
    assert all("test_affine" in f["detail"] for f in flags)


def test_cli_grades_and_exits_zero_whatever_the_scores(tmp_path):
    import shutil
    import subprocess
    import sys

    course = make_toy_course(tmp_path / "course")
    for student, source in [("ana", course.solution_path("toy")), ("ben", course.release_path("toy"))]:
        dest = course.root / "submitted" / student / "toy"
        dest.mkdir(parents=True)
        shutil.copy(source, dest / "toy.ipynb")
    command = [sys.executable, "-m", "coursekit.cli", "--root", str(course.root), "grade", "toy"]
    result = subprocess.run([*command, "--jobs", "2", "--cell-timeout", "30", "--memory", "3G"], capture_output=True)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    rows = {(r["student"], r["grade_id"]): (r["score"], r["status"]) for r in _rows(course, "grades.csv")}
    assert rows == {
        ("ana", "test_relu"): ("2", "ok"),
        ("ana", "test_affine"): ("3", "ok"),
        ("ben", "test_relu"): ("0", "failed"),
        ("ben", "test_affine"): ("0", "failed"),
    }


def test_every_concurrent_job_has_its_own_uid():
    uids = [uid_for(slot) for slot in range(UIDS_PER_RUN)]
    assert len(set(uids)) == UIDS_PER_RUN and min(uids) >= 200_000
    with pytest.raises(ValueError, match="slot"):
        uid_for(UIDS_PER_RUN)


@pytest.mark.skipif(not CGROUPS, reason="no cgroup can be created here (not root, or no delegation)")
def test_cgroup_limits_memory_of_children_and_processes():
    import subprocess
    import sys

    group = Cgroup.create("coursekit-test-limits", 256 * 1024**2, 32)
    try:
        child = (
            "import os\nif os.fork() == 0:\n    b = bytearray(512 * 1024**2)\n    b[::4096] = b'x' * len(b[::4096])\n"
        )
        child += "    os._exit(0)\nprint(os.waitpid(-1, 0)[1])"
        out = subprocess.run(group.wrap([sys.executable, "-c", child]), capture_output=True, text=True, timeout=60)
        assert out.stdout.strip() == "9", out  # the child was killed (SIGKILL) for its memory
        assert group.memory_limit_hit()
        threads = "import threading, time\nn = 0\ntry:\n    while n < 1000:\n"
        threads += "        threading.Thread(target=time.sleep, args=(3,)).start()\n        n += 1\n"
        threads += "except RuntimeError:\n    print(n)"
        out = subprocess.run(group.wrap([sys.executable, "-c", threads]), capture_output=True, text=True, timeout=60)
        assert 0 < int(out.stdout) < 32, out
    finally:
        group.remove()
    assert not any(d.exists() for d in group.dirs)


def test_hidden_block_is_split_off_by_its_marker_lines_only():
    from coursekit.instructor.executor import split_hidden

    source = "a = 1\n### BEGIN HIDDEN TESTS\nb = 2\n### END HIDDEN TESTS\n"
    assert split_hidden(source) == ("a = 1\n", "### BEGIN HIDDEN TESTS\nb = 2\n### END HIDDEN TESTS\n")
    assert split_hidden("a = 1\n") == ("a = 1\n", "")
    indented = "for i in range(2):\n    ### BEGIN HIDDEN TESTS\n    b = i\n"
    assert split_hidden(indented) == ("", indented)  # cannot run apart: everything counts as hidden
    assert split_hidden("s = '### BEGIN HIDDEN TESTS'\n") == ("s = '### BEGIN HIDDEN TESTS'\n", "")


def test_sanitiser_removes_every_kind_of_active_content():
    from coursekit.instructor.sanitize import sanitise_notebook

    outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": "<table onclick='x()'><tr><td>1</td></tr></table>"
                               "<script>alert(1)</script><a href='javascript:alert(2)'>a</a>"}),
        nbformat.v4.new_output("display_data", data={"application/javascript": "alert(3)"}),
        nbformat.v4.new_output("display_data", data={"image/svg+xml": "<svg onload='alert(4)'></svg>"}),
        nbformat.v4.new_output("execute_result", data={"text/markdown": "<img src=x onerror=alert(5)>"},
                               execution_count=1),
        nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}),
    ]  # fmt: skip
    answer = nbformat.v4.new_markdown_cell("<script>alert(6)</script> ReLU is cheap",
                                           metadata={"nbgrader": {"solution": True, "grade_id": "q"}})  # fmt: skip
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass", outputs=outputs), answer])
    sanitise_notebook(nb)
    text = nbformat.writes(nb)
    for active in ("<script", "onclick", "javascript:", "onload", "onerror=alert"):
        assert active not in text.replace("&lt;script", ""), active
    assert all("application/javascript" not in o["data"] for o in nb.cells[0].outputs)
    assert "<table>" in text and "iVBORw0KGgo=" in text and "ReLU is cheap" in text
