"""Execute a notebook cell by cell in a (sandboxed) kernel, under time and output limits.

Unlike nbclient, this loop treats the kernel as hostile: every wait has a deadline, a cell that
ignores an interrupt gets its kernel killed, output beyond a byte budget is dropped (and said so),
and test cells are bracketed by the in-kernel guard (``guard.py``): restore before, check after.
"""

from __future__ import annotations

import json
import queue
import secrets
import time
from dataclasses import dataclass, field

import nbformat

from . import pyast
from .integrity import is_review_cell

TEST_PRELUDE = (
    "import numpy as np; from coursekit.grading import assert_between, assert_close, assert_equal, assert_gradient, "
    "assert_raises, assert_shape"
)
TRUNCATION_NOTE = "\n[output truncated by the grader: this cell printed more than {limit} bytes]\n"


@dataclass(frozen=True)
class ExecLimits:
    cell_seconds: float = 120.0
    notebook_seconds: float = 600.0
    # The course's own solutions print at most 277 kB in one cell (04 cell 027, a figure) and 768 kB in
    # one notebook (08): the caps leave a margin of 7 and 13 (tests/test_pipeline.py keeps it so).
    cell_output_bytes: int = 2_000_000
    notebook_output_bytes: int = 10_000_000
    interrupt_grace_seconds: float = 5.0
    # `coursekit grade --skip-experiments`: the lecture's experiment cells tagged ``heavy`` (no test depends on
    # them: tools/check_notebook.py proves it) are not run; feedback shows them without output
    skip_experiments: bool = False


@dataclass
class CellResult:
    index: int
    status: str  # ok | failed | timeout | killed
    detail: str = ""
    records: str | None = None  # a test cell's checks, JSON from the kernel (``verdict.py`` decides on them)


@dataclass
class RunResult:
    cells: dict[int, CellResult] = field(default_factory=dict)
    flags: list[tuple[str, str]] = field(default_factory=list)
    kernel_alive: bool = True


class KernelDied(Exception):
    pass


class Runner:
    """Drives one kernel through one notebook."""

    def __init__(self, km, limits: ExecLimits, guard_name: str):
        self.km = km
        self.limits = limits
        self.guard = guard_name
        self.kc = None
        self.notebook_bytes = 0
        self.deadline = 0.0
        self.truncated: list[str] = []  # ids of cells whose output was cut

    def start(self, startup_timeout: float = 120) -> None:
        import subprocess

        # the kernel's own chatter (banner, warnings) would drown the grader's log
        self.km.start_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=startup_timeout)
        self.deadline = time.monotonic() + self.limits.notebook_seconds

    def stop(self) -> None:
        if self.kc is not None:
            self.kc.stop_channels()
        try:
            self.km.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001 (an already-dead kernel must not crash the grader)
            pass

    def execute(
        self,
        code: str,
        outputs: list | None,
        *,
        silent: bool = False,
        expressions=None,
        label: str = "",
        history: bool = True,
    ) -> dict:
        """Run ``code``; append outputs; return the reply content (raises TimeoutError/KernelDied).
        ``history=False``: not stored in the kernel's ``In``/``_ih`` (test code)."""
        msg_id = self.kc.execute(
            code, silent=silent, store_history=history and not silent, user_expressions=expressions or {},
            allow_stdin=False,
        )  # fmt: skip
        budget = min(self.limits.cell_seconds, max(0.0, self.deadline - time.monotonic()))
        if self._collect(msg_id, outputs, time.monotonic() + budget):
            self.truncated.append(label)
        return self._reply(msg_id, time.monotonic() + 10)

    def _collect(self, msg_id: str, outputs: list | None, until: float) -> bool:
        """Gather the outputs of ``msg_id`` until the kernel is idle; True if some were dropped."""
        cell_bytes, truncated = 0, False
        while True:
            msg = self._next(self.kc.get_iopub_msg, until)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content["execution_state"] == "idle":
                return truncated
            if outputs is None or kind not in ("stream", "display_data", "execute_result", "error"):
                if kind == "clear_output" and outputs is not None:
                    outputs.clear()
                continue
            size = len(json.dumps(content))
            cell_bytes += size
            self.notebook_bytes += size
            if cell_bytes > self.limits.cell_output_bytes or self.notebook_bytes > self.limits.notebook_output_bytes:
                if not truncated:
                    note = TRUNCATION_NOTE.format(limit=self.limits.cell_output_bytes)
                    outputs.append(nbformat.v4.new_output("stream", name="stderr", text=note))
                    truncated = True
                if kind != "error":
                    continue
            outputs.append(nbformat.v4.output_from_msg(msg))
            if truncated:
                outputs[-1]["metadata"] = {"truncated": True}

    def _reply(self, msg_id: str, until: float) -> dict:
        while True:
            msg = self._next(self.kc.get_shell_msg, until)
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg["content"]

    def _next(self, getter, until: float):
        while True:
            if not self.km.is_alive():
                raise KernelDied()
            remaining = until - time.monotonic()
            if remaining <= 0:
                raise TimeoutError()
            try:
                return getter(timeout=min(remaining, 0.5))
            except queue.Empty:
                continue

    def interrupt_or_kill(self) -> bool:
        """After a timeout: interrupt; if the kernel does not come back, kill it. True if it survived."""
        try:
            self.km.interrupt_kernel()
            probe = self.kc.execute("", silent=True)
            self._reply(probe, time.monotonic() + self.limits.interrupt_grace_seconds)
            return True
        except (TimeoutError, KernelDied, RuntimeError):
            self.stop()
            return False


