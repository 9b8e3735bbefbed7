"""coursekit.nn against torch.nn in float64: forward, dx and every parameter gradient, to 1e-10.

Weights are copied from our modules into the torch ones (``Linear.weight`` transposed: we store
``(in, out)``, torch ``(out, in)``); upstream gradients are random and non-uniform.
"""

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from coursekit import nn

TOL = 1e-10
DT = torch.float64


# --- helpers -----------------------------------------------------------------------------------


def assert_close(actual, expected, tol=TOL):
    if torch.is_tensor(expected):
        expected = expected.detach().numpy()
    np.testing.assert_allclose(actual, expected, rtol=tol, atol=tol)


def _owner(module, dotted_name):
    for part in dotted_name.split(".")[:-1]:
        module = module[int(part)] if isinstance(module, nn.Sequential) else getattr(module, part)
    return module


def _torch_layout(module, name, array):
    """Our Linear weight is (in, out), torch's (out, in): transpose just that one."""
    is_linear_weight = isinstance(_owner(module, name), nn.Linear) and name.endswith("weight")
    return array.T if is_linear_weight else array


def copy_params(ours, theirs):
    """Copy our parameters into the torch module; names must agree one to one."""
    pairs = list(zip(ours.named_parameters(), theirs.named_parameters(), strict=True))
    with torch.no_grad():
        for (name, p), (torch_name, tp) in pairs:
            assert name == torch_name
            tp.copy_(torch.from_numpy(np.ascontiguousarray(_torch_layout(ours, name, p.data))))
    return pairs


def assert_param_grads_match(ours, pairs):
    for (name, p), (_, tp) in pairs:
        assert_close(p.grad, _torch_layout(ours, name, tp.grad.numpy()))


def check_module_against_torch(ours, theirs, x, seed=0):
    """Forward, dx and every parameter gradient of ``ours`` against ``theirs`` on input ``x``."""
    pairs = copy_params(ours, theirs)
    xt = torch.tensor(x, dtype=DT, requires_grad=True)
    out, out_t = ours(x), theirs(xt)
    assert_close(out, out_t)
    dout = np.random.default_rng(seed).standard_normal(out.shape)
    dx = ours.backward(dout)
    out_t.backward(torch.from_numpy(dout))
    assert_close(dx, xt.grad)
    assert_param_grads_match(ours, pairs)


