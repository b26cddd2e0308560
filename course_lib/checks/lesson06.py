"""Feedback for the exercise of lesson 06: write a vectorised batch transform.

The student writes a function with the signature of a generator's batch step::

    new_images, labels = fn(images, labels, amounts)

``images`` is a uint8 batch ``N x H x W x C``, ``labels`` has one label per
image and ``amounts`` one whole number per image. Two transforms are checked
(``transform=``):

* ``"height_shift"`` (the default): image ``i`` moves **down** by
  ``amounts[i]`` rows (up when negative); the rows that move in from outside
  repeat the nearest edge row (``fill_mode="nearest"``);
* ``"brightness"``: ``amounts[i]`` grey levels are added to every pixel of
  image ``i``, the result clipped to ``0..255``.

The expected answers come from the course's one transform engine,
:func:`course_lib.transforms.apply_batch` (``height_shift`` by whole pixels,
which it moves exactly, and additive ``brightness`` on the 0..255 range); the
wrong answers the hints recognise (other axis, direction or fill) are the same
engine with other settings.

Either way the result must be a new uint8 batch of the same shape (the input
left untouched), with the labels in the same order as the images, computed for
the whole batch at once: no Python loop over the images.
:func:`check_batch_transform` runs the function on small test batches, says
what went wrong as precisely as it can, and never raises.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import transforms as T
from . import Feedback, correct, hint, never_crash

#: The transforms :func:`check_batch_transform` knows (the engine's names).
TRANSFORMS: tuple[str, ...] = ("height_shift", "brightness")
#: How many seconds a correct function may take on the timing batch, as a multiple of the reference.
SLOWER_THAN_REFERENCE = 25.0


# --------------------------------------------------------------------------- reference answers


def _shift_rows(images: np.ndarray, pixels: np.ndarray, *, axis: int = 1, fill: str = "nearest") -> np.ndarray:
    """Image ``i`` moved by ``pixels[i]`` whole pixels along ``axis`` (1: down, 2: right), the new pixels
    invented by ``fill`` (a :data:`course_lib.transforms.FILL_MODES` name): the engine's
    ``height_shift`` / ``width_shift``, exact for whole pixels."""
    name, key = ("height_shift", "dy") if axis == 1 else ("width_shift", "dx")
    fractions = np.asarray(pixels, dtype=np.float64) / images.shape[axis]
    return T.apply_batch(name, images, {key: fractions}, fill_mode=fill)


def reference_height_shift(images: np.ndarray, labels: np.ndarray,
                           pixels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The expected answer for ``"height_shift"``: the engine's ``height_shift`` by whole rows."""
    return _shift_rows(images, pixels), labels


