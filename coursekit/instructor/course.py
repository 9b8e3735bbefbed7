"""The course on disk, and nbgrader driven from Python (release and check).

``Course(root)`` knows the layout DESIGN.md fixes (``solutions/<id>/<id>.ipynb`` in,
``notebooks/<id>/<id>.ipynb`` out) and runs nbgrader in-process with the repository's
``nbgrader_config.py``. ``release`` makes student notebooks byte-deterministic; ``check`` proves, in a
scratch copy of the course, that each assignment grades as it should.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .nbsource import normalise


class PipelineError(RuntimeError):
    """nbgrader failed, or an assignment does not grade as it should."""


def _ensure_tools_on_path() -> None:
    # nbgrader shells out to `alembic` (from the same environment) when it creates a gradebook.
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


@dataclass
class Course:
    root: Path
    db_path: Path | None = None
    course_id: str = "dlf"
    _config: object = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.root = Path(self.root).resolve()
        self.db_path = Path(self.db_path) if self.db_path else self.root / "gradebook.db"

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.db_path}"

    def assignments(self) -> list[str]:
        """Every assignment id in ``solutions/``, in teaching order."""
        src = self.root / "solutions"
        return sorted(p.name for p in src.iterdir() if (p / f"{p.name}.ipynb").exists()) if src.exists() else []

    def resolve_ids(self, ids: list[str] | None) -> list[str]:
        known = self.assignments()
        if not ids:
            return known
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise PipelineError(f"unknown assignment(s) {unknown}; known: {known}")
        return list(ids)

    def solution_path(self, assignment: str) -> Path:
        return self.root / "solutions" / assignment / f"{assignment}.ipynb"

    def release_path(self, assignment: str) -> Path:
        return self.root / "notebooks" / assignment / f"{assignment}.ipynb"

    def config(self):
        """The traitlets config: the repository's nbgrader_config.py, with this course's paths."""
        from traitlets.config import Config
        from traitlets.config.loader import PyFileConfigLoader

        cfg = Config()
        if (self.root / "nbgrader_config.py").exists():
            cfg.merge(PyFileConfigLoader("nbgrader_config.py", path=str(self.root)).load_config())
        cfg.CourseDirectory.root = str(self.root)
        cfg.CourseDirectory.course_id = self.course_id
        cfg.CourseDirectory.source_directory = "solutions"
        cfg.CourseDirectory.release_directory = "notebooks"
        cfg.CourseDirectory.db_url = self.db_url
        return cfg

    def api(self, cfg=None):
        """nbgrader's API on this course (``cfg``: a config from :meth:`config`, possibly amended)."""
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        _ensure_tools_on_path()
        cfg = self.config() if cfg is None else cfg
        return NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg)

    def gradebook(self):
        from nbgrader.api import Gradebook

        _ensure_tools_on_path()
        return Gradebook(self.db_url, course_id=self.course_id)

    def release(self, ids: list[str] | None = None, log=print) -> list[Path]:
        """Regenerate ``notebooks/<id>/<id>.ipynb`` from ``solutions/`` (byte-deterministic)."""
        written = []
        api = self.api()
        for assignment in self.resolve_ids(ids):
            result = api.generate_assignment(assignment, force=True, create=True)
            if not result["success"]:
                raise PipelineError(f"nbgrader generate_assignment {assignment} failed:\n{result.get('error', '')}")
            path = self.release_path(assignment)
            rewrite_deterministic(path)
            written.append(path)
            log(f"released {path.relative_to(self.root)}")
        return written


