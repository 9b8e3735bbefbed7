"""coursekit.functional against PyTorch float64 autograd: every forward and every backward.

Layouts differ in one place only: our fully connected weights are (in, out), torch's are (out, in).
Inputs to piecewise functions are kept away from their kinks so both libraries take the same branch.
"""

from functools import partial

import numpy as np
import pytest
import torch
import torch.nn.functional as tF

from coursekit import functional as F

RTOL, ATOL = 1e-10, 1e-12


def close(actual, expected, rtol=RTOL, atol=ATOL):
    if isinstance(expected, torch.Tensor):
        expected = expected.detach().numpy()
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)


def leaf(a):
    return torch.tensor(a, dtype=torch.float64, requires_grad=True)


def away_from_zero(rng, shape, gap=0.05):
    """Standard normal values with |x| >= gap, so no input sits on a kink at 0."""
    x = rng.standard_normal(shape)
    return np.where(np.abs(x) < gap, np.sign(x + 1e-300) * gap, x)


@pytest.fixture
def rng():
    return np.random.default_rng(20240611)


# --- Linear -------------------------------------------------------------------------------------------


def test_linear_flattens_x_and_matches_torch_with_transposed_weight(rng):
    x, w, b = rng.standard_normal((4, 3, 2)), rng.standard_normal((6, 5)), rng.standard_normal(5)
    out, cache = F.linear_forward(x, w, b)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = F.linear_backward(dout, cache)
    tx, tw, tb = leaf(x), leaf(w.T), leaf(b)
    t_out = tF.linear(tx.reshape(4, -1), tw, tb)
    t_out.backward(torch.tensor(dout))
    close(out, t_out)
    assert dx.shape == x.shape
    close(dx, tx.grad)
    close(dw, tw.grad.T)
    close(db, tb.grad)


# --- Elementwise activations --------------------------------------------------------------------------

ELEMENTWISE = {
    "relu": (F.relu_forward, F.relu_backward, torch.relu),
    "leaky_relu default alpha": (F.leaky_relu_forward, F.leaky_relu_backward, tF.leaky_relu),
    "leaky_relu alpha=0.2": (
        partial(F.leaky_relu_forward, alpha=0.2),
        F.leaky_relu_backward,
        partial(tF.leaky_relu, negative_slope=0.2),
    ),
    "elu default alpha": (F.elu_forward, F.elu_backward, tF.elu),
    "elu alpha=0.7": (partial(F.elu_forward, alpha=0.7), F.elu_backward, partial(tF.elu, alpha=0.7)),
    "selu": (F.selu_forward, F.selu_backward, tF.selu),
    "sigmoid": (F.sigmoid_forward, F.sigmoid_backward, torch.sigmoid),
    "tanh": (F.tanh_forward, F.tanh_backward, torch.tanh),
}


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_activation_forward_and_backward_match_torch(name, rng):
    forward, backward, torch_fn = ELEMENTWISE[name]
    x = 3 * away_from_zero(rng, (4, 3, 5))
    out, cache = forward(x)
    dout = rng.standard_normal(out.shape)
    tx = leaf(x)
    t_out = torch_fn(tx)
    t_out.backward(torch.tensor(dout))
    close(out, t_out)
    close(backward(dout, cache), tx.grad)


def test_selu_constants_are_torchs():
    x = np.array([1.0, -60.0])
    out, _ = F.selu_forward(x)
    # selu(1) = lambda; selu(-60) = -lambda * alpha (to double precision)
    close(out, tF.selu(torch.tensor(x)), rtol=0, atol=0)
    assert out[0] == F.SELU_LAMBDA
    assert out[1] == pytest.approx(-F.SELU_LAMBDA * F.SELU_ALPHA, rel=1e-15)


