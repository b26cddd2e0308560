"""The course CNN and one training helper that every lesson shares.

The model is deliberately small: on two CPU cores it trains an epoch of a
few thousand 32 x 32 images in about a second, so a lesson can afford tens of
epochs, enough for a plain model to overfit and for augmentation to matter.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from . import _validate


@dataclass
class TrainResult:
    """What :func:`train_and_evaluate` measured, as plain Python numbers.

    ``history`` maps ``"accuracy"``, ``"loss"`` (and ``"val_accuracy"``,
    ``"val_loss"`` when there is validation data) to one float per epoch.
    ``train_accuracy`` is Keras's running accuracy over the last epoch's
    training batches (augmented batches, when training was augmented);
    ``clean_train_accuracy`` is the accuracy on the un-augmented training
    images after training (``None`` when training came from a dataset), so the
    train-minus-test gap means the same with and without augmentation.
    ``predictions`` holds the predicted class of every test image, in order:
    give two runs' predictions to :func:`course_lib.stats.paired_comparison`.
    ``weight_updates`` counts the optimizer's steps; ``epochs`` the Keras
    epochs ``fit`` ran (1 when training was given in ``steps``).
    """

    history: dict[str, list[float]]
    train_accuracy: float
    test_accuracy: float
    test_loss: float
    epochs: int
    n_train: int
    seconds: float
    label: str = ""
    clean_train_accuracy: float | None = None
    weight_updates: int = 0
    predictions: np.ndarray | None = field(default=None, repr=False)
    extra: dict[str, Any] = field(default_factory=dict)

    def as_row(self) -> dict[str, Any]:
        """A flat dict (no history, no predictions) for a results table or JSON file."""
        row = {k: v for k, v in asdict(self).items() if k not in ("history", "predictions", "extra")}
        row.update(self.extra)
        return row


class TrainingDivergedError(FloatingPointError):
    """Training produced a loss that is not a finite number (NaN or infinity)."""


def epoch_timer():
    """A Keras callback that records the wall time and CPU time of every epoch.

    After ``fit(..., callbacks=[timer])``, ``timer.wall`` and ``timer.cpu``
    list the seconds of each epoch (CPU time of this process, all threads).
    """
    import keras

    class EpochTimer(keras.callbacks.Callback):
        """Wall time and CPU time of each epoch: ``.wall`` and ``.cpu``, one entry per epoch."""

        def __init__(self) -> None:
            super().__init__()
            self.wall: list[float] = []
            self.cpu: list[float] = []
            self._start = (0.0, 0.0)

        def on_epoch_begin(self, epoch, logs=None):
            self._start = (time.perf_counter(), time.process_time())

        def on_epoch_end(self, epoch, logs=None):
            self.wall.append(time.perf_counter() - self._start[0])
            self.cpu.append(time.process_time() - self._start[1])

    return EpochTimer()


#: The largest model :func:`build_cnn` builds (a bound, so that a typo cannot fill the memory).
MAX_WEIGHTS = 50_000_000


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

    if isinstance(input_shape, (str, bytes)) or not isinstance(input_shape, Sequence) or len(input_shape) != 3:
        raise ValueError(f"input_shape must be (height, width, channels), got {input_shape!r}")
    height, width, channels = (_validate.integer("input_shape", v, minimum=1, maximum=4096) for v in input_shape)
    if min(height, width) < 4:
        raise ValueError(f"input_shape must be at least 4 x 4 pixels, got {input_shape!r}")
    num_classes = _validate.integer("num_classes", num_classes, minimum=2, maximum=100_000)
    if isinstance(filters, (str, bytes)) or not isinstance(filters, Sequence) or not filters:
        raise ValueError(f"filters must be a non-empty list of positive integers, got {filters!r}")
    filters = [_validate.integer("filters", f, minimum=1, maximum=4096) for f in filters]
    dense_units = _validate.integer("dense_units", dense_units, minimum=1, maximum=100_000)
    dropout = _validate.number("dropout", dropout, minimum=0.0, maximum=0.9)
    seed = _validate.integer("seed", seed, minimum=0)
    if name is not None and (not isinstance(name, str) or not name or "/" in name):
        raise ValueError(f"name must be a non-empty string without '/', got {name!r}")
    n_weights, rows, cols, before = 0, height, width, channels
    for f in filters:  # the weights the layers below will have
        n_weights += 9 * before * f + f
        before = f
        if min(rows, cols) >= 4:
            rows, cols = rows // 2, cols // 2
    n_weights += (rows * cols * before + 1) * dense_units + (dense_units + 1) * num_classes
    if n_weights > MAX_WEIGHTS:
        raise ValueError(f"input_shape, filters, dense_units and num_classes give a model of {n_weights:,} weights, "
                         f"more than the {MAX_WEIGHTS:,} build_cnn allows (is one of them a typo?)")

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


def _is_dataset(value: Any) -> bool:
    """True for a ``tf.data.Dataset`` or a ``keras.utils.PyDataset`` (without importing TensorFlow)."""
    names = {f"{c.__module__}.{c.__name__}" for c in type(value).__mro__}
    return any(n.startswith("tensorflow.") and n.endswith("DatasetV2") for n in names) or any(
        n.endswith("PyDataset") for n in names)


def _model_io(model) -> tuple[tuple[Any, ...], int]:
    """The model's input shape (without the batch axis) and its number of outputs (classes)."""
    try:
        input_shape, output_shape = tuple(model.input_shape[1:]), tuple(model.output_shape)
    except (AttributeError, ValueError):  # a subclassed model that was never called
        raise ValueError("model must be built (its input shape known): call it once, or build it with "
                         "keras.Input, e.g. build_cnn(...)") from None
    if len(output_shape) != 2 or output_shape[-1] is None or output_shape[-1] < 2:
        raise ValueError(f"model must output one probability per class (batch x classes), got {output_shape}")
    return input_shape, int(output_shape[-1])


