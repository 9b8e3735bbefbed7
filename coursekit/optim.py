r"""Optimizers and learning-rate schedules, with the semantics and defaults of ``torch.optim``.

Every optimizer updates parameters *in place*: a parameter is anything with a float array
``.data`` and an array ``.grad`` of the same shape (:class:`coursekit.nn.Parameter`). As in
torch, ``params`` is an iterable of parameters or of *parameter groups*
(``{"params": [...], "lr": 0.1, ...}``): keys missing from a group take the constructor's values.

Conventions, written where they bite
------------------------------------
* **Momentum** (:class:`SGD`). The lecture writes :math:`v \leftarrow \mu v - \eta g,\; w \leftarrow w + v`;
  torch (and this module) writes :math:`b \leftarrow \mu b + g,\; w \leftarrow w - \eta b`.
  By induction :math:`v_t = -\eta\, b_t` while the learning rate :math:`\eta` is constant, so the
  two give identical weights. They differ when :math:`\eta` changes: torch's form applies the new
  learning rate to the whole accumulated velocity at once.
* **Weight decay** is L2 regularisation added to the gradient, :math:`g \leftarrow g + \lambda w`,
  *before* momentum / adaptive scaling (``torch.optim.Adam``, not ``AdamW``).
* **Adam's step counter** starts at :math:`t = 1` on the first ``step()``, so the bias
  corrections :math:`1 - \beta^t` are never zero.
* **Schedules** are stepped once per *epoch* (call ``scheduler.step()`` after the epoch's last
  ``optimizer.step()``), as in torch.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, MutableMapping
from typing import Any

import numpy as np

__all__ = [
    "Optimizer",
    "SGD",
    "AdaGrad",
    "RMSprop",
    "Adam",
    "AdamW",
    "LRScheduler",
    "StepLR",
    "ExponentialLR",
    "InverseTimeLR",
    "WarmupCosineLR",
    "clip_grad_norm_",
]


# ----------------------------------------------------------------------------------------------
# Parameters, groups and state
# ----------------------------------------------------------------------------------------------


class ParamState(MutableMapping):
    """Per-parameter state: ``state[p]`` is a dict (arrays, ``"step"``) created on first access.

    Keyed by the parameter object's *identity*, so parameters need not be hashable (a dataclass
    with ``eq=True`` is not) and two parameters with equal values never share state.
    """

    def __init__(self) -> None:
        self._items: dict[int, tuple[Any, dict]] = {}

    def __getitem__(self, param: Any) -> dict:
        if id(param) not in self._items:
            self._items[id(param)] = (param, {})  # keep `param` alive so its id stays unique
        return self._items[id(param)][1]

    def __setitem__(self, param: Any, value: dict) -> None:
        self._items[id(param)] = (param, value)

    def __delitem__(self, param: Any) -> None:
        del self._items[id(param)]

    def __iter__(self) -> Iterator[Any]:
        return (param for param, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)


def _check_parameter(p: Any, where: str) -> None:
    data, grad = getattr(p, "data", None), getattr(p, "grad", None)
    if not isinstance(data, np.ndarray) or not isinstance(grad, np.ndarray):
        raise TypeError(f"{where}: every parameter needs ndarray attributes .data and .grad, got {type(p).__name__}")
    if not np.issubdtype(data.dtype, np.floating):
        raise TypeError(f"{where}: parameter .data must be a float array (updated in place), got {data.dtype}")
    if grad.shape != data.shape:
        raise ValueError(f"{where}: parameter .grad has shape {grad.shape} but .data has shape {data.shape}")


def _make_groups(params: Iterable, defaults: dict, where: str) -> list[dict]:
    items = list(params) if not hasattr(params, "data") else [params]
    if not items:
        raise ValueError(f"{where}: params is an empty parameter list")
    raw = items if isinstance(items[0], dict) else [{"params": items}]
    groups, seen = [], set()
    for g in raw:
        if not isinstance(g, dict) or "params" not in g:
            raise TypeError(f"{where}: params must be parameters or dicts with a 'params' key, not a mixture")
        unknown = set(g) - set(defaults) - {"params"}
        if unknown:
            raise ValueError(f"{where}: unknown hyper-parameter(s) {sorted(unknown)} in a parameter group")
        group = {**defaults, **g, "params": list(g["params"])}
        for p in group["params"]:
            _check_parameter(p, where)
            if id(p) in seen:
                raise ValueError(f"{where}: a parameter appears more than once in params")
            seen.add(id(p))
        groups.append(group)
    return groups


def _check_nonnegative(where: str, **values: float) -> None:
    for name, value in values.items():
        if not value >= 0.0:  # also rejects NaN
            raise ValueError(f"{where}: {name} must be >= 0, got {value}")


class Optimizer(ABC):
    """Base class: parameter groups, ``state``, ``zero_grad()``, the ``lr`` property and ``step()``.

    Subclasses implement ``_update(p, g, group, state)`` for one parameter, where ``g`` is the
    gradient with weight decay already added.
    """

    def __init__(self, params: Iterable, defaults: dict) -> None:
        self.defaults = dict(defaults)
        self.param_groups: list[dict] = _make_groups(params, self.defaults, type(self).__name__)
        for group in self.param_groups:
            self._validate(group)
        self.state = ParamState()

    def _validate(self, group: dict) -> None:
        _check_nonnegative(type(self).__name__, lr=group["lr"], weight_decay=group.get("weight_decay", 0.0))

    @property
    def lr(self) -> float:
        """Learning rate of the first parameter group; setting it sets every group's."""
        return self.param_groups[0]["lr"]

    @lr.setter
    def lr(self, value: float) -> None:
        _check_nonnegative(type(self).__name__, lr=value)
        for group in self.param_groups:
            group["lr"] = float(value)

    def zero_grad(self) -> None:
        """Set every gradient to zeros, in place (never ``None``)."""
        for group in self.param_groups:
            for p in group["params"]:
                p.grad[...] = 0.0

    def step(self) -> None:
        """Update every parameter once from its current ``.grad``."""
        for group in self.param_groups:
            for p in group["params"]:
                g = np.asarray(p.grad, dtype=p.data.dtype)
                if group.get("weight_decay", 0.0) != 0.0:
                    g = g + group["weight_decay"] * p.data  # L2 penalty's gradient, not decoupled decay
                self._update(p, g, group, self.state[p])

    @abstractmethod
    def _update(self, p: Any, g: np.ndarray, group: dict, state: dict) -> None:
        """One optimizer's rule: update ``p.data`` in place from the (decayed) gradient ``g``."""

    def __repr__(self) -> str:
        hyper = ", ".join(f"{k}={v!r}" for k, v in self.defaults.items())
        return f"{type(self).__name__}({hyper})"


