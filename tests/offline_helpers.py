"""Shared by the tests of course_lib.offline: a real image dataset on disk, and ways to compare folder trees."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
from PIL import Image

from course_lib import offline

SPEC = [("rotation", 20), ("horizontal_flip", 0.5), ("width_shift", 0.1, {"fill_mode": "reflect"})]


def make_dataset(root: Path, per_class: int = 3, classes=("cat", "dog"), seed: int = 0, size=(12, 10)) -> Path:
    """``root/<class>/`` with ``per_class`` images each: PNGs, one JPEG, one grey PNG, one RGBA PNG."""
    rng = np.random.default_rng(seed)
    for c, name in enumerate(classes):
        folder = root / name
        folder.mkdir(parents=True)
        for i in range(per_class):
            pixels = rng.integers(0, 256, (*size, 3), dtype=np.uint8)
            if c == 0 and i == 0:
                Image.fromarray(pixels).save(folder / f"img{i}.jpg", quality=90)
            elif c == 1 and i == 0:
                Image.fromarray(pixels[..., 0]).save(folder / f"img{i}.png")  # grey
            elif c == 1 and i == 1:
                Image.fromarray(np.dstack([pixels, pixels[..., :1]])).save(folder / f"img{i}.png")  # RGBA
            else:
                Image.fromarray(pixels).save(folder / f"img{i}.png")
    return root


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``root`` (hidden ones too) with its bytes and modification time."""
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def contents(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (hidden ones too) and its bytes."""
    return {k: v[0] for k, v in snapshot(root).items()}


def tree_hash(root: Path) -> str:
    """One hash of everything under ``root``, not following links: names, kinds, link targets, bytes,
    permission bits and modification times (so any write, rename, deletion or new entry changes it)."""
    digest = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            info = path.lstat()
            digest.update(f"{path.relative_to(root).as_posix()}\0{info.st_mode}\0{info.st_mtime_ns}\0".encode())
            if path.is_symlink():
                digest.update(os.readlink(path).encode())
            elif path.is_file():
                digest.update(path.read_bytes())
    return digest.hexdigest()


def run(src, dst, **kwargs):
    args = {"variants_per_image": 2, "transforms": SPEC, "seed": 3, "progress": False}
    args.update(kwargs)
    return offline.augment_directory(src, dst, **args)


def assert_manifest_matches_files(dst: Path) -> None:
    """The manifest lists exactly the image files under ``dst``, and each one decodes."""
    table = offline.read_manifest(dst)
    on_disk = sorted(p.relative_to(dst).as_posix() for p in dst.rglob("*")
                     if p.is_file() and p.name not in (offline.MANIFEST_NAME, offline.SKIPPED_NAME,
                                                       offline.SETTINGS_NAME))
    assert sorted(table["output"]) == on_disk
    for name in table["output"]:
        with Image.open(dst / name) as img:
            img.load()