def randn(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def rng(seed=0):
    return np.random.default_rng(seed)


# --- every module against torch ----------------------------------------------------------------


@pytest.mark.parametrize("bias", [True, False])
def test_linear_matches_torch(bias):
    ours = nn.Linear(4, 3, bias=bias, rng=rng())
    theirs = torch.nn.Linear(4, 3, bias=bias, dtype=DT)
    check_module_against_torch(ours, theirs, randn(5, 4))


def test_linear_without_bias_has_only_a_weight():
    layer = nn.Linear(4, 3, bias=False)
    assert layer.bias is None
    assert [name for name, _ in layer.named_parameters()] == ["weight"]


ELEMENTWISE = [
    (nn.ReLU(), torch.nn.ReLU()),
    (nn.Sigmoid(), torch.nn.Sigmoid()),
    (nn.Tanh(), torch.nn.Tanh()),
    (nn.LeakyReLU(), torch.nn.LeakyReLU()),
    (nn.LeakyReLU(0.2), torch.nn.LeakyReLU(0.2)),
    (nn.ELU(), torch.nn.ELU()),
    (nn.ELU(alpha=0.7), torch.nn.ELU(alpha=0.7)),
    (nn.SELU(), torch.nn.SELU()),
]


@pytest.mark.parametrize(("ours", "theirs"), ELEMENTWISE, ids=lambda m: repr(m))
def test_activation_matches_torch(ours, theirs):
    check_module_against_torch(ours, theirs, 3 * randn(4, 3, 5))


@pytest.mark.parametrize("num_parameters", [1, 3])
def test_prelu_matches_torch(num_parameters):
    ours = nn.PReLU(num_parameters, init=0.1)
    ours.weight.data[:] = np.linspace(0.1, 0.4, num_parameters)  # distinct slopes per channel
    theirs = torch.nn.PReLU(num_parameters, dtype=DT)
    check_module_against_torch(ours, theirs, randn(4, 3, 5))


def test_prelu_starts_at_torchs_slope():
    np.testing.assert_array_equal(nn.PReLU(3).weight.data, [0.25, 0.25, 0.25])


class TorchMaxout(torch.nn.Module):
    """Maxout as torch would write it: one Linear to out*k, then the max over each group of k."""

    def __init__(self, d, m, k):
        super().__init__()
        self.m, self.k = m, k
        self.linear = torch.nn.Linear(d, m * k, dtype=DT)

    def forward(self, x):
        return self.linear(x).view(-1, self.m, self.k).max(dim=2).values


def test_maxout_matches_torch():
    ours = nn.Maxout(4, 3, k=3, rng=rng())
    ours.bias.data[:] = randn(3, 3, seed=1)
    theirs = TorchMaxout(4, 3, 3)
    with torch.no_grad():
        theirs.linear.weight.copy_(torch.from_numpy(ours.weight.data.reshape(4, 9).T.copy()))
        theirs.linear.bias.copy_(torch.from_numpy(ours.bias.data.reshape(9)))
    x = randn(6, 4)
    xt = torch.tensor(x, requires_grad=True)
    out, out_t = ours(x), theirs(xt)
    assert_close(out, out_t)
    dout = randn(6, 3, seed=2)
    dx = ours.backward(dout)
    out_t.backward(torch.from_numpy(dout))
    assert_close(dx, xt.grad)
    assert_close(ours.weight.grad, theirs.linear.weight.grad.numpy().T.reshape(4, 3, 3))
    assert_close(ours.bias.grad, theirs.linear.bias.grad.numpy().reshape(3, 3))


@pytest.mark.parametrize("shape", [(6, 3), (6, 3, 5)])
def test_batchnorm1d_in_training_matches_torch(shape):
    ours = nn.BatchNorm1d(3)
    ours.weight.data[:] = [0.5, 1.5, -2.0]
    ours.bias.data[:] = [0.1, -0.2, 0.3]
    check_module_against_torch(ours, torch.nn.BatchNorm1d(3, dtype=DT), 2 * randn(*shape) + 1)


def test_batchnorm2d_in_training_matches_torch():
    ours = nn.BatchNorm2d(3, momentum=0.3, eps=1e-3)
    ours.weight.data[:] = [0.5, 1.5, -2.0]
    ours.bias.data[:] = [0.1, -0.2, 0.3]
    theirs = torch.nn.BatchNorm2d(3, momentum=0.3, eps=1e-3, dtype=DT)
    check_module_against_torch(ours, theirs, 2 * randn(4, 3, 5, 2) + 1)


def test_layernorm_matches_torch():
    ours = nn.LayerNorm((3, 4))
    ours.weight.data[:] = randn(3, 4, seed=1)
    ours.bias.data[:] = randn(3, 4, seed=2)
    check_module_against_torch(ours, torch.nn.LayerNorm((3, 4), dtype=DT), randn(5, 3, 4))


def test_layernorm_accepts_an_int_shape():
    check_module_against_torch(nn.LayerNorm(6), torch.nn.LayerNorm(6, dtype=DT), randn(5, 6))


@pytest.mark.parametrize(("stride", "padding", "bias"), [(1, 0, True), (2, 1, True), (3, 2, False)])
def test_conv1d_matches_torch(stride, padding, bias):
    ours = nn.Conv1d(3, 4, 3, stride=stride, padding=padding, bias=bias, init="torch", rng=rng())
    theirs = torch.nn.Conv1d(3, 4, 3, stride=stride, padding=padding, bias=bias, dtype=DT)
    check_module_against_torch(ours, theirs, randn(2, 3, 11))


@pytest.mark.parametrize(
    ("kernel_size", "stride", "padding", "bias"), [(3, 1, 1, True), ((3, 2), 2, 1, True), (2, 1, 0, False)]
)
def test_conv2d_matches_torch(kernel_size, stride, padding, bias):
    ours = nn.Conv2d(2, 3, kernel_size, stride=stride, padding=padding, bias=bias, init="torch", rng=rng())
    theirs = torch.nn.Conv2d(2, 3, kernel_size, stride=stride, padding=padding, bias=bias, dtype=DT)
    check_module_against_torch(ours, theirs, randn(2, 2, 7, 6))


@given(
    n=st.integers(1, 3),
    c=st.integers(1, 3),
    f=st.integers(1, 3),
    size=st.integers(3, 8),
    k=st.integers(1, 3),
    stride=st.integers(1, 3),
    padding=st.integers(0, 2),
)
def test_conv2d_matches_torch_for_any_geometry(n, c, f, size, k, stride, padding):
    ours = nn.Conv2d(c, f, k, stride=stride, padding=padding, rng=rng())
    theirs = torch.nn.Conv2d(c, f, k, stride=stride, padding=padding, dtype=DT)
    check_module_against_torch(ours, theirs, randn(n, c, size, size + 1))


@pytest.mark.parametrize(("kernel_size", "stride"), [(2, None), (3, 2), (2, 1)])
def test_max_pool2d_matches_torch(kernel_size, stride):
    ours = nn.MaxPool2d(kernel_size, stride)
    theirs = torch.nn.MaxPool2d(kernel_size, stride)
    check_module_against_torch(ours, theirs, randn(2, 3, 7, 6))


def test_flatten_matches_torch():
    check_module_against_torch(nn.Flatten(), torch.nn.Flatten(), randn(2, 3, 4, 5))


# --- losses ------------------------------------------------------------------------------------


def _check_loss(ours, torch_loss, scores, target, torch_target):
    st_ = torch.tensor(scores, requires_grad=True)
    expected = torch_loss(st_, torch_target)
    loss = ours(scores, target)
    assert isinstance(loss, float)
    assert loss == pytest.approx(expected.item(), rel=TOL, abs=TOL)
    expected.backward()
    assert_close(ours.backward(), st_.grad)


def test_cross_entropy_loss_matches_torch():
    y = np.array([0, 2, 1, 2, 4])
    _check_loss(nn.CrossEntropyLoss(), torch.nn.CrossEntropyLoss(), randn(5, 5), y, torch.from_numpy(y))


@pytest.mark.parametrize("margin", [1.0, 0.5])
def test_svm_loss_is_torch_multi_margin_loss_times_the_number_of_classes(margin):
    y = np.array([0, 2, 1, 3])
    scores = randn(4, 4)
    mm = torch.nn.MultiMarginLoss(margin=margin)
    _check_loss(nn.SVMLoss(margin), lambda s, t: 4 * mm(s, t), scores, y, torch.from_numpy(y))


def test_mse_loss_matches_torch():
    target = randn(4, 3, seed=1)
    _check_loss(nn.MSELoss(), torch.nn.MSELoss(), randn(4, 3), target, torch.from_numpy(target))


@pytest.mark.parametrize("loss", [nn.CrossEntropyLoss(), nn.SVMLoss(), nn.MSELoss()], ids=repr)
def test_loss_backward_before_forward_says_so(loss):
    with pytest.raises(RuntimeError, match=f"{type(loss).__name__}.backward called before forward"):
        type(loss)().backward()


# --- whole networks ----------------------------------------------------------------------------


def _check_network(ours, theirs, x, y):
    pairs = copy_params(ours, theirs)
    loss_fn, xt = nn.CrossEntropyLoss(), torch.tensor(x, requires_grad=True)
    loss = loss_fn(ours(x), y)
    loss_t = torch.nn.functional.cross_entropy(theirs(xt), torch.from_numpy(y))
    assert loss == pytest.approx(loss_t.item(), rel=TOL)
    dx = ours.backward(loss_fn.backward())
    loss_t.backward()
    assert_close(dx, xt.grad)
    assert_param_grads_match(ours, pairs)


def test_mlp_end_to_end_matches_torch():
    r = rng(1)
    ours = nn.Sequential(nn.Linear(6, 8, rng=r), nn.ReLU(), nn.Linear(8, 8, rng=r), nn.Tanh(), nn.Linear(8, 3, rng=r))
    theirs = torch.nn.Sequential(
        torch.nn.Linear(6, 8), torch.nn.ReLU(), torch.nn.Linear(8, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3)
    ).to(DT)
    _check_network(ours, theirs, randn(10, 6), np.arange(10) % 3)


def test_cnn_end_to_end_matches_torch():
    r = rng(2)
    ours = nn.Sequential(
        nn.Conv2d(2, 4, 3, padding=1, rng=r),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(4 * 3 * 3, 5, rng=r),
    )
    theirs = torch.nn.Sequential(
        torch.nn.Conv2d(2, 4, 3, padding=1),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Linear(4 * 3 * 3, 5),
    ).to(DT)
    _check_network(ours, theirs, randn(4, 2, 6, 6), np.array([0, 4, 2, 1]))


def test_batchnorm_mlp_end_to_end_matches_torch():
    r = rng(3)
    ours = nn.Sequential(nn.Linear(5, 6, rng=r), nn.BatchNorm1d(6), nn.ReLU(), nn.Linear(6, 3, rng=r))
    theirs = torch.nn.Sequential(
        torch.nn.Linear(5, 6), torch.nn.BatchNorm1d(6), torch.nn.ReLU(), torch.nn.Linear(6, 3)
    ).to(DT)
    _check_network(ours, theirs, randn(8, 5), np.arange(8) % 3)


# --- gradients accumulate, zero_grad resets ----------------------------------------------------


def test_gradients_accumulate_across_backward_calls_like_torch():
    ours, theirs = nn.Linear(4, 3, rng=rng()), torch.nn.Linear(4, 3, dtype=DT)
    pairs = copy_params(ours, theirs)
    for seed in (1, 2):
        x, dout = randn(5, 4, seed=seed), randn(5, 3, seed=seed + 10)
        ours(x)
        ours.backward(dout)
        theirs(torch.from_numpy(x)).backward(torch.from_numpy(dout))
    assert_param_grads_match(ours, pairs)


def test_two_backward_calls_give_twice_the_gradient():
    layer = nn.Linear(4, 3, rng=rng())
    layer(randn(5, 4))
    layer.backward(randn(5, 3, seed=1))
    once = layer.weight.grad.copy()
    layer.backward(randn(5, 3, seed=1))
    assert_close(layer.weight.grad, 2 * once)


def test_zero_grad_sets_every_gradient_to_zeros_in_place():
    model = nn.Sequential(nn.Linear(4, 3, rng=rng()), nn.BatchNorm1d(3), nn.PReLU())
    model(randn(5, 4))
    model.backward(randn(5, 3, seed=1))
    grads = [p.grad for p in model.parameters()]
    assert all(g.any() for g in grads)
    model.zero_grad()
    for p, g in zip(model.parameters(), grads, strict=True):
        assert p.grad is g  # the same array: an optimiser holding it sees the reset
        assert p.grad.shape == p.data.shape and not p.grad.any()


def test_parameter_grad_starts_as_zeros_of_the_data_shape():
    p = nn.Parameter(np.arange(6).reshape(2, 3))
    assert p.data.dtype == np.float64
    assert p.grad.shape == (2, 3) and not p.grad.any()


# --- train / eval ------------------------------------------------------------------------------


def test_modules_start_in_training_mode_and_eval_propagates_to_children():
    model = nn.Sequential(nn.Linear(3, 3), nn.Sequential(nn.Dropout(), nn.BatchNorm1d(3)))
    assert model.training and model[1][0].training
    assert model.eval() is model
    assert not model.training and not model[1].training and not model[1][1].training
    model.train()
    assert model[1][0].training and model[1][1].training


def test_dropout_in_training_zeroes_about_p_and_scales_the_rest():
    x = np.ones((200, 100))
    out = nn.Dropout(0.3, rng=rng())(x)
    assert set(np.unique(out)) == {0.0, 1 / 0.7}
    assert (out == 0).mean() == pytest.approx(0.3, abs=0.01)


def test_dropout_backward_uses_the_forward_mask_as_torch_would():
    layer, x = nn.Dropout(0.4, rng=rng()), randn(6, 5)
    out = layer(x)
    scale = np.where(out == 0, 0.0, 1 / 0.6)  # the mask the forward drew
    xt = torch.tensor(x, requires_grad=True)
    out_t = xt * torch.from_numpy(scale)
    assert_close(out, out_t)
    dout = randn(6, 5, seed=1)
    out_t.backward(torch.from_numpy(dout))
    assert_close(layer.backward(dout), xt.grad)


def test_dropout_with_the_same_seed_draws_the_same_masks():
    a, b = nn.Dropout(0.5, rng=rng(7)), nn.Dropout(0.5, rng=rng(7))
    x = np.ones((4, 10))
    for _ in range(3):  # consecutive masks come from one stream, and differ from each other
        np.testing.assert_array_equal(a(x), b(x))
    assert not np.array_equal(a(x), a(x))


def test_dropout_in_eval_is_the_identity_like_torch():
    ours, theirs = nn.Dropout(0.5, rng=rng()).eval(), torch.nn.Dropout(0.5).eval()
    check_module_against_torch(ours, theirs, randn(4, 6))


@pytest.mark.parametrize(
    ("ours", "theirs", "shape"),
    [
        (nn.BatchNorm1d(3, momentum=0.2), torch.nn.BatchNorm1d(3, momentum=0.2, dtype=DT), (8, 3)),
        (nn.BatchNorm2d(3), torch.nn.BatchNorm2d(3, dtype=DT), (4, 3, 3, 2)),
    ],
)
def test_batchnorm_running_buffers_and_eval_output_follow_torch(ours, theirs, shape):
    for step in range(5):
        x = 3 * randn(*shape, seed=step) + step
        assert_close(ours(x), theirs(torch.from_numpy(x)))
    assert_close(ours.running_mean, theirs.running_mean)
    assert_close(ours.running_var, theirs.running_var)
    ours.eval(), theirs.eval()
    check_module_against_torch(ours, theirs, randn(*shape, seed=99))


def test_batchnorm_in_eval_leaves_the_running_buffers_alone():
    bn = nn.BatchNorm1d(3).eval()
    bn(randn(8, 3))
    np.testing.assert_array_equal(bn.running_mean, np.zeros(3))
    np.testing.assert_array_equal(bn.running_var, np.ones(3))


def test_batchnorm_buffers_are_not_parameters():
    bn = nn.BatchNorm2d(4)
    assert [name for name, _ in bn.named_parameters()] == ["weight", "bias"]
    np.testing.assert_array_equal(bn.weight.data, np.ones(4))
    np.testing.assert_array_equal(bn.bias.data, np.zeros(4))


# --- parameters(), containers, repr ------------------------------------------------------------


def test_parameters_come_in_definition_order_weight_before_bias():
    model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.BatchNorm1d(3), nn.Linear(3, 2))
    expected = [model[0].weight, model[0].bias, model[2].weight, model[2].bias, model[3].weight, model[3].bias]
    assert [id(p) for p in model.parameters()] == [id(p) for p in expected]


