"""No shortcut to the reference: an answer must not call what its exercise asks the student to write.

A solution cell declares ``forbid=`` (see docs/notebook_format.md): dotted names of callables or whole
modules, e.g. ``coursekit.functional.conv2d_forward,torch.nn.functional``, or ``__main__.<name>`` for a
function the notebook itself defines. This module finds those callables at run time, in two modes:

* **while the student works** (:func:`install`, called by ``coursekit.plot.setup_notebook``): in
  JupyterLab the kernel learns which cell runs (``cellId`` in the request's metadata, IPython's
  ``ExecutionInfo.cell_id``) and reads the ``forbid`` lists from the notebook file it runs
  (``__session__``, Jupyter Server 2). Each function defined in an answer cell then runs *watched*
  (its body is wrapped in ``with watch(...)``), and calling a forbidden callable from it raises
  :class:`ForbiddenCallError` with a message that teaches. Anywhere else (nbval, nbclient, plain
  Python, the grader's kernel) nothing is installed and nothing changes;
* **at grading** (:class:`Monitor`, driven by ``coursekit.instructor.forbid``): while the tests of one
  exercise run, a call to one of its forbidden callables whose innermost answer frame on the call stack
  is that exercise's answer is recorded as plain data and made to fail.

Python callables are seen through their code objects (``sys.setprofile`` ``call`` events), C functions
and methods (torch ops, ``numpy`` builtins) through ``c_call`` events. NumPy ufuncs and C classes
produce no profile event: only the static check at grading (``coursekit.instructor.forbid``) sees them.
"""

from __future__ import annotations

import ast
import functools
import importlib
import importlib.util
import json
import os
import sys
import types
from dataclasses import dataclass, field

__all__ = ["ForbiddenCallError", "Monitor", "Targets", "install", "resolve", "watch"]

MAIN = "__main__"
# C functions that modules such as torch.nn.functional re-export only to dispatch: not the work itself.
DISPATCH_HELPERS = {"has_torch_function", "has_torch_function_unary", "has_torch_function_variadic"}


class ForbiddenCallError(RuntimeError):
    """An answer called a callable that its exercise asks the student to write."""


@dataclass
class Targets:
    """The forbidden callables of one ``forbid`` list, indexed for the profile function.

    ``codes``: id of a code object -> label; ``builtins``: id of a C function -> label; ``methods``:
    C method name -> [(class, label)] (``tensor.relu()`` arrives as a bound builtin of that name).
    Labels read ``"<entry>"`` for a forbidden callable, ``"<entry>.<name>"`` for a member of a module.
    """

    entries: tuple[str, ...] = ()
    codes: dict[int, str] = field(default_factory=dict)
    builtins: dict[int, str] = field(default_factory=dict)
    methods: dict[str, list[tuple[type, str]]] = field(default_factory=dict)
    modules: dict[str, str] = field(default_factory=dict)  # module name -> its forbid entry
    objects: dict[int, str] = field(default_factory=dict)  # id of every forbidden object -> label
    keep: list = field(default_factory=list)  # keeps the objects behind the ids alive
    unresolved: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # not imported yet (kernel mode): see refresh()
    scanned: set[str] = field(default_factory=set)  # modules whose members are indexed
    seen: int = -1  # len(sys.modules) at the last refresh
    namespace: dict | None = None

    def _watched(self) -> list[str]:
        return [e for e in (*self.pending, *self.modules) if not e.startswith(MAIN)]

    def refresh(self) -> None:
        """Index what was imported since the last call (cheap when nothing was: profile functions call it
        whenever ``sys.modules`` grows). Nothing is imported here."""
        if len(sys.modules) == self.seen or any(_initializing(e.split(".")[0]) for e in self._watched()):
            return  # nothing new, or an import in progress: look again once it is done
        self.seen = len(sys.modules)
        for entry in list(self.pending):
            obj = _loaded(entry, self.namespace)
            if obj is not _PENDING:
                self.pending.remove(entry)
                _index(self, entry, obj)
        for name, entry in list(self.modules.items()):
            module = sys.modules.get(name)
            if module is not None:
                _add_module(self, module, entry)

    def entry_of(self, label: str) -> str:
        return next((e for e in self.entries if label == e or label.startswith(e + ".")), label)

    def match_object(self, obj) -> str | None:
        """The label of ``obj`` if it is, wraps or is defined in something forbidden."""
        for candidate in _unwrapped(obj):
            label = self.objects.get(id(candidate))
            if label is None and isinstance(candidate, types.FunctionType) and _safe_wrapped(candidate) is None:
                label = self.codes.get(id(candidate.__code__))
            if label is None and isinstance(candidate, types.ModuleType):
                label = next((e for m, e in self.modules.items() if _under(candidate.__name__, m)), None)
            if label is not None:
                return label
        return None


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _unwrapped(obj, depth: int = 8) -> list:
    """``obj`` and what it wraps: partial's ``func``, ``__wrapped__``, a method's ``__func__``."""
    found = [obj]
    for _ in range(depth):
        inner = None
        if isinstance(obj, functools.partial):
            inner = obj.func
        elif isinstance(obj, (staticmethod, classmethod, types.MethodType)):
            inner = obj.__func__
        else:
            inner = _safe_wrapped(obj)
        if inner is None or inner is obj:
            break
        found.append(inner)
        obj = inner
    return found


