"""No shortcut to the reference, at grading: an answer that reaches a callable its ``forbid`` list names
scores 0 on that exercise and is flagged ``uses_reference``.

Each solution cell may declare ``forbid=`` (docs/notebook_format.md), kept as cell metadata
``{"coursekit": {"forbid": [...]}}``. The grader always reads the lists from the *instructor's* notebook,
never from the submission. Two detections, either one suffices:

* **static** (:func:`static_uses`, in the grader's process): the answer's code names a forbidden callable
  through names, attribute chains, ``import``/``from ... import`` (aliases, modules: forbidding
  ``torch.nn.functional`` forbids everything under it), ``getattr`` with a string constant,
  ``__import__``/``importlib.import_module`` strings, ``vars(m)[...]``, ``m.__dict__[...]`` and
  ``sys.modules[...]``. Names the instructor's cells bind at top level (``F`` = ``coursekit.functional``,
  ``classic``, ``torch``, the notebook's own functions as ``__main__.<name>``) are resolved, and so are
  other paths to the same object (``coursekit.functional.conv.conv2d_forward``, ``torch.conv2d`` for
  ``torch.nn.functional.conv2d``);
* **run time** (:class:`RuntimePlan`, in the grading kernel through ``coursekit.exercises.Monitor``):
  while the tests of an exercise run, a call to a forbidden callable whose innermost answer frame is
  that exercise's answer is recorded, returned as plain data, and made to fail; so is an answer that
  binds its name to a forbidden callable (``conv2d_naive = getattr(F, "conv2d" + "_forward")``).

The tests and every other cell use the references freely: only frames of the answer's own code count.
"""

from __future__ import annotations

import ast
import secrets
import sys
import threading
from dataclasses import dataclass, field

from . import pyast

FLAG = "uses_reference"


@dataclass(frozen=True)
class Exercise:
    """An answer cell with a ``forbid`` list and the test cells that grade it (until the next answer)."""

    answer: str
    forbid: tuple[str, ...]
    tests: tuple[str, ...]


@dataclass(frozen=True)
class Use:
    """One way an answer reaches a forbidden callable; ``detail`` is the flag's text."""

    answer: str
    label: str
    how: str

    @property
    def detail(self) -> str:
        return f"{self.answer} {self.how}" if self.answer else self.how


def _meta(cell) -> dict:
    meta = cell.get("metadata", {}) or {}
    return meta.get("nbgrader", {}) or {}


def _is_answer(cell) -> bool:
    return cell.get("cell_type") == "code" and bool(_meta(cell).get("solution"))


