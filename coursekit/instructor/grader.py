"""``coursekit grade``: autograde every submission in a sandbox, record every outcome honestly.

For each ``submitted/<student>/<id>/<id>.ipynb``:

1. read it (an unreadable file is an ``error`` row, not a crash), splice the student's answer cells
   into the instructor's source (``integrity.splice``: tests with hidden tests, experiment cells and
   order are the instructor's; other student cells are kept for review, never run) and scan the
   student's code (``integrity.scan``);
2. execute it in a sandboxed kernel (``sandbox.py``) under cell, notebook, memory and output limits,
   with the in-kernel guard around every test cell (``executor.py``); students run concurrently with
   ``--jobs N``; then decide each test cell's verdict again here, outside the student's process, from the
   checks it recorded and those of the reference run of the instructor's solution (``verdict.py``,
   ``reference.py``);
3. hand the executed notebook to nbgrader's autograde with execution switched off, one submission at a
   time from this process, so the gradebook (and formgrader's manual grading) stays nbgrader's and no
   two writers ever share the sqlite file;
4. merge one row per test cell into ``grades/grades.csv`` (status ``ok``, ``failed``, ``timeout``,
   ``killed`` or ``error``) and every detection into ``grades/flags.csv``; rows of submissions not graded
   in this run are kept.
"""

from __future__ import annotations

import csv
import os
import queue
import secrets
import shutil
import tempfile
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from . import forbid
from .course import Course, PipelineError
from .executor import CellResult, ExecLimits, Runner, run_notebook
from .integrity import Flag, scan, splice
from .isolation import UIDS_PER_RUN, Cgroup, uid_for
from .reference import reference_checks
from .sandbox import Limits, SandboxKernelManager, bwrap_command, make_workdir, sandbox_available
from .sanitize import sanitise_notebook
from .verdict import judge

GRADE_FIELDS = ["student", "assignment", "grade_id", "score", "max_score", "status"]
FLAG_FIELDS = ["student", "assignment", "flag", "detail"]


@dataclass
class GradeOptions:
    jobs: int = 1
    students: list[str] = field(default_factory=list)
    exec_limits: ExecLimits = field(default_factory=ExecLimits)
    limits: Limits = field(default_factory=Limits)
    log: object = print
    dask: str | None = None  # [dask] a scheduler address, or "local" (a LocalCluster of `jobs` workers)

    @classmethod
    def from_cli(cls, args) -> GradeOptions:
        exec_limits = ExecLimits(
            cell_seconds=args.cell_timeout or ExecLimits.cell_seconds,
            notebook_seconds=args.notebook_timeout or ExecLimits.notebook_seconds,
            skip_experiments=bool(getattr(args, "skip_experiments", False)),
        )
        limits = Limits(memory_bytes=_parse_bytes(args.memory)) if args.memory else Limits()
        return cls(jobs=max(1, args.jobs), students=list(args.student), exec_limits=exec_limits, limits=limits,
                   dask=getattr(args, "dask", None))  # fmt: skip


def _parse_bytes(text: str) -> int:
    units = {"K": 1024, "M": 1024**2, "G": 1024**3}
    text = text.strip().upper().rstrip("B")
    return int(float(text[:-1]) * units[text[-1]]) if text[-1] in units else int(text)


@dataclass
class Outcome:
    student: str
    assignment: str
    notebook: object | None = None
    cells: dict[int, CellResult] = field(default_factory=dict)
    flags: list[Flag] = field(default_factory=list)
    error: str | None = None


@dataclass
class Report:
    rows: list[dict] = field(default_factory=list)
    flags: list[dict] = field(default_factory=list)
    grader_ok: bool = True


def find_submissions(course: Course, ids: list[str], students: list[str]) -> list[tuple[str, str]]:
    submitted = course.root / "submitted"
    found = []
    for student_dir in sorted(p for p in submitted.glob("*") if p.is_dir()):
        for assignment in ids:
            if (student_dir / assignment).is_dir() and (not students or student_dir.name in students):
                found.append((student_dir.name, assignment))
    return found


