"""Reference implementations of the classic augmentation transforms, in NumPy and SciPy.

Every random transform is a pure function::

    new_image = transform(image, strength, rng, **options)

* ``image`` is a NumPy array, ``H x W`` (grey) or ``H x W x C``, of dtype
  ``uint8`` or a float dtype. The result has the same shape and dtype.
* ``strength`` is the *limit of a range*, as in Keras' ``ImageDataGenerator``:
  the amount actually applied is drawn uniformly from that range with ``rng``
  each call (``rotation`` with strength 20 turns by an angle between -20 and
  +20 degrees). Strength 0 changes nothing. :data:`MAX_STRENGTH` gives the
  largest strength each transform accepts.
* ``rng`` is a ``numpy.random.Generator`` (``np.random.default_rng(seed)``):
  the same generator state gives the same result, and nothing global is used.

**Value range.** The output stays in the input's value range
(:func:`value_range`): ``0..255`` for ``uint8``; for float images ``0..1`` when
all pixels lie in ``0..1``, else ``0..255`` when they lie in ``0..255``, else the
image's own minimum..maximum. Pixels pushed beyond the range (a bright image
made brighter, a fill value ``cval`` outside it) are clipped to it; ``uint8``
results are rounded to the nearest integer.

**Geometric transforms** (:data:`GEOMETRIC`) move pixels. Each output pixel
looks up where it came from in the input ("inverse mapping") and interpolates
between the four nearest input pixels (``interpolation="bilinear"``, or
``"nearest"``). Output pixels whose source lies outside the input are
*invented* by ``fill_mode``, shown here for a row ``a b c d``:

* ``"nearest"``: ``a a a a | a b c d | d d d d`` (repeat the edge; ImageDataGenerator's default)
* ``"constant"``: ``k k k k | a b c d | k k k k`` with ``k = cval`` (in the image's units)
* ``"reflect"``: ``d c b a | a b c d | d c b a`` (mirror at the edge; the Keras layers' default)
* ``"wrap"``: ``a b c d | a b c d | a b c d`` (tile the image)

Transforms (keys of :data:`TRANSFORMS`): ``rotation``, ``width_shift``,
``height_shift``, ``shear``, ``zoom``, ``horizontal_flip``, ``vertical_flip``,
``brightness``, ``contrast``, ``sharpen``, ``blur``, ``channel_shift``,
``crop_and_pad``, ``invert``; plus :func:`rescale` (not random), :func:`apply_to_batch` for many images at once,
and :func:`sample_parameters` / :func:`apply_parameters` to see or choose the
amount a transform applies.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import ndimage

from . import _validate

#: How a geometric transform invents pixels whose source lies outside the image.
FILL_MODES: tuple[str, ...] = ("nearest", "constant", "reflect", "wrap")
#: How a geometric transform reads between input pixels.
INTERPOLATIONS: tuple[str, ...] = ("bilinear", "nearest")
#: The transforms that move pixels and so take ``fill_mode``, ``cval`` (and,
#: except ``crop_and_pad``, ``interpolation``).
GEOMETRIC: tuple[str, ...] = ("rotation", "width_shift", "height_shift", "shear", "zoom", "crop_and_pad")

Params = dict[str, Any]
#: Parameters of a whole batch: one array per key, one entry (or, for ``deltas``, one row) per image.
Columns = dict[str, np.ndarray]


# --------------------------------------------------------------------------- checks


def _check_image(image: Any, name: str = "image") -> np.ndarray:
    """An ``H x W`` or ``H x W x C`` uint8/float array with finite pixels, or an error naming ``name``."""
    if not isinstance(image, np.ndarray):
        raise TypeError(f"{name} must be a NumPy array (H x W or H x W x C), got {type(image).__name__}")
    if image.dtype != np.uint8 and image.dtype.kind != "f":
        raise TypeError(f"{name} must have dtype uint8 or a float dtype, got {image.dtype}; "
                        f"convert it, e.g. {name}.astype(np.uint8)")
    if image.ndim not in (2, 3):
        raise ValueError(f"{name} must be H x W or H x W x C (2 or 3 dimensions), got shape {image.shape}")
    if image.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {image.shape}")
    if image.dtype.kind == "f" and not np.isfinite(image).all():
        raise ValueError(f"{name} must hold finite numbers, but it contains NaN or infinity")
    return image


def _check_batch(images: Any) -> np.ndarray:
    """A batch ``N x H x W`` or ``N x H x W x C`` of uint8/float images, or an error naming ``images``."""
    if not isinstance(images, np.ndarray):
        raise TypeError(f"images must be a NumPy array N x H x W or N x H x W x C, got {type(images).__name__}")
    if images.ndim not in (3, 4):
        raise ValueError(f"images must be a batch N x H x W or N x H x W x C, got shape {images.shape}")
    if images.size == 0:
        raise ValueError(f"images must not be empty, got shape {images.shape}")
    return _check_image(images.reshape(len(images), images.shape[1], -1), "images")


def _check_rng(rng: Any) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), "
                        f"got {type(rng).__name__}")
    return rng


def _check_strength(name: str, strength: Any) -> float:
    spec = _SPECS[name]
    value = _validate.number("strength", strength, minimum=0.0)
    if spec.open_max and value >= spec.max_strength:
        raise ValueError(f"strength for {name} must be below {spec.max_strength:g} ({spec.units}), got {value:g}")
    if value > spec.max_strength:
        raise ValueError(f"strength for {name} must be <= {spec.max_strength:g} ({spec.units}), got {value:g}")
    return value


def _check_options(name: str, options: Mapping[str, Any]) -> dict[str, Any]:
    spec = _SPECS[name]
    unknown = sorted(set(options) - set(spec.defaults))
    if unknown:
        allowed = ", ".join(spec.defaults) or "none"
        raise TypeError(f"{name} got unknown option(s) {unknown}; its options are: {allowed}")
    out = {**spec.defaults, **options}
    if "fill_mode" in out:
        _validate.one_of("fill_mode", out["fill_mode"], FILL_MODES)
        out["cval"] = _validate.number("cval", out["cval"])
    if "interpolation" in out:
        _validate.one_of("interpolation", out["interpolation"], INTERPOLATIONS)
    if "mode" in out:
        _validate.one_of("mode", out["mode"], ("additive", "multiplicative"))
    return out


def check_step(name: Any, strength: Any, options: Any = None, *, where: str = "step") -> tuple[str, float, dict[str, Any]]:
    """One augmentation step ``(name, strength, options)`` checked: a known transform, a strength in its range,
    options it takes with valid values. Returns the step with the strength as a float and every option filled
    in; errors start with ``where`` (e.g. ``"steps[2]"``), so they name the argument the step came from."""
    if not isinstance(where, str):
        raise TypeError(f"where must be text, got {type(where).__name__}")
    try:
        name = _validate.one_of("name", name, tuple(TRANSFORMS))
        if options is None:
            options = {}
        if not isinstance(options, Mapping):
            raise TypeError(f"options must be a dict, got {type(options).__name__}")
        strength = _check_strength(name, strength)
        try:
            options = _check_options(name, options)
        except (TypeError, ValueError) as err:
            raise type(err)(f"options: {err}") from None
        return name, strength, options
    except (TypeError, ValueError) as err:
        raise type(err)(f"{where}: {err}") from None


def value_range(image: np.ndarray) -> tuple[float, float]:
    """The range an image's pixels live in, and that every transform keeps them in.

    ``(0, 255)`` for ``uint8``. For float images: ``(0, 1)`` when every pixel
    is in 0..1, else ``(0, 255)`` when every pixel is in 0..255, else the
    image's own ``(min, max)``. (A float image on the 0..255 scale whose pixels
    happen to be all below 1 is taken to be on the 0..1 scale.)
    """
    image = _check_image(image)
    if image.dtype == np.uint8:
        return 0.0, 255.0
    lo, hi = float(image.min()), float(image.max())
    if lo >= 0.0 and hi <= 1.0:
        return 0.0, 1.0
    if lo >= 0.0 and hi <= 255.0:
        return 0.0, 255.0
    return lo, hi


def _batch_ranges(x: np.ndarray, dtype: np.dtype) -> tuple[np.ndarray, np.ndarray]:
    """Per-image ``value_range`` for a batch ``N x H x W x C``, as arrays shaped ``N x 1 x 1 x 1``."""
    n = len(x)
    if dtype == np.uint8:
        return np.zeros((n, 1, 1, 1)), np.full((n, 1, 1, 1), 255.0)
    lo = x.min(axis=(1, 2, 3), keepdims=True).astype(np.float64)
    hi = x.max(axis=(1, 2, 3), keepdims=True).astype(np.float64)
    unit = (lo >= 0) & (hi <= 1)
    byte = (lo >= 0) & (hi <= 255) & ~unit
    lo_out = np.where(unit | byte, 0.0, lo)
    hi_out = np.where(unit, 1.0, np.where(byte, 255.0, hi))
    return lo_out, hi_out


# --------------------------------------------------------------------------- the geometric core


def _fold(index: np.ndarray, size: int, fill_mode: str) -> tuple[np.ndarray, np.ndarray | None]:
    """Map integer source indices into ``0..size-1`` following ``fill_mode``.

    Returns the folded indices and, for ``"constant"``, a mask of the indices
    that were inside (outside ones take ``cval``).
    """
    if fill_mode == "wrap":
        return np.mod(index, size), None
    if fill_mode == "reflect":  # d c b a | a b c d | d c b a: period 2 * size
        folded = np.mod(index, 2 * size)
        return np.where(folded >= size, 2 * size - 1 - folded, folded), None
    inside = (index >= 0) & (index < size) if fill_mode == "constant" else None
    return np.clip(index, 0, size - 1), inside


def _warp(x: np.ndarray, matrices: np.ndarray, offsets: np.ndarray, fill_mode: str, cval: float,
          interpolation: str) -> np.ndarray:
    """Resample each image of ``x`` (``N x H x W x C`` floats) by an affine map about its centre.

    For output pixel ``p = (row, col)`` the source is ``M @ (p - centre) + centre + offset``
    (``M`` is ``matrices[n]``, 2 x 2 in (row, col) order; the map goes from
    output to input). Images whose map is the identity are returned unchanged.
    """
    n, h, w, c = x.shape
    identity = np.all(matrices == np.eye(2), axis=(1, 2)) & np.all(offsets == 0, axis=1)
    if identity.all():
        return x.copy()
    if np.all(matrices == np.eye(2)) and np.all(np.abs(offsets - np.round(offsets)) < 1e-6):
        interpolation = "nearest"  # whole-pixel moves: reading the nearest pixel is exact and faster
        offsets = np.round(offsets)
    centre = np.array([(h - 1) / 2.0, (w - 1) / 2.0])
    rows = (np.arange(h) - centre[0])[None, :, None]  # 1 x H x 1
    cols = (np.arange(w) - centre[1])[None, None, :]  # 1 x 1 x W
    shift = centre + offsets
    m = matrices[:, :, :, None, None]  # N x 2 x 2 x 1 x 1
    src_r = m[:, 0, 0] * rows + m[:, 0, 1] * cols + shift[:, 0, None, None]  # N x H x W each
    src_c = m[:, 1, 0] * rows + m[:, 1, 1] * cols + shift[:, 1, None, None]
    flat = x.reshape(n * h * w, c)
    base = (np.arange(n) * (h * w))[:, None, None]
    fill = np.asarray(cval, dtype=x.dtype)

    def sample(r: tuple[np.ndarray, np.ndarray | None], col: tuple[np.ndarray, np.ndarray | None]) -> np.ndarray:
        """Pixels at folded row and column indices (with their inside-masks for "constant")."""
        values = np.take(flat, base + r[0] * w + col[0], axis=0)  # N x H x W x C
        if r[1] is not None:
            values = np.where((r[1] & col[1])[..., None], values, fill)
        return values

    if interpolation == "nearest":
        r = _fold(np.floor(src_r + 0.5).astype(np.int64), h, fill_mode)
        out = sample(r, _fold(np.floor(src_c + 0.5).astype(np.int64), w, fill_mode))
    else:
        r0, c0 = np.floor(src_r), np.floor(src_c)
        # The weights repeated over the channels: NumPy multiplies arrays of equal shape much faster than it
        # broadcasts a last axis of length 1 (this is most of the time a rotation takes).
        fr = np.repeat((src_r - r0).astype(x.dtype)[..., None], c, axis=3)
        fc = np.repeat((src_c - c0).astype(x.dtype)[..., None], c, axis=3)
        r0, c0 = r0.astype(np.int64), c0.astype(np.int64)
        rows0, rows1 = _fold(r0, h, fill_mode), _fold(r0 + 1, h, fill_mode)
        cols0, cols1 = _fold(c0, w, fill_mode), _fold(c0 + 1, w, fill_mode)
        top = sample(rows0, cols0)
        top += (sample(rows0, cols1) - top) * fc
        bottom = sample(rows1, cols0)
        bottom += (sample(rows1, cols1) - bottom) * fc
        out = top + (bottom - top) * fr
    out[identity] = x[identity]
    return out


def _geometric(matrix_of: Callable[[Columns, int, int, int], tuple[np.ndarray, np.ndarray]]):
    """Build an ``apply`` for a geometric transform from a function of the parameter columns
    that returns one output -> input matrix (``N x 2 x 2``) and offset (``N x 2``) per image."""

    def apply(x: np.ndarray, cols: Columns, lo, hi, *, fill_mode: str, cval: float,
              interpolation: str = "bilinear") -> np.ndarray:
        n, h, w = x.shape[:3]
        matrices, offsets = matrix_of(cols, n, h, w)
        return _warp(x, matrices, offsets, fill_mode, cval, interpolation)

    return apply


def _eye(n: int) -> np.ndarray:
    return np.repeat(np.eye(2)[None], n, axis=0)


def _rotation_matrix(cols: Columns, n: int, h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    # Positive angles turn the picture counter-clockwise as you look at it. Rows
    # grow downwards, so the output -> input map in (row, col) is [[c, s], [-s, c]].
    t = np.radians(cols["angle"])
    c, s = np.cos(t), np.sin(t)
    return np.stack([np.stack([c, s], -1), np.stack([-s, c], -1)], 1), np.zeros((n, 2))


def _shift_matrix(cols: Columns, n: int, h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    # Content moves by (dy, dx) pixels, so output pixel p comes from p - (dy, dx).
    dy = cols["dy"] * h if "dy" in cols else np.zeros(n)
    dx = cols["dx"] * w if "dx" in cols else np.zeros(n)
    return _eye(n), -np.stack([dy, dx], -1)


def _shear_matrix(cols: Columns, n: int, h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    # Forward: col' = col + tan(angle) * row (row measured from the centre, downwards).
    m = _eye(n)
    m[:, 1, 0] = -np.tan(np.radians(cols["angle"]))
    return m, np.zeros((n, 2))


def _zoom_matrix(cols: Columns, n: int, h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    # Forward: distances from the centre are multiplied by the factor.
    return _eye(n) / cols["factor"][:, None, None], np.zeros((n, 2))


def _crop_and_pad_matrix(cols: Columns, n: int, h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    # The content moves by (dy, dx) whole pixels, like a shift.
    return _eye(n), -np.stack([cols["dy"], cols["dx"]], -1).astype(np.float64)


# --------------------------------------------------------------------------- the other transforms


def _apply_flip(axis: int):
    def apply(x, cols, lo, hi):
        out = x.copy()
        flip = cols["flip"]
        out[flip] = np.flip(x[flip], axis=axis)
        return out

    return apply


def _column(cols: Columns, key: str, x: np.ndarray) -> np.ndarray:
    """One parameter per image as an ``N x 1 x 1 x 1`` array (or ``N x 1 x 1 x C`` for vectors)."""
    values = cols[key]
    return values.reshape(len(values), 1, 1, -1).astype(x.dtype)


def _apply_brightness(x, cols, lo, hi, *, mode: str):
    delta = _column(cols, "delta", x)
    if mode == "additive":
        return x + delta * (hi - lo).astype(x.dtype)
    return (x - lo.astype(x.dtype)) * (1 + delta) + lo.astype(x.dtype)


def _apply_contrast(x, cols, lo, hi):
    factor = _column(cols, "factor", x)
    mean = x.mean(axis=(1, 2), keepdims=True)
    return (x - mean) * factor + mean


def _smooth(x: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur of one ``H x W x C`` image over its rows and columns only."""
    return ndimage.gaussian_filter(x, sigma=(sigma, sigma, 0), mode="reflect", truncate=3.0)


