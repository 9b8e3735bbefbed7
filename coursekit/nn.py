r"""Torch-like layers with an explicit ``backward``, built on :mod:`coursekit.functional`.

A :class:`Module` remembers what its last ``forward`` needs (the *cache*) and turns an upstream
gradient ``dout`` into the gradient of its input in ``backward(dout) -> dx``. Along the way it
**adds** the gradients of its parameters into their ``.grad`` (``+=``), exactly as PyTorch does, so
two backward passes without a ``zero_grad()`` in between accumulate::

    model = nn.Sequential(nn.Linear(4, 8, rng=rng), nn.ReLU(), nn.Linear(8, 3, rng=rng))
    loss_fn = nn.CrossEntropyLoss()
    loss = loss_fn(model(x), y)          # forward: a Python float
    model.zero_grad()
    model.backward(loss_fn.backward())   # fills every p.grad for p in model.parameters()

Conventions (where they bite):

* Fully connected weights are ``(in_features, out_features)`` and ``out = x @ weight + bias``;
  ``torch.nn.Linear`` stores the transpose.
* ``Linear`` takes ``(N, in_features)`` only (torch would also map over extra leading axes): put a
  :class:`Flatten` in front of it for images.
* ``Dropout(p)``: ``p`` is the probability of *zeroing* a unit (torch's convention), inverted dropout.
* The default initialiser is He (``init="he"``), the lecture's choice for ReLU nets, not torch's;
  ``init="torch"`` reproduces torch's default :math:`U(\pm 1/\sqrt{\text{fan\_in}})`.
* Randomness only through ``rng`` (a :class:`numpy.random.Generator`); ``None`` means a fresh
  OS-seeded generator, never NumPy's global state.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator
from typing import Any

import numpy as np

from coursekit import functional as F
from coursekit import init as _init
from coursekit.init import _as_rng

__all__ = [
    "Parameter",
    "Module",
    "Linear",
    "ReLU",
    "Sigmoid",
    "Tanh",
    "LeakyReLU",
    "ELU",
    "SELU",
    "PReLU",
    "Maxout",
    "Dropout",
    "BatchNorm1d",
    "BatchNorm2d",
    "LayerNorm",
    "GroupNorm",
    "Conv1d",
    "Conv2d",
    "MaxPool2d",
    "Flatten",
    "Sequential",
    "CrossEntropyLoss",
    "SVMLoss",
    "MSELoss",
]


# ----------------------------------------------------------------------------------------------
# Parameters and the Module base class
# ----------------------------------------------------------------------------------------------


class Parameter:
    """A learnable array and the gradient accumulated for it.

    Parameters
    ----------
    data : array_like
        Stored as ``float64`` (no copy when it already is one, like ``torch.nn.Parameter``).

    Attributes
    ----------
    data : ndarray
    grad : ndarray of ``data``'s shape; starts at zeros and is never ``None``.
    """

    def __init__(self, data: Any) -> None:
        self.data = np.asarray(data, dtype=np.float64)
        self.grad = np.zeros_like(self.data)

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    def zero_grad(self) -> None:
        """Set ``grad`` to zeros (in place, so references to it held elsewhere stay valid)."""
        if self.grad.shape == self.data.shape:
            self.grad.fill(0.0)
        else:  # someone replaced .data with a differently shaped array
            self.grad = np.zeros_like(self.data)

    def __repr__(self) -> str:
        return f"Parameter containing:\n{self.data!r}"


class Module:
    """Base class: ``forward`` computes and caches, ``backward`` consumes the cache.

    Subclasses assign their :class:`Parameter` and sub-``Module`` attributes in ``__init__``;
    ``parameters()`` finds them in that (definition) order.
    """

    training: bool = True
    _cache: Any = None

    def __init__(self) -> None:
        self.training = True
        self._cache = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__}.forward is not implemented")

    def backward(self, dout: np.ndarray) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__}.backward is not implemented")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    def _saved(self) -> Any:
        """The cache of the last forward pass; an error that says so when there was none."""
        if self._cache is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")
        return self._cache

    # -- traversal --------------------------------------------------------------------------

    def _members(self) -> Iterator[tuple[str, Parameter | Module]]:
        """Parameters and sub-modules, in the order they were assigned."""
        for name, value in vars(self).items():
            if isinstance(value, Parameter | Module):
                yield name, value

    def named_children(self) -> Iterator[tuple[str, Module]]:
        return ((name, m) for name, m in self._members() if isinstance(m, Module))

    def children(self) -> Iterator[Module]:
        return (m for _, m in self.named_children())

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Parameter]]:
        """``(dotted name, parameter)`` pairs as torch names them (``"0.weight"``); each parameter once."""
        seen: set[int] = set()
        for name, value in self._members():
            if isinstance(value, Parameter):
                pairs: Iterator[tuple[str, Parameter]] = iter([(prefix + name, value)])
            else:
                pairs = value.named_parameters(prefix + name + ".")
            for full_name, p in pairs:
                if id(p) not in seen:  # a shared parameter is updated once, not twice
                    seen.add(id(p))
                    yield full_name, p

    def parameters(self) -> Iterator[Parameter]:
        """Every parameter, in definition order (weight before bias), sub-modules recursively."""
        return (p for _, p in self.named_parameters())

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.zero_grad()

    def train(self, mode: bool = True) -> Module:
        """Training mode (batch statistics, dropout on) for this module and all below it."""
        self.training = bool(mode)
        for child in self.children():
            child.train(mode)
        return self

    def eval(self) -> Module:
        """Evaluation mode (running statistics, dropout off); same as ``train(False)``."""
        return self.train(False)

    # -- printing ---------------------------------------------------------------------------

    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        lines = [f"({name}): " + repr(child).replace("\n", "\n  ") for name, child in self.named_children()]
        if not lines:
            return f"{type(self).__name__}({self.extra_repr()})"
        if self.extra_repr():
            lines.insert(0, self.extra_repr())
        return type(self).__name__ + "(\n  " + "\n  ".join(lines) + "\n)"


# ----------------------------------------------------------------------------------------------
# Argument checking
# ----------------------------------------------------------------------------------------------


def _positive_int(value: Any, name: str, owner: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{owner}: {name} must be a positive int, got {value!r}")
    return int(value)


def _nonnegative_int(value: Any, name: str, owner: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"{owner}: {name} must be a non-negative int, got {value!r}")
    return int(value)


def _pair(value: Any, name: str, owner: str) -> tuple[int, int]:
    """``k`` or ``(kh, kw)`` -> ``(kh, kw)``, as torch's ``kernel_size`` argument."""
    pair = (value, value) if isinstance(value, numbers.Integral) else tuple(value)
    if len(pair) != 2:
        raise ValueError(f"{owner}: {name} must be an int or a pair of ints, got {value!r}")
    return _positive_int(pair[0], name, owner), _positive_int(pair[1], name, owner)


