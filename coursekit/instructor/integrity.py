"""Static integrity of a submission: splice the student's answers into the instructor's source, and scan.

``splice`` returns the notebook that will actually be executed: the instructor's notebook (every test
cell with its hidden tests, every experiment cell, in the instructor's order) with only the student's
*answer cells* (nbgrader solution cells, matched by grade id) put in. Whatever else the student added or
changed is appended after it for review, marked so that the grader never runs it: it cannot change
what a test compares. Each change is reported as a flag, so an instructor sees what a student did.

``scan`` looks at the code a student wrote (answer cells and the cells kept for review) for constructs
that honest answers to this course do not need: reaching into IPython or the kernel, patching modules
or builtins, killing processes, dynamic code. Flags are for review; they do not change a score.
"""

from __future__ import annotations

import ast
import copy
from dataclasses import dataclass

from . import pyast

MAX_SCANNED_CHARS = 1_000_000  # no honest answer cell comes near; the scan's cost grows with the code
GRADE_KEYS = ("grade", "solution", "locked", "points", "grade_id", "task")

SUSPICIOUS_NAMES = {
    "get_ipython": "uses the IPython shell object",
    "input_transformers_cleanup": "touches IPython input transformers",
    "input_transformers_post": "touches IPython input transformers",
    "ast_transformers": "touches IPython AST transformers",
    "set_custom_exc": "installs a custom exception handler",
    "register_magic_function": "registers a magic",
    "settrace": "installs a trace function",
    "setprofile": "installs a profile function",
    "_getframe": "inspects interpreter frames",
    "excepthook": "replaces an exception hook",
    "displayhook": "replaces the display hook",
    "builtins": "touches builtins",
    "__builtins__": "touches builtins",
    "__globals__": "reaches into function globals",
    "__code__": "rewrites function code",
    "__subclasses__": "walks the class hierarchy",
    "_exit": "exits the process",
    "kill": "sends signals to processes",
    "killpg": "sends signals to processes",
    "fork": "forks processes",
    "system": "runs shell commands",
    "popen": "runs shell commands",
    "Popen": "runs shell commands",
    "ctypes": "uses ctypes",
    "importlib": "imports dynamically",
    "reload": "reloads modules",
    "__import__": "imports dynamically",
    "exec": "executes dynamic code",
    "eval": "evaluates dynamic code",
    "compile": "compiles dynamic code",
    "globals": "reads the global namespace",
    "gc": "uses the garbage collector's object lists",
}
# Modules an answer has no use for: they reach processes, signals, the interpreter's frames or source lines.
SUSPICIOUS_IMPORTS = {"ctypes", "signal", "importlib", "gc", "inspect", "linecache"}
# Names that are suspicious only as a bare call target (``model.eval()`` is fine, ``eval(...)`` is not).
NAME_ONLY = {"exec", "eval", "compile", "globals", "__import__", "gc"}

PROTECTED_MODULE_ROOTS = ("numpy", "coursekit", "math", "builtins", "sys", "IPython", "ipykernel", "torch")
COMPARISON_DUNDERS = {"__eq__", "__ne__", "__bool__", "__array_ufunc__", "__array_function__", "__array__", "__float__"}


@dataclass(frozen=True)
class Flag:
    flag: str
    detail: str


def _meta(cell) -> dict:
    """A cell's nbgrader metadata; ``{}`` where a student's file holds anything but a mapping there."""
    metadata = cell.get("metadata", {}) if isinstance(cell, dict) else {}
    meta = metadata.get("nbgrader", {}) if isinstance(metadata, dict) else {}
    return meta if isinstance(meta, dict) else {}


def _is_locked(meta: dict) -> bool:
    return bool(meta.get("locked")) or (bool(meta.get("grade")) and not meta.get("solution"))


REVIEW_KEY = "not_run"  # cell metadata coursekit.not_run: kept for review, never executed by the grader
REVIEW_HEADER = (
    "**Cells the student added or changed (kept for review; the grader did not run them: it ran the "
    "instructor's notebook with the student's answer cells)**"
)


