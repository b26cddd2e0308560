"""The course's own augmenting data generator: a ``keras.utils.PyDataset``.

In the spirit of J. Galef's CIFAR-10 experiment ("Improving Image
Classification with Data Augmentation"), every image of a batch gets **one**
transform, chosen at random, at a random intensity. The choices are the seven
transforms of :data:`TRANSFORMS` plus ``"identity"`` (leave the image alone):

=====================  ==========================================  ==================
name                   what an intensity ``t`` does                default maximum
=====================  ==========================================  ==================
``rotation``           turn by ``t`` degrees (``t > 0``: counter-   20 (degrees)
                       clockwise) about the centre, bilinear
``horizontal_flip``    mirror left-right; ``t`` is ignored          (none)
``shift_left_right``   move by ``round(t * width)`` pixels          0.15 (of the width)
                       (``t > 0``: to the right)
``shift_up_down``      move by ``round(t * height)`` pixels         0.15 (of the height)
                       (``t > 0``: down)
``sharpen``            ``x + t * (x - box3x3(x))``: an unsharp      1.0
                       mask with a 3 x 3 box blur (``t >= 0``)
``contrast``           ``mean + (x - mean) * (1 + t)`` per image    0.5
                       and channel: the spread is scaled by
                       ``1 + t``, the mean kept
``brightness``         ``x + 255 * t``: the mean moves by           0.25 (of 255)
                       ``255 * t``
=====================  ==========================================  ==================

Intensities are drawn uniformly from ``-max..+max`` (``0..max`` for
``sharpen``). Intensity 0 is the identity for every transform except
``horizontal_flip``, which always mirrors. Geometric transforms invent the
pixels that move in from outside the image with ``fill_mode`` (``"nearest"``
repeats the edge, ``"reflect"`` mirrors at the edge, ``"constant"`` fills with
0). Every result is clipped to ``0..255``.

Everything is **vectorised over the batch**: the images are grouped by their
chosen transform and each transform is applied to its whole group with NumPy
array operations (slicing, index arithmetic, one gather per bilinear corner),
never a Python loop over images.

Public API (stable; lesson 05 and ``benchmarks/`` import it):

* :class:`AugmentingSequence` - the ``PyDataset`` that ``model.fit`` consumes
  (``seq[i]`` gives ``(x, y)``; ``seq.augmented_batch(i)`` an :class:`AugmentedBatch`
  that also says which transform and intensity each image got);
* :func:`apply_transform` - one named transform on a batch at given intensities;
* :func:`describe_transform` - a short human label such as ``"rotation +12°"``;
* :data:`TRANSFORMS`, :data:`CHOICES`, :data:`DEFAULT_MAX_INTENSITY`,
  :data:`INTENSITY_LIMITS`, :data:`FILL_MODES`.

To measure how many images per second the generator delivers, make every
batch of an epoch in a loop (no model involved)::

    seq = AugmentingSequence(x, y, batch_size=64, seed=0)
    start = time.perf_counter()
    for i in range(len(seq)):
        seq[i]
    images_per_second = len(x) / (time.perf_counter() - start)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

from . import _validate

#: The seven transforms, in the order the generator numbers them (1..7; 0 is identity).
TRANSFORMS: tuple[str, ...] = (
    "rotation", "horizontal_flip", "shift_left_right", "shift_up_down", "sharpen", "contrast", "brightness",
)
#: Everything an image can get: ``"identity"`` and the seven transforms.
CHOICES: tuple[str, ...] = ("identity",) + TRANSFORMS
#: The largest intensity drawn for each transform unless ``max_intensity`` says otherwise.
DEFAULT_MAX_INTENSITY: dict[str, float] = {
    "rotation": 20.0, "horizontal_flip": 1.0, "shift_left_right": 0.15, "shift_up_down": 0.15,
    "sharpen": 1.0, "contrast": 0.5, "brightness": 0.25,
}
#: The largest ``max_intensity`` each transform accepts (its units are in the module docstring).
INTENSITY_LIMITS: dict[str, float] = {
    "rotation": 180.0, "horizontal_flip": 1.0, "shift_left_right": 1.0, "shift_up_down": 1.0,
    "sharpen": 5.0, "contrast": 1.0, "brightness": 1.0,
}
#: How rotation and the shifts invent pixels that come from outside the image.
FILL_MODES: tuple[str, ...] = ("nearest", "reflect", "constant")
#: Transforms whose intensity is drawn from ``0..max`` rather than ``-max..max``.
_ONE_SIDED = frozenset({"sharpen"})


class AugmentedBatch(NamedTuple):
    """One batch with what was done to it: ``transforms[i]`` and ``intensities[i]``
    are the choice and the intensity image ``i`` got (``y`` is None without labels)."""

    x: np.ndarray
    y: np.ndarray | None
    transforms: tuple[str, ...]
    intensities: np.ndarray


# --------------------------------------------------------------------------- checks


def _check_images(images: Any, name: str = "images") -> np.ndarray:
    images = _validate.array(name, images, ndims=(4,))
    if images.shape[1] < 1 or images.shape[2] < 1 or images.shape[3] < 1:
        raise ValueError(f"{name} must be N x H x W x C with H, W, C >= 1, got shape {images.shape}")
    return images


def _check_name(name: Any) -> str:
    if not isinstance(name, str):
        raise TypeError(f"name must be a transform name (str), got {type(name).__name__}")
    return _validate.one_of("name", name, CHOICES)


def _check_fill_mode(fill_mode: Any) -> str:
    return _validate.one_of("fill_mode", fill_mode, FILL_MODES)


def _check_intensities(intensities: Any, n: int) -> np.ndarray:
    if isinstance(intensities, (bool, np.bool_)):
        raise TypeError(f"intensities must be a number or one number per image, got {intensities!r}")
    try:
        values = np.asarray(intensities, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"intensities must be a number or one number per image, "
                        f"got {type(intensities).__name__}") from None
    if values.ndim == 0:
        values = np.full(n, float(values))
    if values.shape != (n,):
        raise ValueError(f"intensities must be one number or {n} numbers (one per image), got shape {values.shape}")
    if not np.all(np.isfinite(values)):
        raise ValueError("intensities must be finite numbers")
    return values


def _check_max_intensity(max_intensity: Any) -> dict[str, float]:
    if max_intensity is None:
        return dict(DEFAULT_MAX_INTENSITY)
    if not isinstance(max_intensity, Mapping):
        raise TypeError(f"max_intensity must be a dict from transform name to number, "
                        f"got {type(max_intensity).__name__}")
    out = dict(DEFAULT_MAX_INTENSITY)
    for key, value in max_intensity.items():
        if key not in TRANSFORMS:
            raise ValueError(f"max_intensity has an unknown transform {key!r}; choose from {list(TRANSFORMS)}")
        out[key] = _validate.number(f"max_intensity[{key!r}]", value, minimum=0.0, maximum=INTENSITY_LIMITS[key])
    return out


def _check_transforms(transforms: Any) -> tuple[str, ...]:
    if transforms is None:
        return TRANSFORMS
    if isinstance(transforms, (str, bytes)) or not isinstance(transforms, Sequence):
        raise TypeError(f"transforms must be a list of transform names (e.g. ['rotation', 'brightness']), "
                        f"got {transforms!r}")
    for t in transforms:
        if t not in TRANSFORMS:
            raise ValueError(f"transforms has an unknown transform {t!r}; choose from {list(TRANSFORMS)}")
    if len(set(transforms)) != len(transforms):
        raise ValueError(f"transforms must not repeat a transform, got {list(transforms)}")
    return tuple(transforms)


def _check_bool(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return value


# --------------------------------------------------------------------------- the transforms (batch in, batch out)


def _fold(index: np.ndarray, size: int, fill_mode: str) -> tuple[np.ndarray, np.ndarray | None]:
    """Map integer source indices into ``0..size-1``; for ``"constant"`` also return which were inside."""
    if fill_mode == "reflect":  # d c b a | a b c d | d c b a
        folded = np.mod(index, 2 * size)
        return np.where(folded >= size, 2 * size - 1 - folded, folded), None
    inside = (index >= 0) & (index < size) if fill_mode == "constant" else None
    return np.clip(index, 0, size - 1), inside


def _flip(x: np.ndarray) -> np.ndarray:
    return x[:, :, ::-1, :].copy()


def _gather(x: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``out[i, r, c] = x[i, rows[i, r, c], cols[i, r, c]]`` as one ``np.take`` on the flattened batch."""
    n, h, w, c = x.shape
    flat = x.reshape(n * h * w, c)
    index = (np.arange(n) * (h * w))[:, None, None] + rows * w + cols
    return np.take(flat, index, axis=0)


