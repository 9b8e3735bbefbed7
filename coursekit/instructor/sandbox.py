"""Start a student's kernel in a sandbox (bubblewrap), reachable only through Unix sockets.

The kernel process:

* runs in new mount, PID, network, IPC and UTS namespaces: no network at all, not even the grader's
  loopback; when the grader is root, bwrap sets up the namespaces as root and ``setpriv`` then drops to
  the real user ``nobody`` with no capabilities and ``no_new_privs``; otherwise an unprivileged user
  namespace (``bwrap --unshare-all``) keeps the grader's own uid;
* sees the file system read-only, with the course repository, the package's repository, ``/tmp``,
  home directories and ``/run`` replaced by empty tmpfs mounts; only the Python installation, the
  virtual environment, the ``coursekit`` package and the course's ``data/`` are bound back
  (read-only), plus one writable scratch directory that is the kernel's working directory;
* runs under ``prlimit`` limits: address space (memory), processes, file size, open files, CPU time;
* gets a clean environment (no tokens or paths of the grader leak in).

Jupyter's ``ipc`` transport puts the kernel's ZeroMQ sockets in the scratch directory, so the grader
talks to a kernel that has no network namespace in common with it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpec

NOBODY = 65534
HIDDEN = ("/tmp", "/var/tmp", "/root", "/home", "/run", "/dev/shm", "/mnt", "/media", "/srv")


@dataclass(frozen=True)
class Limits:
    memory_bytes: int = 4 * 1024**3  # address space per process, and the cgroup's memory (children included)
    processes: int = 1024  # threads count too: the cgroup's pids.max, and RLIMIT_NPROC of the kernel's own uid
    file_bytes: int = 256 * 1024**2
    open_files: int = 1024
    cpu_seconds: int = 1200
    scratch_bytes: int = 512 * 1024**2  # the kernel's writable tmpfs (its home and working directory)


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create namespaces here."""


