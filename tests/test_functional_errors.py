"""Bad input is rejected with an error that names the function and the argument; no silent broadcasting.

And numerical stability: the softmax family, sigmoid and BCE stay finite and raise no floating-point
error for extreme but finite input, even under ``np.errstate(all="raise")``.
"""

import numpy as np
import pytest

from coursekit import functional as F

x2, x4 = np.ones((2, 3)), np.ones((2, 3, 5, 5))
w33, b3, labels = np.ones((3, 3)), np.ones(3), np.array([0, 2])
bn = dict(gamma=np.ones(3), beta=np.zeros(3), running_mean=np.zeros(3), running_var=np.ones(3))
conv_w, conv_b = np.ones((4, 3, 3, 3)), np.ones(4)


def _cache(forward, *args, **kwargs):
    return forward(*args, **kwargs)[1]


BAD_INPUT = {
    # name: (call, exception, words the message must contain)
    "linear x not an array": (lambda: F.linear_forward([[1.0, 2.0, 3.0]], w33, b3), TypeError, "x"),
    "linear w of wrong height": (lambda: F.linear_forward(x2, np.ones((4, 3)), b3), ValueError, "w has shape (4, 3)"),
    "linear b of wrong length": (lambda: F.linear_forward(x2, w33, np.ones(2)), ValueError, "b must have shape (3,)"),
    "linear w 1-D": (lambda: F.linear_forward(x2, np.ones(3), b3), ValueError, "w must be a 2-D"),
    "linear dout of wrong shape": (
        lambda: F.linear_backward(np.ones((3, 3)), _cache(F.linear_forward, x2, w33, b3)),
        ValueError,
        "dout must have shape (2, 3)",
    ),
    "relu x a list": (lambda: F.relu_forward([1.0, -1.0]), TypeError, "relu_forward: x"),
    "relu x complex": (lambda: F.relu_forward(np.ones(2, dtype=complex)), TypeError, "dtype"),
    "relu x of strings": (lambda: F.relu_forward(np.array(["a"])), TypeError, "x"),
    "sigmoid x boolean": (lambda: F.sigmoid_forward(np.ones(2, dtype=bool)), TypeError, "sigmoid_forward: x"),
    "tanh x a scalar": (lambda: F.tanh_forward(1.0), TypeError, "tanh_forward: x"),
    "elu alpha a string": (lambda: F.elu_forward(x2, alpha="1"), TypeError, "alpha"),
    "selu x a list": (lambda: F.selu_forward([1.0]), TypeError, "selu_forward: x"),
    "leaky_relu alpha infinite": (lambda: F.leaky_relu_forward(x2, alpha=np.inf), ValueError, "alpha"),
    "relu dout of wrong shape": (
        lambda: F.relu_backward(np.ones(3), _cache(F.relu_forward, x2)),
        ValueError,
        "relu_backward: dout must have shape (2, 3)",
    ),
    "prelu alpha per feature of wrong length": (
        lambda: F.prelu_forward(x2, np.ones(2)),
        ValueError,
        "alpha must have shape (3,)",
    ),
    "prelu alpha a string": (lambda: F.prelu_forward(x2, "0.25"), TypeError, "alpha"),
    "maxout x 3-D": (lambda: F.maxout_forward(x4[:, :, 0], np.ones((3, 2, 2)), np.ones((2, 2))), ValueError, "x"),
    "maxout w of wrong depth": (
        lambda: F.maxout_forward(x2, np.ones((4, 2, 2)), np.ones((2, 2))),
        ValueError,
        "w has shape (4, 2, 2)",
    ),
    "maxout b of wrong shape": (
        lambda: F.maxout_forward(x2, np.ones((3, 2, 2)), np.ones((2, 3))),
        ValueError,
        "b must have shape (2, 2)",
    ),
    "softmax axis out of range": (lambda: F.softmax(x2, axis=2), ValueError, "axis"),
    "log_softmax x a list": (lambda: F.log_softmax([1.0, 2.0]), TypeError, "log_softmax: x"),
    "cross entropy float labels": (
        lambda: F.softmax_cross_entropy(x2, np.array([0.0, 1.0])),
        TypeError,
        "y must have an integer dtype",
    ),
    "cross entropy label out of range": (
        lambda: F.softmax_cross_entropy(x2, np.array([0, 3])),
        ValueError,
        "[0, 3)",
    ),
    "cross entropy negative label": (lambda: F.softmax_cross_entropy(x2, np.array([0, -1])), ValueError, "y"),
    "cross entropy labels of wrong length": (
        lambda: F.softmax_cross_entropy(x2, np.array([0, 1, 2])),
        ValueError,
        "y must have shape (2,)",
    ),
    "cross entropy labels a list": (lambda: F.softmax_cross_entropy(x2, [0, 1]), TypeError, "y"),
    "cross entropy scores 1-D": (lambda: F.softmax_cross_entropy(b3, labels), ValueError, "scores"),
    "svm labels 2-D": (lambda: F.svm_loss(x2, labels[:, None]), ValueError, "y must have shape (2,)"),
    "svm margin a string": (lambda: F.svm_loss(x2, labels, margin="1"), TypeError, "margin"),
    "mse target broadcastable but not equal": (
        lambda: F.mse_loss(x2, np.ones(3)),
        ValueError,
        "target must have shape (2, 3)",
    ),
    "mse pred a list": (lambda: F.mse_loss([1.0], np.ones(1)), TypeError, "pred"),
    "bce prob outside [0, 1]": (lambda: F.binary_cross_entropy(2 * x2, x2), ValueError, "prob"),
    "bce target of wrong shape": (
        lambda: F.binary_cross_entropy(0.5 * x2, np.ones((3, 2))),
        ValueError,
        "target must have shape (2, 3)",
    ),
    "batchnorm gamma of wrong length": (
        lambda: F.batchnorm_forward(x2, **{**bn, "gamma": np.ones(4)}),
        ValueError,
        "gamma must have shape (3,)",
    ),
    "batchnorm running_var a list": (
        lambda: F.batchnorm_forward(x2, **{**bn, "running_var": [1.0, 1.0, 1.0]}),
        TypeError,
        "running_var",
    ),
    "batchnorm running_mean of wrong length": (
        lambda: F.batchnorm_forward(x4, **{**bn, "running_mean": np.zeros(5)}),
        ValueError,
        "running_mean must have shape (3,)",
    ),
    "batchnorm x 1-D": (lambda: F.batchnorm_forward(b3, **bn), ValueError, "x"),
    "batchnorm one value per channel in training": (
        lambda: F.batchnorm_forward(x2[:1], **bn),
        ValueError,
        "more than 1 value per channel",
    ),
    "batchnorm momentum a string": (lambda: F.batchnorm_forward(x2, **bn, momentum="0.1"), TypeError, "momentum"),
    "layernorm gamma not x.shape[1:]": (
        lambda: F.layernorm_forward(x4, np.ones(3), np.zeros(3)),
        ValueError,
        "gamma must have shape (3, 5, 5)",
    ),
    "layernorm beta of wrong shape": (
        lambda: F.layernorm_forward(x2, np.ones(3), np.zeros(2)),
        ValueError,
        "beta must have shape (3,)",
    ),
    "dropout p above 1": (lambda: F.dropout_forward(x2, p=1.5), ValueError, "p must be a probability"),
    "dropout p negative": (lambda: F.dropout_forward(x2, p=-0.1), ValueError, "p"),
    "dropout p a string": (lambda: F.dropout_forward(x2, p="0.5"), TypeError, "p"),
    "dropout rng a seed": (lambda: F.dropout_forward(x2, rng=0), TypeError, "rng"),
    "dropout dout of wrong shape": (
        lambda: F.dropout_backward(np.ones(2), _cache(F.dropout_forward, x2, rng=np.random.default_rng(0))),
        ValueError,
        "dout",
    ),
    "conv2d x 3-D": (lambda: F.conv2d_forward(x4[0], conv_w, conv_b), ValueError, "x must be a 4-D"),
    "conv2d channel mismatch": (
        lambda: F.conv2d_forward(x4, np.ones((4, 2, 3, 3)), conv_b),
        ValueError,
        "w has shape (4, 2, 3, 3)",
    ),
    "conv2d b of wrong length": (
        lambda: F.conv2d_forward(x4, conv_w, np.ones(3)),
        ValueError,
        "b must have shape (4,)",
    ),
    "conv2d stride zero": (lambda: F.conv2d_forward(x4, conv_w, conv_b, stride=0), ValueError, "stride"),
    "conv2d stride a float": (lambda: F.conv2d_forward(x4, conv_w, conv_b, stride=1.0), TypeError, "stride"),
    "conv2d negative padding": (lambda: F.conv2d_forward(x4, conv_w, conv_b, padding=-1), ValueError, "padding"),
    "conv2d kernel larger than input": (
        lambda: F.conv2d_forward(x4, np.ones((4, 3, 6, 6)), conv_b),
        ValueError,
        "kernel height 6",
    ),
    "conv2d dout of wrong shape": (
        lambda: F.conv2d_backward(np.ones((2, 4, 5, 5)), _cache(F.conv2d_forward, x4, conv_w, conv_b)),
        ValueError,
        "dout must have shape (2, 4, 3, 3)",
    ),
    "conv2d naive channel mismatch": (
        lambda: F.conv2d_forward_naive(x4, np.ones((4, 2, 3, 3)), conv_b),
        ValueError,
        "conv2d_forward_naive: w",
    ),
    "conv1d x 4-D": (lambda: F.conv1d_forward(x4, np.ones((4, 3, 3)), conv_b), ValueError, "x must be a 3-D"),
    "conv1d w of wrong channels": (
        lambda: F.conv1d_forward(x4[:, :, 0], np.ones((4, 2, 3)), conv_b),
        ValueError,
        "w has shape (4, 2, 3)",
    ),
    "conv1d naive stride a bool": (
        lambda: F.conv1d_forward_naive(x4[:, :, 0], np.ones((4, 3, 3)), conv_b, stride=True),
        TypeError,
        "stride",
    ),
    "max_pool2d x 2-D": (lambda: F.max_pool2d_forward(x2), ValueError, "x must be a 4-D"),
    "max_pool2d kernel zero": (lambda: F.max_pool2d_forward(x4, kernel_size=0), ValueError, "kernel_size"),
    "max_pool2d stride a float": (lambda: F.max_pool2d_forward(x4, 2, stride=1.5), TypeError, "stride"),
    "max_pool2d kernel larger than input": (lambda: F.max_pool2d_forward(x4, 6), ValueError, "kernel"),
    "max_pool2d naive x a list": (lambda: F.max_pool2d_forward_naive([[1.0]]), TypeError, "x"),
    "max_pool2d dout of wrong shape": (
        lambda: F.max_pool2d_backward(np.ones((2, 3, 3, 3)), _cache(F.max_pool2d_forward, x4)),
        ValueError,
        "dout must have shape (2, 3, 2, 2)",
    ),
    "conv_output_size kernel too large": (lambda: F.conv_output_size(3, 5), ValueError, "kernel"),
    "conv_output_size stride zero": (lambda: F.conv_output_size(8, 3, stride=0), ValueError, "stride"),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_raises_an_error_naming_the_function_and_argument(case):
    call, error, words = BAD_INPUT[case]
    with pytest.raises(error) as excinfo:
        call()
    message = str(excinfo.value)
    assert words in message
    assert ":" in message  # "function_name: ..." prefix


def test_errors_state_the_expected_and_the_given_shape():
    with pytest.raises(ValueError, match=r"linear_forward: w has shape \(4, 3\) .* expected w of shape \(3, M\)"):
        F.linear_forward(x2, np.ones((4, 3)), b3)


def test_integer_arrays_are_accepted_and_computed_in_float64():
    out, _ = F.relu_forward(np.array([-2, 3]))
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [0.0, 3.0])