def test_parameter_names_match_torchs():
    ours = nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Sequential(nn.Linear(2, 2), nn.PReLU()))
    theirs = torch.nn.Sequential(
        torch.nn.Conv2d(1, 2, 3), torch.nn.Flatten(), torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.PReLU())
    )
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]


class TwoLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(4, 5)
        self.act = nn.ReLU()
        self.scale = nn.Parameter(np.ones(5))
        self.out = nn.Linear(5, 2)


def test_parameters_of_a_custom_module_recurse_in_definition_order():
    m = TwoLayer()
    expected = [m.hidden.weight, m.hidden.bias, m.scale, m.out.weight, m.out.bias]
    assert [id(p) for p in m.parameters()] == [id(p) for p in expected]


def test_a_shared_parameter_is_listed_once():
    first = nn.Linear(3, 3)
    second = nn.Linear(3, 3)
    second.weight = first.weight
    assert len(list(nn.Sequential(first, second).parameters())) == 3


def test_sequential_is_indexable_sized_and_iterable():
    layers = [nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)]
    model = nn.Sequential(*layers)
    assert len(model) == 3
    assert list(model) == layers
    assert model[-1] is layers[2]
    assert isinstance(model[1:], nn.Sequential) and list(model[1:]) == layers[1:]


def test_sequential_backward_runs_the_layers_in_reverse():
    x = randn(5, 3)
    model = nn.Sequential(nn.Linear(3, 4, rng=rng()), nn.Tanh(), nn.Linear(4, 2, rng=rng(1)))
    dout = randn(5, 2, seed=1)
    model(x)
    by_hand = model[0].backward(model[1].backward(model[2].backward(dout)))
    model.zero_grad()
    assert_close(model.backward(dout), by_hand)


