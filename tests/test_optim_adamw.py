"""coursekit.optim.AdamW and WarmupCosineLR against torch.optim (float64): trajectories, schedules, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from coursekit import optim

from .test_optim import Param, make_pair

TOL = 1e-12
SHAPES = [(3, 4), (5,)]


def step_both(opt, topt, ours, theirs, grads) -> None:
    for p, t, g in zip(ours, theirs, grads, strict=True):
        p.grad[...] = g
        t.grad = torch.tensor(g.copy())
    opt.step()
    topt.step()


def assert_same(ours, theirs, rtol: float = TOL) -> None:
    for p, t in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(p.data, t.detach().numpy(), rtol=rtol, atol=1e-14)


# ----------------------------------------------------------------------------------------------
# AdamW
# ----------------------------------------------------------------------------------------------

ADAMW_CASES = [
    dict(lr=0.01),
    dict(lr=0.05, weight_decay=0.3),
    dict(lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
    dict(lr=0.01, weight_decay=0.2, amsgrad=True),
    dict(lr=0.03, weight_decay=0.0),
]


@pytest.mark.parametrize("kwargs", ADAMW_CASES, ids=[str(k) for k in ADAMW_CASES])
def test_adamw_follows_torch_with_random_gradients(kwargs):
    ours, theirs = make_pair()
    opt, topt = optim.AdamW(ours, **kwargs), torch.optim.AdamW(theirs, **kwargs)
    rng = np.random.default_rng(1)
    for _ in range(30):
        step_both(opt, topt, ours, theirs, [rng.standard_normal(s) for s in SHAPES])
        assert_same(ours, theirs)
    for p, t in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(opt.state[p]["exp_avg"], topt.state[t]["exp_avg"].numpy(), rtol=TOL, atol=0)
        np.testing.assert_allclose(opt.state[p]["exp_avg_sq"], topt.state[t]["exp_avg_sq"].numpy(), rtol=TOL, atol=0)


def test_adamw_follows_torch_on_a_quadratic_bowl_with_autograd_gradients():
    rng = np.random.default_rng(2)
    m = rng.standard_normal((5, 5))
    a, b = m @ m.T + np.eye(5), rng.standard_normal(5)
    ours = [Param(rng.standard_normal(5))]
    theirs = [torch.tensor(ours[0].data.copy(), requires_grad=True)]
    opt, topt = optim.AdamW(ours, lr=0.05, weight_decay=0.5), torch.optim.AdamW(theirs, lr=0.05, weight_decay=0.5)
    at, bt = torch.tensor(a), torch.tensor(b)
    for _ in range(40):
        ours[0].grad[...] = a @ ours[0].data - b
        topt.zero_grad()
        (0.5 * theirs[0] @ at @ theirs[0] - bt @ theirs[0]).backward()
        opt.step()
        topt.step()
        assert_same(ours, theirs)


def test_adamw_default_weight_decay_is_torchs():
    ours, _ = make_pair()
    assert optim.AdamW(ours).param_groups[0]["weight_decay"] == 1e-2
    assert torch.optim.AdamW([torch.zeros(1, requires_grad=True)]).param_groups[0]["weight_decay"] == 1e-2


def test_adamw_changing_lr_mid_run_matches_torch():
    ours, theirs = make_pair()
    opt, topt = optim.AdamW(ours, lr=0.02, weight_decay=0.4), torch.optim.AdamW(theirs, lr=0.02, weight_decay=0.4)
    rng = np.random.default_rng(3)
    for k in range(20):
        if k == 8:
            opt.lr = 0.005
            topt.param_groups[0]["lr"] = 0.005
        step_both(opt, topt, ours, theirs, [rng.standard_normal(s) for s in SHAPES])
        assert_same(ours, theirs)


def test_adamw_with_zero_gradient_only_decays():
    p = Param(np.array([2.0, -4.0]))
    opt = optim.AdamW([p], lr=0.1, weight_decay=0.5)
    opt.step()
    np.testing.assert_allclose(p.data, np.array([2.0, -4.0]) * (1 - 0.1 * 0.5), rtol=1e-15, atol=0)


def test_adamw_differs_from_adam_with_l2():
    # the point of AdamW: the decay does not go through the adaptive scaling
    ours_w, ours_l2 = make_pair()[0], make_pair()[0]
    opt_w, opt_l2 = optim.AdamW(ours_w, lr=0.05, weight_decay=0.5), optim.Adam(ours_l2, lr=0.05, weight_decay=0.5)
    rng = np.random.default_rng(4)
    for _ in range(10):
        grads = [rng.standard_normal(s) for s in SHAPES]
        for p, q, g in zip(ours_w, ours_l2, grads, strict=True):
            p.grad[...], q.grad[...] = g, g
        opt_w.step()
        opt_l2.step()
    assert np.abs(ours_w[0].data - ours_l2[0].data).max() > 1e-3


def test_adamw_leaves_gradients_unchanged():
    ours, _ = make_pair()
    opt = optim.AdamW(ours, lr=0.1, weight_decay=0.3)
    for p in ours:
        p.grad[...] = 1.5
    opt.step()
    for p in ours:
        assert np.all(p.grad == 1.5)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(lr=-0.1), "lr"),
        (dict(weight_decay=-1e-3), "weight_decay"),
        (dict(eps=-1e-8), "eps"),
        (dict(betas=(0.9, 1.0)), "betas"),
        (dict(betas=(0.9,)), "betas"),
    ],
)
def test_adamw_bad_arguments_raise_value_error_naming_them(kwargs, match):
    with pytest.raises(ValueError, match=match):
        optim.AdamW(make_pair()[0], **kwargs)


def test_adamw_rejects_non_parameters():
    with pytest.raises(TypeError, match="AdamW"):
        optim.AdamW([np.zeros(3)])


# ----------------------------------------------------------------------------------------------
# WarmupCosineLR
# ----------------------------------------------------------------------------------------------


def torch_warmup_cosine(topt, warmup, total, min_lr):
    sched = torch.optim.lr_scheduler
    cosine = sched.CosineAnnealingLR(topt, T_max=total - warmup, eta_min=min_lr)
    if warmup == 0:
        return cosine
    linear = sched.LinearLR(topt, start_factor=1.0 / warmup, end_factor=1.0, total_iters=warmup - 1)
    return sched.SequentialLR(topt, [linear, cosine], milestones=[warmup])


def lr_sequences(warmup, total, min_lr, lr=0.4, steps=None):
    """Learning rates (before each step) of ours and torch's, for `steps` scheduler steps."""
    ours, theirs = make_pair()
    opt, topt = optim.SGD(ours, lr=lr), torch.optim.SGD(theirs, lr=lr)
    sched = optim.WarmupCosineLR(opt, warmup_steps=warmup, total_steps=total, min_lr=min_lr)
    tsched = torch_warmup_cosine(topt, warmup, total, min_lr)
    mine, ref = [], []
    for _ in range(total + 1 if steps is None else steps):
        mine.append(opt.lr)
        ref.append(topt.param_groups[0]["lr"])
        assert sched.get_last_lr() == [opt.lr]
        topt.step()
        sched.step()
        tsched.step()
    return np.array(mine), np.array(ref)


