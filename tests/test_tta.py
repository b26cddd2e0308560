"""Test-time augmentation: real values on tiny deterministic Keras models."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.reproducibility import set_seed
from course_lib.tta import (
    DEFAULT_TRANSFORMS,
    TRANSFORMS,
    evaluate_tta,
    flip_horizontal,
    predict_copies,
    predict_tta,
    shift,
)


@pytest.fixture(scope="module")
def keras():
    set_seed(0)
    import keras

    return keras


def _dense_model(keras, shape=(6, 6, 1), classes=3):
    """Flatten -> softmax with fixed weights: position-sensitive, so flips change its output."""
    model = keras.Sequential([keras.Input(shape), keras.layers.Flatten(), keras.layers.Dense(classes, activation="softmax")])
    n = int(np.prod(shape))
    kernel = np.sin(np.arange(n * classes, dtype=np.float32)).reshape(n, classes) * 0.3
    model.set_weights([kernel, np.zeros(classes, np.float32)])
    return model


def _pooled_model(keras, classes=3):
    """Global average pooling -> softmax: a left-right mirror cannot change its output."""
    model = keras.Sequential([keras.Input((6, 6, 2)), keras.layers.GlobalAveragePooling2D(),
                              keras.layers.Dense(classes, activation="softmax")])
    model.set_weights([np.array([[0.02, -0.01, 0.0], [0.0, 0.03, -0.02]], np.float32), np.zeros(classes, np.float32)])
    return model


def _images(shape=(5, 6, 6, 1), seed=0):
    return np.random.default_rng(seed).integers(0, 256, size=shape).astype(np.float32) / 255.0


def test_flip_and_shift_move_pixels_as_promised():
    x = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    np.testing.assert_array_equal(flip_horizontal(x)[0, :, :, 0], x[0, :, ::-1, 0])
    right = shift(x, 0, 1)[0, :, :, 0]
    np.testing.assert_array_equal(right[:, 1:], x[0, :, :3, 0])  # content moved one column right
    np.testing.assert_array_equal(right[:, 0], x[0, :, 1, 0])  # border filled by reflection
    up = shift(x, -2, 0)[0, :, :, 0]
    np.testing.assert_array_equal(up[:2], x[0, 2:, :, 0])
    np.testing.assert_array_equal(up[2:], x[0, [2, 1], :, 0])
    np.testing.assert_array_equal(shift(x, 0, 0), x)
    assert shift(x, 1, -1).shape == x.shape


def test_identity_only_equals_plain_predict(keras):
    model, x = _dense_model(keras), _images()
    plain = model.predict(x, verbose=0)
    np.testing.assert_allclose(predict_tta(model, x, transforms=["identity"]), plain, rtol=1e-5, atol=1e-7)


def test_tta_is_the_mean_of_the_copies_probabilities(keras):
    model, x = _dense_model(keras), _images()
    copies = predict_copies(model, x, transforms=["identity", "flip", "shift_right"], batch_size=2)
    assert copies.shape == (3, 5, 3)
    np.testing.assert_allclose(copies[1], model.predict(x[:, :, ::-1], verbose=0), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(copies[2], model.predict(shift(x, 0, 2), verbose=0), rtol=1e-5, atol=1e-7)
    tta = predict_tta(model, x, transforms=["identity", "flip", "shift_right"])
    np.testing.assert_allclose(tta, copies.mean(axis=0), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(tta.sum(axis=1), 1.0, rtol=1e-5)
    assert not np.allclose(copies[0], copies[1])  # this model does see the flip


def test_default_uses_every_named_copy_and_shift_pixels(keras):
    model, x = _dense_model(keras), _images()
    assert DEFAULT_TRANSFORMS == TRANSFORMS and len(TRANSFORMS) == 6
    assert predict_copies(model, x).shape == (6, 5, 3)
    one = predict_copies(model, x, transforms=["shift_down"], shift_pixels=1)[0]
    np.testing.assert_allclose(one, model.predict(shift(x, 1, 0), verbose=0), rtol=1e-5, atol=1e-7)


def test_flip_invariant_model_gives_identical_results(keras):
    model, x = _pooled_model(keras), _images((4, 6, 6, 2))
    np.testing.assert_allclose(predict_tta(model, x, transforms=["identity", "flip"]),
                               model.predict(x, verbose=0), rtol=1e-5, atol=1e-7)


def test_custom_function_transform(keras):
    model, x = _dense_model(keras), _images()
    darker = predict_tta(model, x, transforms=[lambda b: b * 0.5])
    np.testing.assert_allclose(darker, model.predict(x * 0.5, verbose=0), rtol=1e-5, atol=1e-7)


def test_evaluate_tta_is_the_accuracy_of_the_averaged_prediction(keras):
    model, x = _dense_model(keras), _images((8, 6, 6, 1))
    probs = predict_tta(model, x, transforms=["identity", "flip"])
    y = probs.argmax(axis=1)
    assert evaluate_tta(model, x, y, transforms=["identity", "flip"]) == 1.0
    y_wrong = y.copy()
    y_wrong[:3] = (y_wrong[:3] + 1) % 3
    assert evaluate_tta(model, x, y_wrong, transforms=["identity", "flip"]) == pytest.approx(5 / 8)


def test_bad_inputs_name_the_argument(keras):
    model, x = _dense_model(keras), _images()
    y = np.zeros(5, dtype=np.int64)
    with pytest.raises(TypeError, match="model"):
        predict_tta("model", x)
    with pytest.raises(TypeError, match="x must be a NumPy array"):
        predict_tta(model, [[1]])
    with pytest.raises(ValueError, match="x must have 4 dimensions"):
        predict_tta(model, x[0])
    with pytest.raises(TypeError, match="transforms"):
        predict_tta(model, x, transforms="flip")
    with pytest.raises(ValueError, match="transforms must not be empty"):
        predict_tta(model, x, transforms=[])
    with pytest.raises(ValueError, match="transforms has an unknown name 'rotate'"):
        predict_tta(model, x, transforms=["identity", "rotate"])
    with pytest.raises(TypeError, match="transforms must hold names or functions"):
        predict_tta(model, x, transforms=["identity", 3])
    with pytest.raises(ValueError, match="transforms: '<lambda>' changed the batch shape"):
        predict_tta(model, x, transforms=[lambda b: b[:, :4]])
    with pytest.raises(ValueError, match="batch_size must be >= 1"):
        predict_tta(model, x, batch_size=0)
    with pytest.raises(ValueError, match="shift_pixels must be <= 5"):
        predict_tta(model, x, shift_pixels=6)
    with pytest.raises(ValueError, match="y must have one label per image"):
        evaluate_tta(model, x, y[:3])
    with pytest.raises(ValueError, match="y must be class indices in 0..2"):
        evaluate_tta(model, x, y + 3)
    with pytest.raises(ValueError, match="dx must be <= 5"):
        shift(x, 0, 6)
    with pytest.raises(ValueError, match="images must have 4 dimensions"):
        flip_horizontal(x[0])
    conv = keras.Sequential([keras.Input((6, 6, 1)), keras.layers.Conv2D(2, 1)])
    with pytest.raises(ValueError, match="model must return one probability vector per image"):
        predict_tta(conv, x, transforms=["identity"])