def sandbox_available() -> str | None:
    """``None`` when the sandbox works here, else the reason it does not."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return "bubblewrap (bwrap) is not installed: `apt-get install bubblewrap` (Debian/Ubuntu)"
    probe = [bwrap, *_namespaces(), "--ro-bind", "/", "/", "--", *_drop_privileges(), "true"]
    result = subprocess.run(probe, capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        return f"bwrap cannot create namespaces here: {result.stderr.strip()}"
    return None


def _namespaces() -> list[str]:
    if os.geteuid() == 0:  # no user namespace: setpriv drops to the real nobody inside
        return ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
    return ["--unshare-all"]


def _drop_privileges(uid: int = NOBODY) -> list[str]:
    if os.geteuid() != 0:
        return []
    return [
        "setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
        "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--",
    ]  # fmt: skip


def _trusted_paths(extra: list[Path]) -> list[Path]:
    """What the kernel may read: Python itself, the venv, the coursekit package, course data."""
    import coursekit

    package = Path(coursekit.__file__).resolve().parent
    paths = [Path(sys.base_prefix), Path(sys.prefix), package, *extra]
    real_python = Path(os.path.realpath(sys.executable)).parent.parent
    paths.append(real_python)
    return sorted({p.resolve() for p in paths if p.exists()}, key=lambda p: len(p.parts))


SCRATCH = "/tmp"  # inside the sandbox: a size-limited tmpfs, the kernel's home and working directory
HIDDEN_SIZE = 1024 * 1024  # the other hidden directories: tiny tmpfs mounts, nothing to store there


def bwrap_command(
    workdir: Path, hide: list[Path], readable: list[Path], limits: Limits, uid: int = NOBODY
) -> list[str]:
    """The command line that runs ``python -m ipykernel_launcher -f {connection_file}`` sandboxed.

    ``workdir`` (on the host) holds only the connection file and the kernel's sockets; the kernel
    works in a fresh tmpfs of ``limits.scratch_bytes`` at :data:`SCRATCH`, shared with nothing.
    ``uid``: the user the kernel runs as when the grader is root (one per concurrent job).
    """
    args = ["bwrap", *_namespaces(), "--die-with-parent", "--new-session"]
    args += ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    for path in [*HIDDEN, *sorted({str(p.resolve()) for p in hide})]:
        if Path(path).exists():
            size = limits.scratch_bytes if path == SCRATCH else HIDDEN_SIZE
            mode = "1777" if path == SCRATCH else "0755"
            args += ["--perms", mode, "--size", str(size), "--tmpfs", str(path)]
    hidden = [Path(p) for p in HIDDEN] + [p.resolve() for p in hide]
    made: set[Path] = set()
    for path in [*_trusted_paths(readable), workdir.resolve()]:
        # bwrap creates missing mount points 0700: make the ones under a tmpfs traversable by the kernel
        for parent in reversed(path.parents):
            if parent not in made and any(parent != h and parent.is_relative_to(h) for h in hidden):
                args += ["--perms", "0755", "--dir", str(parent)]
                made.add(parent)
        mode = "--bind" if path == workdir.resolve() else "--ro-bind"
        args += [mode, str(path), str(path)]
    args += ["--chdir", SCRATCH, "--clearenv"]
    for key, value in _environment().items():
        args += ["--setenv", key, value]
    args += ["--", *_drop_privileges(uid), "prlimit", f"--as={limits.memory_bytes}", f"--nproc={limits.processes}"]
    args += [f"--fsize={limits.file_bytes}", f"--nofile={limits.open_files}", f"--cpu={limits.cpu_seconds}"]
    args += ["--core=0", "--", sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    args += ["--HistoryManager.hist_file=:memory:", "--IPKernelApp.parent_handle=0"]
    return args


def _environment() -> dict[str, str]:
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": SCRATCH,
        "USER": "student",  # the kernel's uid has no passwd entry; getpass.getuser() reads this first
        "LOGNAME": "student",
        "LANG": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "MPLCONFIGDIR": f"{SCRATCH}/.config/matplotlib",
        "IPYTHONDIR": f"{SCRATCH}/.ipython",
        "JUPYTER_RUNTIME_DIR": f"{SCRATCH}/.runtime",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
    }
    for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):  # keep the machine's BLAS workarounds
        if key in os.environ:
            env[key] = os.environ[key]
    return env


class SandboxKernelManager(KernelManager):
    """A KernelManager whose kernel is started by :func:`bwrap_command`, over ``ipc`` sockets."""

    def __init__(self, command: list[str], workdir: Path, startup_lines: list[str], uid: int = NOBODY, **kwargs):
        kwargs.setdefault("transport", "ipc")
        kwargs.setdefault("ip", str(workdir / "kernel-ipc"))
        kwargs.setdefault("connection_file", str(workdir / "kernel.json"))
        super().__init__(**kwargs)
        self._command = [*command, *(f"--IPKernelApp.exec_lines={line}" for line in startup_lines)]
        self._workdir = workdir
        self._uid = uid

    @property
    def kernel_spec(self):  # type: ignore[override]
        return KernelSpec(
            argv=self._command, language="python", display_name="sandboxed python3", interrupt_mode="message"
        )

    def write_connection_file(self, **kwargs):
        result = super().write_connection_file(**kwargs)
        if os.geteuid() == 0:  # readable by the kernel's user, writable by nobody but root
            os.chmod(self.connection_file, 0o644)
        return result

    def seal(self) -> None:
        """Once the kernel listens: its socket directory becomes read-only to it (no disk to fill there)."""
        if os.geteuid() == 0:
            os.chown(self._workdir, 0, 0)
            self._workdir.chmod(0o755)


def make_workdir(parent: Path, name: str, uid: int = NOBODY) -> Path:
    """The host directory for the kernel's connection file and sockets, writable by ``uid`` until sealed."""
    workdir = parent / name
    workdir.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        os.chown(workdir, uid, uid)
        workdir.chmod(0o700)
    parent.chmod(0o755)
    return workdir
