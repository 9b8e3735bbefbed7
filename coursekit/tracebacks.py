"""Short error reports for a student in JupyterLab (installed by ``coursekit.plot.setup_notebook``).

Two errors a student meets all the time get a report that starts with what to do:

* an ``AssertionError`` raised by a test helper (``coursekit.grading``, ``coursekit.gradcheck``): the
  helper's plain-words message first, then only the notebook lines that led there (no frames inside
  coursekit, NumPy or IPython);
* the ``NotImplementedError`` of an exercise not written yet (nbgrader's ``raise NotImplementedError()``
  under ``# YOUR CODE HERE``): which function, and that *Run All* stops there, so the cells below wait.

Every other error keeps IPython's usual traceback. Only a kernel that JupyterLab started for a notebook
gets the handler (``__session__`` / ``JPY_SESSION_NAME`` name an ``.ipynb``); nbval, nbclient, nbgrader's
validate and the grader's kernel keep IPython's own reports and outputs.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

__all__ = ["install", "in_jupyterlab", "short_report"]

PACKAGE = str(Path(__file__).resolve().parent)
HELPERS = ("grading.py", "gradcheck.py")
RED, BOLD, CYAN, RESET = "\x1b[31m", "\x1b[1m", "\x1b[36m", "\x1b[0m"


def in_jupyterlab(shell) -> bool:
    """True when ``shell`` runs a notebook that a Jupyter server opened (and no grader guard is active)."""
    guard = sys.modules.get("coursekit.instructor.guard")
    if guard is not None and getattr(guard, "_state", None) is not None:
        return False
    session = shell.user_ns.get("__session__") or os.environ.get("JPY_SESSION_NAME", "")
    return isinstance(session, str) and session.endswith(".ipynb")


def install(shell=None) -> bool:
    """Report test failures and unfinished exercises briefly in this JupyterLab kernel; True if installed."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None or not hasattr(shell, "set_custom_exc") or not in_jupyterlab(shell):
        return False
    shell.set_custom_exc((AssertionError, NotImplementedError), _handler)
    return True


def _handler(shell, etype, value, tb, tb_offset=None) -> list[str]:
    stb = short_report(etype, value, tb, _cell_namer(shell))
    if stb is None:
        stb = shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
    shell._showtraceback(etype, value, stb)  # IPython leaves the display to a custom handler
    return stb


def _cell_namer(shell):
    def name(filename: str) -> str | None:
        code_name = getattr(getattr(shell, "compile", None), "format_code_name", None)
        named = code_name(filename) if code_name else None
        return " ".join(named) if named else None

    return name


def _in_package(filename: str) -> bool:
    return os.path.abspath(filename).startswith(PACKAGE + os.sep)


def short_report(etype: type, value: BaseException, tb, cell_name=lambda filename: None) -> list[str] | None:
    """The structured traceback (lines, ANSI colours) for a helper's failure or an unwritten exercise.

    ``cell_name(filename)`` turns a cell's file name into ``"Cell In[3]"`` (None: not a cell).
    Returns None for any other error (the caller shows IPython's usual traceback).
    """
    frames = traceback.extract_tb(tb)
    cells = [(cell_name(f.filename), f) for f in frames]
    cells = [(name, f) for name, f in cells if name is not None]
    in_helper = any(_in_package(f.filename) and os.path.basename(f.filename) in HELPERS for f in frames)
    if issubclass(etype, AssertionError) and in_helper:
        head = f"{RED}{BOLD}{etype.__name__}{RESET}: {value}"
        return [head, "", "Where the test failed:", *_lines(cells)]
    if issubclass(etype, NotImplementedError) and frames and not str(value) and cell_name(frames[-1].filename):
        what = f"`{frames[-1].name}`" if frames[-1].name != "<module>" else "this exercise"
        head = f"{RED}{BOLD}NotImplementedError{RESET}: {what} is not written yet (its cell says # YOUR CODE HERE)."
        note = (
            "Run All stops at the first unfinished exercise: the cells below it have not run. Write the exercise "
            "and run its cell, then its test cell; or run the cells below one at a time."
        )
        return [head, note, "", "Where:", *_lines(cells)]
    return None


def _lines(cells: list) -> list[str]:
    return [f"  {CYAN}{name}, line {f.lineno}{RESET}" + (f": {f.line.strip()}" if f.line else "") for name, f in cells]
