"""Lesson 06's generator (course_lib.lessons.l06_build_your_own_generator, generated from the lesson's #@save
cells): every transform is the NumPy engine's, the PyDataset contract, determinism, and named errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_lib import transforms as T
from course_lib.lessons import l06_build_your_own_generator as G
from course_lib.lessons.l06_build_your_own_generator import (
    AugmentingSequence,
    apply_transform,
    describe_choice,
    scale_amounts,
)

from helpers import NOT_A_COUNT, NOT_A_NUMBER, assert_rejects, bad_argument_cases


def textured(n: int = 6, h: int = 32, w: int = 32, c: int = 3, seed: int = 0, lo: int = 2, hi: int = 254) -> np.ndarray:
    return np.random.default_rng(seed).integers(lo, hi, size=(n, h, w, c), dtype=np.uint8)


def indexed(n: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """Images whose pixel [0, 0, 0] is the image's index; label = index % 10."""
    x = textured(n, 8, 8, 3, seed=1)
    x[:, 0, 0, 0] = np.arange(n)
    return x, np.arange(n) % 10


# --------------------------------------------------------------------------- the seven transforms are the engine's


def test_the_transforms_are_the_engines_names_with_one_parameter_each():
    assert G.TRANSFORMS == ("rotation", "horizontal_flip", "width_shift", "height_shift", "sharpen", "contrast",
                            "brightness")
    assert G.CHOICES == ("identity",) + G.TRANSFORMS
    for name in G.TRANSFORMS:
        assert name in T.TRANSFORMS and len(T.PARAMETERS[name]) == 1
    assert set(G.DEFAULT_MAX_AMOUNT) == set(G.TRANSFORMS) - {"horizontal_flip"}
    assert all(0 < v <= T.MAX_STRENGTH[k] for k, v in G.DEFAULT_MAX_AMOUNT.items())


@pytest.mark.parametrize("fill_mode", T.FILL_MODES)
def test_each_image_of_a_batch_equals_the_engine_on_that_image_alone(fill_mode):
    """The acceptance criterion of issue 10: the generator's output is course_lib.transforms' for the same parameters."""
    x = textured(64, 16, 16, 3).astype(np.float32)
    seq = AugmentingSequence(x, batch_size=64, seed=5, shuffle=False, fill_mode=fill_mode)
    batch = seq.augmented_batch(0)
    assert len(set(batch.transforms)) == len(G.CHOICES)  # every choice occurs, so every transform is compared
    for i, (name, amount) in enumerate(zip(batch.transforms, batch.amounts)):
        if name == "identity":
            np.testing.assert_array_equal(batch.x[i], x[i])
            continue
        key = next(iter(T.PARAMETERS[name]))
        params = {key: True} if name == "horizontal_flip" else {key: float(amount)}
        options = {"fill_mode": fill_mode} if name in T.GEOMETRIC else {}
        expected = T.apply_parameters(name, x[i], params, **options)
        np.testing.assert_allclose(batch.x[i], expected, atol=1e-3, err_msg=f"image {i}: {name} {amount}")


def test_apply_transform_is_one_engine_call_per_group_with_the_0_255_range():
    x = np.full((3, 8, 8, 3), 0.5, np.float32)  # dark float pixels: the engine alone would guess the range 0..1
    out = apply_transform("brightness", x, np.array([0.1, 0.0, -0.1]))
    np.testing.assert_allclose(out[:, 0, 0, 0], [0.5 + 25.5, 0.5, 0.0], atol=1e-4)
    same = T.apply_batch("rotation", x * 100, {"angle": np.array([10.0, -5.0, 0.0])}, value_range=(0, 255),
                         fill_mode="reflect")
    np.testing.assert_array_equal(apply_transform("rotation", x * 100, np.array([10.0, -5.0, 0.0]),
                                                  fill_mode="reflect"), same)
    np.testing.assert_array_equal(apply_transform("identity", x, np.zeros(3)), x)
    flipped = apply_transform("horizontal_flip", x * 10, np.zeros(3))
    np.testing.assert_array_equal(flipped, (x * 10)[:, :, ::-1])