def run_notebook(runner: Runner, nb, test_indices: set[int], watch=None) -> RunResult:
    """Execute every code cell of ``nb`` in order (outputs stored in place); statuses for test cells.

    ``watch``: a ``forbid.RuntimePlan`` (no shortcut to the reference) armed around each test cell."""
    result = RunResult()
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or is_review_cell(cell):  # review cells: the student's, never run
            continue
        cell.outputs, cell.execution_count = [], None
        if runner.limits.skip_experiments and "heavy" in cell.metadata.get("tags", []) and index not in test_indices:
            continue
        if not result.kernel_alive:
            if index in test_indices:
                result.cells[index] = CellResult(index, "killed", "the kernel had died before this cell")
            continue
        if time.monotonic() >= runner.deadline:
            if index in test_indices:
                result.cells[index] = CellResult(index, "timeout", "notebook time limit reached before this cell")
            continue
        outcome = _run_cell(runner, cell, index in test_indices, result, watch)
        if index in test_indices:
            result.cells[index] = CellResult(index, outcome.status, outcome.detail, outcome.records)
    for label in runner.truncated:
        result.flags.append(("output_truncated", f"cell {label}: output beyond the size limit was dropped"))
    return result


def _run_cell(runner: Runner, cell, is_test: bool, result: RunResult, watch=None) -> CellResult:
    index = cell.get("id", "?")
    token = secrets.token_hex(8)
    code = cell.source
    try:
        if is_test:
            before = _guard_call(runner, f"{runner.guard}.restore()")
            for change in before or []:
                result.flags.append(("tampering_before_test", f"cell {index}: {change} (restored)"))
            _watch(runner, watch, "arm", cell)  # forbid: watch the answer while its tests run
            reply = _execute_test(runner, cell, token, str(index))
        else:
            reply = runner.execute(code, cell.outputs, label=str(index))
        cell.execution_count = reply.get("execution_count")
        status = "ok" if reply.get("status") == "ok" else "failed"
        detail = "" if status == "ok" else f"{reply.get('ename', 'Error')}: {reply.get('evalue', '')}"[:200]
        if is_test:
            _watch(runner, watch, "disarm", cell)  # forbid: before the guard's check sees the profile hook
            status, detail, records = _after_test(runner, token, status, detail, index, result)
            return CellResult(-1, status, detail, records)
        return CellResult(-1, status, detail)
    except TimeoutError:
        survived = runner.interrupt_or_kill()
        result.kernel_alive = survived
        if survived and is_test:
            _watch(runner, watch, "disarm", cell)  # forbid: the next cells run unwatched
        if not survived:
            result.flags.append(("kernel_killed", f"cell {index} ignored the interrupt after its time limit"))
        cell.outputs.append(nbformat.v4.new_output("error", ename="Timeout", evalue="cell time limit", traceback=[]))
        return CellResult(-1, "timeout", "cell time limit exceeded")
    except KernelDied:
        result.kernel_alive = False
        result.flags.append(("kernel_died", f"the kernel died while running cell {index}"))
        cell.outputs.append(nbformat.v4.new_output("error", ename="KernelDied", evalue="", traceback=[]))
        return CellResult(-1, "killed", "the kernel died while running this cell")


HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_FROM = "hidden_outputs_from"  # cell metadata coursekit.<this>: outputs from this index on are hidden tests


def split_hidden(source: str) -> tuple[str, str]:
    """``(visible, rest)``: a test cell's code before its first ``### BEGIN HIDDEN TESTS`` line, and from
    there on (hidden block included). Markers are found as whole lines at column 0, never by content; a
    cell whose marker is indented is all ``rest`` (its outputs are all treated as hidden)."""
    lines = source.splitlines(keepends=True)
    for number, line in enumerate(lines):
        if line.strip() == HIDDEN_BEGIN:
            if line != line.lstrip():
                return "", source
            return "".join(lines[:number]), "".join(lines[number:])
    return source, ""


def _execute_test(runner: Runner, cell, token: str, label: str) -> dict:
    """Run a test cell's visible part, then (if it passed) its hidden part as a second execution whose
    outputs are marked in the cell's metadata, so that feedback drops them structurally.

    Test cells always see the real helpers, whatever the student bound to these names; the guard's
    ``ran(token)`` ends the last part (proof that the test ran to its end)."""
    visible, hidden = split_hidden(cell.source)
    done = f"\n{runner.guard}.ran({token!r})\n"
    prelude = f"{TEST_PRELUDE}; {runner.guard}.part()\n"  # part(): checks called from this code are recorded
    if not hidden:
        return runner.execute(f"{prelude}{visible}{done}", cell.outputs, label=label, history=False)
    if visible.strip():
        reply = runner.execute(f"{prelude}{visible}", cell.outputs, label=label, history=False)
        if reply.get("status") != "ok":
            return reply
    cell.metadata.setdefault("coursekit", {})[HIDDEN_FROM] = len(cell.outputs)
    return runner.execute(f"{prelude}{hidden}{done}", cell.outputs, label=label, history=False)


def _watch(runner: Runner, watch, step: str, cell) -> None:
    """forbid (``coursekit.instructor.forbid``): arm or disarm the kernel's monitor around a test cell and
    hand what it recorded, plain data, to the plan."""
    if watch is None:
        return
    grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
    expression = getattr(watch, step)(grade_id)
    if expression is not None:
        value = _guard_call(runner, expression)
        if step == "disarm":
            watch.record(grade_id, value)


def _after_test(runner: Runner, token: str, status: str, detail: str, index, result: RunResult):
    after = _guard_call(runner, f"{runner.guard}.check({token!r})")
    if not isinstance(after, dict):
        result.flags.append(("guard_unreachable", f"cell {index}: the integrity check gave no answer"))
        return "failed", "the grader could not verify this test cell", None
    records = after.get("records") if isinstance(after.get("records"), str) else None
    for change in after.get("changes", []):
        result.flags.append(("tampering_during_test", f"cell {index}: {change}"))
    if after.get("changes"):
        return "failed", "test helpers or the kernel were modified while this test ran", records
    if status == "ok" and not after.get("ran"):
        result.flags.append(("test_not_executed", f"cell {index}: reported success without running its code"))
        return "failed", "the test code did not run to its end", records
    return status, detail, records


def _guard_call(runner: Runner, expression: str):
    """Evaluate ``expression`` through user_expressions (no input transformers apply to it)."""
    reply = runner.execute("", None, silent=True, expressions={"guard": expression})
    value = reply.get("user_expressions", {}).get("guard", {})
    if value.get("status") != "ok":
        return None
    try:
        return pyast.literal_eval(value["data"]["text/plain"])
    except (KeyError, ValueError, SyntaxError):
        return None