def _apply_sharpen(x, cols, lo, hi):
    amount = _column(cols, "amount", x)
    blurred = ndimage.gaussian_filter(x, sigma=(0, 1.0, 1.0, 0), mode="reflect", truncate=3.0)
    return x + amount * (x - blurred)


def _apply_blur(x, cols, lo, hi):
    out = x.copy()
    for i, sigma in enumerate(cols["sigma"]):
        if sigma > 0:
            out[i] = _smooth(x[i], float(sigma))
    return out


def _apply_channel_shift(x, cols, lo, hi):
    return x + _column(cols, "deltas", x) * (hi - lo).astype(x.dtype)


def _apply_invert(x, cols, lo, hi):
    flip = _column(cols, "invert", x) > 0
    return np.where(flip, (lo + hi).astype(x.dtype) - x, x)


# --------------------------------------------------------------------------- the registry of specs


@dataclass(frozen=True)
class _Spec:
    """What the dispatcher needs to know about one transform."""

    max_strength: float
    units: str
    sample: Callable[[np.random.Generator, float, tuple[int, ...]], Params]
    apply: Callable[..., np.ndarray]
    defaults: Mapping[str, Any]
    open_max: bool = False  # strength must stay strictly below max_strength


_GEO = {"fill_mode": "nearest", "cval": 0.0, "interpolation": "bilinear"}