# ----------------------------------------------------------------------------------------------
# Optimizers
# ----------------------------------------------------------------------------------------------


class SGD(Optimizer):
    r"""Stochastic gradient descent, optionally with (Nesterov) momentum, as ``torch.optim.SGD``.

    .. math::
        g &\leftarrow \nabla_w L + \lambda w \\
        b &\leftarrow \mu b + (1 - \tau) g \quad (b = g \text{ on the first step}) \\
        w &\leftarrow w - \eta\,(g + \mu b) \text{ (Nesterov) or } w - \eta\, b

    with learning rate :math:`\eta`, momentum :math:`\mu`, dampening :math:`\tau` and weight decay
    :math:`\lambda`. See the module docstring for why this equals the lecture's
    :math:`v \leftarrow \mu v - \eta g,\; w \leftarrow w + v` (for a constant :math:`\eta`).
    Nesterov's look-ahead is torch's reformulation: the gradient at the current weights plus
    :math:`\mu` times the *updated* buffer.

    Parameters
    ----------
    params : iterable of parameters or of parameter-group dicts
    lr : float, learning rate :math:`\eta \ge 0`
    momentum : float, :math:`\mu \ge 0` (0 disables the buffer)
    dampening, nesterov, weight_decay : keyword-only (torch's and this course's positional orders
        differ, so they are never positional)
    """

    def __init__(
        self,
        params: Iterable,
        lr: float,
        momentum: float = 0.0,
        *,
        dampening: float = 0.0,
        nesterov: bool = False,
        weight_decay: float = 0.0,
    ) -> None:
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, nesterov=nesterov, weight_decay=weight_decay)
        super().__init__(params, defaults)

    def _validate(self, group: dict) -> None:
        super()._validate(group)
        _check_nonnegative("SGD", momentum=group["momentum"])
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError("SGD: nesterov=True requires momentum > 0 and dampening = 0")

    def _update(self, p: Any, g: np.ndarray, group: dict, state: dict) -> None:
        mu = group["momentum"]
        if mu != 0.0:
            if "momentum_buffer" not in state:
                state["momentum_buffer"] = g.copy()  # torch: no dampening on the first step
            else:
                state["momentum_buffer"] *= mu
                state["momentum_buffer"] += (1.0 - group["dampening"]) * g
            buf = state["momentum_buffer"]
            g = g + mu * buf if group["nesterov"] else buf
        p.data -= group["lr"] * g