def _check_fits(name: str, x: np.ndarray, input_shape: tuple[Any, ...]) -> None:
    if len(x.shape[1:]) != len(input_shape) or any(
            want is not None and want != got for want, got in zip(input_shape, x.shape[1:])):
        raise ValueError(f"{name} has images of shape {x.shape[1:]}, but the model takes {input_shape}")


def _check_label_range(name: str, y: np.ndarray, classes: int) -> None:
    if y.ndim == 1 and y.max() >= classes:
        raise ValueError(f"{name} must be class indices in 0..{classes - 1} (the model has {classes} outputs), "
                         f"got a label {int(y.max())}")
    if y.ndim == 2 and y.shape[1] != classes:
        raise ValueError(f"{name} has {y.shape[1]} columns, but the model has {classes} outputs")


def check_class_weight(class_weight: Any, classes: int) -> dict[int, float] | None:
    """``{class index: weight}`` with one finite, positive weight for each of ``classes`` classes."""
    classes = _validate.integer("classes", classes, minimum=1, maximum=100_000)
    if class_weight is None:
        return None
    if not isinstance(class_weight, Mapping):
        raise TypeError(f"class_weight must be a dict {{class index: weight}}, got {type(class_weight).__name__}")
    out: dict[int, float] = {}
    for key, value in class_weight.items():
        if isinstance(key, (bool, np.bool_)) or not isinstance(key, (int, np.integer)):
            raise TypeError(f"class_weight keys must be class indices (integers), got {key!r}")
        if not 0 <= int(key) < classes:
            raise ValueError(f"class_weight has a key {int(key)}, but the classes are 0..{classes - 1}")
        weight = _validate.number(f"class_weight[{int(key)}]", value, minimum=0.0)
        if weight <= 0:
            raise ValueError(f"class_weight[{int(key)}] must be > 0, got {weight}")
        out[int(key)] = weight
    missing = sorted(set(range(classes)) - set(out))
    if missing:
        raise ValueError(f"class_weight must give a weight to every one of the classes 0..{classes - 1}; "
                         f"missing {missing}")
    return out


