"""Tests for course_lib.generator: each transform's behaviour, the PyDataset contract, determinism, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_lib import generator as G
from course_lib.generator import AugmentingSequence, apply_transform, describe_transform

NO_FLIP = tuple(t for t in G.TRANSFORMS if t != "horizontal_flip")


def textured(n: int = 6, h: int = 32, w: int = 32, c: int = 3, seed: int = 0, lo: int = 0, hi: int = 256) -> np.ndarray:
    return np.random.default_rng(seed).integers(lo, hi, size=(n, h, w, c), dtype=np.uint8)


def dot(h: int = 32, w: int = 32, row: int = 10, col: int = 10) -> np.ndarray:
    image = np.zeros((1, h, w, 1), dtype=np.uint8)
    image[0, row, col, 0] = 255
    return image


def brightest(image: np.ndarray) -> tuple[int, int]:
    r, c = np.unravel_index(np.argmax(image[..., 0]), image.shape[:2])
    return int(r), int(c)


def indexed(n: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """Images whose pixel [0, 0, 0] is the image's index; label = index % 10."""
    x = textured(n, 8, 8, 3, seed=1)
    x[:, 0, 0, 0] = np.arange(n)
    return x, np.arange(n) % 10


# --------------------------------------------------------------------------- the transforms


@pytest.mark.parametrize("fill_mode", G.FILL_MODES)
@pytest.mark.parametrize("name", ("identity",) + NO_FLIP)
def test_intensity_zero_is_the_identity(name, fill_mode):
    x = textured()
    out = apply_transform(x, name, 0.0, fill_mode=fill_mode)
    assert out.dtype == np.float32 and out.shape == x.shape
    np.testing.assert_allclose(out, x, atol=1e-3)


def test_horizontal_flip_mirrors_columns_and_ignores_intensity():
    x = textured()
    for t in (0.0, 0.7):
        np.testing.assert_array_equal(apply_transform(x, "horizontal_flip", t), x[:, :, ::-1, :])
    twice = apply_transform(apply_transform(x, "horizontal_flip", 0), "horizontal_flip", 0)
    np.testing.assert_array_equal(twice, x)


@pytest.mark.parametrize("name, t, expected", [
    ("shift_left_right", 0.25, (10, 18)), ("shift_left_right", -0.25, (10, 2)),
    ("shift_up_down", 0.25, (18, 10)), ("shift_up_down", -0.25, (2, 10)),
])
def test_shifts_move_a_dot_the_documented_way(name, t, expected):
    out = apply_transform(dot(), name, t, fill_mode="constant")
    assert brightest(out[0]) == expected
    assert out.max() == 255 and np.count_nonzero(out) == 1


def test_shift_fill_modes():
    x = np.tile(np.arange(1, 9, dtype=np.uint8)[None, None, :, None], (1, 2, 1, 1))  # row 1..8
    row = lambda mode: apply_transform(x, "shift_left_right", 3 / 8, fill_mode=mode)[0, 0, :, 0].tolist()  # noqa: E731
    assert row("constant") == [0, 0, 0, 1, 2, 3, 4, 5]
    assert row("nearest") == [1, 1, 1, 1, 2, 3, 4, 5]
    assert row("reflect") == [3, 2, 1, 1, 2, 3, 4, 5]
    down = apply_transform(np.transpose(x, (0, 2, 1, 3)), "shift_up_down", -3 / 8, fill_mode="reflect")
    assert down[0, :, 0, 0].tolist() == [4, 5, 6, 7, 8, 8, 7, 6]


def test_shifts_differ_per_image():
    x = np.repeat(dot(), 3, axis=0)
    out = apply_transform(x, "shift_left_right", [0.0, 0.125, -0.125], fill_mode="constant")
    assert [brightest(im) for im in out] == [(10, 10), (10, 14), (10, 6)]


@pytest.mark.parametrize("fill_mode", G.FILL_MODES)
def test_rotation_turns_counter_clockwise(fill_mode):
    image = dot(33, 33, row=16, col=24)  # 8 px right of the centre (16, 16)
    out = apply_transform(np.repeat(image, 3, axis=0), "rotation", [90.0, -90.0, 180.0], fill_mode=fill_mode)
    assert [brightest(im) for im in out] == [(8, 16), (24, 16), (16, 8)]
    assert out[0].max() == pytest.approx(255, abs=0.5)


def test_rotation_full_turn_and_constant_images():
    x = textured()
    np.testing.assert_allclose(apply_transform(x, "rotation", 360.0), x, atol=0.05)
    flat = np.full((2, 16, 16, 3), 77, dtype=np.uint8)
    np.testing.assert_allclose(apply_transform(flat, "rotation", [30.0, -45.0]), flat, atol=1e-3)
    corners = apply_transform(flat, "rotation", 45.0, fill_mode="constant")
    assert corners[0, 0, 0, 0] == 0 and corners[0, 8, 8, 0] == pytest.approx(77)