def _shift(x: np.ndarray, pixels: np.ndarray, axis: int, fill_mode: str) -> np.ndarray:
    """Move image ``i`` by ``pixels[i]`` along ``axis`` (1 = rows, down; 2 = columns, right)."""
    n, h, w, _ = x.shape
    size = x.shape[axis]
    source, inside = _fold(np.arange(size)[None, :] - pixels[:, None], size, fill_mode)  # n x size
    if axis == 1:
        rows, cols = np.broadcast_to(source[:, :, None], (n, h, w)), np.arange(w)[None, None, :]
    else:
        rows, cols = np.arange(h)[None, :, None], np.broadcast_to(source[:, None, :], (n, h, w))
    out = _gather(x, rows, cols)
    if inside is not None:
        keep = inside[:, :, None, None] if axis == 1 else inside[:, None, :, None]
        out = np.where(keep, out, np.float32(0))
    return out


def _rotate(x: np.ndarray, degrees: np.ndarray, fill_mode: str) -> np.ndarray:
    """Turn image ``i`` by ``degrees[i]`` counter-clockwise about its centre: one bilinear gather per corner."""
    n, h, w, _ = x.shape
    theta = np.deg2rad(degrees).astype(np.float32)[:, None, None]
    cos, sin = np.cos(theta), np.sin(theta)
    cy, cx = np.float32((h - 1) / 2.0), np.float32((w - 1) / 2.0)
    dy = cy - np.arange(h, dtype=np.float32)[None, :, None]  # up is positive
    dx = np.arange(w, dtype=np.float32)[None, None, :] - cx
    # the output pixel at (dx, dy) shows the input pixel at R(-theta) @ (dx, dy)
    src_col = cx + cos * dx + sin * dy
    src_row = cy + sin * dx - cos * dy
    if fill_mode == "nearest":  # repeating the edge = reading at the clipped position
        np.clip(src_row, 0, h - 1, out=src_row)
        np.clip(src_col, 0, w - 1, out=src_col)
    r0, c0 = np.floor(src_row), np.floor(src_col)
    # weights repeated over the channels: NumPy multiplies equal shapes much faster than it broadcasts a last axis of 1
    fr = np.repeat((src_row - r0)[..., None], x.shape[3], axis=3)
    fc = np.repeat((src_col - c0)[..., None], x.shape[3], axis=3)
    r0, c0 = r0.astype(np.intp), c0.astype(np.intp)
    if fill_mode == "nearest":
        rows = [(r0, None), (np.minimum(r0 + 1, h - 1), None)]
        cols = [(c0, None), (np.minimum(c0 + 1, w - 1), None)]
    else:
        rows = [_fold(r0, h, fill_mode), _fold(r0 + 1, h, fill_mode)]
        cols = [_fold(c0, w, fill_mode), _fold(c0 + 1, w, fill_mode)]

    def corner(i: int, j: int) -> np.ndarray:
        (r, rin), (c, cin) = rows[i], cols[j]
        values = _gather(x, r, c)
        if rin is not None:
            values = np.where((rin & cin)[..., None], values, np.float32(0))
        return values

    c00, c01, c10, c11 = corner(0, 0), corner(0, 1), corner(1, 0), corner(1, 1)
    top = c00 + (c01 - c00) * fc
    bottom = c10 + (c11 - c10) * fc
    return top + (bottom - top) * fr