def test_whole_pixel_shifts_are_exact_and_move_the_documented_way():
    image = np.zeros((2, 10, 10, 1), np.float32)
    image[:, 4, 4, 0] = 200.0
    amounts = scale_amounts(["width_shift", "height_shift"], [0.5, -0.5], {"width_shift": 0.4, "height_shift": 0.4},
                            height=10, width=10)
    np.testing.assert_allclose(amounts, [0.2, -0.2])
    right = apply_transform("width_shift", image[:1], amounts[:1], fill_mode="constant")
    up = apply_transform("height_shift", image[1:], amounts[1:], fill_mode="constant")
    assert np.argwhere(right[0, ..., 0] == 200).tolist() == [[4, 6]]  # two pixels right, nothing blurred
    assert np.argwhere(up[0, ..., 0] == 200).tolist() == [[2, 4]]  # two pixels up
    assert np.count_nonzero(right) == np.count_nonzero(up) == 1


def test_scale_amounts_follows_the_units():
    names = ["identity", "rotation", "horizontal_flip", "width_shift", "height_shift", "sharpen", "contrast",
             "brightness"]
    u = np.full(len(names), -0.5)
    out = scale_amounts(names, u, G.DEFAULT_MAX_AMOUNT, height=20, width=40)
    expected = [0.0, -10.0, 0.0, np.rint(-0.075 * 40) / 40, np.rint(-0.075 * 20) / 20, 0.5, 0.75, -0.125]
    np.testing.assert_allclose(out, expected)


def test_describe_choice():
    assert describe_choice("rotation", 12.4) == "rotation +12°"
    assert describe_choice("rotation", -0.2) == "rotation +0°"
    assert describe_choice("brightness", -0.1) == "brightness -0.10"
    assert describe_choice("contrast", 1.2) == "contrast x1.20"
    assert describe_choice("width_shift", -0.003) == "width_shift +0.00"
    assert describe_choice("horizontal_flip", 0) == "horizontal_flip"
    assert describe_choice("identity", 0) == "identity"
    with pytest.raises(ValueError, match="name"):
        describe_choice("zoom", 1.0)
    for bad in NOT_A_NUMBER:
        with pytest.raises((TypeError, ValueError), match="amount"):
            describe_choice("rotation", bad)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"name": "zoom"}, ValueError, "name"),
    ({"name": 3}, ValueError, "name"),
    ({"name": np.array(["rotation", "sharpen"])}, ValueError, "name"),
    ({"images": [[1.0]]}, TypeError, "images"),
    ({"images": np.zeros((4, 4, 3))}, ValueError, "images"),
    ({"amounts": np.zeros(2)}, ValueError, "amounts"),
    ({"amounts": np.array(["a", "b", "c"])}, TypeError, "amounts"),
    ({"amounts": np.array([0.0, np.nan, 1.0])}, ValueError, "amounts"),
    ({"amounts": 3.0}, TypeError, "amounts"),
    ({"fill_mode": "mirror"}, ValueError, "fill_mode"),
])
def test_apply_transform_names_the_bad_argument(kwargs, error, match):
    args = {"name": "rotation", "images": textured(3).astype(np.float32), "amounts": np.zeros(3), **kwargs}
    with pytest.raises(error, match=match):
        apply_transform(args.pop("name"), args.pop("images"), args.pop("amounts"), **args)


# --------------------------------------------------------------------------- the PyDataset


def test_batches_have_the_right_shapes_dtypes_and_length():
    x, y = textured(70, 32, 32, 3), np.arange(70) % 10
    seq = AugmentingSequence(x, y, batch_size=32, seed=0)
    assert len(seq) == math.ceil(70 / 32) == 3
    sizes = []
    for xb, yb in seq:
        assert xb.dtype == np.float32 and xb.shape[1:] == (32, 32, 3)
        assert yb.dtype == y.dtype and len(yb) == len(xb)
        assert xb.min() >= 0 and xb.max() <= 255
        sizes.append(len(xb))
    assert sizes == [32, 32, 6]
    assert len(AugmentingSequence(x, y, batch_size=500)) == 1
    assert "70 images" in repr(seq) and "seed=0" in repr(seq)


