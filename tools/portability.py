"""Portability check: re-execute the solution notebooks with the kernels another x86-64 CPU would use.

NumPy, OpenBLAS and PyTorch each pick their floating-point kernels for the CPU they run on (AVX-512,
AVX2, AVX or SSE loops; OpenBLAS's SkylakeX, Haswell, Sandybridge or Nehalem kernels; oneDNN's ISA).
The kernels round differently in the last bit, and chaotic training amplifies that: a notebook whose
outputs were recorded on one CPU can print other numbers on an instructor's laptop. Each library lets
us force an older kernel family through an environment variable, so one machine can play several:

=============  ==================  ============================  ====================  =================
setting        OPENBLAS_CORETYPE   NPY_DISABLE_CPU_FEATURES      ATEN_CPU_CAPABILITY   ONEDNN_MAX_CPU_ISA
=============  ==================  ============================  ====================  =================
avx512-server  SkylakeX            (none)                        avx512                AVX512_CORE
avx2-laptop    Haswell             X86_V4                        avx2                  AVX2
sandybridge    Sandybridge         X86_V3 X86_V4                 default               AVX
nehalem        Nehalem             X86_V3 X86_V4                 default               SSE41
=============  ==================  ============================  ====================  =================

A setting is used only when this CPU has the instructions it needs (the libraries do not check: a forced
AVX-512 kernel on an AVX2 CPU dies of an illegal instruction) and when it really differs from what the
libraries pick natively (``make test`` has already run nbval natively). The first ``--count`` such
settings run nbval on every solution notebook; all must pass. Usage::

    python tools/portability.py [--count 2] [--list] [pytest args, e.g. solutions/05_batchnorm]
    python tools/portability.py --stage build/portability [--count 2]

``--stage DIR`` runs nothing: it writes, for each chosen setting, a Jupyter kernelspec ``ck-<setting>``
whose environment forces that setting's kernels, and a copy of every solution notebook that names it
(``DIR/<setting>/<id>/<id>.ipynb``). ``make test`` then runs nbval on those copies, with
``JUPYTER_PATH=DIR``, in the same pytest session as everything else: the forced kernels run only in the
notebooks' kernels, which is where the notebooks compute, and the two cores stay busy to the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETTINGS: dict[str, tuple[set[str], dict[str, str]]] = {
    "avx2-laptop": (
        {"avx2", "fma"},
        {
            "OPENBLAS_CORETYPE": "Haswell",
            "NPY_DISABLE_CPU_FEATURES": "X86_V4",
            "ATEN_CPU_CAPABILITY": "avx2",
            "ONEDNN_MAX_CPU_ISA": "AVX2",
        },
    ),
    "sandybridge": (
        {"avx"},
        {
            "OPENBLAS_CORETYPE": "Sandybridge",
            "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4",
            "ATEN_CPU_CAPABILITY": "default",
            "ONEDNN_MAX_CPU_ISA": "AVX",
        },
    ),
    "nehalem": (
        {"sse4_2"},
        {
            "OPENBLAS_CORETYPE": "Nehalem",
            "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4",
            "ATEN_CPU_CAPABILITY": "default",
            "ONEDNN_MAX_CPU_ISA": "SSE41",
        },
    ),
    "avx512-server": (
        {"avx512f", "avx512bw", "avx512vl", "avx512dq"},
        {
            "OPENBLAS_CORETYPE": "SkylakeX",
            "NPY_DISABLE_CPU_FEATURES": "",
            "ATEN_CPU_CAPABILITY": "avx512",
            "ONEDNN_MAX_CPU_ISA": "AVX512_CORE",
        },
    ),
}
FORCING = ("OPENBLAS_CORETYPE", "NPY_DISABLE_CPU_FEATURES", "ATEN_CPU_CAPABILITY", "ONEDNN_MAX_CPU_ISA")
_PROBE = """
import json, numpy, threadpoolctl, torch
from numpy._core._multiarray_umath import __cpu_features__ as f
groups = [g for g in ("X86_V4", "X86_V3", "X86_V2") if f.get(g)]
blas = [i.get("architecture") for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"]
print(json.dumps({"numpy": groups[:1], "openblas": blas, "torch": torch.backends.cpu.get_cpu_capability()}))
"""


def cpu_flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


def kernels(env: dict[str, str]) -> dict:
    """The kernel families the three libraries pick in a child process with ``env``."""
    done = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def choose(count: int) -> list[tuple[str, dict[str, str], dict]]:
    base = {k: v for k, v in os.environ.items() if k not in FORCING}
    native = kernels(base)
    print(f"native kernels: {native}")
    flags, chosen = cpu_flags(), []
    for name, (needs, forced) in SETTINGS.items():
        if not needs <= flags:
            print(f"skip {name}: this CPU lacks {sorted(needs - flags)}")
            continue
        env = {**base, **forced}
        picked = kernels(env)
        if picked == native:
            print(f"skip {name}: the same kernels as native {picked}")
            continue
        chosen.append((name, env, picked))
        if len(chosen) == count:
            break
    return chosen


def stage(chosen: list[tuple[str, dict[str, str], dict]], where: Path) -> list[Path]:
    """Kernelspecs and notebook copies for ``chosen`` under ``where`` (see the module docstring)."""
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True)
    copies = []
    for name, env, picked in chosen:
        spec = where / "kernels" / f"ck-{name}"
        spec.mkdir(parents=True)
        kernelspec = {"name": f"ck-{name}", "display_name": f"Python 3 ({name} kernels)", "language": "python"}
        argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        forced = {key: env[key] for key in FORCING if key in env}
        (spec / "kernel.json").write_text(json.dumps({**kernelspec, "argv": argv, "env": forced}, indent=1))
        for notebook in sorted((ROOT / "solutions").glob("*/*.ipynb")):
            data = json.loads(notebook.read_text())
            data["metadata"]["kernelspec"] = kernelspec
            copy = where / name / notebook.parent.name / notebook.name
            copy.parent.mkdir(parents=True)
            copy.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
            copies.append(copy)
        seen = kernel_probe(where / "kernels", f"ck-{name}")
        if seen != picked:
            raise SystemExit(f"kernelspec ck-{name} runs {seen}, not the forced {picked}")
        print(f"staged {name}: a ck-{name} kernel runs {seen}; {len(copies)} notebook copies so far")
    return copies


def kernel_probe(kernel_dir: Path, name: str) -> dict:
    """What :func:`kernels` reports, asked of a kernel started from the kernelspec ``name``."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    manager = KernelManager(kernel_name=name, kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernel_dir)]))
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        lines: list[str] = []
        client.execute_interactive(
            _PROBE, output_hook=lambda m: lines.append(m["content"].get("text", "")), timeout=120
        )
        return json.loads("".join(lines))
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=2, help="how many forced settings to run (default 2)")
    parser.add_argument("--list", action="store_true", help="only say which settings would run")
    parser.add_argument("--stage", type=Path, help="write kernelspecs and notebook copies here; run nothing")
    args, pytest_args = parser.parse_known_args(argv)
    chosen = choose(args.count)
    if len(chosen) < args.count:
        print(f"only {len(chosen)} forced setting(s) differ from native on this CPU")
    print("forced settings:", ", ".join(f"{name} {picked}" for name, _, picked in chosen) or "none")
    if args.list or not chosen:
        return 0 if chosen or args.list else 1
    if args.stage:
        stage(chosen, args.stage.resolve())
        return 0
    failed = []
    for name, env, picked in chosen:
        print(f"\n=== nbval with the {name} kernels {picked}", flush=True)
        cmd = [
            str(Path(sys.executable).parent / "pytest"),
            "-n", "2", "-p", "no:cacheprovider", "-q", "--nbval", "--nbval-sanitize-with",
            "tests/nbval_sanitize.cfg", "--dist", "loadfile", *(pytest_args or ["solutions"]),
        ]  # fmt: skip
        if subprocess.run(cmd, env=env, cwd=ROOT, check=False).returncode != 0:
            failed.append(name)
    print(f"\nportability: {len(chosen) - len(failed)} of {len(chosen)} kernel settings pass nbval")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
