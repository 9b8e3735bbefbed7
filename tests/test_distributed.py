"""`coursekit grade --dask`: the same grades as the local path, worker faults, re-runs (distributed.py).

The grading tests run a `LocalCluster` of 2 worker processes on the toy course: one submission of every kind
of outcome of the hostile corpus, graded on it, must give the CSVs and gradebook of `--jobs 2`; a worker killed
mid-submission gets the submission retried, a worker killed on every allowed attempt gets it an `error` row and
a flag, and the next run grades only what is missing or changed.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import shutil
import signal
import threading
import time

import nbformat
import pytest

from coursekit.instructor import distributed
from coursekit.instructor.course import PipelineError, scores
from coursekit.instructor.executor import CellResult, ExecLimits
from coursekit.instructor.grader import GradeOptions, Outcome, Report, grade_course
from coursekit.instructor.integrity import Flag
from coursekit.instructor.sandbox import Limits

from .conftest import CORPUS_OPTIONS
from .hostile_cases import AFFINE_OK, CASES, RELU_OK
from .toy_course import make_toy_course

LIMITS = ExecLimits(cell_seconds=8, notebook_seconds=90, interrupt_grace_seconds=3)
QUIET = dict(exec_limits=LIMITS, limits=Limits(memory_bytes=3 * 1024**3), log=lambda *_: None)
SLOW_RELU = RELU_OK + "import time\ntime.sleep(5)\n"  # long enough to be killed while it runs


def _rows(course, name: str) -> list[dict]:
    with (course.root / "grades" / name).open(newline="") as f:
        return list(csv.DictReader(f))


def _submit(course, student: str, answers: dict[str, str]) -> None:
    nb = nbformat.read(course.release_path("toy"), as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    dest = course.root / "submitted" / student / "toy"
    dest.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dest / "toy.ipynb")


# --- plain data, digests: no kernel ----------------------------------------------------------------------


def test_an_outcome_travels_as_json_and_comes_back_equal(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    outcome = Outcome("ana", "toy", nb, {0: CellResult(0, "failed", "AssertionError: no")}, [Flag("f", "d")], None)
    plain = json.loads(json.dumps(distributed.outcome_to_plain(outcome)))
    back = distributed.outcome_from_plain(plain)
    assert (back.student, back.assignment, back.cells, back.flags, back.error) == (
        "ana", "toy", outcome.cells, outcome.flags, None)  # fmt: skip
    assert back.notebook == nb


@dataclasses.dataclass
class RicherOutcome(Outcome):
    """What the grader may add to ``Outcome`` later: an extra field."""

    values: object = None


def test_a_new_outcome_field_travels_if_plain_and_is_refused_otherwise():
    plain = distributed.outcome_to_plain(RicherOutcome("ana", "toy", values={"x": [1.0, None]}))
    assert plain["values"] == {"x": [1.0, None]}
    with pytest.raises(TypeError, match="Outcome.values is not plain data"):
        distributed.outcome_to_plain(RicherOutcome("ana", "toy", values={"x": object()}))


def test_a_rerun_grades_only_new_changed_faulty_or_named_submissions(tmp_path):
    course = make_toy_course(tmp_path / "course")
    for student in ("ana", "ben", "cy", "dan"):
        _submit(course, student, {"relu": RELU_OK})
    options = GradeOptions(log=lambda *_: None)
    keys = [(s, "toy") for s in ("ana", "ben", "cy", "dan")]
    todo, digests = distributed.pending(course, keys, options)
    assert todo == keys
    report = Report(flags=[dict(student="cy", assignment="toy", flag="worker_lost", detail="")])
    rows = [dict(student=s, assignment="toy") for s, _ in keys if s != "dan"]  # dan's rows were lost
    (course.root / "grades").mkdir()
    with (course.root / "grades" / "grades.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["student", "assignment"])
        writer.writeheader()
        writer.writerows(rows)
    distributed.write_digests(course, digests, report)
    _submit(course, "ben", {"relu": RELU_OK, "affine": AFFINE_OK})  # ben changed his notebook
    todo, _ = distributed.pending(course, keys, options)
    assert todo == [("ben", "toy"), ("cy", "toy"), ("dan", "toy")]
    named = GradeOptions(students=["ana"], log=lambda *_: None)
    assert distributed.pending(course, [("ana", "toy")], named)[0] == [("ana", "toy")]
    stricter = GradeOptions(exec_limits=ExecLimits(cell_seconds=1), log=lambda *_: None)
    assert distributed.pending(course, [("ana", "toy")], stricter)[0] == [("ana", "toy")]


# --- on a LocalCluster ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def corpus(tmp_path_factory, hostile_corpus):
    """The hostile corpus graded by the local path (--jobs 2, shared with test_grader.py) and, one submission of
    every kind of outcome it produced there, on a LocalCluster.

    Session scope and the "grader" xdist group: the local grading is computed once for both modules.
    """
    local, local_report = hostile_corpus
    on_dask = make_toy_course(tmp_path_factory.mktemp("dask"))
    for student in one_of_each_kind(local):
        shutil.copytree(local.root / "submitted" / student, on_dask.root / "submitted" / student)
    report = grade_course(on_dask, ["toy"], GradeOptions(jobs=2, dask="local", log=lambda *_: None, **CORPUS_OPTIONS))
    return local, on_dask, [local_report, report]


def one_of_each_kind(course) -> list[str]:
    """The first case of every distinct outcome of the local grading: its rows (grade id, status, score) and the
    kinds of flag it raised. Dask runs the same per-submission grading as --jobs, so what it can get wrong is in
    the transport and the workers (results, flags, gradebook entries, the workers' own reference runs), which one
    submission of each kind exercises; grading all 50 again would cost minutes of make test for no new path."""
    rows, flags = _rows(course, "grades.csv"), _rows(course, "flags.csv")
    kinds: dict[tuple, str] = {}
    for case in CASES:
        graded = tuple(sorted((r["grade_id"], r["status"], r["score"]) for r in rows if r["student"] == case.name))
        flagged = tuple(sorted({f["flag"] for f in flags if f["student"] == case.name}))
        kinds.setdefault((graded, flagged), case.name)
    return sorted(kinds.values())


def _sorted_rows(course, name: str, students=None) -> list[list[tuple]]:
    """The CSV's rows in a fixed order (test_grader.py may have regraded one student of the local course)."""
    return sorted(sorted(row.items()) for row in _rows(course, name) if students is None or row["student"] in students)


@pytest.mark.grader
@pytest.mark.xdist_group("grader")  # shares the session's corpus grading with test_grader.py
def test_dask_grades_the_hostile_corpus_exactly_like_jobs_2(corpus):
    local, on_dask, reports = corpus
    assert [r.grader_ok for r in reports] == [True, True]
    graded = {r["student"] for r in _rows(on_dask, "grades.csv")}
    assert len(graded) >= 10, f"only {len(graded)} kinds of outcome in the corpus: {sorted(graded)}"
    assert len(_rows(on_dask, "grades.csv")) == 2 * len(graded)
    assert _sorted_rows(on_dask, "grades.csv") == _sorted_rows(local, "grades.csv", graded)
    assert _sorted_rows(on_dask, "flags.csv") == _sorted_rows(local, "flags.csv", graded)
    for student in graded:  # submissions that could not be read or run have no gradebook entry, in either path
        assert _book(on_dask, student) == _book(local, student), student


def _book(course, student: str) -> dict | None:
    from nbgrader.api import MissingEntry

    try:
        return scores(course, "toy", student)
    except MissingEntry:
        return None


@pytest.mark.grader
@pytest.mark.xdist_group("grader")
def test_nothing_is_regraded_when_nothing_changed(corpus):
    _, on_dask, _ = corpus
    before = [_rows(on_dask, name) for name in ("grades.csv", "flags.csv")]
    report = grade_course(on_dask, ["toy"], GradeOptions(jobs=2, dask="local", log=lambda *_: None, **CORPUS_OPTIONS))
    assert report.rows == [] and report.grader_ok
    assert [_rows(on_dask, name) for name in ("grades.csv", "flags.csv")] == before


@pytest.fixture(scope="module")
def cluster():
    with distributed.local_cluster(2) as cluster:
        yield cluster


def _held(dask_worker) -> dict:
    """(on a worker) its pid, and the tasks it holds (running or waiting to), scattered data aside."""
    held = [str(ts.key) for ts in dask_worker.state.tasks.values() if ts.state not in ("memory", "released")]
    return {"pid": os.getpid(), "held": held, "executing": [str(ts.key) for ts in dask_worker.state.executing]}


class Killer(threading.Thread):
    """Kill the worker process grading ``student`` (SIGKILL, mid-submission) ``times`` times.

    A worker is killed only while the student's submission is the one task it holds, so no other
    submission is ever on a killed worker.
    """

    def __init__(self, address: str, plan: dict[str, int]):
        super().__init__(daemon=True)
        self.address, self.plan, self.killed = address, dict(plan), []
        self.stop = threading.Event()

    def run(self) -> None:
        from distributed import Client

        seen: dict[tuple[str, int], float] = {}
        with Client(self.address, timeout="60s") as client:
            while not self.stop.is_set() and any(self.plan.values()):
                for info in client.run(_held, on_error="ignore").values():  # a killed worker does not answer
                    self._maybe_kill(info, seen)
                time.sleep(0.2)

    def _maybe_kill(self, info: dict, seen: dict) -> None:
        for student, left in self.plan.items():
            running = [k for k in info["executing"] if f"grade-{student}-toy-" in k]
            if not left or not running or info["held"] != running:
                continue
            first = seen.setdefault((student, info["pid"]), time.monotonic())
            if time.monotonic() - first > 1.5:  # its kernel is starting or running
                os.kill(info["pid"], signal.SIGKILL)
                print(f"killed {info} for {student}", flush=True)
                self.plan[student] -= 1
                self.killed.append((student, info["pid"]))


def _grade_while_killing(course, address: str, plan: dict[str, int]):
    killer = Killer(address, plan)
    killer.start()
    try:
        report = grade_course(course, ["toy"], GradeOptions(jobs=2, dask=address, **QUIET))
    finally:
        killer.stop.set()
        killer.join(60)
    assert not any(killer.plan.values()), f"the test could not kill as planned: {killer.plan} left"
    return report


@pytest.mark.grader
@pytest.mark.xdist_group("dask")
def test_a_killed_worker_costs_a_retry_then_an_error_row_and_the_next_run_regrades(cluster, tmp_path):
    course = make_toy_course(tmp_path / "course")
    _submit(course, "doomed", {"relu": SLOW_RELU, "affine": AFFINE_OK})
    _submit(course, "quick", {"relu": RELU_OK, "affine": AFFINE_OK})
    report = _grade_while_killing(course, cluster.scheduler_address, {"doomed": 2})  # past allowed-failures
    assert not report.grader_ok
    rows = {(r["student"], r["grade_id"]): (r["status"], r["score"]) for r in _rows(course, "grades.csv")}
    assert rows == {
        ("doomed", "test_relu"): ("error", "0"), ("doomed", "test_affine"): ("error", "0"),
        ("quick", "test_relu"): ("ok", "2"), ("quick", "test_affine"): ("ok", "3"),
    }  # fmt: skip
    lost = [r for r in _rows(course, "flags.csv") if r["flag"] == "worker_lost"]
    assert [r["student"] for r in lost] == ["doomed"]
    # next run: doomed (lost) and a new student are graded; quick is kept; one kill is retried away
    _submit(course, "retried", {"relu": SLOW_RELU, "affine": AFFINE_OK})
    report = _grade_while_killing(course, cluster.scheduler_address, {"retried": 1})
    assert report.grader_ok
    assert sorted({r["student"] for r in report.rows}) == ["doomed", "retried"]
    rows = [(r["student"], r["grade_id"], r["status"], r["score"]) for r in _rows(course, "grades.csv")]
    assert sorted(rows) == sorted(
        (s, g, "ok", p) for s in ("doomed", "quick", "retried") for g, p in (("test_relu", "2"), ("test_affine", "3"))
    )
    assert {r["flag"] for r in _rows(course, "flags.csv")} & distributed.GRADER_FAULTS == set()


@pytest.mark.grader
@pytest.mark.xdist_group("dask")
def test_a_worker_without_bubblewrap_is_named(cluster):
    from distributed import Client

    def hide_bwrap(dask_worker, path=None):
        os.environ["PATH"] = "/nonexistent" if path is None else path
        distributed._cached_sandbox_reason.cache_clear()

    with Client(cluster.scheduler_address) as client:
        first = sorted(client.scheduler_info()["workers"])[0]
        path = client.run(lambda: os.environ["PATH"], workers=[first])[first]
        client.run(hide_bwrap, workers=[first])
        try:
            with pytest.raises(PipelineError) as err:
                distributed.check_workers(client)
        finally:
            client.run(hide_bwrap, path=path, workers=[first])
        distributed.check_workers(client)  # restored: no problem left
    assert f"worker {first}: cannot grade without the sandbox: bubblewrap (bwrap) is not installed" in str(err.value)
    assert str(err.value).count("worker tcp://") == 1


def test_a_worker_that_cannot_import_the_grading_stack_is_named(monkeypatch):
    assert distributed.probe_worker()["imports"] is None  # this environment has the whole stack

    class Client:  # what check_workers reads of a distributed.Client: run(probe_worker) on every worker
        def run(self, probe):
            good = probe()
            lacking = {**good, "imports": "ModuleNotFoundError: No module named 'nbgrader'"}
            return {"tcp://a:1": good, "tcp://b:2": lacking}

    with pytest.raises(PipelineError) as err:
        distributed.check_workers(Client())
    assert str(err.value).count("worker tcp://") == 1
    assert "worker tcp://b:2: cannot import the grading stack: ModuleNotFoundError" in str(err.value)


def test_cli_offers_dask():
    from coursekit.cli import _parser

    args = _parser().parse_args(["grade", "toy", "--dask", "tcp://10.0.0.1:8786", "--jobs", "4"])
    assert GradeOptions.from_cli(args).dask == "tcp://10.0.0.1:8786"
    assert GradeOptions.from_cli(_parser().parse_args(["grade"])).dask is None