def _safe_wrapped(obj):
    """NumPy's dispatcher's ``_implementation`` or a ``__wrapped__`` attribute, read without running
    any ``__getattr__`` (modules and hostile objects define their own)."""
    if type(obj).__name__ == "_ArrayFunctionDispatcher":
        return getattr(obj, "_implementation", None)
    try:
        namespace = object.__getattribute__(obj, "__dict__")
    except Exception:  # noqa: BLE001 (no __dict__, or a hostile descriptor)
        return None
    return namespace.get("__wrapped__") if isinstance(namespace, dict) else None


@functools.lru_cache(maxsize=1024)
def canonical(entry: str) -> str:
    """``deep_activations`` (a bare name that is no importable module) -> ``__main__.deep_activations``."""
    if "." in entry:
        return entry
    try:
        found = importlib.util.find_spec(entry) is not None
    except (ImportError, ValueError):
        found = False
    return entry if found else f"{MAIN}.{entry}"


def resolve(entries, namespace: dict | None = None, load: bool = True) -> Targets:
    """Index the callables named by ``entries`` (a ``forbid`` list); ``namespace``: the notebook's
    globals, for ``__main__.<name>`` entries. Names that cannot be imported are listed in ``unresolved``.

    ``load=False`` (in a kernel): import nothing; what is not imported yet waits in ``pending`` until
    :meth:`Targets.refresh` finds it imported (importing torch only to watch for it costs seconds)."""
    targets = Targets(entries=tuple(canonical(e) for e in entries), namespace=namespace)
    for entry in targets.entries:
        obj = _lookup(entry, namespace) if load else _loaded(entry, namespace)
        if obj is _PENDING:
            targets.pending.append(entry)
        else:
            _index(targets, entry, obj)
    targets.seen = len(sys.modules)
    return targets


def _index(targets: Targets, entry: str, obj) -> None:
    if obj is _MISSING:
        targets.unresolved.append(entry)
    elif isinstance(obj, types.ModuleType):
        targets.modules[obj.__name__] = entry
        targets.modules.setdefault(entry, entry)
        _add_module(targets, obj, entry)
    else:
        _add(targets, obj, entry)


class _Missing:
    pass


_MISSING = _Missing()
_PENDING = _Missing()


def _loaded(entry: str, namespace: dict | None):
    """Like :func:`_lookup` through modules already imported and fully initialised only; ``_PENDING``
    when the entry's module is not (yet) there."""
    parts = entry.split(".")
    if parts[0] == MAIN:
        return _lookup(entry, namespace)
    for cut in range(len(parts), 0, -1):
        module = sys.modules.get(".".join(parts[:cut]))
        if module is None:
            continue
        if any(_initializing(".".join(parts[:k])) for k in range(1, cut + 1)):
            return _PENDING
        obj = _attrs(module, parts[cut:])
        return _PENDING if obj is _MISSING else obj
    return _PENDING


def _initializing(name: str) -> bool:
    spec = getattr(sys.modules.get(name), "__spec__", None)
    return bool(getattr(spec, "_initializing", False))


