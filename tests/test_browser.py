"""The course in a browser, as a student and an instructor use it: Playwright drives Debian's Chromium
(``make chromium`` installs it; no browser is downloaded). Run with ``make browser-test``; screenshots go
to ``screenshots/`` (git-ignored).

- Formgrader lists every assignment on the first visit to a fresh course (no gradebook yet);
- JupyterLab opens a student's copy of a lecture, Run All stops at the first unwritten exercise and says
  so, a wrong answer's test failure shows the helper's message first, and Validate reports;
- an instructor opens ``nbsrc/<id>.py`` as a notebook (jupytext);
- every page of the website (``site/build.py``) has its math typeset by the local MathJax and its images
  loaded, and search finds a lecture.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from .lab_server import ROOT, TOKEN, course_copy, lab_server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SHOTS = ROOT / "screenshots"
LECTURE = "03_activations"  # its first exercise is sigmoid_forward/sigmoid_backward
WRONG_SIGMOID = """def sigmoid_forward(x):
    out = 1.0 / (1.0 + np.exp(x))
    return out, out


def sigmoid_backward(dout, cache):
    return dout * cache * (1.0 - cache)
"""
LONG = 180_000  # ms: a kernel start, a notebook run or nbgrader validate on 2 busy cores


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (Debian's chromium package)")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = course_copy(tmp_path_factory.mktemp("course"))
    with lab_server(root, "--LabApp.expose_app_in_browser=True") as base:
        yield root, base


def test_formgrader_lists_every_assignment_on_the_first_visit(lab, page):
    from playwright.sync_api import expect

    root, base = lab
    assert not (root / "gradebook.db").exists()
    statuses = []
    page.on("response", lambda r: statuses.append((r.status, r.url)) if "/formgrader/api/" in r.url else None)
    page.goto(f"{base}/formgrader?token={TOKEN}")
    for lecture in sorted(p.name for p in (ROOT / "solutions").iterdir() if p.is_dir()):
        expect(page.locator("td", has_text=lecture).first).to_be_visible(timeout=LONG)
    page.screenshot(path=SHOTS / "formgrader.png")
    assert statuses and all(status == 200 for status, _ in statuses), statuses
    assert page.locator("#warning-exchange").count() == 0
    assert page.get_by_text("Loading, please wait").count() == 0 or not page.get_by_text("Loading").is_visible()


# Replace the source of the first cell whose code (after the leading comment lines: an answer cell opens with
# what it forbids) starts with arguments[0] and make it the active cell (JupyterLab's own model, exposed by
# --LabApp.expose_app_in_browser; typing into CodeMirror adds auto-indentation).
TYPE_ANSWER = """([start, code]) => {
  const notebook = window.jupyterapp.shell.currentWidget.content;
  const code_of = cell => cell.model.sharedModel.getSource().replace(/^(#[^\\n]*\\n)*/, '');
  const index = notebook.widgets.findIndex(c => code_of(c).startsWith(start));
  if (index < 0) throw new Error('no cell starts with ' + start);
  notebook.widgets[index].model.sharedModel.setSource(code);
  notebook.activeCellIndex = index;
  notebook.mode = 'command';
  notebook.node.focus();
}"""


def test_jupyterlab_runs_a_student_notebook_and_validate_reports(lab, page):
    from playwright.sync_api import expect

    root, base = lab
    page.goto(f"{base}/lab/tree/work/{LECTURE}/{LECTURE}.ipynb?token={TOKEN}")
    expect(page.get_by_text("Python 3 (ipykernel) | Idle")).to_be_visible(timeout=LONG)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()

    unwritten = page.locator(".jp-OutputArea-output", has_text="`sigmoid_forward` is not written yet")
    expect(unwritten).to_be_visible(timeout=LONG)
    expect(page.locator(".jp-OutputArea-output", has_text="Run All stops at the first exercise")).to_be_visible()
    unwritten.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "lab_run_all.png")

    page.evaluate(TYPE_ANSWER, ["def sigmoid_forward(x):", WRONG_SIGMOID])  # as if typed into the cell
    page.keyboard.press("Shift+Enter")  # run the answer, move to its test cell
    page.keyboard.press("Shift+Enter")  # run the test
    failure = page.locator(
        ".jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']", has_text="Where the test"
    )
    expect(failure).to_be_visible(timeout=LONG)
    first_line = failure.inner_text().strip().splitlines()[0]
    assert first_line.startswith("AssertionError: sigmoid_forward"), first_line
    assert "grading.py" not in failure.inner_text()
    failure.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "lab_test_failure.png")

    page.locator(".validate-button").first.click()
    dialog = page.locator(".jp-Dialog", has_text="Validation Results")
    expect(dialog).to_be_visible(timeout=LONG)
    page.screenshot(path=SHOTS / "lab_validate.png")
    report = dialog.inner_text()  # the wrong answer fails its test; later exercises are not written yet
    assert "The following cell failed" in report and "AssertionError: sigmoid_forward" in report, report


def test_an_instructor_opens_a_lecture_source_as_a_notebook(lab, page):
    """nbsrc/<id>.py with *Open With > Jupytext Notebook*: cells, rendered markdown and math, a kernel
    (Lab asks which one: a source keeps no kernelspec, jupytext.toml)."""
    from playwright.sync_api import expect

    _, base = lab
    page.goto(f"{base}/lab?token={TOKEN}")
    expect(page.locator(".jp-DirListing")).to_be_visible(timeout=LONG)
    page.evaluate(
        # fire and forget: the command's promise resolves to the notebook widget, which Playwright cannot
        # serialise once it is open ("object reference chain is too long"); the dialog below is the wait
        "(path) => { window.jupyterapp.commands.execute('docmanager:open', {path, factory: 'Jupytext Notebook'}); }",
        f"nbsrc/{LECTURE}.py",
    )
    select = page.locator(".jp-Dialog", has_text="Select Kernel")  # a source names no kernel: one click
    expect(select).to_be_visible(timeout=LONG)
    expect(select.locator("select")).to_have_value(re.compile("python3"))
    select.get_by_role("button", name="Select").click()
    expect(page.get_by_text("Python 3 (ipykernel) | Idle")).to_be_visible(timeout=LONG)
    notebook = page.locator(".jp-NotebookPanel:visible .jp-Notebook")
    expect(notebook.locator("h1", has_text="Activations").first).to_be_visible()
    expect(notebook.locator("mjx-container").first).to_be_visible(timeout=60_000)
    page.screenshot(path=SHOTS / "lab_nbsrc.png")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("site")
    command = [sys.executable, str(ROOT / "site" / "build.py"), "--src", str(tmp / "src"), "--out", str(tmp / "html")]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return tmp / "html"


PAGE_STATE = """() => ({
  math: document.querySelectorAll('.math').length,
  typeset: document.querySelectorAll('mjx-container').length,
  untypeset: [...document.querySelectorAll('.math')].filter(e => !e.querySelector('mjx-container')).length,
  errors: document.querySelectorAll('mjx-merror').length,
  images: [...document.images].map(i => [i.getAttribute('src'), i.complete && i.naturalWidth > 0]),
})"""


def test_every_site_page_has_its_math_typeset_and_its_images_loaded(site, page):
    pages = sorted((site / "lectures").glob("*.html"))
    assert len(pages) == len(list((ROOT / "solutions").glob("*/*.ipynb")))
    for path in [site / "index.html", *pages]:
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        if page.locator(".math").count():
            page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
            page.evaluate("() => MathJax.startup.promise")
        state = page.evaluate(PAGE_STATE)
        name = path.stem
        if path.parent.name == "lectures":
            assert state["math"] > 0 and state["typeset"] >= state["math"], (name, state["math"], state["typeset"])
            assert state["images"], f"{name}: no figure"
        assert state["untypeset"] == 0 and state["errors"] == 0, (name, state)
        assert all(ok for _, ok in state["images"]), (name, [src for src, ok in state["images"] if not ok])
        page.screenshot(path=SHOTS / f"site_{name}.png")


def test_site_navigation_and_search_find_a_lecture(site, page):
    from playwright.sync_api import expect

    page.goto((site / "index.html").as_uri())
    page.locator(".sidebar-tree a", has_text="Backpropagation").first.click()
    expect(page.locator("h1", has_text="Backpropagation")).to_be_visible()
    page.goto((site / "search.html").as_uri() + "?q=backpropagation")
    expect(page.locator("#search-results a", has_text="Backpropagation").first).to_be_visible(timeout=30_000)