def _check_input(x: Any, owner: str, expected: str, ok: bool) -> None:
    """Raise the standard shape error: ``owner: expected x of shape <expected>, got <shape>``."""
    if not isinstance(x, np.ndarray):
        raise TypeError(f"{owner}: x must be a numpy.ndarray, got {type(x).__name__}")
    if not ok:
        raise ValueError(f"{owner}: expected x of shape {expected}, got {x.shape}")


def _init_weight_bias(
    w_shape: tuple[int, ...], n_out: int, init: str, rng: np.random.Generator, owner: str
) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``(weight, bias)`` for a Linear or Conv layer with the named scheme; fans from ``w_shape``."""
    schemes = {
        "he": lambda: _init.he_normal(w_shape, rng=rng),
        "xavier": lambda: _init.xavier_uniform(w_shape, rng=rng),
        "lecun": lambda: _init.lecun_normal(w_shape, rng=rng),
        "normal": lambda: _init.normal(w_shape, std=0.01, rng=rng),
        "zeros": lambda: _init.zeros(w_shape),
    }
    if init == "torch":
        # torch's default: kaiming_uniform_(a=sqrt(5)) = U(+-1/sqrt(fan_in)), and the bias likewise
        bound = 1.0 / math.sqrt(_init.fans(w_shape)[0])
        return rng.uniform(-bound, bound, size=w_shape), rng.uniform(-bound, bound, size=n_out)
    if init not in schemes:
        raise ValueError(f"{owner}: init must be one of {[*schemes, 'torch']}, got {init!r}")
    return schemes[init](), np.zeros(n_out)


# ----------------------------------------------------------------------------------------------
# Fully connected
# ----------------------------------------------------------------------------------------------


class Linear(Module):
    r"""Fully connected layer :math:`y = x W + b`.

    Parameters
    ----------
    in_features, out_features : int
    bias : bool
        Without a bias the layer is :math:`y = xW` and has no ``bias`` parameter (``bias is None``).
    init : {"he", "xavier", "lecun", "normal", "zeros", "torch"}
        ``he``: :func:`coursekit.init.he_normal`; ``xavier``: :func:`~coursekit.init.xavier_uniform`;
        ``lecun``: :func:`~coursekit.init.lecun_normal`; ``normal``: :math:`\mathcal N(0, 0.01^2)`;
        ``zeros``; ``torch``: torch's default :math:`U(\pm 1/\sqrt{in})` for weight *and* bias.
        The bias is zeros except with ``torch``.
    rng : numpy.random.Generator, optional

    Shapes: ``weight (in_features, out_features)``, ``bias (out_features,)``;
    ``x (N, in_features) -> y (N, out_features)``.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        init: str = "he",
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        self.in_features = _positive_int(in_features, "in_features", "Linear")
        self.out_features = _positive_int(out_features, "out_features", "Linear")
        w, b = _init_weight_bias(
            (self.in_features, self.out_features), self.out_features, init, _as_rng(rng, "Linear"), "Linear"
        )
        self.weight = Parameter(w)
        self.bias = Parameter(b) if bias else None

    def forward(self, x: np.ndarray) -> np.ndarray:
        ok = isinstance(x, np.ndarray) and x.ndim == 2 and x.shape[1] == self.in_features
        _check_input(x, "Linear.forward", f"(N, {self.in_features}) (use Flatten first for images)", ok)
        b = self.bias.data if self.bias is not None else np.zeros(self.out_features)
        out, self._cache = F.linear_forward(x, self.weight.data, b)
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        dx, dw, db = F.linear_backward(dout, self._saved())
        self.weight.grad += dw
        if self.bias is not None:
            self.bias.grad += db
        return dx

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