def test_repr_reads_like_torchs():
    model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Sequential(nn.Dropout(0.2)))
    assert repr(model) == (
        "Sequential(\n"
        "  (0): Linear(in_features=4, out_features=3, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Sequential(\n"
        "    (0): Dropout(p=0.2)\n"
        "  )\n"
        ")"
    )


# --- initialisation of Linear and Conv ---------------------------------------------------------


def test_linear_he_init_has_std_sqrt_2_over_fan_in_and_zero_bias():
    layer = nn.Linear(400, 500, rng=rng())
    assert layer.weight.data.std() == pytest.approx(math.sqrt(2 / 400), rel=0.02)
    assert not layer.bias.data.any()


def test_conv_init_uses_the_conv_fan_in():
    layer = nn.Conv2d(16, 64, 5, init="lecun", rng=rng())
    assert layer.weight.shape == (64, 16, 5, 5)
    assert layer.weight.data.std() == pytest.approx(math.sqrt(1 / (16 * 25)), rel=0.02)


@pytest.mark.parametrize(
    "make",
    [lambda init, r: nn.Linear(300, 20, init=init, rng=r), lambda init, r: nn.Conv1d(12, 20, 25, init=init, rng=r)],
)
def test_torch_init_draws_weight_and_bias_from_plus_minus_one_over_sqrt_fan_in(make):
    layer = make("torch", rng())
    bound = 1 / math.sqrt(300)
    for p in (layer.weight.data, layer.bias.data):
        assert np.abs(p).max() <= bound
        assert np.abs(p).max() > 0.8 * bound
    assert layer.weight.data.std() == pytest.approx(bound / math.sqrt(3), rel=0.05)