def grade_course(course: Course, ids: list[str] | None, options: GradeOptions) -> Report:
    """Grade every submission of ``ids`` (default: all assignments); return what was written."""
    from . import distributed  # [dask] --dask, digests of graded submissions, the progress bar

    reason = None if options.dask else sandbox_available()  # [dask] on Dask, check_workers asks every worker
    if reason:
        raise PipelineError(f"cannot grade without the sandbox: {reason}")
    ids = course.resolve_ids(ids)
    _ensure_in_gradebook(course, ids)
    submissions = find_submissions(course, ids, options.students)
    submissions, digests = distributed.pending(course, submissions, options)  # [dask] new or changed only
    report = Report()
    lock = threading.Lock()
    progress = distributed.Progress(len(submissions), options.dask or f"{options.jobs} job(s)")

    def record(outcome: Outcome) -> None:  # the client alone writes the gradebook and the rows
        with lock:
            _record_safely(course, outcome, report, options)
            progress.done(outcome)

    grade = distributed.grade_on_dask if options.dask else _grade_locally  # [dask]
    try:
        report.grader_ok &= grade(course, submissions, options, record)
    finally:
        progress.close()
    _write_csv(course.root / "grades" / "grades.csv", GRADE_FIELDS, report.rows, {(s, a) for s, a in submissions})
    _write_csv(course.root / "grades" / "flags.csv", FLAG_FIELDS, report.flags, {(s, a) for s, a in submissions})
    distributed.write_digests(course, digests, report)  # [dask] after the rows they vouch for
    options.log(f"graded {len(submissions)} submission(s); wrote grades/grades.csv and grades/flags.csv")
    return report


def _grade_locally(course: Course, submissions: list[tuple[str, str]], options: GradeOptions, record) -> bool:
    """Grade ``submissions`` in ``options.jobs`` threads of this process; ``record(outcome)`` each."""
    slots: queue.Queue[int] = queue.Queue()
    jobs = min(max(1, options.jobs), UIDS_PER_RUN)
    for slot in range(jobs):  # one uid per concurrent job: nothing per-uid is shared between kernels
        slots.put(slot)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(_in_slot, slots, course, s, a, options) for s, a in submissions]
        for future, (student, assignment) in _completed(futures, submissions):
            try:
                outcome = future.result()
            except Exception as exc:  # noqa: BLE001 (execute_submission catches; this is the last net)
                outcome = _failed(Outcome(student, assignment), "execution_failed", _describe(exc))
            record(outcome)
    return True


def _in_slot(slots: queue.Queue, course: Course, student: str, assignment: str, options: GradeOptions) -> Outcome:
    slot = slots.get()
    try:
        return execute_submission(course, student, assignment, options, slot)
    finally:
        slots.put(slot)


def _completed(futures: list, submissions: list[tuple[str, str]]):
    """``(future, (student, assignment))`` in completion order."""
    owner = dict(zip(futures, submissions, strict=True))
    for future in as_completed(futures):
        yield future, owner[future]


def _record_safely(course: Course, outcome: Outcome, report: Report, options: GradeOptions) -> None:
    """:func:`_record`, and if recording this outcome itself fails, ``error`` rows for it alone."""
    try:
        _record(course, outcome, report, options)
    except Exception as exc:  # noqa: BLE001
        options.log(f"{outcome.student}/{outcome.assignment}: recording failed\n{traceback.format_exc()}")
        key = (outcome.student, outcome.assignment)
        report.rows[:] = [r for r in report.rows if (r["student"], r["assignment"]) != key]
        report.flags[:] = [r for r in report.flags if (r["student"], r["assignment"]) != key]
        failed = _failed(Outcome(*key, flags=list(outcome.flags)), "gradebook_error", _describe(exc))
        report.grader_ok = False
        _record(course, failed, report, options)


