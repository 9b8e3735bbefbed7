"""No shortcut to the reference: ``forbid=`` lists found statically, at run time in a real kernel, and
while the student works (JupyterLab's ``cellId`` and session path, reproduced with jupyter_client)."""

from __future__ import annotations

import ast
import math
import os
from pathlib import Path

import nbformat
import pytest

from coursekit import exercises
from coursekit.instructor import forbid, nbsource
from coursekit.instructor.nbsource import parse_source, to_notebook

ROOT = Path(__file__).resolve().parents[1]

SOURCE = """# %%
import numpy as np
import torch
from coursekit import functional as F

def helper_reference(x):
    return np.maximum(x, 0.0)

# %% solution id=conv forbid=coursekit.functional.conv2d_forward,torch.nn.functional,numpy.convolve
def conv(x, w):
    ### BEGIN SOLUTION
    return np.array([np.sum(x[i : i + len(w)] * w[::-1]) for i in range(len(x) - len(w) + 1)])
    ### END SOLUTION

# %% tests id=test_conv points=2
from coursekit.grading import assert_close
assert_close(conv(np.arange(4.0), np.array([1.0, 2.0])), np.convolve(np.arange(4.0), [1.0, 2.0], "valid"))

# %% solution id=relu forbid=__main__.helper_reference
def relu(x):
    ### BEGIN SOLUTION
    return np.where(x > 0, x, 0.0)
    ### END SOLUTION

# %% tests id=test_relu points=1
assert_close(relu(np.array([-1.0, 2.0])), helper_reference(np.array([-1.0, 2.0])))
"""

SHORTCUTS = {
    "attribute": "def conv(x, w):\n    return F.conv2d_forward(x, w, 0.0)[0]\n",
    "other_path": "from coursekit.functional.conv import conv2d_forward as c\ndef conv(x, w):\n    return c(x, w, 0)\n",
    "getattr": "def conv(x, w):\n    return getattr(F, 'conv2d_forward')(x, w, 0)\n",
    "import_module": "import importlib\nm = importlib.import_module('coursekit.functional')\nconv = m.conv2d_forward\n",
    "dunder_import": "def conv(x, w):\n    return __import__('torch').conv2d(x, w)\n",
    "torch_alias": "import torch as t\ndef conv(x, w):\n    return t.conv2d(t.as_tensor(x), t.as_tensor(w))\n",
    "module_member": "from torch.nn import functional as TF\ndef conv(x, w):\n    return TF.conv1d(x, w)\n",
    "vars": "def conv(x, w):\n    return vars(F)['conv2d_forward'](x, w, 0)\n",
    "sys_modules": "import sys\nconv = sys.modules['coursekit.functional'].conv2d_forward\n",
    "alias_chain": "G = F\nH = G\ndef conv(x, w):\n    return H.conv2d_forward(x, w, 0)\n",
    "numpy": "def conv(x, w):\n    return np.convolve(x, w, 'valid')\n",
    "numpy_core": "from numpy._core.numeric import convolve\ndef conv(x, w):\n    return convolve(x, w, 'valid')\n",
}
HONEST = {
    "loops": "def conv(x, w):\n    F = len(w)\n"
    "    return np.array([x[i : i + F] @ w[::-1] for i in range(len(x) - F + 1)])\n",
    "other_reference": "def conv(x, w):\n    y = F.relu_forward(x)[0]\n    return np.correlate(y, w[::-1], 'valid')\n",
    "torch_tensor_ops": "def conv(x, w):\n    t = torch.as_tensor(x)\n"
    "    return (t.unfold(0, len(w), 1) @ torch.as_tensor(w).flip(0)).numpy()\n",
}


@pytest.fixture(scope="module")
def notebook():
    return to_notebook(parse_source(SOURCE))


