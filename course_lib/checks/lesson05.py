"""Feedback for the exercise of lesson 05: build the ``tf.data`` pipeline in the right order.

The student writes two functions that each receive the *source* dataset,
``tf.data.Dataset.from_tensor_slices((images, labels))``, and return the
pipeline built on it: ``make_train_ds(source)`` (``cache -> shuffle -> batch
-> map(augment) -> prefetch``) and ``make_test_ds(source)`` (no augmentation,
no shuffle, batched, prefetched). :func:`check_pipeline` looks at both in two
ways:

* **the steps**: it calls each function with a *spy* in place of the source:
  an object that forwards every method to the real dataset and notes which
  method was called, with which arguments (:func:`pipeline_steps`). A ``map``
  whose function draws random numbers (a Keras augmentation layer called with
  ``training=True`` does) is named ``"map(random)"``: the check traces the
  mapped function itself with ``tf.function`` and looks for random-number
  operations in its graph.
* **a probe**: it reads the training set for two epochs and the test set once,
  and compares the images with the originals and with each other, so that a
  frozen augmentation (identical images in every epoch) or a changed test set
  is measured, not guessed.

Why functions and a spy: TensorFlow has no public way to list the steps of a
finished ``tf.data.Dataset`` (its input datasets and mapped functions are
private attributes). Recording the calls while the student's function builds
the pipeline uses only public API. It names the first problem it finds with
a specific hint, and never raises.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import Feedback, correct, hint, never_crash

#: The training pipeline the exercise asks for, as :func:`pipeline_steps` names it.
EXPECTED_TRAIN: tuple[str, ...] = ("source", "cache", "shuffle", "batch", "map(random)", "prefetch")
#: The most images the probe reads from one epoch (a guard against a huge or endless dataset).
PROBE_LIMIT = 20_000
#: Dataset methods that are not a step of the pipeline (they return another dataset with the same elements).
_NOT_A_STEP = frozenset({"with_options"})
_MAP_HOW = (".map(augment_batch) with `def augment_batch(images, labels): return augment(images, "
            "training=True), labels`")


# --------------------------------------------------------------------------- the spy


def _draws_random_numbers(fn: Callable, element_spec: Any) -> bool:
    """True if ``fn`` (a map function) contains a random-number operation, found by tracing it
    with ``tf.function`` on the dataset's element structure (public API only)."""
    import tensorflow as tf

    specs = element_spec if isinstance(element_spec, tuple) else (element_spec,)
    try:
        graph = tf.function(fn).get_concrete_function(*specs).graph.as_graph_def()
    except Exception:  # a function the check cannot trace on its own: say nothing about it
        return False
    ops = {node.op for node in graph.node}
    ops.update(node.op for function in graph.library.function for node in function.node_def)
    return any("Random" in op for op in ops)


class _Spy:
    """Stands in for a ``tf.data.Dataset``: forwards everything to the real dataset and records the
    dataset methods called on it (``steps``) and the buffer size of a ``shuffle``."""

    def __init__(self, dataset: Any, steps: tuple[str, ...] = ("source",), buffer: int | None = None) -> None:
        self.dataset, self.steps, self.shuffle_buffer = dataset, steps, buffer

    def __getattr__(self, name: str) -> Any:
        import tensorflow as tf

        attribute = getattr(self.dataset, name)
        if not callable(attribute) or name.startswith("_"):
            return attribute

        def step(*args, **kwargs):
            args = tuple(a.dataset if isinstance(a, _Spy) else a for a in args)
            kwargs = {k: (v.dataset if isinstance(v, _Spy) else v) for k, v in kwargs.items()}
            result = attribute(*args, **kwargs)
            if not isinstance(result, tf.data.Dataset):
                return result
            label, buffer = name, self.shuffle_buffer
            if name == "map" and args and _draws_random_numbers(args[0], self.dataset.element_spec):
                label = "map(random)"
            if name == "shuffle":
                size = args[0] if args else kwargs.get("buffer_size")
                buffer = int(np.asarray(size)) if np.ndim(size) == 0 else None
            return _Spy(result, self.steps if name in _NOT_A_STEP else self.steps + (label,), buffer)

        return step

    def __iter__(self):
        return iter(self.dataset)

    def __len__(self) -> int:
        return len(self.dataset)


