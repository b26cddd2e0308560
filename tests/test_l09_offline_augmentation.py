"""Tests of what lesson 09 teaches (its #@save cells, generated into course_lib.lessons.l09_offline_augmentation):
one seed per output file, drawing and applying with the transform engine, and the atomic write."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from course_lib import transforms as T
from course_lib.lessons import l09_offline_augmentation as L
from helpers import NOT_A_COUNT, assert_rejects

STEPS = [("horizontal_flip", 0.5, {}), ("width_shift", 0.1, {"fill_mode": "reflect"}), ("rotation", 10, {}),
         ("channel_shift", 0.1, {})]


def image(seed=0, shape=(9, 11, 3)):
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


# --------------------------------------------------------------------------- file_seed


def test_file_seed_is_deterministic_and_differs_per_file():
    seeds = {L.file_seed(s, src, v) for s in (0, 1) for src in ("cat/a.png", "cat/b.png", "dog/a.png")
             for v in range(4)}
    assert len(seeds) == 24 and all(0 <= s < 2**63 for s in seeds)
    assert L.file_seed(3, "cat/a.png", 1) == L.file_seed(np.int64(3), "cat/a.png", np.int32(1))
    # "a" + variant 11 and "a1" + variant 1 must not collide: the parts are separated before hashing
    assert L.file_seed(0, "a", 11) != L.file_seed(0, "a1", 1)


@pytest.mark.parametrize(("arg", "value"), [
    *[("seed", v) for v in (-1, 2**63, 1.5, "3", None, True, np.array([1]))],
    *[("variant", v) for v in NOT_A_COUNT if not (isinstance(v, int) and 0 <= v <= 1_000_000)],
    *[("source", v) for v in ("", None, 3, Path("cat/a.png"), b"cat/a.png")],
])
def test_file_seed_names_the_bad_argument(arg, value):
    assert_rejects(L.file_seed, {"seed": 0, "source": "cat/a.png", "variant": 0}, arg, value)


# --------------------------------------------------------------------------- draw_parameters, augment_variant


def test_draw_parameters_uses_one_generator_seeded_with_the_file_seed():
    drawn = L.draw_parameters(STEPS, (9, 11, 3), 42)
    rng = np.random.default_rng(42)
    expected = [T.sample_parameters(name, strength, rng, (9, 11, 3)) for name, strength, _ in STEPS]
    assert [d["params"] for d in drawn] == expected
    assert [(d["name"], d["strength"], d["options"]) for d in drawn] == STEPS
    assert L.draw_parameters(STEPS, (9, 11, 3), 42) == drawn  # the same seed, the same numbers
    assert L.draw_parameters(STEPS, (9, 11, 3), 43) != drawn


def test_augment_variant_is_the_engine_applied_to_the_drawn_parameters():
    picture = image()
    variant, drawn = L.augment_variant(picture, STEPS, 7)
    expected = picture
    for step in drawn:
        expected = T.apply_parameters(step["name"], expected, step["params"], **step["options"])
    assert np.array_equal(variant, expected) and variant.dtype == np.uint8 and variant.shape == picture.shape
    assert np.array_equal(L.augment_variant(picture, STEPS, 7)[0], variant)
    assert np.array_equal(picture, image())  # the input is not changed in place
    grey, _ = L.augment_variant(image(shape=(9, 11)), [("rotation", 30, {})], 1)
    assert grey.shape == (9, 11)


def test_variants_really_vary():
    picture = image()
    variants = [L.augment_variant(picture, STEPS, L.file_seed(0, "cat/x.png", v))[0] for v in range(8)]
    assert len({v.tobytes() for v in variants}) == 8


@pytest.mark.parametrize(("steps", "error", "name"), [
    ([("rotation", 10)], TypeError, "steps"),
    ([], TypeError, "steps"),
    ("rotation", TypeError, "steps"),
    ([("rotation", 10, "reflect")], TypeError, "steps"),
    ([("rotation", 10, {"fill_mode": np.array(["reflect"])})], TypeError, "steps: each option must be one value"),
    ([("rotation", 10, {"cval": [0.0]})], TypeError, "steps: each option"),
    ([("warp", 10, {})], ValueError, "name"),
    ([("rotation", float("nan"), {})], ValueError, "strength"),
    ([("rotation", 500, {})], ValueError, "strength"),
    ([("rotation", "10", {})], TypeError, "strength"),
    ([("rotation", 10, {"fill_mode": "mirror"})], ValueError, "fill_mode"),
])
def test_bad_steps_are_named(steps, error, name):
    with pytest.raises(error, match=name):
        L.augment_variant(image(), steps, 0)


def test_bad_image_shape_and_seed_are_named():
    for value in ([[1, 2]], "img", None):
        assert_rejects(L.augment_variant, {"image": image(), "steps": STEPS, "seed": 0}, "image", value)
    assert_rejects(L.augment_variant, {"image": image(), "steps": STEPS, "seed": 0}, "image",
                   np.zeros((2, 2, 2, 3), np.uint8))
    for value in (-1, 1.5, None, np.array([1, 2])):
        assert_rejects(L.augment_variant, {"image": image(), "steps": STEPS, "seed": 0}, "seed", value)
    with pytest.raises(ValueError, match="shape"):
        L.draw_parameters(STEPS, (0, 3), 0)


# --------------------------------------------------------------------------- write_atomically


def test_write_atomically_creates_the_whole_file(tmp_path):
    target = tmp_path / "a.bin"
    assert L.write_atomically(target, lambda handle: handle.write(b"abc" * 100)) == 300
    assert target.read_bytes() == b"abc" * 100
    assert L.write_atomically(str(target), lambda handle: handle.write(b"new")) == 3  # replaces, str paths too
    assert target.read_bytes() == b"new" and sorted(p.name for p in tmp_path.iterdir()) == ["a.bin"]


@pytest.mark.parametrize("error", [OSError("disk full"), KeyboardInterrupt(), SystemExit(1)])
def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, error):
    target = tmp_path / "a.bin"
    target.write_bytes(b"old")
    seen = []

    def fails(handle):
        handle.write(b"half a file")
        handle.flush()
        seen.append([p.name for p in tmp_path.iterdir() if p.name.endswith(L.PARTIAL_SUFFIX)])
        raise error

    with pytest.raises(type(error)):
        L.write_atomically(target, fails)
    assert target.read_bytes() == b"old" and sorted(os.listdir(tmp_path)) == ["a.bin"]
    assert len(seen[0]) == 1 and seen[0][0].startswith(".a.bin.")  # the bytes went to a hidden file next to it

    with pytest.raises(type(error)):
        L.write_atomically(tmp_path / "new.bin", fails)
    assert sorted(os.listdir(tmp_path)) == ["a.bin"]


def test_write_atomically_into_a_folder_name_fails_cleanly(tmp_path):
    (tmp_path / "taken").mkdir()
    with pytest.raises(IsADirectoryError):
        L.write_atomically(tmp_path / "taken", lambda handle: handle.write(b"x"))
    assert sorted(os.listdir(tmp_path)) == ["taken"]
    with pytest.raises(FileNotFoundError):  # the caller makes the folder first
        L.write_atomically(tmp_path / "missing" / "a.bin", lambda handle: handle.write(b"x"))


@pytest.mark.parametrize(("arg", "value"), [("target", None), ("target", 3), ("target", True), ("target", ""),
                                            ("write", None), ("write", b"bytes")])
def test_write_atomically_names_the_bad_argument(tmp_path, arg, value):
    good = {"target": tmp_path / "a.bin", "write": lambda handle: handle.write(b"x")}
    assert_rejects(L.write_atomically, good, arg, value, error=TypeError)
    assert not (tmp_path / "a.bin").exists()
