"""The ``coursekit`` command: what nbgrader leaves to the instructor.

    coursekit release [ID ...]           regenerate notebooks/ from solutions/ (byte-deterministic)
    coursekit check [ID ...]             solution = full marks, blank = zero, a one-line shortcut to the
                                         reference per exercise scores 0 (flagged), release in sync
              [--skip-experiments]       ... without running the lecture's experiment cells
    coursekit grade [ID ...] [--jobs N]  sandboxed autograding of submitted/<student>/<id>/<id>.ipynb
              [--dask ADDRESS|local]     ... on the workers of a Dask cluster (new or changed submissions only)
    coursekit feedback [ID ...]          per-student HTML feedback without hidden-test source
    coursekit lab-setup                  JupyterLab settings for `make lab` (nbgrader without an exchange)

Run from the repository root (or pass --root).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    fmt = argparse.RawTextHelpFormatter
    parser = argparse.ArgumentParser(prog="coursekit", description=__doc__, formatter_class=fmt)
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="course repository root (default: .)")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in [
        ("release", "regenerate the student notebooks"),
        ("check", "prove each assignment grades correctly"),
        ("feedback", "write feedback/<student>/<id>/<id>.html"),
    ]:
        p = sub.add_parser(name, help=text)
        p.add_argument("ids", nargs="*", metavar="ID")
        if name == "check":
            p.add_argument(
                "--skip-experiments",
                action="store_true",
                help="grade the solution without the lecture's experiment cells too (tagged heavy; no test uses "
                "them): faster",
            )
    grade = sub.add_parser("grade", help="autograde submitted/ in a sandbox; write grades/grades.csv and flags.csv")
    grade.add_argument("ids", nargs="*", metavar="ID")
    grade.add_argument("--jobs", type=int, default=1, help="submissions graded at once (default 1)")
    grade.add_argument("--student", action="append", default=[], help="only this student (repeatable)")
    grade.add_argument("--cell-timeout", type=float, default=None, help="seconds per cell")
    grade.add_argument("--notebook-timeout", type=float, default=None, help="seconds per notebook")
    grade.add_argument("--memory", type=str, default=None, help="address-space limit, e.g. 4G")
    grade.add_argument(
        "--skip-experiments",
        action="store_true",
        help="do not run the lecture's experiment cells (tagged heavy; no test uses them): faster, feedback without "
        "their outputs",
    )
    grade.add_argument(  # [dask] coursekit/instructor/distributed.py
        "--dask", metavar="ADDRESS|local", default=None,
        help="grade on Dask workers: a scheduler address (tcp://host:8786) or `local` (--jobs worker processes)",
    )  # fmt: skip
    sub.add_parser("lab-setup", help="write .lab/ settings used by `make lab`")
    return parser


def _quiet_known_noise() -> None:
    import warnings

    # nbgrader's gradebook warns on every autograde (SQLAlchemy autoflush): normal, and it buries real output
    warnings.filterwarnings("ignore", message=".*not in session.*")
    warnings.filterwarnings("ignore", category=DeprecationWarning)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _quiet_known_noise()
    root = args.root.resolve()
    from .instructor.course import Course, PipelineError, check

    course = Course(root)
    try:
        if args.command == "release":
            course.release(args.ids or None)
            return 0
        if args.command == "check":
            results = check(course, args.ids or None, experiments=not args.skip_experiments)
            return 0 if all(r.ok for r in results) else 1
        if args.command == "grade":
            from .instructor.grader import GradeOptions, grade_course

            options = GradeOptions.from_cli(args)
            report = grade_course(course, args.ids or None, options)
            return 0 if report.grader_ok else 2
        if args.command == "feedback":
            from .instructor.feedback import write_feedback

            write_feedback(course, args.ids or None)
            return 0
        if args.command == "lab-setup":
            from .instructor.lab import setup_lab

            config = setup_lab(root)
            print(f"coursekit lab-setup: settings in {config}; students work in {root / 'work'} (never overwritten)")
            return 0
    except PipelineError as exc:
        print(f"coursekit {args.command}: {exc}", file=sys.stderr)
        return 2
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