def _uniform(rng: np.random.Generator, s: float) -> float:
    return float(rng.uniform(-s, s))


def _sample_crop(rng: np.random.Generator, s: float, shape: tuple[int, ...]) -> Params:
    pad_y, pad_x = int(round(s * shape[0])), int(round(s * shape[1]))
    # Pad by pad_y / pad_x on every side, then cut an H x W window at a random
    # whole-pixel position (top-left corner at top, left in the padded image).
    # The content then moves by pad - top rows and pad - left columns.
    top, left = int(rng.integers(0, 2 * pad_y + 1)), int(rng.integers(0, 2 * pad_x + 1))
    return {"dy": pad_y - top, "dx": pad_x - left}


_SPECS: dict[str, _Spec] = {
    "rotation": _Spec(180.0, "degrees", lambda rng, s, shape: {"angle": _uniform(rng, s)},
                      _geometric(_rotation_matrix), _GEO),
    "width_shift": _Spec(1.0, "fraction of the width", lambda rng, s, shape: {"dx": _uniform(rng, s)},
                         _geometric(_shift_matrix), _GEO),
    "height_shift": _Spec(1.0, "fraction of the height", lambda rng, s, shape: {"dy": _uniform(rng, s)},
                          _geometric(_shift_matrix), _GEO),
    "shear": _Spec(89.0, "degrees", lambda rng, s, shape: {"angle": _uniform(rng, s)},
                   _geometric(_shear_matrix), _GEO),
    "zoom": _Spec(1.0, "zoom factor drawn from [1 - strength, 1 + strength]",
                  lambda rng, s, shape: {"factor": 1.0 + _uniform(rng, s)},
                  _geometric(_zoom_matrix), _GEO, open_max=True),
    "horizontal_flip": _Spec(1.0, "probability", lambda rng, s, shape: {"flip": bool(rng.random() < s)},
                             _apply_flip(axis=2), {}),
    "vertical_flip": _Spec(1.0, "probability", lambda rng, s, shape: {"flip": bool(rng.random() < s)},
                           _apply_flip(axis=1), {}),
    "brightness": _Spec(1.0, "fraction of the value range", lambda rng, s, shape: {"delta": _uniform(rng, s)},
                        _apply_brightness, {"mode": "additive"}),
    "contrast": _Spec(1.0, "contrast factor drawn from [1 - strength, 1 + strength]",
                      lambda rng, s, shape: {"factor": 1.0 + _uniform(rng, s)}, _apply_contrast, {}),
    "sharpen": _Spec(10.0, "unsharp-mask amount", lambda rng, s, shape: {"amount": float(rng.uniform(0.0, s))},
                     _apply_sharpen, {}),
    "blur": _Spec(20.0, "Gaussian sigma in pixels", lambda rng, s, shape: {"sigma": float(rng.uniform(0.0, s))},
                  _apply_blur, {}),
    "channel_shift": _Spec(1.0, "fraction of the value range",
                           lambda rng, s, shape: {"deltas": rng.uniform(-s, s, size=shape[-1]).tolist()},
                           _apply_channel_shift, {}),
    "crop_and_pad": _Spec(0.5, "fraction of the size padded on each side", _sample_crop,
                          _geometric(_crop_and_pad_matrix), {"fill_mode": "constant", "cval": 0.0}),
    "invert": _Spec(1.0, "probability", lambda rng, s, shape: {"invert": bool(rng.random() < s)},
                    _apply_invert, {}),
}


