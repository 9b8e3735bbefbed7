"""Pure functions: the forward and backward pass of every layer and loss in the course (NumPy).

Contract (see the design document): ``*_forward(...) -> (out, cache)`` and
``*_backward(dout, cache)`` returning the gradients in the order of the forward's array inputs
(a single array when there is one); losses return ``(loss, dscores)`` with ``loss`` a Python float.
Everything is float64, batch first, images ``(N, C, H, W)``, fully connected weights ``(in, out)``.

Modules, in teaching order: ``linear``, ``activations``, ``losses``, ``norm``, ``dropout``, ``conv``, ``pool``.
"""

from .activations import (
    SELU_ALPHA,
    SELU_LAMBDA,
    elu_backward,
    elu_forward,
    gelu_backward,
    gelu_forward,
    leaky_relu_backward,
    leaky_relu_forward,
    maxout_backward,
    maxout_forward,
    prelu_backward,
    prelu_forward,
    relu_backward,
    relu_forward,
    selu_backward,
    selu_forward,
    sigmoid_backward,
    sigmoid_forward,
    silu_backward,
    silu_forward,
    tanh_backward,
    tanh_forward,
)
from .conv import (
    conv1d_backward,
    conv1d_backward_naive,
    conv1d_forward,
    conv1d_forward_naive,
    conv2d_backward,
    conv2d_backward_naive,
    conv2d_forward,
    conv2d_forward_naive,
    conv_output_size,
)
from .dropout import dropout_backward, dropout_forward
from .linear import linear_backward, linear_forward
from .losses import binary_cross_entropy, log_softmax, mse_loss, softmax, softmax_cross_entropy, svm_loss
from .norm import (
    batchnorm_backward,
    batchnorm_forward,
    group_norm_backward,
    group_norm_forward,
    layernorm_backward,
    layernorm_forward,
)
from .pool import max_pool2d_backward, max_pool2d_backward_naive, max_pool2d_forward, max_pool2d_forward_naive

__all__ = [
    "linear_forward",
    "linear_backward",
    "relu_forward",
    "relu_backward",
    "leaky_relu_forward",
    "leaky_relu_backward",
    "elu_forward",
    "elu_backward",
    "selu_forward",
    "selu_backward",
    "prelu_forward",
    "prelu_backward",
    "sigmoid_forward",
    "sigmoid_backward",
    "tanh_forward",
    "tanh_backward",
    "gelu_forward",
    "gelu_backward",
    "silu_forward",
    "silu_backward",
    "maxout_forward",
    "maxout_backward",
    "SELU_LAMBDA",
    "SELU_ALPHA",
    "softmax",
    "log_softmax",
    "softmax_cross_entropy",
    "svm_loss",
    "mse_loss",
    "binary_cross_entropy",
    "batchnorm_forward",
    "batchnorm_backward",
    "layernorm_forward",
    "layernorm_backward",
    "group_norm_forward",
    "group_norm_backward",
    "dropout_forward",
    "dropout_backward",
    "conv_output_size",
    "conv1d_forward",
    "conv1d_backward",
    "conv1d_forward_naive",
    "conv1d_backward_naive",
    "conv2d_forward",
    "conv2d_backward",
    "conv2d_forward_naive",
    "conv2d_backward_naive",
    "max_pool2d_forward",
    "max_pool2d_backward",
    "max_pool2d_forward_naive",
    "max_pool2d_backward_naive",
]
