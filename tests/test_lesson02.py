"""The teaching code of lesson 02 (course_lib.lessons.l02_transform_toolbox, generated from its #@save cells):
the hand-written inverse-mapping rotation agrees with the course's transform engine, pixel for pixel."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib import transforms as T
from course_lib.lessons.l02_transform_toolbox import rotate_nearest
from helpers import assert_rejects


@pytest.mark.parametrize("shape", [(32, 32, 3), (31, 45), (50, 20, 1), (7, 9, 3), (1, 1, 3)])
@pytest.mark.parametrize("angle", [0, 10, 30, 45, 90, -73.5, 180, 359, 360])
def test_rotate_nearest_is_the_engines_nearest_rotation(shape, angle):
    image = np.random.default_rng(sum(shape)).integers(0, 256, size=shape, dtype=np.uint8)
    engine = T.apply_parameters("rotation", image, {"angle": angle}, interpolation="nearest", fill_mode="nearest")
    mine = rotate_nearest(image, angle)
    assert mine.shape == image.shape and mine.dtype == image.dtype
    assert np.array_equal(mine, engine)


def test_rotate_nearest_keeps_float_images_and_turns_counter_clockwise():
    image = np.zeros((5, 5), np.float32)
    image[0, 2] = 1.0  # top middle
    turned = rotate_nearest(image, 90)
    assert turned.dtype == np.float32 and turned[2, 0] == 1.0  # counter-clockwise: top goes to the left
    assert np.array_equal(rotate_nearest(image, 0), image)


@pytest.mark.parametrize("arg, value", [
    ("image", [[1, 2], [3, 4]]), ("image", np.zeros((2, 2, 2, 2))), ("image", np.zeros((0, 3))), ("image", None),
    ("angle_degrees", float("nan")), ("angle_degrees", float("inf")), ("angle_degrees", 1e9),
    ("angle_degrees", "30"), ("angle_degrees", None), ("angle_degrees", True), ("angle_degrees", np.array([1.0, 2.0])),
])
def test_rotate_nearest_names_every_bad_argument(arg, value):
    assert_rejects(rotate_nearest, {"image": np.zeros((4, 4), np.uint8), "angle_degrees": 10}, arg, value)
