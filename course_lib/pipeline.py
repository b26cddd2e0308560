"""Input pipelines: where augmentation goes, and where it must not go.

:func:`prepare` builds the ``tf.data`` pipeline every lesson uses::

    from_tensor_slices -> cache -> shuffle -> batch -> map(augment) -> map(mix) -> prefetch

Augmentation comes *after* the cache (so each epoch sees new random
variants) and only when ``augment`` is given, which lessons do for training
data alone. ``mix`` is a step on whole batches of images *and* labels, such
as ``keras.layers.MixUp`` or ``CutMix`` (lesson 11); it needs one-hot labels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import _validate

#: The largest batch size :func:`prepare` accepts (far above any lesson's; it guards against typos).
MAX_BATCH_SIZE = 1_000_000


def _check_name(name: Any) -> None:
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be the argument's name (a non-empty str) for the error messages, got {name!r}")


def check_labels(name: str, y: Any, n: int) -> np.ndarray:
    """Integer class labels ``(N,)`` or one-hot / soft labels ``(N x K)``, or an error naming ``name``.

    Integer labels are returned as ``int64``, label vectors as ``float32``
    (each row must be non-negative and sum to 1).
    """
    _check_name(name)
    n = _validate.integer("n", n, minimum=0)
    y = _validate.array(name, y, ndims=(1, 2))
    if len(y) != n:
        raise ValueError(f"{name} must have one label per image (n = {n}), got {len(y)}")
    if y.ndim == 2 and y.shape[1] > 1:
        if y.dtype.kind != "f" and y.dtype.kind not in "ui":
            raise TypeError(f"{name} must hold numbers, got dtype {y.dtype}")
        if len(y) != n:
            raise ValueError(f"{name} must have one label per image ({n}), got {len(y)}")
        if not np.isfinite(y).all() or y.min() < 0 or not np.allclose(y.sum(axis=1), 1.0, atol=1e-3):
            raise ValueError(f"{name}: one-hot (or soft) labels must be non-negative rows that sum to 1")
        return y.astype(np.float32)
    return _validate.labels(name, y, n=n)


def check_images(name: str, x: Any) -> np.ndarray:
    """A batch of images ``N x H x W x C`` with finite pixel values, or an error naming ``name``."""
    _check_name(name)
    x = _validate.array(name, x, ndims=(4,))
    if x.dtype.kind == "f" and not np.isfinite(x).all():
        raise ValueError(f"{name} must hold finite pixel values, but it contains NaN or infinity")
    return x


def prepare(
    x: np.ndarray,
    y: np.ndarray,
    *,
    batch_size: int = 64,
    shuffle: bool = False,
    augment: Callable | None = None,
    mix: Callable | None = None,
    seed: int = 0,
    autotune: bool = False,
    repeat: bool = False,
):
    """Return a batched ``tf.data.Dataset`` of ``(float32 images, labels)``.

    ``y`` holds integer labels (``(N,)``, given as int32) or one-hot / soft
    labels (``(N x K)``, float32).

    ``augment`` is applied to each batch of images: a Keras layer (e.g. a
    ``keras.Sequential`` of random layers, created once outside this function)
    is called with ``training=True``; any other callable as ``augment(images)``.
    ``mix`` is then applied to each batch of images and labels together: a
    Keras layer such as ``keras.layers.MixUp`` gets ``{"images", "labels"}``
    (with ``training=True``) and must return the same keys; any other callable
    is called as ``mix(images, labels)`` and returns ``(images, labels)``.
    Pass ``augment`` and ``mix`` for the training set only.

    ``repeat=True`` passes over the images without end, reshuffled (and
    augmented anew) on every pass, each pass in the same batches as one epoch:
    for training a fixed number of steps (``fit(..., steps_per_epoch=...)``).

    ``autotune=False`` (the default) turns off ``tf.data``'s model-based
    autotuning (``tf.data.Options().autotune.enabled = False``): it changes
    no value, only speed, and on a two-core machine it made some epochs with
    augmentation stall (the README's "Pipeline speed"; compare with
    ``python benchmarks/pipeline_speed.py --autotune``).
    """
    from .reproducibility import import_tensorflow

    tf = import_tensorflow()
    x = check_images("x", x)
    y = check_labels("y", y, len(x))
    batch_size = _validate.integer("batch_size", batch_size, minimum=1, maximum=MAX_BATCH_SIZE)
    seed = _validate.integer("seed", seed, minimum=0, maximum=2**63 - 1)
    if not isinstance(shuffle, bool):
        raise TypeError(f"shuffle must be True or False, got {shuffle!r}")
    if not isinstance(autotune, bool):
        raise TypeError(f"autotune must be True or False, got {autotune!r}")
    if not isinstance(repeat, bool):
        raise TypeError(f"repeat must be True or False, got {repeat!r}")
    for name, step in (("augment", augment), ("mix", mix)):
        if step is not None and not callable(step):
            raise TypeError(f"{name} must be a callable (e.g. a keras layer) or None, got {type(step).__name__}")
    if mix is not None and y.ndim != 2:
        raise ValueError("mix needs one-hot labels (N x classes), e.g. np.eye(num_classes)[y]; "
                         "MixUp and CutMix mix the labels as well as the images")

    labels = y if y.ndim == 2 else y.astype(np.int32)
    ds = tf.data.Dataset.from_tensor_slices((x.astype(np.float32), labels)).cache()
    if shuffle:
        ds = ds.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    ds = ds.batch(batch_size)
    if repeat:  # before the map and prefetch: they then run on without restarting at every pass
        ds = ds.repeat()
    import keras

    if augment is not None:
        if isinstance(augment, keras.layers.Layer):
            def apply(images, labels):
                return augment(images, training=True), labels
        else:
            def apply(images, labels):
                return augment(images), labels
        # A plain map: prefetch below already runs it alongside training. (A parallel map,
        # num_parallel_calls=tf.data.AUTOTUNE, makes TF 2.21 print a harmless C++ log line.)
        ds = ds.map(apply)
    if mix is not None:
        if isinstance(mix, keras.layers.Layer):
            def mixed(images, labels):
                out = mix({"images": images, "labels": labels}, training=True)
                return out["images"], out["labels"]
        else:
            def mixed(images, labels):
                return mix(images, labels)
        ds = ds.map(mixed)
    # Model-based autotuning off by default: on two cores it stalled some augmented epochs by about
    # an epoch's time (benchmarks/pipeline_speed.py --autotune); prefetch still sizes its buffer.
    options = tf.data.Options()
    options.autotune.enabled = autotune
    return ds.prefetch(tf.data.AUTOTUNE).with_options(options)
