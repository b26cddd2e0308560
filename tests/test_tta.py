"""Test-time augmentation of lesson 11 (the generated module course_lib.lessons.l11_advanced_augmentation).

The copies are checked against NumPy's own array operations (np.flip, np.roll, np.pad), the averaged
prediction against Keras's model.predict on tiny deterministic models, and every bad argument against its name.
"""

from __future__ import annotations

import numpy as np
import pytest

from course_lib import transforms as T
from course_lib.models import predict_probabilities
from course_lib.reproducibility import set_seed
from helpers import NOT_A_COUNT, assert_rejects, bad_argument_cases

set_seed(0)
import keras  # noqa: E402  (after set_seed: quiet, deterministic start)

from course_lib.lessons.l11_advanced_augmentation import (  # noqa: E402
    TTA_COPIES,
    evaluate_tta,
    predict_tta,
    tta_copies,
)


def _images(shape=(5, 6, 7, 1), seed=0, dtype=np.float32):
    """Random images on the 0..255 scale (non-square, so rows and columns cannot be mixed up)."""
    return np.random.default_rng(seed).integers(0, 256, size=shape).astype(dtype)


def _dense_model(shape=(6, 7, 1), classes=3):
    """Flatten -> softmax with fixed weights: position-sensitive, so flips and shifts change its output."""
    model = keras.Sequential([keras.Input(shape), keras.layers.Flatten(),
                              keras.layers.Dense(classes, activation="softmax")])
    n = int(np.prod(shape))
    kernel = np.sin(np.arange(n * classes, dtype=np.float32)).reshape(n, classes) * 0.01
    model.set_weights([kernel, np.zeros(classes, np.float32)])
    return model


def _pooled_model(classes=3):
    """Global average pooling -> softmax: a left-right mirror cannot change its output."""
    model = keras.Sequential([keras.Input((6, 7, 2)), keras.layers.GlobalAveragePooling2D(),
                              keras.layers.Dense(classes, activation="softmax")])
    model.set_weights([np.array([[0.02, -0.01, 0.0], [0.0, 0.03, -0.02]], np.float32), np.zeros(classes, np.float32)])
    return model


@pytest.fixture(scope="module")
def model():
    return _dense_model()


# --------------------------------------------------------------------------- the copies


def _numpy_shift(x, dy, dx, mode):
    """The reference: pad with NumPy's mode, then cut the window the content moved into."""
    h, w = x.shape[1:3]
    pad = ((0, 0), (abs(dy), abs(dy)), (abs(dx), abs(dx)), (0, 0))
    padded = np.pad(x, pad, mode=mode)  # "constant" pads with 0, the engine's default cval
    top, left = abs(dy) - dy, abs(dx) - dx
    return padded[:, top:top + h, left:left + w]


@pytest.mark.parametrize("fill_mode, numpy_mode", [("reflect", "symmetric"), ("nearest", "edge"),
                                                    ("constant", "constant"), ("wrap", "wrap")])
@pytest.mark.parametrize("shift_pixels", [1, 2, 3])
def test_shifted_copies_equal_numpy_padding(fill_mode, numpy_mode, shift_pixels):
    x = _images()
    copies = dict(zip(TTA_COPIES, tta_copies(x, shift_pixels=shift_pixels, fill_mode=fill_mode)))
    moves = {"left": (0, -1), "right": (0, 1), "up": (-1, 0), "down": (1, 0)}
    for name, (dy, dx) in moves.items():
        want = _numpy_shift(x, dy * shift_pixels, dx * shift_pixels, numpy_mode)
        np.testing.assert_array_equal(copies[name], want, err_msg=f"{name}, {fill_mode}, {shift_pixels} px")
    if fill_mode == "wrap":  # a wrapped whole-pixel shift is exactly np.roll
        np.testing.assert_array_equal(copies["right"], np.roll(x, shift_pixels, axis=2))
        np.testing.assert_array_equal(copies["up"], np.roll(x, -shift_pixels, axis=1))


def test_reflect_fill_mirrors_at_the_edge_pixel():
    x = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    right = tta_copies(x, ["right"], shift_pixels=2)[0][0, :, :, 0]
    np.testing.assert_array_equal(right[:, 2:], x[0, :, :2, 0])  # the content moved two columns right
    np.testing.assert_array_equal(right[:, :2], x[0, :, [1, 0], 0].T)  # d c b a | a b c d: the edge pixel repeats


def test_original_and_flip_and_order():
    x = _images(dtype=np.uint8)
    copies = tta_copies(x)
    assert len(copies) == len(TTA_COPIES) == 6
    assert all(c.shape == x.shape and c.dtype == np.uint8 for c in copies)
    np.testing.assert_array_equal(copies[0], x)
    np.testing.assert_array_equal(copies[1], np.flip(x, axis=2))
    assert not np.array_equal(copies[2], copies[3])
    copies[0][...] = 0  # a copy, not a view of the caller's images
    assert x.any()
    two = tta_copies(x, ("flip", "original"))
    np.testing.assert_array_equal(two[0], np.flip(x, axis=2))
    np.testing.assert_array_equal(two[1], x)


def test_copies_go_through_the_transform_engine():
    x = _images(dtype=np.float64)
    left = tta_copies(x, ["left"], shift_pixels=1, fill_mode="nearest")[0]
    np.testing.assert_array_equal(left, T.apply_batch("crop_and_pad", x, {"dy": 0, "dx": -1}, fill_mode="nearest"))
    assert left.dtype == np.float64


