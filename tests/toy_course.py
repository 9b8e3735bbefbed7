"""Build the toy course (tests/fixtures/toy.py) in a scratch directory: solutions, release, config."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

from coursekit.instructor.course import Course
from coursekit.instructor.nbsource import build

ROOT = Path(__file__).resolve().parents[1]


def make_toy_course(where: Path) -> Course:
    (where / "solutions" / "toy").mkdir(parents=True)
    nbformat.write(build(ROOT / "tests" / "fixtures" / "toy.py"), where / "solutions" / "toy" / "toy.ipynb")
    shutil.copy(ROOT / "nbgrader_config.py", where / "nbgrader_config.py")
    course = Course(where)
    course.release(["toy"], log=lambda *_: None)
    return course