def _lookup(entry: str, namespace: dict | None):
    """The object a dotted name denotes: the longest importable module prefix, then attributes."""
    parts = entry.split(".")
    if parts[0] == MAIN:
        return _attrs((namespace or {}).get(parts[1], _MISSING), parts[2:]) if len(parts) > 1 else _MISSING
    for cut in range(len(parts), 0, -1):
        try:
            module = importlib.import_module(".".join(parts[:cut]))
        except Exception:  # noqa: BLE001 (ImportError, or a module that fails to import: not resolvable)
            continue
        return _attrs(module, parts[cut:])
    if len(parts) == 1 and namespace is not None and entry in namespace:
        return namespace[entry]  # a bare name that is no module: the notebook's own
    return _MISSING


def _attrs(obj, names: list[str]):
    for name in names:
        obj = getattr(obj, name, _MISSING)
        if obj is _MISSING:
            return _MISSING
    return obj


def _add(targets: Targets, obj, label: str) -> None:
    """Index one forbidden callable (function, C function, method descriptor, class, dispatcher)."""
    targets.keep.append(obj)
    targets.objects.setdefault(id(obj), label)
    for candidate in _unwrapped(obj):
        # a decorator's wrapper shares its code with every function it decorates: index the wrapped one
        wrapper = _safe_wrapped(candidate) is not None
        code = candidate.__code__ if isinstance(candidate, types.FunctionType) and not wrapper else None
        if code is not None:
            targets.keep.append(code)
            targets.codes.setdefault(id(code), label)
            targets.objects.setdefault(id(candidate), label)
    if isinstance(obj, types.BuiltinFunctionType):
        owner = obj.__self__
        if owner is None or isinstance(owner, types.ModuleType):
            targets.builtins.setdefault(id(obj), label)
        else:  # a builtin bound to a class or instance (e.g. dict.fromkeys): match it by name
            targets.methods.setdefault(obj.__name__, []).append((type(owner), label))
    elif isinstance(obj, (types.MethodDescriptorType, types.WrapperDescriptorType, types.ClassMethodDescriptorType)):
        targets.methods.setdefault(obj.__name__, []).append((obj.__objclass__, label))
    elif isinstance(obj, type):
        _add_class(targets, obj, label)


def _add_class(targets: Targets, cls: type, label: str) -> None:
    """A forbidden class: its own methods (instantiating it runs ``__init__``/``__new__``)."""
    for name, member in vars(cls).items():
        if isinstance(member, property):
            for accessor in (member.fget, member.fset):
                if accessor is not None:
                    _add(targets, accessor, f"{label}.{name}")
        elif isinstance(member, (types.FunctionType, staticmethod, classmethod)):
            _add(targets, member, f"{label}.{name}")
        elif isinstance(member, (types.MethodDescriptorType, types.WrapperDescriptorType)):
            if not name.startswith("__"):
                targets.methods.setdefault(name, []).append((cls, f"{label}.{name}"))


def _add_module(targets: Targets, module: types.ModuleType, entry: str) -> None:
    """Everything a forbidden module (and its loaded submodules) defines; the C functions it exports
    from its own package, dispatch helpers aside."""
    name = module.__name__
    root = name.split(".")[0]
    # copies (dict.copy is atomic; iterating is not: a garbage collection between two items can run Python code
    # that lets another of the grader's threads import a module and grow sys.modules)
    for mod_name, mod in sorted(sys.modules.copy().items()):
        if mod is None or mod_name in targets.scanned or not _under(mod_name, name) or _initializing(mod_name):
            continue
        targets.scanned.add(mod_name)
        prefix = entry + mod_name[len(name) :]
        for attr, value in vars(mod).copy().items():  # copies: see above
            try:
                if _defined_in(value, name) or _exported_builtin(attr, value, root):
                    _add(targets, value, f"{prefix}.{attr}")
            except Exception:  # noqa: BLE001 (objects whose attributes raise, e.g. lazy CUDA state)
                continue


def _defined_in(value, module_name: str) -> bool:
    """A function or class whose ``__module__`` is ``module_name`` or below (read without __getattr__)."""
    kind = type(value)  # not isinstance: that reads __class__, which some objects compute with warnings
    if kind is not types.FunctionType and not issubclass(kind, type):
        return False
    defined_in = value.__dict__.get("__module__") if kind is not types.FunctionType else value.__module__
    return isinstance(defined_in, str) and _under(defined_in, module_name)


