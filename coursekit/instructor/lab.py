"""What `make lab` prepares before JupyterLab starts (``coursekit lab-setup``).

- ``.lab/config`` (used as JUPYTER_CONFIG_DIR): nbgrader's formgrader, create-assignment and validate on;
  the assignment and course lists off (students here fetch nothing); the server puts its own
  interpreter's ``bin/`` first on ``PATH``, because nbgrader runs the ``alembic`` command when it creates
  the gradebook (without it Formgrader's first visit fails and the gradebook has no ``alembic_version``).
- ``.lab/settings`` (JUPYTERLAB_SETTINGS_DIR) defaults: no Jupyter-news pop-up (the course is offline).
- ``exchange/``: nbgrader's exchange directory (``nbgrader_config.py``), so Formgrader shows no
  "exchange directory ... does not exist" warning and release/collect work on this machine.
- ``work/<id>/<id>.ipynb``: each student notebook copied from ``notebooks/`` once, never overwritten.
  Students work there (git-ignored), so ``git pull`` never conflicts with their answers.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

DISABLED_LAB = {"@jupyter/nbgrader:assignment-list": True, "@jupyter/nbgrader:course-list": True}
DISABLED_SERVER = {
    "nbgrader.server_extensions.assignment_list": False,
    "nbgrader.server_extensions.course_list": False,
}
LAB_SETTINGS = {
    # an offline course: no "get notified about Jupyter news?" pop-up
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}
# Loaded by the Jupyter server (a config file is Python): nbgrader finds `alembic` beside the interpreter.
PATH_CONFIG = '''"""Written by `coursekit lab-setup`: the server's own bin/ first on PATH (nbgrader runs `alembic`)."""
import os
import sys

_bin = os.path.dirname(sys.executable)
if _bin not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _bin + os.pathsep + os.environ.get("PATH", "")
'''


def setup_lab(root: Path) -> Path:
    """Prepare ``root`` for `make lab` (config, exchange, student workspace); return the config directory."""
    root = Path(root)
    config = write_config(root)
    (root / "exchange").mkdir(exist_ok=True)
    copy_workspace(root)
    return config


def write_config(root: Path) -> Path:
    """Write ``root/.lab/config`` (JUPYTER_CONFIG_DIR) and ``root/.lab/settings``; return the former."""
    config = Path(root) / ".lab" / "config"
    (config / "labconfig").mkdir(parents=True, exist_ok=True)
    (Path(root) / ".lab" / "settings").mkdir(parents=True, exist_ok=True)
    (config / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": DISABLED_LAB}, indent=2) + "\n"
    )
    server = {"ServerApp": {"jpserver_extensions": DISABLED_SERVER}}
    (config / "jupyter_server_config.json").write_text(json.dumps(server, indent=2) + "\n")
    (config / "jupyter_server_config.py").write_text(PATH_CONFIG)
    for plugin, values in LAB_SETTINGS.items():
        path = Path(root) / ".lab" / "settings" / f"{plugin}.jupyterlab-settings"
        if not path.exists():  # defaults only: a user's own change is kept
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values, indent=2) + "\n")
    return config


def copy_workspace(root: Path) -> list[Path]:
    """Copy each ``notebooks/<id>/`` file to ``work/<id>/`` unless it is already there; return the copies.

    A student's own file is never overwritten: to get a newer release of a lecture, rename or delete
    ``work/<id>/<id>.ipynb`` and run this again.
    """
    root = Path(root)
    copied = []
    for source in sorted((root / "notebooks").glob("*/*")):
        if not source.is_file() or source.name.startswith("."):
            continue
        target = root / "work" / source.relative_to(root / "notebooks")
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            copied.append(target)
    return copied
