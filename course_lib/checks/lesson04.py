"""Feedback for the exercise of lesson 04: translate an ImageDataGenerator into layers.

The student is given :data:`EXERCISE_CONFIG` (the keywords of an
``ImageDataGenerator``) and writes a ``keras.Sequential`` of preprocessing
layers that makes the same random changes. :func:`check_translation` looks
at the layers' types and key parameters (rotation factor in fractions of a
turn, translation axes given the generator's swap, zoom sign, fill mode,
flip mode, rescaling) and names the first thing that differs.
"""

from __future__ import annotations

import math
from typing import Any

from . import Feedback, correct, hint, never_crash

#: The generator configuration the exercise asks to translate.
EXERCISE_CONFIG: dict[str, Any] = {
    "rotation_range": 30,
    "width_shift_range": 0.1,
    "height_shift_range": 0.2,
    "zoom_range": [0.8, 1.0],
    "horizontal_flip": True,
    "rescale": 1 / 255,
}

_ROTATION = 30 / 360
_VERTICAL, _HORIZONTAL = 0.1, 0.2  # height_factor from width_shift_range, width_factor from height_shift_range
_ZOOM = (-0.2, 0.0)
_TOL = 1e-3

#: The layer types a correct answer has, and what in the configuration asks for each.
_NEEDED: dict[str, str] = {
    "RandomRotation": "rotation_range=30",
    "RandomTranslation": "width_shift_range=0.1 and height_shift_range=0.2",
    "RandomZoom": "zoom_range=[0.8, 1.0]",
    "RandomFlip": "horizontal_flip=True",
    "Rescaling": "rescale=1/255",
}
_GEOMETRIC = ("RandomRotation", "RandomTranslation", "RandomZoom")


def _close(a: float, b: float) -> bool:
    return abs(float(a) - float(b)) <= _TOL


def _pair_close(pair: tuple[float, float], expected: tuple[float, float]) -> bool:
    return _close(pair[0], expected[0]) and _close(pair[1], expected[1])


def _flatten(model: Any) -> list[Any]:
    """The layers of ``model``, nested Sequentials opened (Keras leaves out the input layer)."""
    import keras

    out = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue  # a functional model lists its input; it changes nothing
        if isinstance(layer, (keras.Model, keras.layers.Pipeline)):
            out.extend(_flatten(layer))
        else:
            out.append(layer)
    return out


def _check_rotation(layer: Any) -> Feedback | None:
    lo, hi = (float(v) for v in layer.factor)
    if _pair_close((lo, hi), (-_ROTATION, _ROTATION)):
        return None
    biggest = max(abs(lo), abs(hi))
    if biggest > 1:
        return hint(f"RandomRotation({(lo, hi)!r}) turns by up to {biggest:g} full turns: the factor is a "
                    "fraction of a full turn, not degrees. rotation_range=30 degrees is 30 / 360 of a turn.")
    if _close(biggest, 30 / 180):
        return hint("you divided by 180, but a full turn is 360 degrees: the factor is a fraction of a full "
                    "turn, so rotation_range=30 becomes 30 / 360.")
    if _close(biggest, math.radians(30)):
        return hint("that is 30 degrees in radians; RandomRotation's factor is a fraction of a full turn: "
                    "30 / 360.")
    if _close(biggest, _ROTATION) and (_close(lo, 0) or _close(hi, 0)):
        return hint("rotation_range=30 turns both ways (-30 to +30 degrees); one number, RandomRotation(30 / 360), "
                    "gives that range.")
    return hint(f"RandomRotation's factor should be 30 / 360 = {_ROTATION:.4f} of a turn (either way), "
                f"got the range {(round(lo, 4), round(hi, 4))}.")


def _check_translation_layer(layer: Any) -> Feedback | None:
    vertical = (float(layer.height_lower), float(layer.height_upper))
    horizontal = (float(layer.width_lower), float(layer.width_upper))
    if _pair_close(vertical, (-_VERTICAL, _VERTICAL)) and _pair_close(horizontal, (-_HORIZONTAL, _HORIZONTAL)):
        return None
    if _pair_close(vertical, (-_HORIZONTAL, _HORIZONTAL)) and _pair_close(horizontal, (-_VERTICAL, _VERTICAL)):
        return hint("the shift axes are swapped: in ImageDataGenerator width_shift_range moves images VERTICALLY "
                    "and height_shift_range horizontally (measure it with a dot image, as in the lesson). To make "
                    "the same change, width_shift_range=0.1 becomes height_factor=0.1 and height_shift_range=0.2 "
                    "becomes width_factor=0.2.")
    return hint(f"RandomTranslation should shift up/down by up to 0.1 of the height (height_factor=0.1, from "
                f"width_shift_range, which moves vertically) and left/right by up to 0.2 of the width "
                f"(width_factor=0.2); got height {vertical} and width {horizontal}.")


