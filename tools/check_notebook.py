"""Developer check of one or more notebooks, everything CI checks, in one go::

    python tools/check_notebook.py 03_activations [--only-mutations]

1. nbsrc/<id>.py and solutions/<id>/<id>.ipynb hold the same cells (outputs aside);
2. `coursekit check`: the solution earns full marks, the blank student notebook zero (autograded in a scratch
   copy, so the real gradebook is untouched); the committed student notebook equals a fresh generation;
3. heavy cells removed, every test still passes; every wrong answer in tests/wrong_answers/<id>.py fails its tests;
4. no check compares a student's value with another of the student's values without `own=True` (ownership.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coursekit.instructor.course import Course, check  # noqa: E402
from coursekit.instructor.mutations import parse_wrong_answers, run_mutations  # noqa: E402
from coursekit.instructor.nbsource import build, source_signature  # noqa: E402
from coursekit.instructor.ownership import findings  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("ids", nargs="+")
    parser.add_argument("--only-mutations", action="store_true")
    args = parser.parse_args(argv)
    import nbformat

    failed = False
    course = Course(ROOT)
    for assignment in args.ids:
        solution = course.solution_path(assignment)
        built = build(ROOT / "nbsrc" / f"{assignment}.py")
        solution_nb = nbformat.read(solution, as_version=4)
        if source_signature(built) != source_signature(solution_nb):
            print(f"FAIL {assignment}: solutions/ is stale; run tools/build_notebooks.py {assignment}")
            failed = True
        if not args.only_mutations:  # coursekit check also runs the ownership scan
            failed |= not all(r.ok for r in check(course, [assignment]))
        else:
            for finding in findings(solution_nb):
                print(f"FAIL {assignment} {finding}")
                failed = True
        wrong_file = ROOT / "tests" / "wrong_answers" / f"{assignment}.py"
        wrong = parse_wrong_answers(wrong_file) if wrong_file.exists() else []
        for outcome in run_mutations(solution, wrong):
            expected = outcome.label.startswith("solution/")
            ok = outcome.passed == expected
            failed |= not ok
            print(f"{'ok  ' if ok else 'FAIL'} {assignment} {outcome.label}: {outcome.detail}")
        if not wrong:
            print(f"FAIL {assignment}: no wrong answers in {wrong_file.relative_to(ROOT)}")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
