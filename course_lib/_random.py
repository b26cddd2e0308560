"""One small check shared by the random augmentations of text, audio and series.

Every random function takes ``rng``: a ``numpy.random.Generator`` (its state
advances, so successive calls differ) or an integer seed (a fresh generator,
so the same seed always gives the same result). Nothing global is used.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

import numpy as np


def generator(name: str, value: Any) -> np.random.Generator:
    """Return ``value`` as a ``numpy.random.Generator``, or raise naming ``name``."""
    if isinstance(value, np.random.Generator):
        return value
    if isinstance(value, Integral) and not isinstance(value, bool):
        if value < 0:
            raise ValueError(f"{name} must be a non-negative integer seed or a numpy.random.Generator, got {value}")
        return np.random.default_rng(int(value))
    raise TypeError(
        f"{name} must be a numpy.random.Generator (np.random.default_rng(seed)) or an integer seed, "
        f"got {type(value).__name__}"
    )