# ----------------------------------------------------------------------------------------------
# Activations
# ----------------------------------------------------------------------------------------------


class _Elementwise(Module):
    """An activation applied elementwise (any shape): forward and backward are a functional pair.

    Subclasses name the pair and, when the function takes options, return them from ``_options``.
    """

    _pair: tuple  # (forward, backward) from coursekit.functional

    def _options(self) -> tuple:
        return ()

    def forward(self, x: np.ndarray) -> np.ndarray:
        out, self._cache = self._pair[0](x, *self._options())
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return self._pair[1](dout, self._saved())


class ReLU(_Elementwise):
    r""":math:`\max(0, x)`, elementwise; any shape."""

    _pair = (F.relu_forward, F.relu_backward)


class Sigmoid(_Elementwise):
    r""":math:`\sigma(x) = 1 / (1 + e^{-x})`, elementwise; any shape."""

    _pair = (F.sigmoid_forward, F.sigmoid_backward)


class Tanh(_Elementwise):
    r""":math:`\tanh(x)`, elementwise; any shape."""

    _pair = (F.tanh_forward, F.tanh_backward)


class LeakyReLU(_Elementwise):
    r""":math:`\max(\alpha x, x)` with :math:`\alpha` = ``negative_slope``; any shape."""

    _pair = (F.leaky_relu_forward, F.leaky_relu_backward)

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = float(negative_slope)

    def _options(self) -> tuple:
        return (self.negative_slope,)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class ELU(_Elementwise):
    r""":math:`x` if :math:`x > 0` else :math:`\alpha(e^x - 1)`; any shape."""

    _pair = (F.elu_forward, F.elu_backward)

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        self.alpha = float(alpha)

    def _options(self) -> tuple:
        return (self.alpha,)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


class SELU(_Elementwise):
    r""":math:`\lambda\,\mathrm{ELU}_\alpha(x)` with torch's constants :math:`\lambda \approx 1.0507`,
    :math:`\alpha \approx 1.6733`; any shape. Pair it with ``init="lecun"``."""

    _pair = (F.selu_forward, F.selu_backward)


