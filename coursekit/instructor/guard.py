"""Runs *inside* a student's kernel, installed by the grader before any student code.

It remembers the trusted state that test cells rely on (the grading helpers, NumPy's comparison
functions, a set of builtins, IPython's input/AST transformers, event callbacks and exception
handlers, the shell's execution methods, trace hooks). Before every test cell the grader calls
:func:`restore` (through ``user_expressions``, which IPython evaluates without input transformers),
which puts that state back and reports what had been changed; after the test cell :func:`check`
reports changes made *during* it and whether the test code really ran to its end.

This is defence in depth, not a proof: code in the same process can in principle subvert anything
here. The grader also scans student code statically and runs it in a sandbox (see ``sandbox.py``).
"""

from __future__ import annotations

import builtins
import sys

PROTECTED_MODULES = ("numpy", "numpy.testing", "coursekit", "coursekit.grading", "coursekit.gradcheck", "math")
PROTECTED_BUILTINS = (
    "isinstance", "issubclass", "type", "len", "abs", "float", "int", "bool", "str", "repr", "print", "round",
    "max", "min", "sum", "all", "any", "range", "zip", "enumerate", "sorted", "list", "tuple", "dict", "set",
    "getattr", "hasattr", "callable", "__import__", "AssertionError", "Exception", "BaseException",
    "NotImplementedError", "ValueError", "TypeError",
)  # fmt: skip
SHELL_METHODS = (
    "run_cell", "run_cell_async", "run_ast_nodes", "run_code", "transform_cell", "transform_ast",
    "showtraceback", "_showtraceback", "showsyntaxerror", "should_run_async", "user_expressions", "ev", "ex",
)  # fmt: skip
KERNEL_METHODS = ("do_execute", "execute_request", "dispatch_shell")

_state: dict | None = None
_ran: set[str] = set()
_test_files: set[str] = set()  # the code objects' file names of the running test cell's parts


def _shell():
    from IPython import get_ipython

    return get_ipython()


def _snapshot() -> dict:
    import numpy  # noqa: F401 (imported so that it is protected)
    import numpy.testing  # noqa: F401

    import coursekit.gradcheck  # noqa: F401
    import coursekit.grading  # noqa: F401

    shell = _shell()
    modules = {name: sys.modules[name] for name in PROTECTED_MODULES if name in sys.modules}
    kernel = getattr(shell, "kernel", None)
    return {
        "modules": modules,
        "attrs": {name: dict(vars(module)) for name, module in modules.items()},
        "code": {
            (name, attr): (value, value.__code__, value.__defaults__, value.__kwdefaults__)
            for name, module in modules.items()
            for attr, value in vars(module).items()
            if hasattr(value, "__code__")
        },
        "builtins": {name: getattr(builtins, name) for name in PROTECTED_BUILTINS},
        "transformers": {
            attr: list(getattr(shell, attr, []))
            for attr in ("input_transformers_cleanup", "input_transformers_post", "ast_transformers")
        },
        "events": {event: list(callbacks) for event, callbacks in shell.events.callbacks.items()},
        "custom_exceptions": shell.custom_exceptions,
        "CustomTB": shell.CustomTB,
        "shell_instance": {m: shell.__dict__.get(m) for m in SHELL_METHODS},
        "shell_class": {
            (cls, m): cls.__dict__[m] for cls in type(shell).__mro__ for m in SHELL_METHODS if m in cls.__dict__
        },
        "kernel": kernel,
        "kernel_instance": {m: kernel.__dict__.get(m) for m in KERNEL_METHODS} if kernel else {},
        "kernel_class": {
            (cls, m): cls.__dict__[m] for cls in type(kernel).__mro__ for m in KERNEL_METHODS if m in cls.__dict__
        }
        if kernel
        else {},
        # IPython swaps sys.displayhook/excepthook around every execution itself: only trace hooks are watched.
        "hooks": (sys.gettrace(), sys.getprofile()),
    }


def _class_methods(obj, names: tuple[str, ...]) -> dict:
    return {(cls, m): cls.__dict__[m] for cls in type(obj).__mro__ for m in names if m in cls.__dict__}


def install() -> None:
    """Take the snapshot. Called once, by the grader, before any student cell runs."""
    global _state
    _state = _snapshot()