class AdaGrad(Optimizer):
    r"""AdaGrad: per-coordinate steps shrink with the sum of squared gradients (``torch.optim.Adagrad``).

    .. math::
        G &\leftarrow G + g \odot g \\
        w &\leftarrow w - \frac{\eta_t}{\sqrt{G} + \epsilon} \odot g,
        \qquad \eta_t = \frac{\eta}{1 + (t-1)\,\text{lr\_decay}}

    ``eps`` is added *outside* the square root, as in torch. ``lr_decay``, ``weight_decay`` and
    ``initial_accumulator_value`` (the starting :math:`G`) are keyword-only, torch's defaults 0.
    State: ``"sum"`` (:math:`G`, the parameter's shape) and ``"step"``.
    """

    def __init__(
        self,
        params: Iterable,
        lr: float = 1e-2,
        eps: float = 1e-10,
        *,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
    ) -> None:
        defaults = dict(
            lr=lr,
            eps=eps,
            lr_decay=lr_decay,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
        )
        super().__init__(params, defaults)

    def _validate(self, group: dict) -> None:
        super()._validate(group)
        _check_nonnegative(
            "AdaGrad",
            eps=group["eps"],
            lr_decay=group["lr_decay"],
            initial_accumulator_value=group["initial_accumulator_value"],
        )

    def _update(self, p: Any, g: np.ndarray, group: dict, state: dict) -> None:
        if not state:
            state["step"] = 0
            state["sum"] = np.full_like(p.data, group["initial_accumulator_value"])
        state["step"] += 1
        clr = group["lr"] / (1.0 + (state["step"] - 1) * group["lr_decay"])
        state["sum"] += g * g
        p.data -= clr * g / (np.sqrt(state["sum"]) + group["eps"])


class RMSprop(Optimizer):
    r"""RMSprop: divide by a running RMS of recent gradients (``torch.optim.RMSprop``).

    .. math::
        s &\leftarrow \alpha s + (1-\alpha)\, g \odot g \\
        d &= \sqrt{s - \bar g \odot \bar g} + \epsilon \text{ (centered, with }
             \bar g \leftarrow \alpha \bar g + (1-\alpha) g) \text{ or } \sqrt{s} + \epsilon \\
        w &\leftarrow w - \eta\, g / d \quad\text{or, with momentum } \mu:\;
             b \leftarrow \mu b + g / d,\; w \leftarrow w - \eta b

    State: ``"square_avg"``, ``"grad_avg"`` (centered), ``"momentum_buffer"`` (momentum), ``"step"``.
    """

    def __init__(
        self,
        params: Iterable,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
    ) -> None:
        defaults = dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum, centered=centered)
        super().__init__(params, defaults)

    def _validate(self, group: dict) -> None:
        super()._validate(group)
        _check_nonnegative("RMSprop", alpha=group["alpha"], eps=group["eps"], momentum=group["momentum"])

    def _update(self, p: Any, g: np.ndarray, group: dict, state: dict) -> None:
        alpha = group["alpha"]
        if not state:
            state.update(step=0, square_avg=np.zeros_like(p.data))
            if group["centered"]:
                state["grad_avg"] = np.zeros_like(p.data)
            if group["momentum"] > 0:
                state["momentum_buffer"] = np.zeros_like(p.data)
        state["step"] += 1
        state["square_avg"] *= alpha
        state["square_avg"] += (1.0 - alpha) * g * g
        if group["centered"]:
            state["grad_avg"] += (1.0 - alpha) * (g - state["grad_avg"])  # torch's lerp
            avg = np.sqrt(state["square_avg"] - state["grad_avg"] ** 2) + group["eps"]
        else:
            avg = np.sqrt(state["square_avg"]) + group["eps"]
        if group["momentum"] > 0:
            state["momentum_buffer"] *= group["momentum"]
            state["momentum_buffer"] += g / avg
            p.data -= group["lr"] * state["momentum_buffer"]
        else:
            p.data -= group["lr"] * g / avg


