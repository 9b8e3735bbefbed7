"""Static integrity of a submission: repair it against the instructor's source, and scan its code.

``repair`` returns the notebook that will actually be executed: the student's cells in the student's
order, but every locked cell (tests, read-only, tasks) replaced by the instructor's version (hidden
tests included), deleted ones re-inserted, duplicates dropped and nbgrader metadata restored. Each
repair is reported as a flag, so an instructor sees what a student changed.

``scan`` looks at the code a student wrote (answer cells and cells they added) for constructs that
honest answers to this course do not need: reaching into IPython or the kernel, patching modules or
builtins, killing processes, dynamic code. Flags are for review; they do not change a score.
"""

from __future__ import annotations

import ast
import copy
from dataclasses import dataclass

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
# Names that are suspicious only as a bare call target (``model.eval()`` is fine, ``eval(...)`` is not).
NAME_ONLY = {"exec", "eval", "compile", "globals", "__import__", "gc"}

PROTECTED_MODULE_ROOTS = ("numpy", "coursekit", "math", "builtins", "sys", "IPython", "ipykernel", "torch")
COMPARISON_DUNDERS = {"__eq__", "__ne__", "__bool__", "__array_ufunc__", "__array_function__", "__array__", "__float__"}


@dataclass(frozen=True)
class Flag:
    flag: str
    detail: str


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def _is_locked(meta: dict) -> bool:
    return bool(meta.get("locked")) or (bool(meta.get("grade")) and not meta.get("solution"))


def repair(submitted, source, release) -> tuple[object, list[Flag]]:
    """The notebook to execute, and what had to be repaired. ``source``: instructor notebook (with hidden
    tests); ``release``: the student version, used to decide whether a locked cell was edited."""
    flags: list[Flag] = []
    canonical = {_meta(c)["grade_id"]: c for c in source.cells if _meta(c).get("grade_id")}
    released = {_meta(c)["grade_id"]: c for c in release.cells if _meta(c).get("grade_id")}
    order = list(canonical)
    cells, seen = [], set()
    for cell in submitted.cells:
        grade_id = _meta(cell).get("grade_id")
        if grade_id is None:
            cells.append(cell)
        elif grade_id not in canonical:
            flags.append(Flag("unknown_grade_id", f"cell with grade id {grade_id!r} is not in the assignment"))
            cell = copy.deepcopy(cell)
            cell.metadata.pop("nbgrader", None)
            cells.append(cell)
        elif grade_id in seen:
            flags.append(Flag("cell_duplicated", f"{grade_id}: a second copy was removed"))
        else:
            seen.add(grade_id)
            cells.append(_restore_cell(cell, canonical[grade_id], released.get(grade_id), flags))
    cells = _reinsert_missing(cells, order, canonical, released, seen, flags)
    present = [g for g in (_meta(c).get("grade_id") for c in cells) if g in canonical]
    if present != order:
        flags.append(Flag("cells_reordered", "graded cells are not in the assignment's order"))
    result = copy.deepcopy(source)
    result.cells = cells
    return result, flags


def _restore_cell(cell, canonical, released, flags: list[Flag]):
    grade_id = _meta(canonical)["grade_id"]
    changed = [k for k in GRADE_KEYS if _meta(cell).get(k) != _meta(canonical).get(k)]
    if changed or cell.cell_type != canonical.cell_type:
        flags.append(Flag("metadata_changed", f"{grade_id}: nbgrader metadata {changed or ['cell_type']} restored"))
    if _is_locked(_meta(canonical)):
        if released is not None and cell.source != released.source:
            flags.append(Flag("locked_cell_edited", f"{grade_id}: the student's edits were replaced"))
        return copy.deepcopy(canonical)
    fixed = copy.deepcopy(cell)
    fixed.cell_type = canonical.cell_type
    fixed.metadata["nbgrader"] = copy.deepcopy(canonical.metadata["nbgrader"])
    if fixed.cell_type == "markdown":
        fixed.pop("outputs", None)
        fixed.pop("execution_count", None)
    elif "outputs" not in fixed:
        fixed.outputs, fixed.execution_count = [], None
    return fixed


def _reinsert_missing(cells, order, canonical, released, seen, flags: list[Flag]):
    for position, grade_id in enumerate(order):
        if grade_id in seen:
            continue
        kind = "locked_cell_deleted" if _is_locked(_meta(canonical[grade_id])) else "answer_cell_deleted"
        flags.append(Flag(kind, f"{grade_id}: re-inserted"))
        replacement = canonical[grade_id] if _is_locked(_meta(canonical[grade_id])) else released.get(grade_id)
        replacement = copy.deepcopy(replacement if replacement is not None else canonical[grade_id])
        previous = order[position - 1] if position else None
        at = next((i + 1 for i, c in enumerate(cells) if previous and _meta(c).get("grade_id") == previous), None)
        cells.insert(at if at is not None else min(position, len(cells)), replacement)
        seen.add(grade_id)
    return cells


def student_code_cells(nb) -> list[tuple[str, str]]:
    """``(label, source)`` of every code cell the student could write: answers and added cells."""
    out = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and not _is_locked(_meta(cell)):
            out.append((_meta(cell).get("grade_id") or f"cell {index}", cell.source))
    return out


def scan(nb) -> list[Flag]:
    """Suspicious constructs in the student's code (see the module docstring)."""
    flags: list[Flag] = []
    for label, source in student_code_cells(nb):
        tree = _parse(source)
        if tree is None:
            continue
        found = sorted(set(_suspicious(tree)))
        for name, why in found:
            flags.append(Flag("suspicious_code", f"{label}: {why} ({name})"))
    return flags


def _parse(source: str):
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        return ast.parse(TransformerManager().transform_cell(source))
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
        elif isinstance(node, ast.alias) and node.name.split(".")[0] in {"ctypes", "signal", "importlib", "gc"}:
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