def test_labels_stay_paired_with_their_images_without_transforms():
    x, y = indexed(50)
    seq = AugmentingSequence(x, y, batch_size=16, seed=3, transforms=[], shuffle=True)
    for _ in range(2):
        seen = []
        for xb, yb in seq:
            ids = xb[:, 0, 0, 0].astype(int)
            np.testing.assert_array_equal(yb, ids % 10)
            np.testing.assert_array_equal(xb, x[ids])  # identity only: the images themselves
            seen += ids.tolist()
        assert sorted(seen) == list(range(50))  # every image once per epoch
        assert seen != list(range(50))  # shuffled
        seq.on_epoch_end()


def test_labels_stay_paired_with_their_images_under_transforms():
    values = np.arange(0, 250, 5)
    x = np.broadcast_to(values[:, None, None, None], (len(values), 8, 8, 3)).astype(np.uint8)
    # constant images survive rotation, flips, shifts (edge fill), sharpening and contrast unchanged
    no_brightness = [t for t in G.TRANSFORMS if t != "brightness"]
    seq = AugmentingSequence(x, values, batch_size=16, seed=0, transforms=no_brightness)
    for i in range(len(seq)):
        batch = seq.augmented_batch(i)
        np.testing.assert_allclose(batch.x[:, 3, 3, 1], batch.y, atol=1e-3)
        assert len(set(batch.transforms)) > 1


def test_one_hot_labels_and_no_labels():
    x = textured(10, 8, 8, 3)
    one_hot = np.eye(10, dtype=np.float32)
    _, yb = AugmentingSequence(x, one_hot, batch_size=4, shuffle=False)[0]
    np.testing.assert_array_equal(yb, one_hot[:4])
    only_x = AugmentingSequence(x, batch_size=4)[2]
    assert isinstance(only_x, tuple) and len(only_x) == 1 and only_x[0].shape == (2, 8, 8, 3)


def test_choices_and_amounts_follow_the_settings():
    x = textured(400, 8, 8, 3)
    seq = AugmentingSequence(x, batch_size=400, seed=1, max_amount={"rotation": 10.0, "brightness": 0.1})
    assert seq.max_amount["rotation"] == 10.0 and seq.max_amount["sharpen"] == G.DEFAULT_MAX_AMOUNT["sharpen"]
    batch = seq.augmented_batch(0)
    names = np.array(batch.transforms)
    assert set(names) == set(G.CHOICES)
    for name in G.CHOICES:
        amounts = batch.amounts[names == name]
        top = seq.max_amount.get(name, 0.0)
        if name in ("identity", "horizontal_flip"):
            assert np.all(amounts == 0)
        elif name == "contrast":
            assert np.all(np.abs(amounts - 1) <= top) and amounts.min() < 1 < amounts.max()
        elif name == "sharpen":
            assert np.all((amounts >= 0) & (amounts <= top)) and amounts.max() > top / 2
        else:
            assert np.all(np.abs(amounts) <= top + 1e-9) and amounts.min() < 0 < amounts.max()
        if name in ("width_shift", "height_shift"):
            np.testing.assert_allclose(amounts * 8, np.rint(amounts * 8))  # whole pixels
    no_identity = AugmentingSequence(x, batch_size=400, transforms=["brightness"], include_identity=False)
    assert set(no_identity.augmented_batch(0).transforms) == {"brightness"}
    assert no_identity.choices == ("brightness",)


def test_deterministic_per_seed_epoch_and_batch():
    x, y = indexed(40)
    a = AugmentingSequence(x, y, batch_size=8, seed=7)
    b = AugmentingSequence(x, y, batch_size=8, seed=7)
    later_first = b[3]  # the order in which batches are asked for does not matter
    np.testing.assert_array_equal(a[3][0], later_first[0])
    np.testing.assert_array_equal(a[0][0], b[0][0])
    other = AugmentingSequence(x, y, batch_size=8, seed=8)
    assert not np.array_equal(a[0][0], other[0][0])

    epoch0 = [xb.copy() for xb, _ in a]
    a.on_epoch_end()
    assert a.epoch == 1
    epoch1 = [xb for xb, _ in a]
    assert not np.array_equal(epoch0[0], epoch1[0])
    a.set_epoch(0)
    for xb, again in zip(epoch0, (xb for xb, _ in a)):
        np.testing.assert_array_equal(xb, again)
    b.set_epoch(1)
    np.testing.assert_array_equal(epoch1[2], b[2][0])


