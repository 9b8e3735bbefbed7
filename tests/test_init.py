"""coursekit.init: fans in our layouts, the statistics of every initialiser, determinism, bad input."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from coursekit import init

SEEDED = [
    lambda shape, rng: init.normal(shape, rng=rng),
    lambda shape, rng: init.xavier_uniform(shape, rng=rng),
    lambda shape, rng: init.xavier_normal(shape, rng=rng),
    lambda shape, rng: init.he_normal(shape, rng=rng),
    lambda shape, rng: init.he_uniform(shape, rng=rng),
    lambda shape, rng: init.lecun_normal(shape, rng=rng),
]
SEEDED_IDS = ["normal", "xavier_uniform", "xavier_normal", "he_normal", "he_uniform", "lecun_normal"]
FAN_BASED = [init.xavier_uniform, init.xavier_normal, init.he_normal, init.he_uniform, init.lecun_normal]


# --- fans --------------------------------------------------------------------------------------


def test_fans_of_a_linear_weight_are_in_and_out():
    assert init.fans((784, 100)) == (784, 100)


def test_fans_of_a_conv2d_weight_include_the_kernel_area():
    assert init.fans((16, 3, 5, 7)) == (3 * 5 * 7, 16 * 5 * 7)


def test_fans_of_a_conv1d_weight_include_the_kernel_length():
    assert init.fans((8, 4, 3)) == (12, 24)


@given(st.integers(1, 50), st.integers(1, 50))
def test_fans_of_linear_match_torch_on_its_transposed_layout(n_in, n_out):
    torch_fans = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(n_out, n_in))
    assert init.fans((n_in, n_out)) == torch_fans


@given(st.lists(st.integers(1, 6), min_size=3, max_size=5))
def test_fans_of_conv_match_torch_on_the_same_layout(shape):
    torch_fans = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(*shape))
    assert init.fans(tuple(shape)) == torch_fans


@pytest.mark.parametrize("shape", [(5,), 5, ()])
def test_fans_need_at_least_two_dimensions(shape):
    with pytest.raises(ValueError, match=r"fans: .*at least 2 dimensions"):
        init.fans(shape)


def test_fans_reject_a_zero_sized_axis():
    with pytest.raises(ValueError, match="zero-sized"):
        init.fans((0, 3))


# --- statistics --------------------------------------------------------------------------------

STD_CASES = [
    (lambda s, rng: init.normal(s, rng=rng), (400, 500), 0.01),
    (lambda s, rng: init.normal(s, std=0.3, rng=rng), (400, 500), 0.3),
    (lambda s, rng: init.xavier_normal(s, rng=rng), (400, 600), math.sqrt(2 / 1000)),
    (lambda s, rng: init.xavier_normal(s, gain=2.0, rng=rng), (400, 600), 2 * math.sqrt(2 / 1000)),
    (lambda s, rng: init.xavier_uniform(s, rng=rng), (400, 600), math.sqrt(2 / 1000)),
    (lambda s, rng: init.he_normal(s, rng=rng), (250, 800), math.sqrt(2 / 250)),
    (lambda s, rng: init.he_normal(s, rng=rng), (64, 32, 3, 3), math.sqrt(2 / (32 * 9))),
    (lambda s, rng: init.he_uniform(s, rng=rng), (250, 800), math.sqrt(2 / 250)),
    (lambda s, rng: init.lecun_normal(s, rng=rng), (250, 800), math.sqrt(1 / 250)),
    (lambda s, rng: init.lecun_normal(s, rng=rng), (64, 10, 25), math.sqrt(1 / 250)),
]


@pytest.mark.parametrize(("draw", "shape", "std"), STD_CASES)
def test_initialiser_has_the_documented_std_and_zero_mean(draw, shape, std):
    w = draw(shape, np.random.default_rng(0))
    # ~2e5 samples: the sample std is within ~0.2 % of the true one; 2 % is a wide margin
    assert w.std() == pytest.approx(std, rel=0.02)
    assert abs(w.mean()) < 0.02 * std


@pytest.mark.parametrize(
    ("draw", "bound"),
    [
        (lambda s, rng: init.xavier_uniform(s, rng=rng), math.sqrt(6 / (300 + 200))),
        (lambda s, rng: init.xavier_uniform(s, gain=0.5, rng=rng), 0.5 * math.sqrt(6 / (300 + 200))),
        (lambda s, rng: init.he_uniform(s, rng=rng), math.sqrt(6 / 300)),
    ],
)
def test_uniform_initialiser_fills_exactly_its_bounds(draw, bound):
    w = draw((300, 200), np.random.default_rng(1))
    assert np.all(np.abs(w) <= bound)
    assert np.abs(w).max() > 0.99 * bound  # the whole interval is used, not a narrower one


def test_xavier_uniform_matches_torch_bound_on_a_conv_weight():
    shape = (6, 3, 5, 5)
    fan_in, fan_out = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
    w = init.xavier_uniform(shape, rng=np.random.default_rng(2))
    assert np.abs(w).max() <= math.sqrt(6 / (fan_in + fan_out))


def test_zeros_is_all_zero_float64():
    w = init.zeros((3, 4))
    assert w.dtype == np.float64
    assert w.shape == (3, 4)
    assert not w.any()


@pytest.mark.parametrize("draw", SEEDED, ids=SEEDED_IDS)
def test_initialiser_returns_float64_of_the_requested_shape(draw):
    w = draw((7, 3, 2), np.random.default_rng(0))
    assert w.dtype == np.float64
    assert w.shape == (7, 3, 2)


# --- randomness --------------------------------------------------------------------------------


@pytest.mark.parametrize("draw", SEEDED, ids=SEEDED_IDS)
def test_same_seed_gives_the_same_weights(draw):
    a = draw((20, 30), np.random.default_rng(42))
    b = draw((20, 30), np.random.default_rng(42))
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("draw", SEEDED, ids=SEEDED_IDS)
def test_different_seeds_give_different_weights(draw):
    a = draw((20, 30), np.random.default_rng(1))
    b = draw((20, 30), np.random.default_rng(2))
    assert not np.array_equal(a, b)


def test_without_rng_each_call_draws_fresh_weights():
    assert not np.array_equal(init.he_normal((20, 30)), init.he_normal((20, 30)))


def test_initialisers_leave_numpy_global_state_alone():
    before = np.random.get_state()[1].copy()  # noqa: NPY002 (reading the legacy global state is the point)
    init.he_normal((10, 10))
    init.xavier_uniform((10, 10), rng=np.random.default_rng(3))
    np.testing.assert_array_equal(np.random.get_state()[1], before)  # noqa: NPY002


def test_rng_must_be_a_generator():
    with pytest.raises(TypeError, match=r"he_normal: rng must be a numpy.random.Generator.*default_rng"):
        init.he_normal((3, 3), rng=0)


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fn", FAN_BASED, ids=lambda f: f.__name__)
def test_fan_based_initialiser_rejects_a_one_dimensional_shape(fn):
    with pytest.raises(ValueError, match=rf"{fn.__name__}: .*got shape \(5,\)"):
        fn((5,))


@pytest.mark.parametrize("shape", [(3, -1), (2.5, 3), "ab", None, (True, 2)])
def test_bad_shapes_are_rejected(shape):
    with pytest.raises((TypeError, ValueError), match="xavier_normal: shape"):
        init.xavier_normal(shape)


@pytest.mark.parametrize("shape", [(3, -1), (2.0, 3)])
def test_zeros_and_normal_reject_bad_shapes(shape):
    with pytest.raises((TypeError, ValueError), match="zeros: shape"):
        init.zeros(shape)
    with pytest.raises((TypeError, ValueError), match="normal: shape"):
        init.normal(shape)


@pytest.mark.parametrize("std", [-0.1, float("nan")])
def test_normal_rejects_a_negative_or_nan_std(std):
    with pytest.raises(ValueError, match="normal: std must be a non-negative number"):
        init.normal((3, 3), std=std)


def test_xavier_rejects_a_negative_gain():
    with pytest.raises(ValueError, match="xavier_uniform: gain"):
        init.xavier_uniform((3, 3), gain=-1.0)
