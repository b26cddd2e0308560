"""Lesson 04 exercise check: right answer accepted, each common mistake gets its own hint, no crash."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.checks.lesson04 import EXERCISE_CONFIG, check_translation
from course_lib.migration import generator_to_layers
from course_lib.reproducibility import set_seed

set_seed(0)
import keras  # noqa: E402
from keras import layers  # noqa: E402


def answer(rotation=30 / 360, translation=(0.1, 0.2), zoom=((-0.2, 0.0), (-0.2, 0.0)), fill="nearest",
           flip="horizontal", scale=1 / 255, interpolation="bilinear", extra=(), drop=()):
    """A student's answer, correct by default; each argument plants one mistake."""
    stack = {
        "RandomRotation": layers.RandomRotation(rotation, fill_mode=fill, interpolation=interpolation),
        "RandomTranslation": layers.RandomTranslation(*translation, fill_mode=fill, interpolation=interpolation),
        "RandomZoom": layers.RandomZoom(*zoom, fill_mode=fill, interpolation=interpolation),
        "RandomFlip": layers.RandomFlip(flip),
        "Rescaling": layers.Rescaling(scale),
    }
    return keras.Sequential([layer for name, layer in stack.items() if name not in drop] + list(extra))


def test_the_solution_and_the_converter_are_correct():
    assert check_translation(answer()).correct
    converted = generator_to_layers(**EXERCISE_CONFIG)
    feedback = check_translation(converted)
    assert feedback.correct
    with_input = keras.Sequential([keras.Input((32, 32, 3)), keras.Sequential(answer().layers)])
    assert check_translation(with_input).correct  # nested Sequential and an Input are fine


def test_zoom_without_width_factor_is_not_the_generator():
    """width_factor=None zooms both axes together; the generator draws zx and zy independently."""
    feedback = check_translation(answer(zoom=((-0.2, 0.0),)))
    assert not feedback.correct and "independently" in feedback.message and "width_factor=(-0.2, 0.0)" in feedback.message


def test_a_functional_model_and_a_pipeline_are_read_like_a_sequential():
    inputs = keras.Input((32, 32, 3))
    outputs = inputs
    for layer in answer().layers:
        outputs = layer(outputs)
    assert check_translation(keras.Model(inputs, outputs)).correct
    assert check_translation(keras.Sequential([keras.layers.Pipeline(answer().layers)])).correct


def test_the_order_of_rescaling_does_not_matter_but_every_layer_is_needed():
    layers_list = answer().layers
    assert check_translation(keras.Sequential([layers_list[-1], *layers_list[:-1]])).correct
    for name in ("RandomRotation", "RandomTranslation", "RandomZoom", "RandomFlip", "Rescaling"):
        assert not check_translation(answer(drop=(name,))).correct


@pytest.mark.parametrize("rotation, words", [
    ((-30, 30), "30 full turns"),
    (30 / 180, "divided by 180"),
    (np.radians(30), "radians"),
    ((0.0, 30 / 360), "both ways"),
    (0.2, "30 / 360"),
])
def test_rotation_hints(rotation, words):
    feedback = check_translation(answer(rotation=rotation))
    assert not feedback.correct and words in feedback.message


def test_translation_hints():
    swapped = check_translation(answer(translation=(0.2, 0.1)))
    assert not swapped.correct and "VERTICALLY" in swapped.message and "swapped" in swapped.message
    other = check_translation(answer(translation=(0.3, 0.3)))
    assert not other.correct and "height_factor=0.1" in other.message


@pytest.mark.parametrize("zoom, words", [
    (((0.8, 1.0), (0.8, 1.0)), "subtract 1"),
    (((0.0, 0.2), (0.0, 0.2)), "NEGATIVE"),
    (((-0.2, 0.2), (-0.2, 0.2)), "only zooms in"),
    (((-0.5, 0.0), (-0.5, 0.0)), "height_factor should be (-0.2, 0.0)"),
    (((-0.2, 0.0), (-0.3, 0.0)), "width_factor should be"),
])
def test_zoom_hints(zoom, words):
    feedback = check_translation(answer(zoom=zoom))
    assert not feedback.correct and words in feedback.message


def test_fill_mode_flip_rescaling_and_interpolation_hints():
    fill = check_translation(answer(fill="reflect"))
    assert not fill.correct and "'nearest' by default" in fill.message and "RandomRotation" in fill.message
    both = check_translation(answer(flip="horizontal_and_vertical"))
    assert not both.correct and "upside down" in both.message
    vertical = check_translation(answer(flip="vertical"))
    assert not vertical.correct and "top-bottom" in vertical.message
    scale = check_translation(answer(scale=255.0))
    assert not scale.correct and "1 / 255" in scale.message
    nearest = check_translation(answer(interpolation="nearest"))
    assert not nearest.correct and "bilinear" in nearest.message


def test_missing_extra_and_duplicate_layers():
    missing = check_translation(answer(drop=("RandomTranslation",)))
    assert not missing.correct and "RandomTranslation" in missing.message and "width_shift_range" in missing.message
    extra = check_translation(answer(extra=(layers.RandomShear(0.1),)))
    assert not extra.correct and "RandomShear" in extra.message
    twice = check_translation(answer(extra=(layers.RandomFlip("horizontal"),)))
    assert not twice.correct and "2 RandomFlip" in twice.message


@pytest.mark.parametrize("bad, words", [
    (..., "`...`"),
    (None, "keras.Sequential"),
    (42, "keras.Sequential"),
    ([layers.RandomFlip("horizontal")], "wrap your list"),
    (layers.RandomFlip("horizontal"), "single RandomFlip"),
])
def test_odd_answers_get_hints_not_crashes(bad, words):
    feedback = check_translation(bad)
    assert not feedback.correct and words in feedback.message


def test_a_model_that_breaks_the_inspection_still_gets_a_hint():
    class Odd(keras.Model):
        @property
        def layers(self):
            raise RuntimeError("no layers here")

    feedback = check_translation(Odd())
    assert not feedback.correct and "could not be checked" in feedback.message
