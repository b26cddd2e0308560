"""Seeding and a quiet TensorFlow start: one call makes a run repeatable on the CPU."""

from __future__ import annotations

import contextlib
import os
import random
import sys
from collections.abc import Iterator

import numpy as np

from . import _validate

#: Set this environment variable to 1 to see TensorFlow's start-up messages.
VERBOSE_ENV = "COURSE_VERBOSE_TF"


@contextlib.contextmanager
def _stderr_silenced() -> Iterator[None]:
    """Send the process's file descriptor 2 to /dev/null for the block.

    TensorFlow's C++ start-up lines ("Could not find cuda drivers", "failed
    call to cuInit") are written before its log level applies, so
    ``TF_CPP_MIN_LOG_LEVEL`` cannot hide them; redirecting the descriptor can.
    Python exceptions still propagate after the descriptor is restored.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def import_tensorflow():
    """Import TensorFlow and Keras, and start TensorFlow's CPU device, quietly.

    Returns the ``tensorflow`` module. Start-up messages are hidden unless
    ``COURSE_VERBOSE_TF=1`` is set; errors are still raised.
    """
    if "tensorflow" in sys.modules or os.environ.get(VERBOSE_ENV) == "1":
        import keras  # noqa: F401
        import tensorflow as tf

        _quiet_python_loggers()
        return tf
    with _stderr_silenced():
        import keras  # noqa: F401
        import tensorflow as tf

        tf.constant(0.0)  # the first op starts the devices; its messages are hidden too
    _quiet_python_loggers()
    return tf


def _quiet_python_loggers() -> None:
    """Keep TensorFlow's Python-side warnings (``WARNING:tensorflow: ... triggered tf.function retracing``,
    which lessons that train many models in a loop provoke and which say nothing to a student) out of the
    notebooks; errors still show. ``COURSE_VERBOSE_TF=1`` leaves the loggers alone."""
    if os.environ.get(VERBOSE_ENV) == "1":
        return
    import logging

    for name in ("tensorflow", "absl"):
        logging.getLogger(name).setLevel(logging.ERROR)


def set_seed(seed: int, *, tensorflow: bool = True) -> int:
    """Seed Python, NumPy, TensorFlow and Keras, and turn on deterministic ops.

    After this call, training the same model on the same data gives the same
    numbers every time on the same machine. Returns the seed so a notebook can
    print it. Imports TensorFlow quietly (:func:`import_tensorflow`).

    ``tensorflow=False`` is for notebooks that train nothing (several
    exercises): it seeds Python and NumPy and does not start TensorFlow, which
    takes seconds (TensorFlow and Keras are still seeded if already imported).
    """
    seed = _validate.integer("seed", seed, minimum=0, maximum=2**32 - 1)
    if not isinstance(tensorflow, bool):
        raise TypeError(f"tensorflow must be True or False, got {tensorflow!r}")
    random.seed(seed)
    np.random.seed(seed)
    if not tensorflow and "tensorflow" not in sys.modules:
        return seed
    tf = import_tensorflow()
    import keras

    keras.utils.set_random_seed(seed)  # also seeds Python, NumPy and TensorFlow
    tf.config.experimental.enable_op_determinism()
    return seed
