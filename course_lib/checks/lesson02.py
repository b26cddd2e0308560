"""Exercise 02: match galleries of augmented images to the transform and strength that made them.

:func:`make_galleries` makes the galleries (lettered A, B, C, ...) from any
image with a fixed seed; the student answers with a dict
``{"A": ("rotation", 90), ...}`` and :func:`check_gallery_matches` gives
feedback per gallery. Every gallery was made by one transform at one of the
strengths in :data:`CHOICES`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from numbers import Real
from typing import Any

import numpy as np

from .. import _validate
from .. import transforms as T
from . import Feedback, correct, hint, never_crash

#: The seed the galleries are made with.
GALLERY_SEED = 2
#: How many random draws each gallery shows.
N_DRAWS = 5
#: The strengths the exercise offers, per transform: a small and a large one.
CHOICES: dict[str, tuple[float, float]] = {
    "rotation": (10, 90),
    "width_shift": (0.1, 0.4),
    "height_shift": (0.1, 0.4),
    "shear": (15, 45),
    "zoom": (0.1, 0.5),
    "brightness": (0.1, 0.5),
    "contrast": (0.2, 0.9),
    "channel_shift": (0.1, 0.4),
}
_ANSWERS: dict[str, tuple[str, float]] = {
    "A": ("rotation", 90),
    "B": ("shear", 15),
    "C": ("height_shift", 0.4),
    "D": ("zoom", 0.1),
    "E": ("contrast", 0.9),
    "F": ("channel_shift", 0.1),
}
#: The gallery letters, in order.
LETTERS: tuple[str, ...] = tuple(_ANSWERS)

# What a transform does, to tell a student why their guess does not fit.
_LOOKS: dict[str, str] = {
    "rotation": "a rotation turns the whole picture, so every line tilts by the same angle",
    "width_shift": "a width shift slides the whole picture left or right without turning it",
    "height_shift": "a height shift slides the whole picture up or down without turning it",
    "shear": "a shear slants the picture: horizontal lines stay level while vertical ones lean",
    "zoom": "a zoom makes everything bigger or smaller about the centre without turning it",
    "horizontal_flip": "a horizontal flip mirrors left and right and changes nothing else",
    "vertical_flip": "a vertical flip turns the picture upside down and changes nothing else",
    "brightness": "a brightness change makes the whole picture lighter or darker and keeps its colour balance",
    "contrast": "a contrast change pushes darks darker and lights lighter (or washes all towards grey) without a tint",
    "sharpen": "sharpening makes edges crisper and moves nothing",
    "blur": "a blur softens the edges and moves nothing",
    "channel_shift": "a channel shift tints the colours (redder, greener or bluer) and moves nothing",
    "crop_and_pad": "crop and pad moves the picture by whole pixels in both directions, with black borders",
    "invert": "an inversion turns the picture into its negative",
}
# A question that points at the true transform without naming it.
_CUES: dict[str, str] = {
    "rotation": "do all the lines tilt together, with black corners turning in?",
    "width_shift": "does the picture slide sideways, with a black strip at the left or right?",
    "height_shift": "does the picture slide up or down, with a black strip at the top or bottom?",
    "shear": "do the vertical edges lean while the horizontal ones stay level?",
    "zoom": "does the cat get bigger or smaller about the centre, with nothing turned?",
    "brightness": "does everything get lighter or darker together?",
    "contrast": "do darks get darker and lights lighter (or does all go greyish), with no colour tint?",
    "channel_shift": "does the colour balance change, with a red, green or blue tint?",
}
# Where to look to judge the strength.
_HOW_FAR: dict[str, str] = {
    "rotation": "look at how far the corners move",
    "width_shift": "look at how wide the black strip at the side gets",
    "height_shift": "look at how tall the black strip at the top or bottom gets",
    "shear": "look at how far the vertical edges lean",
    "zoom": "look at how much the cat's size changes",
    "brightness": "look at the lightest and the darkest image",
    "contrast": "look at the most washed-out and the harshest image",
    "channel_shift": "look at how strong the colour tints get",
}


def make_gallery(image: np.ndarray, name: str, strength: float, seed: int = 0,
                 n_draws: int = N_DRAWS) -> np.ndarray:
    """``n_draws`` random draws of transform ``name`` at ``strength`` on ``image``, stacked.

    Geometric transforms fill with black (``fill_mode="constant"``), so you
    can see how far the picture moved. Use it to try a guess (with a seed
    other than :data:`GALLERY_SEED`).
    """
    if not isinstance(name, str) or name not in T.TRANSFORMS:
        raise ValueError(f"name must be one of {', '.join(T.TRANSFORMS)}; got {name!r}")
    seed = _validate.integer("seed", seed, minimum=0)
    n_draws = _validate.integer("n_draws", n_draws, minimum=1, maximum=100)
    rng = np.random.default_rng(seed)
    options = {"fill_mode": "constant", "cval": 0.0} if name in T.GEOMETRIC else {}
    return np.stack([T.TRANSFORMS[name](image, strength, rng, **options) for _ in range(n_draws)])


def make_galleries(image: np.ndarray, seed: int = GALLERY_SEED) -> dict[str, np.ndarray]:
    """The exercise's galleries for ``image``: letter -> ``N_DRAWS`` transformed copies.

    Each gallery is one transform at one strength from :data:`CHOICES`;
    which one is for you to find out.
    """
    seed = _validate.integer("seed", seed, minimum=0)
    return {letter: make_gallery(image, name, strength, seed + i)
            for i, (letter, (name, strength)) in enumerate(_ANSWERS.items())}


def _is_number(value: Any) -> bool:
    return isinstance(value, Real) and not isinstance(value, (bool, np.bool_)) and bool(np.isfinite(value))


def _judge(letter: str, entry: Any) -> str | None:
    """None if ``entry`` is right for gallery ``letter``, else one line of feedback."""
    if entry is Ellipsis or (isinstance(entry, (tuple, list)) and any(e is Ellipsis for e in entry)):
        return f"{letter}: replace the `...` with a transform name and a strength."
    if not isinstance(entry, (tuple, list)) or len(entry) != 2:
        return f"{letter}: give a pair ('transform name', strength), e.g. ('rotation', 10); got {entry!r}."
    name, strength = entry
    if isinstance(name, str):
        name = name.strip().lower().replace(" ", "_").replace("-", "_")
    if not isinstance(name, str) or name not in T.TRANSFORMS:
        return f"{letter}: {entry[0]!r} is not a transform name; use one of {', '.join(CHOICES)}."
    if not _is_number(strength):
        return f"{letter}: the strength must be a number, got {strength!r}."
    true_name, true_strength = _ANSWERS[letter]
    if name != true_name:
        return f"{letter}: not {name}: {_LOOKS[name]}. Look again at gallery {letter}: {_CUES[true_name]}"
    choices = CHOICES[name]
    if not any(math.isclose(float(strength), c, rel_tol=1e-6) for c in choices):
        return (f"{letter}: right transform; now pick its strength from the two offered, {choices[0]:g} or "
                f"{choices[1]:g} (you gave {float(strength):g}): {_HOW_FAR[name]}.")
    if not math.isclose(float(strength), true_strength, rel_tol=1e-6):
        size = "too small" if strength < true_strength else "too large"
        return (f"{letter}: right transform, but the strength is {size} \N{EM DASH} {_HOW_FAR[name]}, "
                f"and pick from {choices}.")
    return None


@never_crash
def check_gallery_matches(answer: Any) -> Feedback:
    """Expect ``{"A": ("rotation", 90), ...}``: each gallery's transform and strength."""
    if not isinstance(answer, Mapping):
        return hint("answer must be a dict with one entry per gallery, like {'A': ('rotation', 10), ...}; "
                    f"got {type(answer).__name__}.")
    given = {str(k).strip().upper(): v for k, v in answer.items()}
    missing = [letter for letter in LETTERS if letter not in given]
    unknown = sorted(k for k in given if k not in LETTERS)
    if unknown:
        return hint(f"there are no galleries {unknown}; the galleries are {', '.join(LETTERS)}.")
    if missing:
        return hint(f"answer has no entry for gallery {', '.join(missing)}; give a ('transform name', strength) "
                    f"pair for each of {', '.join(LETTERS)}.")
    lines = [line for letter in LETTERS if (line := _judge(letter, given[letter])) is not None]
    if not lines:
        return correct(f"all {len(LETTERS)} galleries matched. Geometric transforms move pixels (and invent "
                       "the black ones); photometric ones change colours in place.")
    right = len(LETTERS) - len(lines)
    return hint(f"{right} of {len(LETTERS)} galleries right.\n" + "\n".join(lines))