def _check_zoom(layer: Any) -> Feedback | None:
    """A hint, or None when the zoom is the generator's."""
    height = (float(layer.height_lower), float(layer.height_upper))
    if not _pair_close(height, _ZOOM):
        if _pair_close(height, (0.8, 1.0)):
            return hint("RandomZoom's factor is the change of scale, not the scale: subtract 1 from "
                        "zoom_range=[0.8, 1.0] to get (-0.2, 0.0).")
        if _pair_close(height, (0.0, 0.2)):
            return hint("check the sign: zoom_range=[0.8, 1.0] magnifies (a scale below 1 zooms in), and "
                        "RandomZoom zooms in for NEGATIVE factors: use (-0.2, 0.0).")
        if _pair_close(height, (-0.2, 0.2)):
            return hint("zoom_range here is the pair [0.8, 1.0], not the number 0.2: it only zooms in, so the "
                        "factor is (-0.2, 0.0), not +-0.2.")
        return hint(f"RandomZoom's height_factor should be (-0.2, 0.0) (zoom_range [0.8, 1.0] minus 1), got "
                    f"{height}.")
    if layer.width_factor is None:
        return hint("RandomZoom without width_factor zooms both axes by the same amount, but the generator draws "
                    "the vertical and the horizontal zoom independently (zx and zy): give width_factor=(-0.2, 0.0) "
                    "as well.")
    width = (float(layer.width_lower), float(layer.width_upper))
    if not _pair_close(width, _ZOOM):
        return hint(f"RandomZoom's width_factor should be (-0.2, 0.0) like the height, got {width}.")
    return None


@never_crash
def check_translation(layers_model: Any) -> Feedback:
    """Check a ``keras.Sequential`` that should do what ``ImageDataGenerator(**EXERCISE_CONFIG)`` does."""
    import keras

    if isinstance(layers_model, (list, tuple)):
        return hint("wrap your list of layers in keras.Sequential([...]) so it can be called on images.")
    if isinstance(layers_model, keras.layers.Layer) and not isinstance(layers_model, keras.Model):
        return hint(f"that is a single {type(layers_model).__name__} layer; put all the layers in one "
                    "keras.Sequential([...]).")
    if not isinstance(layers_model, keras.Model):
        return hint(f"`augment` should be a keras.Sequential of layers, got {type(layers_model).__name__}.")
    layers = _flatten(layers_model)
    by_type: dict[str, list[Any]] = {}
    for layer in layers:
        by_type.setdefault(type(layer).__name__, []).append(layer)

    for name, reason in _NEEDED.items():
        if name not in by_type:
            return hint(f"the configuration has {reason}: add a keras.layers.{name}.")
        if len(by_type[name]) > 1:
            return hint(f"you have {len(by_type[name])} {name} layers; one is enough.")
    extra = [name for name in by_type if name not in _NEEDED]
    if extra:
        return hint(f"the configuration asks for nothing that needs {', '.join(extra)}: remove "
                    f"{'it' if len(extra) == 1 else 'them'} (no shear, no brightness, no vertical flip).")

    for check, name in ((_check_rotation, "RandomRotation"), (_check_translation_layer, "RandomTranslation")):
        feedback = check(by_type[name][0])
        if feedback is not None:
            return feedback
    feedback = _check_zoom(by_type["RandomZoom"][0])
    if feedback is not None:
        return feedback

    for name in _GEOMETRIC:
        layer = by_type[name][0]
        if layer.fill_mode != "nearest":
            return hint(f"{name} fills with {layer.fill_mode!r}, but ImageDataGenerator fills with 'nearest' by "
                        f"default (the layers default to 'reflect'): pass fill_mode='nearest'.")
        if layer.interpolation != "bilinear":
            return hint(f"{name} reads pixels with {layer.interpolation!r}; the generator's default "
                        "interpolation_order=1 is 'bilinear' (the layers' default too).")

    mode = by_type["RandomFlip"][0].mode
    if mode != "horizontal":
        if mode == "horizontal_and_vertical":
            return hint("horizontal_flip=True mirrors left-right only; 'horizontal_and_vertical' also turns "
                        "images upside down. Use RandomFlip('horizontal').")
        return hint(f"RandomFlip({mode!r}) mirrors top-bottom; horizontal_flip=True (a left-right mirror) is "
                    "RandomFlip('horizontal').")

    rescale = by_type["Rescaling"][0]
    if not (_close(float(rescale.scale), 1 / 255) and _close(float(rescale.offset), 0.0)):
        return hint(f"rescale=1/255 multiplies the pixels by 1/255: use Rescaling(1 / 255) (got scale "
                    f"{float(rescale.scale):g}, offset {float(rescale.offset):g}).")

    return correct("the same random changes as the generator: RandomRotation(30 / 360), RandomTranslation with the "
                   "axes swapped (height_factor=0.1, width_factor=0.2), RandomZoom with (-0.2, 0.0) on both axes, "
                   "RandomFlip('horizontal'), fill_mode='nearest' on the geometric layers, then Rescaling(1 / 255).")
