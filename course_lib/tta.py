"""Test-time augmentation (TTA): average a model's predictions over transformed copies.

At test time the model sees each image several times, e.g. as it is, mirrored
left-right, and moved a couple of pixels, and the class probabilities of the
copies are averaged. The copies are *deterministic* (no randomness), so the
answer is the same on every run. Only use transforms that keep the label (a
mirrored cat is still a cat) and that the model met during training.

Named copies (see :data:`TRANSFORMS`): ``"identity"``, ``"flip"`` (horizontal
mirror) and ``"shift_left"``, ``"shift_right"``, ``"shift_up"``,
``"shift_down"`` (by ``shift_pixels``, the uncovered border filled by
reflection like the Keras layers do). A transform may also be any function
that takes a batch ``(N, H, W, C)`` and returns a batch of the same shape.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Union

import numpy as np

from . import _validate

#: The transform names :func:`predict_tta` understands, in their usual order.
TRANSFORMS: tuple[str, ...] = ("identity", "flip", "shift_left", "shift_right", "shift_up", "shift_down")
#: What :func:`predict_tta` uses when ``transforms`` is not given: every named copy.
DEFAULT_TRANSFORMS: tuple[str, ...] = TRANSFORMS

Transform = Union[str, Callable[[np.ndarray], np.ndarray]]

_SHIFTS = {"shift_left": (0, -1), "shift_right": (0, 1), "shift_up": (-1, 0), "shift_down": (1, 0)}


def flip_horizontal(images: np.ndarray) -> np.ndarray:
    """Mirror a batch ``(N, H, W, C)`` left-right."""
    images = _validate.array("images", images, ndims=(4,))
    return images[:, :, ::-1, :].copy()


def shift(images: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """Move a batch ``(N, H, W, C)`` by ``dy`` rows (down if positive) and ``dx``
    columns (right if positive); the uncovered border is filled by reflection."""
    images = _validate.array("images", images, ndims=(4,))
    height, width = images.shape[1:3]
    dy = _validate.integer("dy", dy, minimum=-(height - 1), maximum=height - 1)
    dx = _validate.integer("dx", dx, minimum=-(width - 1), maximum=width - 1)
    pad = ((0, 0), (max(dy, 0), max(-dy, 0)), (max(dx, 0), max(-dx, 0)), (0, 0))
    padded = np.pad(images, pad, mode="reflect")
    top, left = max(-dy, 0), max(-dx, 0)
    return padded[:, top:top + height, left:left + width, :].copy()


def _resolve(transforms: Sequence[Transform] | None, shift_pixels: int) -> list[tuple[str, Callable]]:
    """Turn names and functions into ``(label, function)`` pairs, or raise naming ``transforms``."""
    if transforms is None:
        transforms = DEFAULT_TRANSFORMS
    if isinstance(transforms, (str, bytes)) or not isinstance(transforms, Sequence):
        raise TypeError(
            f"transforms must be a list of names from {TRANSFORMS} and/or functions, "
            f"got {type(transforms).__name__} {transforms!r}"
        )
    if not transforms:
        raise ValueError("transforms must not be empty; use ['identity'] for plain prediction")
    resolved: list[tuple[str, Callable]] = []
    for item in transforms:
        if isinstance(item, str):
            if item == "identity":
                resolved.append((item, lambda images: images))
            elif item == "flip":
                resolved.append((item, flip_horizontal))
            elif item in _SHIFTS:
                sy, sx = _SHIFTS[item]
                resolved.append((item, lambda images, sy=sy, sx=sx: shift(images, sy * shift_pixels, sx * shift_pixels)))
            else:
                raise ValueError(f"transforms has an unknown name {item!r}; choose from {TRANSFORMS}")
        elif callable(item):
            resolved.append((getattr(item, "__name__", type(item).__name__), item))
        else:
            raise TypeError(f"transforms must hold names or functions, got {type(item).__name__} {item!r}")
    return resolved


def _check_model(model) -> None:
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")


def predict_copies(
    model,
    x: np.ndarray,
    *,
    transforms: Sequence[Transform] | None = None,
    batch_size: int = 256,
    shift_pixels: int = 2,
) -> np.ndarray:
    """The model's probabilities for each transformed copy of ``x``.

    Returns an array ``(n_transforms, N, n_classes)``: entry ``k`` is
    ``model.predict(transforms[k](x))``. :func:`predict_tta` is its mean over
    the first axis.
    """
    _check_model(model)
    import tensorflow as tf

    x = _validate.array("x", x, ndims=(4,))
    batch_size = _validate.integer("batch_size", batch_size, minimum=1)
    shift_pixels = _validate.integer("shift_pixels", shift_pixels, minimum=1, maximum=min(x.shape[1:3]) - 1)
    outputs = []
    for label, func in _resolve(transforms, shift_pixels):
        copy = np.asarray(func(x))
        if copy.shape != x.shape:
            raise ValueError(f"transforms: {label!r} changed the batch shape from {x.shape} to {copy.shape}")
        # A tf.data input: model.predict on a NumPy array makes TF 2.21 print a harmless C++ log line.
        batches = tf.data.Dataset.from_tensor_slices(copy.astype(np.float32)).batch(batch_size)
        probs = np.asarray(model.predict(batches, verbose=0))
        if probs.ndim != 2 or len(probs) != len(x):
            raise ValueError(f"model must return one probability vector per image, got shape {probs.shape}")
        outputs.append(probs.astype(np.float64))
    return np.stack(outputs)


def predict_tta(
    model,
    x: np.ndarray,
    *,
    transforms: Sequence[Transform] | None = None,
    batch_size: int = 256,
    shift_pixels: int = 2,
) -> np.ndarray:
    """Class probabilities ``(N, n_classes)`` averaged over the transformed copies of ``x``.

    ``transforms``: names from :data:`TRANSFORMS` and/or functions on a batch
    (default: all named copies). With ``["identity"]`` this is plain
    ``model.predict``. ``shift_pixels`` is how far the ``shift_*`` copies move.
    """
    return predict_copies(model, x, transforms=transforms, batch_size=batch_size,
                          shift_pixels=shift_pixels).mean(axis=0)


def evaluate_tta(
    model,
    x: np.ndarray,
    y: np.ndarray,
    *,
    transforms: Sequence[Transform] | None = None,
    batch_size: int = 256,
    shift_pixels: int = 2,
) -> float:
    """Accuracy of the TTA prediction (:func:`predict_tta`) against integer labels ``y``."""
    x = _validate.array("x", x, ndims=(4,))
    y = _validate.labels("y", y, n=len(x))
    probs = predict_tta(model, x, transforms=transforms, batch_size=batch_size, shift_pixels=shift_pixels)
    if y.max() >= probs.shape[1]:
        raise ValueError(f"y must be class indices in 0..{probs.shape[1] - 1}, got up to {y.max()}")
    return float(np.mean(probs.argmax(axis=1) == y))