@pytest.mark.parametrize("x_shape", [(5, 3), (2, 3, 4, 4)])
def test_prelu_per_channel_alpha_matches_torch(x_shape, rng):
    x, alpha = away_from_zero(rng, x_shape), rng.uniform(0.05, 0.5, x_shape[1])
    out, cache = F.prelu_forward(x, alpha)
    dout = rng.standard_normal(out.shape)
    dx, dalpha = F.prelu_backward(dout, cache)
    tx, ta = leaf(x), leaf(alpha)
    t_out = tF.prelu(tx, ta)
    t_out.backward(torch.tensor(dout))
    close(out, t_out)
    close(dx, tx.grad)
    assert dalpha.shape == alpha.shape
    close(dalpha, ta.grad)


@pytest.mark.parametrize("alpha", [np.array([0.25]), 0.25], ids=["array (1,)", "python float"])
def test_prelu_single_shared_alpha_matches_torch(alpha, rng):
    x = away_from_zero(rng, (3, 4, 2))
    out, cache = F.prelu_forward(x, alpha)
    dout = rng.standard_normal(out.shape)
    dx, dalpha = F.prelu_backward(dout, cache)
    tx, ta = leaf(x), leaf(np.array([0.25]))
    t_out = tF.prelu(tx, ta)
    t_out.backward(torch.tensor(dout))
    close(out, t_out)
    close(dx, tx.grad)
    assert np.shape(dalpha) == np.shape(alpha)
    close(np.reshape(dalpha, (1,)), ta.grad)


def test_maxout_matches_the_max_of_torch_affine_pieces(rng):
    x, w, b = rng.standard_normal((6, 4)), rng.standard_normal((4, 3, 5)), rng.standard_normal((3, 5))
    out, cache = F.maxout_forward(x, w, b)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = F.maxout_backward(dout, cache)
    tx, tw, tb = leaf(x), leaf(w), leaf(b)
    t_out = (torch.einsum("nd,dmk->nmk", tx, tw) + tb).max(dim=2).values
    t_out.backward(torch.tensor(dout))
    close(out, t_out)
    close(dx, tx.grad)
    close(dw, tw.grad)
    close(db, tb.grad)


# --- Softmax and losses -------------------------------------------------------------------------------


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_softmax_and_log_softmax_match_torch_along_any_axis(axis, rng):
    x = 5 * rng.standard_normal((3, 4, 5))
    close(F.softmax(x, axis=axis), torch.softmax(torch.tensor(x), dim=axis))
    close(F.log_softmax(x, axis=axis), torch.log_softmax(torch.tensor(x), dim=axis))


def test_softmax_cross_entropy_matches_torch_cross_entropy(rng):
    scores, y = 3 * rng.standard_normal((7, 5)), rng.integers(0, 5, 7)
    loss, dscores = F.softmax_cross_entropy(scores, y)
    ts = leaf(scores)
    t_loss = tF.cross_entropy(ts, torch.tensor(y))
    t_loss.backward()
    assert isinstance(loss, float)
    close(loss, t_loss)
    close(dscores, ts.grad)


@pytest.mark.parametrize("margin", [1.0, 0.5])
def test_svm_loss_is_torch_multi_margin_loss_times_number_of_classes(margin, rng):
    # torch divides the per-sample sum over wrong classes by C as well; our loss does not.
    scores, y = rng.standard_normal((8, 4)), rng.integers(0, 4, 8)
    loss, dscores = F.svm_loss(scores, y, margin=margin)
    ts = leaf(scores)
    t_loss = tF.multi_margin_loss(ts, torch.tensor(y), margin=margin) * 4
    t_loss.backward()
    assert isinstance(loss, float)
    close(loss, t_loss)
    close(dscores, ts.grad)


def test_mse_loss_matches_torch(rng):
    pred, target = rng.standard_normal((4, 3, 2)), rng.standard_normal((4, 3, 2))
    loss, dpred = F.mse_loss(pred, target)
    tp = leaf(pred)
    t_loss = tF.mse_loss(tp, torch.tensor(target))
    t_loss.backward()
    assert isinstance(loss, float)
    close(loss, t_loss)
    close(dpred, tp.grad)