def train_and_evaluate(
    model,
    x_train,
    y_train: np.ndarray | None,
    x_test: np.ndarray,
    y_test: np.ndarray,
    *,
    epochs: int | None = None,
    steps: int | None = None,
    batch_size: int = 64,
    augment: Callable | None = None,
    mix: Callable | None = None,
    validation_data: Any = None,
    initial_weights: list[np.ndarray] | None = None,
    learning_rate: float = 1e-3,
    schedule: str = "constant",
    loss: Any = None,
    class_weight: dict[int, float] | None = None,
    callbacks: Sequence[Any] = (),
    seed: int = 0,
    label: str = "",
) -> TrainResult:
    """Compile ``model`` afresh (Adam), train it, and evaluate it on the test images.

    * Training data: arrays ``x_train`` (``N x H x W x C``) and ``y_train``
      (integer labels, or one-hot / soft label vectors), fed through
      :func:`course_lib.pipeline.prepare` (shuffled every epoch); or a
      ``tf.data.Dataset`` or ``keras.utils.PyDataset`` of ``(images,
      labels)`` batches as ``x_train``, with ``y_train=None``.
    * Length of training: ``epochs`` passes over the training set, or
      ``steps`` weight updates exactly (one batch each), passing over the
      training set as many times as that takes (reshuffled and augmented
      anew on every pass; a pass may end in a smaller batch, as an epoch
      does). Give one of the two. ``steps`` needs arrays or a
      ``tf.data.Dataset``; it runs as one long Keras epoch, so ``epochs``
      in the result is 1 and ``history`` has one entry per key.
    * ``augment`` / ``mix``: applied to training batches only (see
      :func:`course_lib.pipeline.prepare`; arrays only); validation and
      test images are never augmented.
    * ``initial_weights``: e.g. ``model.get_weights()`` saved once; the model
      starts from them, so compared runs start equal.
    * ``validation_data``: ``(x_val, y_val)`` arrays or a dataset, for
      per-epoch validation curves.
    * ``schedule``: ``"constant"`` keeps ``learning_rate`` for the whole run;
      ``"cosine"`` lowers it smoothly to zero by the last step (cosine decay), so
      the final weights do not jump around from one step to the next and runs
      compare more reliably.
    * ``loss``: default ``"sparse_categorical_crossentropy"`` for integer
      labels and ``"categorical_crossentropy"`` for label vectors.
    * ``callbacks``: more Keras callbacks for ``fit`` (e.g. :func:`epoch_timer`).

    Shapes, label ranges and ``class_weight`` are checked against the model
    before training; a loss that becomes NaN stops training with a
    :class:`TrainingDivergedError` (and the model gets its starting weights
    back). Training is silent (``verbose=0``): the notebook prints the tidy
    result.
    """
    import keras

    from .pipeline import check_images, check_labels, prepare

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    input_shape, classes = _model_io(model)
    from_dataset = _is_dataset(x_train)
    if from_dataset:
        if y_train is not None:
            raise TypeError("y_train must be None when x_train is a dataset (the dataset yields the labels)")
        if augment is not None or mix is not None:
            raise TypeError("augment and mix apply to arrays; with a dataset, augment inside the dataset")
        n_train = None
    else:
        x_train = check_images("x_train", x_train)
        y_train = check_labels("y_train", y_train, len(x_train))
        _check_fits("x_train", x_train, input_shape)
        _check_label_range("y_train", y_train, classes)
        n_train = len(x_train)
    x_test = check_images("x_test", x_test)
    y_test = check_labels("y_test", y_test, len(x_test))
    _check_fits("x_test", x_test, input_shape)
    _check_label_range("y_test", y_test, classes)
    if (epochs is None) == (steps is None):
        raise ValueError("give epochs (passes over the training set) or steps (weight updates), exactly one of "
                         f"them; got epochs={epochs!r}, steps={steps!r}")
    if epochs is not None:
        epochs = _validate.integer("epochs", epochs, minimum=1, maximum=100_000)
    else:
        steps = _validate.integer("steps", steps, minimum=1, maximum=10_000_000)
        if from_dataset and not hasattr(x_train, "repeat"):
            raise TypeError("steps needs arrays or a tf.data.Dataset as x_train (a PyDataset cannot be repeated); "
                            "give epochs instead")
    batch_size = _validate.integer("batch_size", batch_size, minimum=1, maximum=1_000_000)
    learning_rate = _validate.number("learning_rate", learning_rate, minimum=1e-8, maximum=10.0)
    if not isinstance(schedule, str) or schedule not in ("constant", "cosine"):
        raise ValueError(f"schedule must be 'constant' or 'cosine', got {schedule!r}")
    seed = _validate.integer("seed", seed, minimum=0)
    class_weight = check_class_weight(class_weight, classes)
    if isinstance(callbacks, (str, bytes)) or not isinstance(callbacks, Sequence):
        raise TypeError(f"callbacks must be a list of keras callbacks, got {type(callbacks).__name__}")
    for i, callback in enumerate(callbacks):
        if not isinstance(callback, keras.callbacks.Callback):
            raise TypeError(f"callbacks[{i}] must be a keras callback (e.g. epoch_timer()), got {type(callback).__name__}")
    if not isinstance(label, str):
        raise TypeError(f"label must be text (a name for this run), got {type(label).__name__} {label!r}")
    for step_name, step in (("augment", augment), ("mix", mix)):
        if step is not None and not callable(step):
            raise TypeError(f"{step_name} must be a callable (e.g. a keras layer) or None, got {type(step).__name__}")
    val_ds = None
    if validation_data is not None:
        if _is_dataset(validation_data):
            val_ds = validation_data
        elif isinstance(validation_data, tuple) and len(validation_data) == 2:
            x_val = check_images("validation_data[0]", validation_data[0])
            y_val = check_labels("validation_data[1]", validation_data[1], len(x_val))
            _check_fits("validation_data[0]", x_val, input_shape)
            _check_label_range("validation_data[1]", y_val, classes)
            val_ds = prepare(x_val, y_val, batch_size=256)
        else:
            raise TypeError("validation_data must be a tuple (x_val, y_val) or a dataset")
    if initial_weights is not None:
        if not isinstance(initial_weights, list) or len(initial_weights) != len(model.weights):
            raise ValueError(
                f"initial_weights must be the list model.get_weights() returns "
                f"({len(model.weights)} arrays), got {type(initial_weights).__name__}"
            )
        for i, (given, variable) in enumerate(zip(initial_weights, model.weights)):
            if not isinstance(given, np.ndarray) or given.shape != tuple(variable.shape):
                raise ValueError(f"initial_weights[{i}] must be an array of shape {tuple(variable.shape)} (the "
                                 f"model's weight {variable.path}): pass the list model.get_weights() returns")
            if given.dtype.kind not in "uif" or not np.isfinite(given).all():
                raise ValueError(f"initial_weights[{i}] must hold finite numbers, but it holds NaN, infinity or "
                                 f"no numbers (dtype {given.dtype})")
        model.set_weights(initial_weights)
    start_weights = model.get_weights()
    one_hot = (y_train is not None and y_train.ndim == 2)
    if loss is None:
        loss = "categorical_crossentropy" if one_hot else "sparse_categorical_crossentropy"
    elif isinstance(loss, str):
        try:
            keras.losses.get(loss)
        except ValueError:
            raise ValueError(f"loss {loss!r} is not a Keras loss name (e.g. 'sparse_categorical_crossentropy'); "
                             "give a name, a keras loss or a function (y_true, y_pred) -> loss") from None
        if y_train is not None and loss in ("categorical_crossentropy", "sparse_categorical_crossentropy") \
                and (loss == "categorical_crossentropy") != one_hot:
            raise ValueError(f"loss {loss!r} does not fit the labels: y_train holds "
                             f"{'one-hot label vectors' if one_hot else 'class indices'}; leave loss=None to "
                             "get the matching loss")
    elif not callable(loss):
        raise TypeError(f"loss must be None, a Keras loss name or a loss function, got {type(loss).__name__}")
    if from_dataset:
        train_ds = x_train
    else:
        train_ds = prepare(x_train, y_train, batch_size=batch_size, shuffle=True, augment=augment, mix=mix, seed=seed,
                           repeat=steps is not None)
    steps_given = " and ".join(n for n, step in (("augment", augment), ("mix", mix)) if step is not None)
    if steps_given:  # the pipeline's output is known from tracing alone: nothing random has run yet
        got = tuple(train_ds.element_spec[0].shape[1:])
        if len(got) != len(input_shape) or any(
                want is not None and have is not None and want != have for want, have in zip(input_shape, got)):
            raise ValueError(f"{steps_given} must return images the model takes, {input_shape}; got {got}")

    rate: Any = learning_rate
    if schedule == "cosine":
        total = steps
        if total is None:
            per_epoch = _steps_per_epoch(train_ds)
            if per_epoch is None:
                raise ValueError("schedule='cosine' needs a training set of known length (arrays, a PyDataset, or "
                                 "a finite tf.data.Dataset), or steps")
            total = per_epoch * epochs
        rate = keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps=max(1, total))
    model.compile(optimizer=keras.optimizers.Adam(rate), loss=loss, metrics=["accuracy"])
    _build_for_training(model, train_ds)
    length = {"epochs": epochs} if steps is None else {"epochs": 1, "steps_per_epoch": steps}
    if steps is not None and from_dataset:  # one long epoch over the dataset repeated without end
        train_ds = train_ds.repeat()
    start = time.perf_counter()
    hist = model.fit(train_ds, **length, validation_data=val_ds, class_weight=class_weight, shuffle=False,
                     verbose=0, callbacks=[keras.callbacks.TerminateOnNaN(), *callbacks])
    seconds = time.perf_counter() - start
    history = {k: [float(v) for v in vals] for k, vals in hist.history.items()}
    if not np.all(np.isfinite(history.get("loss", [0.0]))):
        model.set_weights(start_weights)
        raise TrainingDivergedError(
            f"training produced a loss that is not a finite number (NaN or infinity) in epoch "
            f"{len(history['loss'])}; the model got its starting weights back. Lower learning_rate, and check "
            "that the images and labels hold sensible numbers"
            + (f" (and what {steps_given} return{'' if ' and ' in steps_given else 's'} for a batch)"
               if steps_given else ""))
    probabilities = predict_probabilities(model, x_test)
    labels = y_test if y_test.ndim == 1 else y_test.argmax(axis=1)
    predictions = probabilities.argmax(axis=1)
    picked = probabilities[np.arange(len(labels)), labels]
    clean = None
    if not from_dataset:
        train_labels = y_train if y_train.ndim == 1 else y_train.argmax(axis=1)
        clean = float(np.mean(predict_probabilities(model, x_train).argmax(axis=1) == train_labels))
    return TrainResult(
        history=history,
        train_accuracy=history["accuracy"][-1],
        test_accuracy=float(np.mean(predictions == labels)),
        test_loss=float(-np.mean(np.log(np.clip(picked, 1e-7, 1.0)))),
        epochs=length["epochs"],
        n_train=n_train if n_train is not None else 0,
        seconds=seconds,
        label=label,
        clean_train_accuracy=clean,
        weight_updates=int(model.optimizer.iterations.numpy()),
        predictions=predictions.astype(np.int64),
    )