@pytest.mark.parametrize(
    ("init", "std"), [("xavier", math.sqrt(2 / 700)), ("normal", 0.01), ("lecun", math.sqrt(1 / 300))]
)
def test_linear_init_options(init, std):
    layer = nn.Linear(300, 400, init=init, rng=rng())
    assert layer.weight.data.std() == pytest.approx(std, rel=0.02)
    assert not layer.bias.data.any()


def test_zeros_init_gives_zeros():
    assert not nn.Linear(3, 4, init="zeros").weight.data.any()


def test_same_seed_gives_the_same_model():
    def make(seed):
        r = rng(seed)
        return nn.Sequential(nn.Conv2d(1, 2, 3, rng=r), nn.Flatten(), nn.Maxout(2, 2, rng=r), nn.Linear(2, 2, rng=r))

    for a, b in zip(make(5).parameters(), make(5).parameters(), strict=True):
        np.testing.assert_array_equal(a.data, b.data)


def test_unknown_init_is_rejected_with_the_options():
    with pytest.raises(ValueError, match=r"Linear: init must be one of \['he', 'xavier'.*got 'kaiming'"):
        nn.Linear(3, 4, init="kaiming")


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "module",
    [nn.ReLU(), nn.Linear(3, 2), nn.Conv2d(1, 1, 1), nn.BatchNorm1d(3), nn.Flatten(), nn.Dropout(), nn.MaxPool2d(2)],
    ids=lambda m: type(m).__name__,
)
def test_backward_before_forward_says_so(module):
    with pytest.raises(RuntimeError, match=f"{type(module).__name__}.backward called before forward"):
        module.backward(np.ones((2, 3)))


