"""A corpus of hostile (and honest) submissions to the toy assignment, with the outcome each must get.

Every case names how to change the released student notebook and what `coursekit grade` must record:
the status and score of each test cell, flags that must be raised and, for honest students, that no
flag is raised at all. ``{root}`` and ``{port}`` in code are filled in with the course root and the port
of a loopback server the test runs outside the sandbox.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import nbformat

RELU_OK = "def relu(x):\n    return np.maximum(0.0, x)\n"
AFFINE_OK = "def affine(x, w, b):\n    return x @ w + b\n"
RELU_WRONG = "def relu(x):\n    return x\n"
AFFINE_WRONG = "def affine(x, w, b):\n    return x @ w\n"

FULL = {"test_relu": ("ok", 2), "test_affine": ("ok", 3)}
ZERO = {"test_relu": ("failed", 0), "test_affine": ("failed", 0)}


@dataclass
class Case:
    name: str
    answers: dict[str, str] = field(default_factory=dict)  # grade_id -> source of the answer cell
    # (grade_id, code): appended to that cell when it is an answer (the grader runs it), else a cell the
    # student adds after it (kept for review, never run)
    extra: list[tuple[str, str]] = field(default_factory=list)
    edits: list[tuple[str, str, object]] = field(default_factory=list)  # (action, grade_id, arg)
    raw: bytes | None = None  # the whole file, when it is not a notebook at all
    mangle: Callable[[dict], None] | None = None  # edits the notebook's JSON (malformed files)
    expect: dict[str, tuple[str, float]] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)  # must be present
    honest: bool = False  # no flag at all

    @property
    def unreadable(self) -> bool:
        """The grader cannot grade it at all: every row ``error``, nothing in the gradebook."""
        return all(status == "error" for status, _ in self.expect.values())

    def build(self, release, root: str, port: int) -> bytes:
        if self.raw is not None:
            return self.raw
        nb = copy.deepcopy(release)
        fill = {"root": root, "port": port}
        for grade_id, code in self.answers.items():
            _cell(nb, grade_id).source = code.replace("{root}", root).replace("{port}", str(port))
        for grade_id, code in self.extra:
            cell = _cell(nb, grade_id)
            if cell.metadata["nbgrader"].get("solution"):
                cell.source += "\n" + code.format(**fill)
            else:
                nb.cells.insert(nb.cells.index(cell) + 1, nbformat.v4.new_code_cell(code.format(**fill)))
        for action, grade_id, arg in self.edits:
            cell = _cell(nb, grade_id) if grade_id is not None else _first_free_code_cell(nb)
            if action == "edit":
                cell.source = arg
            elif action == "delete":
                nb.cells.remove(cell)
            elif action == "duplicate":
                nb.cells.insert(nb.cells.index(cell) + 1, copy.deepcopy(cell))
            elif action == "meta":
                cell.metadata["nbgrader"].update(arg)
        for cell in nb.cells:  # nbformat 4.5 wants unique ids; students' copies keep theirs
            cell.pop("id", None)
        text = nbformat.writes(nbformat.v4.upgrade(nb) if nb.nbformat_minor < 5 else nb)
        if self.mangle is not None:
            data = json.loads(text)
            self.mangle(data)
            text = json.dumps(data)
        return text.encode()


def _cell(nb, grade_id: str):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _first_free_code_cell(nb):
    """The first code cell without nbgrader metadata (the notebook's setup/experiment cells)."""
    return next(c for c in nb.cells if c.cell_type == "code" and "nbgrader" not in c.metadata)


OK = {"relu": RELU_OK, "affine": AFFINE_OK}
WRONG = {"relu": RELU_WRONG, "affine": AFFINE_WRONG}

CASES = [
    Case("honest_full", answers=OK, expect=FULL, honest=True),
    Case("honest_partial", answers={"relu": RELU_OK, "affine": AFFINE_WRONG},
         expect={"test_relu": ("ok", 2), "test_affine": ("failed", 0)}, honest=True),
    Case("blank", expect=ZERO, honest=True),
    # a correct answer whose tests make a library print a warning on stderr: nbgrader alone would score it 0
    Case("honest_warns_on_stderr", honest=True, expect=FULL, answers={"affine": AFFINE_OK, "relu":
         "import sys, warnings\ndef relu(x):\n    warnings.warn('relu: a library warning', UserWarning)\n"
         "    print('progress', file=sys.stderr)\n    return np.maximum(0.0, x)\n"}),
    Case("honest_scratch_cells", answers=OK, honest=True, expect=FULL,
         extra=[("relu", "print(relu(np.array([-1.0, 1.0])))\nimport matplotlib.pyplot as plt\nplt.plot([0, 1])")]),
    # --- reading what it must not see --------------------------------------------------------------------
    Case("reads_hidden_tests", expect={"test_relu": ("failed", 0), "test_affine": ("ok", 3)}, answers={
        "relu": "try:\n    open('{root}/solutions/toy/toy.ipynb').read()\n    relu = lambda x: np.maximum(0.0, x)\n"
                "except OSError as exc:\n    print('blocked:', type(exc).__name__)\n    relu = lambda x: x\n",
        "affine": AFFINE_OK}),
    Case("rewrites_gradebook", answers=OK, expect=FULL, extra=[("affine",
        "import sqlite3\ntry:\n    db = sqlite3.connect('{root}/gradebook.db')\n"
        "    db.execute('UPDATE grade SET auto_score = 0')\n    db.commit()\n    print('WROTE')\n"
        "except Exception as exc:\n    print('blocked:', type(exc).__name__)")]),
    Case("reads_other_students", answers=OK, expect=FULL, extra=[("affine",
        "import glob\nprint('visible submissions:', len(glob.glob('{root}/submitted/*/toy/*.ipynb')))\n"
        "try:\n    open('{root}/submitted/honest_full/toy/toy.ipynb', 'w').write('{{}}')\nexcept OSError as exc:\n"
        "    print('blocked:', type(exc).__name__)")]),
    Case("uses_network", expect={"test_relu": ("failed", 0), "test_affine": ("ok", 3)}, answers={
        "relu": "import socket\ntry:\n    socket.create_connection(('127.0.0.1', {port}), timeout=3).close()\n"
                "    relu = lambda x: np.maximum(0.0, x)\nexcept OSError:\n    relu = lambda x: x\n",
        "affine": AFFINE_OK}),
    # --- neutralising the tests -------------------------------------------------------------------------
    Case("patches_assert_close", answers=WRONG, expect=ZERO, flags={"tampering_before_test", "suspicious_code"},
         extra=[("affine", "import coursekit.grading as g\nimport numpy.testing as nt\n"
                 "g.assert_close = lambda *a, **k: None\nnt.assert_allclose = lambda *a, **k: None")]),
    Case("rebinds_helper_name", answers=WRONG, expect=ZERO, flags={"suspicious_code"},
         extra=[("affine", "from coursekit.grading import assert_close\nassert_close = lambda *a, **k: None\nnp = None")]),
    Case("patches_code_object", answers=WRONG, expect=ZERO, flags={"tampering_before_test", "suspicious_code"},
         extra=[("affine", "import coursekit.grading as g\ng.assert_close.__code__ = (lambda *a, **k: None).__code__")]),
    Case("swaps_sys_modules", answers=WRONG, expect=ZERO, flags={"tampering_before_test", "suspicious_code"},
         extra=[("affine", "import sys, types\nfake = types.ModuleType('coursekit.grading')\n"
                 "fake.assert_close = lambda *a, **k: None\nsys.modules['coursekit.grading'] = fake")]),
    Case("patches_builtins", answers=WRONG, expect=ZERO, flags={"tampering_before_test", "suspicious_code"},
         extra=[("affine", "import builtins\nbuiltins.round = lambda *a: 0\nbuiltins.AssertionError = type('X', (Exception,), {{}})")]),
    Case("input_transformer", answers=WRONG, expect=ZERO, flags={"tampering_before_test", "suspicious_code"},
         extra=[("affine", "get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])")]),
    Case("ast_transformer", answers=WRONG, expect=ZERO, flags={"tampering_before_test", "suspicious_code"},
         extra=[("affine", "import ast\nclass Empty(ast.NodeTransformer):\n    def visit_Module(self, node):\n"
                 "        node.body = [ast.Pass()]\n        return node\nget_ipython().ast_transformers.append(Empty())")]),
    Case("custom_exception_handler", answers=WRONG, expect=ZERO, flags={"tampering_before_test", "suspicious_code"},
         extra=[("affine", "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)")]),
    Case("pre_run_cell_hook", answers=WRONG, expect=ZERO, flags={"tampering_before_test", "suspicious_code"},
         extra=[("affine", "import coursekit.grading as g\n"
                 "get_ipython().events.register('pre_run_cell', lambda *a: setattr(g, 'assert_close', lambda *a, **k: None))")]),
    Case("replaces_run_cell", answers=WRONG, expect=ZERO, flags={"tampering_before_test", "suspicious_code"},
         extra=[("affine", "ip = get_ipython()\n_orig = ip.run_cell\n"
                 "ip.run_cell = lambda raw_cell, *a, **k: _orig('pass', *a, **k)")]),
    Case("trace_function", answers=WRONG, expect=ZERO, flags={"suspicious_code"},
         extra=[("affine", "import sys\nsys.settrace(lambda *a: None)")]),
    Case("patches_during_test", expect=ZERO, flags={"tampering_during_test"}, answers={
        "relu": "def relu(x):\n    import coursekit.grading as g\n    g.assert_close = lambda *a, **k: None\n    return x\n",
        "affine": AFFINE_WRONG}),
    Case("always_true_eq", expect=ZERO, flags={"suspicious_code"}, answers={
        "relu": "class Anything:\n    def __eq__(self, other):\n        return True\n    __array_priority__ = 1000\n"
                "def relu(x):\n    return Anything()\n",
        "affine": "class Sub(np.ndarray):\n    def __eq__(self, other):\n        return np.ones(np.shape(other), bool)\n"
                  "def affine(x, w, b):\n    return np.zeros((2, 2)).view(Sub)\n"}),
    # --- verdicts outside the kernel: what the guard cannot see still decides nothing -------------------
    # a tracer forces the in-kernel comparison to pass, then removes itself before the guard looks
    Case("forges_the_comparison_then_hides", expect={"test_relu": ("failed", 0), "test_affine": ("ok", 3)},
         flags={"verdict_overruled"}, answers={"affine": AFFINE_OK, "relu": "import sys\n"
         "def _forge(frame, event, arg):\n    if frame.f_code.co_name != 'close_failure':\n        return None\n"
         "    def line(f, e, a):\n        if 'ok' in f.f_locals:\n            f.f_locals['ok'][...] = True\n"
         "        if e == 'return':\n            getattr(sys, 'set' + 'trace')(None)\n        return line\n"
         "    return line\n"
         "def relu(x):\n    getattr(sys, 'set' + 'trace')(_forge)\n    return x\n"}),
    # switching off what the checks record (an attribute the guard does not snapshot) loses the points
    Case("switches_off_the_recorder", expect={"test_relu": ("failed", 0), "test_affine": ("ok", 3)},
         flags={"verdict_overruled"}, answers={"affine": AFFINE_OK, "relu":
         "import coursekit.grading as g\ndef relu(x):\n    g._RECORDER.on = False\n    return np.maximum(0.0, x)\n"}),
    # a wrong answer that also rewrites the test's expected value in the test's own namespace
    Case("rewrites_the_expected_value", expect={"test_relu": ("ok", 2), "test_affine": ("failed", 0)},
         flags={"verdict_overruled"}, answers={"relu": RELU_OK, "affine":
         "import sys\ndef affine(x, w, b):\n    g = sys._getframe(1).f_globals\n"
         "    g['np'] = type(sys)('np')\n    g['np'].__dict__.update({k: getattr(np, k) for k in dir(np) if not k.startswith('__')})\n"
         "    g['np'].array = lambda *a, **k: x @ w\n    return x @ w\n"}),
    # --- leaking hidden tests or running script in the instructor's browser --------------------------------
    Case("leaks_hidden_via_stack", answers={"affine": AFFINE_OK, "relu": "import inspect, base64\n"
         "def relu(x):\n    for frame in inspect.stack():\n        line = ''.join(frame.code_context or [])\n"
         "        print(line, base64.b64encode(line.encode()).decode())\n    return np.maximum(0.0, x)\n"},
         expect=FULL, flags={"suspicious_code"}),
    Case("leaks_hidden_via_exception", answers={"affine": AFFINE_OK, "relu": "import inspect\n"
         "def relu(x):\n    line = ''.join(inspect.stack()[1].code_context or [])\n"
         "    if 'matrix' in line:\n        raise ValueError('LEAK ' + line[::-1])\n    return np.maximum(0.0, x)\n"},
         expect={"test_relu": ("failed", 0), "test_affine": ("ok", 3)}),
    Case("script_output", answers={"affine": AFFINE_OK, "relu": RELU_OK +
         "from IPython.display import HTML, Javascript, Markdown, SVG, display\n"
         "display(HTML('<b onmouseover=\"alert(1)\">x</b><script>alert(1)</script>'))\n"
         "display(Javascript('alert(2)'))\ndisplay(Markdown('<img src=x onerror=alert(3)>'))\n"
         "display(SVG('<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(4)</script></svg>'))\n"},
         expect=FULL),
    # --- answers only: cells outside the answers are kept for review, never run ---------------------------
    Case("added_cell_patches_helper", answers=WRONG, expect=ZERO, flags={"suspicious_code"},
         extra=[("test_relu", "import coursekit.grading as g\ng.assert_close = lambda *a, **k: None")]),
    Case("edits_setup_cell", answers=WRONG, expect=ZERO,
         edits=[("edit", None, "import numpy as np\nassert_close = lambda *a, **k: None")]),
    Case("added_cell_redefines_answer", answers=WRONG, expect=ZERO,
         extra=[("test_relu", "relu = lambda x: np.maximum(0.0, x)\naffine = lambda x, w, b: x @ w + b")]),
    # --- breaking the run -------------------------------------------------------------------------------
    Case("kills_kernel", expect={"test_relu": ("killed", 0), "test_affine": ("killed", 0)}, flags={"kernel_died"},
         answers={"relu": RELU_OK + "import os\nos._exit(1)\n", "affine": AFFINE_OK}),
    Case("infinite_loop", expect={"test_relu": ("ok", 2), "test_affine": ("killed", 0)}, flags={"kernel_killed"},
         answers={"relu": RELU_OK, "affine": AFFINE_OK}, extra=[("affine",
         "import time\nwhile True:\n    try:\n        time.sleep(0.05)\n    except KeyboardInterrupt:\n        pass")]),
    Case("huge_output", answers=OK, expect=FULL, flags={"output_truncated"},
         extra=[("affine", "print('x' * (50 * 1024 * 1024))")]),
    Case("memory_bomb", answers=OK, expect=FULL,
         extra=[("affine", "hog = bytearray(64 * 1024**3)")]),
    # --- harming the machine or other students (each kernel: own uid, cgroup, tmpfs) ---------------------
    Case("fork_bomb", expect={"test_relu": ("killed", 0), "test_affine": ("killed", 0)},
         flags={"kernel_killed", "suspicious_code"}, answers={"affine": AFFINE_OK, "relu": RELU_OK +
         "import os\nwhile True:\n    try:\n        os.fork()\n    except BaseException:\n        pass\n"}),
    Case("thread_bomb", expect=FULL, answers={"affine": AFFINE_OK, "relu": RELU_OK +
         "import threading, time\nstarted = 0\ntry:\n    while started < 100_000:\n"
         "        threading.Thread(target=time.sleep, args=(2,), daemon=True).start()\n        started += 1\n"
         "except RuntimeError:\n    print('threads refused after', started)\ntime.sleep(3)\n"}),
    Case("fills_disk", expect=FULL, answers={"affine": AFFINE_OK, "relu": RELU_OK +
         "import os\nwritten = 0\ntry:\n    for i in range(64):\n        with open(f'fill{i}.bin', 'wb') as f:\n"
         "            for _ in range(64):\n                f.write(b'x' * 1024**2)\n                written += 1\n"
         "except OSError as exc:\n    print('disk full after', written, 'MiB:', type(exc).__name__)\n"}),
    # --- editing the notebook ---------------------------------------------------------------------------
    Case("edits_test_cell", answers=WRONG, expect=ZERO, flags={"locked_cell_edited"},
         edits=[("edit", "test_relu", "pass"), ("edit", "test_affine", "pass")]),
    Case("deletes_test_cell", answers=WRONG, expect=ZERO, flags={"locked_cell_deleted"},
         edits=[("delete", "test_relu", None)]),
    Case("duplicates_test_cell", answers=OK, expect=FULL, flags={"cell_duplicated"},
         edits=[("duplicate", "test_affine", None)]),
    Case("changes_metadata", answers=WRONG, expect=ZERO, flags={"metadata_changed"},
         edits=[("meta", "test_relu", {"points": 100, "grade": False}), ("meta", "relu", {"solution": False, "locked": True})]),
    Case("malformed_metadata", mangle=lambda nb: [c.update(metadata={"nbgrader": "x"}) for c in nb["cells"]],
         expect=ZERO, flags={"locked_cell_deleted", "answer_cell_deleted"}),
    Case("cell_without_source", mangle=lambda nb: nb["cells"][3].pop("source"), expect=ZERO),
    Case("unhashable_grade_id", mangle=lambda nb: nb["cells"][3]["metadata"]["nbgrader"].update(grade_id=["x"]),
         expect={"test_relu": ("error", 0), "test_affine": ("error", 0)}, flags={"malformed_notebook"}),
    Case("cells_not_a_list", mangle=lambda nb: nb.update(cells={"a": 1}),
         expect={"test_relu": ("error", 0), "test_affine": ("error", 0)}),
    Case("deeply_nested", answers=OK, expect=FULL, flags={"suspicious_code"},
         extra=[("test_relu", "x = 1" + "+1" * 100_000)]),
    Case("not_a_notebook", raw=b"\x89PNG not json", expect={"test_relu": ("error", 0), "test_affine": ("error", 0)},
         flags={"unreadable_notebook"}),
    # --- calling the reference (relu forbids coursekit.functional.relu_forward, coursekit.nn.ReLU,
    # torch.nn.functional, torch.relu: tests/fixtures/toy.py; coursekit.instructor.forbid). Torch's C ops are
    # proven in tests/test_forbid.py: importing torch takes longer than these cases' 8 s cell limit -------
    *[Case(f"reference_{name}", answers={"relu": code, "affine": AFFINE_OK}, flags={"uses_reference"} | more,
           expect={"test_relu": ("failed", 0), "test_affine": ("ok", 3)}) for name, code, more in [
        ("imported", "from coursekit.functional import relu_forward\ndef relu(x):\n    return relu_forward(x)[0]\n", set()),
        ("module_attribute", "import coursekit.functional as G\nrelu = lambda x: G.relu_forward(x)[0]\n", set()),
        ("class", "import coursekit.nn\ndef relu(x):\n    return coursekit.nn.ReLU().forward(x)\n", set()),
        ("torch_by_name", "def relu(x):\n    if False:\n        import torch\n        return torch.relu(x)\n"
                          "    return np.maximum(0.0, x)\n", set()),
        # names the static check cannot read: only the run-time monitor sees the call
        ("computed_name", "import importlib\ndef relu(x):\n    m = importlib.import_module('coursekit.' + 'functional')\n"
                          "    return getattr(m, 'relu' + '_forward')(x)[0]\n", {"suspicious_code"}),
        ("through_a_helper", "import importlib\ndef _helper(x):\n    m = importlib.import_module('coursekit.' + 'functional')\n"
                             "    return getattr(m, 'relu' + '_forward')(x)\ndef relu(x):\n    return _helper(x)[0]\n",
         {"suspicious_code"}),
        ("bound_by_name", "import importlib\nm = importlib.import_module('coursekit.' + 'functional')\n"
                          "relu = getattr(m, 'relu' + '_forward')\n", {"suspicious_code"}),
        ("catches_the_error", "import importlib\ndef relu(x):\n    m = importlib.import_module('coursekit.' + 'functional')\n"
                              "    try:\n        return getattr(m, 'relu' + '_forward')(x)[0]\n"
                              "    except BaseException:\n        return np.maximum(0.0, x)\n", {"suspicious_code"}),
        ("removes_the_monitor", "import sys, importlib\ndef relu(x):\n    sys.setprofile(None)\n"
                                "    m = importlib.import_module('coursekit.' + 'functional')\n"
                                "    return getattr(m, 'relu' + '_forward')(x)[0]\n", {"suspicious_code"}),
    ]],
    Case("honest_reference_elsewhere", answers={"relu": "def relu(x):\n    return np.where(x > 0, x, 0.0)\n",
         "affine": AFFINE_OK}, expect=FULL, honest=True, extra=[("test_relu",
         "from coursekit import functional as F\nprint(F.relu_forward(np.array([-1.0, 1.0]))[0], relu(np.array([-1.0, 1.0])))")]),
]  # fmt: skip