class Adam(Optimizer):
    r"""Adam: momentum on the gradient plus RMSprop's scaling, bias-corrected (``torch.optim.Adam``).

    With the step counter :math:`t` starting at **1** on the first ``step()``:

    .. math::
        m &\leftarrow \beta_1 m + (1-\beta_1) g, \qquad v \leftarrow \beta_2 v + (1-\beta_2) g \odot g \\
        w &\leftarrow w - \frac{\eta}{1-\beta_1^t}\;
            \frac{m}{\sqrt{v}/\sqrt{1-\beta_2^t} + \epsilon}

    :math:`m` and :math:`v` start at zero, so they are biased towards zero early on; dividing by
    :math:`1-\beta^t` removes that bias. Note that :math:`\epsilon` is added *after* the bias
    correction of :math:`\sqrt{v}`, as in torch. ``weight_decay`` is added to the gradient (L2,
    not AdamW); ``amsgrad=True`` uses the running maximum of :math:`v`.
    State: ``"step"``, ``"exp_avg"`` (m), ``"exp_avg_sq"`` (v), ``"max_exp_avg_sq"`` (amsgrad).
    """

    def __init__(
        self,
        params: Iterable,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
    ) -> None:
        defaults = dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)
        super().__init__(params, defaults)

    def _validate(self, group: dict) -> None:
        super()._validate(group)
        _check_nonnegative("Adam", eps=group["eps"])
        betas = group["betas"]
        if len(betas) != 2 or not all(0.0 <= b < 1.0 for b in betas):
            raise ValueError(f"Adam: betas must be two numbers in [0, 1), got {betas}")

    def _update(self, p: Any, g: np.ndarray, group: dict, state: dict) -> None:
        beta1, beta2 = group["betas"]
        if not state:
            state.update(step=0, exp_avg=np.zeros_like(p.data), exp_avg_sq=np.zeros_like(p.data))
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = np.zeros_like(p.data)
        state["step"] += 1
        t = state["step"]
        state["exp_avg"] += (1.0 - beta1) * (g - state["exp_avg"])  # torch's lerp form of beta*m + (1-beta)*g
        state["exp_avg_sq"] *= beta2
        state["exp_avg_sq"] += (1.0 - beta2) * g * g
        v = state["exp_avg_sq"]
        if group["amsgrad"]:
            np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
            v = state["max_exp_avg_sq"]
        step_size = group["lr"] / (1.0 - beta1**t)
        denom = np.sqrt(v) / math.sqrt(1.0 - beta2**t) + group["eps"]
        p.data -= step_size * state["exp_avg"] / denom