#: The largest strength each transform accepts.
MAX_STRENGTH: dict[str, float] = {name: spec.max_strength for name, spec in _SPECS.items()}
#: What each transform's strength measures.
STRENGTH_UNITS: dict[str, str] = {name: spec.units for name, spec in _SPECS.items()}


# --------------------------------------------------------------------------- running a transform


def _as_batch(images: np.ndarray) -> np.ndarray:
    """``N x H x W`` -> ``N x H x W x 1``; ``N x H x W x C`` unchanged."""
    return images[..., None] if images.ndim == 3 else images


def _finish(out: np.ndarray, lo: np.ndarray, hi: np.ndarray, dtype: np.dtype) -> np.ndarray:
    out = np.clip(out, lo.astype(out.dtype), hi.astype(out.dtype))
    if dtype == np.uint8:
        return np.rint(out).astype(np.uint8)
    return out.astype(dtype)


def _work_dtype(dtype: np.dtype) -> type:
    return np.float64 if dtype == np.float64 else np.float32


def _to_columns(params: list[Params]) -> Columns:
    """Per-image parameter dicts -> one array per key (``deltas``: one row per image)."""
    return {key: np.array([p[key] for p in params]) for key in params[0]}


def _apply_batch(name: str, x: np.ndarray, cols: Columns, options: dict[str, Any],
                 value_range: tuple[float, float] | None = None) -> np.ndarray:
    """Apply transform ``name`` with one parameter set per image to a checked batch ``N x H x W x C``."""
    if value_range is None:
        lo, hi = _batch_ranges(x, x.dtype)
    else:
        lo, hi = np.full((len(x), 1, 1, 1), value_range[0]), np.full((len(x), 1, 1, 1), value_range[1])
    work = x.astype(_work_dtype(x.dtype))
    return _finish(_SPECS[name].apply(work, cols, lo, hi, **options), lo, hi, x.dtype)


