"""Time-series augmentations of lesson 10 (the generated module): shapes kept, warps monotone and read
by linear interpolation (checked against NumPy), seeded, NaN refused, bounded sizes, every bad argument named."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import _random
from course_lib.lessons import l10_beyond_images as L
from helpers import NOT_A_NUMBER, assert_rejects, bad_argument_cases

RANDOM = {
    "jitter": lambda x, rng: L.jitter(x, 0.1, rng=rng),
    "scaling": lambda x, rng: L.scaling(x, 0.2, rng=rng),
    "magnitude_warp": lambda x, rng: L.magnitude_warp(x, 0.2, 4, rng=rng),
    "time_warp": lambda x, rng: L.time_warp(x, 0.3, 4, rng=rng),
    "window_slice": lambda x, rng: L.window_slice(x, 0.8, rng=rng),
}


def _series(length=64, channels=None, seed=0):
    rng = np.random.default_rng(seed)
    shape = (length,) if channels is None else (length, channels)
    return np.cumsum(rng.normal(size=shape), axis=0)


@pytest.mark.parametrize("name", RANDOM)
@pytest.mark.parametrize("channels", [None, 1, 3])
def test_shape_kept_input_untouched_and_seeded(name, channels):
    x = _series(channels=channels)
    before = x.copy()
    out = RANDOM[name](x, 7)
    assert out.shape == x.shape and out.dtype == x.dtype
    np.testing.assert_array_equal(x, before)
    np.testing.assert_array_equal(out, RANDOM[name](x, 7))  # same seed, same result
    np.testing.assert_array_equal(out, RANDOM[name](x, np.random.default_rng(7)))
    assert not np.array_equal(out, RANDOM[name](x, 8))


@pytest.mark.parametrize("name", RANDOM)
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_or_inf_values_are_refused_not_passed_on(name, bad):
    x = _series(channels=2)
    x[5, 1] = bad
    with pytest.raises(ValueError, match=r"^x must hold finite values"):
        RANDOM[name](x, 0)


def test_generator_advances_so_successive_calls_differ():
    x = _series()
    rng = np.random.default_rng(0)
    assert not np.array_equal(L.jitter(x, 0.1, rng=rng), L.jitter(x, 0.1, rng=rng))


def test_float32_stays_float32_and_integers_become_float():
    assert L.jitter(_series().astype(np.float32), 0.1, rng=0).dtype == np.float32
    assert L.scaling(np.arange(10), 0.1, rng=0).dtype == np.float64


def test_jitter_adds_noise_of_the_given_size():
    x = np.zeros(20_000)
    noise = L.jitter(x, 0.5, rng=0)
    assert abs(noise.std() - 0.5) < 0.01 and abs(noise.mean()) < 0.02
    np.testing.assert_array_equal(L.jitter(x, 0.0, rng=0), x)


def test_scaling_multiplies_each_channel_by_one_factor():
    x = _series(channels=3) + 10
    out = L.scaling(x, 0.3, rng=1)
    ratios = out / x
    np.testing.assert_allclose(ratios, np.broadcast_to(ratios[0], x.shape))
    assert len(np.unique(np.round(ratios[0], 12))) == 3


def test_magnitude_warp_is_smooth_positive_factor_around_one():
    x = np.ones((200, 2))
    curve = L.magnitude_warp(x, 0.1, 4, rng=3)
    assert np.all(np.abs(curve - 1) < 0.5)
    assert np.abs(np.diff(curve, axis=0)).max() < 0.05  # smooth: no jumps between neighbours
    assert not np.allclose(curve[:, 0], curve[:, 1])  # one curve per channel
    np.testing.assert_array_equal(L.magnitude_warp(np.zeros(50), 0.3, rng=0), np.zeros(50))


def test_smooth_curve_passes_through_its_knots():
    rng = np.random.default_rng(4)
    heights = np.random.default_rng(4).normal(1.0, 0.2, size=(6, 1))
    curve = L._smooth_curve(101, 0.2, 4, 1, rng)
    np.testing.assert_allclose(curve[[0, 20, 40, 60, 80, 100]], heights)


@settings(max_examples=60, deadline=None)
@given(length=st.integers(2, 300), sigma=st.floats(0.0, 2.0), knots=st.integers(1, 10), seed=st.integers(0, 2**32 - 1))
def test_time_warp_path_is_strictly_increasing_from_start_to_end(length, sigma, knots, seed):
    path = L.time_warp_path(length, sigma, knots, rng=seed)
    assert path.shape == (length,)
    assert path[0] == 0 and path[-1] == length - 1
    assert np.all(np.diff(path) > 0)


def test_time_warp_without_sigma_is_the_identity():
    x = _series(channels=2)
    np.testing.assert_allclose(L.time_warp(x, 0.0, rng=0), x, atol=1e-9)
    np.testing.assert_allclose(L.time_warp_path(10, 0.0, rng=0), np.arange(10.0))


def test_time_warp_reads_the_original_along_the_path_and_keeps_channels_in_step():
    ramp = np.arange(100.0)
    both = np.stack([ramp, 2 * ramp], axis=1)
    warped = L.time_warp(both, 0.5, rng=4)
    np.testing.assert_allclose(warped[:, 0], L.time_warp_path(100, 0.5, rng=4))  # a ramp shows its own path
    np.testing.assert_allclose(warped[:, 1], 2 * warped[:, 0])
    assert warped[0, 0] == 0 and warped[-1, 0] == 99
    x = _series()
    out = L.time_warp(x, 1.0, rng=2)
    np.testing.assert_allclose(out, np.interp(L.time_warp_path(len(x), 1.0, rng=2), np.arange(len(x)), x))
    assert x.min() - 1e-9 <= out.min() and out.max() <= x.max() + 1e-9


def test_read_at_is_numpys_linear_interpolation_per_channel():
    x = _series(channels=3, seed=5)
    positions = np.random.default_rng(1).uniform(0, len(x) - 1, size=40)
    expected = np.stack([np.interp(positions, np.arange(len(x)), x[:, c]) for c in range(3)], axis=1)
    np.testing.assert_allclose(L._read_at(x, positions), expected)


def test_window_slice_stretches_a_window_back_to_full_length():
    ramp = np.arange(100.0)
    out = L.window_slice(ramp, 0.5, rng=0)
    assert out.shape == (100,)
    assert np.all(np.diff(out) > 0)
    assert out[-1] - out[0] == pytest.approx(49)  # 50 samples kept, spread over 100
    np.testing.assert_array_equal(L.window_slice(ramp, 1.0, rng=0), ramp)
    assert L.window_slice(np.arange(5.0), 0.01, rng=0).shape == (5,)  # at least two samples kept


def test_absurd_sizes_are_refused_and_the_limits_still_work():
    with pytest.raises(ValueError, match=r"^knots must be <= 100"):
        L.magnitude_warp(_series(), 0.2, 10**7, rng=0)
    with pytest.raises(ValueError, match=r"^length must be <= 10000000"):
        L.time_warp_path(10**12, rng=0)
    assert L.time_warp(_series(), 0.2, L.MAX_KNOTS, rng=0).shape == (64,)


SERIES = _series()
NOT_A_SERIES = ([1.0, 2.0], np.zeros((2, 2, 2)), np.zeros(1), np.zeros((5, 0)), np.zeros((1, 3)),
                np.array(["a", "b"]), None)
NOT_A_RNG = ("seed", -1, True, None, 1.5, [1])
NOT_A_RELATIVE_SIGMA = NOT_A_NUMBER + (-0.1, 11.0)
NOT_KNOTS = (0, -3, 2.5, 10**7, None, True, np.array([4]))


def _cases(func, extra_bad=None, sigma=NOT_A_RELATIVE_SIGMA):
    bad = {"x": NOT_A_SERIES, "rng": NOT_A_RNG, "sigma": sigma, **(extra_bad or {})}
    return bad_argument_cases(func, {"x": SERIES, "rng": 0}, bad)


CASES = (
    _cases(L.jitter, sigma=NOT_A_NUMBER + (-0.1,))
    + _cases(L.scaling)
    + _cases(L.magnitude_warp, {"knots": NOT_KNOTS})
    + _cases(L.time_warp, {"knots": NOT_KNOTS})
    + bad_argument_cases(L.window_slice, {"x": SERIES, "rng": 0},
                         {"x": NOT_A_SERIES, "rng": NOT_A_RNG, "ratio": NOT_A_NUMBER + (0.0, -0.5, 1.5)})
    + bad_argument_cases(L.time_warp_path, {"length": 10, "rng": 0},
                         {"length": (1, 0, 10**12, 2.5, None, True, np.array([5])), "sigma": NOT_A_RELATIVE_SIGMA,
                          "knots": NOT_KNOTS, "rng": NOT_A_RNG})
)


@pytest.mark.parametrize("func, good, arg, value", CASES)
def test_every_invalid_argument_is_named(func, good, arg, value):
    error = assert_rejects(func, good, arg, value)
    assert str(error).startswith(arg)


def test_generator_helper():
    rng = np.random.default_rng(1)
    assert _random.generator("rng", rng) is rng
    assert isinstance(_random.generator("rng", np.int64(3)), np.random.Generator)