# --------------------------------------------------------------------------- prediction


def test_original_only_is_plain_prediction(model):
    x = _images()
    np.testing.assert_allclose(predict_tta(model, x, ["original"]), model.predict(x, verbose=0), rtol=1e-5, atol=1e-7)


def test_prediction_is_the_mean_over_the_copies(model):
    x = _images()
    names = ["original", "flip", "down"]
    each = [model.predict(copy, verbose=0) for copy in tta_copies(x, names, shift_pixels=1)]
    tta = predict_tta(model, x, names, shift_pixels=1, batch_size=2)
    np.testing.assert_allclose(tta, np.mean(each, axis=0), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(tta.sum(axis=1), 1.0, rtol=1e-5)
    assert not np.allclose(each[0], each[1])  # this model does see the flip, so the test can fail
    full = predict_tta(model, x)
    np.testing.assert_allclose(full, np.mean([predict_probabilities(model, c) for c in tta_copies(x)], axis=0))


def test_flip_invariant_model_gains_nothing_from_the_mirror():
    pooled, x = _pooled_model(), _images((4, 6, 7, 2))
    np.testing.assert_allclose(predict_tta(pooled, x, ["original", "flip"]), pooled.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-7)


def test_integer_images_are_accepted(model):
    x = _images(dtype=np.int32)  # a dtype the engine refuses: predict_tta converts x, so no error names `images`
    np.testing.assert_allclose(predict_tta(model, x), predict_tta(model, x.astype(np.float32)))


def test_evaluate_is_the_accuracy_of_the_averaged_prediction(model):
    x = _images((8, 6, 7, 1))
    y = predict_tta(model, x, ["original", "flip"]).argmax(axis=1)
    assert evaluate_tta(model, x, y, ["original", "flip"]) == 1.0
    wrong = y.copy()
    wrong[:3] = (wrong[:3] + 1) % 3
    assert evaluate_tta(model, x, wrong, ["original", "flip"]) == pytest.approx(5 / 8)
    assert evaluate_tta(model, x, wrong.astype(np.uint8), ["original", "flip"], shift_pixels=1) == pytest.approx(5 / 8)


# --------------------------------------------------------------------------- every bad argument is named

X = _images()
GOOD_COPIES = {"images": X, "copies": TTA_COPIES, "shift_pixels": 2, "fill_mode": "reflect"}
NAN = X.copy()
NAN[0, 0, 0, 0] = np.nan
INF = X.copy()
INF[1, 2, 3, 0] = np.inf
BAD_IMAGES = [[[1.0]]], NAN, INF, X[0], X.astype(str), np.zeros((0, 6, 7, 1), np.float32)
BAD_COPIES = ["flip", (), [], ["rotate"], ["original", 3], np.array(["original", "flip"]), None, [["flip"]]]
BAD_FILL = ["mirror", None, 3, np.array(["reflect"]), ["reflect"]]
BAD_SHIFT = [*NOT_A_COUNT, 6, np.array([1, 2])]


@pytest.mark.parametrize("func, good, arg, value", bad_argument_cases(tta_copies, GOOD_COPIES, {
    "images": BAD_IMAGES, "copies": BAD_COPIES, "shift_pixels": BAD_SHIFT, "fill_mode": BAD_FILL}))
def test_tta_copies_names_every_bad_argument(func, good, arg, value):
    assert_rejects(func, good, arg, value)


def _predict(**kwargs):
    return predict_tta(kwargs.pop("model"), kwargs.pop("x"), **kwargs)


GOOD_PREDICT = {"model": _dense_model(), "x": X, "copies": ["original", "flip"], "shift_pixels": 1,
                "fill_mode": "reflect", "batch_size": 4}


@pytest.mark.parametrize("func, good, arg, value", bad_argument_cases(_predict, GOOD_PREDICT, {
    "model": ["model", None, keras.layers.Dense(3)], "x": BAD_IMAGES, "copies": BAD_COPIES,
    "shift_pixels": BAD_SHIFT, "fill_mode": BAD_FILL, "batch_size": NOT_A_COUNT}))
def test_predict_tta_names_every_bad_argument(func, good, arg, value):
    assert_rejects(func, good, arg, value)


def _evaluate(**kwargs):
    return evaluate_tta(kwargs.pop("model"), kwargs.pop("x"), kwargs.pop("y"), **kwargs)


@pytest.mark.parametrize("func, good, arg, value", bad_argument_cases(
    _evaluate, {"model": _dense_model(), "x": X, "y": np.zeros(5, np.int64), "copies": ["original"]},
    {"y": [np.zeros(3, np.int64), np.zeros(5), np.full(5, 3), np.full(5, -1), [0, 1, 2, 0, 1], None],
     "x": BAD_IMAGES[:3], "copies": BAD_COPIES[:3]}))
def test_evaluate_tta_names_every_bad_argument(func, good, arg, value):
    assert_rejects(func, good, arg, value)


def test_unknown_option_and_odd_models_are_named():
    model = _dense_model()
    with pytest.raises(TypeError, match="shift"):
        evaluate_tta(model, X, np.zeros(5, np.int64), shift=2)
    conv = keras.Sequential([keras.Input((6, 7, 1)), keras.layers.Conv2D(2, 1)])
    with pytest.raises(ValueError, match="model must output one probability vector per image"):
        predict_tta(conv, X, ["original"])
