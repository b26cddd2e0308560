"""Warm-up exercise checks: right answers, specific hints, no crashes."""

from __future__ import annotations

import numpy as np

from course_lib.checks.lesson00 import check_cats_and_dogs, check_pixel_range
from course_lib.data import ImageData


def _data(names=("cat", "dog"), counts=(5, 5), dtype=np.uint8):
    y = np.repeat(np.arange(len(counts)), counts)
    x = np.zeros((len(y), 32, 32, 3), dtype=dtype)
    empty = x[:0]
    return ImageData(x, y, empty, y[:0], empty, y[:0], tuple(names))


def test_cats_and_dogs():
    assert check_cats_and_dogs(_data()).correct
    assert "order" in check_cats_and_dogs(_data(names=("dog", "cat"))).message
    assert "[5, 3]" in check_cats_and_dogs(_data(counts=(5, 3))).message
    assert "uint8" in check_cats_and_dogs(_data(dtype=np.float32)).message
    assert "load_cifar10" in check_cats_and_dogs(42).message
    assert not check_cats_and_dogs(...).correct


def test_pixel_range():
    assert check_pixel_range(0, 255).correct
    assert "8 bits" in check_pixel_range(0, 256).message
    assert "unsigned" in check_pixel_range(-128, 127).message
    assert "whole numbers" in check_pixel_range(0.0, 1.0).message
    assert "`...`" in check_pixel_range(..., ...).message