def is_review_cell(cell) -> bool:
    coursekit = cell.get("metadata", {}).get("coursekit", {})
    return isinstance(coursekit, dict) and bool(coursekit.get(REVIEW_KEY))


def splice(submitted, source, release) -> tuple[object, list[Flag]]:
    """The notebook to grade: the instructor's ``source`` (hidden tests, experiment cells, order) with the
    student's answer cells (nbgrader ``solution`` cells, matched by grade id) put in, and after it every
    other cell the student added or changed, marked :func:`is_review_cell` (shown, scanned, never run).

    ``release``: the student version, to tell a student's edit from the released text. Flags say what the
    student changed (edited, deleted or duplicated locked cells, changed nbgrader metadata, unknown ids).
    """
    flags: list[Flag] = []
    canonical = {_meta(c)["grade_id"]: c for c in source.cells if _meta(c).get("grade_id")}
    released = {_meta(c)["grade_id"]: c for c in release.cells if _meta(c).get("grade_id")}
    released_free = {c.source for c in release.cells if not _meta(c).get("grade_id")}
    answers: dict[str, object] = {}
    review = []
    for cell in submitted.cells:
        grade_id = _meta(cell).get("grade_id")
        if grade_id is None or grade_id not in canonical:
            if grade_id is not None:
                flags.append(Flag("unknown_grade_id", f"cell with grade id {grade_id!r} is not in the assignment"))
            if cell.get("source", "") not in released_free:
                review.append(cell)
            continue
        _compare(cell, canonical[grade_id], released.get(grade_id), grade_id in answers, flags)
        answers.setdefault(grade_id, cell)  # the first copy; for locked cells only to see it was kept
    result = copy.deepcopy(source)
    result.cells = [_answer_or_source(c, answers, released, flags) for c in source.cells]
    result.cells += _review_cells(review)
    return result, flags


def _compare(cell, canonical, released, duplicate: bool, flags: list[Flag]) -> None:
    grade_id = _meta(canonical)["grade_id"]
    if duplicate:
        flags.append(Flag("cell_duplicated", f"{grade_id}: a second copy was ignored"))
        return
    changed = [k for k in GRADE_KEYS if _meta(cell).get(k) != _meta(canonical).get(k)]
    if changed or cell.get("cell_type") != canonical.cell_type:
        flags.append(Flag("metadata_changed", f"{grade_id}: nbgrader metadata {changed or ['cell_type']} restored"))
    text = cell.get("source")
    if _is_locked(_meta(canonical)) and released is not None and text not in (released.source, canonical.source):
        flags.append(Flag("locked_cell_edited", f"{grade_id}: the student's edits were replaced"))


def _answer_or_source(cell, answers: dict, released: dict, flags: list[Flag]):
    """The cell to grade at this place of the instructor's notebook."""
    meta = _meta(cell)
    grade_id = meta.get("grade_id")
    if grade_id is None:
        return copy.deepcopy(cell)
    if not meta.get("solution"):  # tests, read-only and task cells: the instructor's, hidden tests included
        if grade_id not in answers:
            flags.append(Flag("locked_cell_deleted", f"{grade_id}: the instructor's cell was used"))
        return copy.deepcopy(cell)
    student = answers.get(grade_id)
    if student is None:
        flags.append(Flag("answer_cell_deleted", f"{grade_id}: graded as the blank released cell"))
        student = released.get(grade_id, cell)
    answer = copy.deepcopy(cell)
    text = student.get("source", "")
    answer.source = text if isinstance(text, str) else "".join(map(str, text))
    if answer.cell_type == "code":
        answer.outputs, answer.execution_count = [], None
    return answer


def _review_cells(cells: list) -> list:
    import nbformat

    if not cells:
        return []
    out = [nbformat.v4.new_markdown_cell(REVIEW_HEADER, metadata={"coursekit": {REVIEW_KEY: True}})]
    for cell in cells:
        text = cell.get("source", "")
        text = text if isinstance(text, str) else "".join(map(str, text))
        make = nbformat.v4.new_code_cell if cell.get("cell_type") == "code" else nbformat.v4.new_markdown_cell
        out.append(make(text, metadata={"coursekit": {REVIEW_KEY: True}}))
    return out