def _is_test(cell) -> bool:
    meta = _meta(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def forbid_of(cell) -> tuple[str, ...]:
    value = ((cell.get("metadata", {}) or {}).get("coursekit", {}) or {}).get("forbid", [])
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def exercises(source) -> list[Exercise]:
    """The exercises of the instructor's notebook ``source`` that declare ``forbid``. The tests cells after
    a run of answer cells grade each of them (two answer cells before one tests cell share it)."""
    groups: list[tuple[list, list[str]]] = []
    for cell in source.cells:
        if _is_answer(cell):
            if not groups or groups[-1][1]:
                groups.append(([], []))
            groups[-1][0].append(cell)
        elif _is_test(cell) and groups:
            groups[-1][1].append(_meta(cell)["grade_id"])
    return [
        Exercise(_meta(answer)["grade_id"], forbid_of(answer), tuple(tests))
        for answers_, tests in groups
        for answer in answers_
        if forbid_of(answer) and _meta(answer).get("grade_id")
    ]


# --- static ------------------------------------------------------------------------------------------------


def parse(source: str):
    """The AST of a cell as IPython runs it (magics transformed); None if it does not parse."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        return pyast.parse(TransformerManager().transform_cell(source))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def notebook_bindings(source) -> dict[str, str]:
    """Name -> dotted path for what the instructor's cells (answers aside) bind at top level: imports,
    aliases of resolvable expressions, and the notebook's own definitions as ``__main__.<name>``."""
    bindings: dict[str, str] = {}
    for cell in source.cells:
        if cell.get("cell_type") != "code" or _is_answer(cell):
            continue
        tree = parse(cell.get("source", ""))
        for statement in tree.body if tree is not None else []:
            _bind_statement(statement, bindings, top_level=True)
    return bindings


def _bind_statement(node, bindings: dict[str, str], top_level: bool) -> None:
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname:
                bindings[alias.asname] = alias.name
            else:
                bindings[alias.name.split(".")[0]] = alias.name.split(".")[0]
    elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
        for alias in node.names:
            if alias.name != "*":
                bindings[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        path = _Resolver(bindings).path(node.value)
        if path is not None:
            bindings[node.targets[0].id] = path
        elif top_level:
            bindings[node.targets[0].id] = f"__main__.{node.targets[0].id}"
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and top_level:
        bindings[node.name] = f"__main__.{node.name}"


class _Resolver:
    """Dotted paths of expressions, given name bindings."""

    def __init__(self, bindings: dict[str, str]):
        self.bindings = bindings

    def path(self, node, depth: int = 0) -> str | None:
        if depth > 50:
            return None
        if isinstance(node, ast.Name):
            return self.bindings.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self.path(node.value, depth + 1)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, ast.Call):
            return self._call(node, depth)
        if isinstance(node, ast.Subscript):
            return self._subscript(node, depth)
        return None

    def _callee(self, node) -> str | None:
        if isinstance(node, ast.Name) and node.id not in self.bindings:
            return f"builtins.{node.id}"
        return self.path(node)

    def _call(self, node: ast.Call, depth: int) -> str | None:
        callee = self._callee(node.func)
        args = node.args
        text = _constant(args[1]) if callee == "builtins.getattr" and len(args) >= 2 else None
        if text is not None:
            base = self.path(args[0], depth + 1)
            return f"{base}.{text}" if base else None
        if callee == "importlib.import_module" and args:
            return _constant(args[0])
        if callee == "builtins.__import__" and args:
            name = _constant(args[0])
            fromlist = len(args) >= 4 or any(k.arg == "fromlist" for k in node.keywords)
            return name if (name and fromlist) else (name.split(".")[0] if name else None)
        return None

    def _subscript(self, node: ast.Subscript, depth: int) -> str | None:
        key = _constant(node.slice)
        if key is None:
            return None
        value = node.value
        if isinstance(value, ast.Attribute) and value.attr == "__dict__":
            base = self.path(value.value, depth + 1)
            return f"{base}.{key}" if base else None
        if isinstance(value, ast.Call) and self._callee(value.func) == "builtins.vars" and value.args:
            base = self.path(value.args[0], depth + 1)
            return f"{base}.{key}" if base else None
        if self.path(value, depth + 1) == "sys.modules":
            return key
        return None


def _constant(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def answer_bindings(tree, notebook: dict[str, str]) -> dict[str, str]:
    """The notebook's bindings updated by the answer's own imports and aliases (anywhere in the cell);
    a name the answer defines as a function or class no longer means the notebook's."""
    bindings = dict(notebook)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if bindings.get(node.name, "").startswith("__main__."):
                del bindings[node.name]
    for _ in range(3):  # aliases of aliases
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom, ast.Assign)):
                _bind_statement(node, bindings, top_level=False)
    return bindings


def answer_names(source: str) -> list[str]:
    """The globals an answer cell binds at top level (functions, classes, assigned names)."""
    tree = parse(source)
    names = []
    for node in tree.body if tree is not None else []:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names += [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]
    return names