@pytest.mark.parametrize("soft", [False, True], ids=["0/1 targets", "soft targets"])
def test_binary_cross_entropy_matches_torch(soft, rng):
    prob = rng.uniform(0.02, 0.98, (5, 3))
    target = rng.uniform(0, 1, (5, 3)) if soft else rng.integers(0, 2, (5, 3)).astype(float)
    loss, dprob = F.binary_cross_entropy(prob, target)
    tp = leaf(prob)
    t_loss = tF.binary_cross_entropy(tp, torch.tensor(target))
    t_loss.backward()
    close(loss, t_loss)
    close(dprob, tp.grad)


def test_binary_cross_entropy_clips_like_torch_at_probabilities_0_and_1():
    prob, target = np.array([0.0, 1.0, 0.0, 1.0]), np.array([1.0, 0.0, 0.0, 1.0])
    loss, dprob = F.binary_cross_entropy(prob, target)
    tp = leaf(prob)
    t_loss = tF.binary_cross_entropy(tp, torch.tensor(target))
    t_loss.backward()
    assert np.isfinite(loss)
    close(loss, t_loss)
    close(dprob, tp.grad)


# --- Batch norm and layer norm ------------------------------------------------------------------------


def _torch_batchnorm(x, gamma, beta, rm, rv, dout, **kwargs):
    tx, tg, tb = leaf(x), leaf(gamma), leaf(beta)
    t_rm, t_rv = torch.tensor(rm), torch.tensor(rv)
    t_out = tF.batch_norm(tx, t_rm, t_rv, tg, tb, **kwargs)
    t_out.backward(torch.tensor(dout))
    return t_out, (tx.grad, tg.grad, tb.grad), (t_rm, t_rv)


@pytest.mark.parametrize("training", [True, False], ids=["train", "eval"])
@pytest.mark.parametrize("x_shape", [(8, 5), (4, 3, 5, 6)], ids=["(N,D)", "(N,C,H,W)"])
def test_batchnorm_forward_backward_and_running_buffers_match_torch(x_shape, training, rng):
    c = x_shape[1]
    x = 2 + 3 * rng.standard_normal(x_shape)
    gamma, beta = rng.uniform(0.5, 2, c), rng.standard_normal(c)
    rm, rv = rng.standard_normal(c), rng.uniform(0.5, 2, c)
    kwargs = dict(training=training, momentum=0.2, eps=1e-4)
    dout = rng.standard_normal(x_shape)
    t_out, t_grads, t_buffers = _torch_batchnorm(x, gamma, beta, rm, rv, dout, **kwargs)
    out, cache = F.batchnorm_forward(x, gamma, beta, rm, rv, **kwargs)  # updates rm, rv in place
    close(out, t_out)
    for ours, theirs in zip(F.batchnorm_backward(dout, cache), t_grads, strict=True):
        close(ours, theirs)
    close(rm, t_buffers[0])
    close(rv, t_buffers[1])


def test_batchnorm_defaults_are_torchs(rng):
    x, gamma, beta = rng.standard_normal((6, 3)), np.ones(3), np.zeros(3)
    rm, rv = np.zeros(3), np.ones(3)
    t_out, _, (t_rm, t_rv) = _torch_batchnorm(x, gamma, beta, rm, rv, np.ones_like(x), training=True)
    out, _ = F.batchnorm_forward(x, gamma, beta, rm, rv)
    close(out, t_out)
    close(rm, t_rm)
    close(rv, t_rv)


@pytest.mark.parametrize("x_shape", [(6, 5), (3, 2, 4, 4)])
def test_layernorm_matches_torch_over_all_but_the_batch_axis(x_shape, rng):
    x = 1 + 2 * rng.standard_normal(x_shape)
    gamma, beta = rng.uniform(0.5, 2, x_shape[1:]), rng.standard_normal(x_shape[1:])
    out, cache = F.layernorm_forward(x, gamma, beta, eps=1e-5)
    dout = rng.standard_normal(x_shape)
    tx, tg, tb = leaf(x), leaf(gamma), leaf(beta)
    t_out = tF.layer_norm(tx, x_shape[1:], tg, tb, eps=1e-5)
    t_out.backward(torch.tensor(dout))
    close(out, t_out)
    for ours, theirs in zip(F.layernorm_backward(dout, cache), (tx.grad, tg.grad, tb.grad), strict=True):
        close(ours, theirs)


