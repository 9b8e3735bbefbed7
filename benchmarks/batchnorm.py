"""Speed of coursekit.functional's batch norm (forward + backward, training mode) against PyTorch.

Run ``python benchmarks/batchnorm.py``; ``run()`` returns rows in the same format as ``conv.py``.
``naive`` here is the same forward followed by the step-by-step backward through the computational graph
that notebook 05 derives (kept in this file), against the closed-form backward coursekit ships.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.conv import best_times, blas_threads  # noqa: E402
from coursekit import functional as F  # noqa: E402

CASES = [("batchnorm x(256,512)", (256, 512)), ("batchnorm x(64,32,16,16)", (64, 32, 16, 16))]


def graph_backward(dout, x, gamma, eps=1e-5):
    """Backward through every node of the batch-norm graph (mean, centre, variance, inverse std)."""
    axes = (0,) if x.ndim == 2 else (0, 2, 3)
    shape = (1, -1) if x.ndim == 2 else (1, -1, 1, 1)
    m = x.size / x.shape[1]
    mu = x.mean(axis=axes, keepdims=True)
    xc = x - mu
    var = (xc**2).mean(axis=axes, keepdims=True)
    inv = 1.0 / np.sqrt(var + eps)
    xhat = xc * inv
    dgamma = (dout * xhat).sum(axis=axes)
    dbeta = dout.sum(axis=axes)
    dxhat = dout * gamma.reshape(shape)
    dinv = (dxhat * xc).sum(axis=axes, keepdims=True)
    dvar = dinv * -0.5 * (var + eps) ** -1.5
    dxc = dxhat * inv + dvar * 2.0 * xc / m
    dmu = -dxc.sum(axis=axes, keepdims=True)
    return dxc + dmu / m, dgamma, dbeta


def _timers(x, gamma, beta, dout):
    import torch

    c = x.shape[1]

    def ours():
        rm, rv = np.zeros(c), np.ones(c)
        out, cache = F.batchnorm_forward(x, gamma, beta, rm, rv, training=True)
        return F.batchnorm_backward(dout, cache)

    def naive():
        rm, rv = np.zeros(c), np.ones(c)
        F.batchnorm_forward(x, gamma, beta, rm, rv, training=True)
        return graph_backward(dout, x, gamma)

    tx = torch.tensor(x, requires_grad=True)
    tg, tb = torch.tensor(gamma, requires_grad=True), torch.tensor(beta, requires_grad=True)
    td = torch.tensor(dout)

    def torch_step():
        rm, rv = torch.zeros(c, dtype=torch.float64), torch.ones(c, dtype=torch.float64)
        out = torch.nn.functional.batch_norm(tx, rm, rv, tg, tb, training=True)
        return torch.autograd.grad(out, (tx, tg, tb), td)

    return ours, torch_step, naive


def run(repeat: int = 20, seed: int = 0, threads: int | None = None) -> list[dict]:
    import torch
    from threadpoolctl import threadpool_limits

    threads = blas_threads() if threads is None else threads
    torch.set_num_threads(threads)
    rng = np.random.default_rng(seed)
    rows = []
    with threadpool_limits(threads, user_api="blas"):
        for case, shape in CASES:
            x, dout = rng.standard_normal(shape), rng.standard_normal(shape)
            gamma, beta = rng.standard_normal(shape[1]), rng.standard_normal(shape[1])
            ours, torch_step, naive = _timers(x, gamma, beta, dout)
            t_ours, t_torch, t_naive = best_times([ours, torch_step, naive], repeat)
            rows += [
                {"case": case, "impl": "coursekit", "seconds": t_ours, "vs_torch": t_ours / t_torch,
                 "naive_speedup": t_naive / t_ours, "note": "forward + closed-form backward"},
                {"case": case, "impl": "torch", "seconds": t_torch, "vs_torch": 1.0,
                 "naive_speedup": t_naive / t_torch, "note": ""},
                {"case": case, "impl": "naive", "seconds": t_naive, "vs_torch": t_naive / t_torch,
                 "naive_speedup": 1.0, "note": "same forward + node-by-node graph backward"},
            ]  # fmt: skip
    return rows


if __name__ == "__main__":
    from benchmarks.conv import format_table

    print(format_table(run()))