def _run_batch(name: str, x: np.ndarray, strength: float, rng: np.random.Generator,
               options: dict[str, Any]) -> np.ndarray:
    """Draw one parameter set per image, in order, then apply them all at once."""
    params = [_SPECS[name].sample(rng, strength, x.shape[1:]) for _ in range(len(x))]
    return _apply_batch(name, x, _to_columns(params), options)


def _run(name: str, image: Any, strength: Any, rng: Any, options: dict[str, Any]) -> np.ndarray:
    image = _check_image(image)
    strength = _check_strength(name, strength)
    rng = _check_rng(rng)
    options = _check_options(name, options)
    batch = image.reshape(1, *image.shape[:2], -1)
    return _run_batch(name, batch, strength, rng, options).reshape(image.shape)


# --------------------------------------------------------------------------- the public transforms


def rotation(image: np.ndarray, strength: float, rng: np.random.Generator, *, fill_mode: str = "nearest",
             cval: float = 0.0, interpolation: str = "bilinear") -> np.ndarray:
    """Turn the image about its centre by an angle drawn from ``[-strength, strength]`` degrees.

    ``strength`` is in degrees, 0..180 (180 allows any turn). Positive angles
    turn counter-clockwise as you look at the picture. Corners that turn in
    from outside are invented by ``fill_mode`` (see the module docstring).
    Keras' ``RandomRotation(factor)`` measures the same range as a fraction of
    a full turn: ``strength = 360 * factor``.
    """
    return _run("rotation", image, strength, rng,
                {"fill_mode": fill_mode, "cval": cval, "interpolation": interpolation})


def width_shift(image: np.ndarray, strength: float, rng: np.random.Generator, *, fill_mode: str = "nearest",
                cval: float = 0.0, interpolation: str = "bilinear") -> np.ndarray:
    """Move the image sideways (along its width) by a fraction of the width drawn from ``[-strength, strength]``.

    ``strength`` is a fraction of the width, 0..1 (0.1 = up to 10 % of the
    width, left or right; positive moves right). The strip that slides in is
    invented by ``fill_mode``. Note: here "width shift" moves the image
    horizontally, as the name says. In Keras' ``ImageDataGenerator``,
    ``width_shift_range`` moves images *vertically* (and
    ``height_shift_range`` horizontally) because of a long-standing bug.
    """
    return _run("width_shift", image, strength, rng,
                {"fill_mode": fill_mode, "cval": cval, "interpolation": interpolation})


def height_shift(image: np.ndarray, strength: float, rng: np.random.Generator, *, fill_mode: str = "nearest",
                 cval: float = 0.0, interpolation: str = "bilinear") -> np.ndarray:
    """Move the image up or down by a fraction of its height drawn from ``[-strength, strength]``.

    ``strength`` is a fraction of the height, 0..1 (positive moves down). The
    strip that slides in is invented by ``fill_mode``. (``ImageDataGenerator``'s
    ``height_shift_range`` moves images sideways instead: see :func:`width_shift`.)
    """
    return _run("height_shift", image, strength, rng,
                {"fill_mode": fill_mode, "cval": cval, "interpolation": interpolation})


def shear(image: np.ndarray, strength: float, rng: np.random.Generator, *, fill_mode: str = "nearest",
          cval: float = 0.0, interpolation: str = "bilinear") -> np.ndarray:
    """Slant the image by a shear angle drawn from ``[-strength, strength]`` degrees.

    Each row slides sideways in proportion to its distance from the centre
    row, so vertical lines tilt by the angle while horizontal lines stay
    horizontal (a rectangle becomes a parallelogram). ``strength`` is in
    degrees, 0..89 (at 90 the slant would be infinite).
    """
    return _run("shear", image, strength, rng,
                {"fill_mode": fill_mode, "cval": cval, "interpolation": interpolation})


def zoom(image: np.ndarray, strength: float, rng: np.random.Generator, *, fill_mode: str = "nearest",
         cval: float = 0.0, interpolation: str = "bilinear") -> np.ndarray:
    """Magnify (or shrink) the image about its centre by a factor drawn from ``[1 - strength, 1 + strength]``.

    ``strength`` is 0 to just below 1. A factor above 1 zooms in (objects look
    bigger, the edges are cut off); below 1 zooms out (objects look smaller and
    ``fill_mode`` invents the border). The same factor is used for both axes,
    so shapes keep their proportions. (``ImageDataGenerator``'s
    ``zoom_range`` uses the opposite convention: its factors above 1 zoom out.)
    """
    return _run("zoom", image, strength, rng,
                {"fill_mode": fill_mode, "cval": cval, "interpolation": interpolation})


def horizontal_flip(image: np.ndarray, strength: float, rng: np.random.Generator) -> np.ndarray:
    """Mirror the image left-right with probability ``strength`` (0..1; 0.5 = half the time)."""
    return _run("horizontal_flip", image, strength, rng, {})


def vertical_flip(image: np.ndarray, strength: float, rng: np.random.Generator) -> np.ndarray:
    """Turn the image upside down (mirror top-bottom) with probability ``strength`` (0..1)."""
    return _run("vertical_flip", image, strength, rng, {})