class AdamW(Adam):
    r"""Adam with *decoupled* weight decay (Loshchilov and Hutter 2019), as ``torch.optim.AdamW``.

    Before the Adam step (the same :math:`m`, :math:`v`, bias corrections and state as :class:`Adam`,
    computed from the raw gradient :math:`g`), every weight shrinks by the same factor:

    .. math::
        w \leftarrow (1 - \eta \lambda)\, w, \qquad
        w \leftarrow w - \frac{\eta}{1-\beta_1^t}\; \frac{m}{\sqrt{v}/\sqrt{1-\beta_2^t} + \epsilon}

    ``Adam(weight_decay=λ)`` instead adds :math:`\lambda w` to the gradient, so the decay is divided by
    :math:`\sqrt{\hat v}` with everything else: weights with large gradients are hardly decayed. Here the
    decay :math:`\eta\lambda w` bypasses the adaptive scaling. Default ``weight_decay=1e-2``, as torch.
    """

    def __init__(
        self,
        params: Iterable,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)

    def step(self) -> None:
        """Shrink every parameter by ``1 - lr * weight_decay``, then take Adam's step on the raw gradient."""
        for group in self.param_groups:
            for p in group["params"]:
                g = np.asarray(p.grad, dtype=p.data.dtype)
                p.data *= 1.0 - group["lr"] * group["weight_decay"]
                self._update(p, g, group, self.state[p])


# ----------------------------------------------------------------------------------------------
# Learning-rate schedules (stepped once per epoch)
# ----------------------------------------------------------------------------------------------


class LRScheduler(ABC):
    """Base schedule, as ``torch.optim.lr_scheduler.LRScheduler``.

    On construction it records each group's ``initial_lr`` (``base_lrs``) and takes step 0, so
    ``last_epoch`` is 0 and the learning rate is the initial one. Each ``step()`` (once per
    epoch) increments ``last_epoch`` and writes the new learning rates into the optimizer.
    """

    def __init__(self, optimizer: Optimizer) -> None:
        if not hasattr(optimizer, "param_groups"):
            raise TypeError(f"{type(self).__name__}: optimizer must be an Optimizer, got {type(optimizer)}")
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group.setdefault("initial_lr", group["lr"])
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = -1
        self.step()

    @abstractmethod
    def get_lr(self) -> list[float]:
        """Each group's learning rate at ``self.last_epoch``."""

    def step(self) -> None:
        """Advance one epoch and set the optimizer's learning rates."""
        self.last_epoch += 1
        lrs = [float(lr) for lr in self.get_lr()]
        for group, lr in zip(self.optimizer.param_groups, lrs, strict=True):
            group["lr"] = lr
        self._last_lr = lrs

    def get_last_lr(self) -> list[float]:
        """Learning rates (one per parameter group) set by the last ``step()``."""
        return list(self._last_lr)

    def _current_lrs(self) -> list[float]:
        return [group["lr"] for group in self.optimizer.param_groups]


class StepLR(LRScheduler):
    r"""Multiply the learning rate by ``gamma`` every ``step_size`` epochs:
    :math:`\eta_t = \eta_0\, \gamma^{\lfloor t / \text{step\_size} \rfloor}`.

    Like torch, it multiplies the *current* learning rate, so a rate set by hand is respected.
    """

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        if not isinstance(step_size, int | np.integer) or step_size < 1:
            raise ValueError(f"StepLR: step_size must be a positive integer, got {step_size!r}")
        _check_nonnegative("StepLR", gamma=gamma)
        self.step_size, self.gamma = int(step_size), gamma
        super().__init__(optimizer)

    def get_lr(self) -> list[float]:
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self._current_lrs()
        return [lr * self.gamma for lr in self._current_lrs()]


class ExponentialLR(LRScheduler):
    r"""Multiply the learning rate by ``gamma`` every epoch: :math:`\eta_t = \eta_0\, \gamma^t`."""

    def __init__(self, optimizer: Optimizer, gamma: float) -> None:
        _check_nonnegative("ExponentialLR", gamma=gamma)
        self.gamma = gamma
        super().__init__(optimizer)

    def get_lr(self) -> list[float]:
        if self.last_epoch == 0:
            return self._current_lrs()
        return [lr * self.gamma for lr in self._current_lrs()]


class InverseTimeLR(LRScheduler):
    r"""Inverse-time decay: :math:`\eta_t = \eta_0 / (1 + k\,t)` after :math:`t` epochs.

    Computed from ``base_lrs`` (the rates when the schedule was created), as torch's ``LambdaLR``
    with ``lambda t: 1 / (1 + k * t)``.
    """

    def __init__(self, optimizer: Optimizer, k: float) -> None:
        _check_nonnegative("InverseTimeLR", k=k)
        self.k = k
        super().__init__(optimizer)

    def get_lr(self) -> list[float]:
        return [base / (1.0 + self.k * self.last_epoch) for base in self.base_lrs]


