"""`make lab`: JupyterLab starts on the course with nbgrader's Formgrader working on the first visit (a
versioned gradebook, no exchange warning), students work in git-ignored copies under work/, and
instructors open nbsrc/<id>.py as a notebook through jupytext without changing its syntax."""

from __future__ import annotations

import json
import linecache
import sqlite3
import subprocess
import sys
from dataclasses import astuple

import pytest

from coursekit import tracebacks
from coursekit.instructor.lab import copy_workspace, setup_lab
from coursekit.instructor.nbsource import parse_source

from .lab_server import ROOT, TOKEN, course_copy, get, lab_server, server_log


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = course_copy(tmp_path_factory.mktemp("course"))
    assert not (root / "gradebook.db").exists()
    with lab_server(root) as base:
        yield root, base


def test_formgrader_answers_on_the_first_visit_with_a_versioned_gradebook(lab):
    root, base = lab
    assignments = json.loads(get(f"{base}/formgrader/api/assignments?token={TOKEN}"))
    expected = {p.name for p in (ROOT / "solutions").iterdir() if p.is_dir()}
    assert expected <= {a["name"] for a in assignments}
    with sqlite3.connect(root / "gradebook.db") as db:
        (version,) = db.execute("SELECT version_num FROM alembic_version").fetchone()
    assert version  # nbgrader found `alembic` although .venv/bin was not on the server's PATH
    assert "FileNotFoundError" not in server_log(root)


def test_formgrader_shows_no_exchange_warning(lab):
    root, base = lab
    page = get(f"{base}/formgrader/manage_assignments?token={TOKEN}")
    assert "Manage Assignments" in page and "warning-exchange" not in page
    assert "Unwritable directory" not in server_log(root)


def test_exchange_plugins_are_disabled_in_the_page_config(lab):
    _, base = lab
    page = get(f"{base}/lab?token={TOKEN}")
    assert "@jupyter/nbgrader:assignment-list" in page and "disabledExtensions" in page


def test_lab_opens_an_nbsrc_source_as_a_notebook(lab):
    _, base = lab
    source = sorted((ROOT / "nbsrc").glob("*.py"))[0]
    model = json.loads(get(f"{base}/api/contents/nbsrc/{source.name}?type=notebook&token={TOKEN}"))
    assert model["type"] == "notebook"
    cells = [(c["cell_type"], c["source"]) for c in model["content"]["cells"]]
    assert cells == [(c.cell_type, c.source) for c in parse_source(source.read_text())]


def test_setup_lab_disables_the_exchange_server_extensions(tmp_path):
    config = setup_lab(tmp_path)
    server = json.loads((config / "jupyter_server_config.json").read_text())
    assert server["ServerApp"]["jpserver_extensions"] == {
        "nbgrader.server_extensions.assignment_list": False,
        "nbgrader.server_extensions.course_list": False,
    }
    assert (tmp_path / "exchange").is_dir()


def test_workspace_is_copied_once_and_never_overwritten(tmp_path):
    (tmp_path / "notebooks" / "01_x").mkdir(parents=True)
    (tmp_path / "notebooks" / "01_x" / "01_x.ipynb").write_text("release 1")
    assert copy_workspace(tmp_path) == [tmp_path / "work" / "01_x" / "01_x.ipynb"]
    (tmp_path / "work" / "01_x" / "01_x.ipynb").write_text("my answers")
    (tmp_path / "notebooks" / "01_x" / "01_x.ipynb").write_text("release 2")
    (tmp_path / "notebooks" / "02_y").mkdir()
    (tmp_path / "notebooks" / "02_y" / "02_y.ipynb").write_text("new lecture")
    assert copy_workspace(tmp_path) == [tmp_path / "work" / "02_y" / "02_y.ipynb"]
    assert (tmp_path / "work" / "01_x" / "01_x.ipynb").read_text() == "my answers"


