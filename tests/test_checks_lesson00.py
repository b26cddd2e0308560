"""Warm-up exercise checks: right answers (also as NumPy / TensorFlow values), specific hints, no crashes,
and no wrong answer called correct."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.checks.lesson00 import check_cats_and_dogs, check_pixel_range
from course_lib.data import ImageData


def _data(names=("cat", "dog"), counts=(5, 5), dtype=np.uint8, n_test=4):
    y = np.repeat(np.arange(len(counts)), counts)
    x = np.zeros((len(y), 32, 32, 3), dtype=dtype)
    y_test = np.arange(n_test) % len(names)
    x_test = np.zeros((n_test, 32, 32, 3), dtype=dtype)
    return ImageData(x, y, x[:0], y[:0], x_test, y_test, tuple(names))


def test_cats_and_dogs():
    assert check_cats_and_dogs(_data()).correct
    assert "order" in check_cats_and_dogs(_data(names=("dog", "cat"))).message
    assert "[5, 3]" in check_cats_and_dogs(_data(counts=(5, 3))).message
    assert "uint8" in check_cats_and_dogs(_data(dtype=np.float32)).message
    assert "n_test=4" in check_cats_and_dogs(_data(n_test=0)).message
    assert "load_cifar10" in check_cats_and_dogs(42).message
    assert not check_cats_and_dogs(...).correct


@pytest.mark.parametrize("lowest, highest", [
    (0, 255), (np.uint8(0), np.uint8(255)), (np.int64(0), np.int64(255)), (0.0, 255.0),
    (np.array(0), np.array([255])), (np.iinfo(np.uint8).min, np.iinfo(np.uint8).max),
])
def test_pixel_range_right_answers_in_any_numeric_form(lowest, highest):
    fb = check_pixel_range(lowest, highest)
    assert fb.correct, fb.message


def test_pixel_range_right_answer_as_tensorflow_scalars():
    tf = pytest.importorskip("tensorflow")
    assert check_pixel_range(tf.constant(0), tf.constant(255)).correct


@pytest.mark.parametrize("lowest, highest", [
    (False, 255), (0, True), (np.False_, 255), (0, 256), (-128, 127), (0.0, 1.0), (1, 255), (255, 0),
    (0, 254.5), ("0", "255"), (None, 255), ([0], [255, 0]), (0, float("nan")), (0, float("inf")),
])
def test_pixel_range_never_calls_a_wrong_answer_correct(lowest, highest):
    assert not check_pixel_range(lowest, highest).correct


def test_pixel_range_hints():
    assert "8 bits" in check_pixel_range(0, 256).message
    assert "unsigned" in check_pixel_range(-128, 127).message
    assert "rescaling" in check_pixel_range(0.0, 1.0).message
    assert "yes/no" in check_pixel_range(False, 255).message and "lowest" in check_pixel_range(False, 255).message
    assert "highest" in check_pixel_range(0, True).message
    assert "wrong order" in check_pixel_range(255, 0).message
    assert "whole numbers" in check_pixel_range(0, 254.5).message
    assert "whole number" in check_pixel_range("0", "255").message
    assert "`...`" in check_pixel_range(..., ...).message
