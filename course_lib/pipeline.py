"""Input pipelines: where augmentation goes, and where it must not go.

:func:`prepare` builds the ``tf.data`` pipeline every lesson uses::

    from_tensor_slices -> cache -> shuffle -> batch -> map(augment) -> prefetch

Augmentation comes *after* the cache (so each epoch sees new random
variants) and only when ``augment`` is given, which lessons do for training
data alone.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import _validate


def prepare(
    x: np.ndarray,
    y: np.ndarray,
    *,
    batch_size: int = 64,
    shuffle: bool = False,
    augment: Callable | None = None,
    seed: int = 0,
    autotune: bool = False,
):
    """Return a batched ``tf.data.Dataset`` of ``(float32 images, labels)``.

    ``augment`` is applied to each batch: a Keras layer (e.g. a
    ``keras.Sequential`` of random layers, created once outside this function)
    is called with ``training=True``; any other callable as ``augment(images)``.
    Pass it for the training set only.

    ``autotune=False`` (the default) turns off ``tf.data``'s model-based
    autotuning (``tf.data.Options().autotune.enabled = False``): it changes
    no value, only speed, and on a two-core machine it made some epochs with
    augmentation stall (the README's "Pipeline speed"; compare with
    ``python benchmarks/pipeline_speed.py --autotune``).
    """
    import tensorflow as tf

    x = _validate.array("x", x, ndims=(4,))
    y = _validate.labels("y", y, n=len(x))
    batch_size = _validate.integer("batch_size", batch_size, minimum=1)
    seed = _validate.integer("seed", seed, minimum=0)
    if not isinstance(shuffle, bool):
        raise TypeError(f"shuffle must be True or False, got {shuffle!r}")
    if not isinstance(autotune, bool):
        raise TypeError(f"autotune must be True or False, got {autotune!r}")
    if augment is not None and not callable(augment):
        raise TypeError(f"augment must be a callable (e.g. a keras layer) or None, got {type(augment).__name__}")

    ds = tf.data.Dataset.from_tensor_slices((x.astype(np.float32), y.astype(np.int32))).cache()
    if shuffle:
        ds = ds.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    ds = ds.batch(batch_size)
    if augment is not None:
        import keras

        if isinstance(augment, keras.layers.Layer):
            def apply(images, labels):
                return augment(images, training=True), labels
        else:
            def apply(images, labels):
                return augment(images), labels
        # A plain map: prefetch below already runs it alongside training. (A parallel map,
        # num_parallel_calls=tf.data.AUTOTUNE, makes TF 2.21 print a harmless C++ log line.)
        ds = ds.map(apply)
    # Model-based autotuning off by default: on two cores it stalled some augmented epochs by about
    # an epoch's time (benchmarks/pipeline_speed.py --autotune); prefetch still sizes its buffer.
    options = tf.data.Options()
    options.autotune.enabled = autotune
    return ds.prefetch(tf.data.AUTOTUNE).with_options(options)
