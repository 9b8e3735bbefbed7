"""`make site`: the website shows every lecture as the student gets it, with the reference outputs, and
no line of a solution, a model answer or a hidden test (site/build.py)."""

from __future__ import annotations

import html.parser
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("site_build", ROOT / "site" / "build.py")
site_build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(site_build)

BLOCKS = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END \1", flags=re.S)


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def secret_lines(notebook: dict) -> set[str]:
    """Stripped lines of every solution block, hidden-test block and model answer of an instructor notebook."""
    lines: set[str] = set()
    for cell in notebook["cells"]:
        text = _source(cell)
        meta = cell["metadata"].get("nbgrader", {})
        if cell["cell_type"] == "markdown" and meta.get("solution"):
            lines |= set(text.splitlines())  # a manual question's model answer
        for _, block in BLOCKS.findall(text):
            lines |= set(block.splitlines())
    return {line.strip() for line in lines if line.strip()}


def visible_lines(notebook: dict) -> set[str]:
    """Stripped source lines of a student notebook (a line a student sees anyway is no leak)."""
    return {line.strip() for cell in notebook["cells"] for line in _source(cell).splitlines()}


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def page_lines(path: Path) -> set[str]:
    """Stripped text lines of a built file (an HTML page's text, with syntax-highlighting tags removed)."""
    text = path.read_text(errors="replace")
    if path.suffix == ".html":
        parser = _Text()
        parser.feed(text)
        text = "".join(parser.parts)
    return {line.strip() for line in text.splitlines()}


def leaks(secrets: set[str], site: Path) -> dict[str, set[str]]:
    """``{file: secret lines found in it}`` over every text file of the built site."""
    found = {}
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".js", ".txt", ".ipynb", ".md", ".json"}:
            hits = secrets & page_lines(path)
            if hits:
                found[str(path.relative_to(site))] = hits
    return found


def _notebook(role: str | None, source: str, outputs=None, cell_type: str = "code", id_: str = "c") -> dict:
    meta = {"tests": {"grade": True, "solution": False}, "solution": {"grade": False, "solution": True}}
    cell = {"cell_type": cell_type, "id": id_, "source": source, "metadata": {}}
    if role:
        cell["metadata"]["nbgrader"] = meta[role]
    if cell_type == "code":
        cell.update(outputs=outputs or [], execution_count=1 if outputs else None)
    return cell


def test_student_page_takes_reference_outputs_for_plain_cells_only():
    out = [{"output_type": "stream", "name": "stdout", "text": "42\n"}]
    student = {"cells": [_notebook(None, "print(42)", id_="a"), _notebook("solution", "# YOUR CODE HERE", id_="b")]}
    solution = {"cells": [_notebook(None, "print(42)", out, id_="a"), _notebook("solution", "x = 1", out, id_="b")]}
    page = site_build.student_page(student, solution, "demo")
    assert page["cells"][0]["outputs"] == out
    assert page["cells"][1]["outputs"] == [] and page["cells"][1]["source"] == "# YOUR CODE HERE"
    assert page["cells"][1]["metadata"]["tags"] == ["exercise"]


def test_student_page_refuses_a_release_out_of_date():
    student = {"cells": [_notebook(None, "print(1)")]}
    solution = {"cells": [_notebook(None, "print(2)")]}
    with pytest.raises(site_build.SiteError, match="make release"):
        site_build.student_page(student, solution, "demo")


def test_a_page_keeps_one_title_and_demotes_later_top_level_headings():
    markdown = [_notebook(None, "# 03 · Title\n\ntext", cell_type="markdown", id_="a")]
    markdown.append(_notebook(None, "# Exercises\n```\n# a comment in a code block\n```", cell_type="markdown"))
    page = {"cells": markdown}
    site_build.one_title(page)
    assert page["cells"][0]["source"].startswith("# 03 · Title")
    assert page["cells"][1]["source"] == "## Exercises\n```\n# a comment in a code block\n```"


def test_secret_lines_cover_solutions_hidden_tests_and_model_answers():
    code = "def f(x):\n    ### BEGIN SOLUTION\n    return x + 1\n    ### END SOLUTION\n"
    tests = "assert f(1) == 2\n### BEGIN HIDDEN TESTS\nassert f(5) == 6\n### END HIDDEN TESTS\n"
    answer = _notebook("solution", "Because the model answer says so.", cell_type="markdown")
    notebook = {"cells": [_notebook("solution", code), _notebook("tests", tests), answer]}
    assert secret_lines(notebook) == {"return x + 1", "assert f(5) == 6", "Because the model answer says so."}


def test_leak_check_finds_a_solution_line_in_highlighted_html(tmp_path):
    page = '<pre><span class="k">return</span> <span class="n">x</span> <span class="o">+</span> 1\n</pre>'
    (tmp_path / "page.html").write_text(page)
    assert leaks({"return x + 1"}, tmp_path) == {"page.html": {"return x + 1"}}
    assert leaks({"return x + 2"}, tmp_path) == {}


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    """The website built from the repository's notebooks (site/build.py) into a temporary folder."""
    tmp = tmp_path_factory.mktemp("site")
    command = [sys.executable, str(ROOT / "site" / "build.py"), "--src", str(tmp / "src"), "--out", str(tmp / "html")]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return tmp / "html"


def test_site_has_a_page_per_lecture_linked_from_the_syllabus(built_site):
    index = (built_site / "index.html").read_text()
    ids = site_build.lecture_ids()
    assert len(ids) == len(list((ROOT / "solutions").glob("*/*.ipynb"))) >= 8
    for lecture in ids:
        assert (built_site / "lectures" / f"{lecture}.html").exists()
        assert f'href="lectures/{lecture}.html"' in index
    assert (built_site / "search.html").exists() and (built_site / "searchindex.js").exists()
    assert (built_site / "_static" / "mathjax" / "tex-chtml.js").exists()


def test_site_pages_load_mathjax_locally_and_show_reference_figures(built_site):
    for lecture in site_build.lecture_ids():
        page = (built_site / "lectures" / f"{lecture}.html").read_text()
        assert 'src="../_static/mathjax/tex-chtml.js"' in page, lecture
        assert "cdn.jsdelivr" not in page and "https://cdn" not in page, lecture
        images = re.findall(r'<img[^>]+src="([^"]+)"', page)
        assert images, f"{lecture}: no figure"
        for src in images:
            assert (built_site / "lectures" / src).resolve().is_file(), f"{lecture}: missing {src}"
        assert "YOUR CODE HERE" in page, f"{lecture}: exercises are not shown as the student sees them"


def test_no_solution_model_answer_or_hidden_test_line_reaches_the_site(built_site):
    secrets, visible = set(), set()
    for lecture in site_build.lecture_ids():
        secrets |= secret_lines(json.loads((ROOT / "solutions" / lecture / f"{lecture}.ipynb").read_text()))
        visible |= visible_lines(json.loads((ROOT / "notebooks" / lecture / f"{lecture}.ipynb").read_text()))
    assert len(secrets - visible) > 100  # the check has something to find
    assert leaks(secrets - visible, built_site) == {}
