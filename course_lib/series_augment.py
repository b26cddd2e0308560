"""Augmentations for time series (sensor readings, ECGs, ...), in NumPy and SciPy.

The first four follow Um et al. (2017), "Data augmentation of wearable sensor
data for Parkinson's disease monitoring using convolutional neural networks";
window slicing follows Le Guennec et al. (2016), "Data augmentation for time
series classification using convolutional neural networks".

Every function takes a series ``x`` of shape ``(T,)`` (one channel) or
``(T, C)`` (``C`` channels measured at the same ``T`` moments, e.g. the three
axes of an accelerometer) and returns a new float array **of the same shape**;
the input is never changed. Random choices come from ``rng``: a
``numpy.random.Generator`` or an integer seed (see :mod:`course_lib._random`).

* :func:`jitter` - add Gaussian noise to every sample (sensor noise);
* :func:`scaling` - multiply each channel by one random factor (sensor gain);
* :func:`magnitude_warp` - multiply by a smooth random curve (slowly changing gain);
* :func:`time_warp` - play the series at a smoothly varying speed (a gesture
  done faster here and slower there); :func:`time_warp_path` shows the warp;
* :func:`window_slice` - cut a random window and stretch it back to ``T`` samples.

``sigma`` is in the series' own units for :func:`jitter` and relative (1 =
100 %) for the others, so standardise a series (mean 0, standard deviation 1)
before choosing ``sigma``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.interpolate import CubicSpline

from . import _random, _validate

#: The smallest relative speed :func:`time_warp_path` allows, so the path always moves forward.
MIN_SPEED = 0.05


def _series(x: Any) -> np.ndarray:
    x = _validate.array("x", x, ndims=(1, 2))
    if len(x) < 2:
        raise ValueError(f"x must have at least 2 time steps, got shape {x.shape}")
    if x.ndim == 2 and x.shape[1] < 1:
        raise ValueError(f"x must have at least one channel, got shape {x.shape}")
    return x.astype(x.dtype if x.dtype.kind == "f" else np.float64)


def _smooth_curve(length: int, sigma: float, knots: int, channels: int, rng: np.random.Generator) -> np.ndarray:
    """``length x channels`` cubic-spline curves through ``knots + 2`` random values around 1."""
    where = np.linspace(0, length - 1, knots + 2)
    values = rng.normal(1.0, sigma, size=(knots + 2, channels))
    return CubicSpline(where, values, axis=0)(np.arange(length))


def jitter(x: np.ndarray, sigma: float = 0.05, *, rng: np.random.Generator | int) -> np.ndarray:
    """Add independent Gaussian noise of standard deviation ``sigma`` to every sample."""
    x = _series(x)
    sigma = _validate.number("sigma", sigma, minimum=0.0)
    rng = _random.generator("rng", rng)
    return (x + rng.normal(0.0, sigma, size=x.shape)).astype(x.dtype)


def scaling(x: np.ndarray, sigma: float = 0.1, *, rng: np.random.Generator | int) -> np.ndarray:
    """Multiply each channel by one factor drawn from a normal distribution around 1 (std ``sigma``).

    The shape of each channel is kept exactly; only its size changes.
    """
    x = _series(x)
    sigma = _validate.number("sigma", sigma, minimum=0.0)
    rng = _random.generator("rng", rng)
    factors = rng.normal(1.0, sigma, size=x.shape[1:])
    return (x * factors).astype(x.dtype)


def magnitude_warp(
    x: np.ndarray, sigma: float = 0.2, knots: int = 4, *, rng: np.random.Generator | int
) -> np.ndarray:
    """Multiply each channel by its own smooth random curve around 1.

    The curve is a cubic spline through ``knots + 2`` evenly spaced points (the
    two ends included) whose heights are drawn from a normal distribution
    around 1 with standard deviation ``sigma``. Where the series is zero it
    stays zero; the timing of every feature is unchanged.
    """
    x = _series(x)
    sigma = _validate.number("sigma", sigma, minimum=0.0)
    knots = _validate.integer("knots", knots, minimum=1)
    rng = _random.generator("rng", rng)
    channels = x.shape[1] if x.ndim == 2 else 1
    curve = _smooth_curve(len(x), sigma, knots, channels, rng)
    return (x * curve.reshape(x.shape)).astype(x.dtype)


def time_warp_path(
    length: int, sigma: float = 0.2, knots: int = 4, *, rng: np.random.Generator | int
) -> np.ndarray:
    """Where each output sample of :func:`time_warp` reads the input: a strictly increasing path.

    A smooth random speed curve (as in :func:`magnitude_warp`, floored at
    :data:`MIN_SPEED` so time never stands still or runs backwards) is summed
    up and rescaled to run from ``0`` to ``length - 1``. Returns ``length``
    float positions: ``path[t] > path[t - 1]``, ``path[0] == 0`` and
    ``path[-1] == length - 1``, so the warped series starts and ends where the
    original does. Where the slope is above 1 the series plays faster.
    """
    length = _validate.integer("length", length, minimum=2)
    sigma = _validate.number("sigma", sigma, minimum=0.0)
    knots = _validate.integer("knots", knots, minimum=1)
    rng = _random.generator("rng", rng)
    speed = np.maximum(_smooth_curve(length, sigma, knots, 1, rng)[:, 0], MIN_SPEED)
    steps = (speed[1:] + speed[:-1]) / 2  # trapezoid rule between neighbouring samples
    path = np.concatenate([[0.0], np.cumsum(steps)])
    path *= (length - 1) / path[-1]
    path[-1] = length - 1  # exact, whatever the rounding
    return path


def _resample(x: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Read ``x`` at fractional ``positions`` by linear interpolation, channel by channel."""
    grid = np.arange(len(x))
    if x.ndim == 1:
        return np.interp(positions, grid, x)
    return np.stack([np.interp(positions, grid, x[:, c]) for c in range(x.shape[1])], axis=1)


def time_warp(
    x: np.ndarray, sigma: float = 0.2, knots: int = 4, *, rng: np.random.Generator | int
) -> np.ndarray:
    """Replay the series at a smoothly varying speed (:func:`time_warp_path`).

    All channels share one path, so they stay in step with each other. The
    length, the first and the last sample are kept; the values in between are
    read from the original by linear interpolation, so the range of values
    never grows.
    """
    x = _series(x)
    sigma = _validate.number("sigma", sigma, minimum=0.0)
    knots = _validate.integer("knots", knots, minimum=1)
    rng = _random.generator("rng", rng)
    path = time_warp_path(len(x), sigma, knots, rng=rng)
    return _resample(x, path).astype(x.dtype)


def window_slice(x: np.ndarray, ratio: float = 0.9, *, rng: np.random.Generator | int) -> np.ndarray:
    """Cut a random window of ``ratio`` of the length and stretch it back to the full length.

    ``ratio`` is in ``(0, 1]``; 1 returns a copy. The window holds at least two
    samples. Everything outside the window is lost, and what is inside plays
    ``1 / ratio`` times slower.
    """
    x = _series(x)
    ratio = _validate.number("ratio", ratio, maximum=1.0)
    if ratio <= 0:
        raise ValueError(f"ratio must be > 0 (the share of the series to keep), got {ratio}")
    rng = _random.generator("rng", rng)
    width = min(len(x), max(2, int(round(ratio * len(x)))))
    start = int(rng.integers(0, len(x) - width + 1))
    positions = np.linspace(start, start + width - 1, len(x))
    return _resample(x, positions).astype(x.dtype)
