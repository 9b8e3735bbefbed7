"""Speed of coursekit.functional's vectorised conv2d and max-pool against PyTorch (CPU) and the naive loops.

Run ``python benchmarks/conv.py`` (or ``make bench``); ``run()`` returns the rows as dicts.

Each row times one forward *and* backward pass, float64, on identical inputs:

* ``coursekit``: ``conv2d_forward`` + ``conv2d_backward`` (``max_pool2d_*`` for pooling);
* ``torch``: ``torch.nn.functional.conv2d`` (``max_pool2d``) + autograd, with ``torch.set_num_threads``
  set to the number of threads NumPy's BLAS uses, so both libraries get the same cores;
* ``naive``: the loop versions. They are far too slow for the full batch, so they run on a reduced
  batch and the time is scaled per sample to the full batch (marked ``scaled``).

Times are the best of several repeats (the minimum is the least noisy estimate of the achievable time).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coursekit import functional as F  # noqa: E402

CONV_CASES = [  # (name, x shape, w shape, padding)
    ("conv2d x(64,16,16,16) w(32,16,3,3) p=1", (64, 16, 16, 16), (32, 16, 3, 3), 1),
    ("conv2d x(64,3,32,32) w(16,3,3,3) p=1", (64, 3, 32, 32), (16, 3, 3, 3), 1),
    ("conv2d x(128,1,8,8) w(8,1,3,3) p=1", (128, 1, 8, 8), (8, 1, 3, 3), 1),
]
POOL_CASES = [  # (name, x shape, kernel)
    ("max_pool2d x(64,32,16,16) k=2", (64, 32, 16, 16), 2),
    ("max_pool2d x(64,16,32,32) k=2", (64, 16, 32, 32), 2),
]
NAIVE_BATCH = 2  # samples the naive loops run on; their time is scaled to the full batch


def blas_threads() -> int:
    """Threads NumPy's BLAS uses now (threadpoolctl comes with scikit-learn, a coursekit dependency)."""
    from threadpoolctl import threadpool_info

    counts = [p["num_threads"] for p in threadpool_info() if p.get("user_api") == "blas"]
    return max(counts) if counts else os.cpu_count() or 1


def best_times(fns: list[Callable[[], object]], repeat: int) -> list[float]:
    """Best wall time of each function over ``repeat`` rounds, after one warm-up call each.

    The functions take turns within every round, so a burst of load on a shared machine slows all
    of them alike instead of biasing the ratio.
    """
    for fn in fns:
        fn()
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def _conv_timers(x, w, b, dout, padding):
    import torch

    def ours(forward=F.conv2d_forward, backward=F.conv2d_backward, n=None):
        xs, ds = (x, dout) if n is None else (x[:n], dout[:n])
        return lambda: backward(ds, forward(xs, w, b, padding=padding)[1])

    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    tdout = torch.tensor(dout)

    def torch_step():
        tx.grad = tw.grad = tb.grad = None
        torch.nn.functional.conv2d(tx, tw, tb, padding=padding).backward(tdout)

    naive = ours(F.conv2d_forward_naive, F.conv2d_backward_naive, n=NAIVE_BATCH)
    return ours(), torch_step, naive


def _pool_timers(x, dout, k):
    import torch

    tx, tdout = torch.tensor(x, requires_grad=True), torch.tensor(dout)

    def torch_step():
        tx.grad = None
        torch.nn.functional.max_pool2d(tx, k).backward(tdout)

    def ours(forward, backward, n):
        return lambda: backward(dout[:n], forward(x[:n], k)[1])

    n = x.shape[0]
    return (
        ours(F.max_pool2d_forward, F.max_pool2d_backward, n),
        torch_step,
        ours(F.max_pool2d_forward_naive, F.max_pool2d_backward_naive, NAIVE_BATCH),
    )


def _rows(case: str, batch: int, timers, repeat: int) -> list[dict]:
    ours, torch_step, naive = timers
    t_ours, t_torch = best_times([ours, torch_step], repeat)
    t_naive = best_times([naive], repeat=min(3, repeat))[0] * batch / NAIVE_BATCH
    return [
        {"case": case, "impl": "coursekit", "seconds": t_ours, "vs_torch": t_ours / t_torch,
         "naive_speedup": t_naive / t_ours, "note": ""},
        {"case": case, "impl": "torch", "seconds": t_torch, "vs_torch": 1.0,
         "naive_speedup": t_naive / t_torch, "note": ""},
        {"case": case, "impl": "naive", "seconds": t_naive, "vs_torch": t_naive / t_torch,
         "naive_speedup": 1.0, "note": f"scaled from batch {NAIVE_BATCH}"},
    ]  # fmt: skip


def run(repeat: int = 20, seed: int = 0, threads: int | None = None) -> list[dict]:
    """Time every case; return one dict per (case, implementation) with seconds and ratios.

    ``threads``: limit NumPy's BLAS and torch to this many threads (default: what BLAS uses now).
    """
    import torch
    from threadpoolctl import threadpool_limits

    threads = blas_threads() if threads is None else threads
    torch.set_num_threads(threads)
    with threadpool_limits(threads, user_api="blas"):
        return _run_cases(repeat, np.random.default_rng(seed))


def _run_cases(repeat: int, rng: np.random.Generator) -> list[dict]:
    rows = []
    for case, x_shape, w_shape, padding in CONV_CASES:
        x, w, b = rng.standard_normal(x_shape), rng.standard_normal(w_shape), rng.standard_normal(w_shape[0])
        out_shape = F.conv2d_forward(x[:1], w, b, padding=padding)[0].shape[1:]
        dout = rng.standard_normal((x_shape[0], *out_shape))
        rows += _rows(case, x_shape[0], _conv_timers(x, w, b, dout, padding), repeat)
    for case, x_shape, k in POOL_CASES:
        x = rng.standard_normal(x_shape)
        dout = rng.standard_normal(F.max_pool2d_forward(x, k)[0].shape)
        rows += _rows(case, x_shape[0], _pool_timers(x, dout, k), repeat)
    return rows


def format_table(rows: list[dict]) -> str:
    """A plain-text table: time in ms, ratio to torch, speed-up over the naive loops."""
    lines = [f"{'case':<42} {'impl':<10} {'ms':>11} {'x torch':>9} {'naive/this':>11}  note", "-" * 96]
    for r in rows:
        lines.append(
            f"{r['case']:<42} {r['impl']:<10} {1e3 * r['seconds']:>11.2f} {r['vs_torch']:>9.2f} "
            f"{r['naive_speedup']:>11.0f}  {r['note']}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    import argparse

    import torch

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=None, help="threads for BLAS and torch (default: BLAS's)")
    parser.add_argument("--repeat", type=int, default=20, help="rounds per timing; the best is kept")
    args = parser.parse_args(argv)
    threads = blas_threads() if args.threads is None else args.threads
    print(f"numpy {np.__version__}, torch {torch.__version__}, {threads} thread(s), float64, forward+backward")
    print(f"naive loops timed on a batch of {NAIVE_BATCH} and scaled per sample to the full batch\n")
    print(format_table(run(repeat=args.repeat, threads=threads)))


if __name__ == "__main__":
    main()