# --- Dropout (torch's RNG differs, so its semantics are checked directly) -----------------------------


def test_dropout_zeroes_with_probability_p_and_scales_survivors_by_1_over_1_minus_p(rng):
    x = rng.uniform(1, 2, (200, 500))
    out, _ = F.dropout_forward(x, p=0.3, rng=rng)
    dropped = out == 0
    assert abs(dropped.mean() - 0.3) < 0.01
    close(out[~dropped], x[~dropped] / 0.7)


def test_dropout_backward_reuses_the_forward_mask(rng):
    x = rng.uniform(1, 2, (20, 30))
    out, cache = F.dropout_forward(x, p=0.5, rng=rng)
    dout = rng.standard_normal(x.shape)
    close(F.dropout_backward(dout, cache), dout * out / x)


@pytest.mark.parametrize("kwargs", [dict(training=False), dict(p=0.0)], ids=["eval", "p=0"])
def test_dropout_is_the_identity_in_eval_mode_or_with_p_zero(kwargs, rng):
    x = rng.standard_normal((4, 5))
    out, cache = F.dropout_forward(x, rng=rng, **kwargs)
    dout = rng.standard_normal(x.shape)
    close(out, x, rtol=0, atol=0)
    close(F.dropout_backward(dout, cache), dout, rtol=0, atol=0)


def test_dropout_with_p_one_zeroes_everything(rng):
    x = rng.standard_normal((4, 5))
    out, cache = F.dropout_forward(x, p=1.0, rng=rng)
    assert not out.any()
    assert not F.dropout_backward(np.ones_like(x), cache).any()


def test_dropout_with_the_same_seed_gives_the_same_mask():
    x = np.ones((10, 10))
    a, _ = F.dropout_forward(x, rng=np.random.default_rng(3))
    b, _ = F.dropout_forward(x, rng=np.random.default_rng(3))
    close(a, b, rtol=0, atol=0)


# --- Convolution and pooling --------------------------------------------------------------------------

CONV_SETTINGS = [(1, 0), (1, 1), (2, 0), (2, 1), (3, 2)]  # (stride, padding)


@pytest.mark.parametrize(("stride", "padding"), CONV_SETTINGS)
def test_conv1d_matches_torch(stride, padding, rng):
    x, w, b = rng.standard_normal((3, 2, 11)), rng.standard_normal((4, 2, 3)), rng.standard_normal(4)
    out, cache = F.conv1d_forward(x, w, b, stride=stride, padding=padding)
    dout = rng.standard_normal(out.shape)
    tx, tw, tb = leaf(x), leaf(w), leaf(b)
    t_out = tF.conv1d(tx, tw, tb, stride=stride, padding=padding)
    t_out.backward(torch.tensor(dout))
    close(out, t_out)
    for ours, theirs in zip(F.conv1d_backward(dout, cache), (tx.grad, tw.grad, tb.grad), strict=True):
        close(ours, theirs)


@pytest.mark.parametrize(("stride", "padding"), CONV_SETTINGS)
def test_conv2d_matches_torch(stride, padding, rng):
    x, w, b = rng.standard_normal((2, 3, 9, 8)), rng.standard_normal((4, 3, 3, 2)), rng.standard_normal(4)
    out, cache = F.conv2d_forward(x, w, b, stride=stride, padding=padding)
    dout = rng.standard_normal(out.shape)
    tx, tw, tb = leaf(x), leaf(w), leaf(b)
    t_out = tF.conv2d(tx, tw, tb, stride=stride, padding=padding)
    t_out.backward(torch.tensor(dout))
    close(out, t_out)
    for ours, theirs in zip(F.conv2d_backward(dout, cache), (tx.grad, tw.grad, tb.grad), strict=True):
        close(ours, theirs)


