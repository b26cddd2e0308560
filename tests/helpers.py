"""Small fake data the tests make themselves (never a copy of real CIFAR-10)."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def fake_cifar_arrays(per_class_train: int = 12, per_class_test: int = 4, seed: int = 0) -> dict[str, np.ndarray]:
    """Random uint8 images with balanced labels 0..9; pixel [0, 0, 0] encodes the image's row index."""
    rng = np.random.default_rng(seed)
    out = {}
    for split, per_class in (("train", per_class_train), ("test", per_class_test)):
        y = np.repeat(np.arange(10, dtype=np.uint8), per_class)
        rng.shuffle(y)
        x = rng.integers(0, 256, size=(len(y), 32, 32, 3), dtype=np.uint8)
        x[:, 0, 0, 0] = np.arange(len(y)) % 256
        out[f"x_{split}"], out[f"y_{split}"] = x, y
    return out


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, **arrays)
    return path


# --------------------------------------------------------------------------- "every bad argument is named"

import math  # noqa: E402

import pytest  # noqa: E402

#: Values that are not a usable number (for any argument that wants one finite number).
NOT_A_NUMBER: tuple = (float("nan"), float("inf"), -float("inf"), "3", None, True, [1.0], np.array([1.0, 2.0]))
#: Values that are not a usable count or size (for arguments that want a positive whole number).
NOT_A_COUNT: tuple = (0, -1, 10**12, 2.5, float("nan"), "3", None, True, np.array([1, 2]))


def assert_rejects(func, good: dict, arg: str, value, error=(TypeError, ValueError), name: str | None = None):
    """Call ``func(**good)`` with ``good[arg]`` replaced by ``value``; it must raise ``error`` and its
    message must name the argument (``name``, default ``arg``), so a student can fix the call."""
    kwargs = dict(good)
    kwargs[arg] = value
    with pytest.raises(error) as info:
        func(**kwargs)
    named = name or arg
    assert named in str(info.value), (
        f"{getattr(func, '__name__', func)}({arg}={value!r}) raised {type(info.value).__name__}: "
        f"{info.value}, which does not name {named!r}")
    return info.value


def bad_argument_cases(func, good: dict, bad: dict) -> list:
    """``pytest.param`` cases for :func:`assert_rejects`: one per (argument, bad value) in ``bad``.

    ``bad`` maps an argument name to a list of values that must be refused, e.g.
    ``{"epochs": NOT_A_COUNT}``; use ``pytest.mark.parametrize("func, good, arg, value", cases)``.
    """
    cases = []
    for arg, values in bad.items():
        for value in values:
            label = repr(value) if not isinstance(value, float) or math.isfinite(value) else str(value)
            cases.append(pytest.param(func, good, arg, value, id=f"{getattr(func, '__name__', 'f')}-{arg}={label[:30]}"))
    return cases
