"""Shared pytest configuration.

Hypothesis runs derandomized (the same examples every run, so CI is reproducible) and without
deadlines (timing is for benchmarks/, never for unit tests).
"""

import os
import socket
import threading

import pytest
from _pytest.nodeid import NodeId
from hypothesis import HealthCheck, settings

from coursekit.instructor.executor import ExecLimits
from coursekit.instructor.sandbox import Limits

settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    max_examples=30,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile("dev", deadline=None, max_examples=200)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# The grader's reference runs (one per assignment and solution version: coursekit/instructor/reference.py) are
# shared by every test and both xdist workers of a session, instead of one per scratch course.
os.environ.setdefault(
    "COURSEKIT_REFERENCE_CACHE", os.path.join(os.path.dirname(os.path.dirname(__file__)), "build", "reference-cache")
)


# --- `--dist loadgroup` under pytest 9 -------------------------------------------------------------------
# pytest-xdist 3.8 groups tests by appending "@<group>" to `item._nodeid`; pytest 9 keeps a node's id in
# `item._id` (a NodeId) and ignores `_nodeid`, so every xdist_group was silently spread over all workers
# (and each worker recomputed the session fixtures the group exists to share). Append the suffix where
# pytest 9 reads it; a no-op when xdist already did it or when the run is not `--dist loadgroup`.
# nbval's cells of one notebook form a group too (`make test` runs them in the same session).


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        marks = item.iter_markers("xdist_group")
        names = {str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in marks}
        if item.path.suffix == ".ipynb":  # nbval: one notebook's cells run in order in one kernel
            names.add("nbval-" + "-".join(item.path.relative_to(config.rootpath).with_suffix("").parts))
        if names and "@" not in item.nodeid.rpartition("]")[2]:
            item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(sorted(names))}")
    # longest work first, the many short unit tests last: xdist hands out groups in collection order, so a long
    # group collected late would run alone on one core at the end of the session
    items.sort(key=_duration_rank)  # stable: a notebook's cells and a group's tests keep their order


LONG_FIRST = (
    "tests/test_distributed.py", "tests/test_grader.py", "tests/test_honest_answers.py", "tests/test_pipeline.py",
    "tests/test_browser.py", "tests/test_site.py", "build/portability/", "solutions/",
)  # fmt: skip


def _duration_rank(item) -> int:
    where = item.nodeid.split("::", 1)[0]
    return next((rank for rank, prefix in enumerate(LONG_FIRST) if where.startswith(prefix)), len(LONG_FIRST))


# --- the hostile corpus, graded once per test session ------------------------------------------------------
# test_grader.py reads its grades; test_distributed.py grades a copy on a LocalCluster and compares. Both
# modules' corpus tests carry xdist_group("grader"), so under `--dist loadgroup` they share one worker and
# this session fixture is computed once (grading the corpus is the most expensive fixture of the suite).

CORPUS_OPTIONS = dict(
    exec_limits=ExecLimits(cell_seconds=10, notebook_seconds=120, interrupt_grace_seconds=3),  # slack for a loaded CI
    limits=Limits(memory_bytes=3 * 1024**3),
)


@pytest.fixture(scope="session")
def listener():
    """A loopback server outside the sandbox that no submission may reach: (port, accepted connections)."""
    server = socket.create_server(("127.0.0.1", 0))
    connections = []

    def accept():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            connections.append(conn)

    threading.Thread(target=accept, daemon=True).start()
    yield server.getsockname()[1], connections
    server.close()


@pytest.fixture(scope="session")
def hostile_corpus(tmp_path_factory, listener):
    """The toy course with one submission per case of tests/hostile_cases.py, graded with ``--jobs 2``."""
    import nbformat

    from coursekit.instructor.grader import GradeOptions, grade_course
    from coursekit.instructor.sandbox import sandbox_available

    from .hostile_cases import CASES
    from .toy_course import make_toy_course

    if sandbox_available() is not None:
        pytest.fail(f"the grading sandbox must work on CI machines: {sandbox_available()}")
    course = make_toy_course(tmp_path_factory.mktemp("course"))
    release = nbformat.read(course.release_path("toy"), as_version=4)
    for case in CASES:
        dest = course.root / "submitted" / case.name / "toy"
        dest.mkdir(parents=True)
        (dest / "toy.ipynb").write_bytes(case.build(release, str(course.root), listener[0]))
    report = grade_course(course, ["toy"], GradeOptions(jobs=2, log=lambda *_: None, **CORPUS_OPTIONS))
    return course, report
