"""Typical wrong answers must lose points: run them against each exercise's tests in one kernel.

``tests/wrong_answers/<id>.py`` holds sections ``# %% wrong id=<solution grade_id> name=<label>``. The solution
notebook is executed once (cells tagged ``heavy`` and markdown removed); then, for each wrong answer, its code
replaces the solution cell, the exercise's test cells run and must fail, and the right solution is restored.
One kernel per notebook keeps this fast enough to run on every commit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

WRONG_HEADER = re.compile(r"^# %% wrong id=(?P<id>[A-Za-z0-9_\-]+)(?: name=(?P<name>\S+))?\s*$")


@dataclass(frozen=True)
class WrongAnswer:
    grade_id: str
    name: str
    code: str
    line: int


@dataclass(frozen=True)
class Outcome:
    label: str
    passed: bool  # did the tests pass?
    detail: str


def parse_wrong_answers(path: Path) -> list[WrongAnswer]:
    answers: list[WrongAnswer] = []
    current: tuple[str, str, int] | None = None
    body: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = WRONG_HEADER.match(line)
        if match:
            if current:
                answers.append(WrongAnswer(current[0], current[1], "\n".join(body).strip() + "\n", current[2]))
            current, body = (match["id"], match["name"] or f"line{number}", number), []
        elif line.startswith("# %%"):
            raise ValueError(f"{path}:{number}: expected '# %% wrong id=<grade_id> name=<label>'")
        elif current:
            body.append(line)
    if current:
        answers.append(WrongAnswer(current[0], current[1], "\n".join(body).strip() + "\n", current[2]))
    return answers


def exercise_cells(nb) -> tuple[list, dict[str, object], dict[str, list]]:
    """Runnable cells (no markdown, no ``heavy``), solution cells by id, and each solution's test cells."""
    runnable, solutions, tests = [], {}, {}
    last_solution = None
    for cell in nb.cells:
        if cell.cell_type != "code" or "heavy" in cell.metadata.get("tags", []):
            continue
        runnable.append(cell)
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            last_solution = meta["grade_id"]
            solutions[last_solution] = cell
            tests.setdefault(last_solution, [])
        elif meta.get("grade") and last_solution is not None:
            tests[last_solution].append(cell)
    return runnable, solutions, tests


class Kernel:
    """A Python kernel for running cells one by one and reading errors."""

    def __init__(self, cwd: Path, timeout: float = 300):
        from jupyter_client.manager import start_new_kernel

        self.timeout = timeout
        self.km, self.kc = start_new_kernel(kernel_name="python3", cwd=str(cwd))

    def run(self, code: str) -> str | None:
        """Execute ``code``; return ``None`` on success or ``"Name: message"`` on error."""
        reply = self.kc.execute_interactive(
            code, store_history=False, allow_stdin=False, timeout=self.timeout, output_hook=lambda msg: None
        )
        content = reply["content"]
        if content["status"] == "ok":
            return None
        return f"{content.get('ename', 'Error')}: {content.get('evalue', '')}"[:300]

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def run_mutations(solution: Path, wrong_answers: list[WrongAnswer]) -> list[Outcome]:
    """Baseline outcomes (the solution's tests, heavy cells removed) then one per wrong answer."""
    import nbformat

    nb = nbformat.read(solution, as_version=4)
    runnable, solutions, tests = exercise_cells(nb)
    kernel = Kernel(solution.parent)
    outcomes: list[Outcome] = []
    try:
        for cell in runnable:
            error = kernel.run(cell.source)
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") or error:
                label = f"solution/{meta.get('grade_id', cell.get('id', '?'))}"
                outcomes.append(Outcome(label, error is None, error or "passes"))
        for wrong in wrong_answers:
            outcomes.append(_one_mutation(kernel, wrong, solutions, tests))
    finally:
        kernel.close()
    return outcomes


def _one_mutation(kernel: Kernel, wrong: WrongAnswer, solutions: dict, tests: dict) -> Outcome:
    label = f"{wrong.grade_id}/{wrong.name}"
    if wrong.grade_id not in solutions:
        return Outcome(label, True, f"no solution cell {wrong.grade_id!r} (line {wrong.line})")
    if not tests[wrong.grade_id]:
        return Outcome(label, True, f"solution {wrong.grade_id!r} has no tests cell after it")
    error = kernel.run(wrong.code)
    if error is None:
        errors = [kernel.run(cell.source) for cell in tests[wrong.grade_id]]
        error = next((e for e in errors if e), None)
    restored = kernel.run(solutions[wrong.grade_id].source)
    if restored:
        return Outcome(label, True, f"could not restore the solution afterwards: {restored}")
    return Outcome(label, error is None, error or "the tests still pass with this wrong answer")