class PReLU(Module):
    r"""Parametric ReLU: :math:`x` if :math:`x > 0` else :math:`a_c x`, with a learned slope :math:`a`.

    Parameters
    ----------
    num_parameters : int
        1 (one slope shared by every feature) or ``C``, one slope per feature (axis 1 of ``x``).
    init : float
        Initial slope (torch's 0.25).

    Shapes: ``weight (num_parameters,)``; ``x (N, C, ...)`` -> the same shape.
    """

    def __init__(self, num_parameters: int = 1, init: float = 0.25) -> None:
        super().__init__()
        self.num_parameters = _positive_int(num_parameters, "num_parameters", "PReLU")
        self.weight = Parameter(np.full(self.num_parameters, float(init)))

    def forward(self, x: np.ndarray) -> np.ndarray:
        ok = isinstance(x, np.ndarray) and (
            self.num_parameters == 1 or (x.ndim >= 2 and x.shape[1] == self.num_parameters)
        )
        _check_input(x, "PReLU.forward", f"(N, {self.num_parameters}, ...)", ok)
        out, self._cache = F.prelu_forward(x, self.weight.data)
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        dx, dalpha = F.prelu_backward(dout, self._saved())
        self.weight.grad += dalpha
        return dx

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class Maxout(Module):
    r"""Maxout (Goodfellow et al., 2013): each output is the max of ``k`` affine pieces.

    .. math:: y_m = \max_{j < k} \big(x\, W_{:, m, j} + b_{m, j}\big)

    It contains ReLU (:math:`\max(0, w \cdot x)`) and Leaky ReLU as special cases, at the price of
    ``k`` times the parameters of a :class:`Linear` layer. Weights start He-normal with
    :math:`n_{in}` = ``in_features`` (the unit is piecewise linear, like ReLU), biases at zero.

    Shapes: ``weight (in_features, out_features, k)``, ``bias (out_features, k)``;
    ``x (N, in_features) -> y (N, out_features)``.
    """

    def __init__(self, in_features: int, out_features: int, k: int = 2, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        self.in_features = _positive_int(in_features, "in_features", "Maxout")
        self.out_features = _positive_int(out_features, "out_features", "Maxout")
        self.k = _positive_int(k, "k", "Maxout")
        # drawn as one (in, out * k) linear weight so the fans are those of the equivalent Linear
        w = _init.he_normal((self.in_features, self.out_features * self.k), rng=_as_rng(rng, "Maxout"))
        self.weight = Parameter(w.reshape(self.in_features, self.out_features, self.k))
        self.bias = Parameter(np.zeros((self.out_features, self.k)))

    def forward(self, x: np.ndarray) -> np.ndarray:
        ok = isinstance(x, np.ndarray) and x.ndim == 2 and x.shape[1] == self.in_features
        _check_input(x, "Maxout.forward", f"(N, {self.in_features})", ok)
        out, self._cache = F.maxout_forward(x, self.weight.data, self.bias.data)
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        dx, dw, db = F.maxout_backward(dout, self._saved())
        self.weight.grad += dw
        self.bias.grad += db
        return dx

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, k={self.k}"


# ----------------------------------------------------------------------------------------------
# Regularisation and normalisation
# ----------------------------------------------------------------------------------------------


class Dropout(Module):
    r"""Inverted dropout: in training, zero each unit with probability ``p`` and scale the rest by
    :math:`1/(1-p)`, so the expected activation is unchanged and evaluation is the identity.

    ``p`` is the probability of **zeroing** (torch's convention, not the keep probability of the
    original paper). ``rng`` draws the masks; ``None`` means a fresh OS-seeded generator, created
    once here so consecutive masks come from one stream. Any shape.
    """

    def __init__(self, p: float = 0.5, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        if isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0.0 <= p <= 1.0:
            raise ValueError(f"Dropout: p must be a probability in [0, 1], got {p!r}")
        self.p = float(p)
        self.rng = _as_rng(rng, "Dropout")

    def forward(self, x: np.ndarray) -> np.ndarray:
        out, self._cache = F.dropout_forward(x, p=self.p, training=self.training, rng=self.rng)
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return F.dropout_backward(dout, self._saved())

    def extra_repr(self) -> str:
        return f"p={self.p}"


class _BatchNorm(Module):
    """Shared by BatchNorm1d and BatchNorm2d: parameters, buffers, and the call into functional."""

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1) -> None:
        super().__init__()
        name = type(self).__name__
        self.num_features = _positive_int(num_features, "num_features", name)
        self.eps = float(eps)
        self.momentum = float(momentum)
        self.weight = Parameter(np.ones(self.num_features))
        self.bias = Parameter(np.zeros(self.num_features))
        # buffers, not parameters: updated by forward in training mode, never by an optimiser
        self.running_mean = np.zeros(self.num_features)
        self.running_var = np.ones(self.num_features)

    def _normalize(self, x: np.ndarray) -> tuple[np.ndarray, Any]:
        return F.batchnorm_forward(
            x,
            self.weight.data,
            self.bias.data,
            self.running_mean,
            self.running_var,
            training=self.training,
            momentum=self.momentum,
            eps=self.eps,
        )

    def _accumulate(self, dout: np.ndarray, cache: Any) -> np.ndarray:
        dx, dgamma, dbeta = F.batchnorm_backward(dout, cache)
        self.weight.grad += dgamma
        self.bias.grad += dbeta
        return dx

    def extra_repr(self) -> str:
        return f"{self.num_features}, eps={self.eps}, momentum={self.momentum}"


class BatchNorm1d(_BatchNorm):
    r"""Batch normalisation over the batch (and length) axis, per feature.

    .. math:: y = \gamma \frac{x - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}} + \beta

    In training :math:`\mu_B, \sigma_B^2` are the batch statistics (biased variance), and the
    buffers move towards them: ``running = (1 - momentum) * running + momentum * batch`` (with the
    *unbiased* batch variance, as torch). In evaluation the running buffers are used instead.

    Shapes: ``weight, bias, running_mean, running_var (C,)``; ``x (N, C)`` or ``(N, C, L)`` -> the same.
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        c = self.num_features
        ok = isinstance(x, np.ndarray) and x.ndim in (2, 3) and x.shape[1] == c
        _check_input(x, "BatchNorm1d.forward", f"(N, {c}) or (N, {c}, L)", ok)
        out, self._cache = self._normalize(x)
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return self._accumulate(dout, self._saved())


class BatchNorm2d(_BatchNorm):
    r"""Batch normalisation of images, per channel over the batch and both spatial axes.

    Same formula, buffers and train/eval behaviour as :class:`BatchNorm1d`.

    Shapes: ``weight, bias, running_mean, running_var (C,)``; ``x (N, C, H, W)`` -> the same.
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        c = self.num_features
        ok = isinstance(x, np.ndarray) and x.ndim == 4 and x.shape[1] == c
        _check_input(x, "BatchNorm2d.forward", f"(N, {c}, H, W)", ok)
        out, self._cache = self._normalize(x)
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return self._accumulate(dout, self._saved())


class LayerNorm(Module):
    r"""Layer normalisation: each sample is normalised over all its features, then scaled and shifted.

    .. math:: y = \gamma \odot \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}} + \beta,
              \quad \mu, \sigma^2 \text{ over every axis but the batch axis}

    No batch statistics, so training and evaluation behave the same.

    Shapes: ``weight, bias normalized_shape``; ``x (N, *normalized_shape)`` -> the same.
    """

    def __init__(self, normalized_shape: int | tuple[int, ...], eps: float = 1e-5) -> None:
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, numbers.Integral) else normalized_shape
        self.normalized_shape = tuple(_positive_int(d, "normalized_shape", "LayerNorm") for d in shape)
        self.eps = float(eps)
        self.weight = Parameter(np.ones(self.normalized_shape))
        self.bias = Parameter(np.zeros(self.normalized_shape))

    def forward(self, x: np.ndarray) -> np.ndarray:
        ok = isinstance(x, np.ndarray) and x.shape[1:] == self.normalized_shape and x.ndim >= 2
        _check_input(x, "LayerNorm.forward", f"(N, {', '.join(map(str, self.normalized_shape))})", ok)
        out, self._cache = F.layernorm_forward(x, self.weight.data, self.bias.data, eps=self.eps)
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        dx, dgamma, dbeta = F.layernorm_backward(dout, self._saved())
        self.weight.grad += dgamma
        self.bias.grad += dbeta
        return dx

    def extra_repr(self) -> str:
        return f"{self.normalized_shape}, eps={self.eps}"