@pytest.mark.parametrize(("warmup", "total", "min_lr"), [(5, 30, 0.0), (1, 12, 0.01), (0, 10, 0.0), (3, 4, 0.05)])
def test_warmup_cosine_matches_torch_sequential_lr_up_to_total_steps(warmup, total, min_lr):
    mine, ref = lr_sequences(warmup, total, min_lr)
    np.testing.assert_allclose(mine, ref, rtol=1e-12, atol=1e-15)


def test_warmup_cosine_closed_form_and_landmarks():
    mine, _ = lr_sequences(4, 14, 0.02, lr=0.4)
    t = np.arange(15)
    cos = 0.02 + 0.5 * (0.4 - 0.02) * (1 + np.cos(np.pi * (t - 4) / 10))
    expected = np.where(t < 4, 0.4 * (t + 1) / 4, cos)
    np.testing.assert_allclose(mine, expected, rtol=1e-14, atol=0)
    assert mine[0] == pytest.approx(0.1, rel=1e-15)  # never 0 on the first step
    assert mine[3] == mine[4] == pytest.approx(0.4, rel=1e-15)  # the peak, twice
    assert mine[14] == pytest.approx(0.02, rel=1e-14)


def test_warmup_cosine_stays_at_min_lr_after_total_steps():
    mine, _ = lr_sequences(2, 6, 0.03, steps=12)
    np.testing.assert_allclose(mine[6:], 0.03, rtol=1e-14, atol=0)


def test_warmup_cosine_scales_every_group_from_its_base_lr():
    ours = make_pair()[0]
    opt = optim.SGD([{"params": [ours[0]], "lr": 0.2}, {"params": [ours[1]], "lr": 0.6}], lr=0.1)
    sched = optim.WarmupCosineLR(opt, warmup_steps=2, total_steps=6)
    assert sched.get_last_lr() == pytest.approx([0.1, 0.3], rel=1e-15)
    for _ in range(4):
        sched.step()
    half = 0.5 * (1 + math.cos(math.pi * 2 / 4))
    assert sched.get_last_lr() == pytest.approx([0.2 * half, 0.6 * half], rel=1e-14)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(warmup_steps=-1, total_steps=10), "warmup_steps"),
        (dict(warmup_steps=2.5, total_steps=10), "warmup_steps"),
        (dict(warmup_steps=2, total_steps=10.0), "total_steps"),
        (dict(warmup_steps=10, total_steps=10), "total_steps"),
        (dict(warmup_steps=0, total_steps=0), "total_steps"),
        (dict(warmup_steps=1, total_steps=10, min_lr=-0.1), "min_lr"),
    ],
)
def test_warmup_cosine_bad_arguments_raise_value_error_naming_them(kwargs, match):
    with pytest.raises(ValueError, match=match):
        optim.WarmupCosineLR(optim.SGD(make_pair()[0], lr=0.1), **kwargs)


def test_warmup_cosine_rejects_a_non_optimizer():
    with pytest.raises(TypeError, match="WarmupCosineLR"):
        optim.WarmupCosineLR(object(), warmup_steps=1, total_steps=5)
