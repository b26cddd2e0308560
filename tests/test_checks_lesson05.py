"""Lesson 05 exercise check: the right pipeline passes, each common mistake gets its own hint, no crash."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.checks.lesson05 import EXPECTED_TRAIN, check_pipeline, pipeline_steps
from course_lib.pipeline import prepare
from course_lib.reproducibility import set_seed

set_seed(0)
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras import layers  # noqa: E402

AUTOTUNE = tf.data.AUTOTUNE
RNG = np.random.default_rng(0)
X_TRAIN = RNG.integers(0, 256, size=(24, 8, 8, 3), dtype=np.uint8)
Y_TRAIN = np.arange(24) % 3
X_TEST = RNG.integers(0, 256, size=(10, 8, 8, 3), dtype=np.uint8)
Y_TEST = np.arange(10) % 3
AUGMENT = keras.Sequential([layers.RandomFlip("horizontal", seed=1), layers.RandomTranslation(0.25, 0.25, seed=2)])
PER_IMAGE = layers.RandomTranslation(0.25, 0.25, seed=4)  # a layer, not a Sequential: takes single images too


def augment_batch(images, labels):
    return AUGMENT(images, training=True), labels


def augment_image(image, label):
    return PER_IMAGE(image, training=True), label


def augment_off(images, labels):
    return AUGMENT(images, training=False), labels


def rescale(images, labels):
    return tf.cast(images, tf.float32) / 255.0, labels


def source(x=X_TRAIN, y=Y_TRAIN):
    return tf.data.Dataset.from_tensor_slices((x, y))


def good_train():
    return source().cache().shuffle(len(X_TRAIN), seed=0).batch(8).map(augment_batch).prefetch(AUTOTUNE)


def good_test():
    return source(X_TEST, Y_TEST).batch(4).prefetch(AUTOTUNE)


def check(train=None, test=None):
    return check_pipeline(good_train() if train is None else train, good_test() if test is None else test,
                          X_TRAIN, X_TEST)


def test_the_right_pipeline_passes_and_names_its_steps():
    assert pipeline_steps(good_train()) == list(EXPECTED_TRAIN)
    feedback = check()
    assert feedback.correct and "cache -> shuffle -> batch -> map(random) -> prefetch" in feedback.message
    assert "no training image repeats" in feedback.message
    assert check_pipeline(good_train(), good_test()).correct  # without the arrays: steps only, still fine


def test_variants_that_are_also_right():
    parallel = (source().cache().shuffle(24, seed=0).batch(8).map(augment_batch, num_parallel_calls=AUTOTUNE)
                .prefetch(AUTOTUNE).with_options(tf.data.Options()))
    assert pipeline_steps(parallel) == list(EXPECTED_TRAIN)
    assert check(parallel).correct
    cast_first = source().map(rescale).cache().shuffle(24, seed=0).batch(8).map(augment_batch).prefetch(AUTOTUNE)
    assert pipeline_steps(cast_first)[1] == "map"  # a map that draws no random numbers is not augmentation
    assert check_pipeline(cast_first, good_test()).correct
    course = prepare(X_TRAIN, Y_TRAIN, batch_size=8, shuffle=True, augment=AUGMENT)
    assert check(course).correct


def test_augmentation_before_the_cache_is_measured_as_frozen():
    frozen = source().batch(8).map(augment_batch).cache().shuffle(3, seed=0).prefetch(AUTOTUNE)
    feedback = check(frozen)
    assert not feedback.correct
    assert "before the cache" in feedback.message and "100% of the images are identical" in feedback.message
    per_image_first = source().map(augment_image).cache().shuffle(24, seed=0).batch(8).prefetch(AUTOTUNE)
    assert "before the cache" in check(per_image_first).message


@pytest.mark.parametrize("train, words", [
    (lambda: source().cache().shuffle(24).batch(8).prefetch(AUTOTUNE), "not augmented"),
    (lambda: source().cache().shuffle(24).batch(8).map(augment_off).prefetch(AUTOTUNE), "training=True"),
    (lambda: source().shuffle(24).batch(8).map(augment_batch).prefetch(AUTOTUNE), "add .cache()"),
    (lambda: source().cache().batch(8).map(augment_batch).prefetch(AUTOTUNE), "add .shuffle("),
    (lambda: source().cache().batch(8).shuffle(3).map(augment_batch).prefetch(AUTOTUNE), "shuffle before batch"),
    (lambda: source().shuffle(24).cache().batch(8).map(augment_batch).prefetch(AUTOTUNE), "cache before shuffle"),
    (lambda: source().cache().shuffle(24).map(augment_image).batch(8).prefetch(AUTOTUNE), "after .batch()"),
    (lambda: source().cache().shuffle(24).batch(8).map(augment_batch), "add .prefetch("),
    (lambda: source().cache().shuffle(24).batch(8).prefetch(AUTOTUNE).map(augment_batch), "the last step"),
    (lambda: source().cache().shuffle(24).map(augment_image), "not batches"),
    (lambda: source().cache().shuffle(24).batch(8).map(augment_batch).repeat().prefetch(AUTOTUNE), "repeat"),
    (lambda: source().cache().shuffle(5).batch(8).map(augment_batch).prefetch(AUTOTUNE), "buffer holds 5"),
    (lambda: source().take(16).cache().shuffle(24).batch(8).map(augment_batch).prefetch(AUTOTUNE), "once (24)"),
])
def test_each_training_mistake_gets_its_own_hint(train, words):
    feedback = check(train())
    assert not feedback.correct and words in feedback.message, feedback.message


def test_a_zero_strength_augmentation_is_unchanged_images():
    still = keras.layers.RandomTranslation(0.0, 0.0, seed=3)

    def no_change(images, labels):
        return still(images, training=True), labels

    train = source().cache().shuffle(24, seed=0).batch(8).map(no_change).prefetch(AUTOTUNE)
    assert "unchanged" in check(train).message


@pytest.mark.parametrize("test, words", [
    (lambda: source(X_TEST, Y_TEST).batch(4).map(augment_batch).prefetch(AUTOTUNE), "test set is augmented"),
    (lambda: source(X_TEST, Y_TEST).shuffle(10, seed=0).batch(4).prefetch(AUTOTUNE), "do not shuffle"),
    (lambda: source(X_TEST, Y_TEST).batch(4).map(rescale).prefetch(AUTOTUNE), "changes the images"),
    (lambda: source(X_TEST, Y_TEST).take(6).batch(4).prefetch(AUTOTUNE), "every test image once (10)"),
    (lambda: source(X_TEST, Y_TEST).batch(4), "end of the test pipeline"),
    (lambda: source(X_TEST, Y_TEST), "not batches"),
])
def test_each_test_set_mistake_gets_its_own_hint(test, words):
    feedback = check(test=test())
    assert not feedback.correct and words in feedback.message, feedback.message


def test_a_shuffled_test_set_is_caught_from_the_steps_too():
    shuffled = source(X_TEST, Y_TEST).shuffle(10, seed=0).batch(4).prefetch(AUTOTUNE)
    feedback = check_pipeline(good_train(), shuffled)  # without x_test
    assert not feedback.correct and "do not shuffle" in feedback.message


@pytest.mark.parametrize("train, test, words", [
    (..., None, "placeholder"),
    (None, ..., "placeholder"),
    ((X_TRAIN, Y_TRAIN), None, "not the arrays"),
    ("train", None, "got str"),
    (tf.data.Dataset.from_tensor_slices(X_TRAIN).batch(8), None, "(images, labels)"),
])
def test_wrong_kinds_of_answer_get_hints_not_errors(train, test, words):
    train = good_train() if train is None else train
    test = good_test() if test is None else test
    feedback = check_pipeline(train, test, X_TRAIN, X_TEST)
    assert not feedback.correct and words in feedback.message


def test_pipeline_steps_names_steps_and_refuses_non_datasets():
    ds = tf.data.Dataset.range(8).shuffle(8).batch(2, num_parallel_calls=2).take(3).repeat(2)
    assert pipeline_steps(ds) == ["range", "shuffle", "batch", "take", "repeat"]
    assert pipeline_steps(tf.data.Dataset.from_tensors(1).cache()) == ["from_tensors", "cache"]
    with pytest.raises(TypeError, match="ds"):
        pipeline_steps([1, 2, 3])


def test_the_probe_stops_reading_at_its_limit():
    from course_lib.checks.lesson05 import _images_of

    endless = source().batch(4).repeat()
    assert len(_images_of(endless, limit=10)) == 12  # three batches of 4: the batch that crosses the limit ends it
    assert _images_of(tf.data.Dataset.from_tensor_slices((X_TRAIN, Y_TRAIN)).take(0)).shape == (0,)
