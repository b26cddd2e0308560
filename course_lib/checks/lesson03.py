"""Feedback for the exercise of lesson 03: choose label-preserving transforms per dataset.

The student describes an augmentation for a dataset as a dict, with the keys
and units of :data:`course_lib.transforms.TRANSFORMS` (and
:data:`course_lib.transforms.STRENGTH_UNITS`), plus a one-line justification
under ``"why"``::

    {"horizontal_flip": True, "vertical_flip": False, "rotation": 10,
     "width_shift": 0.1, "why": "a street seen in a mirror is still a street"}

Flips and ``invert`` take ``True``/``False`` (or a probability 0..1); every
other transform takes the limit of its range (``rotation`` 10 = turns between
-10 and +10 degrees). Keys left out are off. :func:`check_choices` names every
choice that would make images the model is never shown, and says why.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Real
from typing import Any

from ..transforms import MAX_STRENGTH, STRENGTH_UNITS, TRANSFORMS
from . import Feedback, correct, hint, never_crash

#: Transforms switched on or off (a bool, or a probability 0..1).
SWITCHES: tuple[str, ...] = ("horizontal_flip", "vertical_flip", "invert")
#: The key holding the student's one-line justification.
WHY = "why"


@dataclass(frozen=True)
class Rules:
    """What keeps the label for one kind of image.

    ``forbidden`` maps a switch that must stay off to the reason; ``limits``
    maps a range to (largest suitable value, reason it is too much beyond).
    ``suggested`` maps a transform the dataset accepts freely, and that a good
    answer uses, to a note shown when it is left out (a note, not an error).
    """

    label: str
    forbidden: Mapping[str, str]
    limits: Mapping[str, tuple[float, str]]
    suggested: Mapping[str, str]


DATASETS: dict[str, Rules] = {
    "street": Rules(
        label="street photos",
        forbidden={
            "vertical_flip": "upside down, the sky is under the road and the cars hang from it: a camera on a "
                             "street never takes that photo, so the model would learn from images it is never "
                             "shown. Keep vertical_flip False (a horizontal flip is fine: a mirrored street is "
                             "still a plausible street).",
            "invert": "a negative (dark sky, bright tarmac, traffic lights in the wrong colours) is never "
                      "what a camera records. Keep invert False.",
        },
        limits={
            "rotation": (20, "a camera is held roughly level; beyond about 20 degrees the horizon tilts more "
                             "than in real photos, and near 180 the street is upside down."),
            "shear": (20, "strong slant makes buildings lean in a way no lens produces."),
            "width_shift": (0.3, "a shift that large pushes the cars and people you classify out of the frame."),
            "height_shift": (0.3, "a shift that large pushes the cars and people you classify out of the frame."),
            "zoom": (0.3, "beyond that, zooming in crops away the objects and zooming out leaves a large "
                          "invented border."),
            "crop_and_pad": (0.25, "padding that much leaves a large black border the camera never records."),
            "brightness": (0.5, "beyond that, images turn to black or white and the scene is gone."),
            "contrast": (0.5, "beyond that, the image turns into a flat grey wash."),
            "channel_shift": (0.2, "colour carries meaning on a street (red and green lights, signs); a strong "
                                   "tint can turn one into the other."),
            "blur": (3, "a blur that strong hides signs and number plates a sharp photo shows."),
            "sharpen": (3, "beyond that, edges get haloes and noise no camera produces."),
        },
        suggested={"horizontal_flip": "A mirrored street scene is still a plausible photo; horizontal_flip "
                                      "is a nearly free extra."},
    ),
    "digits": Rules(
        label="handwritten digits",
        forbidden={
            "horizontal_flip": "a mirrored 2, 3, 4, 5 or 7 is not how anyone writes that digit, so the model "
                               "would learn from shapes it never meets in real handwriting. Keep "
                               "horizontal_flip False.",
            "vertical_flip": "upside down, a 7 or a 4 is no digit at all, and together with a mirror it turns "
                             "a 6 into a 9: the label changes. Keep vertical_flip False.",
            "invert": "the digits always come as one colour of stroke on one background; the negative is an "
                      "image the model never sees. Keep invert False.",
        },
        limits={
            "rotation": (20, "handwriting slants by about 10 to 15 degrees; at large angles a 6 becomes a 9 "
                             "(at 180 degrees exactly) and a 1 lies down like a minus sign."),
            "shear": (20, "handwriting slants by about 10 to 15 degrees; a stronger slant makes a 1 look "
                          "like a 7."),
            "width_shift": (0.2, "digits are centred and fill the frame; a larger shift pushes strokes out "
                                 "of it (a 7 that loses its top bar reads as a 1)."),
            "height_shift": (0.2, "digits are centred and fill the frame; a larger shift pushes strokes "
                                  "out of it (a 9 that loses its loop reads as a 1)."),
            "zoom": (0.2, "digits are normalised to the same size; zooming in further cuts strokes off."),
            "crop_and_pad": (0.15, "digits fill the small frame, so a large pad-and-crop cuts strokes off."),
            "brightness": (0.5, "beyond that, the strokes vanish into the background."),
            "contrast": (0.5, "beyond that, the strokes and the background become the same grey."),
            "channel_shift": (0.5, "on grey digits this is a brightness change; beyond that the strokes vanish."),
            "blur": (1, "the images are tiny: a sigma above about 1 pixel smears neighbouring strokes together "
                        "(a 3 becomes an 8)."),
            "sharpen": (3, "beyond that, the strokes get haloes no scanner produces."),
        },
        suggested={},
    ),
    "satellite": Rules(
        label="satellite images",
        forbidden={
            "invert": "a negative turns water bright and fields purple; no satellite records that. "
                      "Keep invert False.",
        },
        limits={
            "width_shift": (0.5, "beyond half the tile, most of the image is invented by the fill mode."),
            "height_shift": (0.5, "beyond half the tile, most of the image is invented by the fill mode."),
            "shear": (20, "strong slant distorts the ground's shapes (round fields, straight roads) in a way "
                          "the orbit never does."),
            "zoom": (0.3, "a satellite photographs the ground at a fixed resolution; size carries meaning "
                          "(a house vs a warehouse), so keep zoom small."),
            "crop_and_pad": (0.25, "padding that much leaves a large border no satellite records."),
            "brightness": (0.5, "beyond that, images turn to black or white and the ground is gone."),
            "contrast": (0.5, "beyond that, the image turns into a flat wash."),
            "channel_shift": (0.1, "colour carries the label from above (green forest, brown farmland, blue "
                                   "water); a strong tint turns one class into another."),
            "blur": (2, "a blur that strong hides roads and buildings the sensor resolves."),
            "sharpen": (3, "beyond that, edges get haloes and noise the sensor does not produce."),
        },
        suggested={
            "vertical_flip": "Seen from above there is no 'up': an upside-down tile is still a real tile, so "
                             "vertical_flip is free extra data here.",
            "rotation": "Any rotation of a tile seen from above (90 degrees and beyond) is still a real tile, "
                        "so a rotation of up to 180 is free extra data here.",
        },
    ),
}

_ALIASES = {
    "street": "street", "street photos": "street", "streets": "street", "street photo": "street",
    "digits": "digits", "handwritten digits": "digits", "digit": "digits", "handwritten": "digits",
    "satellite": "satellite", "satellite images": "satellite", "satellite image": "satellite",
}


def _dataset_key(dataset: Any) -> str | None:
    if not isinstance(dataset, str):
        return None
    return _ALIASES.get(dataset.strip().lower())


def _read_value(key: str, value: Any) -> tuple[float | None, str | None]:
    """The choice as a number (0 = off), or an explanation of why it cannot be read."""
    if value is Ellipsis:
        return None, f"{key}: replace the `...` with your choice."
    if key in SWITCHES:
        if isinstance(value, bool):
            return float(value), None
        if isinstance(value, Real) and math.isfinite(value) and 0 <= value <= 1:
            return float(value), None
        return None, f"{key} is switched on or off: use True or False (or a probability 0..1), got {value!r}."
    unit = STRENGTH_UNITS[key]
    if isinstance(value, bool) or not isinstance(value, Real):
        return None, (f"{key} takes the limit of its range, a number in {unit} (e.g. {key!r}: "
                      f"{_example(key)}), not {value!r}; leave the key out to switch it off.")
    if not math.isfinite(value) or value < 0 or value > MAX_STRENGTH[key]:
        return None, f"{key} must be a number from 0 to {MAX_STRENGTH[key]:g} ({unit}), got {value!r}."
    return float(value), None


def _example(key: str) -> str:
    return {"rotation": "10", "shear": "10", "blur": "1", "sharpen": "1"}.get(key, "0.1")


@never_crash
def check_choices(dataset: str, choices: dict[str, Any]) -> Feedback:
    """Check the transforms and ranges chosen for ``dataset``.

    ``dataset`` is ``"street"``, ``"digits"`` or ``"satellite"``; ``choices``
    is a dict as in the module docstring. Every choice that would change the
    label or make images the model is never shown is named with the reason.
    """
    key = _dataset_key(dataset)
    if key is None:
        return hint(f"dataset must be one of 'street', 'digits' or 'satellite', got {dataset!r}.")
    rules = DATASETS[key]
    if not isinstance(choices, Mapping):
        return hint(f"choices must be a dict such as {{'horizontal_flip': True, 'rotation': 10, "
                    f"'why': '...'}}, got {type(choices).__name__}.")

    unreadable: list[str] = []
    values: dict[str, float] = {}
    for name, value in choices.items():
        if name == WHY:
            continue
        if name not in TRANSFORMS:
            close = difflib.get_close_matches(str(name), list(TRANSFORMS), n=1)
            also = f" Did you mean {close[0]!r}?" if close else ""
            unreadable.append(f"{name!r} is not a transform.{also} Use the names of "
                              f"course_lib.transforms.TRANSFORMS: {', '.join(TRANSFORMS)}.")
            continue
        number, problem = _read_value(name, value)
        if problem:
            unreadable.append(problem)
        else:
            values[name] = number  # type: ignore[assignment]
    if unreadable:
        return hint(f"for {rules.label}, fix these entries first:\n" + "\n".join(f"  - {p}" for p in unreadable))

    on = {name: v for name, v in values.items() if v > 0}
    if not on:
        return hint(f"for {rules.label} you switched every transform off; choose at least one that keeps "
                    "the label, with a range.")

    problems = [f"{name}: {rules.forbidden[name]}" for name in on if name in rules.forbidden]
    for name, v in on.items():
        if name in rules.limits and v > rules.limits[name][0]:
            limit, reason = rules.limits[name]
            problems.append(f"{name} {v:g} is too much for {rules.label}: {reason} Keep it at or below "
                            f"{limit:g} ({STRENGTH_UNITS[name]}).")
    if problems:
        return hint(f"for {rules.label}, {len(problems)} choice(s) would make images the model is never shown "
                    "or change the label:\n" + "\n".join(f"  - {p}" for p in problems))

    why = choices.get(WHY)
    if why is Ellipsis or not isinstance(why, str) or len(why.split()) < 3:
        return hint(f"your transforms suit {rules.label}; now add a one-line justification as "
                    f"choices[{WHY!r}] (a sentence: which transforms keep the label, and why).")

    notes = [rules.suggested[name] for name in rules.suggested if name not in on
             or (name == "rotation" and on[name] < 90)]
    chosen = ", ".join(f"{name} {'on' if name in SWITCHES else f'{v:g}'}" for name, v in on.items())
    message = f"for {rules.label}, {chosen} all keep the label."
    if notes:
        message += " You could also use more: " + " ".join(notes)
    return correct(message)