def test_work_folder_is_ignored_by_git():
    result = subprocess.run(["git", "check-ignore", "-q", "work/01_x/01_x.ipynb"], cwd=ROOT)
    assert result.returncode == 0


@pytest.mark.parametrize("source", sorted((ROOT / "nbsrc").glob("*.py")), ids=lambda p: p.stem)
def test_nbsrc_opened_and_saved_as_a_notebook_keeps_every_cell(tmp_path, source):
    """What JupyterLab does when an instructor opens nbsrc/<id>.py with jupytext, edits and saves it."""
    from jupyter_server.services.contents.largefilemanager import LargeFileManager
    from jupytext.sync_contentsmanager import build_sync_jupytext_contents_manager_class

    (tmp_path / "nbsrc").mkdir()
    (tmp_path / "jupytext.toml").write_text((ROOT / "jupytext.toml").read_text())
    (tmp_path / "nbsrc" / source.name).write_text(source.read_text())
    manager = build_sync_jupytext_contents_manager_class(LargeFileManager)(root_dir=str(tmp_path))
    model = manager.get(f"nbsrc/{source.name}", type="notebook")
    for cell in model["content"].cells:
        cell.metadata.update(scrolled=True, jupyter={"source_hidden": False})  # what Lab adds
    manager.save(model, f"nbsrc/{source.name}")
    saved = (tmp_path / "nbsrc" / source.name).read_text()
    assert [astuple(c) for c in parse_source(saved)] == [astuple(c) for c in parse_source(source.read_text())]
    assert not saved.startswith("# ---")  # no YAML header


def _run_cell(code: str, namespace: dict, filename: str = "<cell-7>"):
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)  # as IPython does for a cell
    try:
        exec(compile(code, filename, "exec"), namespace)
    except BaseException:
        return sys.exc_info()
    raise AssertionError("the cell did not raise")


def _cell_name(filename: str) -> str | None:
    return "Cell In[7]" if filename == "<cell-7>" else None


def test_a_failing_visible_test_reports_the_helpers_message_first():
    code = "import numpy as np\nfrom coursekit.grading import assert_close\n"
    code += "assert_close(np.zeros(3), np.ones(3), name='f(x)')\n"
    etype, value, tb = _run_cell(code, {})
    lines = tracebacks.short_report(etype, value, tb, _cell_name)
    assert lines[0].endswith(f"AssertionError\x1b[0m: {value}") and "f(x)" in lines[0]
    assert len(lines) == 4 and "Cell In[7], line 3" in lines[3] and "assert_close(np.zeros(3)" in lines[3]
    assert not any("grading.py" in line for line in lines)


def test_an_unwritten_exercise_says_that_run_all_stops_there():
    code = "def relu(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n\nrelu(1)\n"
    lines = tracebacks.short_report(*_run_cell(code, {}), _cell_name)
    assert "`relu` is not written yet" in lines[0] and lines[1].startswith("Run All stops at the first unfinished")


def test_other_errors_keep_ipythons_traceback():
    assert tracebacks.short_report(*_run_cell("1 / 0", {}), _cell_name) is None
    assert tracebacks.short_report(*_run_cell("assert 1 == 2", {}), _cell_name) is None  # not a helper's message
    assert tracebacks.short_report(*_run_cell("raise NotImplementedError('later')", {}), _cell_name) is None


def test_short_reports_are_installed_only_in_a_jupyterlab_kernel(monkeypatch):
    from IPython.core.interactiveshell import InteractiveShell

    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    shell = InteractiveShell.instance()
    try:
        assert tracebacks.install(shell) is False and shell.custom_exceptions == ()
        shell.user_ns["__session__"] = "/home/student/work/01_x/01_x.ipynb"
        assert tracebacks.install(shell) is True
        assert shell.custom_exceptions == (AssertionError, NotImplementedError)
    finally:
        shell.set_custom_exc((), None)
        InteractiveShell.clear_instance()