class GroupNorm(Module):
    r"""Group normalisation (Wu & He, 2018): each sample's channels are split into groups, normalised per group.

    .. math:: y = \gamma_c \frac{x - \mu_{n,g}}{\sqrt{\sigma_{n,g}^2 + \epsilon}} + \beta_c,
              \quad \mu_{n,g}, \sigma_{n,g}^2 \text{ over the channels of group } g \text{ and all positions}

    As ``torch.nn.GroupNorm``: no batch statistics (training and evaluation behave the same);
    ``num_groups=1`` is layer norm over (C, H, W), ``num_groups=num_channels`` is instance norm.
    With ``affine=False`` there is no ``weight``/``bias`` (both ``None``): :math:`\gamma = 1, \beta = 0`.

    Shapes: ``weight, bias (num_channels,)``; ``x (N, num_channels, *)`` -> the same.
    """

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5, affine: bool = True) -> None:
        super().__init__()
        self.num_groups = _positive_int(num_groups, "num_groups", "GroupNorm")
        self.num_channels = _positive_int(num_channels, "num_channels", "GroupNorm")
        if self.num_channels % self.num_groups:
            raise ValueError(
                f"GroupNorm: num_channels ({self.num_channels}) must be divisible by num_groups ({self.num_groups})"
            )
        self.eps = float(eps)
        self.affine = bool(affine)
        self.weight = Parameter(np.ones(self.num_channels)) if self.affine else None
        self.bias = Parameter(np.zeros(self.num_channels)) if self.affine else None

    def forward(self, x: np.ndarray) -> np.ndarray:
        c = self.num_channels
        ok = isinstance(x, np.ndarray) and x.ndim >= 2 and x.shape[1] == c
        _check_input(x, "GroupNorm.forward", f"(N, {c}, *)", ok)
        gamma = self.weight.data if self.affine else np.ones(c)
        beta = self.bias.data if self.affine else np.zeros(c)
        out, self._cache = F.group_norm_forward(x, gamma, beta, self.num_groups, eps=self.eps)
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        dx, dgamma, dbeta = F.group_norm_backward(dout, self._saved())
        if self.affine:
            self.weight.grad += dgamma
            self.bias.grad += dbeta
        return dx

    def extra_repr(self) -> str:
        return f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}"


