"""The tf.data pipeline: batching, shuffling, and augmentation on request only."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from course_lib.pipeline import prepare
from course_lib.reproducibility import set_seed


def _data(n=10):
    x = np.arange(n, dtype=np.uint8).reshape(n, 1, 1, 1) * np.ones((1, 4, 4, 1), dtype=np.uint8)
    return x, np.arange(n) % 3


def _first_pixels(ds):
    return [int(v) for xb, _ in ds for v in xb.numpy()[:, 0, 0, 0]]


def test_batches_are_float_images_with_int_labels():
    x, y = _data()
    batches = list(prepare(x, y, batch_size=4))
    assert [len(b[0]) for b in batches] == [4, 4, 2]
    assert batches[0][0].dtype.name == "float32" and batches[0][1].dtype.name == "int32"
    assert _first_pixels(prepare(x, y, batch_size=4)) == list(range(10))


def test_shuffle_is_seeded_and_changes_each_epoch():
    set_seed(0)
    x, y = _data(50)
    ds = prepare(x, y, batch_size=50, shuffle=True, seed=1)
    epoch1, epoch2 = _first_pixels(ds), _first_pixels(ds)
    assert sorted(epoch1) == list(range(50)) and epoch1 != list(range(50))
    assert epoch1 != epoch2
    assert _first_pixels(prepare(x, y, batch_size=50, shuffle=True, seed=1)) == epoch1


def test_repeat_passes_over_the_images_without_end_in_epoch_batches_reshuffled_each_pass():
    set_seed(0)
    x, y = _data(10)
    batches = [xb.numpy()[:, 0, 0, 0] for xb, _ in prepare(x, y, batch_size=4, shuffle=True, repeat=True).take(9)]
    assert [len(b) for b in batches] == [4, 4, 2] * 3  # every pass ends in the epoch's smaller batch
    passes = [sorted(int(v) for b in batches[i:i + 3] for v in b) for i in (0, 3, 6)]
    assert passes == [list(range(10))] * 3  # each pass shows every image once
    orders = [[int(v) for b in batches[i:i + 3] for v in b] for i in (0, 3, 6)]
    assert len({tuple(o) for o in orders}) == 3  # in a new order each time
    with pytest.raises(TypeError, match="repeat must be True or False"):
        prepare(x, y, repeat="yes")


def test_augment_runs_on_every_batch_when_given():
    x, y = _data()
    plus_one = prepare(x, y, batch_size=3, augment=lambda images: images + 1.0)
    assert _first_pixels(plus_one) == list(range(1, 11))


def test_keras_layers_are_called_in_training_mode():
    x, y = _data()
    flip = keras.layers.RandomFlip("horizontal", seed=0)
    images = np.concatenate([np.zeros((10, 4, 2, 1)), np.full((10, 4, 2, 1), 9.0)], axis=2).astype(np.uint8)
    out = np.concatenate([b[0].numpy() for b in prepare(images, y, batch_size=10, augment=flip)])
    flipped = (out[:, 0, 0, 0] == 9).sum()
    assert 0 < flipped < 10  # active: some images were mirrored, not all


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"batch_size": 0}, "batch_size"),
        ({"shuffle": "yes"}, "shuffle"),
        ({"augment": 3}, "augment"),
        ({"seed": -1}, "seed"),
        ({"x": np.zeros((2, 4, 4))}, "x"),
        ({"x": [[1]]}, "x"),
        ({"y": np.zeros(3, dtype=int)}, "y"),
    ],
)
def test_prepare_rejects_bad_arguments(kwargs, match):
    x, y = _data(2)
    args = {"x": x, "y": y[:2]}
    args.update(kwargs)
    with pytest.raises((TypeError, ValueError), match=match):
        prepare(**args)


def test_model_based_autotuning_is_off_and_values_do_not_depend_on_it():
    import tensorflow as tf

    set_seed(0)
    x, y = _data(20)
    ds = prepare(x, y, batch_size=8, shuffle=True, augment=lambda images: images * 2.0, seed=3)
    assert ds.options().autotune.enabled is False
    assert prepare(x, y, autotune=True).options().autotune.enabled is True
    with pytest.raises(TypeError, match="autotune must be True or False"):
        prepare(x, y, autotune="on")
    on = tf.data.Options()
    on.autotune.enabled = True
    first_epoch_off = _first_pixels(ds)
    turned_on = prepare(x, y, batch_size=8, shuffle=True, augment=lambda images: images * 2.0, seed=3)
    assert _first_pixels(turned_on.with_options(on)) == first_epoch_off  # same values and order either way


def test_one_hot_labels_and_a_mixing_step_on_images_and_labels():
    x, y = _data(6)
    one_hot = np.eye(3, dtype=np.float32)[y]
    ds = prepare(x, one_hot, batch_size=6)
    images, labels = next(iter(ds))
    assert labels.dtype.name == "float32" and labels.shape == (6, 3)

    def swap_halves(images, labels):  # a stand-in for MixUp: it must see the labels too
        return images[::-1], labels[::-1]

    images, labels = next(iter(prepare(x, one_hot, batch_size=6, mix=swap_halves)))
    np.testing.assert_array_equal(labels.numpy(), one_hot[::-1])
    np.testing.assert_array_equal(images.numpy()[:, 0, 0, 0], np.arange(6)[::-1])
    mixup = keras.layers.MixUp(alpha=0.2, seed=0)
    images, labels = next(iter(prepare(x, one_hot, batch_size=6, mix=mixup)))
    np.testing.assert_allclose(labels.numpy().sum(axis=1), 1.0, atol=1e-5)
    assert not np.allclose(labels.numpy(), one_hot)  # the layer mixed the labels


@pytest.mark.parametrize("kwargs, match", [
    ({"mix": lambda i, l: (i, l)}, "mix needs one-hot labels"),
    ({"y": np.full((2, 3), 0.5, np.float32)}, "sum to 1"),
    ({"x": np.full((2, 4, 4, 1), np.nan, np.float32)}, "x must hold finite"),
    ({"batch_size": 10**9}, "batch_size"),
    ({"mix": "mixup", "y": np.eye(2, dtype=np.float32)}, "mix must be a callable"),
])
def test_prepare_rejects_bad_labels_and_steps(kwargs, match):
    x, y = _data(2)
    args = {"x": x, "y": y[:2]}
    args.update(kwargs)
    with pytest.raises((TypeError, ValueError), match=match):
        prepare(**args)