def test_threads_give_the_same_batches_in_any_order():
    from concurrent.futures import ThreadPoolExecutor

    x, y = indexed(64)
    seq = AugmentingSequence(x, y, batch_size=8, seed=2)
    in_order = [seq[i][0] for i in range(len(seq))]
    with ThreadPoolExecutor(4) as pool:
        parallel = list(pool.map(lambda i: seq[i][0], reversed(range(len(seq)))))[::-1]
    for one, other in zip(in_order, parallel):
        np.testing.assert_array_equal(one, other)


def test_no_shuffle_keeps_the_order():
    x, y = indexed(20)
    seq = AugmentingSequence(x, y, batch_size=8, transforms=[], shuffle=False)
    seq.on_epoch_end()
    np.testing.assert_array_equal(np.concatenate([xb[:, 0, 0, 0] for xb, _ in seq]), np.arange(20))


def test_model_fit_consumes_it_and_advances_the_epochs():
    import keras

    x, y = textured(48, 8, 8, 3), np.arange(48) % 3
    model = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Rescaling(1 / 255),
                              keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy")
    for workers in (1, 2):
        seq = AugmentingSequence(x, y, batch_size=16, seed=0, workers=workers)
        history = model.fit(seq, epochs=2, verbose=0)
        assert len(history.history["loss"]) == 2
        # fit calls on_epoch_end after each epoch (Keras 3.15 also once before the first one)
        assert seq.epoch in (2, 3)
        assert seq.workers == workers


def test_train_and_evaluate_accepts_it():
    from course_lib.models import build_cnn, train_and_evaluate

    x, y = textured(32, 16, 16, 3), np.arange(32) % 2
    model = build_cnn(input_shape=(16, 16, 3), num_classes=2, filters=(4,), dense_units=8)
    result = train_and_evaluate(model, AugmentingSequence(x, y, batch_size=16), None, x[:8], y[:8], epochs=1)
    assert result.weight_updates == 2 and result.predictions.shape == (8,)


def test_pydataset_settings_are_passed_on():
    seq = AugmentingSequence(textured(4), batch_size=2, workers=2, use_multiprocessing=True, max_queue_size=3)
    assert (seq.workers, seq.use_multiprocessing, seq.max_queue_size) == (2, True, 3)


GOOD = {"x": textured(4, 8, 8, 3), "y": np.arange(4)}


@pytest.mark.parametrize("func, good, arg, value", bad_argument_cases(AugmentingSequence, GOOD, {
    "x": [[[0]], np.zeros((4, 8, 8)), np.full((4, 8, 8, 3), 300.0), np.full((4, 8, 8, 3), -1.0),
          np.full((4, 8, 8, 3), np.nan), np.zeros((0, 8, 8, 3)), np.array([["a"]])],
    "y": [np.arange(3), "labels"],
    "batch_size": NOT_A_COUNT,
    "seed": (-1, 2**40, 1.5, None, np.array([1, 2])),
    "transforms": (["zoom"], "rotation", ["rotation", "rotation"], 3, [np.array(["rotation"])]),
    "max_amount": ({"zoom": 1}, {"rotation": 400}, {"brightness": -0.1}, 20, {"rotation": float("nan")},
                   {"sharpen": "much"}),
    "include_identity": (1, None, "yes"),
    "shuffle": ("yes", 0),
    "fill_mode": ("mirror", None, np.array(["nearest", "wrap"]), ["nearest"]),
    "workers": NOT_A_COUNT,
    "use_multiprocessing": (None, 1),
    "max_queue_size": NOT_A_COUNT,
}))
def test_every_bad_constructor_argument_is_named(func, good, arg, value):
    assert_rejects(func, good, arg, value)


def test_no_transforms_and_no_identity_is_refused():
    assert_rejects(AugmentingSequence, {**GOOD, "include_identity": False}, "transforms", [])


def test_bad_batch_index_and_epoch():
    seq = AugmentingSequence(textured(10, 8, 8, 3), batch_size=4)
    with pytest.raises(IndexError, match="index"):
        seq[3]
    for bad in (-1, 1.0, "0", None, *NOT_A_NUMBER[:3]):
        with pytest.raises((TypeError, ValueError), match="index"):
            seq[bad]
    with pytest.raises(ValueError, match="epoch"):
        seq.set_epoch(-1)
    with pytest.raises(TypeError, match="epoch"):
        seq.set_epoch(1.5)