# ----------------------------------------------------------------------------------------------
# Convolution and pooling
# ----------------------------------------------------------------------------------------------


class _ConvNd(Module):
    """Shared by Conv1d and Conv2d: arguments, initialisation, gradient accumulation."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel: tuple[int, ...],
        stride: int,
        padding: int,
        bias: bool,
        init: str,
        rng: np.random.Generator | None,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        self.in_channels = _positive_int(in_channels, "in_channels", name)
        self.out_channels = _positive_int(out_channels, "out_channels", name)
        self.kernel_size = kernel
        self.stride = _positive_int(stride, "stride", name)
        self.padding = _nonnegative_int(padding, "padding", name)
        w_shape = (self.out_channels, self.in_channels, *kernel)
        w, b = _init_weight_bias(w_shape, self.out_channels, init, _as_rng(rng, name), name)
        self.weight = Parameter(w)
        self.bias = Parameter(b) if bias else None

    def _bias(self) -> np.ndarray:
        return self.bias.data if self.bias is not None else np.zeros(self.out_channels)

    def _accumulate(self, grads: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
        dx, dw, db = grads
        self.weight.grad += dw
        if self.bias is not None:
            self.bias.grad += db
        return dx

    def extra_repr(self) -> str:
        return (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}, padding={self.padding}, bias={self.bias is not None}"
        )


class Conv1d(_ConvNd):
    r"""1-D convolution (cross-correlation, as torch) of ``C``-channel signals with ``F`` filters.

    .. math:: y_{n,f,i} = b_f + \sum_{c,j} w_{f,c,j}\, x_{n,c,\,i \cdot s + j - p}

    Parameters
    ----------
    in_channels (C), out_channels (F), kernel_size (K) : int
    stride, padding : int
    bias : bool
    init : as :class:`Linear`, with fans ``C*K`` (in) and ``F*K`` (out)
    rng : numpy.random.Generator, optional

    Shapes: ``weight (F, C, K)``, ``bias (F,)``; ``x (N, C, L) -> y (N, F, (L + 2p - K)//s + 1)``.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int,
        stride: int = 1,
        padding: int = 0,
        bias: bool = True,
        init: str = "he",
        rng: np.random.Generator | None = None,
    ) -> None:
        k = kernel_size[0] if isinstance(kernel_size, tuple) and len(kernel_size) == 1 else kernel_size
        kernel = (_positive_int(k, "kernel_size", "Conv1d"),)
        super().__init__(in_channels, out_channels, kernel, stride, padding, bias, init, rng)

    def forward(self, x: np.ndarray) -> np.ndarray:
        c = self.in_channels
        ok = isinstance(x, np.ndarray) and x.ndim == 3 and x.shape[1] == c
        _check_input(x, "Conv1d.forward", f"(N, {c}, L)", ok)
        out, self._cache = F.conv1d_forward(x, self.weight.data, self._bias(), self.stride, self.padding)
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return self._accumulate(F.conv1d_backward(dout, self._saved()))


