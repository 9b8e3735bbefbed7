"""Per-submission isolation: a uid of its own and, where the machine allows it, a cgroup of its own.

``uid_for(slot)``: a numeric uid (no passwd entry needed) for each concurrent grading job, so that
per-uid limits (``RLIMIT_NPROC``) and file ownership are never shared between two students' kernels.
Uids are drawn from a range keyed by the grader's pid, so two grading runs at once do not share them.

``Cgroup.create(name, limits)``: a control group with a pids limit and a memory limit that counts the
kernel *and every child* (plus the tmpfs pages they write). It works with

* cgroup v2 (``/sys/fs/cgroup/cgroup.controllers``): a child of the grader's own group, with the
  ``pids`` and ``memory`` controllers enabled in that group's ``cgroup.subtree_control``;
* cgroup v1 (``/sys/fs/cgroup/pids`` and ``/sys/fs/cgroup/memory`` hierarchies, as on this machine):
  one child in each hierarchy, under the grader's own group there.

Where neither can be created (not root, no delegation, read-only ``/sys/fs/cgroup``), ``create``
returns ``None`` and the documented fallback applies: ``RLIMIT_AS`` per process and ``RLIMIT_NPROC``
per uid (effective as a pids limit because each kernel has its own uid when the grader is root).
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
UID_BASE = 200_000  # far above any login user; numeric only
UIDS_PER_RUN = 64


def uid_for(slot: int) -> int:
    """The uid of concurrent job ``slot`` (0-based) of this grading process."""
    if not 0 <= slot < UIDS_PER_RUN:
        raise ValueError(f"uid_for: slot must be in [0, {UIDS_PER_RUN}), got {slot}")
    return UID_BASE + (os.getpid() % 10_000) * UIDS_PER_RUN + slot


def _own_group(controller: str) -> str:
    """The grader's group path for ``controller`` (v1) or the unified hierarchy (``controller=''``)."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, names, path = line.split(":", 2)
        if (controller == "" and names == "") or controller in names.split(","):
            return path.lstrip("/")
    raise LookupError(f"no {controller or 'unified'} cgroup for this process")


@dataclass
class Cgroup:
    """One submission's control group(s): ``dirs`` (one per v1 hierarchy, or the single v2 one)."""

    dirs: list[Path]
    version: int

    @classmethod
    def create(cls, name: str, memory_bytes: int, pids: int) -> Cgroup | None:
        """A new group limited to ``memory_bytes`` (kernel + children) and ``pids`` tasks, or ``None``."""
        if os.geteuid() != 0:
            return None
        for make in (cls._create_v2, cls._create_v1):
            try:
                group = make(name, memory_bytes, pids)
            except (OSError, LookupError):
                continue
            if group is not None:
                return group
        return None

    @classmethod
    def _create_v2(cls, name: str, memory_bytes: int, pids: int) -> Cgroup | None:
        if not (CGROUP_ROOT / "cgroup.controllers").exists():
            return None
        parent = CGROUP_ROOT / _own_group("")
        enabled = (parent / "cgroup.subtree_control").read_text().split()
        if not {"pids", "memory"} <= set(enabled):
            (parent / "cgroup.subtree_control").write_text("+pids +memory")
        group = parent / name
        group.mkdir()
        (group / "pids.max").write_text(str(pids))
        (group / "memory.max").write_text(str(memory_bytes))
        if (group / "memory.swap.max").exists():
            (group / "memory.swap.max").write_text("0")
        return cls([group], 2)

    @classmethod
    def _create_v1(cls, name: str, memory_bytes: int, pids: int) -> Cgroup | None:
        pids_root, memory_root = CGROUP_ROOT / "pids", CGROUP_ROOT / "memory"
        if not ((pids_root / "cgroup.procs").exists() and (memory_root / "cgroup.procs").exists()):
            return None
        pid_group = pids_root / _own_group("pids") / name
        mem_group = memory_root / _own_group("memory") / name
        pid_group.mkdir()
        try:
            mem_group.mkdir()
            (pid_group / "pids.max").write_text(str(pids))
            (mem_group / "memory.limit_in_bytes").write_text(str(memory_bytes))
            swap = mem_group / "memory.memsw.limit_in_bytes"
            if swap.exists():  # memory + swap: no escaping the limit into swap
                swap.write_text(str(memory_bytes))
        except OSError:
            cls([pid_group, mem_group], 1).remove()
            raise
        return cls([pid_group, mem_group], 1)

    def wrap(self, command: list[str]) -> list[str]:
        """``command``, started inside this group (a shell joins it, then execs the command)."""
        joins = "; ".join(f"echo $$ > {d / 'cgroup.procs'}" for d in self.dirs)
        return ["/bin/sh", "-c", f'{joins}; exec "$@"', "coursekit-kernel", *command]

    def pids(self) -> list[int]:
        found: set[int] = set()
        for d in self.dirs:
            try:
                found |= {int(p) for p in (d / "cgroup.procs").read_text().split()}
            except OSError:
                continue
        return sorted(found)

    def memory_limit_hit(self) -> bool:
        """Did the kernel or a child get killed (or throttled) for reaching the memory limit?"""
        for d in self.dirs:
            for name in ("memory.events", "memory.oom_control"):  # v2, v1
                path = d / name
                if path.exists():
                    counts = dict(line.split()[:2] for line in path.read_text().splitlines() if line.strip())
                    return any(int(counts.get(key, 0)) > 0 for key in ("max", "oom", "oom_kill"))
        return False

    def remove(self, timeout: float = 10.0) -> None:
        """Kill every process left in the group, then delete it (never raises)."""
        deadline = time.monotonic() + timeout
        while True:
            left = self.pids()
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            for d in self.dirs:
                try:
                    d.rmdir()
                except FileNotFoundError:
                    pass
                except OSError:
                    continue
            if not any(d.exists() for d in self.dirs) or time.monotonic() > deadline:
                return
            time.sleep(0.05)