def _build(make_ds: Any, x: Any, y: Any, name: str) -> tuple[_Spy | None, str | None]:
    """Call the student's ``make_ds`` on a spied source; return the spy it built, or a hint."""
    import tensorflow as tf

    if isinstance(make_ds, tf.data.Dataset):
        return None, (f"pass your function {name} itself (def {name}(source): ... return the pipeline), "
                      f"not the dataset it returns: the check calls it with its own source.")
    if not callable(make_ds):
        return None, f"pass your function {name} itself (its name, without brackets), not a {type(make_ds).__name__}."
    source = _Spy(tf.data.Dataset.from_tensor_slices((x, y)))
    try:
        built = make_ds(source)
    except Exception as err:  # a student's function may raise anything
        return None, (f"calling {name}(source) raised {type(err).__name__}: {err}. It receives the source "
                      f"dataset (from_tensor_slices((images, labels))) and returns the pipeline built on it.")
    if built is None:
        return None, f"{name} returned None: is a `return` missing?"
    if isinstance(built, tf.data.Dataset):
        return None, (f"{name} should build on the `source` it receives (source.cache()...), not on a "
                      f"dataset of its own: start from the argument.")
    if not isinstance(built, _Spy):
        return None, f"{name} should return a tf.data.Dataset built on `source`, got {type(built).__name__}."
    return built, None


def pipeline_steps(make_ds: Callable, x: Any, y: Any) -> list[str]:
    """The steps ``make_ds(source)`` applies to the source ``from_tensor_slices((x, y))``, e.g.
    ``["source", "cache", "shuffle", "batch", "map(random)", "prefetch"]``.

    A ``map`` whose function draws random numbers (an augmentation) is called
    ``"map(random)"``; ``with_options`` is left out. Raises ``TypeError``
    naming ``make_ds`` if it is not a function that builds on its source.
    """
    built, problem = _build(make_ds, x, y, "make_ds")
    if problem:
        raise TypeError(problem)
    return list(built.steps)


# --------------------------------------------------------------------------- the probe


def _arrow(steps: tuple[str, ...] | list[str]) -> str:
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


# --------------------------------------------------------------------------- the hints


def _structure_hint(ds: _Spy, name: str) -> Feedback | None:
    """A hint if the built pipeline is not a finite, batched dataset of (images, labels)."""
    import tensorflow as tf

    spec = ds.dataset.element_spec
    if not isinstance(spec, tuple) or len(spec) != 2:
        return hint(f"each element of {name}'s pipeline should be a pair (images, labels): let a map function "
                    f"return (images, labels).")
    if spec[0].shape.rank != 4:
        return hint(f"{name} gives single images (shape {spec[0].shape}), not batches: add .batch(...) "
                    "(a batch is N x height x width x channels).")
    if int(ds.dataset.cardinality()) == int(tf.data.INFINITE_CARDINALITY):
        return hint(f"{name}'s pipeline never ends (did you add .repeat()?): remove it, model.fit counts the "
                    f"epochs itself.")
    return None


def _train_order_hint(steps: tuple[str, ...]) -> Feedback | None:
    """A hint for the first step of the training pipeline that is missing or out of order."""
    shown = f" Your training pipeline: {_arrow(steps)}."
    if "map(random)" not in steps:
        extra = (" It has a map, but its function draws no random numbers: call the layers with training=True."
                 if "map" in steps else "")
        return hint(f"the training set is not augmented.{extra} Add {_MAP_HOW}.{shown}")
    aug = steps.index("map(random)")
    if "cache" not in steps:
        return hint(f"add .cache() as the first step (source.cache()): the original images are then kept in "
                    f"memory after the first epoch.{shown}")
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


