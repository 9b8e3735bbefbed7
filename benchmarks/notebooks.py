"""Wall time of every solution notebook, executed top to bottom in a fresh kernel (as nbval and
`make notebooks` do). The course's budget: under 60 s each and 5 minutes in all on 2 CPU cores."""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

BUDGET_EACH, BUDGET_ALL = 60.0, 300.0


def run(ids: list[str] | None = None) -> list[dict]:
    import nbformat
    from nbclient import NotebookClient

    from coursekit.instructor.course import Course

    rows = []
    for assignment in ids or Course(ROOT).assignments():
        path = ROOT / "solutions" / assignment / f"{assignment}.ipynb"
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        )
        start = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - start
        rows.append({"notebook": assignment, "seconds": seconds, "budget": BUDGET_EACH, "ok": seconds < BUDGET_EACH})
    return rows


if __name__ == "__main__":
    for row in run(sys.argv[1:] or None):
        print(f"{row['notebook']:<24} {row['seconds']:6.1f} s  (budget {row['budget']:.0f} s)")