def _changes(fix: bool) -> list[str]:
    found: list[str] = []
    state = _state
    if state is None:
        return ["guard was never installed"]
    shell = _shell()
    for name, module in state["modules"].items():
        if sys.modules.get(name) is not module:
            found.append(f"sys.modules[{name!r}] replaced")
            if fix:
                sys.modules[name] = module
        current = vars(module)
        for attr, value in state["attrs"][name].items():
            if current.get(attr, _MISSING) is not value:
                found.append(f"{name}.{attr} patched")
                if fix:
                    setattr(module, attr, value)
    for (name, attr), (func, code, defaults, kwdefaults) in state["code"].items():
        if func.__code__ is not code or func.__defaults__ is not defaults or func.__kwdefaults__ is not kwdefaults:
            found.append(f"{name}.{attr}.__code__ patched")
            if fix:
                func.__code__, func.__defaults__, func.__kwdefaults__ = code, defaults, kwdefaults
    for name, value in state["builtins"].items():
        if getattr(builtins, name, _MISSING) is not value:
            found.append(f"builtins.{name} patched")
            if fix:
                setattr(builtins, name, value)
    found += _shell_changes(shell, state, fix)
    found += _kernel_changes(state, fix)
    if (sys.gettrace(), sys.getprofile()) != state["hooks"]:
        found.append("trace or profile function installed (sys.settrace/setprofile)")
        if fix:
            sys.settrace(state["hooks"][0])
            sys.setprofile(state["hooks"][1])
    return found


def _shell_changes(shell, state: dict, fix: bool) -> list[str]:
    found = []
    for attr, original in state["transformers"].items():
        if list(getattr(shell, attr, [])) != original:
            found.append(f"IPython {attr} changed")
            if fix:
                setattr(shell, attr, list(original))
    for event, original in state["events"].items():
        current = shell.events.callbacks.get(event, [])
        added = [cb for cb in current if cb not in original]
        if added and all(_trusted(cb) for cb in added) and all(cb in current for cb in original):
            original.extend(added)  # e.g. matplotlib's inline backend registers post_execute on first use
        elif current != original:
            found.append(f"IPython event callbacks for {event!r} changed")
            if fix:
                shell.events.callbacks[event] = list(original)
    if shell.custom_exceptions != state["custom_exceptions"] or shell.CustomTB is not state["CustomTB"]:
        found.append("IPython custom exception handler installed")
        if fix:
            shell.custom_exceptions, shell.CustomTB = state["custom_exceptions"], state["CustomTB"]
    found += _methods_changed("shell", shell, state["shell_instance"], state["shell_class"], fix)
    return found


TRUSTED_CALLBACK_MODULES = ("matplotlib", "matplotlib_inline", "IPython", "ipykernel", "ipywidgets")


def _trusted(callback) -> bool:
    module = getattr(callback, "__module__", None) or getattr(getattr(callback, "__func__", None), "__module__", "")
    return str(module).split(".")[0] in TRUSTED_CALLBACK_MODULES


def _kernel_changes(state: dict, fix: bool) -> list[str]:
    kernel = state["kernel"]
    if kernel is None:
        return []
    return _methods_changed("kernel", kernel, state["kernel_instance"], state["kernel_class"], fix)


def _methods_changed(label: str, obj, instance: dict, classes: dict, fix: bool) -> list[str]:
    found = []
    for method, original in instance.items():
        if obj.__dict__.get(method) is not original:
            found.append(f"{label}.{method} replaced")
            if fix:
                if original is None:
                    obj.__dict__.pop(method, None)
                else:
                    obj.__dict__[method] = original
    for (cls, method), original in classes.items():
        if cls.__dict__.get(method) is not original:
            found.append(f"{cls.__name__}.{method} replaced")
            if fix:
                setattr(cls, method, original)
    return found


class _Missing:
    pass


_MISSING = _Missing()


def restore() -> list[str]:
    """Put the trusted state back; return what had been changed (empty when nothing was). Called before a
    test cell: from here to :func:`check`, every check of ``coursekit.grading`` is recorded."""
    changes = _changes(fix=True)
    import coursekit.grading as grading

    _test_files.clear()
    grading._RECORDER.items = []
    grading._RECORDER.on = True
    return changes


def part() -> None:
    """First statement of each part (visible, hidden) of a test cell: remembers the part's file name, so
    that only checks called from the test's own code count (not those a student's function makes)."""
    _test_files.add(sys._getframe(1).f_code.co_filename)


def _records() -> str:
    """The checks made by the test cell's code, as JSON (arrays base64-encoded by ``grading._encode``)."""
    import json

    import coursekit.grading as grading

    recorder = grading._RECORDER
    items, recorder.items, recorder.on = recorder.items, [], False
    return json.dumps([item[:4] for item in items if item[4] in _test_files])


def ran(token: str) -> None:
    """Appended by the grader to the code of a test cell: proves the test ran to its last line."""
    _ran.add(token)


def check(token: str) -> dict:
    """After a test cell: did it run to its end, and what changed while it ran (then restored)."""
    records = _records()
    return {"ran": token in _ran, "changes": _changes(fix=True), "records": records}