class Conv2d(_ConvNd):
    r"""2-D convolution (cross-correlation, as torch) of ``C``-channel images with ``F`` filters.

    .. math:: y_{n,f,i,j} = b_f + \sum_{c,u,v} w_{f,c,u,v}\, x_{n,c,\,i s + u - p,\,j s + v - p}

    Parameters
    ----------
    in_channels (C), out_channels (F) : int
    kernel_size : int or (kh, kw)
    stride, padding : int (the same along both axes)
    bias : bool
    init : as :class:`Linear`, with fans ``C*kh*kw`` (in) and ``F*kh*kw`` (out)
    rng : numpy.random.Generator, optional

    Shapes: ``weight (F, C, kh, kw)``, ``bias (F,)``;
    ``x (N, C, H, W) -> y (N, F, (H + 2p - kh)//s + 1, (W + 2p - kw)//s + 1)``.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        stride: int = 1,
        padding: int = 0,
        bias: bool = True,
        init: str = "he",
        rng: np.random.Generator | None = None,
    ) -> None:
        kernel = _pair(kernel_size, "kernel_size", "Conv2d")
        super().__init__(in_channels, out_channels, kernel, stride, padding, bias, init, rng)

    def forward(self, x: np.ndarray) -> np.ndarray:
        c = self.in_channels
        ok = isinstance(x, np.ndarray) and x.ndim == 4 and x.shape[1] == c
        _check_input(x, "Conv2d.forward", f"(N, {c}, H, W)", ok)
        out, self._cache = F.conv2d_forward(x, self.weight.data, self._bias(), self.stride, self.padding)
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return self._accumulate(F.conv2d_backward(dout, self._saved()))


class MaxPool2d(Module):
    r"""Max pooling over ``kernel_size x kernel_size`` windows; ``stride`` defaults to ``kernel_size``.

    The gradient flows only to the position that held each window's maximum.

    Shapes: ``x (N, C, H, W) -> y (N, C, (H - k)//s + 1, (W - k)//s + 1)``.
    """

    def __init__(self, kernel_size: int, stride: int | None = None) -> None:
        super().__init__()
        self.kernel_size = _positive_int(kernel_size, "kernel_size", "MaxPool2d")
        self.stride = self.kernel_size if stride is None else _positive_int(stride, "stride", "MaxPool2d")

    def forward(self, x: np.ndarray) -> np.ndarray:
        ok = isinstance(x, np.ndarray) and x.ndim == 4
        _check_input(x, "MaxPool2d.forward", "(N, C, H, W)", ok)
        out, self._cache = F.max_pool2d_forward(x, kernel_size=self.kernel_size, stride=self.stride)
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return F.max_pool2d_backward(dout, self._saved())

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}"


class Flatten(Module):
    """``(N, d1, ..., dk) -> (N, d1 * ... * dk)``: the bridge from conv feature maps to Linear."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        _check_input(x, "Flatten.forward", "(N, d1, ...)", isinstance(x, np.ndarray) and x.ndim >= 2)
        self._cache = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        shape = self._saved()
        expected = (shape[0], math.prod(shape[1:]))
        if not isinstance(dout, np.ndarray) or dout.shape != expected:
            got = dout.shape if isinstance(dout, np.ndarray) else type(dout).__name__
            raise ValueError(f"Flatten.backward: expected dout of shape {expected}, got {got}")
        return dout.reshape(shape)


# ----------------------------------------------------------------------------------------------
# Containers
# ----------------------------------------------------------------------------------------------


class Sequential(Module):
    """Modules applied one after the other; ``backward`` runs them in reverse.

    Indexable (``model[0]``, a slice gives a ``Sequential``), ``len(model)``, iterable. Parameters are
    named as torch names them: ``"0.weight"``, ``"0.bias"``, ``"2.weight"``, ...
    """

    def __init__(self, *modules: Module) -> None:
        super().__init__()
        for i, m in enumerate(modules):
            if not isinstance(m, Module):
                raise TypeError(f"Sequential: argument {i} must be a Module, got {type(m).__name__}")
        self._layers = list(modules)

    def _members(self) -> Iterator[tuple[str, Module]]:
        return ((str(i), m) for i, m in enumerate(self._layers))

    def __getitem__(self, index: int | slice) -> Module:
        if isinstance(index, slice):
            return Sequential(*self._layers[index])
        return self._layers[index]

    def __len__(self) -> int:
        return len(self._layers)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._layers)

    def forward(self, x: np.ndarray) -> np.ndarray:
        for layer in self._layers:
            x = layer(x)
        return x

    def backward(self, dout: np.ndarray) -> np.ndarray:
        for layer in reversed(self._layers):
            dout = layer.backward(dout)
        return dout


