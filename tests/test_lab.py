"""`make lab`: JupyterLab starts on the course with nbgrader's Formgrader working on the first visit (a
versioned gradebook, no exchange warning), students work in git-ignored copies under work/, and
instructors open nbsrc/<id>.py as a notebook through jupytext without changing its syntax."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from dataclasses import astuple

import pytest

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
