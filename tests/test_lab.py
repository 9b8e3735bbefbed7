"""`make lab`: JupyterLab starts on the course with nbgrader's formgrader and validate working and the
exchange-based plugins disabled (what `coursekit lab-setup` configures)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from coursekit.instructor.lab import setup_lab

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    config = setup_lab(tmp_path_factory.mktemp("labroot"))
    port, token = _free_port(), "coursekit-test"
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(config), JUPYTERLAB_SETTINGS_DIR=str(config.parent / "settings"))
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1"]
    command += [f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            _get(f"{base}/api/status?token={token}")
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail(f"JupyterLab did not start: {server.stderr.read().decode()[-2000:]}")
    yield base, token
    server.terminate()
    server.wait(timeout=30)


def test_formgrader_lists_the_course_assignments(lab):
    base, token = lab
    assignments = json.loads(_get(f"{base}/formgrader/api/assignments?token={token}"))
    names = {a["name"] for a in assignments}
    expected = {p.name for p in (ROOT / "solutions").iterdir() if p.is_dir()}
    assert expected <= names


def test_exchange_plugins_are_disabled_in_the_page_config(lab):
    base, token = lab
    page = _get(f"{base}/lab?token={token}")
    assert "@jupyter/nbgrader:assignment-list" in page and "disabledExtensions" in page


def test_setup_lab_disables_the_exchange_server_extensions(tmp_path):
    config = setup_lab(tmp_path)
    server = json.loads((config / "jupyter_server_config.json").read_text())
    assert server["ServerApp"]["jpserver_extensions"] == {
        "nbgrader.server_extensions.assignment_list": False,
        "nbgrader.server_extensions.course_list": False,
    }
