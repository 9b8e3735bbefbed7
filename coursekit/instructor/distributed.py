"""``coursekit grade --dask``: grade submissions on Dask workers, and re-run only what changed.

The unit that travels is one submission. The client (``grade_course``) turns it into a *payload* of
plain data (:func:`make_payload`: the student's notebook bytes, the instructor's solution and release
notebooks of that assignment, ``nbgrader_config.py``, the limits); a worker runs :func:`grade_payload`,
which rebuilds a throw-away course from those bytes, calls the grader's own per-submission unit
(``execute_submission``: repair, scan, the bubblewrap sandbox) there and returns plain data again (the
executed notebook as JSON text, per-cell results, flags, the error). The client decodes it into an
``Outcome`` and records it through the local path's ``_record``: gradebook, CSVs and feedback are only
ever written by the client. Workers need no shared file system, only the same pinned environment
(``coursekit`` and its ``data/``), bubblewrap and user namespaces; :func:`check_workers` refuses a
cluster where a worker lacks them, naming the worker.

Faults: a worker that dies mid-submission is the scheduler's to retry
(``distributed.scheduler.allowed-failures``; ``--dask local`` allows one retry); past that the
submission gets ``error`` rows and a ``worker_lost`` flag, the batch goes on, and its digest is not
recorded, so the next run grades it again.

Re-runs (both paths): each graded submission's digest (:func:`submission_digest`: the notebook, the
instructor's notebooks, the limits, the ``coursekit`` source) is kept in ``grades/digests.csv``;
a run skips submissions whose digest and rows are already there (:func:`pending`), except students
named with ``--student``.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import hashlib
import inspect
import os
import queue
import socket
import tempfile
import threading
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

from .course import Course, PipelineError

DIGEST_FIELDS = ["student", "assignment", "digest"]
# flags that say the grader, not the student, failed: such a submission is graded again by the next run
GRADER_FAULTS = {"worker_lost", "worker_error", "gradebook_error"}
WORKER_WAIT_SECONDS = 600  # for the first worker of a cluster (a SLURM job waiting in the queue)
LOCAL_ALLOWED_FAILURES = 1  # --dask local: a submission whose worker dies is retried once, then recorded as error


# --- worker side ---------------------------------------------------------------------------------------


def grade_payload(payload: dict) -> dict:
    """Grade one submission from plain data (runs on a worker; never touches the client's files).

    ``payload``: see :func:`make_payload`. Returns :func:`outcome_to_plain` of the outcome, plus
    ``log`` (the grader's log lines) and ``worker`` (``host:pid``). Raises ``SandboxUnavailable``
    when bubblewrap cannot run on this worker (the client records that per worker).
    """
    from .executor import ExecLimits
    from .grader import GradeOptions, execute_submission
    from .sandbox import Limits, SandboxUnavailable

    reason = _cached_sandbox_reason()
    if reason:
        raise SandboxUnavailable(f"worker {_worker_name()}: {reason}")
    lines: list[str] = []
    options = GradeOptions(
        exec_limits=ExecLimits(**payload["exec_limits"]), limits=Limits(**payload["limits"]), log=lines.append
    )
    per_slot = "slot" in inspect.signature(execute_submission).parameters  # a uid per concurrent slot
    with tempfile.TemporaryDirectory(prefix="coursekit-worker-") as tmp, _slot(per_slot) as slot:
        course = _mini_course(Path(tmp), payload)
        extra = (slot,) if per_slot else ()
        outcome = execute_submission(course, payload["student"], payload["assignment"], options, *extra)
    return {**outcome_to_plain(outcome), "log": [str(line) for line in lines], "worker": _worker_name()}


@cache
def _cached_sandbox_reason() -> str | None:
    from .sandbox import sandbox_available

    return sandbox_available()


def _mini_course(root: Path, payload: dict) -> Course:
    """A course holding one assignment's instructor notebooks and one student's submission."""
    files, assignment = payload["files"], payload["assignment"]
    for kind, name in (("solutions", "solution"), ("notebooks", "release")):
        (root / kind / assignment).mkdir(parents=True)
        (root / kind / assignment / f"{assignment}.ipynb").write_bytes(files[name])
    if files.get("config") is not None:
        (root / "nbgrader_config.py").write_bytes(files["config"])
    dest = root / "submitted" / payload["student"] / assignment
    dest.mkdir(parents=True)
    (dest / f"{assignment}.ipynb").write_bytes(payload["notebook"])
    return Course(root)


_SLOTS: queue.Queue[int] | None = None
_SLOTS_LOCK = threading.Lock()


@contextlib.contextmanager
def _slot(needed: bool = True) -> Iterator[int | None]:
    """A grading slot (hence uid) of this worker process, free for the duration (workers may have threads)."""
    global _SLOTS
    if not needed:
        yield None
        return
    from .isolation import UIDS_PER_RUN

    with _SLOTS_LOCK:
        if _SLOTS is None:
            _SLOTS = queue.Queue()
            for slot in range(UIDS_PER_RUN):
                _SLOTS.put(slot)
    slot = _SLOTS.get()
    try:
        yield slot
    finally:
        _SLOTS.put(slot)


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def probe_worker() -> dict:
    """What :func:`check_workers` compares: the sandbox here, the grading stack, this worker's code and libraries."""
    return {"sandbox": _cached_sandbox_reason(), "imports": _import_grading_stack(), **environment()}


def _import_grading_stack() -> str | None:
    """Import what grading a submission imports; why it failed, or None.

    A worker that lacks a package is refused before it receives a submission, and a worker that passes
    has paid its import time (about a second per process) before the clock of the first submission starts.
    """
    try:
        import nbclient  # noqa: F401
        import nbgrader.preprocessors  # noqa: F401

        from . import executor, feedback, grader, integrity, sanitize  # noqa: F401
    except Exception as exc:  # any import error of the stack is a finding about this worker
        return f"{type(exc).__name__}: {exc}"
    return None


def environment() -> dict[str, str]:
    """The ``coursekit`` source fingerprint and the versions of the libraries a grade depends on."""
    from importlib.metadata import PackageNotFoundError, version

    found = {"coursekit": source_fingerprint()}
    for package in ("numpy", "torch", "nbgrader"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "missing"
    return found


# --- plain data both ways ------------------------------------------------------------------------------


def assignment_files(course: Course, assignment: str) -> dict:
    """The instructor's side of a payload (shipped once per assignment and worker): bytes only."""
    config = course.root / "nbgrader_config.py"
    return {
        "solution": course.solution_path(assignment).read_bytes(),
        "release": course.release_path(assignment).read_bytes(),
        "config": config.read_bytes() if config.exists() else None,
    }


def make_payload(course: Course, student: str, assignment: str, options, files) -> dict:
    """One submission as plain data; ``files``: :func:`assignment_files` (or a Dask future of it)."""
    path = course.root / "submitted" / student / assignment / f"{assignment}.ipynb"
    return {
        "student": student,
        "assignment": assignment,
        "notebook": path.read_bytes(),
        "files": files,
        "exec_limits": dataclasses.asdict(options.exec_limits),
        "limits": dataclasses.asdict(options.limits),
    }


def outcome_to_plain(outcome) -> dict:
    """An ``Outcome`` as JSON-compatible data: the notebook as nbformat JSON text, cells and flags as dicts.

    Fields the grader may add to ``Outcome`` later travel as they are if they are plain data; anything
    else raises ``TypeError`` naming the field (so a new field cannot silently get lost on the way back).
    """
    import nbformat

    plain = {
        "student": outcome.student,
        "assignment": outcome.assignment,
        "notebook": None if outcome.notebook is None else nbformat.writes(outcome.notebook),
        "cells": [dataclasses.asdict(cell) | {"index": index} for index, cell in outcome.cells.items()],
        "flags": [dataclasses.asdict(flag) for flag in outcome.flags],
        "error": outcome.error,
    }
    for f in dataclasses.fields(outcome):
        if f.name not in plain:
            value = getattr(outcome, f.name)
            if not _is_plain(value):
                raise TypeError(f"outcome_to_plain: Outcome.{f.name} is not plain data ({type(value).__name__})")
            plain[f.name] = value
    return plain


def _is_plain(value) -> bool:
    if value is None or isinstance(value, str | int | float | bool):
        return True
    if isinstance(value, list | tuple):
        return all(_is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_plain(v) for k, v in value.items())
    return False


def outcome_from_plain(plain: dict):
    """The inverse of :func:`outcome_to_plain` (on the client)."""
    import nbformat

    from .executor import CellResult
    from .grader import Outcome
    from .integrity import Flag

    names = {f.name for f in dataclasses.fields(Outcome)}
    extra = {k: v for k, v in plain.items() if k in names and k not in ("notebook", "cells", "flags")}
    cells = {c["index"]: CellResult(**c) for c in plain["cells"]}
    notebook = None if plain["notebook"] is None else nbformat.reads(plain["notebook"], as_version=4)
    return Outcome(**extra, notebook=notebook, cells=cells, flags=[Flag(**f) for f in plain["flags"]])


# --- client side ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def connect(address: str, workers: int) -> Iterator:
    """A ``distributed.Client`` on ``address``, or on a new ``LocalCluster`` of ``workers`` processes (``local``)."""
    from distributed import Client

    if address != "local":
        with Client(address, timeout="60s") as client:
            yield client
        return
    with local_cluster(workers) as cluster, Client(cluster) as client:
        yield client


LOCAL_SETTINGS = {
    "distributed.scheduler.allowed-failures": LOCAL_ALLOWED_FAILURES,
    "distributed.scheduler.worker-saturation": 1.0,  # a worker holds only the submission it grades
    # a killed worker's nanny starts a new one; on a busy machine that takes longer than the default 15 s,
    # after which the cluster would close the nanny (and the submission retried on it would be lost again)
    "distributed.deploy.lost-worker-timeout": "300s",
    # no dashboard, so nothing reads the statistical profiler's stack samples (taken every 10 ms per worker)
    # or the GIL monitor's: on a laptop's cores they compete with the kernels being graded
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.admin.system-monitor.interval": "5s",  # psutil samples for the dashboard, 2 per second by default
    "distributed.admin.tick.interval": "1s",  # the event-loop watchdog, 50 wake-ups per second by default
}


@contextlib.contextmanager
def local_cluster(workers: int) -> Iterator:
    """``LocalCluster``: ``workers`` processes of one thread (one kernel each), one retry after a worker dies."""
    import logging

    import dask
    from distributed import LocalCluster

    with dask.config.set(LOCAL_SETTINGS):  # for the cluster's whole life: some are read when a worker is lost
        cluster = LocalCluster(
            n_workers=max(1, workers),
            threads_per_worker=1,
            processes=True,
            memory_limit=0,  # the sandbox limits each kernel; the nanny must not kill a worker for it
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        with cluster:
            yield cluster


def check_workers(client) -> None:
    """Refuse a cluster where a worker lacks the sandbox or runs other code or libraries than the client."""
    probes = client.run(probe_worker)
    if not probes:
        raise PipelineError("the Dask cluster has no workers")
    wanted = environment()
    problems = []
    for address, probe in sorted(probes.items()):
        if probe["sandbox"]:
            problems.append(f"worker {address}: cannot grade without the sandbox: {probe['sandbox']}")
        if probe.get("imports"):
            problems.append(f"worker {address}: cannot import the grading stack: {probe['imports']}")
        differ = [f"{k} {probe[k][:12]} (client: {v[:12]})" for k, v in wanted.items() if probe[k] != v]
        if differ:
            problems.append(f"worker {address}: a different environment: {', '.join(differ)}")
    if problems:
        raise PipelineError(f"{len(problems)} problem(s) on {len(probes)} worker(s):\n  " + "\n  ".join(problems))


def grade_on_dask(course: Course, submissions: list[tuple[str, str]], options, record: Callable) -> bool:
    """Grade ``submissions`` on ``options.dask`` and ``record(outcome)`` each, in completion order.

    At most two submissions per worker thread are in flight (the notebooks of 10 000 students never sit
    in the scheduler at once); the window follows the cluster as it grows or shrinks (SLURM jobs that
    start late, Kubernetes scaling). Returns False if some submission was lost to a worker fault.
    """
    from distributed import as_completed

    if not submissions:
        return True
    with connect(options.dask, options.jobs) as client:
        client.wait_for_workers(1, timeout=WORKER_WAIT_SECONDS)  # a batch system may start them late
        check_workers(client)
        files = {a: _instructor_files(client, course, a) for a in {a for _, a in submissions}}
        todo = list(reversed(submissions))
        owner: dict = {}

        def submit() -> None:
            student, assignment = todo.pop()
            payload = make_payload(course, student, assignment, options, files[assignment])
            future = client.submit(grade_payload, payload, pure=False, key=f"grade-{student}-{assignment}-{_token()}")
            owner[future] = (student, assignment)
            pending.add(future)

        pending = as_completed()
        all_ok = True
        while todo or owner:
            window = max(2, 2 * sum(client.nthreads().values()))
            while todo and len(owner) < window:
                submit()
            future = next(pending)
            student, assignment = owner.pop(future)
            outcome, ok = _collect(future, student, assignment, options)
            all_ok &= ok
            record(outcome)
    return all_ok


def _instructor_files(client, course: Course, assignment: str):
    """A future of :func:`assignment_files`, held once by the scheduler (not per submission).

    A task rather than scattered data: when every worker that held it has died, the scheduler computes
    it again from its own copy instead of failing the submissions that need it.
    """
    files = assignment_files(course, assignment)
    return client.submit(_same, files, key=f"instructor-files-{assignment}-{_token()}", pure=False)


def _same(value):
    return value


def _collect(future, student: str, assignment: str, options):
    """The outcome of one finished future; a worker fault becomes ``error`` rows and a flag."""
    from distributed.scheduler import KilledWorker

    try:
        plain = future.result()
    except KilledWorker as exc:
        detail = f"the worker grading this submission died (every allowed attempt): {_describe(exc)}"
        return _lost(student, assignment, "worker_lost", detail), False
    except Exception as exc:  # noqa: BLE001 (a worker without the sandbox, a lost connection: this row only)
        return _lost(student, assignment, "worker_error", _describe(exc)), False
    for line in plain.get("log", []):
        options.log(f"[{plain.get('worker', '?')}] {line}")
    return outcome_from_plain({k: v for k, v in plain.items() if k not in ("log", "worker")}), True


def _lost(student: str, assignment: str, flag: str, detail: str):
    """The outcome of a submission no worker could grade: ``error`` rows and ``flag``."""
    from .grader import Outcome
    from .integrity import Flag

    return Outcome(student, assignment, error=detail[:300], flags=[Flag(flag, detail[:300])])


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


def _token() -> str:
    return os.urandom(4).hex()


# --- progress ------------------------------------------------------------------------------------------


class Progress:
    """One tqdm bar over the submissions, with done/failed counts (``failed``: graded as ``error``)."""

    def __init__(self, total: int, where: str):
        from tqdm import tqdm

        self.failed = 0
        self.bar = tqdm(total=total, desc=f"grading ({where})", unit="submission", disable=None)

    def done(self, outcome) -> None:
        self.failed += outcome.error is not None
        self.bar.set_postfix(done=self.bar.n + 1, failed=self.failed, refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()


# --- re-runs: digests ----------------------------------------------------------------------------------


def source_fingerprint() -> str:
    """sha256 of every ``.py`` file of the ``coursekit`` package (the grader, helpers and references)."""
    import coursekit

    package = Path(coursekit.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def submission_digest(course: Course, student: str, assignment: str, options, code: str) -> str:
    """What a grade depends on: the submission, the instructor's notebooks, the limits, the grader's ``code``."""
    digest = hashlib.sha256()
    paths = [
        course.root / "submitted" / student / assignment / f"{assignment}.ipynb",
        course.solution_path(assignment),
        course.release_path(assignment),
    ]
    for path in paths:
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
        digest.update(b"\0")
    limits = (dataclasses.asdict(options.exec_limits), dataclasses.asdict(options.limits))
    digest.update(repr(limits).encode() + code.encode())
    return digest.hexdigest()


def pending(course: Course, submissions: list[tuple[str, str]], options) -> tuple[list[tuple[str, str]], dict]:
    """``(to_grade, digests)``: the submissions that are new or changed (or named by ``--student``)."""
    grades = course.root / "grades"
    recorded = {(r["student"], r["assignment"]): r["digest"] for r in _read(grades / "digests.csv")}
    have_rows = {(r["student"], r["assignment"]) for r in _read(grades / "grades.csv")}
    code = source_fingerprint()
    digests = {key: submission_digest(course, *key, options, code) for key in submissions}
    named = set(options.students)
    todo = [k for k in submissions if k[0] in named or k not in have_rows or recorded.get(k) != digests[k]]
    if len(todo) < len(submissions):
        options.log(f"{len(submissions) - len(todo)} submission(s) unchanged since they were graded: kept")
    return todo, {k: digests[k] for k in todo}


def write_digests(course: Course, digests: dict, report) -> None:
    """Record the digests of this run's submissions, except those a grader fault left ungraded."""
    faulty = {(r["student"], r["assignment"]) for r in report.flags if r["flag"] in GRADER_FAULTS}
    from .grader import _write_csv  # the grades' own atomic merge: rows of this run replace the old ones

    rows = [dict(student=s, assignment=a, digest=d) for (s, a), d in digests.items() if (s, a) not in faulty]
    _write_csv(course.root / "grades" / "digests.csv", DIGEST_FIELDS, rows, set(digests))


def _read(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(newline="") as f:
        return list(csv.DictReader(f))