def test_brightness_moves_the_mean_and_keeps_the_spread():
    x = textured(lo=60, hi=140)
    for t in (0.2, -0.2):
        out = apply_transform(x, "brightness", t)
        np.testing.assert_allclose(out.mean(axis=(1, 2, 3)), x.mean(axis=(1, 2, 3)) + 255 * t, rtol=1e-5)
        np.testing.assert_allclose(out.std(axis=(1, 2, 3)), x.std(axis=(1, 2, 3)), rtol=1e-4)


def test_contrast_scales_the_spread_and_keeps_the_mean():
    x = textured(lo=100, hi=156)
    for t in (0.5, -0.5):
        out = apply_transform(x, "contrast", t)
        np.testing.assert_allclose(out.mean(axis=(1, 2)), x.mean(axis=(1, 2)), rtol=1e-4)
        np.testing.assert_allclose(out.std(axis=(1, 2)), x.std(axis=(1, 2)) * (1 + t), rtol=1e-4)
    grey = apply_transform(x, "contrast", -1.0)
    np.testing.assert_allclose(grey.std(axis=(1, 2)), 0, atol=0.01)


def test_sharpen_is_an_unsharp_mask():
    image = np.full((1, 5, 5, 1), 90, dtype=np.uint8)
    image[0, 2, 2, 0] = 150
    out = apply_transform(image, "sharpen", 1.0)[0, ..., 0]
    box = 90 + 60 / 9  # the 3 x 3 mean around the dot and around each of its neighbours
    assert out[2, 2] == pytest.approx(150 + (150 - box), abs=1e-3)
    assert out[2, 3] == pytest.approx(90 + (90 - box), abs=1e-3)
    assert out[0, 0] == pytest.approx(90, abs=1e-3)  # far from the dot: a flat area is unchanged
    x = textured(lo=80, hi=176)
    assert apply_transform(x, "sharpen", 0.5).std() > x.std()


@pytest.mark.parametrize("name, t", [("brightness", 1.0), ("brightness", -1.0), ("contrast", 1.0),
                                     ("sharpen", 5.0), ("rotation", 33.0)])
def test_values_stay_within_0_255(name, t):
    out = apply_transform(textured(), name, t)
    assert out.min() >= 0 and out.max() <= 255
    assert out.min() == 0 or out.max() == 255 or name == "rotation"


def test_apply_transform_accepts_float_input_and_does_not_change_it():
    x = textured().astype(np.float64)
    before = x.copy()
    out = apply_transform(x, "brightness", 0.1)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(x, before)


def test_describe_transform():
    assert describe_transform("rotation", 12.4) == "rotation +12°"
    assert describe_transform("brightness", -0.1) == "brightness -0.10"
    assert describe_transform("horizontal_flip", 0) == "horizontal_flip"
    assert describe_transform("identity", 0) == "identity"
    assert describe_transform("shift_up_down", -0.003) == "shift_up_down +0.00"
    assert describe_transform("rotation", -0.2) == "rotation +0°"
    with pytest.raises(ValueError, match="name"):
        describe_transform("zoom", 1)
    with pytest.raises(TypeError, match="intensity"):
        describe_transform("rotation", "big")


@pytest.mark.parametrize("kwargs, error, match", [
    ({"images": np.zeros((4, 4, 3))}, ValueError, "images"),
    ({"images": [[1]]}, TypeError, "images"),
    ({"images": np.zeros((2, 0, 4, 3))}, ValueError, "images"),
    ({"name": "zoom"}, ValueError, "name"),
    ({"name": 3}, TypeError, "name"),
    ({"intensities": [0.1, 0.2]}, ValueError, "intensities"),
    ({"intensities": "a lot"}, TypeError, "intensities"),
    ({"intensities": True}, TypeError, "intensities"),
    ({"intensities": float("nan")}, ValueError, "intensities"),
    ({"name": "sharpen", "intensities": -0.5}, ValueError, "intensities"),
    ({"name": "contrast", "intensities": -1.5}, ValueError, "intensities"),
    ({"fill_mode": "wrap"}, ValueError, "fill_mode"),
])
def test_apply_transform_bad_input(kwargs, error, match):
    args = {"images": textured(3), "name": "rotation", "intensities": 0.0, **kwargs}
    fill_mode = args.pop("fill_mode", "nearest")
    with pytest.raises(error, match=match):
        apply_transform(args["images"], args["name"], args["intensities"], fill_mode=fill_mode)


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
    assert len(AugmentingSequence(x, y, batch_size=70)) == 1
    assert len(AugmentingSequence(x, y, batch_size=500)) == 1
    assert "70 images" in repr(seq)


