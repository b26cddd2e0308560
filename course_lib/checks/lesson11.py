"""Feedback for the exercise of lesson 11: MixUp and CutMix for one pair of images, by hand.

The student writes two functions and passes each, as a function, to its check:

* ``mixup_pair(image_a, label_a, image_b, label_b, lam)``: returns
  ``(lam * image_a + (1 - lam) * image_b, lam * label_a + (1 - lam) * label_b)``
  as floats; labels are one-hot vectors;
* ``cutmix_pair(image_a, label_a, image_b, label_b, box)``: ``box = (y0, x0,
  y1, x1)`` like a slice (rows ``y0:y1``, columns ``x0:x1``); returns a copy of
  ``image_a`` whose box shows ``image_b`` there, and the label
  ``(1 - f) * label_a + f * label_b`` where ``f`` is the box's share of the
  image's pixels.

Each check calls the function on small made-up images (never the student's
data), compares with the reference, and names the first mistake it recognises.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import Feedback, correct, hint, never_crash

_ATOL = 1e-4
#: ``lam`` values the MixUp check tries; 0.7 first so swapping lam and 1 - lam shows.
_LAMBDAS: tuple[float, ...] = (0.7, 0.25, 1.0, 0.0)
#: ``(height, width, box)`` cases the CutMix check tries: non-square images and boxes, so x/y mix-ups show.
_BOXES: tuple[tuple[int, int, tuple[int, int, int, int]], ...] = (
    (6, 8, (1, 2, 4, 7)),
    (8, 8, (0, 0, 4, 4)),
    (6, 8, (2, 0, 6, 8)),
    (5, 7, (1, 1, 1, 5)),
)


def _pair(height: int = 4, width: int = 5, classes: int = 4, seed: int = 0):
    """Two uint8 images and their one-hot labels (classes 1 and 3)."""
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 256, size=(height, width, 3), dtype=np.uint8)
    b = rng.integers(0, 256, size=(height, width, 3), dtype=np.uint8)
    la, lb = np.eye(classes, dtype=np.float32)[[1, 3]]
    return a, la, b, lb


def _not_a_function(answer: Any, name: str) -> Feedback:
    if isinstance(answer, tuple):
        return hint(f"pass the function itself, `check_...({name})`, not the result of calling it.")
    return hint(f"`{name}` should be a function (def {name}(image_a, label_a, image_b, label_b, ...): ...), "
                f"got {type(answer).__name__}.")


def _unpack(result: Any, call: str, image_shape: tuple[int, ...], n_classes: int) -> tuple[Any, Any] | Feedback:
    """Split the student's ``(image, label)`` or return a hint about its form."""
    if result is Ellipsis:
        return hint("your function still returns `...`: return the pair (mixed_image, mixed_label).")
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        return hint(f"{call} returned a {type(result).__name__}; return TWO things, the image and the label: "
                    "`return image, label`.")
    if any(part is Ellipsis for part in result):
        return hint("your function still returns `...` for the image or the label: replace the `...` lines with "
                    "your code.")
    image, label = (np.asarray(part) for part in result)
    if image.dtype.kind not in "uif" or label.dtype.kind not in "uif":
        return hint(f"{call} returned something that is not numbers (dtypes {image.dtype}, {label.dtype}); "
                    "return two NumPy arrays.")
    if image.shape != image_shape:
        return hint(f"{call} returned an image of shape {image.shape}; it should keep the input's shape "
                    f"{image_shape}. (Is the order `return image, label`?)")
    if label.shape != (n_classes,):
        return hint(f"{call} returned a label of shape {label.shape}; it should be a vector of {n_classes} class "
                    "weights, like label_a.")
    return image.astype(np.float64), label.astype(np.float64)


def _same(x: np.ndarray, y: np.ndarray, atol: float = _ATOL) -> bool:
    return x.shape == y.shape and bool(np.allclose(x, y, atol=atol))


def _call(func: Callable, call: str, args: tuple[Any, ...], advice: str) -> tuple[Any, Feedback | None]:
    """Run the student's function on copies of ``args``; a hint if it raises, exits or changes its inputs."""
    inputs = tuple(np.array(arg, copy=True) if isinstance(arg, np.ndarray) else arg for arg in args)
    try:
        result = func(*inputs)
    except SystemExit:  # exit() or sys.exit() in the student's function
        return None, hint(f"{call} called exit() (SystemExit). A function hands back its result with `return`; "
                          "it should never stop Python.")
    except Exception as err:  # the student's code, whatever it raises
        return None, hint(f"{call} raised {type(err).__name__}: {err}. {advice}")
    for name, given, kept in zip(("image_a", "label_a", "image_b", "label_b"), inputs, args):
        if isinstance(kept, np.ndarray) and not np.array_equal(given, kept):
            return None, hint(f"{call} changed the caller's {name} in place; build a new array instead "
                              f"(e.g. start from {name}.copy() or {name}.astype(np.float32)).")
    return result, None


