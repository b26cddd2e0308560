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


def _batches(x, y):
    """A keras.utils.PyDataset of four batches of 16 (x, y): no element spec, cannot be repeated."""
    import keras

    class Batches(keras.utils.PyDataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return x[16 * i:16 * (i + 1)].astype("float32"), y[16 * i:16 * (i + 1)]

    return Batches()


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
    """Spy on every batch the augmentation sees and on what predict receives: the augmentation
    gets exactly the training images, every epoch, and the test images reach the model untouched."""
    set_seed(0)
    x, y = _tiny()
    x_test = x[:10] + 1  # different pixels, so the two sets cannot be mixed up
    seen = []

    def spy(images):
        seen.append(images.shape[0])
        return images * 0.0  # blanked training images: the model cannot learn anything

    model = build_cnn((8, 8, 1), 2, filters=(4,), dense_units=4)
    received = []
    original_predict = model.predict

    def recording_predict(data, **kwargs):
        received.append(np.concatenate([np.asarray(b) for b in data]))
        return original_predict(data, **kwargs)

    model.predict = recording_predict
    blank = train_and_evaluate(model, x, y, x_test, y[:10], epochs=3, augment=spy)
    assert blank.train_accuracy == pytest.approx(0.5, abs=0.1)
    # predict got the untouched test images (then the untouched training images, for the clean accuracy)
    np.testing.assert_array_equal(received[0], x_test.astype("float32"))
    np.testing.assert_array_equal(np.sort(received[1], axis=0), np.sort(x.astype("float32"), axis=0))
    assert blank.clean_train_accuracy == pytest.approx(0.5, abs=0.15)


def test_training_accepts_a_dataset_a_pydataset_and_one_hot_labels():
    from course_lib.pipeline import prepare

    set_seed(0)
    x, y = _tiny()
    model = build_cnn((8, 8, 1), 2, filters=(4,), dense_units=4)
    from_ds = train_and_evaluate(model, prepare(x, y, batch_size=16), None, x, y, epochs=2, learning_rate=0.01)
    assert from_ds.clean_train_accuracy is None and from_ds.n_train == 0
    assert from_ds.weight_updates == 2 * 4 and len(from_ds.predictions) == len(x)

    from_seq = train_and_evaluate(model, _batches(x, y), None, x, y, epochs=1)
    assert from_seq.weight_updates == 4
    one_hot = np.eye(2, dtype="float32")[y]
    soft = train_and_evaluate(model, x, one_hot, x, y, epochs=2, batch_size=8, learning_rate=0.01)
    assert soft.test_accuracy > 0.8
    assert model.loss == "categorical_crossentropy"
    assert soft.test_accuracy == pytest.approx(np.mean(soft.predictions == y))


def test_callbacks_and_class_weights_reach_fit():
    from course_lib.models import epoch_timer

    set_seed(0)
    x, y = _tiny()
    model = build_cnn((8, 8, 1), 2, filters=(4,), dense_units=4)
    timer = epoch_timer()
    train_and_evaluate(model, x, y, x, y, epochs=2, callbacks=[timer], class_weight={0: 1.0, 1: 3.0})
    assert len(timer.wall) == len(timer.cpu) == 2 and all(t > 0 for t in timer.wall)


def test_a_diverging_run_raises_and_restores_the_starting_weights():
    from course_lib.models import TrainingDivergedError

    set_seed(0)
    x, y = _tiny()
    model = build_cnn((8, 8, 1), 2, filters=(4,), dense_units=4)
    start = model.get_weights()
    with pytest.raises(TrainingDivergedError, match="not a finite number"):
        train_and_evaluate(model, x, y, x, y, epochs=2, loss=lambda t, p: p[:, 0] * np.inf)
    for before, after in zip(start, model.get_weights()):
        np.testing.assert_array_equal(before, after)


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
        ({"x_train": np.zeros((64, 9, 9, 1))}, "x_train has images of shape"),
        ({"x_test": np.zeros((64, 8, 8, 3))}, "x_test has images of shape"),
        ({"y_train": np.arange(64) % 5}, "y_train must be class indices in 0..1"),
        ({"y_test": np.eye(3)[np.arange(64) % 3]}, "y_test has 3 columns"),
        ({"x_train": np.full((64, 8, 8, 1), np.nan)}, "x_train must hold finite"),
        ({"class_weight": {0: 1.0}}, "missing"),
        ({"class_weight": {0: 1.0, 1: 1.0, 5: 1.0}}, "key 5"),
        ({"class_weight": {0: 1.0, 1: -2.0}}, r"class_weight\[1\]"),
        ({"class_weight": {0: 1.0, 1: float("nan")}}, r"class_weight\[1\]"),
        ({"class_weight": {0.0: 1.0, 1: 1.0}}, "keys must be class indices"),
        ({"class_weight": [1.0, 2.0]}, "class_weight must be a dict"),
        ({"callbacks": "timer"}, "callbacks"),
        ({"mix": 3}, "mix"),
        ({"validation_data": (np.zeros((3, 8, 8, 1)), np.array([0, 1, 7]))}, r"validation_data\[1\]"),
        ({"epochs": 10**9}, "epochs"),
        ({"epochs": None}, "exactly one"),
        ({"steps": 5}, "exactly one"),
        ({"epochs": None, "steps": 0}, "steps"),
        ({"epochs": None, "steps": 2.5}, "steps"),
        ({"epochs": None, "steps": 10**9}, "steps"),
    ],
)
def test_train_rejects_bad_arguments_before_training(kwargs, match):
    x, y = _tiny()
    args = {"model": build_cnn((8, 8, 1), 2, filters=(4,)), "x_train": x, "y_train": y,
            "x_test": x, "y_test": y, "epochs": 1}
    args.update(kwargs)
    with pytest.raises((TypeError, ValueError), match=match):
        train_and_evaluate(**args)