@pytest.mark.parametrize(
    ("module", "x", "message"),
    [
        (nn.Linear(4, 3), np.ones((5, 3)), r"Linear.forward: expected x of shape \(N, 4\).*got \(5, 3\)"),
        (nn.Linear(4, 3), np.ones((5, 2, 2)), r"Linear.forward: .*Flatten.*got \(5, 2, 2\)"),
        (nn.Maxout(4, 3), np.ones((5, 3)), r"Maxout.forward: expected x of shape \(N, 4\)"),
        (nn.Conv2d(3, 2, 3), np.ones((2, 1, 5, 5)), r"Conv2d.forward: expected x of shape \(N, 3, H, W\)"),
        (nn.Conv2d(3, 2, 3), np.ones((3, 5, 5)), r"Conv2d.forward: .*got \(3, 5, 5\)"),
        (nn.Conv1d(3, 2, 3), np.ones((2, 2, 5)), r"Conv1d.forward: expected x of shape \(N, 3, L\)"),
        (nn.BatchNorm1d(3), np.ones((5, 4)), r"BatchNorm1d.forward: expected x of shape \(N, 3\)"),
        (nn.BatchNorm2d(3), np.ones((5, 3)), r"BatchNorm2d.forward: expected x of shape \(N, 3, H, W\)"),
        (nn.LayerNorm((3, 4)), np.ones((5, 4, 3)), r"LayerNorm.forward: expected x of shape \(N, 3, 4\)"),
        (nn.PReLU(3), np.ones((5, 4)), r"PReLU.forward: expected x of shape \(N, 3, ...\)"),
        (nn.MaxPool2d(2), np.ones((5, 4, 4)), r"MaxPool2d.forward: expected x of shape \(N, C, H, W\)"),
        (nn.Flatten(), np.ones(5), r"Flatten.forward: expected x of shape \(N, d1, ...\)"),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, nn.Module) else None,
)
def test_wrong_input_shape_is_a_value_error_naming_the_module(module, x, message):
    with pytest.raises(ValueError, match=message):
        module(x)