@never_crash
def check_mixup_pair(mixup_pair: Any) -> Feedback:
    """Check ``mixup_pair(image_a, label_a, image_b, label_b, lam) -> (image, label)``."""
    if not callable(mixup_pair):
        return _not_a_function(mixup_pair, "mixup_pair")
    a, la, b, lb = _pair()
    fa, fb = a.astype(np.float64), b.astype(np.float64)
    for lam in _LAMBDAS:
        call = f"mixup_pair(image_a, label_a, image_b, label_b, lam={lam})"
        result, problem = _call(mixup_pair, call, (a, la, b, lb, lam),
                                "The images are uint8 arrays (H, W, 3), the labels one-hot float vectors, lam a float.")
        if problem is not None:
            return problem
        unpacked = _unpack(result, call, a.shape, len(la))
        if isinstance(unpacked, Feedback):
            return unpacked
        image, label = unpacked
        want_image, want_label = lam * fa + (1 - lam) * fb, lam * la + (1 - lam) * lb
        if not _same(image, want_image):
            if _same(image, (1 - lam) * fa + lam * fb):
                return hint(f"{call}: your image has {lam} of image_b in it. lam is the weight of image_a: "
                            "lam * image_a + (1 - lam) * image_b.")
            if _same(image, np.floor(want_image), atol=1.0) and not _same(image, want_image, atol=1e-3):
                return hint(f"{call}: the image is right only up to rounding; keep it as floats (do not convert "
                            "back to uint8): a mixed pixel like 127.5 is a valid training input.")
            wrapped = (b - a).astype(np.float64), (a - b).astype(np.float64)  # uint8 differences wrap around
            if _same(image, fa + (1 - lam) * wrapped[0]) or _same(image, fb + lam * wrapped[1]):
                return hint(f"{call}: your image subtracts one uint8 image from the other, and uint8 arithmetic "
                            "wraps around (3 - 5 is 254). Convert to floats first (image_a.astype(np.float32)), or "
                            "write lam * image_a + (1 - lam) * image_b.")
            if _same(image, (fa + fb) / 2):
                return hint(f"{call}: that is the plain average of the two images; weight them with lam and "
                            "1 - lam.")
            return hint(f"{call}: the image should be lam * image_a + (1 - lam) * image_b, pixel by pixel "
                        f"(its first pixel would be {want_image[0, 0].round(2).tolist()}, yours is "
                        f"{image[0, 0].round(2).tolist()}).")
        if not _same(label, want_label):
            if _same(label, la) or _same(label, lb):
                return hint(f"{call}: the image is mixed but the label is still one image's one-hot vector. "
                            "MixUp mixes the labels with the same lam: lam * label_a + (1 - lam) * label_b.")
            if _same(label, (1 - lam) * la + lam * lb):
                return hint(f"{call}: the label gives {lam} to label_b; it should match the image, lam for "
                            "label_a and 1 - lam for label_b.")
            return hint(f"{call}: the label should be lam * label_a + (1 - lam) * label_b = "
                        f"{want_label.round(3).tolist()}, got {label.round(3).tolist()}.")
    return correct("one lam mixes both: the image becomes lam * image_a + (1 - lam) * image_b and the label "
                   "lam * label_a + (1 - lam) * label_b, a soft label that still sums to 1.")


