"""The reference run: the instructor's solution notebook executed once per assignment in a clean sandbox
(without the experiment cells tagged ``heavy``, which no test depends on).

Its test cells' records (``verdict.py``) are the expected values and tolerances that every submission of
that assignment is judged against, outside the student's process. A run is cached in memory (per grading
process, or per Dask worker) and on disk, keyed by the solution notebook's bytes, the grading helpers'
code and the versions of Python, NumPy and torch, so an edited solution or another environment runs it
again. ``COURSEKIT_REFERENCE_CACHE`` moves the disk cache (default: ``<course>/.coursekit/reference``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import nbformat

from .course import Course, PipelineError
from .verdict import Check, decode

_MEMORY: dict[str, dict[str, str]] = {}
_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_LOCK = threading.Lock()


def _digest(source_bytes: bytes) -> str:
    from importlib.metadata import PackageNotFoundError, version

    import coursekit.grading

    def installed(package: str) -> str:
        try:
            return version(package)
        except PackageNotFoundError:
            return "-"

    h = hashlib.sha256(source_bytes)
    h.update(Path(coursekit.grading.__file__).read_bytes())
    # versions read from metadata: importing torch in a grading thread is slow and not thread-safe
    h.update(f"{sys.version_info[:3]} {installed('numpy')} {installed('torch')}".encode())
    return h.hexdigest()[:24]


def _cache_dir(course: Course) -> Path:
    configured = os.environ.get("COURSEKIT_REFERENCE_CACHE")
    return Path(configured) if configured else course.root / ".coursekit" / "reference"


def reference_checks(course: Course, assignment: str, options, slot: int = 0) -> dict[str, list[Check]]:
    """``{grade_id: checks}`` of the instructor's solution of ``assignment`` (run once, then cached).

    Raises ``PipelineError`` if the solution fails one of its own tests: then no verdict can be trusted."""
    source_bytes = course.solution_path(assignment).read_bytes()
    key = f"{assignment}-{_digest(source_bytes)}"
    with _LOCKS_LOCK:
        lock = _LOCKS.setdefault(key, threading.Lock())
    with lock:  # concurrent submissions of one assignment wait for one reference run
        if key not in _MEMORY:
            with _across_processes(course, key):  # and so do other grading processes sharing the cache
                _MEMORY[key] = _load(course, key) or _run(course, assignment, source_bytes, options, slot, key)
        raw = _MEMORY[key]
    return {grade_id: decode(text) for grade_id, text in raw.items()}


@contextlib.contextmanager
def _across_processes(course: Course, key: str) -> Iterator[None]:
    """An advisory lock on the cache entry (``fcntl.flock``); without a writable cache, no lock."""
    import fcntl

    try:
        directory = _cache_dir(course)
        directory.mkdir(parents=True, exist_ok=True)
        handle = open(directory / f".{key}.lock", "w")  # noqa: SIM115 (closed below)
    except OSError:
        yield
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        handle.close()  # releases the lock


def _load(course: Course, key: str) -> dict[str, str] | None:
    path = _cache_dir(course) / f"{key}.json"
    try:
        raw = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
        return None
    return raw


def _run(course: Course, assignment: str, source_bytes: bytes, options, slot: int, key: str) -> dict[str, str]:
    from .grader import Outcome, _run_sandboxed

    nb = nbformat.reads(source_bytes.decode("utf-8"), as_version=4)
    # experiments tagged ``heavy`` feed no test (``tools/check_notebook.py`` proves the tests pass without them)
    nb.cells = [cell for cell in nb.cells if "heavy" not in cell.metadata.get("tags", [])]
    outcome = Outcome("(reference)", assignment)
    _run_sandboxed(course, nb, outcome, options, slot)
    raw: dict[str, str] = {}
    for index, result in outcome.cells.items():
        grade_id = nb.cells[index].metadata.get("nbgrader", {}).get("grade_id", str(index))
        if result.status != "ok" or result.records is None:
            raise PipelineError(
                f"{assignment}: the instructor's solution fails its own test {grade_id} in the grader's sandbox "
                f"({result.status}: {result.detail}); no submission can be judged against it"
            )
        raw[grade_id] = result.records
    options.log(f"{assignment}: reference run of the instructor's solution recorded ({len(raw)} test cells)")
    directory = _cache_dir(course)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        tmp = directory / f".{key}.{os.getpid()}.{threading.get_ident()}.tmp"
        tmp.write_text(json.dumps(raw))
        tmp.replace(directory / f"{key}.json")  # atomic: a concurrent reader sees all or nothing
    except OSError:
        pass  # a read-only course still grades; the run is kept in memory
    return raw
