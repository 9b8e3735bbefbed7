"""Property tests: every backward agrees with central differences on random shapes and values.

Each example draws its shapes with hypothesis and its values from a seeded NumPy generator; the
output is multiplied by a random, non-uniform upstream gradient (a uniform one would hide, for
example, a missing mean term in batch norm's backward). Inputs are kept at least
0.1 away from every kink (0 for the ReLU family, ties for Maxout and max pooling), far beyond the
finite-difference step of 1e-5.
"""

from functools import partial

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coursekit import functional as F
from coursekit.gradcheck import numerical_gradient, numerical_gradient_array, rel_error

TOL = 1e-6
seeds = st.integers(0, 2**32 - 1)
small = st.integers(1, 4)


def away_from_zero(rng, shape, gap=0.1):
    """Values with |x| in [gap, gap + 2): no input sits within a finite-difference step of 0."""
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(gap, gap + 2, size=shape)


def distinct(rng, shape, spacing=0.1):
    """Values that differ pairwise by at least ``spacing``: no ties in any max."""
    return rng.permutation(int(np.prod(shape))).reshape(shape) * spacing + rng.uniform(0, 0.01)


def assert_gradients_match(forward, backward, *inputs, seed):
    """Every input's analytic gradient against central differences, under a random upstream gradient.

    The error is measured against the largest entry of each gradient: finite differences carry an
    absolute error around 1e-10, so an elementwise relative error (``check_layer``'s) is pure noise for
    entries that happen to be near zero, as batch norm's dx often is.
    """
    out, cache = forward(*inputs)
    dout = np.random.default_rng(seed).standard_normal(out.shape)  # random and non-uniform
    grads = backward(dout, cache)
    grads = grads if isinstance(grads, tuple) else (grads,)
    assert len(grads) == len(inputs)
    for k, (x, analytic) in enumerate(zip(inputs, grads, strict=True)):
        f_k = lambda v, k=k: forward(*inputs[:k], v, *inputs[k + 1 :])[0]
        numeric = numerical_gradient_array(f_k, x, dout)
        assert np.shape(analytic) == x.shape, f"gradient {k} has shape {np.shape(analytic)}, input {x.shape}"
        scale = max(float(np.abs(numeric).max(initial=0.0)), 1e-3)
        assert np.abs(analytic - numeric).max(initial=0.0) <= TOL * scale, f"input {k}"


shapes = st.lists(small, min_size=1, max_size=3).map(tuple)


@given(shape=shapes, seed=seeds)
def test_linear_backward_matches_numerical_gradient(shape, seed):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    x = rng.standard_normal((n, *shape))
    w, b = rng.standard_normal((int(np.prod(shape)), m)), rng.standard_normal(m)
    assert_gradients_match(F.linear_forward, F.linear_backward, x, w, b, seed=seed)


ELEMENTWISE = {
    "relu": (F.relu_forward, F.relu_backward),
    "leaky_relu": (partial(F.leaky_relu_forward, alpha=0.1), F.leaky_relu_backward),
    "elu": (partial(F.elu_forward, alpha=0.8), F.elu_backward),
    "selu": (F.selu_forward, F.selu_backward),
    "sigmoid": (F.sigmoid_forward, F.sigmoid_backward),
    "tanh": (F.tanh_forward, F.tanh_backward),
}


@pytest.mark.parametrize("name", ELEMENTWISE)
@given(shape=shapes, seed=seeds)
def test_elementwise_activation_backward_matches_numerical_gradient(name, shape, seed):
    forward, backward = ELEMENTWISE[name]
    x = away_from_zero(np.random.default_rng(seed), shape)
    assert_gradients_match(forward, backward, x, seed=seed)


@given(shape=st.lists(small, min_size=2, max_size=4).map(tuple), per_channel=st.booleans(), seed=seeds)
def test_prelu_backward_matches_numerical_gradient_for_x_and_alpha(shape, per_channel, seed):
    rng = np.random.default_rng(seed)
    x = away_from_zero(rng, shape)
    alpha = rng.uniform(0.05, 0.5, shape[1] if per_channel else 1)
    assert_gradients_match(F.prelu_forward, F.prelu_backward, x, alpha, seed=seed)


@given(n=small, d=small, m=small, k=st.integers(2, 4), seed=seeds)
def test_maxout_backward_matches_numerical_gradient(n, d, m, k, seed):
    rng = np.random.default_rng(seed)
    x, w = rng.standard_normal((n, d)), rng.standard_normal((d, m, k))
    b = distinct(rng, (m, k), spacing=1.0)  # separates the pieces so no two tie at x
    assert_gradients_match(F.maxout_forward, F.maxout_backward, x, w, b, seed=seed)


def _loss_gradient_error(loss_fn, x, *args):
    _, analytic = loss_fn(x, *args)
    numeric = numerical_gradient(lambda v: loss_fn(v, *args)[0], x)
    return rel_error(analytic, numeric)


@given(n=small, c=st.integers(2, 5), seed=seeds)
def test_softmax_cross_entropy_gradient_matches_numerical_gradient(n, c, seed):
    rng = np.random.default_rng(seed)
    scores, y = rng.standard_normal((n, c)), rng.integers(0, c, n)
    assert _loss_gradient_error(F.softmax_cross_entropy, scores, y) < TOL