@dataclass
class _Matcher:
    """Is a dotted path forbidden, by name or because it denotes a forbidden object?"""

    forbid: tuple[str, ...]
    targets: object = None
    roots: set[str] = field(default_factory=set)

    @classmethod
    def build(cls, forbid: tuple[str, ...]) -> _Matcher:
        from coursekit.exercises import canonical

        forbid = tuple(canonical(e) for e in forbid)
        importable = tuple(e for e in forbid if not e.startswith("__main__."))
        return cls(forbid, _resolved(importable), {e.split(".")[0] for e in importable})

    def label(self, path: str) -> str | None:
        for entry in self.forbid:
            if path == entry or path.startswith(entry + "."):
                return self._named(path, entry)
        if self.targets is None or path.split(".")[0] not in self.roots:
            return None
        obj = _object_at(path)
        return None if obj is None else self.targets.match_object(obj)

    def _named(self, path: str, entry: str) -> str:
        """``torch.nn.functional.conv2d.__call__`` -> ``torch.nn.functional.conv2d`` for a module entry."""
        if self.targets is not None and entry in self.targets.modules:
            return ".".join(path.split(".")[: entry.count(".") + 2])
        return entry


_RESOLVED: dict[tuple[str, ...], object] = {}
_RESOLVING = threading.Lock()  # the grader prepares submissions in threads: resolve (and import) once


def _resolved(entries: tuple[str, ...]):
    from coursekit.exercises import resolve

    with _RESOLVING:
        if entries not in _RESOLVED:
            _RESOLVED[entries] = resolve(entries)
        return _RESOLVED[entries]


def _object_at(path: str):
    """The object at ``path`` through modules already imported (no module is imported here)."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        module = sys.modules.get(".".join(parts[:cut]))
        if module is None:
            continue
        obj = module
        for name in parts[cut:]:
            try:
                obj = getattr(obj, name)
            except Exception:  # noqa: BLE001 (missing, or an attribute that raises: no object there)
                return None
        return obj
    return None


def static_uses(source, answers: dict[str, str]) -> list[Use]:
    """Uses of forbidden callables in the answers (grade id -> code), judged against the instructor's
    notebook ``source`` (its forbid lists and its top-level bindings)."""
    notebook = notebook_bindings(source)
    for code in answers.values():  # what the answer cells define is a notebook global too (``__main__.`` entries)
        for name in answer_names(code) if code else ():
            notebook.setdefault(name, f"__main__.{name}")
    uses: list[Use] = []
    for exercise in exercises(source):
        code = answers.get(exercise.answer)
        tree = parse(code) if code else None
        if tree is None:
            continue
        uses += _uses_in(exercise, tree, answer_bindings(tree, notebook))
    return uses


def _uses_in(exercise: Exercise, tree, bindings: dict[str, str]) -> list[Use]:
    matcher, resolver = _Matcher.build(exercise.forbid), _Resolver(bindings)
    found: dict[str, Use] = {}
    for node in ast.walk(tree):
        for path in _paths(node, resolver):
            label = matcher.label(path)
            if label is not None and label not in found:
                line = getattr(node, "lineno", 0)
                found[label] = Use(exercise.answer, label, f"refers to {label} (line {line}: {_snippet(node)})")
    # ``torch.nn.functional.conv2d`` also passes through ``torch.nn.functional``: name the callable only
    return [u for u in found.values() if not any(other.startswith(u.label + ".") for other in found)]


def _paths(node, resolver: _Resolver) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and not node.level:
        return [f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*"] + [node.module]
    if isinstance(node, (ast.Name, ast.Attribute, ast.Call, ast.Subscript)) and not isinstance(
        getattr(node, "ctx", None), (ast.Store, ast.Del)
    ):
        path = resolver.path(node)
        return [path] if path else []
    return []


def _snippet(node) -> str:
    try:
        text = ast.unparse(node)
    except Exception:  # noqa: BLE001 (unparse of a pathological tree)
        return "?"
    return text if len(text) <= 60 else text[:57] + "..."


# --- run time ----------------------------------------------------------------------------------------------


class RuntimePlan:
    """What the executor does around each test cell so that the grading kernel watches the answer.

    ``startup`` lines go into the kernel before any student code; :meth:`arm` and :meth:`disarm` give
    ``user_expressions`` to evaluate before and after a test cell (None when the cell's exercise has
    no ``forbid``); :meth:`record` takes what ``disarm`` returned (plain data, checked here).
    """

    def __init__(self, source, answers: dict[str, str]):
        self.name = f"_ck_forbid_{secrets.token_hex(6)}"
        self.answers = dict(answers)
        self.by_test: dict[str, list[Exercise]] = {}
        for exercise in exercises(source):
            for test in exercise.tests:
                self.by_test.setdefault(test, []).append(exercise)
        self.uses: list[Use] = []

    @property
    def startup(self) -> list[str]:
        return [f"import coursekit.exercises as {self.name}_m", f"{self.name} = {self.name}_m.Monitor()"]

    def arm(self, test_id: str) -> str | None:
        watched = [
            [e.answer, list(e.forbid), answer_names(self.answers.get(e.answer, ""))]
            for e in self.by_test.get(test_id, [])
        ]
        return f"{self.name}.arm_all({watched!r}, {self.answers!r})" if watched else None

    def disarm(self, test_id: str) -> str | None:
        return f"{self.name}.disarm()" if test_id in self.by_test else None

    def record(self, test_id: str, value) -> list[Use]:
        """Turn ``disarm``'s value into uses; anything malformed is itself a use (the kernel lied)."""
        watched = [e.answer for e in self.by_test[test_id]]
        if value is None:  # the kernel did not answer (died, timed out): the test's own status says so
            return []
        if not isinstance(value, list) or not all(
            isinstance(r, list) and len(r) == 3 and all(isinstance(x, str) for x in r) for r in value
        ):
            new = [Use(answer, "", "left no readable record of its calls while its tests ran") for answer in watched]
        else:
            new = [Use(a if a in watched else watched[0], label or "?", how) for a, label, how in value]
        self.uses += [u for u in new if u not in self.uses]
        return new


