"""JupyterLab settings for `make lab`: nbgrader's formgrader, create-assignment and validate on; the
exchange-based assignment and course lists off (a single machine has no exchange, and those plugins
otherwise show errors)."""

from __future__ import annotations

import json
from pathlib import Path

DISABLED_LAB = {"@jupyter/nbgrader:assignment-list": True, "@jupyter/nbgrader:course-list": True}
DISABLED_SERVER = {
    "nbgrader.server_extensions.assignment_list": False,
    "nbgrader.server_extensions.course_list": False,
}


def setup_lab(root: Path) -> Path:
    """Write ``.lab/config`` (used as JUPYTER_CONFIG_DIR by `make lab`) and return it."""
    config = Path(root) / ".lab" / "config"
    (config / "labconfig").mkdir(parents=True, exist_ok=True)
    (Path(root) / ".lab" / "settings").mkdir(parents=True, exist_ok=True)
    (config / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": DISABLED_LAB}, indent=2) + "\n"
    )
    server = {"ServerApp": {"jpserver_extensions": DISABLED_SERVER}}
    (config / "jupyter_server_config.json").write_text(json.dumps(server, indent=2) + "\n")
    return config