def test_labels_stay_paired_with_their_images_without_transforms():
    x, y = indexed(50)
    seq = AugmentingSequence(x, y, batch_size=16, seed=3, transforms=[], shuffle=True)
    for epoch in range(2):
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
    xb, yb = AugmentingSequence(x, one_hot, batch_size=4, shuffle=False)[0]
    np.testing.assert_array_equal(yb, one_hot[:4])
    only_x = AugmentingSequence(x, batch_size=4)[2]
    assert isinstance(only_x, tuple) and len(only_x) == 1 and only_x[0].shape == (2, 8, 8, 3)


def test_choices_and_intensities_follow_the_settings():
    x = textured(400, 8, 8, 3)
    seq = AugmentingSequence(x, batch_size=400, seed=1, max_intensity={"rotation": 10.0, "brightness": 0.1})
    batch = seq.augmented_batch(0)
    names = np.array(batch.transforms)
    assert set(names) == set(G.CHOICES)
    for name in G.CHOICES:
        t = batch.intensities[names == name]
        top = {"rotation": 10.0, "brightness": 0.1}.get(name, G.DEFAULT_MAX_INTENSITY.get(name, 0.0))
        if name in ("identity", "horizontal_flip"):
            assert np.all(t == 0)
        else:
            assert np.all(np.abs(t) <= top) and np.abs(t).max() > top / 2
        if name == "sharpen":
            assert np.all(t >= 0)
        elif name not in ("identity", "horizontal_flip"):
            assert t.min() < 0 < t.max()
    no_identity = AugmentingSequence(x, batch_size=400, transforms=["brightness"], include_identity=False)
    assert set(no_identity.augmented_batch(0).transforms) == {"brightness"}
    assert no_identity.choices == ("brightness",)


def test_each_image_gets_exactly_its_transform():
    x = textured(64, 16, 16, 3)
    seq = AugmentingSequence(x, batch_size=64, seed=5, shuffle=False, fill_mode="reflect")
    batch = seq.augmented_batch(0)
    for i in range(64):
        expected = apply_transform(x[i:i + 1], batch.transforms[i], batch.intensities[i], fill_mode="reflect")
        np.testing.assert_allclose(batch.x[i:i + 1], expected, atol=1e-3)


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


def test_pydataset_settings_are_passed_on():
    seq = AugmentingSequence(textured(4), batch_size=2, workers=2, use_multiprocessing=True, max_queue_size=3)
    assert (seq.workers, seq.use_multiprocessing, seq.max_queue_size) == (2, True, 3)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"x": [[0]]}, TypeError, "x"),
    ({"x": np.zeros((4, 8, 8))}, ValueError, "x"),
    ({"x": np.full((4, 8, 8, 3), 300.0)}, ValueError, "x"),
    ({"x": np.full((4, 8, 8, 3), -1.0)}, ValueError, "x"),
    ({"x": np.full((4, 8, 8, 3), np.nan)}, ValueError, "x"),
    ({"y": np.arange(3)}, ValueError, "y"),
    ({"y": "labels"}, TypeError, "y"),
    ({"batch_size": 0}, ValueError, "batch_size"),
    ({"batch_size": 2.5}, TypeError, "batch_size"),
    ({"seed": -1}, ValueError, "seed"),
    ({"transforms": ["zoom"]}, ValueError, "transforms"),
    ({"transforms": "rotation"}, TypeError, "transforms"),
    ({"transforms": ["rotation", "rotation"]}, ValueError, "transforms"),
    ({"max_intensity": {"zoom": 1}}, ValueError, "max_intensity"),
    ({"max_intensity": {"rotation": 400}}, ValueError, "max_intensity"),
    ({"max_intensity": {"brightness": -0.1}}, ValueError, "max_intensity"),
    ({"max_intensity": 20}, TypeError, "max_intensity"),
    ({"include_identity": 1}, TypeError, "include_identity"),
    ({"transforms": [], "include_identity": False}, ValueError, "transforms"),
    ({"shuffle": "yes"}, TypeError, "shuffle"),
    ({"fill_mode": "wrap"}, ValueError, "fill_mode"),
    ({"workers": 0}, ValueError, "workers"),
    ({"use_multiprocessing": None}, TypeError, "use_multiprocessing"),
    ({"max_queue_size": 0}, ValueError, "max_queue_size"),
])
def test_bad_constructor_arguments_name_the_argument(kwargs, error, match):
    args = {"x": textured(4, 8, 8, 3), "y": np.arange(4), **kwargs}
    with pytest.raises(error, match=match):
        AugmentingSequence(**args)


def test_bad_batch_index_and_epoch():
    seq = AugmentingSequence(textured(10, 8, 8, 3), batch_size=4)
    with pytest.raises(IndexError, match="index"):
        seq[3]
    with pytest.raises(IndexError, match="index"):
        seq[-1]
    with pytest.raises(TypeError, match="index"):
        seq[1.0]
    with pytest.raises(ValueError, match="epoch"):
        seq.set_epoch(-1)