def brightness(image: np.ndarray, strength: float, rng: np.random.Generator, *,
               mode: str = "additive") -> np.ndarray:
    """Make the image lighter or darker by an amount drawn from ``[-strength, strength]``.

    ``strength`` is 0..1. With ``mode="additive"`` (as Keras' ``RandomBrightness``)
    the amount is a fraction of the value range added to every pixel: 0.2 on a
    uint8 image adds between -51 and +51. With ``mode="multiplicative"`` (as
    ``ImageDataGenerator``'s ``brightness_range=[1 - s, 1 + s]``) every pixel is
    multiplied by ``1 + amount``. Pixels pushed past black or white are clipped.
    """
    return _run("brightness", image, strength, rng, {"mode": mode})


def contrast(image: np.ndarray, strength: float, rng: np.random.Generator) -> np.ndarray:
    """Stretch or flatten the differences between pixels by a factor drawn from ``[1 - strength, 1 + strength]``.

    Each channel's pixels move away from (factor > 1) or towards (factor < 1)
    that channel's mean: ``(x - mean) * factor + mean``, as Keras'
    ``RandomContrast``. ``strength`` is 0..1; a factor of 0 would leave a flat
    grey (mean-coloured) image.
    """
    return _run("contrast", image, strength, rng, {})


def sharpen(image: np.ndarray, strength: float, rng: np.random.Generator) -> np.ndarray:
    """Sharpen edges with an unsharp mask of amount drawn from ``[0, strength]``.

    ``x + amount * (x - blurred(x))`` with a Gaussian blur of sigma 1 pixel:
    the difference from the blurred copy is the image's fine detail, and adding
    it back makes edges crisper (and, at large amounts, haloed and noisy).
    ``strength`` is 0..10; 1 is already clearly sharper.
    """
    return _run("sharpen", image, strength, rng, {})


def blur(image: np.ndarray, strength: float, rng: np.random.Generator) -> np.ndarray:
    """Blur with a Gaussian whose sigma (in pixels) is drawn from ``[0, strength]``.

    ``strength`` is 0..20 pixels. Sigma is in pixels, so the same strength
    blurs a 32 x 32 CIFAR image much more, relative to its size, than a large photo.
    """
    return _run("blur", image, strength, rng, {})


def channel_shift(image: np.ndarray, strength: float, rng: np.random.Generator) -> np.ndarray:
    """Add a different amount to each colour channel, each drawn from ``[-strength, strength]``.

    The amounts are fractions of the value range (``strength`` 0..1; 0.1 on a
    uint8 image shifts each channel by up to 25.5), so colours get a tint. On a
    grey image (one channel) it is the same as additive brightness. (Keras'
    ``ImageDataGenerator(channel_shift_range=r)`` draws one amount, in pixel
    units, for all channels together.)
    """
    return _run("channel_shift", image, strength, rng, {})


def crop_and_pad(image: np.ndarray, strength: float, rng: np.random.Generator, *, fill_mode: str = "constant",
                 cval: float = 0.0) -> np.ndarray:
    """Pad the image on every side, then cut out a window of the original size at a random position.

    The padding is ``round(strength * size)`` pixels on each side (``strength``
    0..0.5, a fraction of the height for rows and of the width for columns),
    filled by ``fill_mode`` (default ``"constant"`` with ``cval=0``: black, as
    in the classic CIFAR-10 recipe "pad 4 pixels and crop 32 x 32 at random",
    which is ``strength=0.125``). The result is the image moved by a whole
    number of pixels in both directions, with no interpolation blur.
    """
    return _run("crop_and_pad", image, strength, rng, {"fill_mode": fill_mode, "cval": cval})


def invert(image: np.ndarray, strength: float, rng: np.random.Generator) -> np.ndarray:
    """With probability ``strength`` (0..1), turn the image into its negative: ``lo + hi - x``.

    ``lo..hi`` is the :func:`value_range` (``255 - x`` for uint8, ``1 - x`` for floats in 0..1).
    """
    return _run("invert", image, strength, rng, {})


def rescale(image: np.ndarray, factor: float = 1 / 255) -> np.ndarray:
    """Multiply every pixel by ``factor`` and return ``float32`` (not random).

    With the default ``1/255``, uint8 pixels 0..255 become 0..1. Why: a
    network's first layer multiplies inputs by small random weights, and
    training by gradient descent works best when inputs are small numbers of
    similar size; raw values up to 255 make the first activations and
    gradients about 255 times larger, so training is unstable or needs a tiny
    learning rate. The course CNN does this itself with a ``Rescaling(1/255)``
    layer, so you feed it raw uint8 images and must *not* rescale twice.
    """
    if not isinstance(image, np.ndarray):
        raise TypeError(f"image must be a NumPy array, got {type(image).__name__}")
    if image.dtype.kind not in "uif":
        raise TypeError(f"image must hold numbers (uint8, int or float), got dtype {image.dtype}")
    if image.size == 0:
        raise ValueError(f"image must not be empty, got shape {image.shape}")
    if image.dtype.kind == "f" and not np.isfinite(image).all():
        raise ValueError("image must hold finite numbers, but it contains NaN or infinity")
    factor = _validate.number("factor", factor)
    if factor == 0:
        raise ValueError("factor must not be 0 (every pixel would become 0); use 1/255 for uint8 images")
    return (image.astype(np.float32) * np.float32(factor)).astype(np.float32)


#: The random transforms by name, each ``f(image, strength, rng, **options) -> image``.
TRANSFORMS: dict[str, Callable[..., np.ndarray]] = {
    "rotation": rotation,
    "width_shift": width_shift,
    "height_shift": height_shift,
    "shear": shear,
    "zoom": zoom,
    "horizontal_flip": horizontal_flip,
    "vertical_flip": vertical_flip,
    "brightness": brightness,
    "contrast": contrast,
    "sharpen": sharpen,
    "blur": blur,
    "channel_shift": channel_shift,
    "crop_and_pad": crop_and_pad,
    "invert": invert,
}


