"""A JupyterLab server on a throw-away copy of the course, started the way `make lab` starts it.

The copy (``course_copy``) has the repository's ``nbgrader_config.py`` (whose paths follow the file) and
``jupytext.toml``, links to ``solutions/``, ``notebooks/`` and ``nbsrc/`` (read, never written), and what
``coursekit lab-setup`` writes: ``.lab/``, ``exchange/`` and the student workspace ``work/``. The gradebook
does not exist yet, as on a fresh clone. The server runs with the virtual environment's ``bin/`` *removed*
from ``PATH``: the setup must bring ``alembic`` back.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from coursekit.instructor.lab import setup_lab

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "coursekit-test"


def course_copy(target: Path) -> Path:
    """A fresh course root at ``target`` prepared by ``setup_lab``; returns ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "nbgrader_config.py", target / "nbgrader_config.py")
    shutil.copy2(ROOT / "jupytext.toml", target / "jupytext.toml")
    for name in ("solutions", "notebooks", "nbsrc"):
        (target / name).symlink_to(ROOT / name, target_is_directory=True)
    setup_lab(target)
    return target


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=120) as response:  # a first visit on busy cores
        return response.read().decode()


def _path_without_venv() -> str:
    venv_bin = os.path.abspath(os.path.dirname(sys.executable))
    parts = os.environ.get("PATH", "").split(os.pathsep)
    return os.pathsep.join(p for p in parts if p and os.path.abspath(p) != venv_bin)


@contextmanager
def lab_server(root: Path, *args: str):
    """Yield the base URL of JupyterLab serving ``root`` (token ``TOKEN``, extra ``args``); stop it afterwards."""
    port = _free_port()
    # as `make lab` runs it: not the portability check's extra kernelspecs (JUPYTER_PATH set by `make test`)
    env = {key: value for key, value in os.environ.items() if key != "JUPYTER_PATH"}
    env = dict(
        env,
        PATH=_path_without_venv(),
        JUPYTER_CONFIG_DIR=str(root / ".lab" / "config"),
        JUPYTERLAB_SETTINGS_DIR=str(root / ".lab" / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(root / ".lab" / "workspaces"),
    )
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1"]
    command += [f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}", *args]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = open(root / "lab.log", "wb")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                get(f"{base}/api/status?token={TOKEN}")
                break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.5)
        else:
            raise RuntimeError("JupyterLab did not answer within 120 s")
        if server.poll() is not None:
            raise RuntimeError(f"JupyterLab exited: {(root / 'lab.log').read_text()[-2000:]}")
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def server_log(root: Path) -> str:
    return (root / "lab.log").read_text(errors="replace")