@given(n=small, c=st.integers(2, 5), seed=seeds)
def test_svm_loss_gradient_matches_numerical_gradient(n, c, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, c, n)
    # Margins s_j - s_y + 1 land on multiples of 0.1 plus 0.05: never within a step of the hinge at 0.
    scores = rng.integers(-20, 20, (n, c)) * 0.1
    scores[np.arange(n), y] += 0.05
    assert _loss_gradient_error(F.svm_loss, scores, y) < TOL


@given(shape=shapes, seed=seeds)
def test_mse_loss_gradient_matches_numerical_gradient(shape, seed):
    rng = np.random.default_rng(seed)
    pred, target = rng.standard_normal(shape), rng.standard_normal(shape)
    assert _loss_gradient_error(F.mse_loss, pred, target) < TOL


@given(shape=shapes, seed=seeds)
def test_binary_cross_entropy_gradient_matches_numerical_gradient(shape, seed):
    rng = np.random.default_rng(seed)
    prob, target = rng.uniform(0.05, 0.95, shape), rng.uniform(0, 1, shape)
    assert _loss_gradient_error(F.binary_cross_entropy, prob, target) < TOL


@given(
    shape=st.one_of(st.tuples(st.integers(2, 5), small), st.tuples(st.integers(1, 3), small, small, small)),
    training=st.booleans(),
    seed=seeds,
)
def test_batchnorm_backward_matches_numerical_gradient(shape, training, seed):
    rng = np.random.default_rng(seed)
    c = shape[1]
    if training and np.prod(shape) // c < 2:
        shape = (2, *shape[1:])  # training needs at least two values per channel, as torch
    x, gamma, beta = 2 * rng.standard_normal(shape), rng.uniform(0.5, 2, c), rng.standard_normal(c)
    rm, rv = rng.standard_normal(c), rng.uniform(0.5, 2, c)

    def forward(x, gamma, beta):  # fresh buffers each call: the in-place update must not drift
        return F.batchnorm_forward(x, gamma, beta, rm.copy(), rv.copy(), training=training)

    assert_gradients_match(forward, F.batchnorm_backward, x, gamma, beta, seed=seed)


@given(shape=st.lists(st.integers(1, 4), min_size=2, max_size=4).map(tuple), seed=seeds)
def test_layernorm_backward_matches_numerical_gradient(shape, seed):
    rng = np.random.default_rng(seed)
    x = 2 * rng.standard_normal(shape)
    gamma, beta = rng.uniform(0.5, 2, shape[1:]), rng.standard_normal(shape[1:])
    assert_gradients_match(F.layernorm_forward, F.layernorm_backward, x, gamma, beta, seed=seed)


@given(shape=shapes, p=st.sampled_from([0.0, 0.3, 0.5, 0.9, 1.0]), seed=seeds)
def test_dropout_backward_matches_numerical_gradient_for_a_fixed_mask(shape, p, seed):
    x = np.random.default_rng(seed).standard_normal(shape)
    # Re-seed on every call so each forward draws the same mask, as the finite differences require.
    forward = lambda x: F.dropout_forward(x, p=p, rng=np.random.default_rng(seed))
    assert_gradients_match(forward, F.dropout_backward, x, seed=seed)


conv_settings = st.tuples(st.integers(1, 3), st.integers(0, 2))  # (stride, padding)


@given(n=st.integers(1, 2), c=st.integers(1, 3), f=st.integers(1, 3), length=st.integers(1, 8),
       k=st.integers(1, 4), setting=conv_settings, seed=seeds)  # fmt: skip
def test_conv1d_backward_matches_numerical_gradient(n, c, f, length, k, setting, seed):
    stride, padding = setting
    k = min(k, length + 2 * padding)  # the kernel must fit inside the padded input
    rng = np.random.default_rng(seed)
    x, w, b = rng.standard_normal((n, c, length)), rng.standard_normal((f, c, k)), rng.standard_normal(f)
    forward = partial(F.conv1d_forward, stride=stride, padding=padding)
    assert_gradients_match(forward, F.conv1d_backward, x, w, b, seed=seed)


@given(n=st.integers(1, 2), c=st.integers(1, 2), f=st.integers(1, 2), h=st.integers(1, 5),
       w=st.integers(1, 5), hh=st.integers(1, 3), ww=st.integers(1, 3), setting=conv_settings, seed=seeds)  # fmt: skip
def test_conv2d_backward_matches_numerical_gradient(n, c, f, h, w, hh, ww, setting, seed):
    stride, padding = setting
    hh, ww = min(hh, h + 2 * padding), min(ww, w + 2 * padding)
    rng = np.random.default_rng(seed)
    x, wt, b = rng.standard_normal((n, c, h, w)), rng.standard_normal((f, c, hh, ww)), rng.standard_normal(f)
    forward = partial(F.conv2d_forward, stride=stride, padding=padding)
    assert_gradients_match(forward, F.conv2d_backward, x, wt, b, seed=seed)


@given(n=st.integers(1, 2), c=st.integers(1, 2), h=st.integers(1, 7), w=st.integers(1, 7),
       kernel=st.integers(1, 3), stride=st.one_of(st.none(), st.integers(1, 3)), seed=seeds)  # fmt: skip
def test_max_pool2d_backward_matches_numerical_gradient(n, c, h, w, kernel, stride, seed):
    kernel = min(kernel, h, w)
    x = distinct(np.random.default_rng(seed), (n, c, h, w))
    forward = partial(F.max_pool2d_forward, kernel_size=kernel, stride=stride)
    assert_gradients_match(forward, F.max_pool2d_backward, x, seed=seed)