def _sharpen(x: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """Unsharp mask: ``x + amount * (x - box3x3(x))``; the 3 x 3 box blur is summed from shifted views
    of the edge-padded batch, first along rows, then along columns."""
    h, w = x.shape[1:3]
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)), mode="edge")
    rows = padded[:, 0:h] + padded[:, 1:h + 1] + padded[:, 2:h + 2]
    box = (rows[:, :, 0:w] + rows[:, :, 1:w + 1] + rows[:, :, 2:w + 2]) * np.float32(1 / 9)
    return x + amount[:, None, None, None].astype(np.float32) * (x - box)


def _channel_means(x: np.ndarray) -> np.ndarray:
    """The mean of each image's channels, ``N x 1 x 1 x C`` (a matrix product: faster than ``mean``)."""
    n, h, w, c = x.shape
    weights = np.full(h * w, 1.0 / (h * w), dtype=np.float32)
    return np.matmul(weights, x.reshape(n, h * w, c))[:, None, None, :]


def _contrast(x: np.ndarray, change: np.ndarray) -> np.ndarray:
    mean = np.tile(_channel_means(x), (1, 1, x.shape[2], 1))  # N x 1 x W x C: a long inner loop when broadcast
    return mean + (x - mean) * (1.0 + change[:, None, None, None]).astype(np.float32)