#: The parameters each transform draws, and what they mean.
PARAMETERS: dict[str, dict[str, str]] = {
    "rotation": {"angle": "degrees, counter-clockwise"},
    "width_shift": {"dx": "fraction of the width, positive = right"},
    "height_shift": {"dy": "fraction of the height, positive = down"},
    "shear": {"angle": "degrees of slant"},
    "zoom": {"factor": "magnification, > 1 zooms in"},
    "horizontal_flip": {"flip": "True to mirror left-right"},
    "vertical_flip": {"flip": "True to turn upside down"},
    "brightness": {"delta": "fraction of the value range (additive) or relative change (multiplicative)"},
    "contrast": {"factor": "contrast factor, 1 = unchanged"},
    "sharpen": {"amount": "unsharp-mask amount, 0 = unchanged"},
    "blur": {"sigma": "Gaussian sigma in pixels, 0 = unchanged"},
    "channel_shift": {"deltas": "one shift per channel, fractions of the value range"},
    "crop_and_pad": {"dy": "whole pixels the content moves, positive = down",
                     "dx": "whole pixels the content moves, positive = right"},
    "invert": {"invert": "True to make the negative"},
}


def _check_name(name: Any, argname: str = "name") -> str:
    if not isinstance(name, str):
        raise TypeError(f"{argname} must be a transform name (one of {', '.join(TRANSFORMS)}), "
                        f"got {type(name).__name__}")
    return _validate.one_of(argname, name, tuple(TRANSFORMS))


def sample_parameters(name: str, strength: float, rng: np.random.Generator,
                      shape: tuple[int, ...]) -> dict[str, Any]:
    """Draw the random amount transform ``name`` would apply to one image of ``shape``.

    ``transform(image, strength, rng)`` is exactly
    ``apply_parameters(name, image, sample_parameters(name, strength, rng, image.shape))``:
    use this to see (or print) what a strength means, draw by draw. The keys
    and their units are listed in :data:`PARAMETERS`.
    """
    name = _check_name(name)
    strength = _check_strength(name, strength)
    rng = _check_rng(rng)
    if (not isinstance(shape, tuple) or len(shape) not in (2, 3)
            or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v > 0 for v in shape)):
        raise ValueError(f"shape must be an image shape (H, W) or (H, W, C) of positive integers, got {shape!r}")
    return _SPECS[name].sample(rng, strength, (*shape[:2], shape[2] if len(shape) == 3 else 1))


def _check_param_keys(name: str, params: Any, what: str) -> tuple[str, ...]:
    """``params`` must be a dict with exactly the keys of ``PARAMETERS[name]``; returns those keys."""
    if not isinstance(params, Mapping):
        raise TypeError(f"params must be a dict like {dict.fromkeys(PARAMETERS[name], 0)}{what}, "
                        f"got {type(params).__name__}")
    keys = PARAMETERS[name]
    missing, extra = sorted(set(keys) - set(params)), sorted(set(params) - set(keys))
    if missing or extra:
        raise ValueError(f"params for {name} must have exactly the keys {list(keys)}; "
                         f"missing {missing}, unexpected {extra}")
    return keys


def _check_params(name: str, params: Any, channels: int) -> Params:
    _check_param_keys(name, params, "")
    out: Params = {}
    for key, value in params.items():
        if key in ("flip", "invert"):
            if not isinstance(value, (bool, np.bool_)):
                raise TypeError(f"params[{key!r}] must be True or False, got {value!r}")
            out[key] = bool(value)
        elif key == "deltas":
            values = np.asarray(value, dtype=np.float64) if isinstance(value, (list, tuple, np.ndarray)) else None
            if values is None or values.shape != (channels,) or not np.isfinite(values).all():
                raise ValueError(f"params['deltas'] must be {channels} finite numbers (one per channel), got {value!r}")
            out[key] = values.tolist()
        elif name == "crop_and_pad":
            out[key] = _validate.integer(f"params[{key!r}]", value)
        else:
            minimum = 1e-6 if key == "factor" and name == "zoom" else (0.0 if key in ("amount", "sigma") else None)
            out[key] = _validate.number(f"params[{key!r}]", value, minimum=minimum)
    return out


def apply_parameters(name: str, image: np.ndarray, params: Mapping[str, Any], **options: Any) -> np.ndarray:
    """Apply transform ``name`` to ``image`` with a chosen amount instead of a random one.

    ``params`` has the keys of :data:`PARAMETERS` ``[name]``, e.g.
    ``apply_parameters("rotation", image, {"angle": 45}, fill_mode="constant")``.
    The options are those of the transform (``fill_mode``, ``cval``, ...).
    """
    name = _check_name(name)
    image = _check_image(image)
    channels = image.shape[2] if image.ndim == 3 else 1
    checked = _check_params(name, params, channels)
    options = _check_options(name, options)
    batch = image.reshape(1, *image.shape[:2], -1)
    return _apply_batch(name, batch, _to_columns([checked]), options).reshape(image.shape)