class WarmupCosineLR(LRScheduler):
    r"""Linear warm-up to the base rate, then cosine annealing to ``min_lr``; then ``min_lr``.

    With :math:`W` = ``warmup_steps``, :math:`T` = ``total_steps`` and :math:`\eta` the base rate,
    after :math:`t` calls of ``step()``:

    .. math::
        \eta_t = \begin{cases}
            \eta\, (t + 1) / W & t < W \\
            \eta_\min + \tfrac12 (\eta - \eta_\min)\big(1 + \cos(\pi\, (t - W) / (T - W))\big) & W \le t \le T \\
            \eta_\min & t > T
        \end{cases}

    The first step already uses :math:`\eta / W` (never 0) and :math:`\eta_{W-1} = \eta_W = \eta`.
    For :math:`t \le T` this equals torch's ``SequentialLR([LinearLR(start_factor=1/W, total_iters=W-1),
    CosineAnnealingLR(T_max=T-W, eta_min=min_lr)], milestones=[W])`` (just ``CosineAnnealingLR`` when
    :math:`W = 0`); after :math:`T` torch's cosine climbs again, this one stays at ``min_lr``.
    Computed in closed form from ``base_lrs``. Step it once per epoch (``fit``) or once per mini-batch.
    """

    def __init__(self, optimizer: Optimizer, warmup_steps: int, total_steps: int, min_lr: float = 0.0) -> None:
        for name, value in (("warmup_steps", warmup_steps), ("total_steps", total_steps)):
            if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
                raise ValueError(f"WarmupCosineLR: {name} must be a non-negative integer, got {value!r}")
        if total_steps <= warmup_steps:
            raise ValueError(
                f"WarmupCosineLR: total_steps ({total_steps}) must be larger than warmup_steps ({warmup_steps})"
            )
        _check_nonnegative("WarmupCosineLR", min_lr=min_lr)
        self.warmup_steps, self.total_steps, self.min_lr = int(warmup_steps), int(total_steps), float(min_lr)
        super().__init__(optimizer)

    def get_lr(self) -> list[float]:
        t, w, big_t = self.last_epoch, self.warmup_steps, self.total_steps
        if t < w:
            return [base * (t + 1) / w for base in self.base_lrs]
        cos = 0.5 * (1.0 + math.cos(math.pi * min(t - w, big_t - w) / (big_t - w)))
        return [self.min_lr + (base - self.min_lr) * cos for base in self.base_lrs]


# ----------------------------------------------------------------------------------------------
# Gradient clipping
# ----------------------------------------------------------------------------------------------


def clip_grad_norm_(params: Iterable | Any, max_norm: float, norm_type: float = 2.0) -> float:
    r"""Rescale gradients in place so that their joint norm is at most ``max_norm``; as torch.

    The total norm is the ``norm_type``-norm of all gradients concatenated,
    :math:`\|g\| = \big(\sum_i \|g_i\|_p^p\big)^{1/p}` (the largest ``|g|`` for ``p = inf``).
    Every gradient is multiplied by :math:`c = \text{max\_norm} / (\|g\| + 10^{-6})` only when
    :math:`c < 1`; the :math:`10^{-6}` avoids dividing by zero, so a clipped norm lands a hair
    below ``max_norm``.

    Parameters
    ----------
    params : a parameter or an iterable of parameters (anything with an ndarray ``.grad``)
    max_norm : float
    norm_type : float, ``p`` (``float("inf")`` or ``"inf"`` for the max-norm)

    Returns
    -------
    total_norm : float, the norm *before* clipping
    """
    grads = [params.grad] if hasattr(params, "grad") else [p.grad for p in params]
    p = float(norm_type)
    if grads:
        norms = np.array([np.linalg.norm(np.ravel(g), ord=p) for g in grads])
        total = float(np.linalg.norm(norms, ord=p))
    else:
        total = 0.0
    coef = float(max_norm) / (total + 1e-6)
    if coef < 1.0:
        for g in grads:
            g *= coef
    return total