def _ensure_in_gradebook(course: Course, ids: list[str]) -> None:
    from nbgrader.api import MissingEntry

    missing = []
    with course.gradebook() as gb:
        for assignment in ids:
            try:
                gb.find_assignment(assignment)
            except MissingEntry:
                missing.append(assignment)
    if missing:  # generation is deterministic: this rewrites notebooks/ with identical bytes
        course.release(missing, log=lambda *_: None)


def execute_submission(course: Course, student: str, assignment: str, options: GradeOptions, slot: int = 0) -> Outcome:
    """Steps 1-2 of the module docstring; never raises (a failure becomes ``Outcome.error`` and a flag).

    Whatever the submission holds (bytes that are not JSON, malformed metadata, code that breaks the
    parser or the scan, a kernel that forks without end), only this submission's rows say ``error``.
    """
    outcome = Outcome(student, assignment)
    stage = "reading"
    try:
        path = course.root / "submitted" / student / assignment / f"{assignment}.ipynb"
        try:
            submitted = nbformat.read(path, as_version=4)
        except Exception as exc:  # noqa: BLE001 (any unreadable file is the student's problem, not the grader's)
            return _failed(outcome, "unreadable_notebook", f"unreadable notebook: {_describe(exc)}")
        source = nbformat.read(course.solution_path(assignment), as_version=4)
        release = nbformat.read(course.release_path(assignment), as_version=4)
        stage = "splicing"
        nb, flags = splice(submitted, source, release)
        stage = "scanning"
        outcome.flags += flags + scan(nb)
        static, watch = forbid.prepare(source, nb)  # forbid: no shortcut to the reference (static uses, plan)
        stage = "running the instructor's solution for"
        try:
            expected = reference_checks(course, assignment, options, slot)
        except PipelineError as exc:  # the instructor's problem: every row says so, nobody gets a wrong grade
            return _failed(outcome, "reference_failed", str(exc))
        stage = "running"
        _run_sandboxed(course, nb, outcome, options, slot, watch)
        stage = "judging"
        judge_outside(outcome, expected)
        forbid.apply(outcome, source, static, watch)  # forbid: uses_reference flags, the exercise scores 0
    except Exception as exc:  # noqa: BLE001 (one submission never stops the batch)
        options.log(f"{student}/{assignment}: {stage} failed\n{traceback.format_exc()}")
        flag = "malformed_notebook" if stage in ("reading", "splicing", "scanning") else "execution_failed"
        return _failed(outcome, flag, f"{stage} the notebook failed: {_describe(exc)}")
    return outcome


def judge_outside(outcome: Outcome, expected: dict) -> None:
    """Verdicts outside the student's process (``verdict.py``): a test cell that passed in the kernel passes
    only if the values it recorded pass the reference run's checks here. Records are dropped afterwards."""
    for index, result in outcome.cells.items():
        records, result.records = result.records, None
        if result.status != "ok":
            continue
        grade_id = outcome.notebook.cells[index].metadata.get("nbgrader", {}).get("grade_id", "")
        if grade_id not in expected:
            failure = "the instructor's solution has no test cell with this id"
        else:
            failure = judge(records, expected[grade_id])
        if failure is not None:
            result.status, result.detail = "failed", failure[:2000]
            detail = f"{grade_id}: passed in the kernel, not here: {failure}"
            outcome.flags.append(Flag("verdict_overruled", detail[:300]))


def _describe(exc: BaseException) -> str:
    try:
        text = f"{type(exc).__name__}: {exc}"
    except Exception:  # noqa: BLE001 (a student's exception class may break str())
        text = type(exc).__name__
    return text[:300]


def _failed(outcome: Outcome, flag: str, detail: str) -> Outcome:
    outcome.error = detail[:300]
    outcome.notebook, outcome.cells = None, {}
    outcome.flags.append(Flag(flag, outcome.error))
    return outcome


