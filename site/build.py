"""Build the course website: ``python site/build.py`` (what `make site` runs) -> ``site/_build/html/index.html``.

Each lecture page is the *student* notebook ``notebooks/<id>/<id>.ipynb`` (exercises as the student sees
them: no solution code, no hidden tests) with the outputs of the reference run copied from
``solutions/<id>/<id>.ipynb`` into every cell that is neither an exercise nor a test. Cells are matched by
id and must have the same source (else the release is out of date and the build stops). Nothing is
executed. The landing page is the syllabus table of README.md. The generated sources go to
``site/_build/src`` (configuration: ``site/conf.py``); all of ``site/_build`` is git-ignored.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "site"


class SiteError(RuntimeError):
    """The student and instructor notebooks disagree, or README has no syllabus table."""


def lecture_ids(root: Path = ROOT) -> list[str]:
    """Ids of the lectures, ``solutions/<id>/<id>.ipynb``, sorted."""
    return sorted(p.parent.name for p in (root / "solutions").glob("*/*.ipynb") if p.stem == p.parent.name)


def _role(cell: dict) -> str | None:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    if cell["cell_type"] != "code":
        return None
    if meta.get("solution"):
        return "exercise"
    if meta.get("grade"):
        return "tests"
    return None


def student_page(student: dict, solution: dict, name: str) -> dict:
    """The student notebook with the reference outputs of its plain cells (exercise and test cells stay empty)."""
    page = copy.deepcopy(student)
    reference = {cell.get("id"): cell for cell in solution["cells"]}
    for cell in page["cells"]:
        if cell["cell_type"] != "code":
            continue
        role = _role(cell)
        if role is not None:
            cell["outputs"], cell["execution_count"] = [], None
            cell["metadata"]["tags"] = [*cell["metadata"].get("tags", []), role]
            continue
        ref = reference.get(cell.get("id"))
        if ref is None or ref["source"] != cell["source"]:
            raise SiteError(f"{name}: cell {cell.get('id')!r} differs from solutions/ (run `make release`)")
        cell["outputs"], cell["execution_count"] = ref["outputs"], ref.get("execution_count")
    return page


def one_title(notebook: dict) -> None:
    """Demote every ``# `` heading after the first to ``## ``: a page has one title, so the sidebar lists lectures."""
    seen, fenced = False, False
    for cell in notebook["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        lines = "".join(cell["source"]).split("\n")
        for i, line in enumerate(lines):
            fenced ^= line.lstrip().startswith("```")
            if not fenced and line.startswith("# "):
                lines[i] = "#" + line if seen else line
                seen = True
        cell["source"] = "\n".join(lines)


def _title(notebook: dict) -> str:
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    raise SiteError("a lecture notebook has no '# ' title in its markdown")


def landing_page(readme: str, titles: dict[str, str]) -> str:
    """``index.md``: README's introduction and syllabus table, each lecture linked to its page."""
    intro = readme.split("\n\n")[1].strip() if readme.count("\n\n") else ""
    rows = re.findall(r"^\| `(\w+)` \| (.+?) \|$", readme, flags=re.M)
    if not rows:
        raise SiteError("README.md has no syllabus table (rows like '| `01_id` | topics |')")
    table = ["| lecture | topics |", "|---|---|"]
    table += [f"| [{titles.get(i, i)}](lectures/{i}.ipynb) | {topics} |" for i, topics in rows if i in titles]
    toctree = "\n".join(f"lectures/{i}" for i in titles)
    return (
        "# Deep Learning Foundations\n\n"
        f"{intro}\n\n"
        "## Syllabus\n\n" + "\n".join(table) + "\n\n"
        "## Taking the course\n\n"
        "These pages show each lecture as a student receives it, with the figures and results of the reference\n"
        "run. To do the exercises, clone the course repository and run `make lab`: JupyterLab opens on your own\n"
        "copies in `work/`. Each exercise cell says `# YOUR CODE HERE`; the test cell below it checks your\n"
        "answer, and more (hidden) tests run when it is graded.\n\n"
        f"```{{toctree}}\n:hidden:\n:titlesonly:\n:caption: Lectures\n\n{toctree}\n```\n"
    )


def write_sources(src: Path, root: Path = ROOT) -> list[str]:
    """Write ``src/index.md`` and ``src/lectures/<id>.ipynb``; return the lecture ids."""
    ids = lecture_ids(root)
    lectures = src / "lectures"
    shutil.rmtree(src, ignore_errors=True)
    lectures.mkdir(parents=True)
    titles = {}
    for lecture in ids:
        released = root / "notebooks" / lecture / f"{lecture}.ipynb"
        if not released.exists():
            raise SiteError(f"{lecture}: {released.relative_to(root)} is missing (run `make release`)")
        student = json.loads(released.read_text())
        solution = json.loads((root / "solutions" / lecture / f"{lecture}.ipynb").read_text())
        page = student_page(student, solution, lecture)
        one_title(page)
        titles[lecture] = _title(page)
        (lectures / f"{lecture}.ipynb").write_text(json.dumps(page, indent=1) + "\n")
    (src / "index.md").write_text(landing_page((root / "README.md").read_text(), titles))
    return ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SITE / "_build" / "html", help="output folder")
    parser.add_argument("--src", type=Path, default=SITE / "_build" / "src", help="generated sources (replaced)")
    args = parser.parse_args(argv)
    ids = write_sources(args.src)
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "--keep-going", "-c", str(SITE)]
    command += [str(args.src), str(args.out)]
    result = subprocess.run(command, cwd=ROOT)
    if result.returncode == 0:
        print(f"site: {len(ids)} lectures -> {args.out / 'index.html'}")
    return result.returncode


if __name__ == "__main__":
    raise SystemExit(main())
