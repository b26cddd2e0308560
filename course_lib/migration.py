"""From ``ImageDataGenerator`` settings to an equivalent stack of Keras layers.

``ImageDataGenerator`` (deprecated, still reachable as
``tensorflow.keras.preprocessing.image.ImageDataGenerator``) and today's
Keras preprocessing layers describe the same random changes in different
units. :func:`generator_to_layers` translates one into the other, option by
option, and :func:`migration_table` lists the translation as data.

The converter reproduces what the generator *does* in TensorFlow 2.21 /
Keras 3, not what its documentation says, where the two differ:

* ``width_shift_range`` moves images **vertically** and ``height_shift_range``
  horizontally (the generator swaps them), so ``width_shift_range`` becomes
  ``RandomTranslation``'s ``height_factor`` and ``height_shift_range`` its
  ``width_factor``. The shift is a fraction of the *other* side, so for
  images that are not square the factor is scaled by width / height.
* ``rotation_range`` is in degrees; ``RandomRotation``'s factor is a
  fraction of a full turn: ``factor = degrees / 360``.
* ``shear_range`` is an angle in degrees; the generator shifts each row by
  ``sin(angle)`` pixels per row, which is ``RandomShear``'s ``x_factor``.
  ``RandomShear`` pivots about the top edge rather than the centre, so the
  sheared picture is also shifted sideways (see :func:`migration_table`).
* ``zoom_range`` ``[lo, hi]`` (below 1 magnifies) becomes
  ``RandomZoom(height_factor=(lo - 1, hi - 1), width_factor=(lo - 1, hi - 1))``
  (negative zooms in). The generator draws the two zooms independently,
  so ``width_factor`` is given explicitly.
* The two flips become two ``RandomFlip`` layers, because
  ``RandomFlip("horizontal_and_vertical")`` draws one coin for both axes.
* ``brightness_range`` multiplies pixels; ``RandomBrightness`` adds a
  fraction of the value range. The converter matches the change of a
  mid-grey pixel: an approximation.
* The generator's fill mode (default ``"nearest"``) and ``cval`` are passed to
  every geometric layer, whose own default is ``"reflect"``.

Like the generator, the stack expects pixels on the 0..255 scale: the random
layers come first, then ``Rescaling`` and ``Normalization``, in the order the
generator applies them.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Sequence
from numbers import Real
from typing import Any

import numpy as np

from . import _validate

#: Every keyword ``ImageDataGenerator.__init__`` accepts in Keras 3 / TF 2.21.
GENERATOR_OPTIONS: tuple[str, ...] = (
    "featurewise_center", "samplewise_center", "featurewise_std_normalization",
    "samplewise_std_normalization", "zca_whitening", "zca_epsilon", "rotation_range",
    "width_shift_range", "height_shift_range", "brightness_range", "shear_range", "zoom_range",
    "channel_shift_range", "fill_mode", "cval", "horizontal_flip", "vertical_flip", "rescale",
    "preprocessing_function", "data_format", "validation_split", "interpolation_order", "dtype",
)

#: Options the converter cannot translate when set, with what to do instead.
UNSUPPORTED: dict[str, str] = {
    "samplewise_center": "Keras has no built-in layer for it; subtract each image's mean in a "
                         "keras.layers.Lambda if you need it",
    "samplewise_std_normalization": "Keras has no built-in layer for it; divide each image by its own "
                                    "std in a keras.layers.Lambda if you need it",
    "zca_whitening": "Keras has no ZCA whitening layer",
    "channel_shift_range": "Keras has no layer that adds one random number to every channel; "
                           "RandomColorJitter and RandomHue change colours differently",
    "preprocessing_function": "wrap your function in a keras.layers.Lambda yourself",
    "validation_split": "it is not augmentation: split the data yourself (e.g. load_cifar10(n_val=...))",
}

#: The fill modes both APIs understand.
FILL_MODES: tuple[str, ...] = ("nearest", "constant", "reflect", "wrap")

_DEFAULTS: dict[str, Any] = {
    "featurewise_center": False, "samplewise_center": False, "featurewise_std_normalization": False,
    "samplewise_std_normalization": False, "zca_whitening": False, "zca_epsilon": 1e-6,
    "rotation_range": 0, "width_shift_range": 0.0, "height_shift_range": 0.0, "brightness_range": None,
    "shear_range": 0.0, "zoom_range": 0.0, "channel_shift_range": 0.0, "fill_mode": "nearest",
    "cval": 0.0, "horizontal_flip": False, "vertical_flip": False, "rescale": None,
    "preprocessing_function": None, "data_format": None, "validation_split": 0.0,
    "interpolation_order": 1, "dtype": None,
}

_TABLE: tuple[dict[str, str], ...] = (
    {"option": "rotation_range=deg", "ImageDataGenerator": "angle drawn from [-deg, +deg] degrees",
     "Keras layer": "RandomRotation(factor)", "unit conversion": "factor = deg / 360 (a fraction of a full turn)",
     "notes": "RandomRotation(20) is rejected (|factor| must be <= 1); RandomRotation((-20, 20)) is accepted "
              "and turns by up to 20 full turns."},
    {"option": "width_shift_range=w", "ImageDataGenerator": "moves the image VERTICALLY by up to w x width pixels",
     "Keras layer": "RandomTranslation(height_factor=..., width_factor=...)",
     "unit conversion": "height_factor = w x width / height (= w for square images)",
     "notes": "The generator swaps the axes: width_shift_range shifts up/down. Values >= 1 (pixels) are not "
              "converted: divide by the image size."},
    {"option": "height_shift_range=h", "ImageDataGenerator": "moves the image HORIZONTALLY by up to h x height pixels",
     "Keras layer": "RandomTranslation(height_factor=..., width_factor=...)",
     "unit conversion": "width_factor = h x height / width (= h for square images)",
     "notes": "The generator swaps the axes: height_shift_range shifts left/right."},
    {"option": "shear_range=deg", "ImageDataGenerator": "horizontal shear by an angle from [-deg, +deg] degrees, "
                                                        "about the centre",
     "Keras layer": "RandomShear(x_factor=s, y_factor=0)",
     "unit conversion": "s = sin(deg in radians): the sideways shift per row",
     "notes": "RandomShear pivots about the top edge, so it also shifts the picture sideways by up to "
              "s x height / 2 in its middle."},
    {"option": "zoom_range=z or [lo, hi]", "ImageDataGenerator": "scale drawn from [1 - z, 1 + z] (or [lo, hi]) for "
                                                                 "each axis; below 1 magnifies",
     "Keras layer": "RandomZoom(height_factor, width_factor)",
     "unit conversion": "factor = (lo - 1, hi - 1) for both axes; negative zooms in",
     "notes": "Same sign convention once 1 is subtracted. Give width_factor too: the generator draws the two "
              "axes independently. RandomZoom allows factors up to 1, i.e. hi <= 2."},
    {"option": "horizontal_flip=True", "ImageDataGenerator": "mirror left-right with probability 1/2",
     "Keras layer": 'RandomFlip("horizontal")', "unit conversion": "none",
     "notes": 'With vertical_flip too, use two RandomFlip layers: RandomFlip("horizontal_and_vertical") draws '
              "one coin for both axes."},
    {"option": "vertical_flip=True", "ImageDataGenerator": "mirror top-bottom with probability 1/2",
     "Keras layer": 'RandomFlip("vertical")', "unit conversion": "none",
     "notes": "Independent of the horizontal flip, as in the generator."},
    {"option": "brightness_range=[lo, hi]", "ImageDataGenerator": "multiplies every pixel by b from [lo, hi]",
     "Keras layer": "RandomBrightness(factor, value_range=(0, 255))",
     "unit conversion": "factor = ((lo - 1) / 2, (hi - 1) / 2): adds a fraction of the 0..255 range",
     "notes": "An approximation: it matches the change of a mid-grey pixel; brighter pixels change more "
              "under the generator, darker ones more under the layer. Needs hi <= 3."},
    {"option": "fill_mode, cval", "ImageDataGenerator": 'default "nearest", cval=0',
     "Keras layer": "fill_mode=..., fill_value=cval on every geometric layer",
     "unit conversion": "same names",
     "notes": 'The layers default to "reflect": pass the generator\'s mode explicitly.'},
    {"option": "interpolation_order", "ImageDataGenerator": "spline order, default 1",
     "Keras layer": "interpolation=... on every geometric layer",
     "unit conversion": '0 -> "nearest", 1 -> "bilinear"', "notes": "Higher orders are not converted."},
    {"option": "rescale=r", "ImageDataGenerator": "multiplies pixels by r after augmenting",
     "Keras layer": "Rescaling(scale=r)", "unit conversion": "same number",
     "notes": "Placed after the random layers, as in the generator."},
    {"option": "featurewise_center", "ImageDataGenerator": "subtracts the per-channel mean learned by .fit(x)",
     "Keras layer": "Normalization(mean=..., variance=1)", "unit conversion": "mean of x x rescale per channel",
     "notes": "Needs the training images: generator_to_layers(..., x=x_train)."},
    {"option": "featurewise_std_normalization", "ImageDataGenerator": "also divides by the per-channel std "
                                                                      "learned by .fit(x)",
     "Keras layer": "Normalization() then .adapt(x x rescale)", "unit conversion": "variance = std ** 2",
     "notes": "Turns featurewise_center on, as the generator does. Needs x."},
) + tuple(
    {"option": f"{name}", "ImageDataGenerator": "", "Keras layer": "(none)", "unit conversion": "",
     "notes": f"Not converted: {why}."}
    for name, why in UNSUPPORTED.items()
)


def migration_table() -> list[dict[str, str]]:
    """The option-by-option translation as rows of a table.

    Each row is a dict with the keys ``"option"``, ``"ImageDataGenerator"``
    (what the option does there), ``"Keras layer"``, ``"unit conversion"``
    and ``"notes"``; ``pandas.DataFrame(migration_table())`` shows it. The
    last rows list the options :func:`generator_to_layers` refuses.
    """
    return [dict(row) for row in _TABLE]


# --------------------------------------------------------------------------- option checks


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def _fraction_shift(name: str, value: Any) -> float:
    if isinstance(value, (list, tuple, np.ndarray)):
        raise ValueError(f"{name}: a list of allowed shifts has no layer equivalent; give one fraction "
                         f"of the image size (0 <= value < 1), got {value!r}")
    value = _validate.number(name, value, minimum=0.0)
    if value >= 1:
        raise ValueError(f"{name}={value:g} counts pixels in ImageDataGenerator (values >= 1); give it as a "
                         "fraction of the image size instead (pixels / size, below 1)")
    return value


def _zoom_bounds(value: Any) -> tuple[float, float]:
    if isinstance(value, (list, tuple, np.ndarray)):
        if len(value) != 2:
            raise ValueError(f"zoom_range must be a number or a pair [lo, hi], got {value!r}")
        lo = _validate.number("zoom_range[0]", value[0], minimum=0.0)
        hi = _validate.number("zoom_range[1]", value[1], minimum=0.0)
        if not 0 < lo <= hi:
            raise ValueError(f"zoom_range must be [lo, hi] with 0 < lo <= hi, got {value!r}")
    else:
        z = _validate.number("zoom_range", value, minimum=0.0)
        if z >= 1:
            raise ValueError(f"zoom_range={z:g} would draw scales down to {1 - z:g} (a flip or worse); "
                             "use a number below 1 or a pair [lo, hi]")
        lo, hi = 1.0 - z, 1.0 + z
    if hi > 2:
        raise ValueError(f"zoom_range: RandomZoom shrinks by at most a factor 2 (factor <= 1), "
                         f"so the upper scale must be <= 2, got {hi:g}")
    return lo, hi


def _brightness_bounds(value: Any) -> tuple[float, float]:
    if not isinstance(value, (list, tuple, np.ndarray)) or len(value) != 2:
        raise ValueError(f"brightness_range must be None or a pair [lo, hi], got {value!r}")
    lo = _validate.number("brightness_range[0]", value[0], minimum=0.0)
    hi = _validate.number("brightness_range[1]", value[1], minimum=0.0)
    if lo > hi:
        raise ValueError(f"brightness_range must be [lo, hi] with lo <= hi, got {value!r}")
    if hi > 3:
        raise ValueError(f"brightness_range: the upper bound must be <= 3 to fit RandomBrightness's "
                         f"factor (at most 1), got {hi:g}")
    return lo, hi


def _check_options(options: dict[str, Any]) -> dict[str, Any]:
    """Reject unknown and unsupported options; return all options with defaults filled in."""
    for name in options:
        if name not in GENERATOR_OPTIONS:
            close = difflib.get_close_matches(name, GENERATOR_OPTIONS, n=1)
            extra = f"; did you mean {close[0]!r}?" if close else ""
            raise ValueError(f"{name!r} is not an ImageDataGenerator option{extra}")
    for name, why in UNSUPPORTED.items():
        value = options.get(name, _DEFAULTS[name])
        if value is not None and value is not False and not (isinstance(value, Real) and value == 0):
            raise ValueError(f"{name}={value!r} cannot be converted to a Keras layer: {why}")
    if options.get("zca_epsilon", 1e-6) != 1e-6:
        raise ValueError("zca_epsilon only matters with zca_whitening, which cannot be converted")
    if options.get("data_format") not in (None, "channels_last"):
        raise ValueError(f"data_format must be None or 'channels_last' (the course's layout), "
                         f"got {options['data_format']!r}")
    if options.get("dtype") not in (None, "float32", np.float32):
        raise ValueError(f"dtype must be None or 'float32', got {options['dtype']!r}")
    return {**_DEFAULTS, **options}


def _image_shape(x: np.ndarray | None, input_shape: Sequence[int] | None) -> tuple[int, int, int] | None:
    if input_shape is not None:
        if not isinstance(input_shape, Sequence) or len(input_shape) != 3:
            raise ValueError(f"input_shape must be (height, width, channels), got {input_shape!r}")
        shape = tuple(_validate.integer("input_shape", v, minimum=1) for v in input_shape)
        if x is not None and tuple(x.shape[1:]) != shape:
            raise ValueError(f"input_shape {shape} does not match the images x {tuple(x.shape[1:])}")
        return shape  # type: ignore[return-value]
    if x is not None:
        return tuple(int(v) for v in x.shape[1:])  # type: ignore[return-value]
    return None


# --------------------------------------------------------------------------- the converter


def generator_to_layers(
    *,
    x: np.ndarray | None = None,
    input_shape: Sequence[int] | None = None,
    seed: int | None = None,
    name: str = "augmentation",
    **generator_options: Any,
):
    """Translate ``ImageDataGenerator(**generator_options)`` into a ``keras.Sequential``.

    Pass exactly the keywords you would give ``ImageDataGenerator``; the
    returned stack makes the same kind of random change (see the module
    docstring and :func:`migration_table` for each option's conversion). It
    expects images on the 0..255 scale, like the generator before ``rescale``.

    * ``x``: the training images (``N x H x W x C``), needed for
      ``featurewise_center`` / ``featurewise_std_normalization`` (what
      ``generator.fit(x)`` would see) and used for the image shape.
    * ``input_shape``: ``(height, width, channels)``; with ``x`` or this the
      stack starts with ``keras.Input`` and shifts of non-square images are
      converted exactly (otherwise images are assumed square).
    * ``seed``: seeds the random layers (layer ``k`` gets ``seed + k``).

    Unknown options and options with no layer equivalent raise ``ValueError``
    naming the option; with no option at all the stack is the identity.
    """
    import keras
    from keras import layers

    opts = _check_options(generator_options)
    if x is not None:
        x = _validate.array("x", x, ndims=(4,))
    shape = _image_shape(x, input_shape)
    if seed is not None:
        seed = _validate.integer("seed", seed, minimum=0)
    if not isinstance(name, str) or not name:
        raise ValueError(f"name must be a non-empty string, got {name!r}")

    rotation = _validate.number("rotation_range", opts["rotation_range"], minimum=0.0, maximum=360.0)
    width_shift = _fraction_shift("width_shift_range", opts["width_shift_range"])
    height_shift = _fraction_shift("height_shift_range", opts["height_shift_range"])
    shear = _validate.number("shear_range", opts["shear_range"], minimum=0.0)
    if shear >= 90:
        raise ValueError(f"shear_range must be an angle below 90 degrees, got {shear:g}")
    zoom = _zoom_bounds(opts["zoom_range"])
    h_flip = _flag("horizontal_flip", opts["horizontal_flip"])
    v_flip = _flag("vertical_flip", opts["vertical_flip"])
    brightness = None if opts["brightness_range"] is None else _brightness_bounds(opts["brightness_range"])
    fill_mode = _validate.one_of("fill_mode", opts["fill_mode"], FILL_MODES)
    cval = _validate.number("cval", opts["cval"])
    order = _validate.one_of("interpolation_order", opts["interpolation_order"], (0, 1))
    interpolation = "nearest" if order == 0 else "bilinear"
    rescale = opts["rescale"]
    if rescale is not None:
        rescale = _validate.number("rescale", rescale)
    center = _flag("featurewise_center", opts["featurewise_center"])
    std = _flag("featurewise_std_normalization", opts["featurewise_std_normalization"])
    center = center or std  # the generator turns centring on with std normalisation

    counter = iter(range(1000))

    def next_seed() -> int | None:
        return None if seed is None else seed + next(counter)

    geometry = {"fill_mode": fill_mode, "fill_value": cval, "interpolation": interpolation}
    stack: list[Any] = []
    if shape is not None:
        stack.append(keras.Input(shape=shape))
    if rotation:
        stack.append(layers.RandomRotation(rotation / 360.0, seed=next_seed(), name="rotation", **geometry))
    if width_shift or height_shift:
        aspect = 1.0 if shape is None else shape[1] / shape[0]  # width / height
        vertical = width_shift * aspect  # width_shift_range moves rows, by a fraction of the width
        horizontal = height_shift / aspect
        if max(vertical, horizontal) > 1:
            raise ValueError("width_shift_range/height_shift_range: for this image shape the shift is larger "
                             "than the image; use smaller fractions")
        stack.append(layers.RandomTranslation(height_factor=vertical, width_factor=horizontal,
                                              seed=next_seed(), name="translation", **geometry))
    if shear:
        slope = math.sin(math.radians(shear))
        stack.append(layers.RandomShear(x_factor=slope, y_factor=0.0, seed=next_seed(), name="shear", **geometry))
    if zoom != (1.0, 1.0):
        factor = (zoom[0] - 1.0, zoom[1] - 1.0)
        stack.append(layers.RandomZoom(height_factor=factor, width_factor=factor, seed=next_seed(),
                                       name="zoom", **geometry))
    if h_flip:
        stack.append(layers.RandomFlip("horizontal", seed=next_seed(), name="flip_horizontal"))
    if v_flip:
        stack.append(layers.RandomFlip("vertical", seed=next_seed(), name="flip_vertical"))
    if brightness is not None:
        factor = ((brightness[0] - 1.0) / 2.0, (brightness[1] - 1.0) / 2.0)
        stack.append(layers.RandomBrightness(factor, value_range=(0.0, 255.0), seed=next_seed(),
                                             name="brightness"))
    if rescale:
        stack.append(layers.Rescaling(rescale, name="rescale"))
    if center:
        if x is None:
            option = "featurewise_std_normalization" if std else "featurewise_center"
            raise ValueError(f"{option} learns from the training images: pass them as "
                             "generator_to_layers(..., x=x_train), as you would call generator.fit(x_train)")
        scaled = x.astype(np.float32) * (rescale or 1.0)
        if std:
            norm = layers.Normalization(axis=-1, name="normalization")
            norm.adapt(scaled)
        else:
            mean = scaled.mean(axis=(0, 1, 2))
            norm = layers.Normalization(axis=-1, mean=mean, variance=np.ones_like(mean), name="normalization")
        stack.append(norm)
    if len(stack) == (0 if shape is None else 1):
        stack.append(layers.Identity(name="identity"))
    return keras.Sequential(stack, name=name)