def test_the_answer_cell_says_what_it_forbids(notebook):
    """The list lives in metadata, which JupyterLab hides: the build writes it into the cell as a comment."""
    cells = [c for c in notebook.cells if c.metadata.get("coursekit")]
    assert len(cells) == 2
    for cell in cells:
        header = "".join(line[2:] + " " for line in cell.source.splitlines() if line.startswith("# "))
        assert header.startswith("Off limits in this answer")
        for name in cell.metadata["coursekit"]["forbid"]:
            assert name in header, f"{name} is forbidden but the answer cell does not say so"
        assert all(len(line) <= 116 for line in cell.source.splitlines())
    long = nbsource.forbid_comment([f"package.module_{k}.function" for k in range(12)])
    assert long.count("\n") > 1 and all(len(line) <= 116 for line in long.splitlines())
    assert nbsource.forbid_comment(["a.b"]).endswith("points): a.b\n")


def test_exercises_pair_each_forbid_list_with_its_tests(notebook):
    assert forbid.exercises(notebook) == [
        forbid.Exercise(
            "conv", ("coursekit.functional.conv2d_forward", "torch.nn.functional", "numpy.convolve"), ("test_conv",)
        ),
        forbid.Exercise("relu", ("__main__.helper_reference",), ("test_relu",)),
    ]


def test_notebook_bindings_resolve_imports_and_own_functions(notebook):
    bindings = forbid.notebook_bindings(notebook)
    assert bindings["F"] == "coursekit.functional"
    assert bindings["np"] == "numpy"
    assert bindings["helper_reference"] == "__main__.helper_reference"
    assert "conv" not in bindings  # answers bind nothing for the notebook


@pytest.mark.parametrize("name", sorted(SHORTCUTS))
def test_static_check_finds_every_shortcut(notebook, name):
    uses = forbid.static_uses(notebook, {"conv": SHORTCUTS[name]})
    assert len(uses) == 1, uses
    assert uses[0].answer == "conv"
    assert uses[0].label.startswith(("coursekit.functional.conv2d_forward", "torch.nn.functional.", "numpy.convolve"))
    assert uses[0].detail.startswith(f"conv refers to {uses[0].label} (line ")


@pytest.mark.parametrize("name", sorted(HONEST))
def test_static_check_leaves_honest_answers_alone(notebook, name):
    assert forbid.static_uses(notebook, {"conv": HONEST[name]}) == []


def test_static_check_knows_the_notebooks_own_functions(notebook):
    (use,) = forbid.static_uses(notebook, {"relu": "def relu(x):\n    return helper_reference(x)\n"})
    assert use.label == "__main__.helper_reference"
    own = "def helper_reference(x):\n    return x * (x > 0)\ndef relu(x):\n    return helper_reference(x)\n"
    assert forbid.static_uses(notebook, {"relu": own}) == []


def test_a_bare_name_that_is_no_module_is_the_notebooks_own(notebook):
    assert exercises.canonical("helper_reference") == "__main__.helper_reference"
    assert exercises.canonical("torch") == "torch"
    bare = nbformat.from_dict(notebook)
    bare.cells[3].metadata["coursekit"]["forbid"] = ["helper_reference"]
    (use,) = forbid.static_uses(bare, {"relu": "def relu(x):\n    return helper_reference(x)\n"})
    assert use.label == "__main__.helper_reference"


def test_static_check_survives_code_that_does_not_parse(notebook):
    assert forbid.static_uses(notebook, {"conv": "def conv(:\n", "relu": "(" * 500 + ")" * 500}) == []


def test_resolve_indexes_c_functions_of_a_forbidden_module_but_not_helpers():
    torch = pytest.importorskip("torch")
    targets = exercises.resolve(["torch.nn.functional"])
    assert targets.match_object(torch.conv2d) == "torch.nn.functional.conv2d"
    assert targets.match_object(torch.nn.functional.relu) == "torch.nn.functional.relu"
    assert targets.match_object(torch.overrides.has_torch_function) is None
    assert targets.match_object(torch.relu) is None  # torch's own op, not torch.nn.functional's
    reference = exercises.resolve(["coursekit.functional"])
    assert reference.match_object(math.sqrt) is None
    assert reference.unresolved == []
    assert exercises.resolve(["no_such_module.f", "numpy.no_such_name"]).unresolved == [
        "no_such_module.f",
        "numpy.no_such_name",
    ]