def _brightness(x: np.ndarray, change: np.ndarray) -> np.ndarray:
    return x + (255.0 * change[:, None, None, None]).astype(np.float32)


def _apply(x: np.ndarray, name: str, t: np.ndarray, fill_mode: str) -> np.ndarray:
    """Apply ``name`` to a float32 batch ``x`` (already validated); clip to 0..255."""
    if name == "identity":
        out = x.copy()
    elif name == "horizontal_flip":
        out = _flip(x)
    elif name == "shift_left_right":
        out = _shift(x, np.rint(t * x.shape[2]).astype(np.intp), 2, fill_mode)
    elif name == "shift_up_down":
        out = _shift(x, np.rint(t * x.shape[1]).astype(np.intp), 1, fill_mode)
    elif name == "rotation":
        out = _rotate(x, t, fill_mode)
    elif name == "sharpen":
        out = _sharpen(x, t)
    elif name == "contrast":
        out = _contrast(x, t)
    else:  # brightness
        out = _brightness(x, t)
    return np.clip(out, 0.0, 255.0, out=out)


def apply_transform(images: np.ndarray, name: str, intensities: float | Sequence[float] | np.ndarray,
                    *, fill_mode: str = "nearest") -> np.ndarray:
    """Apply the transform ``name`` to a whole batch at once.

    ``images`` is ``N x H x W x C`` on the 0..255 scale (uint8 or float);
    ``intensities`` is one number for all images or one per image, in the
    units of the module docstring's table (degrees for ``rotation``, a
    fraction of the size for the shifts, ...). ``name`` is one of
    :data:`CHOICES`. Returns a new float32 batch of the same shape, clipped
    to 0..255. Intensities beyond the usual maxima are allowed here (only
    :class:`AugmentingSequence` limits them), but ``sharpen`` must not be
    negative and ``contrast`` not below -1.
    """
    images = _check_images(images)
    name = _check_name(name)
    fill_mode = _check_fill_mode(fill_mode)
    t = _check_intensities(intensities, len(images))
    if name == "sharpen" and t.min() < 0:
        raise ValueError(f"intensities for sharpen must be >= 0, got {t.min():g}")
    if name == "contrast" and t.min() < -1:
        raise ValueError(f"intensities for contrast must be >= -1 (a factor 1 + t >= 0), got {t.min():g}")
    return _apply(images.astype(np.float32), name, t, fill_mode)