def _test_hint(make_test_ds: Any, x_test: np.ndarray, y_test: np.ndarray) -> Feedback | None:
    built, problem = _build(make_test_ds, x_test, y_test, "make_test_ds")
    if problem:
        return hint(problem)
    feedback = _structure_hint(built, "make_test_ds")
    if feedback is not None:
        return feedback
    steps = built.steps
    shown = f" Your test pipeline: {_arrow(steps)}."
    if "map(random)" in steps:
        return hint(f"the test set is augmented: evaluate on the images as they are. Remove the augmentation "
                    f"map from make_test_ds (augment the training set only).{shown}")
    images = _images_of(built.dataset)
    reference = np.asarray(x_test, dtype=np.float32)
    if images.shape != reference.shape:
        return hint(f"one pass over the test pipeline should give every test image once ({len(reference)}), got "
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


def _arrays(name: str, value: Any, ndims: tuple[int, ...]) -> tuple[np.ndarray | None, Feedback | None]:
    if not isinstance(value, np.ndarray) or value.ndim not in ndims or len(value) == 0:
        return None, hint(f"pass {name} as the NumPy array of the exercise (data.{name}), got "
                          f"{type(value).__name__}{f' of shape {value.shape}' if isinstance(value, np.ndarray) else ''}.")
    return value, None


@never_crash
def check_pipeline(make_train_ds: Any, make_test_ds: Any, x_train: Any, y_train: Any, x_test: Any,
                   y_test: Any) -> Feedback:
    """Check the exercise's ``make_train_ds`` and ``make_test_ds``: call each with a spied source
    built from the arrays, read the steps, and measure what the pipelines deliver."""
    for name, value, ndims in (("x_train", x_train, (4,)), ("y_train", y_train, (1, 2)),
                               ("x_test", x_test, (4,)), ("y_test", y_test, (1, 2))):
        _, feedback = _arrays(name, value, ndims)
        if feedback is not None:
            return feedback
    if len(x_train) != len(y_train) or len(x_test) != len(y_test):
        return hint("give the images and labels of the same split: x_train with y_train, x_test with y_test.")
    train, problem = _build(make_train_ds, x_train, y_train, "make_train_ds")
    if problem:
        return hint(problem)
    feedback = _structure_hint(train, "make_train_ds")
    if feedback is not None:
        return feedback
    steps = train.steps
    feedback = _train_order_hint(steps)
    if feedback is not None:
        return feedback

    originals = np.asarray(x_train, dtype=np.float32)
    epoch1 = _images_of(train.dataset)
    epoch2 = _images_of(train.dataset)
    if len(epoch1) != len(originals):
        return hint(f"one epoch of the training pipeline should give every training image once ({len(originals)}), "
                    f"got {len(epoch1)}. Your training pipeline: {_arrow(steps)}.")
    if epoch1.shape == originals.shape and _share_identical(epoch1, originals) == 1.0:
        return hint("the training images come out unchanged: call the augmentation with training=True, and "
                    "check that its factors are not zero.")
    identical = _share_identical(epoch1, epoch2)
    if steps.index("map(random)") < steps.index("cache") or identical == 1.0:
        return hint(f"the augmentation comes before the cache, so the cache stores the first epoch's augmented "
                    f"images and replays them: measured, {identical:.0%} of the images are identical in epochs 1 "
                    f"and 2. Move .cache() before the augmentation: source -> cache -> shuffle -> batch "
                    f"-> map(augment) -> prefetch. Your training pipeline: {_arrow(steps)}.")
    if train.shuffle_buffer is not None and 0 < train.shuffle_buffer < len(originals):
        return hint(f"your shuffle buffer holds {train.shuffle_buffer} images but the training set has "
                    f"{len(originals)}: a small buffer only mixes neighbours. For data that fits in memory use "
                    f".shuffle(len(x_train)).")

    feedback = _test_hint(make_test_ds, x_test, y_test)
    if feedback is not None:
        return feedback
    fresh = ("no training image repeats between two epochs" if identical == 0.0
             else "the training images change from epoch to epoch")
    return correct(f"{_arrow(steps)}: the augmentation comes after the cache, so {fresh} (measured), and the test "
                   f"set is left alone.")