def test_a_list_input_is_a_type_error():
    with pytest.raises(TypeError, match="Linear.forward: x must be a numpy.ndarray, got list"):
        nn.Linear(2, 2)([[1.0, 2.0]])


def test_wrong_dout_shape_is_a_value_error():
    layer = nn.Linear(4, 3)
    layer(np.ones((5, 4)))
    with pytest.raises(ValueError, match="dout"):
        layer.backward(np.ones((5, 4)))


def test_sequential_rejects_a_non_module():
    with pytest.raises(TypeError, match="Sequential: argument 1 must be a Module, got builtin_function_or_method"):
        nn.Sequential(nn.ReLU(), max)


@pytest.mark.parametrize("p", [-0.1, 1.5])
def test_dropout_rejects_a_p_outside_0_1(p):
    with pytest.raises(ValueError, match="Dropout: p must be a probability in"):
        nn.Dropout(p)


@pytest.mark.parametrize(
    "make",
    [
        lambda: nn.Linear(0, 3),
        lambda: nn.Conv2d(1, 2, 0),
        lambda: nn.MaxPool2d(2, stride=0),
        lambda: nn.Conv1d(1, 1, 2, padding=-1),
    ],
)
def test_bad_constructor_arguments_are_value_errors(make):
    with pytest.raises(ValueError, match="must be a"):
        make()


def test_rng_must_be_a_generator():
    with pytest.raises(TypeError, match="Linear: rng must be a numpy.random.Generator"):
        nn.Linear(3, 3, rng=42)