def _exported_builtin(attr: str, value, root: str) -> bool:
    if type(value) is not types.BuiltinFunctionType or attr.startswith("_") or attr in DISPATCH_HELPERS:
        return False
    owner = value.__self__
    home = owner.__name__ if isinstance(owner, types.ModuleType) else getattr(value, "__module__", None)
    return isinstance(home, str) and home.split(".")[0] == root


def message(answer: str, label: str, targets: Targets, action: str = "") -> str:
    """What the student reads: which answer called what, and why that is not allowed."""
    entry = targets.entry_of(label)
    action = action or f"calls {label}"
    if label == entry:
        return f"{answer} {action}, the function this exercise asks you to write"
    return f"{answer} {action}: this exercise asks you to write that computation yourself, without {entry}"


# --- at grading ------------------------------------------------------------------------------------------


class Monitor:
    """Records calls to forbidden callables made from one answer while its tests run.

    The grader binds one instance under a random name in the grading kernel and calls :meth:`arm`
    before each test cell of an exercise with a ``forbid`` list and :meth:`disarm` after it; both go
    through ``user_expressions`` and return plain data.
    """

    def __init__(self):
        self._records: list[list[str]] = []
        self._profile = None
        self._hit = False
        self._cache: dict[tuple, Targets] = {}

    def arm(self, answer: str, forbid: list[str], answers: dict[str, str], names: list[str] = ()) -> list:
        """Start watching one answer. ``answer``: grade id under test; ``answers``: grade id -> source of
        every answer cell as executed (to know their frames); ``names``: the globals the answer binds.
        Returns the entries not resolved yet (not imported, or not found)."""
        return self.arm_all([[answer, list(forbid), list(names)]], answers)

    def arm_all(self, watched: list, answers: dict[str, str]) -> list:
        """Start watching several answers (``[[answer, forbid, names], ...]``) that share a tests cell."""
        from IPython import get_ipython

        shell = get_ipython()
        namespace = shell.user_ns if shell is not None else {}
        self._records, self._hit = [], False
        pairs, unresolved = [], []
        for answer, forbid, names in watched:
            targets = self._targets(forbid, namespace)
            for name in names:  # ``conv2d_naive = F.conv2d_forward``: the test calls the reference directly
                label = targets.match_object(namespace.get(name)) if name in namespace else None
                if label is not None:
                    self._records.append([answer, label, f"binds {name} to {label}"])
            pairs.append((answer, targets))
            unresolved += [e for e in targets.unresolved + targets.pending if e not in unresolved]
        self._profile = _grading_profile(pairs, _answer_files(shell, answers), self)
        sys.setprofile(self._profile)
        return unresolved

    def _targets(self, forbid: list[str], namespace: dict) -> Targets:
        key = tuple(canonical(e) for e in forbid)
        targets = self._cache.get(key) if not any(e.startswith(MAIN) for e in key) else None
        if targets is None:
            targets = self._cache.setdefault(key, resolve(key, namespace, load=False))
        targets.refresh()
        return targets

    def record(self, answer: str, label: str, how: str) -> None:
        self._records.append([answer, label, how])
        self._hit = True

    def disarm(self) -> list[list[str]]:
        """Stop watching; ``[[answer, label, how], ...]`` recorded since :meth:`arm`."""
        current = sys.getprofile()
        sys.setprofile(None)
        if self._profile is not None and current is not self._profile and not self._hit:
            self._records.append(["", "", "removed the grader's profile function while its tests ran"])
        self._profile = None
        records, self._records = self._records, []
        return records


def _answer_files(shell, answers: dict[str, str]) -> dict[str, str]:
    """Cell file name -> grade id, for the answers as executed (IPython compiles each cell under a name
    derived from its source; the ``linecache`` entries IPython keeps are the fallback)."""
    import linecache

    files: dict[str, str] = {}
    for grade_id, source in answers.items():
        if shell is not None:
            try:
                files[shell.compile.get_code_name(source, shell.transform_cell(source), 0)] = grade_id
            except Exception:  # noqa: BLE001 (a shell without a caching compiler: fall back)
                pass
        wanted = source.splitlines()
        for filename, entry in linecache.cache.copy().items():
            if len(entry) >= 3 and [line.rstrip("\n") for line in entry[2]] == wanted:
                files.setdefault(filename, grade_id)
    return files