def rewrite_deterministic(path: Path) -> None:
    """Normalise metadata and write with nbformat's stable JSON layout."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    normalise(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nbformat.write(nb, path)


def scratch_course(source: Course, ids: list[str], workdir: Path | None = None) -> Course:
    """A throw-away copy of the course (solutions, notebooks, config) with its own gradebook."""
    work = Path(workdir or tempfile.mkdtemp(prefix="coursekit-"))
    for assignment in ids:
        for kind in ("solutions", "notebooks"):
            src = source.root / kind / assignment
            if src.exists():
                shutil.copytree(src, work / kind / assignment, dirs_exist_ok=True)
    if (source.root / "nbgrader_config.py").exists():
        shutil.copy(source.root / "nbgrader_config.py", work / "nbgrader_config.py")
    return Course(work, course_id=source.course_id)


@dataclass
class CheckResult:
    assignment: str
    problems: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def scores(course: Course, assignment: str, student: str) -> dict[str, tuple[float | None, float]]:
    """``{grade_id: (auto_score, max_score)}`` of the autograded test cells of one submission."""
    with course.gradebook() as gb:
        submission = gb.find_submission(assignment, student)
        return {
            grade.name: (grade.auto_score, grade.max_score)
            for notebook in submission.notebooks
            for grade in notebook.grades
            if grade.cell.cell_type == "code"
        }


def autograde_plain(course: Course, assignment: str, student: str, notebook: Path) -> dict:
    """Autograde one notebook with plain nbgrader (the instructor's own notebooks only: no sandbox)."""
    dest = course.root / "submitted" / student / assignment
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(notebook, dest / f"{assignment}.ipynb")
    result = course.api().autograde(assignment, student, force=True, create=True)
    if not result["success"]:
        raise PipelineError(f"autograde of {student}/{assignment} failed:\n{result.get('error', '')}")
    return scores(course, assignment, student)


def check(
    course: Course,
    ids: list[str] | None = None,
    log=print,
    jobs: int = 2,
    experiments: bool = True,
    shortcuts: bool = True,
) -> list[CheckResult]:
    """Prove each assignment grades: solution = full marks, blank = zero, shortcuts lose their points, release
    in sync.

    Grading goes through the same sandboxed path as ``coursekit grade`` (plain nbgrader autograde when
    the sandbox is unavailable on this machine), in a scratch copy of the course; the solution with every
    cell (``experiments=False``: without the experiment cells too, as ``coursekit check --skip-experiments``),
    the blank notebook without the experiment cells (``--skip-experiments``), which no test uses. The shortcut
    submission (``shortcuts.py``: every answer with ``forbid=`` replaced by a one-line call of its first
    forbidden callable) must score 0 on those exercises with a ``uses_reference`` flag naming the callable;
    it needs the sandbox's grader (plain nbgrader knows no forbid lists); ``shortcuts=False`` skips it. A check
    whose expected value the student's code computes must say ``own=True`` (``ownership.py``, static).
    """
    import nbformat

    from . import ownership
    from . import shortcuts as cheating
    from .sandbox import sandbox_available

    sandboxed = sandbox_available() is None
    if not sandboxed:
        log(f"note: sandbox unavailable ({sandbox_available()}); checking with plain nbgrader autograde")
    results = []
    for assignment in course.resolve_ids(ids):
        result = CheckResult(assignment)
        with tempfile.TemporaryDirectory(prefix=f"check-{assignment}-") as tmp:
            scratch = scratch_course(course, [assignment], Path(tmp))
            fresh = scratch.release([assignment], log=lambda *_: None)[0]
            _compare_release(course, assignment, fresh, result)
            notebooks = {"solution": course.solution_path(assignment), "blank": fresh}
            solution_nb = nbformat.read(course.solution_path(assignment), as_version=4)
            result.problems += [str(f) for f in ownership.findings(solution_nb)]  # honest answers would lose points
            cheats = cheating.plan(solution_nb, rounds=1)[0].get("shortcut_0", {}) if sandboxed and shortcuts else {}
            if cheats:
                notebooks["shortcut"] = Path(tmp) / f"shortcut-{assignment}.ipynb"
                release_nb = nbformat.read(fresh, as_version=4)
                nbformat.write(cheating.submission(release_nb, cheats), notebooks["shortcut"])
            graded, flagged = _grade_all(scratch, assignment, notebooks, sandboxed, jobs, experiments)
            _expect(result, graded["solution"], "full")
            _expect(result, graded["blank"], "zero")
            if flagged["solution"]:  # an honest submission is never flagged: the solution least of all
                result.problems.append(f"the solution is flagged: {flagged['solution']}")
            if cheats:
                scored = {g: s for g, (s, _m) in graded["shortcut"].items()}
                details = [f.split(": ", 1)[1] for f in flagged["shortcut"] if f.startswith(f"{cheating.FLAG}: ")]
                wrong = cheating.problems(solution_nb, cheats, scored, details)
                result.problems += [f"shortcut {w}" for w in wrong]
                if not wrong:
                    result.facts.append(f"{len(cheats)} shortcuts to the reference score 0, flagged")
        results.append(result)
        log(f"{'ok  ' if result.ok else 'FAIL'} {assignment}: " + "; ".join(result.problems or result.facts))
    return results


def _compare_release(course: Course, assignment: str, fresh: Path, result: CheckResult) -> None:
    committed = course.release_path(assignment)
    name = committed.relative_to(course.root)
    if not committed.exists():
        result.problems.append(f"{name} is missing: run `coursekit release`")
    elif fresh.read_bytes() != committed.read_bytes():
        result.problems.append(f"{name} differs from a fresh generation: run `coursekit release`")


def _grade_all(
    scratch: Course, assignment: str, notebooks: dict[str, Path], sandboxed: bool, jobs: int, experiments: bool
) -> tuple[dict, dict[str, list[str]]]:
    """``({who: {grade_id: (score, max)}}, {who: [flag lines]})``."""
    if not sandboxed:
        graded = {who: autograde_plain(scratch, assignment, who, nb) for who, nb in notebooks.items()}
        return graded, {who: [] for who in notebooks}
    from .grader import GradeOptions, grade_course

    for who, nb in notebooks.items():
        dest = scratch.root / "submitted" / who / assignment
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copy(nb, dest / f"{assignment}.ipynb")
    from .executor import ExecLimits

    rows, flags = [], []
    # the experiment cells (tagged heavy; no test uses them) of the blank and shortcut notebooks would only
    # re-run the lecture: those two are graded together, without them
    runs = [["solution"], [who for who in notebooks if who != "solution"]]
    for students in runs:
        limits = ExecLimits(skip_experiments=students != ["solution"] or not experiments)
        options = GradeOptions(jobs=jobs, students=students, exec_limits=limits, log=lambda *_: None)
        report = grade_course(scratch, [assignment], options)
        rows += [r for r in report.rows if r["student"] in students]
        flags += [f for f in report.flags if f["student"] in students]
    graded: dict[str, dict] = {who: {} for who in notebooks}
    for row in rows:
        score = float(row["score"]) if row["status"] == "ok" else 0.0
        graded[row["student"]][row["grade_id"]] = (score, float(row["max_score"]))
    flagged: dict[str, list[str]] = {who: [] for who in notebooks}
    for flag in flags:
        flagged[flag["student"]].append(f"{flag['flag']}: {flag['detail']}")
    return graded, flagged


def _expect(result: CheckResult, graded: dict, want: str) -> None:
    total = sum(s or 0 for s, _ in graded.values())
    maximum = sum(m for _, m in graded.values())
    if not graded:
        result.problems.append("no autograded test cells")
        return
    if want == "full":
        bad = [g for g, (s, m) in graded.items() if s != m]
        if bad:
            result.problems.append(f"solution scores {total:g}/{maximum:g}; not full marks on {bad}")
        else:
            result.facts.append(f"solution {total:g}/{maximum:g}")
    else:
        bad = [g for g, (s, _) in graded.items() if s not in (0, 0.0)]
        if bad:
            result.problems.append(f"blank notebook scores {total:g}/{maximum:g}; points on {bad}")
        else:
            result.facts.append(f"blank 0/{maximum:g}")
