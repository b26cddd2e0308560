"""Time-series augmentations: shapes kept, warps monotone, seeded, every bad argument named."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import _random
from course_lib import series_augment as sa

RANDOM = {
    "jitter": lambda x, rng: sa.jitter(x, 0.1, rng=rng),
    "scaling": lambda x, rng: sa.scaling(x, 0.2, rng=rng),
    "magnitude_warp": lambda x, rng: sa.magnitude_warp(x, 0.2, 4, rng=rng),
    "time_warp": lambda x, rng: sa.time_warp(x, 0.3, 4, rng=rng),
    "window_slice": lambda x, rng: sa.window_slice(x, 0.8, rng=rng),
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


def test_generator_advances_so_successive_calls_differ():
    x = _series()
    rng = np.random.default_rng(0)
    assert not np.array_equal(sa.jitter(x, 0.1, rng=rng), sa.jitter(x, 0.1, rng=rng))


def test_float32_stays_float32_and_integers_become_float():
    assert sa.jitter(_series().astype(np.float32), 0.1, rng=0).dtype == np.float32
    assert sa.scaling(np.arange(10), 0.1, rng=0).dtype == np.float64


def test_jitter_adds_noise_of_the_given_size():
    x = np.zeros(20_000)
    noise = sa.jitter(x, 0.5, rng=0)
    assert abs(noise.std() - 0.5) < 0.01 and abs(noise.mean()) < 0.02
    np.testing.assert_array_equal(sa.jitter(x, 0.0, rng=0), x)


def test_scaling_multiplies_each_channel_by_one_factor():
    x = _series(channels=3) + 10
    out = sa.scaling(x, 0.3, rng=1)
    ratios = out / x
    np.testing.assert_allclose(ratios, np.broadcast_to(ratios[0], x.shape))
    assert len(np.unique(np.round(ratios[0], 12))) == 3


def test_magnitude_warp_is_smooth_positive_factor_around_one():
    x = np.ones((200, 2))
    curve = sa.magnitude_warp(x, 0.1, 4, rng=3)
    assert np.all(np.abs(curve - 1) < 0.5)
    assert np.abs(np.diff(curve, axis=0)).max() < 0.05  # smooth: no jumps between neighbours
    assert not np.allclose(curve[:, 0], curve[:, 1])  # one curve per channel
    np.testing.assert_array_equal(sa.magnitude_warp(np.zeros(50), 0.3, rng=0), np.zeros(50))


@settings(max_examples=60, deadline=None)
@given(length=st.integers(2, 300), sigma=st.floats(0.0, 2.0), knots=st.integers(1, 10), seed=st.integers(0, 2**32 - 1))
def test_time_warp_path_is_strictly_increasing_from_start_to_end(length, sigma, knots, seed):
    path = sa.time_warp_path(length, sigma, knots, rng=seed)
    assert path.shape == (length,)
    assert path[0] == 0 and path[-1] == length - 1
    assert np.all(np.diff(path) > 0)


def test_time_warp_without_sigma_is_the_identity():
    x = _series(channels=2)
    np.testing.assert_allclose(sa.time_warp(x, 0.0, rng=0), x, atol=1e-9)
    np.testing.assert_allclose(sa.time_warp_path(10, 0.0, rng=0), np.arange(10.0))


def test_time_warp_reads_the_original_along_the_path_and_keeps_channels_in_step():
    ramp = np.arange(100.0)
    both = np.stack([ramp, 2 * ramp], axis=1)
    warped = sa.time_warp(both, 0.5, rng=4)
    np.testing.assert_allclose(warped[:, 0], sa.time_warp_path(100, 0.5, rng=4))  # a ramp shows its own path
    np.testing.assert_allclose(warped[:, 1], 2 * warped[:, 0])
    assert warped[0, 0] == 0 and warped[-1, 0] == 99
    x = _series()
    out = sa.time_warp(x, 1.0, rng=2)
    assert x.min() - 1e-9 <= out.min() and out.max() <= x.max() + 1e-9


def test_window_slice_stretches_a_window_back_to_full_length():
    ramp = np.arange(100.0)
    out = sa.window_slice(ramp, 0.5, rng=0)
    assert out.shape == (100,)
    assert np.all(np.diff(out) > 0)
    assert out[-1] - out[0] == pytest.approx(49)  # 50 samples kept, spread over 100
    np.testing.assert_array_equal(sa.window_slice(ramp, 1.0, rng=0), ramp)
    assert sa.window_slice(np.arange(5.0), 0.01, rng=0).shape == (5,)  # at least two samples kept


BAD_CALLS = [
    (lambda: sa.jitter([1.0, 2.0], 0.1, rng=0), TypeError, "x"),
    (lambda: sa.jitter(np.zeros((2, 2, 2)), 0.1, rng=0), ValueError, "x"),
    (lambda: sa.jitter(np.zeros(1), 0.1, rng=0), ValueError, "x"),
    (lambda: sa.jitter(np.zeros((5, 0)), 0.1, rng=0), ValueError, "x"),
    (lambda: sa.jitter(np.array(["a", "b"]), 0.1, rng=0), TypeError, "x"),
    (lambda: sa.jitter(np.zeros(5), -0.1, rng=0), ValueError, "sigma"),
    (lambda: sa.jitter(np.zeros(5), "big", rng=0), TypeError, "sigma"),
    (lambda: sa.jitter(np.zeros(5), 0.1, rng="seed"), TypeError, "rng"),
    (lambda: sa.jitter(np.zeros(5), 0.1, rng=-1), ValueError, "rng"),
    (lambda: sa.jitter(np.zeros(5), 0.1, rng=True), TypeError, "rng"),
    (lambda: sa.scaling(np.zeros(5), float("nan"), rng=0), ValueError, "sigma"),
    (lambda: sa.magnitude_warp(np.zeros(5), -1, rng=0), ValueError, "sigma"),
    (lambda: sa.magnitude_warp(np.zeros(5), 0.2, 0, rng=0), ValueError, "knots"),
    (lambda: sa.magnitude_warp(np.zeros(5), 0.2, 2.5, rng=0), TypeError, "knots"),
    (lambda: sa.time_warp(np.zeros(5), -0.2, rng=0), ValueError, "sigma"),
    (lambda: sa.time_warp(np.zeros(5), 0.2, 0, rng=0), ValueError, "knots"),
    (lambda: sa.time_warp(np.zeros(5), 0.2, rng=None), TypeError, "rng"),
    (lambda: sa.time_warp_path(1, 0.2, rng=0), ValueError, "length"),
    (lambda: sa.time_warp_path(10, -0.2, rng=0), ValueError, "sigma"),
    (lambda: sa.time_warp_path(10, 0.2, -3, rng=0), ValueError, "knots"),
    (lambda: sa.time_warp_path(10, 0.2, rng=1.5), TypeError, "rng"),
    (lambda: sa.window_slice(np.zeros(5), 0.0, rng=0), ValueError, "ratio"),
    (lambda: sa.window_slice(np.zeros(5), 1.5, rng=0), ValueError, "ratio"),
    (lambda: sa.window_slice(np.zeros(5), "half", rng=0), TypeError, "ratio"),
    (lambda: sa.scaling(np.zeros(5), 0.1, rng=[1]), TypeError, "rng"),
]


@pytest.mark.parametrize("call, error, name", BAD_CALLS)
def test_every_invalid_argument_is_named(call, error, name):
    with pytest.raises(error, match=rf"^{name} "):
        call()


def test_generator_helper():
    rng = np.random.default_rng(1)
    assert _random.generator("rng", rng) is rng
    assert isinstance(_random.generator("rng", np.int64(3)), np.random.Generator)