def _run_sandboxed(course: Course, nb, outcome: Outcome, options: GradeOptions, slot: int = 0, watch=None) -> None:
    """Run ``nb`` in its own sandbox: uid ``uid_for(slot)``, its own cgroup where possible, a tmpfs scratch."""
    import coursekit

    scratch = Path(tempfile.mkdtemp(prefix="coursekit-grade-"))
    uid = uid_for(slot)
    limits = options.limits
    group = Cgroup.create(f"coursekit-{scratch.name}", limits.memory_bytes, limits.processes)
    try:
        workdir = make_workdir(scratch, "kernel", uid)
        guard = f"_ck_guard_{secrets.token_hex(6)}"
        package_repo = Path(coursekit.__file__).resolve().parents[1]
        # datasets: the course's data/ and the one coursekit.data reads (the package repository's)
        readable = [d for d in {course.root / "data", package_repo / "data"} if d.exists()]
        command = bwrap_command(workdir, [course.root, package_repo, scratch], readable, limits, uid)
        command = group.wrap(command) if group is not None else command
        startup = [f"import coursekit.instructor.guard as {guard}", f"{guard}.install()"]
        startup += watch.startup if watch is not None else []  # forbid: the monitor, under a random name
        km = SandboxKernelManager(command, workdir, startup, uid)
        runner = Runner(km, options.exec_limits, guard)
        tests = {i for i, c in enumerate(nb.cells) if c.cell_type == "code" and _grade(c) and not _solution(c)}
        try:
            runner.start()
            km.seal()
            result = run_notebook(runner, nb, tests, watch)
        finally:
            runner.stop()
        outcome.notebook, outcome.cells = nb, result.cells
        outcome.flags += [Flag(f, d) for f, d in result.flags]
        if group is not None and group.memory_limit_hit():
            reached = f"the kernel and its children reached {limits.memory_bytes} bytes"
            outcome.flags.append(Flag("memory_limit", reached))
    finally:
        if group is not None:
            group.remove()
        shutil.rmtree(scratch, ignore_errors=True)


def _grade(cell) -> bool:
    return bool(cell.metadata.get("nbgrader", {}).get("grade"))


def _solution(cell) -> bool:
    return bool(cell.metadata.get("nbgrader", {}).get("solution"))


def _record(course: Course, outcome: Outcome, report: Report, options: GradeOptions) -> None:
    """Step 3-4: nbgrader's gradebook (no execution), then the CSV rows."""
    tests = _test_cells(course, outcome.assignment)
    scores: dict[str, tuple[float, float]] = {}
    if outcome.error is None and outcome.notebook is not None:
        _mark_failures(outcome)
        sanitise_notebook(outcome.notebook)  # nothing active reaches Formgrader or feedback
        try:
            scores = _save_to_gradebook(course, outcome)
        except Exception as exc:  # noqa: BLE001
            report.grader_ok = False
            outcome.error = f"gradebook update failed: {exc}"[:300]
            outcome.flags.append(Flag("gradebook_error", outcome.error))
    statuses = _statuses(outcome)
    for grade_id, max_score in tests:
        status = statuses.get(grade_id, "error")
        score = scores.get(grade_id, (0.0, max_score))[0] if outcome.error is None else 0.0
        if status != "ok":
            score = 0.0
        report.rows.append(
            dict(student=outcome.student, assignment=outcome.assignment, grade_id=grade_id,
                 score=f"{score:g}", max_score=f"{max_score:g}", status=status)
        )  # fmt: skip
    for flag in outcome.flags:
        report.flags.append(
            dict(student=outcome.student, assignment=outcome.assignment, flag=flag.flag, detail=flag.detail)
        )
    total = sum(
        float(r["score"])
        for r in report.rows
        if (r["student"], r["assignment"]) == (outcome.student, outcome.assignment)
    )
    options.log(f"{outcome.student}/{outcome.assignment}: {total:g} points, {len(outcome.flags)} flag(s)")


