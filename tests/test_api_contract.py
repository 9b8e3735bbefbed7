"""Every public name DESIGN.md promises exists, and importing coursekit stays cheap."""

from __future__ import annotations

import subprocess
import sys

import pytest

import coursekit

CONTRACT = {
    "functional": """linear_forward linear_backward relu_forward relu_backward sigmoid_forward sigmoid_backward
        tanh_forward tanh_backward leaky_relu_forward leaky_relu_backward elu_forward elu_backward selu_forward
        selu_backward prelu_forward prelu_backward maxout_forward maxout_backward softmax log_softmax
        softmax_cross_entropy svm_loss mse_loss binary_cross_entropy batchnorm_forward batchnorm_backward
        layernorm_forward layernorm_backward dropout_forward dropout_backward conv1d_forward conv1d_backward
        conv2d_forward conv2d_backward conv2d_forward_naive max_pool2d_forward max_pool2d_backward""",
    "nn": """Parameter Module Linear ReLU Sigmoid Tanh LeakyReLU ELU SELU PReLU Maxout Dropout BatchNorm1d
        BatchNorm2d LayerNorm Conv1d Conv2d MaxPool2d Flatten Sequential CrossEntropyLoss SVMLoss MSELoss""",
    "optim": "SGD AdaGrad RMSprop Adam StepLR ExponentialLR InverseTimeLR clip_grad_norm_",
    "init": "zeros normal xavier_uniform xavier_normal he_normal he_uniform lecun_normal",
    "gradcheck": "numerical_gradient numerical_gradient_array rel_error check_layer",
    "autograd": "Value draw",
    "classic": "threshold_unit Perceptron Adaline",
    "data": """load_digits load_iris load_sample_photo load_mnist1d make_xor make_spirals make_blobs
        train_val_test_split standardize iterate_minibatches""",
    "train": "fit evaluate accuracy",
    "grading": "assert_close assert_shape assert_gradient",
}


@pytest.mark.parametrize("module", sorted(CONTRACT))
def test_every_design_name_exists(module):
    mod = getattr(coursekit, module)
    missing = [name for name in CONTRACT[module].split() if not hasattr(mod, name)]
    assert missing == [], f"coursekit.{module} lacks {missing}"


def test_importing_coursekit_loads_neither_torch_nor_matplotlib():
    code = (
        "import sys, coursekit\n"
        "from coursekit import functional, nn, optim, init, gradcheck, autograd, classic, data, train, grading, plot\n"
        "heavy = sorted(m for m in ('torch', 'matplotlib') if m in sys.modules)\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_console_script_is_installed():
    out = subprocess.run([sys.executable, "-m", "coursekit.cli", "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    for command in ("release", "check", "grade", "feedback"):
        assert command in out.stdout