def test_batchnorm_in_eval_mode_leaves_the_running_buffers_alone():
    rm, rv = np.zeros(3), np.ones(3)
    F.batchnorm_forward(x2, np.ones(3), np.zeros(3), rm, rv, training=False)
    np.testing.assert_array_equal(rm, 0.0)
    np.testing.assert_array_equal(rv, 1.0)


# --- Numerical stability ------------------------------------------------------------------------------

EXTREME = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, 1000.0], [710.0, -745.5, 3.0]])


@pytest.mark.parametrize("fn", [F.softmax, F.log_softmax], ids=["softmax", "log_softmax"])
def test_softmax_family_is_finite_and_raises_nothing_for_huge_scores(fn):
    with np.errstate(all="raise"):
        out = fn(EXTREME)
    assert np.all(np.isfinite(out))


def test_softmax_of_huge_scores_is_exact():
    with np.errstate(all="raise"):
        np.testing.assert_array_equal(F.softmax(EXTREME)[0], [1.0, 0.0, 0.0])
        np.testing.assert_array_equal(F.log_softmax(EXTREME)[0], [0.0, -2000.0, -1000.0])


def test_cross_entropy_is_finite_and_raises_nothing_for_huge_scores():
    with np.errstate(all="raise"):
        loss, dscores = F.softmax_cross_entropy(EXTREME, np.array([1, 0, 2]))
    assert np.isfinite(loss) and np.all(np.isfinite(dscores))
    assert loss == pytest.approx((2000 + 2000 + 707) / 3)