def apply_to_batch(images: np.ndarray, name_or_fn: str | Callable[..., np.ndarray], strength: float,
                   rng: np.random.Generator, **options: Any) -> np.ndarray:
    """Apply one transform to every image of a batch, with a fresh random draw per image.

    ``images`` is ``N x H x W`` or ``N x H x W x C`` (uint8 or float).
    ``name_or_fn`` is a key of :data:`TRANSFORMS` (run vectorised over the
    batch) or any function ``f(image, strength, rng, **options)`` (called once
    per image). Returns an array of the same shape and dtype. For a name, the
    result equals calling the transform on each image in turn with the same
    ``rng``; only faster.
    """
    _check_batch(images)
    if isinstance(name_or_fn, str):
        _check_name(name_or_fn, "name_or_fn")
        strength = _check_strength(name_or_fn, strength)
        rng = _check_rng(rng)
        options = _check_options(name_or_fn, options)
        return _run_batch(name_or_fn, _as_batch(images), strength, rng, options).reshape(images.shape)
    if not callable(name_or_fn):
        raise TypeError(f"name_or_fn must be a transform name ({', '.join(TRANSFORMS)}) or a function, "
                        f"got {type(name_or_fn).__name__}")
    rng = _check_rng(rng)
    out = np.empty_like(images)
    for i, image in enumerate(images):
        result = np.asarray(name_or_fn(image, strength, rng, **options))
        if result.shape != image.shape:
            raise ValueError(f"name_or_fn must return an image of shape {image.shape}, got {result.shape}")
        if result.dtype.kind not in "uifb" or (result.dtype.kind == "f" and not np.isfinite(result).all()):
            raise ValueError(f"name_or_fn must return finite pixel values, got dtype {result.dtype} with NaN, "
                             "infinity or no numbers")
        out[i] = result
    return out


def _check_columns(name: str, params: Any, n: int, channels: int) -> Columns:
    """``params`` for a batch of ``n`` images: one number (or flag) per key, or one per image."""
    keys = _check_param_keys(name, params, " with one value, or one value per image, for each key;")
    cols: Columns = {}
    for key in keys:
        where = f"params[{key!r}]"
        try:
            values = np.asarray(params[key])
        except Exception:  # ragged lists and other objects NumPy cannot turn into one array
            raise TypeError(f"{where} must be a number or an array of numbers, got {type(params[key]).__name__}") \
                from None
        if key in ("flip", "invert"):
            if values.dtype != np.bool_:
                raise TypeError(f"{where} must be True/False or one True/False per image, got dtype {values.dtype}")
            values = np.broadcast_to(values, (n,)) if values.ndim == 0 else values
            if values.shape != (n,):
                raise ValueError(f"{where} must be one flag or {n} flags (one per image), got shape {values.shape}")
            cols[key] = values.astype(bool)
            continue
        if values.dtype.kind not in "uif" or values.dtype == np.bool_:
            raise TypeError(f"{where} must hold numbers, got dtype {values.dtype}")
        if key == "deltas":
            if values.shape == (channels,):
                values = np.broadcast_to(values, (n, channels))
            if values.shape != (n, channels):
                raise ValueError(f"{where} must be {channels} numbers (one per channel) or an array "
                                 f"{n} x {channels} (one row per image), got shape {values.shape}")
        else:
            values = np.broadcast_to(values, (n,)) if values.ndim == 0 else values
            if values.shape != (n,):
                raise ValueError(f"{where} must be one number or {n} numbers (one per image), "
                                 f"got shape {values.shape}")
        if not np.isfinite(values).all():
            raise ValueError(f"{where} must be finite numbers (no NaN or infinity)")
        if name == "crop_and_pad" and not np.all(values == np.round(values)):
            raise TypeError(f"{where} must be whole numbers of pixels for crop_and_pad")
        if key == "factor" and name == "zoom" and values.min() < 1e-6:
            raise ValueError(f"{where} must be > 0 (a zoom factor), got {values.min():g}")
        if key in ("amount", "sigma") and values.min() < 0:
            raise ValueError(f"{where} must be >= 0, got {values.min():g}")
        cols[key] = values.astype(np.int64 if name == "crop_and_pad" else np.float64)
    return cols


def _check_value_range(value_range: Any) -> tuple[float, float] | None:
    if value_range is None:
        return None
    if isinstance(value_range, (str, bytes)) or not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
        raise TypeError(f"value_range must be a pair (low, high) such as (0, 255), got {value_range!r}")
    low = _validate.number("value_range[0]", value_range[0])
    high = _validate.number("value_range[1]", value_range[1])
    if not low < high:
        raise ValueError(f"value_range must have low < high, got {value_range!r}")
    return low, high


def apply_batch(name: str, images: np.ndarray, params: Mapping[str, Any], *,
                value_range: tuple[float, float] | None = None, **options: Any) -> np.ndarray:
    """Apply transform ``name`` to a whole batch at once, with chosen amounts (no randomness).

    ``images`` is ``N x H x W`` or ``N x H x W x C`` (uint8 or float).
    ``params`` has the keys of :data:`PARAMETERS` ``[name]``; each value is
    one number (or flag) for every image, or an array with one per image, e.g.
    ``apply_batch("rotation", batch, {"angle": np.array([-10.0, 0.0, 25.0])})``
    (``deltas`` of ``channel_shift``: one row of per-channel shifts per image).
    Every image is processed with NumPy array operations on the whole batch.
    ``value_range`` (``(low, high)``) is the range of every image's pixels;
    by default each image's own :func:`value_range`. The options are those
    of the transform (``fill_mode``, ``cval``, ...). Returns an array of the
    same shape and dtype. This is the engine the course's generator (lesson
    06), offline augmentation (09) and test-time augmentation (11) use.
    """
    name = _check_name(name)
    _check_batch(images)
    batch = _as_batch(images)
    cols = _check_columns(name, params, len(batch), batch.shape[-1])
    options = _check_options(name, options)
    value_range = _check_value_range(value_range)
    return _apply_batch(name, batch, cols, options, value_range).reshape(images.shape)


__all__ = [
    "FILL_MODES", "GEOMETRIC", "INTERPOLATIONS", "MAX_STRENGTH", "PARAMETERS", "STRENGTH_UNITS", "TRANSFORMS",
    "apply_batch", "apply_parameters", "apply_to_batch", "blur", "brightness", "channel_shift", "check_step", "contrast",
    "crop_and_pad",
    "height_shift", "horizontal_flip", "invert", "rescale", "rotation", "sample_parameters", "shear", "sharpen",
    "value_range", "vertical_flip", "width_shift", "zoom",
]