def _test_cells(course: Course, assignment: str) -> list[tuple[str, float]]:
    source = nbformat.read(course.solution_path(assignment), as_version=4)
    return [
        (c.metadata["nbgrader"]["grade_id"], float(c.metadata["nbgrader"].get("points", 0)))
        for c in source.cells
        if c.cell_type == "code" and _grade(c) and not _solution(c)
    ]


def _statuses(outcome: Outcome) -> dict[str, str]:
    if outcome.notebook is None:
        return {}
    statuses = {}
    for index, cell in enumerate(outcome.notebook.cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if index in outcome.cells and grade_id:
            statuses[grade_id] = outcome.cells[index].status
    return statuses


STDERR_NOTE = "[printed on stderr while this test ran; it does not count against the test]\n"


def _mark_failures(outcome: Outcome) -> None:
    """Make nbgrader's scoring agree with the grader's statuses. nbgrader scores a test cell 0 when it has
    an error output *or any stderr stream*: every non-ok status gets an error output, and in a passing
    test what went to stderr (a library warning) becomes a plain display output, marked as such."""
    for index, result in outcome.cells.items():
        cell = outcome.notebook.cells[index]
        if result.status == "ok":
            cell.outputs = [_stderr_as_display(o) for o in cell.outputs]
        elif not any(o.get("output_type") == "error" for o in cell.outputs):
            cell.outputs.append(
                nbformat.v4.new_output(
                    "error", ename="GraderError", evalue=result.detail or result.status, traceback=[]
                )
            )


def _stderr_as_display(output):
    if output.get("output_type") != "stream" or output.get("name") != "stderr":
        return output
    text = output.get("text", "")
    text = text if isinstance(text, str) else "".join(text)
    return nbformat.v4.new_output("display_data", data={"text/plain": STDERR_NOTE + text})


def _save_to_gradebook(course: Course, outcome: Outcome) -> dict[str, tuple[float, float]]:
    from .course import scores

    staged = course.root / "grades" / "executed"
    dest = staged / outcome.student / outcome.assignment
    dest.mkdir(parents=True, exist_ok=True)
    nbformat.write(outcome.notebook, dest / f"{outcome.assignment}.ipynb")
    stamp = course.root / "submitted" / outcome.student / outcome.assignment / "timestamp.txt"
    if stamp.exists():
        shutil.copy(stamp, dest / "timestamp.txt")
    cfg = course.config()  # nbgrader's autograde on the executed copy, with execution switched off
    cfg.CourseDirectory.submitted_directory = os.path.join("grades", "executed")
    cfg.Autograde.sanitize_preprocessors = _preprocessors(["DeduplicateIds", "OverwriteKernelspec", "OverwriteCells"])
    cfg.Autograde.autograde_preprocessors = _preprocessors(["LimitOutput", "SaveAutoGrades", "AssignLatePenalties"])
    result = course.api(cfg).autograde(outcome.assignment, outcome.student, force=True, create=True)
    if not result["success"]:
        raise PipelineError(result.get("error", "nbgrader autograde failed")[-2000:])
    return scores(course, outcome.assignment, outcome.student)


def _preprocessors(names: list[str]) -> list:
    from nbgrader import preprocessors

    return [getattr(preprocessors, name) for name in names]


def _write_csv(path: Path, fields: list[str], rows: list[dict], replaced: set[tuple[str, str]]) -> None:
    """Merge: keep rows of submissions not graded in this run, replace the others; write atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    kept = []
    if path.exists():
        with path.open(newline="") as f:
            kept = [r for r in csv.DictReader(f) if (r["student"], r["assignment"]) not in replaced]
    merged = sorted(kept + rows, key=lambda r: (r["student"], r["assignment"]))
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(merged)
    tmp.replace(path)
