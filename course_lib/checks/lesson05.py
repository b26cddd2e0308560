"""Feedback for the exercise of lesson 05: build the ``tf.data`` pipeline in the right order.

The student builds ``train_ds`` (``from_tensor_slices -> cache -> shuffle ->
batch -> map(augment) -> prefetch``) and ``test_ds`` (no augmentation, no
shuffle, batched, prefetched). :func:`check_pipeline` looks at both in two
ways:

* **the steps**: :func:`pipeline_steps` walks a dataset back to its source and
  names each step; a ``map`` whose function draws random numbers (a Keras
  augmentation layer called with ``training=True`` does) is named
  ``"map(random)"``;
* **a probe**: it reads the training set for two epochs and the test set once,
  and compares the images with the originals and with each other, so that a
  frozen augmentation (identical images in every epoch) or a changed test set
  is measured, not guessed.

It names the first problem it finds with a specific hint, and never raises.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from . import Feedback, correct, hint, never_crash

#: The training pipeline the exercise asks for, as :func:`pipeline_steps` names it.
EXPECTED_TRAIN: tuple[str, ...] = ("from_tensor_slices", "cache", "shuffle", "batch", "map(random)", "prefetch")
#: The most images the probe reads from one epoch (a guard against a huge or endless dataset).
PROBE_LIMIT = 20_000

_RENAME = {"tensor_slice": "from_tensor_slices", "tensor": "from_tensors", "parallel_map": "map",
           "parallel_batch": "batch", "padded_batch": "batch", "parallel_interleave": "interleave"}
_SKIP = {"options"}  # with_options(...) is not a step
_MAP_HOW = ".map(augment_batch) with `def augment_batch(images, labels): return augment(images, training=True), labels`"


def _step_name(ds: Any) -> str:
    name = re.sub(r"(V\d+)?$", "", type(ds).__name__.lstrip("_"))
    name = name[: -len("Dataset")] if name.endswith("Dataset") else name
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower() or "dataset"
    return _RENAME.get(snake, snake)


def _draws_random_numbers(ds: Any) -> bool:
    """True if the function a map step applies contains a random-number operation."""
    try:
        graph_def = ds._map_func.function.graph.as_graph_def()
    except AttributeError:
        return False
    ops = {node.op for node in graph_def.node}
    ops.update(node.op for function in graph_def.library.function for node in function.node_def)
    return any("Random" in op for op in ops)


def pipeline_steps(ds: Any) -> list[str]:
    """The steps of a ``tf.data.Dataset`` from its source to the end, e.g.
    ``["from_tensor_slices", "cache", "shuffle", "batch", "map(random)", "prefetch"]``.

    A ``map`` whose function draws random numbers (an augmentation) is called
    ``"map(random)"``; ``with_options`` is left out. Raises ``TypeError``
    naming ``ds`` if it is not a dataset.
    """
    import tensorflow as tf

    if not isinstance(ds, tf.data.Dataset):
        raise TypeError(f"ds must be a tf.data.Dataset, got {type(ds).__name__}")
    steps: list[str] = []
    node: Any = ds
    while node is not None:
        name = _step_name(node)
        if name == "map" and _draws_random_numbers(node):
            name = "map(random)"
        if name not in _SKIP:
            steps.append(name)
        node = getattr(node, "_input_dataset", None)
    return steps[::-1]


def _arrow(steps: list[str]) -> str:
    return " -> ".join(steps)


def _images_of(ds: Any, limit: int = PROBE_LIMIT) -> np.ndarray:
    """The images of one pass over ``ds`` (the first element of each batch), at most ``limit`` of them."""
    out, count = [], 0
    for element in ds:
        images = element[0] if isinstance(element, (tuple, list)) else element
        array = np.asarray(images, dtype=np.float32)
        out.append(array)
        count += len(array)
        if count >= limit:
            break
    return np.concatenate(out) if out else np.zeros((0,), np.float32)


def _fingerprints(images: np.ndarray) -> list[bytes]:
    return sorted(np.round(image, 3).tobytes() for image in images)


def _share_identical(first: np.ndarray, second: np.ndarray) -> float:
    """The share of images that appear in both passes (as a multiset, so the order does not matter)."""
    a, b = _fingerprints(first), _fingerprints(second)
    common, i, j = 0, 0, 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            common, i, j = common + 1, i + 1, j + 1
        elif a[i] < b[j]:
            i += 1
        else:
            j += 1
    return common / max(len(a), 1)


def _structure_hint(ds: Any, name: str) -> Feedback | None:
    """A hint if ``ds`` is not a batched dataset of (images, labels)."""
    import tensorflow as tf

    if not isinstance(ds, tf.data.Dataset):
        if isinstance(ds, (tuple, list, np.ndarray)):
            return hint(f"{name} should be a tf.data.Dataset, not the arrays themselves: start from "
                        f"tf.data.Dataset.from_tensor_slices((images, labels)).")
        return hint(f"{name} should be a tf.data.Dataset, got {type(ds).__name__}.")
    spec = ds.element_spec
    if not isinstance(spec, tuple) or len(spec) != 2:
        return hint(f"each element of {name} should be a pair (images, labels): build it with "
                    f"tf.data.Dataset.from_tensor_slices((x, y)), and let a map function return (images, labels).")
    if spec[0].shape.rank != 4:
        return hint(f"{name} gives single images (shape {spec[0].shape}), not batches: add .batch(...) "
                    "(a batch is N x height x width x channels).")
    if int(ds.cardinality()) == int(tf.data.INFINITE_CARDINALITY):
        return hint(f"{name} never ends (did you add .repeat()?): remove it, model.fit counts the epochs itself.")
    return None


def _train_order_hint(steps: list[str]) -> Feedback | None:
    """A hint for the first step of the training pipeline that is missing or out of order."""
    shown = f" Your training pipeline: {_arrow(steps)}."
    if "map(random)" not in steps:
        extra = (" It has a map, but its function draws no random numbers: call the layers with training=True."
                 if "map" in steps else "")
        return hint(f"the training set is not augmented.{extra} Add {_MAP_HOW}.{shown}")
    aug = steps.index("map(random)")
    if "cache" not in steps:
        return hint(f"add .cache() right after from_tensor_slices: the original images are then kept in memory "
                    f"after the first epoch.{shown}")
    cache = steps.index("cache")
    if aug < cache:
        return None  # measured by the probe, which says how frozen the epochs are
    if "shuffle" not in steps:
        return hint(f"add .shuffle(len(x_train), seed=SEED) after the cache: without it every epoch sees the images "
                    f"in the same order.{shown}")
    shuffle = steps.index("shuffle")
    if "batch" in steps and steps.index("batch") < shuffle:
        return hint(f"shuffle before batch: shuffling after .batch() only reorders whole batches, so the same "
                    f"images stay together in every epoch.{shown}")
    if shuffle < cache:
        return hint(f"cache before shuffle: a cache after .shuffle() stores the first epoch's order and replays "
                    f"it, so every epoch has the same order.{shown}")
    if aug < steps.index("batch"):
        return hint(f"map the augmentation after .batch(): the Keras layers change a whole batch in one call, "
                    f"one call per batch instead of one per image.{shown}")
    if "prefetch" not in steps:
        return hint(f"add .prefetch(tf.data.AUTOTUNE) as the last step: the next batches are then prepared while "
                    f"the model trains.{shown}")
    if steps[-1] != "prefetch":
        return hint(f"prefetch should be the last step, so that everything before it runs ahead of training; "
                    f"yours is followed by {_arrow(steps[steps.index('prefetch') + 1:])}.{shown}")
    return None


def _shuffle_buffer_hint(ds: Any, n_images: int) -> Feedback | None:
    node = ds
    while node is not None:
        if _step_name(node) == "shuffle":
            buffer = int(np.asarray(node._buffer_size))
            if 0 < buffer < n_images:
                return hint(f"your shuffle buffer holds {buffer} images but the training set has {n_images}: a small "
                            f"buffer only mixes neighbours. For data that fits in memory use "
                            f".shuffle(len(x_train)).")
            return None
        node = getattr(node, "_input_dataset", None)
    return None


def _test_hint(test_ds: Any, x_test: np.ndarray | None) -> Feedback | None:
    feedback = _structure_hint(test_ds, "test_ds")
    if feedback is not None:
        return feedback
    steps = pipeline_steps(test_ds)
    shown = f" Your test pipeline: {_arrow(steps)}."
    if "map(random)" in steps:
        return hint(f"the test set is augmented: evaluate on the images as they are. Remove the augmentation "
                    f"map from test_ds (augment the training set only).{shown}")
    if x_test is not None:
        images = _images_of(test_ds)
        reference = np.asarray(x_test, dtype=np.float32)
        if images.shape != reference.shape:
            return hint(f"one pass over test_ds should give every test image once ({len(reference)}), got "
                        f"{len(images)} images of shape {images.shape[1:]}.{shown}")
        if not np.array_equal(images, reference):
            if _share_identical(images, reference) == 1.0:
                return hint(f"do not shuffle the test set: the predictions would no longer line up with y_test, "
                            f"and evaluation does not need a new order.{shown}")
            return hint(f"the test pipeline changes the images: leave them as they are (the course CNN rescales "
                        f"by itself, and augmentation is for training only).{shown}")
    if "shuffle" in steps:
        return hint(f"do not shuffle the test set: the predictions would no longer line up with y_test.{shown}")
    if "prefetch" not in steps:
        return hint(f"add .prefetch(tf.data.AUTOTUNE) at the end of the test pipeline too, so that evaluation "
                    f"reads the next batch while it computes.{shown}")
    return None


@never_crash
def check_pipeline(train_ds: Any, test_ds: Any, x_train: Any = None, x_test: Any = None) -> Feedback:
    """Check the exercise's ``train_ds`` and ``test_ds`` (and, with the original
    ``x_train`` / ``x_test``, measure what they deliver)."""
    feedback = _structure_hint(train_ds, "train_ds")
    if feedback is not None:
        return feedback
    steps = pipeline_steps(train_ds)
    feedback = _train_order_hint(steps)
    if feedback is not None:
        return feedback

    x_train = None if x_train is None else np.asarray(x_train, dtype=np.float32)
    epoch1 = _images_of(train_ds)
    epoch2 = _images_of(train_ds)
    if x_train is not None:
        if len(epoch1) != len(x_train):
            return hint(f"one epoch of train_ds should give every training image once ({len(x_train)}), got "
                        f"{len(epoch1)}. Your training pipeline: {_arrow(steps)}.")
        if epoch1.shape == x_train.shape and _share_identical(epoch1, x_train) == 1.0:
            return hint("the training images come out unchanged: call the augmentation with training=True, and "
                        "check that its factors are not zero.")
    identical = _share_identical(epoch1, epoch2)
    if steps.index("map(random)") < steps.index("cache") or identical == 1.0:
        return hint(f"the augmentation comes before the cache, so the cache stores the first epoch's augmented "
                    f"images and replays them: measured, {identical:.0%} of the images are identical in epochs 1 "
                    f"and 2. Move .cache() before the augmentation: from_tensor_slices -> cache -> shuffle -> batch "
                    f"-> map(augment) -> prefetch. Your training pipeline: {_arrow(steps)}.")
    if x_train is not None:
        feedback = _shuffle_buffer_hint(train_ds, len(x_train))
        if feedback is not None:
            return feedback

    feedback = _test_hint(test_ds, None if x_test is None else np.asarray(x_test))
    if feedback is not None:
        return feedback
    fresh = ("no training image repeats between two epochs" if identical == 0.0
             else "the training images change from epoch to epoch")
    return correct(f"{_arrow(steps)}: the augmentation comes after the cache, so {fresh} (measured), and the test "
                   f"set is left alone.")
