"""coursekit: the reference implementations behind *Deep Learning Foundations*.

The package layout is the course's table of contents::

    functional  forward/backward pairs of every layer and loss (NumPy)
    nn          torch-like modules built on `functional`
    optim       SGD, AdaGrad, RMSprop, Adam and learning-rate schedules
    init        weight initialisers (zeros, normal, Xavier/Glorot, He/Kaiming, LeCun)
    gradcheck   numerical gradients and relative errors
    autograd    a scalar reverse-mode engine (`Value`) and its graph drawing
    classic     threshold units, Rosenblatt's perceptron, Widrow-Hoff ADALINE
    data        offline datasets and mini-batching
    train       a small training loop with history and early stopping
    plot        the figures the lectures use
    grading     assertion helpers that nbgrader test cells call
    claims      `claim`: numbers quoted in the lecture prose, measured and range-checked

Importing ``coursekit`` is cheap: submodules load on first use, and nothing here imports
torch or matplotlib until a function that needs them is called.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

_SUBMODULES = (
    "functional",
    "nn",
    "optim",
    "init",
    "gradcheck",
    "autograd",
    "classic",
    "data",
    "train",
    "plot",
    "grading",
    "claims",
)

__all__ = [*_SUBMODULES, "__version__"]

if TYPE_CHECKING:  # pragma: no cover
    from . import (  # noqa: F401
        autograd,
        claims,
        classic,
        data,
        functional,
        gradcheck,
        grading,
        init,
        nn,
        optim,
        plot,
        train,
    )


def __getattr__(name: str):
    if name in _SUBMODULES:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'coursekit' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