def merge(*groups: list[Use]) -> list[Use]:
    """Uses without duplicates (same answer and label), static first."""
    seen, merged = set(), []
    for use in (u for group in groups for u in group):
        if (use.answer, use.label) not in seen:
            seen.add((use.answer, use.label))
            merged.append(use)
    return merged


def zeroed_tests(source, uses: list[Use]) -> dict[str, str]:
    """Test grade id -> why it scores 0, for every exercise with a use."""
    reasons = {}
    for exercise in exercises(source):
        mine = [u for u in uses if u.answer == exercise.answer]
        for test in exercise.tests if mine else ():
            reasons[test] = f"{FLAG}: {mine[0].detail}"[:200]
    return reasons


# --- the grader's side -------------------------------------------------------------------------------------


def answers(nb) -> dict[str, str]:
    """Grade id -> source of every answer cell of the notebook about to be executed."""
    return {_meta(c)["grade_id"]: c.get("source", "") for c in nb.cells if _is_answer(c) and _meta(c).get("grade_id")}


def prepare(source, nb) -> tuple[list[Use], RuntimePlan]:
    """Before running ``nb`` (the submission as it will be executed): its static uses, and the plan that
    makes the kernel watch each answer while its tests run."""
    spliced = answers(nb)
    return static_uses(source, spliced), RuntimePlan(source, spliced)


def apply(outcome, source, static: list[Use], plan: RuntimePlan | None) -> list[Use]:
    """Flag every use (``uses_reference``) and fail every test cell of an exercise with one.

    ``outcome``: the grader's (``flags``: list of ``Flag``; ``notebook`` and ``cells``: index -> result with
    ``status``/``detail``); a test that did not pass keeps its status (``timeout``, ``killed``)."""
    from .integrity import Flag

    uses = merge(static, plan.uses if plan is not None else [])
    outcome.flags += [Flag(FLAG, use.detail) for use in uses]
    reasons = zeroed_tests(source, uses)
    if outcome.notebook is not None and reasons:
        for index, cell in enumerate(outcome.notebook.cells):
            result = outcome.cells.get(index)
            if result is not None and _meta(cell).get("grade_id") in reasons and result.status == "ok":
                result.status, result.detail = "failed", reasons[_meta(cell)["grade_id"]]
    return uses