def _grading_profile(watched: list[tuple[str, Targets]], files: dict[str, str], monitor: Monitor):
    """The profile function: a forbidden call whose innermost answer frame is the answer that forbids it is
    recorded and made to fail (``ForbiddenCallError``)."""
    modules = sys.modules

    def profile(frame, event, arg):
        if event == "call":
            caller = frame.f_back
        elif event == "c_call":
            caller = frame
        else:
            return
        for answer, targets in watched:
            if len(modules) != targets.seen:  # something was imported: index what it brought
                targets.refresh()
            if event == "call":
                label = targets.codes.get(id(frame.f_code))
            else:
                label = targets.builtins.get(id(arg)) or _method_label(arg, targets.methods)
            if label is None:
                continue
            line = _innermost_answer(caller, files)
            if line is not None and line[0] == answer:
                monitor.record(answer, label, f"calls {label} (line {line[1]} of the answer)")
                raise ForbiddenCallError(message(answer, label, targets))

    return profile


def _method_label(func, methods: dict) -> str | None:
    candidates = methods.get(getattr(func, "__name__", None))
    if not candidates:
        return None
    owner = getattr(func, "__self__", None)
    for cls, label in candidates:
        if isinstance(owner, cls) or owner is cls:
            return label
    return None


def _innermost_answer(frame, files: dict[str, str]) -> tuple[str, int] | None:
    while frame is not None:
        grade_id = files.get(frame.f_code.co_filename)
        if grade_id is not None:
            return grade_id, frame.f_lineno
        frame = frame.f_back
    return None


# --- while the student works -----------------------------------------------------------------------------

_watching: list[tuple[str, Targets]] = []
_saved_profiles: list = []
_cache: dict[tuple, Targets] = {}
_NAME = "__coursekit_exercises__"


class watch:  # noqa: N801 (used as a context manager, like contextlib's)
    """``with watch("conv2d_naive", ("coursekit.functional.conv2d_forward",)):`` — while the block runs,
    calling a forbidden callable raises :class:`ForbiddenCallError`. Inserted by :func:`install` around
    the body of every function an answer cell defines."""

    __slots__ = ("answer", "forbid")

    def __init__(self, answer: str, forbid: tuple[str, ...]):
        self.answer, self.forbid = answer, tuple(forbid)

    def __enter__(self):
        targets = _targets(self.forbid)
        _saved_profiles.append(sys.getprofile())
        _watching.append((self.answer, targets))
        sys.setprofile(_student_profile)
        return self

    def __exit__(self, *exc):
        _watching.pop()
        sys.setprofile(_saved_profiles.pop())
        return False


def _targets(forbid: tuple[str, ...]) -> Targets:
    forbid = tuple(canonical(e) for e in forbid)
    if any(e.startswith(MAIN) for e in forbid):
        return resolve(forbid, _user_ns(), load=False)  # the notebook may redefine its own functions
    if forbid not in _cache:
        _cache[forbid] = resolve(forbid, _user_ns(), load=False)
    _cache[forbid].refresh()
    return _cache[forbid]


def _user_ns() -> dict:
    from IPython import get_ipython

    shell = get_ipython()
    return shell.user_ns if shell is not None else {}


def _student_profile(frame, event, arg):
    if not _watching:
        return
    answer, targets = _watching[-1]
    if len(sys.modules) != targets.seen:
        targets.refresh()
    if event == "call":
        label = targets.codes.get(id(frame.f_code))
    elif event == "c_call":
        label = targets.builtins.get(id(arg)) or _method_label(arg, targets.methods)
    else:
        return
    if label is not None:
        __tracebackhide__ = True  # noqa: F841 (IPython leaves this frame out of the student's traceback)
        raise ForbiddenCallError(message(answer, label, targets))


def check_names(answer: str, forbid: tuple[str, ...], names: list[str]) -> None:
    """Appended to an answer cell: the cell must not bind its names to a forbidden callable."""
    namespace = _user_ns()
    targets = _targets(tuple(forbid))
    for name in names:
        label = targets.match_object(namespace.get(name)) if name in namespace else None
        if label is not None:
            raise ForbiddenCallError(message(answer, label, targets, f"binds {name} to {label}"))