# ----------------------------------------------------------------------------------------------
# Losses
# ----------------------------------------------------------------------------------------------


class _Loss(Module):
    """A loss: ``forward(scores, y) -> float`` caches the gradient that ``backward() -> dscores`` returns."""

    def backward(self) -> np.ndarray:  # type: ignore[override]
        return self._saved().copy()  # a copy: the caller may scale it in place


class CrossEntropyLoss(_Loss):
    r"""Softmax cross-entropy, mean over the batch (``torch.nn.CrossEntropyLoss``).

    .. math:: L = -\frac1N \sum_n \log \frac{e^{s_{n, y_n}}}{\sum_j e^{s_{n, j}}}

    Shapes: ``scores (N, C)`` float, ``y (N,)`` integer labels in ``[0, C)``; ``backward() -> (N, C)``.
    """

    def forward(self, scores: np.ndarray, y: np.ndarray) -> float:  # type: ignore[override]
        loss, self._cache = F.softmax_cross_entropy(scores, y)
        return loss


class SVMLoss(_Loss):
    r"""Multiclass hinge (SVM) loss: summed over the wrong classes, mean over the batch.

    .. math:: L = \frac1N \sum_n \sum_{j \ne y_n} \max(0, s_{n,j} - s_{n,y_n} + \Delta)

    (``torch.nn.MultiMarginLoss`` also divides by the number of classes ``C``.)

    Shapes: ``scores (N, C)``, ``y (N,)`` integer labels; ``backward() -> (N, C)``.
    """

    def __init__(self, margin: float = 1.0) -> None:
        super().__init__()
        self.margin = float(margin)

    def forward(self, scores: np.ndarray, y: np.ndarray) -> float:  # type: ignore[override]
        loss, self._cache = F.svm_loss(scores, y, margin=self.margin)
        return loss

    def extra_repr(self) -> str:
        return f"margin={self.margin}"


class MSELoss(_Loss):
    r"""Mean squared error over all elements (``torch.nn.MSELoss``): :math:`L = \mathrm{mean}((p - t)^2)`.

    Shapes: ``pred`` and ``target`` of the same shape; ``backward()`` -> ``pred``'s shape.
    """

    def forward(self, pred: np.ndarray, target: np.ndarray) -> float:  # type: ignore[override]
        loss, self._cache = F.mse_loss(pred, target)
        return loss