def student_code_cells(nb) -> list[tuple[str, str]]:
    """``(label, source)`` of every code cell the student wrote in a spliced notebook: answers and the
    cells kept for review."""
    out = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if _meta(cell).get("solution") or is_review_cell(cell):
            out.append((_meta(cell).get("grade_id") or f"added cell {index}", cell.source))
    return out


def scan(nb) -> list[Flag]:
    """Suspicious constructs in the student's code (see the module docstring)."""
    flags: list[Flag] = []
    for label, source in student_code_cells(nb):
        if len(source) > MAX_SCANNED_CHARS:
            flags.append(Flag("suspicious_code", f"{label}: {len(source)} characters of code, too long to scan"))
            continue
        try:
            tree = _parse(source)
            found = sorted(set(_suspicious(tree))) if tree is not None else []
        except (RecursionError, MemoryError) as exc:  # deeply nested expressions
            flags.append(Flag("suspicious_code", f"{label}: too deeply nested to scan ({type(exc).__name__})"))
            continue
        for name, why in found:
            flags.append(Flag("suspicious_code", f"{label}: {why} ({name})"))
    return flags


def _parse(source: str):
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        return pyast.parse(TransformerManager().transform_cell(source))
    except (SyntaxError, ValueError):
        return None


def _suspicious(tree) -> list[tuple[str, str]]:
    hits = []
    imported = _imported_names(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in SUSPICIOUS_NAMES:
            hits.append((node.id, SUSPICIOUS_NAMES[node.id]))
        elif isinstance(node, ast.Attribute) and node.attr in SUSPICIOUS_NAMES and node.attr not in NAME_ONLY:
            hits.append((node.attr, SUSPICIOUS_NAMES[node.attr]))
        elif isinstance(node, ast.Attribute) and node.attr == "modules" and getattr(node.value, "id", "") == "sys":
            hits.append(("sys.modules", "touches sys.modules"))
        elif isinstance(node, ast.Attribute) and node.attr in ("kernel", "shell") and _is_ipython(node.value):
            hits.append((node.attr, "touches the kernel or shell object"))
        elif isinstance(node, ast.alias) and node.name.split(".")[0] in SUSPICIOUS_IMPORTS:
            hits.append((node.name, "imports " + node.name))
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            hits += _patching(node, imported)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("setattr", "delattr"):
            hits.append((node.func.id, "sets attributes dynamically"))
        elif isinstance(node, ast.FunctionDef) and node.name in COMPARISON_DUNDERS:
            hits.append((node.name, "defines a custom comparison/conversion"))
        elif isinstance(node, ast.ExceptHandler) and _catches_interrupt(node):
            hits.append(("except", "catches KeyboardInterrupt/BaseException (can block the time limit)"))
    return hits


def _is_ipython(node) -> bool:
    return isinstance(node, ast.Call) and getattr(node.func, "id", None) == "get_ipython"


def _imported_names(tree) -> dict[str, str]:
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    for default, module in (("np", "numpy"), ("F", "coursekit.functional")):
        names.setdefault(default, module)
    return names


def _patching(node, imported: dict[str, str]) -> list[tuple[str, str]]:
    targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
    hits = []
    for target in targets:
        base = target
        while isinstance(base, (ast.Attribute, ast.Subscript)):
            base = base.value
        if isinstance(target, (ast.Attribute, ast.Subscript)) and isinstance(base, ast.Name):
            module = imported.get(base.id, "")
            if module.split(".")[0] in PROTECTED_MODULE_ROOTS:
                hits.append((ast.unparse(target), f"assigns into {module}"))
        elif isinstance(target, ast.Name) and imported.get(target.id, "").startswith(
            ("coursekit.grading", "numpy.testing")
        ):
            hits.append((target.id, "rebinds a test helper"))
    return hits


def _catches_interrupt(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    names = [n.id for n in ast.walk(handler.type) if isinstance(n, ast.Name)]
    return any(n in ("KeyboardInterrupt", "BaseException") for n in names)
