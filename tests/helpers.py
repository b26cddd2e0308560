"""Small fake data the tests make themselves (never a copy of real CIFAR-10)."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def fake_cifar_arrays(per_class_train: int = 12, per_class_test: int = 4, seed: int = 0) -> dict[str, np.ndarray]:
    """Random uint8 images with balanced labels 0..9; pixel [0, 0, 0] encodes the image's row index."""
    rng = np.random.default_rng(seed)
    out = {}
    for split, per_class in (("train", per_class_train), ("test", per_class_test)):
        y = np.repeat(np.arange(10, dtype=np.uint8), per_class)
        rng.shuffle(y)
        x = rng.integers(0, 256, size=(len(y), 32, 32, 3), dtype=np.uint8)
        x[:, 0, 0, 0] = np.arange(len(y)) % 256
        out[f"x_{split}"], out[f"y_{split}"] = x, y
    return out


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, **arrays)
    return path