@pytest.mark.parametrize(("size", "kernel", "stride", "padding"), [(32, 3, 1, 1), (7, 3, 2, 0), (10, 4, 3, 2)])
def test_conv_output_size_is_the_shape_torch_produces(size, kernel, stride, padding):
    t_out = tF.conv1d(torch.zeros(1, 1, size), torch.zeros(1, 1, kernel), stride=stride, padding=padding)
    assert F.conv_output_size(size, kernel, stride, padding) == t_out.shape[-1]


@pytest.mark.parametrize(("kernel", "stride"), [(2, None), (3, 2), (2, 1), (3, 3), (2, 3)])
def test_max_pool2d_matches_torch_including_stride_other_than_kernel(kernel, stride, rng):
    x = rng.standard_normal((2, 3, 8, 7))
    out, cache = F.max_pool2d_forward(x, kernel, stride)
    dout = rng.standard_normal(out.shape)
    tx = leaf(x)
    t_out = tF.max_pool2d(tx, kernel, stride)
    t_out.backward(torch.tensor(dout))
    close(out, t_out)
    close(F.max_pool2d_backward(dout, cache), tx.grad)


@pytest.mark.parametrize(("kernel", "stride"), [(2, None), (3, 1)])
def test_max_pool2d_routes_ties_to_the_first_maximum_like_torch(kernel, stride, rng):
    x = rng.integers(0, 2, (2, 2, 6, 6)).astype(float)  # plenty of tied windows
    out, cache = F.max_pool2d_forward(x, kernel, stride)
    dout = rng.standard_normal(out.shape)
    tx = leaf(x)
    tF.max_pool2d(tx, kernel, stride).backward(torch.tensor(dout))
    close(F.max_pool2d_backward(dout, cache), tx.grad)


# --- Naive loops agree with the vectorised versions ---------------------------------------------------


@pytest.mark.parametrize(("stride", "padding"), CONV_SETTINGS)
def test_naive_conv2d_agrees_with_vectorised_conv2d(stride, padding, rng):
    x, w, b = rng.standard_normal((2, 2, 7, 6)), rng.standard_normal((3, 2, 3, 2)), rng.standard_normal(3)
    out, cache = F.conv2d_forward(x, w, b, stride, padding)
    out_naive, cache_naive = F.conv2d_forward_naive(x, w, b, stride, padding)
    dout = rng.standard_normal(out.shape)
    close(out_naive, out)
    grads = F.conv2d_backward(dout, cache)
    for ours, theirs in zip(F.conv2d_backward_naive(dout, cache_naive), grads, strict=True):
        close(ours, theirs)


@pytest.mark.parametrize(("stride", "padding"), CONV_SETTINGS)
def test_naive_conv1d_agrees_with_vectorised_conv1d(stride, padding, rng):
    x, w, b = rng.standard_normal((2, 2, 9)), rng.standard_normal((3, 2, 3)), rng.standard_normal(3)
    out, cache = F.conv1d_forward(x, w, b, stride, padding)
    out_naive, cache_naive = F.conv1d_forward_naive(x, w, b, stride, padding)
    dout = rng.standard_normal(out.shape)
    close(out_naive, out)
    grads = F.conv1d_backward(dout, cache)
    for ours, theirs in zip(F.conv1d_backward_naive(dout, cache_naive), grads, strict=True):
        close(ours, theirs)


@pytest.mark.parametrize(("kernel", "stride"), [(2, None), (3, 2), (2, 1), (2, 3)])
def test_naive_max_pool2d_agrees_with_vectorised_max_pool2d(kernel, stride, rng):
    x = rng.integers(0, 3, (2, 2, 7, 6)).astype(float)  # ties included
    out, cache = F.max_pool2d_forward(x, kernel, stride)
    out_naive, cache_naive = F.max_pool2d_forward_naive(x, kernel, stride)
    dout = rng.standard_normal(out.shape)
    close(out_naive, out)
    close(F.max_pool2d_backward_naive(dout, cache_naive), F.max_pool2d_backward(dout, cache))