def test_match_object_sees_through_partials_and_wrappers():
    import functools

    from coursekit import functional as F

    targets = exercises.resolve(["coursekit.functional.relu_forward"])

    @functools.wraps(F.relu_forward)
    def wrapper(x):
        return F.relu_forward(x)

    assert targets.match_object(functools.partial(F.relu_forward)) == "coursekit.functional.relu_forward"
    assert targets.match_object(wrapper) == "coursekit.functional.relu_forward"
    assert targets.match_object(F.relu_backward) is None


def test_every_solution_is_free_of_static_uses():
    from coursekit.instructor.course import Course

    course = Course(ROOT)
    for assignment in course.assignments():
        nb = nbformat.read(course.solution_path(assignment), as_version=4)
        answers = {e.answer: _source(nb, e.answer) for e in forbid.exercises(nb)}
        assert forbid.static_uses(nb, answers) == [], assignment


def _source(nb, grade_id: str) -> str:
    return next(c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


# --- in a real kernel --------------------------------------------------------------------------------------


class Kernel:
    """A kernel driven like JupyterLab drives it: each request may carry a ``cellId``."""

    def __init__(self, cwd: Path, env: dict | None = None):
        from jupyter_client.manager import start_new_kernel

        self.km, self.kc = start_new_kernel(kernel_name="python3", cwd=str(cwd), env=env)

    def run(self, code: str, cell_id: str | None = None, expression: str | None = None):
        """``(error or None, stdout, value of expression)``."""
        content = dict(code=code, silent=False, store_history=True, allow_stdin=False, stop_on_error=True)
        content["user_expressions"] = {"v": expression} if expression else {}
        msg = self.kc.session.msg("execute_request", content, metadata={"cellId": cell_id} if cell_id else {})
        self.kc.shell_channel.send(msg)
        error, out = None, ""
        while True:
            reply = self.kc.get_iopub_msg(timeout=120)
            if reply["parent_header"].get("msg_id") != msg["header"]["msg_id"]:
                continue
            kind, body = reply["msg_type"], reply["content"]
            if kind == "status" and body["execution_state"] == "idle":
                break
            if kind == "error":
                error = f"{body['ename']}: {body['evalue']}"
            elif kind == "stream":
                out += body["text"]
        value = None
        if expression:
            while True:
                shell = self.kc.get_shell_msg(timeout=30)
                if shell["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                    break
            result = shell["content"]["user_expressions"]["v"]
            assert result["status"] == "ok", result
            value = ast.literal_eval(result["data"]["text/plain"])
        return error, out, value

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


@pytest.fixture(scope="module")
def grading_kernel(tmp_path_factory, notebook):
    kernel = Kernel(tmp_path_factory.mktemp("grading"), env=_env())
    try:
        assert kernel.run(notebook.cells[0].source)[0] is None
        yield kernel
    finally:
        kernel.close()


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("JPY_SESSION_NAME",)}
    return {**env, "OMP_NUM_THREADS": "1", **extra}


def _graded(kernel: Kernel, notebook, answers: dict[str, str], test_id: str):
    """Run the answers, then one test cell under the monitor: (test error, uses recorded)."""
    plan = forbid.RuntimePlan(notebook, answers)
    for line in plan.startup:
        assert kernel.run(line)[0] is None
    for code in answers.values():
        kernel.run(code)
    assert kernel.run("", expression=plan.arm(test_id))[2] == []
    test = next(c.source for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == test_id)
    error = kernel.run(test)[0]
    return error, plan.record(test_id, kernel.run("", expression=plan.disarm(test_id))[2])


RUNTIME_SHORTCUTS = {
    "direct": "def conv(x, w):\n    return F.conv2d_forward(x[None, None, None], w[None, None, None], 0.0)[0]\n",
    "obfuscated_name": "def conv(x, w):\n    f = getattr(F, ''.join(['conv2d', '_forward']))\n    return f(x, w, 0)\n",
    "torch_builtin": "def conv(x, w):\n    import torch as t\n"
    "    return t.conv1d(t.as_tensor(x)[None, None], t.as_tensor(w).flip(0)[None, None])[0, 0].numpy()\n",
    "numpy_python": "def conv(x, w):\n    g = vars(np)['con' + 'volve']\n    return g(x, w, 'valid')\n",
    "through_helper": "def helper(x, w):\n    return np.convolve(x, w, 'valid')\n\n"
    "def conv(x, w):\n    return helper(x, w)\n",
    "binding": "conv = getattr(np, 'con' + 'volve')\n",
}


@pytest.mark.parametrize("name", sorted(RUNTIME_SHORTCUTS))
def test_run_time_records_a_call_from_the_answer(grading_kernel, notebook, name):
    error, uses = _graded(grading_kernel, notebook, {"conv": RUNTIME_SHORTCUTS[name]}, "test_conv")
    assert [u.answer for u in uses] == ["conv"], uses
    if name != "binding":  # a binding is caught when the tests start; the call itself is the test's
        assert error is not None and error.startswith("ForbiddenCallError: conv calls "), error
        assert uses[0].how.startswith(f"calls {uses[0].label} (line ")


@pytest.mark.parametrize("name", sorted(HONEST))
def test_run_time_leaves_honest_answers_and_the_tests_alone(grading_kernel, notebook, name):
    # the test cell itself calls np.convolve, the forbidden reference: only the answer's frames count
    assert _graded(grading_kernel, notebook, {"conv": HONEST[name]}, "test_conv") == (None, [])


def test_run_time_blames_only_the_innermost_answer(grading_kernel, notebook):
    # relu may call helper_reference's cousin np.convolve: conv's forbid list is not relu's business,
    # and conv calling relu that calls np.convolve is relu's call, not conv's
    relu = "def relu(x):\n    return np.convolve(np.maximum(x, 0.0), [1.0], 'same')\n"
    conv = HONEST["loops"].replace("return np.array", "relu(x)\n    return np.array")
    error, uses = _graded(grading_kernel, notebook, {"relu": relu, "conv": conv}, "test_conv")
    assert (error, uses) == (None, [])


def test_run_time_sees_the_notebooks_own_function(grading_kernel, notebook):
    error, uses = _graded(
        grading_kernel, notebook, {"relu": "def relu(x):\n    return helper_reference(x)\n"}, "test_relu"
    )
    assert [u.label for u in uses] == ["__main__.helper_reference"]
    assert error.startswith("ForbiddenCallError: relu calls __main__.helper_reference, the function this exercise")


def test_a_removed_profile_function_is_a_use(grading_kernel, notebook):
    answer = "import sys\ndef conv(x, w):\n    sys.setprofile(None)\n    return np.convolve(x, w, 'valid')\n"
    _, uses = _graded(grading_kernel, notebook, {"conv": answer}, "test_conv")
    assert [u.detail for u in uses] == ["conv removed the grader's profile function while its tests ran"]


def test_malformed_records_from_the_kernel_count_as_uses(notebook):
    plan = forbid.RuntimePlan(notebook, {})
    (use,) = plan.record("test_conv", [["conv", 1, None]])
    assert use.answer == "conv" and "no readable record" in use.how


# --- while the student works -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def student(tmp_path_factory, notebook):
    """A kernel started the way Jupyter Server 2 starts it for a notebook file."""
    where = tmp_path_factory.mktemp("student")
    release = nbformat.from_dict(notebook)
    release.cells[0].source = "from coursekit.plot import setup_notebook\nsetup_notebook(show_versions=False)\n" + (
        release.cells[0].source
    )
    path = where / "nb.ipynb"
    nbformat.write(release, path)
    kernel = Kernel(where, env=_env(JPY_SESSION_NAME=str(path)))
    try:
        assert kernel.run(release.cells[0].source, cell_id=release.cells[0].id)[0] is None
        yield kernel, {c.metadata.get("nbgrader", {}).get("grade_id"): c.id for c in release.cells}
    finally:
        kernel.close()


def test_calling_the_reference_from_an_answer_raises_at_once_with_a_lesson(student):
    kernel, ids = student
    assert kernel.run(RUNTIME_SHORTCUTS["direct"], cell_id=ids["conv"])[0] is None
    error = kernel.run("conv(np.arange(4.0), np.ones(2))", cell_id="scratch")[0]
    assert error == (
        "ForbiddenCallError: conv calls coursekit.functional.conv2d_forward, the function this exercise asks you "
        "to write"
    )
    module = "import torch as t\ndef conv(x, w):\n    return t.nn.functional.conv1d(t.ones(1, 1, 4), t.ones(1, 1, 2))\n"
    assert kernel.run(module, cell_id=ids["conv"])[0] is None
    error = kernel.run("conv(np.arange(4.0), np.ones(2))", cell_id="scratch")[0]
    assert error.startswith("ForbiddenCallError: conv calls torch.nn.functional.conv1d: this exercise asks you")


def test_other_cells_and_honest_answers_use_the_reference_freely(student):
    kernel, ids = student
    assert kernel.run(HONEST["loops"], cell_id=ids["conv"])[0] is None
    code = "print(conv(np.arange(4.0), np.array([1.0, 2.0])), np.convolve(np.arange(4.0), [1.0, 2.0], 'valid'))"
    assert kernel.run(code, cell_id="scratch") == (None, "[1. 4. 7.] [1. 4. 7.]\n", None)
    assert kernel.run(_source_of_test(), cell_id=ids["test_conv"])[0] is None


def _source_of_test() -> str:
    return SOURCE.split("# %% tests id=test_conv points=2\n")[1].split("\n\n")[0]


def test_binding_the_answer_to_the_reference_raises_when_the_cell_runs(student):
    kernel, ids = student
    error = kernel.run("conv = np.convolve\n", cell_id=ids["conv"])[0]
    assert (
        error == "ForbiddenCallError: conv binds conv to numpy.convolve, the function this exercise asks you to write"
    )


def test_the_same_code_in_a_cell_that_is_no_answer_is_not_watched(student):
    kernel, _ = student
    assert kernel.run(RUNTIME_SHORTCUTS["numpy_python"].replace("def conv", "def mine"), cell_id="scratch")[0] is None
    assert kernel.run("mine(np.arange(4.0), np.ones(2))", cell_id="scratch")[0] is None


def test_nothing_is_installed_without_jupyterlab(tmp_path, notebook):
    """nbval, nbclient and the grader send no cellId and start kernels without a session path."""
    kernel = Kernel(tmp_path, env=_env())
    try:
        code = "from coursekit.plot import setup_notebook\nsetup_notebook(show_versions=False)\n"
        code += "ip = get_ipython()\nprint(len(ip.ast_transformers), '__coursekit_exercises__' in ip.user_ns)"
        assert kernel.run(code) == (None, "0 False\n", None)
    finally:
        kernel.close()


def test_install_without_ipython_or_notebook_is_a_no_op(tmp_path):
    assert exercises.install() is False  # plain Python: no shell
    assert exercises.forbid_lists(str(tmp_path / "missing.ipynb")) == {}
    (tmp_path / "bad.ipynb").write_text('{"cells": [{"metadata": {"coursekit": 3}}]}')
    assert exercises.forbid_lists(str(tmp_path / "bad.ipynb")) == {}


SHARED = """# %%
import numpy as np

# %% solution id=a forbid=numpy.convolve
def a(x):
    return x

# %% solution id=b forbid=numpy.correlate
def b(x):
    return x

# %% tests id=test_ab points=1
assert a(np.ones(2))[0] == b(np.ones(2))[0] == 1.0, "a and b"
"""


def test_answers_that_share_a_tests_cell_are_watched_each_with_its_own_list(grading_kernel):
    shared = to_notebook(parse_source(SHARED))
    assert [(e.answer, e.tests) for e in forbid.exercises(shared)] == [("a", ("test_ab",)), ("b", ("test_ab",))]
    correlate = "def {}(x):\n    return np.correlate(x, [1.0], 'same')\n"
    error, uses = _graded(grading_kernel, shared, {"a": correlate.format("a"), "b": correlate.format("b")}, "test_ab")
    assert [(u.answer, u.label) for u in uses] == [("b", "numpy.correlate")]
    assert error.startswith("ForbiddenCallError: b calls numpy.correlate")


def test_kernel_mode_imports_nothing_and_indexes_a_module_once_imported():
    import sys

    sys.modules.pop("colorsys", None)  # a small standard module: re-imported below, nothing depends on it
    targets = exercises.resolve(["colorsys.rgb_to_hsv"], load=False)
    assert "colorsys" not in sys.modules and targets.pending == ["colorsys.rgb_to_hsv"]
    import colorsys

    targets.refresh()
    assert targets.pending == [] and targets.match_object(colorsys.rgb_to_hsv) == "colorsys.rgb_to_hsv"


LAZY = """# %%
import numpy as np

# %% solution id=hsv forbid=colorsys
def hsv(r, g, b):
    return max(r, g, b)

# %% tests id=test_hsv points=1
assert hsv(0.2, 0.4, 0.6) == 0.6, "hsv"
"""


def test_a_module_the_answer_imports_during_its_tests_is_watched(grading_kernel):
    lazy = to_notebook(parse_source(LAZY))
    assert grading_kernel.run("import sys\nprint('colorsys' in sys.modules)")[1] == "False\n"
    answer = "def hsv(r, g, b):\n    m = __import__('color' + 'sys')\n    return m.rgb_to_hsv(r, g, b)[2]\n"
    error, uses = _graded_lazily(grading_kernel, lazy, {"hsv": answer}, "test_hsv")
    assert [u.label for u in uses] == ["colorsys.rgb_to_hsv"], uses
    assert error.startswith("ForbiddenCallError: hsv calls colorsys.rgb_to_hsv: this exercise asks you")


def _graded_lazily(kernel: Kernel, notebook, answers: dict[str, str], test_id: str):
    """Like :func:`_graded`, when the forbidden module is not imported yet when the tests start."""
    plan = forbid.RuntimePlan(notebook, answers)
    for line in plan.startup:
        assert kernel.run(line)[0] is None
    for code in answers.values():
        kernel.run(code)
    assert kernel.run("", expression=plan.arm(test_id))[2] == ["colorsys"]  # pending until imported
    test = next(c.source for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == test_id)
    error = kernel.run(test)[0]
    return error, plan.record(test_id, kernel.run("", expression=plan.disarm(test_id))[2])


def test_resolving_survives_a_module_imported_by_another_thread_mid_scan():
    """The grader prepares submissions in threads: a garbage collection in the middle of indexing a forbidden
    module can run Python code (a finalizer) during which another thread imports, and ``sys.modules`` grows. The
    index works on copies, so it neither raises 'dictionary changed size during iteration' nor misses members."""
    import gc
    import sys
    import types

    from coursekit import functional

    added = []

    class ImportsWhenCollected:
        def __init__(self, left):
            self.me, self.left = self, left  # a cycle: only the garbage collector frees it

        def __del__(self):
            name = f"_ck_imported_mid_scan_{len(added)}"
            sys.modules[name] = types.ModuleType(name)
            added.append(name)
            if self.left:
                ImportsWhenCollected(self.left - 1)

    threshold = gc.get_threshold()
    try:
        ImportsWhenCollected(200)
        gc.set_threshold(1)
        targets = exercises.resolve(("coursekit.functional",))
    finally:
        gc.set_threshold(*threshold)
        gc.collect()
        for name in added:
            sys.modules.pop(name, None)
    assert len(added) > 1, "no garbage collection ran during the scan: the test proves nothing"
    assert targets.match_object(functional.relu_forward) == "coursekit.functional.relu_forward"
