"""Build the instructor notebooks ``solutions/<id>/<id>.ipynb`` from ``nbsrc/<id>.py``.

Each source is parsed (see ``coursekit/instructor/nbsource.py`` for the cell syntax), executed top to
bottom in a fresh kernel whose working directory is ``solutions/<id>/``, normalised (no timings, no
kernel-specific metadata) and written with its outputs. A cell that raises fails the build unless it
is tagged ``raises-exception``. Usage::

    python tools/build_notebooks.py                 # every nbsrc/*.py
    python tools/build_notebooks.py 03_activations  # some
    python tools/build_notebooks.py --no-execute ID # structure only (fast; outputs dropped)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coursekit.instructor.nbsource import build, normalise  # noqa: E402


def execute(nb, workdir: Path, timeout: int) -> float:
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(workdir)}},
        record_timing=False,
    )
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("ids", nargs="*", help="assignment ids (default: every nbsrc/*.py)")
    parser.add_argument("--no-execute", action="store_true", help="write the notebook without running it")
    parser.add_argument("--timeout", type=int, default=300, help="per-cell timeout in seconds")
    args = parser.parse_args(argv)
    ids = args.ids or sorted(p.stem for p in (ROOT / "nbsrc").glob("*.py"))
    for assignment in ids:
        source = ROOT / "nbsrc" / f"{assignment}.py"
        if not source.exists():
            parser.error(f"no source {source.relative_to(ROOT)}")
        nb = build(source)
        workdir = ROOT / "solutions" / assignment
        workdir.mkdir(parents=True, exist_ok=True)
        seconds = 0.0 if args.no_execute else execute(nb, workdir, args.timeout)
        normalise(nb)
        nbformat.write(nb, workdir / f"{assignment}.ipynb")
        print(f"{assignment}: {len(nb.cells)} cells, executed in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