def _build_for_training(model, train_ds) -> bool:
    """Create the optimizer's and the accuracy metric's variables before ``fit``; True when done.

    Without a distribution strategy, Keras creates them inside the first traced training step, and TensorFlow then
    traces that step a second time to run it without creating variables: about a second per training run on a
    CPU, which lessons that train many small models pay many times. Building them here, from zeros shaped like
    one batch's labels and predictions (nothing is drawn from the data, no layer is called, no random state
    moves), makes the same training trace once. Where that cannot be done (a ``PyDataset``, which has no element
    spec, or a model of unknown output shape), Keras builds them as before.
    """
    spec = getattr(train_ds, "element_spec", None)
    if not isinstance(spec, tuple) or len(spec) < 2:
        return False
    try:
        labels = np.zeros((1, *spec[1].shape[1:]), dtype=spec[1].dtype.as_numpy_dtype)
        outputs = np.zeros((1, *model.output_shape[1:]), dtype=np.float32)
    except (AttributeError, TypeError, ValueError):  # unknown sizes, several outputs, a model not yet built
        return False
    model.optimizer.build(model.trainable_variables)
    model.compute_metrics(None, labels, outputs)
    model.reset_metrics()
    return True


def _steps_per_epoch(dataset) -> int | None:
    """Batches in one pass over a tf.data.Dataset or PyDataset, or None when unknown (or infinite)."""
    if hasattr(dataset, "cardinality"):
        n = int(dataset.cardinality())
        return n if n > 0 else None
    try:
        return int(len(dataset))
    except TypeError:  # pragma: no cover - a dataset without a length
        return None


def predict_probabilities(model, x: np.ndarray, *, batch_size: int = 256) -> np.ndarray:
    """The model's class probabilities for images ``x``, ``N x classes`` (float64).

    Goes through a ``tf.data`` pipeline rather than a NumPy array: Keras's
    array adapter makes TensorFlow 2.21 print a C++ log line on standard error.
    """
    import keras

    from .pipeline import check_images
    from .reproducibility import import_tensorflow

    tf = import_tensorflow()
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    x = check_images("x", x)
    try:
        input_shape = tuple(model.input_shape[1:])
    except (AttributeError, ValueError):  # a subclassed model that was never called: predict builds it
        input_shape = None
    if input_shape is not None:
        _check_fits("x", x, input_shape)
    batch_size = _validate.integer("batch_size", batch_size, minimum=1, maximum=1_000_000)
    ds = tf.data.Dataset.from_tensor_slices(x.astype(np.float32)).batch(batch_size)
    return np.asarray(model.predict(ds, verbose=0), dtype=np.float64)