def forbid_lists(notebook_path: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Cell id -> (grade id, forbid list) of the answer cells of a notebook file ({} if unreadable)."""
    try:
        with open(notebook_path, encoding="utf-8") as f:
            cells = json.load(f).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return {}
    found = {}
    for cell in cells if isinstance(cells, list) else []:
        meta = _dict(_dict(cell).get("metadata"))
        forbid, grade_id = _dict(meta.get("coursekit")).get("forbid"), _dict(meta.get("nbgrader")).get("grade_id")
        if isinstance(forbid, list) and forbid and isinstance(grade_id, str) and isinstance(cell.get("id"), str):
            found[cell["id"]] = (grade_id, tuple(str(n) for n in forbid))
    return found


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


class _AnswerTransformer(ast.NodeTransformer):
    """Wraps the functions an answer cell defines in ``with watch(...)`` and checks its bindings."""

    def __init__(self):
        self.registry: dict[str, tuple[str, tuple[str, ...]]] = {}
        self.current: tuple[str, tuple[str, ...]] | None = None

    def pre_run_cell(self, info) -> None:
        self.current = self.registry.get(getattr(info, "cell_id", None) or "")

    def visit_Module(self, node: ast.Module) -> ast.Module:  # noqa: N802 (ast.NodeTransformer's API)
        if self.current is None:
            return node
        answer, forbid = self.current
        names = []
        for statement in node.body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                _wrap_body(statement, answer, forbid)
                names.append(statement.name)
            elif isinstance(statement, ast.ClassDef):
                for member in statement.body:
                    if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        _wrap_body(member, answer, forbid)
                names.append(statement.name)
            elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                names += [t.id for t in targets if isinstance(t, ast.Name)]
        check = ast.parse(f"{_NAME}.check_names({answer!r}, {forbid!r}, {names!r})").body[0]
        node.body.append(ast.copy_location(check, node.body[-1]) if node.body else check)
        return ast.fix_missing_locations(node)


def _wrap_body(func: ast.FunctionDef, answer: str, forbid: tuple[str, ...]) -> None:
    """``def f(...): "doc"; body`` -> ``def f(...): "doc"; with watch(...): body``. Generators are left
    alone: a suspended generator would keep the watch on for whoever resumes it."""
    if any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in ast.walk(func)):
        return
    body = func.body
    keep = (
        1 if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) else 0
    )
    inner = body[keep:] or [ast.Pass()]
    guard = ast.parse(f"{_NAME}.watch({answer!r}, {forbid!r})", mode="eval").body
    with_node = ast.With(items=[ast.withitem(context_expr=guard)], body=inner)
    ast.copy_location(with_node, inner[0])
    for node in ast.walk(guard):
        ast.copy_location(node, inner[0])
    func.body = body[:keep] + [with_node]


def install(shell=None) -> bool:
    """Watch the answer cells of the notebook this kernel runs; True if installed.

    Needs IPython with cell ids (JupyterLab 4 / Notebook 7 send them) and the notebook's path
    (``__session__`` / ``JPY_SESSION_NAME``, set by Jupyter Server 2). Elsewhere it does nothing.
    Running it again re-reads the notebook's forbid lists.
    """
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None or not hasattr(shell, "ast_transformers"):
        return False
    path = shell.user_ns.get("__session__") or os.environ.get("JPY_SESSION_NAME", "")
    if isinstance(path, str) and not os.path.isfile(path):  # an API path relative to the server's root
        path = os.path.join(os.getcwd(), os.path.basename(path))
    registry = forbid_lists(path) if isinstance(path, str) and path.endswith(".ipynb") else {}
    if not registry:
        return False
    transformer = next((t for t in shell.ast_transformers if isinstance(t, _AnswerTransformer)), None)
    if transformer is None:
        transformer = _AnswerTransformer()
        shell.ast_transformers.append(transformer)
        shell.events.register("pre_run_cell", transformer.pre_run_cell)
    transformer.registry = registry
    shell.user_ns[_NAME] = sys.modules[__name__]
    return True
