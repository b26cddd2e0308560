"""The course CNN and one training helper that every lesson shares.

The model is deliberately small: on two CPU cores it trains an epoch of a
few thousand 32 x 32 images in about a second, so a lesson can afford tens of
epochs, enough for a plain model to overfit and for augmentation to matter.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from . import _validate


@dataclass
class TrainResult:
    """What :func:`train_and_evaluate` measured, as plain Python numbers.

    ``history`` maps ``"accuracy"``, ``"loss"`` (and ``"val_accuracy"``,
    ``"val_loss"`` when there is validation data) to one float per epoch.
    """

    history: dict[str, list[float]]
    train_accuracy: float
    test_accuracy: float
    test_loss: float
    epochs: int
    n_train: int
    seconds: float
    label: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_row(self) -> dict[str, Any]:
        """A flat dict (no history) for a results table or JSON file."""
        row = asdict(self)
        row.pop("history")
        row.update(row.pop("extra"))
        return row


def build_cnn(
    input_shape: Sequence[int] = (32, 32, 3),
    num_classes: int = 10,
    *,
    filters: Sequence[int] = (32, 64, 64),
    dense_units: int = 128,
    dropout: float = 0.0,
    seed: int = 0,
    name: str = "course_cnn",
):
    """Build (not compile) the course CNN.

    ``Rescaling(1/255)`` comes first, so the model takes uint8-range pixels.
    Each entry of ``filters`` adds a 3 x 3 convolution (ReLU); a 2 x 2 max
    pooling follows each one while the feature map is at least 4 pixels wide,
    so the same builder fits 32 x 32 CIFAR-10, 25 x 25 faces and 8 x 8 digits.
    Weights are initialised from ``seed``: the same seed gives the same model.
    """
    import keras
    from keras import layers

    if not isinstance(input_shape, Sequence) or len(input_shape) != 3:
        raise ValueError(f"input_shape must be (height, width, channels), got {input_shape!r}")
    height, width, channels = (_validate.integer("input_shape", v, minimum=1) for v in input_shape)
    if min(height, width) < 4:
        raise ValueError(f"input_shape must be at least 4 x 4 pixels, got {input_shape!r}")
    num_classes = _validate.integer("num_classes", num_classes, minimum=2)
    if not isinstance(filters, Sequence) or not filters:
        raise ValueError(f"filters must be a non-empty list of positive integers, got {filters!r}")
    filters = [_validate.integer("filters", f, minimum=1) for f in filters]
    dense_units = _validate.integer("dense_units", dense_units, minimum=1)
    dropout = _validate.number("dropout", dropout, minimum=0.0, maximum=0.9)
    seed = _validate.integer("seed", seed, minimum=0)

    init = keras.initializers.GlorotUniform
    model = keras.Sequential(name=name)
    model.add(keras.Input(shape=(height, width, channels)))
    model.add(layers.Rescaling(1.0 / 255, name="rescale"))
    size = min(height, width)
    for i, f in enumerate(filters):
        model.add(layers.Conv2D(f, 3, padding="same", activation="relu",
                                kernel_initializer=init(seed + i), name=f"conv{i + 1}"))
        if size >= 4:
            model.add(layers.MaxPooling2D(2, name=f"pool{i + 1}"))
            size //= 2
    model.add(layers.Flatten(name="flatten"))
    model.add(layers.Dense(dense_units, activation="relu",
                           kernel_initializer=init(seed + 100), name="dense"))
    if dropout:
        model.add(layers.Dropout(dropout, seed=seed, name="dropout"))
    model.add(layers.Dense(num_classes, activation="softmax",
                           kernel_initializer=init(seed + 101), name="classifier"))
    return model


def train_and_evaluate(
    model,
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
    *,
    epochs: int,
    batch_size: int = 64,
    augment: Callable | None = None,
    validation_data: tuple[np.ndarray, np.ndarray] | None = None,
    initial_weights: list[np.ndarray] | None = None,
    learning_rate: float = 1e-3,
    class_weight: dict[int, float] | None = None,
    seed: int = 0,
    label: str = "",
) -> TrainResult:
    """Compile ``model`` afresh, train it, and evaluate it on the test set.

    * ``augment``: applied to training batches only (see
      :func:`course_lib.pipeline.prepare`); validation and test images are
      never augmented.
    * ``initial_weights``: e.g. ``model.get_weights()`` saved once; the model
      starts from them, so compared runs start equal.
    * ``validation_data``: per-epoch validation curves; without it the history
      has only training curves.

    Training is silent (``verbose=0``): the notebook prints the tidy result.
    """
    import keras

    from .pipeline import prepare

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    x_train = _validate.array("x_train", x_train, ndims=(4,))
    y_train = _validate.labels("y_train", y_train, n=len(x_train))
    x_test = _validate.array("x_test", x_test, ndims=(4,))
    y_test = _validate.labels("y_test", y_test, n=len(x_test))
    epochs = _validate.integer("epochs", epochs, minimum=1)
    batch_size = _validate.integer("batch_size", batch_size, minimum=1)
    learning_rate = _validate.number("learning_rate", learning_rate, minimum=1e-8, maximum=10.0)
    seed = _validate.integer("seed", seed, minimum=0)
    if augment is not None and not callable(augment):
        raise TypeError(f"augment must be a callable (e.g. a keras layer) or None, got {type(augment).__name__}")
    if validation_data is not None:
        if not isinstance(validation_data, tuple) or len(validation_data) != 2:
            raise TypeError("validation_data must be a tuple (x_val, y_val)")
        x_val = _validate.array("validation_data[0]", validation_data[0], ndims=(4,))
        y_val = _validate.labels("validation_data[1]", validation_data[1], n=len(x_val))
    if initial_weights is not None:
        if not isinstance(initial_weights, list) or len(initial_weights) != len(model.weights):
            raise ValueError(
                f"initial_weights must be the list model.get_weights() returns "
                f"({len(model.weights)} arrays), got {type(initial_weights).__name__}"
            )
        model.set_weights(initial_weights)

    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    train_ds = prepare(x_train, y_train, batch_size=batch_size, shuffle=True, augment=augment, seed=seed)
    val_ds = None
    if validation_data is not None:
        val_ds = prepare(x_val, y_val, batch_size=256)
    start = time.perf_counter()
    hist = model.fit(
        train_ds, epochs=epochs, validation_data=val_ds, class_weight=class_weight, shuffle=False, verbose=0
    )
    seconds = time.perf_counter() - start
    test_loss, test_acc = model.evaluate(prepare(x_test, y_test, batch_size=256), verbose=0)
    history = {k: [float(v) for v in vals] for k, vals in hist.history.items()}
    return TrainResult(
        history=history,
        train_accuracy=history["accuracy"][-1],
        test_accuracy=float(test_acc),
        test_loss=float(test_loss),
        epochs=epochs,
        n_train=len(x_train),
        seconds=seconds,
        label=label,
    )
