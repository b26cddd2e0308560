"""Lesson 05 exercise check: the right pipeline passes, each common mistake gets its own hint, no crash.

The student writes make_train_ds(source) and make_test_ds(source); the check calls them with a spied source
(public tf.data API only) and runs what they build."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.checks.lesson05 import EXPECTED_TRAIN, check_pipeline, pipeline_steps
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


def good_train(source):
    return source.cache().shuffle(len(X_TRAIN), seed=0).batch(8).map(augment_batch).prefetch(AUTOTUNE)


def good_test(source):
    return source.batch(4).prefetch(AUTOTUNE)


def check(train=good_train, test=good_test):
    return check_pipeline(train, test, X_TRAIN, Y_TRAIN, X_TEST, Y_TEST)


def test_the_right_pipeline_passes_and_names_its_steps():
    assert pipeline_steps(good_train, X_TRAIN, Y_TRAIN) == list(EXPECTED_TRAIN)
    feedback = check()
    assert feedback.correct and "source -> cache -> shuffle -> batch -> map(random) -> prefetch" in feedback.message
    assert "no training image repeats" in feedback.message


def test_variants_that_are_also_right():
    def parallel(source):
        return (source.cache().shuffle(buffer_size=24, seed=0).batch(8)
                .map(augment_batch, num_parallel_calls=AUTOTUNE).prefetch(AUTOTUNE).with_options(tf.data.Options()))

    assert pipeline_steps(parallel, X_TRAIN, Y_TRAIN) == list(EXPECTED_TRAIN)
    assert check(parallel).correct

    def cast_first(source):
        return source.map(rescale).cache().shuffle(24, seed=0).batch(8).map(augment_batch).prefetch(AUTOTUNE)

    assert pipeline_steps(cast_first, X_TRAIN, Y_TRAIN)[1] == "map"  # no random numbers: not augmentation
    assert check(cast_first).correct

    def step_by_step(source):  # the same chain, one assignment per step, and a lambda around the augmentation
        ds = source.cache()
        ds = ds.shuffle(len(ds), seed=1)
        ds = ds.batch(8)
        ds = ds.map(lambda images, labels: (AUGMENT(images, training=True), labels))
        return ds.prefetch(AUTOTUNE)

    assert check(step_by_step).correct


def test_augmentation_before_the_cache_is_measured_as_frozen():
    def frozen(source):
        return source.batch(8).map(augment_batch).cache().shuffle(3, seed=0).prefetch(AUTOTUNE)

    feedback = check(frozen)
    assert not feedback.correct
    assert "before the cache" in feedback.message and "100% of the images are identical" in feedback.message

    def per_image_first(source):
        return source.map(augment_image).cache().shuffle(24, seed=0).batch(8).prefetch(AUTOTUNE)

    assert "before the cache" in check(per_image_first).message


@pytest.mark.parametrize("train, words", [
    (lambda s: s.cache().shuffle(24).batch(8).prefetch(AUTOTUNE), "not augmented"),
    (lambda s: s.cache().shuffle(24).batch(8).map(augment_off).prefetch(AUTOTUNE), "training=True"),
    (lambda s: s.shuffle(24).batch(8).map(augment_batch).prefetch(AUTOTUNE), "add .cache()"),
    (lambda s: s.cache().batch(8).map(augment_batch).prefetch(AUTOTUNE), "add .shuffle("),
    (lambda s: s.cache().batch(8).shuffle(3).map(augment_batch).prefetch(AUTOTUNE), "shuffle before batch"),
    (lambda s: s.shuffle(24).cache().batch(8).map(augment_batch).prefetch(AUTOTUNE), "cache before shuffle"),
    (lambda s: s.cache().shuffle(24).map(augment_image).batch(8).prefetch(AUTOTUNE), "after .batch()"),
    (lambda s: s.cache().shuffle(24).batch(8).map(augment_batch), "add .prefetch("),
    (lambda s: s.cache().shuffle(24).batch(8).prefetch(AUTOTUNE).map(augment_batch), "the last step"),
    (lambda s: s.cache().shuffle(24).map(augment_image), "not batches"),
    (lambda s: s.cache().shuffle(24).batch(8).map(augment_batch).repeat().prefetch(AUTOTUNE), "repeat"),
    (lambda s: s.cache().shuffle(5).batch(8).map(augment_batch).prefetch(AUTOTUNE), "buffer holds 5"),
    (lambda s: s.take(16).cache().shuffle(24).batch(8).map(augment_batch).prefetch(AUTOTUNE), "once (24)"),
    (lambda s: s.map(lambda x, y: x).batch(8), "pair (images, labels)"),
])
def test_each_training_mistake_gets_its_own_hint(train, words):
    feedback = check(train)
    assert not feedback.correct and words in feedback.message, feedback.message


def test_a_zero_strength_augmentation_is_unchanged_images():
    still = keras.layers.RandomTranslation(0.0, 0.0, seed=3)

    def no_change(images, labels):
        return still(images, training=True), labels

    feedback = check(lambda s: s.cache().shuffle(24, seed=0).batch(8).map(no_change).prefetch(AUTOTUNE))
    assert not feedback.correct and "unchanged" in feedback.message


@pytest.mark.parametrize("test, words", [
    (lambda s: s.batch(4).map(augment_batch).prefetch(AUTOTUNE), "test set is augmented"),
    (lambda s: s.shuffle(10, seed=0).batch(4).prefetch(AUTOTUNE), "do not shuffle"),
    (lambda s: s.batch(4).map(rescale).prefetch(AUTOTUNE), "changes the images"),
    (lambda s: s.take(6).batch(4).prefetch(AUTOTUNE), "every test image once (10)"),
    (lambda s: s.batch(4), "end of the test pipeline"),
    (lambda s: s, "not batches"),
])
def test_each_test_set_mistake_gets_its_own_hint(test, words):
    feedback = check(test=test)
    assert not feedback.correct and words in feedback.message, feedback.message


def test_a_shuffle_that_keeps_the_order_by_chance_is_still_caught_from_the_steps():
    twins = X_TEST[[0, 0, 0]]  # the same image three times: any order gives the same test set

    def shuffled(source):
        return source.shuffle(3, seed=0).batch(4).prefetch(AUTOTUNE)

    feedback = check_pipeline(good_train, shuffled, X_TRAIN, Y_TRAIN, twins, Y_TEST[[0, 0, 0]])
    assert not feedback.correct and "do not shuffle" in feedback.message


def own_dataset(source):
    return tf.data.Dataset.from_tensor_slices((X_TRAIN, Y_TRAIN)).batch(8)


@pytest.mark.parametrize("train, test, words", [
    (..., good_test, "placeholder"),
    (good_train, ..., "placeholder"),
    (good_train(tf.data.Dataset.from_tensor_slices((X_TRAIN, Y_TRAIN))), good_test, "not the dataset it returns"),
    ("train", good_test, "not a str"),
    (lambda s: None, good_test, "`return` missing"),
    (own_dataset, good_test, "build on the `source`"),
    (lambda s: (s, s), good_test, "got tuple"),
    (lambda s: 1 / 0, good_test, "ZeroDivisionError"),
    (lambda: None, good_test, "TypeError"),
    (lambda s: s.no_such_step(), good_test, "AttributeError"),
    (good_train, lambda s: np.zeros(3), "got ndarray"),
])
def test_wrong_kinds_of_answer_get_hints_not_errors(train, test, words):
    feedback = check_pipeline(train, test, X_TRAIN, Y_TRAIN, X_TEST, Y_TEST)
    assert not feedback.correct and words in feedback.message, feedback.message


@pytest.mark.parametrize("args, words", [
    ((X_TRAIN.tolist(), Y_TRAIN, X_TEST, Y_TEST), "x_train"),
    ((X_TRAIN, "labels", X_TEST, Y_TEST), "y_train"),
    ((X_TRAIN, Y_TRAIN, X_TEST[0], Y_TEST), "x_test"),
    ((X_TRAIN, Y_TRAIN, X_TEST, None), "y_test"),
    ((X_TRAIN, Y_TEST, X_TEST, Y_TEST), "same split"),
])
def test_wrong_arrays_get_hints(args, words):
    feedback = check_pipeline(good_train, good_test, *args)
    assert not feedback.correct and words in feedback.message, feedback.message


def test_pipeline_steps_names_steps_and_refuses_non_functions():
    x = np.arange(8)
    steps = pipeline_steps(lambda s: s.shuffle(8).batch(2, num_parallel_calls=2).take(3).repeat(2), x, x)
    assert steps == ["source", "shuffle", "batch", "take", "repeat"]
    with pytest.raises(TypeError, match="make_ds"):
        pipeline_steps([1, 2, 3], x, x)


def test_the_probe_stops_reading_at_its_limit():
    from course_lib.checks.lesson05 import _images_of

    endless = tf.data.Dataset.from_tensor_slices((X_TRAIN, Y_TRAIN)).batch(4).repeat()
    assert len(_images_of(endless, limit=10)) == 12  # three batches of 4: the batch that crosses the limit ends it
    assert _images_of(tf.data.Dataset.from_tensor_slices((X_TRAIN, Y_TRAIN)).take(0)).shape == (0,)


def test_the_check_uses_no_private_tensorflow_attributes():
    import ast
    import inspect

    from course_lib.checks import lesson05

    tree = ast.parse(inspect.getsource(lesson05))
    private = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr.startswith("_")
               and not node.attr.startswith("__")}
    assert private == set(), private
