"""coursekit.optim against torch.optim (float64): trajectories, schedules and gradient clipping."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from coursekit import optim

TOL = 1e-10
STEPS = 20
SHAPES = [(3, 4), (5,)]


class Param:
    """Minimal stand-in for coursekit.nn.Parameter: .data and .grad arrays."""

    def __init__(self, data: np.ndarray) -> None:
        self.data = np.array(data, dtype=np.float64)
        self.grad = np.zeros_like(self.data)


def make_pair(seed: int = 0) -> tuple[list[Param], list[torch.Tensor]]:
    rng = np.random.default_rng(seed)
    ours = [Param(rng.standard_normal(s)) for s in SHAPES]
    theirs = [torch.tensor(p.data.copy(), requires_grad=True) for p in ours]
    return ours, theirs


def feed(ours: list[Param], theirs: list[torch.Tensor], grads: list[np.ndarray]) -> None:
    for p, t, g in zip(ours, theirs, grads, strict=True):
        p.grad[...] = g
        t.grad = torch.tensor(g.copy())


def assert_same(ours: list[Param], theirs: list[torch.Tensor]) -> None:
    for p, t in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(p.data, t.detach().numpy(), rtol=TOL, atol=TOL)


def run_random(ours_opt, torch_opt, ours, theirs, rng, steps=STEPS, on_step=None) -> None:
    for k in range(steps):
        if on_step is not None:
            on_step(k)
        feed(ours, theirs, [rng.standard_normal(s) for s in SHAPES])
        ours_opt.step()
        torch_opt.step()
        assert_same(ours, theirs)


CASES = [
    ("sgd", dict(lr=0.1), optim.SGD, torch.optim.SGD),
    ("sgd_momentum", dict(lr=0.05, momentum=0.9), optim.SGD, torch.optim.SGD),
    ("sgd_nesterov", dict(lr=0.05, momentum=0.9, nesterov=True), optim.SGD, torch.optim.SGD),
    ("sgd_dampening", dict(lr=0.05, momentum=0.8, dampening=0.3), optim.SGD, torch.optim.SGD),
    ("sgd_weight_decay", dict(lr=0.05, momentum=0.9, weight_decay=0.01), optim.SGD, torch.optim.SGD),
    ("adagrad", dict(lr=0.1), optim.AdaGrad, torch.optim.Adagrad),
    ("adagrad_decay", dict(lr=0.1, lr_decay=0.05, weight_decay=0.1), optim.AdaGrad, torch.optim.Adagrad),
    (
        "adagrad_init_acc",
        dict(lr=0.1, eps=1e-6, initial_accumulator_value=0.5),
        optim.AdaGrad,
        torch.optim.Adagrad,
    ),
    ("rmsprop", dict(lr=0.01), optim.RMSprop, torch.optim.RMSprop),
    ("rmsprop_centered", dict(lr=0.01, alpha=0.9, centered=True), optim.RMSprop, torch.optim.RMSprop),
    (
        "rmsprop_momentum_centered_wd",
        dict(lr=0.01, momentum=0.9, centered=True, weight_decay=0.1),
        optim.RMSprop,
        torch.optim.RMSprop,
    ),
    ("adam", dict(lr=0.01), optim.Adam, torch.optim.Adam),
    ("adam_betas_wd", dict(lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1), optim.Adam, torch.optim.Adam),
    ("adam_amsgrad", dict(lr=0.01, amsgrad=True), optim.Adam, torch.optim.Adam),
]


@pytest.mark.parametrize(("case", "kwargs", "ours_cls", "torch_cls"), CASES, ids=[c[0] for c in CASES])
def test_optimizer_follows_torch_trajectory_with_random_gradients(case, kwargs, ours_cls, torch_cls):
    ours, theirs = make_pair()
    rng = np.random.default_rng(1)
    run_random(ours_cls(ours, **kwargs), torch_cls(theirs, **kwargs), ours, theirs, rng)


@pytest.mark.parametrize(("case", "kwargs", "ours_cls", "torch_cls"), CASES, ids=[c[0] for c in CASES])
def test_optimizer_follows_torch_on_a_quadratic_bowl(case, kwargs, ours_cls, torch_cls):
    # gradients of L(w) = 1/2 w^T A w - b^T w computed by each side from its own weights
    rng = np.random.default_rng(2)
    m = rng.standard_normal((5, 5))
    a, b = m @ m.T + np.eye(5), rng.standard_normal(5)
    ours = [Param(rng.standard_normal(5))]
    theirs = [torch.tensor(ours[0].data.copy(), requires_grad=True)]
    opt, topt = ours_cls(ours, **kwargs), torch_cls(theirs, **kwargs)
    at, bt = torch.tensor(a), torch.tensor(b)
    for _ in range(STEPS):
        ours[0].grad[...] = a @ ours[0].data - b
        topt.zero_grad()
        (0.5 * theirs[0] @ at @ theirs[0] - bt @ theirs[0]).backward()
        opt.step()
        topt.step()
        assert_same(ours, theirs)


@pytest.mark.parametrize(
    ("ours_cls", "torch_cls", "kwargs"),
    [
        (optim.SGD, torch.optim.SGD, dict(lr=0.1, momentum=0.9)),
        (optim.AdaGrad, torch.optim.Adagrad, dict(lr=0.1)),
        (optim.RMSprop, torch.optim.RMSprop, dict(lr=0.01, momentum=0.5)),
        (optim.Adam, torch.optim.Adam, dict(lr=0.01)),
    ],
)
def test_changing_lr_mid_run_matches_torch(ours_cls, torch_cls, kwargs):
    ours, theirs = make_pair()
    opt, topt = ours_cls(ours, **kwargs), torch_cls(theirs, **kwargs)

    def change_lr(k: int) -> None:
        if k == 7:
            opt.lr = opt.lr * 0.3
            for group in topt.param_groups:
                group["lr"] *= 0.3

    run_random(opt, topt, ours, theirs, np.random.default_rng(3), on_step=change_lr)
    assert opt.lr == pytest.approx(topt.param_groups[0]["lr"], rel=1e-15)


def test_param_groups_with_their_own_lr_match_torch():
    ours, theirs = make_pair()
    opt = optim.SGD([{"params": [ours[0]]}, {"params": [ours[1]], "lr": 0.01}], lr=0.1, momentum=0.9)
    topt = torch.optim.SGD([{"params": [theirs[0]]}, {"params": [theirs[1]], "lr": 0.01}], lr=0.1, momentum=0.9)
    run_random(opt, topt, ours, theirs, np.random.default_rng(4))


def test_setting_lr_sets_every_group():
    ours, _ = make_pair()
    opt = optim.Adam([{"params": [ours[0]], "lr": 0.5}, {"params": [ours[1]]}])
    opt.lr = 0.2
    assert [g["lr"] for g in opt.param_groups] == [0.2, 0.2]


def test_zero_grad_sets_zeros_in_place():
    ours, _ = make_pair()
    grads = [p.grad for p in ours]
    for p in ours:
        p.grad += 1.0
    optim.SGD(ours, lr=0.1).zero_grad()
    for p, g in zip(ours, grads, strict=True):
        assert p.grad is g and not p.grad.any()


def test_step_updates_data_in_place():
    ours, _ = make_pair()
    arrays = [p.data for p in ours]
    for p in ours:
        p.grad += 1.0
    optim.Adam(ours).step()
    assert all(p.data is a for p, a in zip(ours, arrays, strict=True))


def test_state_is_keyed_by_parameter():
    ours, _ = make_pair()
    opt = optim.Adam(ours)
    for p in ours:
        p.grad += 1.0
    opt.step()
    opt.step()
    assert opt.state[ours[0]]["step"] == 2
    assert opt.state[ours[1]]["exp_avg"].shape == ours[1].data.shape
    assert len(opt.state) == 2


def test_sgd_momentum_matches_the_lecture_form_for_constant_lr():
    # lecture: v <- mu v - lr g; w <- w + v
    ours, _ = make_pair()
    w = ours[0].data.copy()
    v = np.zeros_like(w)
    opt = optim.SGD([ours[0]], lr=0.1, momentum=0.9)
    rng = np.random.default_rng(5)
    for _ in range(STEPS):
        g = rng.standard_normal(w.shape)
        ours[0].grad[...] = g
        opt.step()
        v = 0.9 * v - 0.1 * g
        w = w + v
    np.testing.assert_allclose(ours[0].data, w, rtol=TOL, atol=TOL)


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda ps: optim.SGD(ps, lr=-0.1), "lr"),
        (lambda ps: optim.SGD(ps, lr=0.1, momentum=-0.5), "momentum"),
        (lambda ps: optim.SGD(ps, lr=0.1, nesterov=True), "nesterov"),
        (lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.1, nesterov=True), "nesterov"),
        (lambda ps: optim.SGD(ps, lr=0.1, weight_decay=-1.0), "weight_decay"),
        (lambda ps: optim.AdaGrad(ps, eps=-1.0), "eps"),
        (lambda ps: optim.RMSprop(ps, alpha=-0.1), "alpha"),
        (lambda ps: optim.Adam(ps, betas=(1.0, 0.999)), "betas"),
        (lambda ps: optim.Adam(ps, betas=(0.9, -0.1)), "betas"),
        (lambda ps: optim.Adam(ps, lr=float("nan")), "lr"),
        (lambda ps: optim.SGD([], lr=0.1), "empty"),
        (lambda ps: optim.SGD([ps[0], ps[0]], lr=0.1), "more than once"),
        (lambda ps: optim.SGD([{"params": ps, "betas": (0.9, 0.9)}], lr=0.1), "betas"),
    ],
)
def test_bad_arguments_raise_value_error_naming_them(make, match):
    ours, _ = make_pair()
    with pytest.raises(ValueError, match=match):
        make(ours)


def test_setting_a_negative_lr_raises():
    opt = optim.SGD(make_pair()[0], lr=0.1)
    with pytest.raises(ValueError, match="lr"):
        opt.lr = -1.0


def test_non_parameters_raise_type_error():
    with pytest.raises(TypeError, match=r"\.data and \.grad"):
        optim.SGD([np.zeros(3)], lr=0.1)


def test_sgd_positional_arguments_stop_after_momentum():
    with pytest.raises(TypeError):
        optim.SGD(make_pair()[0], 0.1, 0.9, 0.0)


# ----------------------------------------------------------------------------------------------
# Schedules
# ----------------------------------------------------------------------------------------------


def run_schedules(ours_sched_fn, torch_sched_fn, epochs: int = 25, lr: float = 0.5) -> None:
    ours, theirs = make_pair()
    opt, topt = optim.SGD(ours, lr=lr), torch.optim.SGD(theirs, lr=lr)
    sched, tsched = ours_sched_fn(opt), torch_sched_fn(topt)
    assert sched.last_epoch == tsched.last_epoch == 0
    for _ in range(epochs):
        assert sched.get_last_lr() == pytest.approx(tsched.get_last_lr(), rel=1e-14)
        assert opt.lr == pytest.approx(topt.param_groups[0]["lr"], rel=1e-14)
        topt.step()  # torch warns when the scheduler steps before the optimizer
        sched.step()
        tsched.step()
    assert sched.last_epoch == tsched.last_epoch == epochs


def test_step_lr_matches_torch():
    run_schedules(
        lambda o: optim.StepLR(o, step_size=4, gamma=0.5),
        lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=4, gamma=0.5),
    )


def test_step_lr_default_gamma_is_a_tenth():
    run_schedules(
        lambda o: optim.StepLR(o, step_size=3),
        lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3),
        epochs=10,
    )


def test_exponential_lr_matches_torch():
    run_schedules(
        lambda o: optim.ExponentialLR(o, gamma=0.9),
        lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9),
    )


def test_inverse_time_lr_matches_torch_lambda_lr():
    k = 0.3
    run_schedules(
        lambda o: optim.InverseTimeLR(o, k=k),
        lambda o: torch.optim.lr_scheduler.LambdaLR(o, lambda t: 1.0 / (1.0 + k * t)),
    )


def test_inverse_time_lr_formula():
    opt = optim.SGD(make_pair()[0], lr=0.6)
    sched = optim.InverseTimeLR(opt, k=0.5)
    for _ in range(4):
        sched.step()
    assert opt.lr == pytest.approx(0.6 / (1 + 0.5 * 4), rel=1e-15)


def test_bad_schedule_arguments_raise():
    opt = optim.SGD(make_pair()[0], lr=0.1)
    with pytest.raises(ValueError, match="step_size"):
        optim.StepLR(opt, step_size=0)
    with pytest.raises(ValueError, match="gamma"):
        optim.ExponentialLR(opt, gamma=-0.5)
    with pytest.raises(ValueError, match="k"):
        optim.InverseTimeLR(opt, k=-1.0)


# ----------------------------------------------------------------------------------------------
# Gradient clipping
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("max_norm", "norm_type"),
    [(1.0, 2.0), (100.0, 2.0), (0.5, 1.0), (0.3, float("inf")), (2.0, 3.0)],
    ids=["clipped", "below-threshold", "l1", "max-norm", "p3"],
)
def test_clip_grad_norm_matches_torch(max_norm, norm_type):
    ours, theirs = make_pair()
    rng = np.random.default_rng(6)
    feed(ours, theirs, [rng.standard_normal(s) for s in SHAPES])
    total = optim.clip_grad_norm_(ours, max_norm, norm_type=norm_type)
    ttotal = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type=norm_type)
    assert isinstance(total, float)
    assert total == pytest.approx(ttotal.item(), rel=TOL)
    for p, t in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(p.grad, t.grad.numpy(), rtol=TOL, atol=TOL)


def test_clip_grad_norm_leaves_small_gradients_untouched():
    ours, _ = make_pair()
    for p in ours:
        p.grad[...] = 0.01
    before = [p.grad.copy() for p in ours]
    optim.clip_grad_norm_(ours, max_norm=10.0)
    for p, b in zip(ours, before, strict=True):
        np.testing.assert_array_equal(p.grad, b)


def test_clip_grad_norm_accepts_a_single_parameter():
    p = Param(np.zeros(4))
    p.grad[...] = [3.0, 4.0, 0.0, 0.0]
    assert optim.clip_grad_norm_(p, 1.0) == pytest.approx(5.0)
    assert np.linalg.norm(p.grad) == pytest.approx(5.0 / (5.0 + 1e-6))