def describe_transform(name: str, intensity: float) -> str:
    """A short label for a gallery title, e.g. ``"rotation +12°"`` or ``"brightness -0.10"``."""
    name = _check_name(name)
    intensity = _validate.number("intensity", intensity)
    if name in ("identity", "horizontal_flip"):
        return name
    if name == "rotation":
        return f"rotation {round(intensity) + 0:+d}°"
    return f"{name} {round(intensity, 2) + 0.0:+.2f}"  # + 0.0 turns -0.0 into 0.0


# --------------------------------------------------------------------------- the PyDataset


def _pydataset_base():
    """``keras.utils.PyDataset``, imported quietly (TensorFlow's start-up lines hidden)."""
    from .reproducibility import import_tensorflow

    import_tensorflow()
    import keras

    return keras.utils.PyDataset


class AugmentingSequence(_pydataset_base()):  # type: ignore[misc]
    """A ``keras.utils.PyDataset`` of augmented batches for ``model.fit``.

    Each image of a batch gets one of :data:`CHOICES` (``"identity"`` plus
    the ``transforms`` asked for, each equally likely) at an intensity drawn
    uniformly from ``-max..max`` (``0..max`` for ``sharpen``), where the
    maxima are :data:`DEFAULT_MAX_INTENSITY` updated by ``max_intensity``.

    * Batches are float32 on the 0..255 scale (the course CNN rescales
      itself) with the labels ``y`` in the images' order; ``y=None`` gives
      ``(x_batch,)`` tuples.
    * ``len(seq)`` is ``ceil(len(x) / batch_size)``; the last batch may be smaller.
    * Deterministic: batch ``i`` of epoch ``e`` depends only on ``seed``, ``e``
      and ``i`` (not on the order or thread in which batches are made), so
      parallel workers give the same batches. ``model.fit`` calls
      :meth:`on_epoch_end`, which moves to the next epoch: a new order (with
      ``shuffle``) and new random draws. (Keras 3.15's ``fit`` also calls it
      once before the first epoch, so training starts at :attr:`epoch` 1.)
      :meth:`set_epoch` jumps to an epoch.
    * ``workers``, ``use_multiprocessing`` and ``max_queue_size`` go to
      ``PyDataset``: with ``workers=2`` ``model.fit`` prepares batches in two
      threads (or processes). Do not pass them to ``fit``.
    """

    def __init__(
        self,
        x: np.ndarray,
        y: np.ndarray | None = None,
        *,
        batch_size: int = 64,
        seed: int = 0,
        transforms: Sequence[str] | None = None,
        max_intensity: Mapping[str, float] | None = None,
        include_identity: bool = True,
        shuffle: bool = True,
        fill_mode: str = "nearest",
        workers: int = 1,
        use_multiprocessing: bool = False,
        max_queue_size: int = 10,
    ) -> None:
        x = _check_images(x, "x")
        if x.dtype.kind == "f" and not np.all(np.isfinite(x)):
            raise ValueError("x must hold finite pixel values")
        if x.min() < 0 or x.max() > 255:
            raise ValueError(f"x must hold pixels on the 0..255 scale, got {x.min()}..{x.max()}")
        if y is not None:
            y = _validate.array("y", y, ndims=(1, 2))
            if len(y) != len(x):
                raise ValueError(f"y must have one label per image ({len(x)}), got {len(y)}")
        self.batch_size = _validate.integer("batch_size", batch_size, minimum=1)
        self.seed = _validate.integer("seed", seed, minimum=0, maximum=2**32 - 1)
        self.transforms = _check_transforms(transforms)
        self.max_intensity = _check_max_intensity(max_intensity)
        self.include_identity = _check_bool("include_identity", include_identity)
        if not self.transforms and not self.include_identity:
            raise ValueError("transforms must name at least one transform when include_identity is False")
        self.shuffle = _check_bool("shuffle", shuffle)
        self.fill_mode = _check_fill_mode(fill_mode)
        workers = _validate.integer("workers", workers, minimum=1)
        use_multiprocessing = _check_bool("use_multiprocessing", use_multiprocessing)
        max_queue_size = _validate.integer("max_queue_size", max_queue_size, minimum=1)
        super().__init__(workers=workers, use_multiprocessing=use_multiprocessing, max_queue_size=max_queue_size)
        self.x, self.y = x, y
        self.choices: tuple[str, ...] = (("identity",) if self.include_identity else ()) + self.transforms
        self._epoch = 0
        self._order = self._order_for(0)

    # ----------------------------------------------------------------- epochs

    @property
    def epoch(self) -> int:
        """The epoch whose batches ``seq[i]`` returns now (0 at the start)."""
        return self._epoch

    def _order_for(self, epoch: int) -> np.ndarray:
        if not self.shuffle:
            return np.arange(len(self.x))
        return np.random.default_rng([self.seed, epoch, 0]).permutation(len(self.x))

    def set_epoch(self, epoch: int) -> None:
        """Make ``seq[i]`` return batch ``i`` of ``epoch`` (e.g. to look at epoch 3's batches again)."""
        self._epoch = _validate.integer("epoch", epoch, minimum=0)
        self._order = self._order_for(self._epoch)

    def on_epoch_end(self) -> None:
        """Called by ``model.fit`` after each epoch: move on to the next epoch's order and draws."""
        self.set_epoch(self._epoch + 1)

    # ----------------------------------------------------------------- batches

    def __len__(self) -> int:
        return math.ceil(len(self.x) / self.batch_size)

    def _draw(self, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Choose a transform (index into :attr:`choices`) and an intensity for each of ``n`` images."""
        choice = rng.integers(0, len(self.choices), size=n)
        u = rng.uniform(-1.0, 1.0, size=n)
        top = np.array([0.0 if c == "identity" else self.max_intensity[c] for c in self.choices])
        intensity = u * top[choice]
        one_sided = np.array([c in _ONE_SIDED for c in self.choices])[choice]
        intensity[one_sided] = np.abs(intensity[one_sided])
        flips = np.array([c in ("identity", "horizontal_flip") for c in self.choices])[choice]
        intensity[flips] = 0.0
        return choice, intensity

    def augmented_batch(self, index: int) -> AugmentedBatch:
        """Batch ``index`` of the current epoch together with each image's transform and intensity."""
        if isinstance(index, (bool, np.bool_)) or not isinstance(index, (int, np.integer)):
            raise TypeError(f"index must be an integer batch number, got {type(index).__name__}")
        index = int(index)
        if not 0 <= index < len(self):
            raise IndexError(f"index must be in 0..{len(self) - 1} (there are {len(self)} batches), got {index}")
        rows = self._order[index * self.batch_size:(index + 1) * self.batch_size]
        x = self.x[rows].astype(np.float32)
        rng = np.random.default_rng([self.seed, self._epoch, index + 1])
        choice, intensity = self._draw(rng, len(rows))
        for k, name in enumerate(self.choices):
            if name == "identity":
                continue
            group = np.flatnonzero(choice == k)
            if group.size:
                x[group] = _apply(x[group], name, intensity[group], self.fill_mode)
        y = None if self.y is None else self.y[rows]
        return AugmentedBatch(x, y, tuple(self.choices[c] for c in choice), intensity)

    def __getitem__(self, index: int):
        batch = self.augmented_batch(index)
        return (batch.x,) if batch.y is None else (batch.x, batch.y)

    def __repr__(self) -> str:
        return (f"AugmentingSequence({len(self.x)} images, batch_size={self.batch_size}, "
                f"choices={list(self.choices)}, seed={self.seed}, epoch={self._epoch})")