def test_a_cosine_schedule_decays_the_learning_rate_to_zero_by_the_last_step():
    import keras

    set_seed(0)
    x, y = _tiny()
    model = build_cnn((8, 8, 1), 2, filters=(4,), dense_units=4)
    rates = []
    record = keras.callbacks.LambdaCallback(
        on_epoch_begin=lambda epoch, logs: rates.append(float(model.optimizer.learning_rate)))
    train_and_evaluate(model, x, y, x, y, epochs=4, batch_size=16, learning_rate=0.01, schedule="cosine",
                       callbacks=[record])
    assert rates[0] == pytest.approx(0.01) and rates[2] == pytest.approx(0.005)  # halfway: half the rate
    assert float(model.optimizer.learning_rate) == pytest.approx(0.0, abs=1e-6)  # 4 epochs x 4 steps: ended
    with pytest.raises(ValueError, match="schedule"):
        train_and_evaluate(model, x, y, x, y, epochs=1, schedule="step")


def test_steps_makes_exactly_that_many_weight_updates_in_one_long_epoch():
    """steps=40 with 64 images in batches of 8 (8 per pass): 40 updates over five passes, the cosine schedule
    reaching zero at the last one; the augmentation reaches every pass (blank images teach nothing)."""
    from course_lib.pipeline import prepare

    set_seed(0)
    x, y = _tiny()
    model = build_cnn((8, 8, 1), 2, filters=(4,), dense_units=4)
    start = model.get_weights()
    result = train_and_evaluate(model, x, y, x, y, steps=40, batch_size=8, learning_rate=0.01, schedule="cosine",
                                initial_weights=start)
    assert result.weight_updates == 40 and result.epochs == 1 and result.test_accuracy > 0.9
    assert all(len(v) == 1 for v in result.history.values())
    assert float(model.optimizer.learning_rate) == pytest.approx(0.0, abs=1e-6)
    blank = train_and_evaluate(model, x, y, x, y, steps=40, batch_size=8, learning_rate=0.01,
                               initial_weights=start, augment=lambda images: images * 0.0)
    assert blank.weight_updates == 40 and blank.test_accuracy <= 0.6

    from_ds = train_and_evaluate(model, prepare(x, y, batch_size=16), None, x, y, steps=9)
    assert from_ds.weight_updates == 9  # a finite dataset is repeated: 9 steps from 4 batches per pass

    with pytest.raises(TypeError, match="PyDataset"):
        train_and_evaluate(model, _batches(x, y), None, x, y, steps=3)


def _counting_cnn():
    """The course CNN in a ``keras.Sequential`` subclass that counts how often Keras traces its training step."""
    import keras

    class Counting(keras.Sequential):
        traces = 0

        def train_step(self, data):  # runs in Python once per trace, not once per step
            type(self).traces += 1
            return super().train_step(data)

    base = build_cnn((8, 8, 1), 2, filters=(4,), dense_units=4, seed=0)
    model = Counting(base.layers)
    model.build((None, 8, 8, 1))
    return model, Counting


@pytest.mark.parametrize("how", ["labels", "one-hot labels", "mix", "class weights", "dataset"])
def test_the_training_step_is_traced_once_per_run_and_trains_as_before(how, monkeypatch):
    """Optimizer and metric variables exist before fit, so TensorFlow traces the step once, not twice; and the run
    is the same, weight for weight, as when Keras creates them itself inside the first step."""
    import keras

    from course_lib import models
    from course_lib.pipeline import prepare

    x, y = _tiny()
    kwargs = {"epochs": 2, "batch_size": 16, "learning_rate": 0.01}
    train = (x, y)
    if how == "one-hot labels":
        train = (x, np.eye(2, dtype="float32")[y])
    elif how == "mix":
        train = (x, np.eye(2, dtype="float32")[y])
    elif how == "class weights":
        kwargs["class_weight"] = {0: 1.0, 1: 3.0}
    elif how == "dataset":
        del kwargs["batch_size"]

    runs = []
    for prebuild in (True, False):
        if not prebuild:
            monkeypatch.setattr(models, "_build_for_training", lambda model, ds: False)
        set_seed(0)
        # a fresh layer or dataset per run: their random state moves on as they draw
        if how == "mix":
            kwargs["mix"] = keras.layers.MixUp(seed=0)
        elif how == "dataset":
            train = (prepare(x, y, batch_size=16, shuffle=True, seed=0), None)
        model, counting = _counting_cnn()
        start = model.get_weights()
        counting.traces = 0
        result = train_and_evaluate(model, *train, x, y, initial_weights=start, **kwargs)
        runs.append((counting.traces, result, model.get_weights()))
    (traces, built, weights), (traces_keras, kept, weights_keras) = runs
    assert traces == 1 and traces_keras == 2
    assert built.history == kept.history and built.weight_updates == kept.weight_updates
    for a, b in zip(weights, weights_keras):
        np.testing.assert_array_equal(a, b)


def test_the_pre_build_leaves_a_pydataset_to_keras():
    import keras

    from course_lib import models

    x, y = _tiny()

    model = build_cnn((8, 8, 1), 2, filters=(4,), dense_units=4)
    model.compile(optimizer=keras.optimizers.Adam(), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    assert models._build_for_training(model, _batches(x, y)) is False
    assert not model.optimizer.built