def reference_brightness(images: np.ndarray, labels: np.ndarray,
                         deltas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The expected answer for ``"brightness"``: the engine's additive brightness, ``deltas[i]`` grey levels
    (a fraction ``deltas[i] / 255`` of the 0..255 range), clipped to 0..255."""
    fractions = np.asarray(deltas, dtype=np.float64) / 255.0
    return T.apply_batch("brightness", images, {"delta": fractions}, value_range=(0, 255)), labels


_REFERENCES: dict[str, Callable[..., tuple[np.ndarray, np.ndarray]]] = {
    "height_shift": reference_height_shift,
    "brightness": reference_brightness,
}


# --------------------------------------------------------------------------- test batches


def _test_case(transform: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A small batch (height != width, so the axes cannot be confused) with varied amounts."""
    rng = np.random.default_rng(6)
    images = rng.integers(0, 256, size=(6, 9, 7, 3), dtype=np.uint8)
    labels = np.array([3, 0, 7, 1, 9, 4])
    if transform == "height_shift":
        amounts = np.array([2, 0, -3, 1, 4, -1])
    else:
        amounts = np.array([60, 0, -90, 25, 120, -15])
    return images, labels, amounts


def _counting_batch(images: np.ndarray) -> tuple[np.ndarray, set[int]]:
    """A view of ``images`` that records which single images are taken out of it
    (``images[i]``, ``images[i, ...]``, ``for image in images``): a sign of a loop over images."""
    taken: set[int] = set()

    class CountingBatch(np.ndarray):
        def __getitem__(self, key):
            first = key[0] if isinstance(key, tuple) and key else key
            if isinstance(first, (int, np.integer)) and not isinstance(first, (bool, np.bool_)) and self.ndim == 4:
                taken.add(int(first))
            return super().__getitem__(key)

        def __iter__(self):
            if self.ndim == 4:
                taken.update(range(len(self)))
            return super().__iter__()

    return images.view(CountingBatch), taken


# --------------------------------------------------------------------------- diagnosis


def _permutation(out: np.ndarray, expected: np.ndarray) -> list[int] | None:
    """If ``out`` holds the expected images in another order, the position each came from."""
    order = []
    for image in out:
        matches = [j for j in range(len(expected)) if np.array_equal(image, expected[j])]
        if not matches:
            return None
        order.append(matches[0])
    return order


def _diagnose_shift(out: np.ndarray, images: np.ndarray, pixels: np.ndarray) -> str | None:
    variants = {
        "the images moved left/right instead of up/down: shift along axis 1 (the rows, height), "
        "not axis 2 (the columns)": _shift_rows(images, pixels, axis=2),
        "the images moved the wrong way: a positive amount moves an image DOWN (row r of the result "
        "shows row r - amount of the input)": _shift_rows(images, -pixels),
        "rows that leave at one edge come back at the other (np.roll wraps around): repeat the nearest "
        "edge row instead, e.g. clip the source row index to 0..height-1": _shift_rows(images, pixels, fill="wrap"),
        "the new rows are black (zeros): the task asks you to repeat the nearest edge row, e.g. by "
        "clipping the source row index to 0..height-1": _shift_rows(images, pixels, fill="constant"),
        "the new rows mirror the image: the task asks you to repeat the nearest edge row (clip the "
        "source row index to 0..height-1)": _shift_rows(images, pixels, fill="reflect"),
        "your shifts are one row too far: row r of the result should show row r - amount of the "
        "input": _shift_rows(images, pixels + np.sign(pixels)),
        "your shifts are one row short: row r of the result should show row r - amount of the "
        "input": _shift_rows(images, pixels - np.sign(pixels)),
    }
    for message, variant in variants.items():
        if np.array_equal(out, variant):
            return message
    for p in np.unique(pixels):
        if np.array_equal(out, _shift_rows(images, np.full_like(pixels, p))):
            return (f"every image moved by the same amount ({p}); image i must move by amounts[i]. "
                    "Build one source-row index per image, e.g. np.arange(height)[None, :] - amounts[:, None]")
    return None


def _diagnose_brightness(out: np.ndarray, images: np.ndarray, deltas: np.ndarray) -> str | None:
    wide = images.astype(np.int64) + deltas[:, None, None, None]
    if np.array_equal(out, wide.astype(np.uint8)):  # uint8 arithmetic wraps: 250 + 10 -> 4
        return ("some pixels wrapped around instead of stopping at 0 or 255 (uint8 arithmetic: "
                "250 + 10 gives 4). Add in a wider type (e.g. images.astype(np.int16)), clip to 0..255, "
                "then convert back with .astype(np.uint8)")
    if np.array_equal(out, np.clip(images.astype(np.int64) - deltas[:, None, None, None], 0, 255)):
        return "the images changed the wrong way: a positive amount makes an image brighter (add it)"
    for d in np.unique(deltas):
        if np.array_equal(out, np.clip(images.astype(np.int64) + d, 0, 255)):
            return (f"every image got the same change ({d}); image i must get amounts[i]. "
                    "Reshape the amounts so they broadcast per image: amounts[:, None, None, None]")
    return None


_DIAGNOSES = {"height_shift": _diagnose_shift, "brightness": _diagnose_brightness}


def _call(fn: Callable, images: np.ndarray, labels: np.ndarray, amounts: np.ndarray) -> tuple[Any, str | None]:
    """Call the student's function on copies; return its result or a hint about the exception."""
    try:
        return fn(images, labels.copy(), amounts.copy()), None
    except Exception as err:  # a student's function may raise anything
        return None, (f"calling your function as fn(images, labels, amounts) raised {type(err).__name__}: {err}. "
                      "It receives a uint8 batch N x H x W x C, N labels and N whole numbers.")


def _unpack(result: Any, images: np.ndarray) -> tuple[np.ndarray | None, Any, str | None]:
    if not isinstance(result, tuple) or len(result) != 2:
        what = "None (is a `return` missing?)" if result is None else type(result).__name__
        return None, None, f"return two things, `return new_images, labels`; your function returned {what}."
    out, labels = result
    if out is Ellipsis:
        return None, None, "replace the `...` placeholder with your new images, then run the cell again."
    if not isinstance(out, np.ndarray):
        return None, None, (f"the first thing returned should be the new images as a NumPy array, "
                            f"got {type(out).__name__}.")
    if out.dtype.kind not in "uif":
        return None, None, (f"the new images should hold pixel numbers (uint8), got an array of dtype {out.dtype}.")
    if out.shape != images.shape:
        return None, None, (f"the new images should keep the batch's shape {images.shape}, got {out.shape}. "
                            "A shift moves pixels inside the frame; it neither crops nor pads the image.")
    return np.asarray(out), labels, None


def _best_time(fn: Callable, args: tuple, repeats: int, clock: Callable[[], float] = time.perf_counter) -> float:
    """The fastest of ``repeats`` calls ``fn(*args)`` in seconds; stops early once a call took over a second."""
    best = float("inf")
    for _ in range(repeats):
        start = clock()
        fn(*args)
        best = min(best, clock() - start)
        if best > 1.0:
            break
    return best


@never_crash
def check_batch_transform(fn: Any, transform: str = "height_shift") -> Feedback:
    """Check a vectorised batch transform ``fn(images, labels, amounts) -> (new_images, labels)``.

    ``transform`` is ``"height_shift"`` or ``"brightness"`` (see the module
    docstring for what each must do). The hints name the first problem found:
    an exception, the wrong return value, shape or dtype, a changed input,
    labels out of order, the wrong axis or direction or fill, values wrapped
    around, one amount for every image, or a Python loop over the images.
    """
    if not isinstance(transform, str) or transform not in TRANSFORMS:
        return hint(f"transform must be one of {', '.join(repr(t) for t in TRANSFORMS)}; got {transform!r}.")
    if not callable(fn):
        return hint(f"pass your function itself (its name, without brackets), not a {type(fn).__name__}.")
    reference = _REFERENCES[transform]
    images, labels, amounts = _test_case(transform)
    original = images.copy()

    result, problem = _call(fn, images, labels, amounts)
    if problem:
        return hint(problem)
    out, returned_labels, problem = _unpack(result, images)
    if problem:
        return hint(problem)
    if not np.array_equal(images, original):
        return hint("your function changed the input batch in place; work on a copy (e.g. start from "
                    "images.astype(...) or np.take(...), which make new arrays) so the original images stay intact.")
    expected, _ = reference(original, labels, amounts)
    if out.dtype != np.uint8:
        if out.min() < 0 or out.max() > 255:
            return hint(f"the values run from {out.min()} to {out.max()}, outside 0..255, and the dtype changed "
                        f"to {out.dtype}: clip to 0..255 (np.clip) and return uint8 (.astype(np.uint8)).")
        if np.array_equal(out, expected):
            return hint(f"the values are right but the dtype changed from uint8 to {out.dtype}; "
                        "return .astype(np.uint8) so the batch stays compact and the model sees what it expects.")
        out = out.astype(np.uint8) if np.all(out == np.round(out)) else out
    if isinstance(returned_labels, (list, tuple)):
        returned_labels = np.asarray(returned_labels)
    if not isinstance(returned_labels, np.ndarray) or returned_labels.shape != labels.shape:
        return hint("return the labels as the array you were given (same length, same order) next to the images.")
    order = None if np.array_equal(out, expected) else _permutation(out, expected)
    if order is not None:
        if np.array_equal(returned_labels, labels[order]):
            return hint("images and labels still match but come back in a different order than they went in; "
                        "keep each image at its position (e.g. out[group] = ..., not np.concatenate of groups).")
        if np.array_equal(returned_labels, labels):
            return hint("your images come back in a different order than they went in, but the labels do not: "
                        "now image and label no longer match. Put each result back at its own position "
                        "(out[group] = ...) instead of concatenating the groups.")
    if not np.array_equal(returned_labels, labels):
        return hint("the labels came back changed or reordered; return the labels you were given, unchanged, "
                    "in the same order as the images.")
    if not np.array_equal(out, expected):
        if out.dtype != np.uint8:
            return hint(f"return uint8 images, got {out.dtype} with values that are not the expected ones.")
        if np.array_equal(out, original):
            return hint("your function returned the images unchanged; apply the change to each image by its amount.")
        known = _DIAGNOSES[transform](out, original, amounts)
        if known:
            return hint(known + ".")
        wrong = [i for i in range(len(out)) if not np.array_equal(out[i], expected[i])]
        return hint(f"{len(wrong)} of the {len(out)} test images differ from the expected result; the first is "
                    f"image {wrong[0]} (amount {amounts[wrong[0]]}). Try your function on one small image "
                    f"and compare it with what the task describes.")

    counting, taken = _counting_batch(original.copy())
    try:
        fn(counting, labels.copy(), amounts.copy())
    except Exception:  # a subclass can upset unusual code; skip this test rather than fail it
        taken.clear()
    if 2 * len(taken) >= len(original):
        return hint(f"the result is right, but your function takes the images out one at a time "
                    f"({len(taken)} of the {len(original)} test images): a Python loop over the images. "
                    f"Work on the whole batch at once with array operations (slicing, broadcasting, fancy indexing).")

    rng = np.random.default_rng(60)
    big = rng.integers(0, 256, size=(512, 32, 32, 3), dtype=np.uint8)
    big_labels = np.arange(512) % 10
    big_amounts = rng.integers(-4, 5, size=512) if transform == "height_shift" else rng.integers(-80, 81, size=512)
    reference_time = _best_time(reference, (big, big_labels, big_amounts), 3)
    try:
        yours = _best_time(fn, (big, big_labels, big_amounts), 2)
    except Exception as err:  # right on the small batch, but a bigger one breaks it
        return hint(f"your function is right on the small test batch but raised {type(err).__name__}: {err} on a "
                    f"batch of 512 images of 32 x 32: does it assume a particular size or number of images?")
    if yours > max(SLOWER_THAN_REFERENCE * reference_time, 0.05):
        return hint(f"the result is right, but slow: {yours * 1000:.0f} ms for 512 images where array "
                    f"operations take {reference_time * 1000:.1f} ms. Look for a Python loop (over images, rows "
                    f"or pixels) and replace it with operations on the whole batch.")
    what = "moves each image up or down by its own amount, repeating the edge row" if transform == "height_shift" \
        else "brightens or darkens each image by its own amount and clips to 0..255"
    return correct(f"your function {what}, for the whole batch at once, and keeps the labels in order.")
