"""Helper library for the image data augmentation course.

Importing ``course_lib`` before TensorFlow keeps TensorFlow's start-up log lines
out of the notebooks: it sets ``TF_CPP_MIN_LOG_LEVEL=2`` and
``TF_ENABLE_ONEDNN_OPTS=0`` unless you have set them yourself.

Each module has one job:

* :mod:`course_lib.reproducibility` - seeding, deterministic ops, a quiet TensorFlow start
* :mod:`course_lib.data` - loading CIFAR-10 and the real images shipped in packages
* :mod:`course_lib.plots` - image grids, sweeps, before/after pairs, training curves
* :mod:`course_lib.models` - the course CNN and the training helper
* :mod:`course_lib.pipeline` - the ``tf.data`` input pipeline (augmentation on training data only)
* :mod:`course_lib.layers` - ``RandomAffine``: rotation, shifts and mirror in one resampling (lesson 05)
* :mod:`course_lib.experiments` - where results go and how they are saved
* :mod:`course_lib.transforms` - NumPy reference implementations of the classic transforms
* :mod:`course_lib.audit` - does a transform keep images "in the data"? (lesson 03)
* :mod:`course_lib.migration` - ``ImageDataGenerator`` options to Keras layers (lesson 04)
* :mod:`course_lib.generator` - the course's own augmenting ``PyDataset`` (lesson 06)
* :mod:`course_lib.imbalance` - class weights, oversampling, per-class recall (lesson 08)
* :mod:`course_lib.offline` - writing an augmented copy of an image folder (lesson 09)
* :mod:`course_lib.text_augment`, :mod:`course_lib.audio_augment`, :mod:`course_lib.series_augment`,
  :mod:`course_lib.synthetic` - augmentation beyond images and the data it is shown on (lesson 10)
* :mod:`course_lib.tta` - test-time augmentation (lesson 11)
* :mod:`course_lib.checks` - feedback for the exercises
* :mod:`course_lib.notebooks` - stripping notebooks and generating exercises
* :mod:`course_lib.check_env` - ``python -m course_lib.check_env``
"""

from __future__ import annotations

import os

#: Environment variables set (unless already set) before TensorFlow is imported.
TF_QUIET_ENV = {"TF_CPP_MIN_LOG_LEVEL": "2", "TF_ENABLE_ONEDNN_OPTS": "0"}

for _name, _value in TF_QUIET_ENV.items():
    os.environ.setdefault(_name, _value)

__version__ = "0.1.0"
__all__ = ["TF_QUIET_ENV", "__version__"]
