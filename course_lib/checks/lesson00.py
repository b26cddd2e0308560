"""Checks for the warm-up exercise of ``00_start_here``."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import Feedback, correct, hint, is_number, is_whole, never_crash


@never_crash
def check_cats_and_dogs(data: Any) -> Feedback:
    """Expect ``load_cifar10(classes=["cat", "dog"], train_per_class=5, ...)``."""
    if not hasattr(data, "x_train") or not hasattr(data, "class_names"):
        return hint("`data` should be what `load_cifar10(...)` returns (it has .x_train, .y_train, .class_names).")
    if tuple(data.class_names) != ("cat", "dog"):
        return hint(f"your classes are {tuple(data.class_names)}; pass classes=['cat', 'dog'] in that order.")
    counts = np.bincount(data.y_train, minlength=2).tolist()
    if counts != [5, 5]:
        return hint(f"you have {counts} training images per class; ask for 5 of each with train_per_class=5.")
    if data.x_train.shape[1:] != (32, 32, 3) or data.x_train.dtype != np.uint8:
        return hint("the images should be the untouched uint8 32 x 32 x 3 CIFAR-10 images.")
    if len(data.x_test) != 4:
        return hint(f"you have {len(data.x_test)} test images; ask for 4 in all with n_test=4.")
    return correct("5 cats and 5 dogs, labels 0 = cat and 1 = dog.")


@never_crash
def check_pixel_range(lowest: Any, highest: Any) -> Feedback:
    """Expect the range of a uint8 pixel: 0 and 255 (as Python or NumPy whole numbers)."""
    for name, value in (("lowest", lowest), ("highest", highest)):
        if isinstance(value, (bool, np.bool_)):
            return hint(f"{name} is {value!r}, a yes/no value, not a number: give the smallest and the largest "
                        "value a uint8 pixel can hold, e.g. from np.iinfo(np.uint8).")
        if not is_number(value):
            return hint(f"{name} should be a whole number, got {type(value).__name__} {value!r}: give the "
                        "smallest and the largest value a uint8 pixel can hold.")
    if (float(lowest), float(highest)) == (0.0, 1.0):
        return hint("0 to 1 is the range after rescaling by 1/255 (lesson 02); the images here are still uint8: "
                    "what range does a uint8 pixel have?")
    if not (is_whole(lowest) and is_whole(highest)):
        return hint(f"uint8 pixels hold whole numbers; got {lowest!r} and {highest!r}.")
    lowest, highest = int(lowest), int(highest)
    if (lowest, highest) == (0, 255):
        return correct("uint8 pixels run from 0 to 255; lesson 02 shows why models want them rescaled to 0..1.")
    if (lowest, highest) == (255, 0):
        return hint("those are the right two numbers in the wrong order: lowest first, then highest.")
    if lowest == 0:
        return hint(f"{highest} is not the top: uint8 has 8 bits, so how many values can it hold?")
    return hint(f"{lowest} is not the bottom: uint8 is unsigned, so it cannot go below zero.")