def test_svm_loss_raises_nothing_for_huge_scores():
    with np.errstate(all="raise"):
        loss, dscores = F.svm_loss(EXTREME, np.array([1, 0, 2]))
    assert np.isfinite(loss) and np.all(np.isfinite(dscores))


def test_sigmoid_is_finite_and_raises_nothing_for_huge_input():
    x = EXTREME.ravel()
    with np.errstate(all="raise"):
        out, cache = F.sigmoid_forward(x)
        dx = F.sigmoid_backward(np.ones_like(x), cache)
    assert np.all((out >= 0) & (out <= 1)) and np.all(np.isfinite(dx))
    assert out[0] == 1.0 and out[1] == 0.0


@pytest.mark.parametrize(
    ("forward", "backward"),
    [(F.tanh_forward, F.tanh_backward), (F.elu_forward, F.elu_backward), (F.selu_forward, F.selu_backward)],
    ids=["tanh", "elu", "selu"],
)
def test_saturating_activations_raise_nothing_for_huge_input(forward, backward):
    x = EXTREME.ravel()
    with np.errstate(all="raise"):
        out, cache = forward(x)
        dx = backward(np.ones_like(x), cache)
    assert np.all(np.isfinite(out)) and np.all(np.isfinite(dx))


def test_binary_cross_entropy_is_finite_and_raises_nothing_at_probabilities_0_and_1():
    prob, target = np.array([0.0, 1.0, 1e-320, 1.0 - 1e-16]), np.array([1.0, 0.0, 1.0, 0.0])
    with np.errstate(all="raise"):
        loss, dprob = F.binary_cross_entropy(prob, target)
    assert np.isfinite(loss) and np.all(np.isfinite(dprob))
    assert loss <= 100.0
