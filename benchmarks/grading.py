"""Grading throughput: seconds per submission for a class, sequential and with ``--jobs``.

Every student of the synthetic class submits the assignment's solution (the slowest honest case:
every cell runs to the end). Each run grades into a scratch copy of the course, through the full
``coursekit grade`` path: integrity repair, sandboxed kernel, guard, nbgrader gradebook, CSVs.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))


def _course(assignment: str, students: int, where: Path):
    from coursekit.instructor.course import Course, scratch_course

    if assignment == "toy":
        from tests.toy_course import make_toy_course

        course = make_toy_course(where)
    else:
        course = scratch_course(Course(ROOT), [assignment], where)
    for k in range(students):
        dest = course.root / "submitted" / f"student{k:03d}" / assignment
        dest.mkdir(parents=True)
        shutil.copy(course.solution_path(assignment), dest / f"{assignment}.ipynb")
    return course


def run(assignment: str = "toy", students: int = 30, jobs: tuple[int, ...] = (1, 2)) -> list[dict]:
    from coursekit.instructor.grader import GradeOptions, grade_course

    rows = []
    for n_jobs in jobs:
        with tempfile.TemporaryDirectory() as tmp:
            course = _course(assignment, students, Path(tmp))
            course.release([assignment], log=lambda *_: None)  # gradebook created outside the timing
            start = time.perf_counter()
            report = grade_course(course, [assignment], GradeOptions(jobs=n_jobs, log=lambda *_: None))
            seconds = time.perf_counter() - start
        ok = all(r["status"] == "ok" for r in report.rows)
        rows.append({"assignment": assignment, "students": students, "jobs": n_jobs, "seconds": seconds,
                     "per_submission": seconds / students, "all_full_marks": ok})  # fmt: skip
    return rows


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--assignment", default="toy")
    parser.add_argument("--students", type=int, default=30)
    args = parser.parse_args()
    for row in run(args.assignment, args.students):
        print(f"{row['assignment']} x{row['students']} jobs={row['jobs']}: {row['seconds']:.1f} s, "
              f"{row['per_submission']:.2f} s/submission, full marks: {row['all_full_marks']}")  # fmt: skip