def _reference_cutmix(a: np.ndarray, la: np.ndarray, b: np.ndarray, lb: np.ndarray,
                      box: tuple[int, int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    y0, x0, y1, x1 = box
    image = a.astype(np.float64)
    image[y0:y1, x0:x1] = b[y0:y1, x0:x1]
    share = (y1 - y0) * (x1 - x0) / (a.shape[0] * a.shape[1])
    return image, (1 - share) * la + share * lb


def _cutmix_image_hint(image: np.ndarray, call: str, a: np.ndarray, b: np.ndarray,
                       box: tuple[int, int, int, int]) -> Feedback:
    y0, x0, y1, x1 = box
    pasted_into_b = b.astype(np.float64)
    pasted_into_b[y0:y1, x0:x1] = a[y0:y1, x0:x1]
    if _same(image, pasted_into_b):
        return hint(f"{call}: you pasted image_a's box into image_b. image_a is the base picture; the box shows "
                    "image_b: out = image_a.copy(); out[y0:y1, x0:x1] = image_b[y0:y1, x0:x1].")
    if _same(image, a.astype(np.float64)):
        return hint(f"{call}: the image is unchanged image_a; copy image_b's pixels into rows y0:y1 and columns "
                    "x0:x1.")
    inclusive = a.astype(np.float64)
    inclusive[y0:y1 + 1, x0:x1 + 1] = b[y0:y1 + 1, x0:x1 + 1]
    if _same(image, inclusive):
        return hint(f"{call}: your box is one row and one column too big. Like every Python slice, rows y0:y1 "
                    "stop before row y1: out[y0:y1, x0:x1] = image_b[y0:y1, x0:x1].")
    inside = np.zeros(a.shape[:2], dtype=bool)
    inside[y0:y1, x0:x1] = True
    if _same(image[~inside], a[~inside].astype(np.float64)):
        return hint(f"{call}: outside the box the image is right, but inside it should be image_b's pixels from "
                    "the SAME place, image_b[y0:y1, x0:x1].")
    return hint(f"{call}: the image should be image_a except rows y0:y1, columns x0:x1 (box = (y0, x0, y1, x1)), "
                "which come from image_b. Rows are the first index, columns the second.")


@never_crash
def check_cutmix_pair(cutmix_pair: Any) -> Feedback:
    """Check ``cutmix_pair(image_a, label_a, image_b, label_b, box) -> (image, label)``."""
    if not callable(cutmix_pair):
        return _not_a_function(cutmix_pair, "cutmix_pair")
    for height, width, box in _BOXES:
        a, la, b, lb = _pair(height, width, seed=height * width)
        call = f"cutmix_pair(image_a, label_a, image_b, label_b, box={box}) on {height} x {width} images"
        result, problem = _call(cutmix_pair, call, (a, la, b, lb, box),
                                "box is a tuple (y0, x0, y1, x1) of ints.")
        if problem is not None:
            return problem
        unpacked = _unpack(result, call, a.shape, len(la))
        if isinstance(unpacked, Feedback):
            return unpacked
        image, label = unpacked
        want_image, want_label = _reference_cutmix(a, la, b, lb, box)
        if not _same(image, want_image):
            return _cutmix_image_hint(image, call, a, b, box)
        if not _same(label, want_label):
            y0, x0, y1, x1 = box
            share = (y1 - y0) * (x1 - x0) / (height * width)
            if _same(label, la) or _same(label, lb):
                return hint(f"{call}: the label is one image's one-hot vector. Mix it by area: "
                            "(1 - share) * label_a + share * label_b, share = box pixels / all pixels.")
            if _same(label, share * la + (1 - share) * lb):
                return hint(f"{call}: the weights are swapped. The box shows image_b, so label_b gets the box's "
                            f"share of the pixels ({share:.3f} here) and label_a the rest.")
            side = (y1 - y0) / height
            if _same(label, (1 - side) * la + side * lb) or _same(
                    label, (1 - (x1 - x0) / width) * la + (x1 - x0) / width * lb):
                return hint(f"{call}: the share should be the box's AREA, (y1 - y0) * (x1 - x0) / (H * W), not "
                            "one side's fraction.")
            return hint(f"{call}: the label should be {want_label.round(3).tolist()} (the box covers "
                        f"{share:.3f} of the pixels), got {label.round(3).tolist()}.")
    return correct("CutMix pastes image_b's box into a copy of image_a and weights label_b by the box's share of "
                   "the pixels, label_a by the rest.")


def reference_functions() -> tuple[Callable, Callable]:
    """The reference ``(mixup_pair, cutmix_pair)``, for tests and instructors."""
    def mixup_pair(image_a, label_a, image_b, label_b, lam):
        return (lam * np.asarray(image_a, np.float64) + (1 - lam) * np.asarray(image_b, np.float64),
                lam * np.asarray(label_a) + (1 - lam) * np.asarray(label_b))

    def cutmix_pair(image_a, label_a, image_b, label_b, box):
        return _reference_cutmix(np.asarray(image_a), np.asarray(label_a), np.asarray(image_b),
                                 np.asarray(label_b), box)

    return mixup_pair, cutmix_pair
