"""The course CNN and the training helper."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.models import TrainResult, build_cnn, train_and_evaluate
from course_lib.reproducibility import set_seed


def _tiny(n=64, size=8, channels=1, classes=2, seed=0):
    """Class 1 images are bright, class 0 dark: a model can learn it in a couple of epochs."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % classes
    x = rng.integers(0, 80, size=(n, size, size, channels)).astype(np.uint8)
    x[y == 1] += 150
    return x, y


@pytest.mark.parametrize("shape", [(32, 32, 3), (25, 25, 1), (8, 8, 1)])
def test_cnn_fits_every_course_image_shape(shape):
    model = build_cnn(shape, num_classes=3)
    assert model.input_shape == (None, *shape)
    assert model.output_shape == (None, 3)
    assert model.layers[0].name == "rescale"


def test_same_seed_same_initial_weights():
    a, b, c = build_cnn(seed=1), build_cnn(seed=1), build_cnn(seed=2)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(wa, wb)
    assert not np.array_equal(a.get_weights()[0], c.get_weights()[0])


def test_dropout_layer_is_added_only_when_asked():
    assert "dropout" not in [layer.name for layer in build_cnn().layers]
    assert "dropout" in [layer.name for layer in build_cnn(dropout=0.3).layers]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"input_shape": (32, 32)}, "input_shape"),
        ({"input_shape": (2, 2, 1)}, "input_shape"),
        ({"input_shape": (32, "a", 3)}, "input_shape"),
        ({"num_classes": 1}, "num_classes"),
        ({"filters": []}, "filters"),
        ({"filters": [0]}, "filters"),
        ({"dense_units": 0}, "dense_units"),
        ({"dropout": 1.0}, "dropout"),
        ({"seed": -3}, "seed"),
    ],
)
def test_build_cnn_rejects_bad_arguments(kwargs, match):
    with pytest.raises((TypeError, ValueError), match=match):
        build_cnn(**kwargs)


def test_training_learns_and_returns_a_tidy_history():
    set_seed(0)
    x, y = _tiny()
    model = build_cnn((8, 8, 1), 2, filters=(8,), dense_units=8)
    result = train_and_evaluate(model, x, y, x, y, epochs=3, batch_size=8, learning_rate=0.01,
                                validation_data=(x, y), label="tiny")
    assert isinstance(result, TrainResult)
    assert sorted(result.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert all(len(v) == 3 and all(isinstance(f, float) for f in v) for v in result.history.values())
    assert result.test_accuracy > 0.9
    assert result.epochs == 3 and result.n_train == 64 and result.seconds > 0
    row = result.as_row()
    assert "history" not in row and row["label"] == "tiny"


def test_same_initial_weights_give_identical_runs():
    set_seed(0)
    x, y = _tiny(seed=1)
    model = build_cnn((8, 8, 1), 2, filters=(4,), dense_units=4)
    start = model.get_weights()
    first = train_and_evaluate(model, x, y, x, y, epochs=2, initial_weights=start, seed=5)
    second = train_and_evaluate(model, x, y, x, y, epochs=2, initial_weights=start, seed=5)
    assert first.history == second.history
    assert first.test_accuracy == second.test_accuracy
    assert "val_accuracy" not in first.history


def test_augmentation_reaches_training_only():
    """An 'augmentation' that blanks every image makes training data useless,
    while the test images stay untouched: accuracy falls to chance."""
    set_seed(0)
    x, y = _tiny()
    model = build_cnn((8, 8, 1), 2, filters=(4,), dense_units=4)
    blank = train_and_evaluate(model, x, y, x, y, epochs=3, augment=lambda images: images * 0.0)
    assert blank.train_accuracy == pytest.approx(0.5, abs=0.1)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"epochs": 0}, "epochs"),
        ({"batch_size": 0}, "batch_size"),
        ({"learning_rate": -1.0}, "learning_rate"),
        ({"augment": "flip"}, "augment"),
        ({"validation_data": [1, 2]}, "validation_data"),
        ({"initial_weights": [np.zeros(3)]}, "initial_weights"),
        ({"x_train": np.zeros((4, 8, 8))}, "x_train"),
        ({"y_train": np.zeros(3, dtype=int)}, "y_train"),
        ({"y_test": np.array([0.5] * 64)}, "y_test"),
        ({"model": "cnn"}, "model"),
    ],
)
def test_train_rejects_bad_arguments(kwargs, match):
    x, y = _tiny()
    args = {"model": build_cnn((8, 8, 1), 2, filters=(4,)), "x_train": x, "y_train": y,
            "x_test": x, "y_test": y, "epochs": 1}
    args.update(kwargs)
    with pytest.raises((TypeError, ValueError), match=match):
        train_and_evaluate(**args)
