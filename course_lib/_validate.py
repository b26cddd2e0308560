"""Small input checks shared by the public functions.

Every check raises an error whose message starts with the argument's name and
says what was expected, so a student can fix the call without reading code.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

import numpy as np


def integer(name: str, value: Any, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` as an ``int`` or raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def number(
    name: str,
    value: Any,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
) -> float:
    """Return ``value`` as a ``float`` or raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def array(name: str, value: Any, *, ndims: tuple[int, ...] | None = None, min_len: int = 1) -> np.ndarray:
    """Return ``value`` as a NumPy array with a numeric dtype, or raise naming ``name``."""
    if not isinstance(value, np.ndarray):
        raise TypeError(f"{name} must be a NumPy array, got {type(value).__name__}")
    if value.dtype.kind not in "uif" and value.dtype != np.bool_:
        raise TypeError(f"{name} must hold numbers, got dtype {value.dtype}")
    if ndims is not None and value.ndim not in ndims:
        expected = " or ".join(str(n) for n in ndims)
        raise ValueError(f"{name} must have {expected} dimensions, got shape {value.shape}")
    if value.ndim and len(value) < min_len:
        raise ValueError(f"{name} must not be empty, got shape {value.shape}")
    return value


def labels(name: str, value: Any, *, n: int, num_classes: int | None = None) -> np.ndarray:
    """Return integer class labels of length ``n`` as a 1-D array, or raise naming ``name``."""
    value = array(name, value, ndims=(1, 2))
    if value.ndim == 2:
        if value.shape[1] != 1:
            raise ValueError(f"{name} must be 1-D integer labels, got shape {value.shape}")
        value = value[:, 0]
    if value.dtype.kind not in "ui":
        raise TypeError(f"{name} must hold integer class labels, got dtype {value.dtype}")
    if len(value) != n:
        raise ValueError(f"{name} must have one label per image ({n}), got {len(value)}")
    if value.min() < 0 or (num_classes is not None and value.max() >= num_classes):
        upper = f"{num_classes - 1}" if num_classes is not None else "any"
        raise ValueError(f"{name} must be class indices in 0..{upper}, got {value.min()}..{value.max()}")
    return value.astype(np.int64)


def one_of(name: str, value: Any, choices: tuple[Any, ...]) -> Any:
    """Return ``value`` if it is one of ``choices``, or raise naming ``name``."""
    if isinstance(value, (np.ndarray, list, dict, set)) or value not in choices:  # an array has no single truth
        raise ValueError(f"{name} must be one of {', '.join(repr(c) for c in choices)}; got {value!r}")
    return value


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
