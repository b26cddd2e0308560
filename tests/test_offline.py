"""Tests for course_lib.offline: a safe, deterministic, resumable augment_directory.

Every test builds a real class-per-folder dataset of PNG and JPEG files with
Pillow in ``tmp_path``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from course_lib import offline
from course_lib import transforms as T
from offline_helpers import SPEC, assert_manifest_matches_files, make_dataset, run, snapshot, tree_hash

@pytest.fixture
def src(tmp_path) -> Path:
    return make_dataset(tmp_path / "src")


# --------------------------------------------------------------------------- src is never touched


def test_src_is_never_modified(src, tmp_path):
    before = snapshot(src)
    dirs_before = sorted(p for p in src.rglob("*") if p.is_dir())
    run(src, tmp_path / "dry", dry_run=True)
    run(src, tmp_path / "out", include_originals=True)
    run(src, tmp_path / "out", include_originals=True)  # resume: nothing to do
    assert snapshot(src) == before
    assert sorted(p for p in src.rglob("*") if p.is_dir()) == dirs_before


@pytest.mark.parametrize("where", ["same", "inside", "deep inside", "parent", "dotdot"])
def test_refuses_dst_equal_to_inside_or_containing_src(src, where):
    dst = {"same": src, "inside": src / "augmented", "deep inside": src / "cat" / "aug",
           "parent": src.parent, "dotdot": src.parent / "other" / ".." / "src" / "x"}[where]
    before = snapshot(src)
    with pytest.raises(ValueError, match="dst"):
        run(src, dst)
    assert snapshot(src) == before
    assert not (src / "augmented").exists() and not (src / "cat" / "aug").exists()


def test_refuses_dst_reaching_src_through_a_symlink(src, tmp_path):
    link = tmp_path / "link_to_src"
    link.symlink_to(src, target_is_directory=True)
    with pytest.raises(ValueError, match=r"dst '.*link_to_src.*' \(real path .*\) is inside src"):
        run(src, link / "augmented")
    with pytest.raises(ValueError, match="dst"):
        run(link, src / "augmented")  # src given through the link, dst the real path
    assert not (src / "augmented").exists()


def test_a_sibling_with_a_longer_name_is_not_inside_src(src, tmp_path):
    report = run(src, tmp_path / "src2")  # "src2" starts with "src" but is not inside it
    assert len(report.written) == 12


def test_check_destination(src, tmp_path):
    assert offline.check_destination(src, tmp_path / "new") == (tmp_path / "new").resolve()
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(NotADirectoryError, match="dst"):
        offline.check_destination(src, tmp_path / "file.txt")


# --------------------------------------------------------------------------- names, manifest, determinism


def test_deterministic_names_and_manifest(src, tmp_path):
    dst = tmp_path / "out"
    report = run(src, dst, variants_per_image=3, include_originals=True)
    names = sorted(p.relative_to(dst).as_posix() for p in dst.rglob("*") if p.is_file())
    expected = sorted([f"{c}/img{i}__aug{v:02d}.png" for c in ("cat", "dog") for i in range(3) for v in range(3)]
                      + ["cat/img0__orig.jpg", "cat/img1__orig.png", "cat/img2__orig.png"]
                      + [f"dog/img{i}__orig.png" for i in range(3)]
                      + [offline.MANIFEST_NAME, offline.SKIPPED_NAME, offline.SETTINGS_NAME])
    assert names == expected
    assert report.classes == ("cat", "dog") and report.n_sources == 6
    assert sorted(report.planned) == sorted(report.written) == sorted(n for n in expected if "__" in n)

    table = offline.read_manifest(dst)
    assert tuple(table.columns[:len(offline.MANIFEST_COLUMNS)]) == offline.MANIFEST_COLUMNS
    assert len(table) == 24
    row = table[table["output"] == "dog/img2__aug01.png"].iloc[0]
    assert (row["source"], row["class"], row["kind"], int(row["variant"]), int(row["seed"])) == \
        ("dog/img2.png", "dog", "augmented", 1, 3)
    steps = json.loads(row["transforms"])
    assert [s["name"] for s in steps] == ["rotation", "horizontal_flip", "width_shift"]
    assert steps[2]["options"] == {"fill_mode": "reflect", "cval": 0.0, "interpolation": "bilinear"}
    assert steps[0]["strength"] == 20
    assert abs(steps[0]["params"]["angle"]) <= 20 and row["rotation.angle"] == steps[0]["params"]["angle"]
    original = table[table["output"] == "cat/img0__orig.jpg"].iloc[0]
    assert original["kind"] == "original" and json.loads(original["transforms"]) == []
    # The manifest is enough to rebuild a variant exactly from its source.
    image = np.asarray(Image.open(src / "dog/img2.png").convert("RGB"))
    for step in steps:
        image = T.apply_parameters(step["name"], image, step["params"], **step["options"])
    assert np.array_equal(image, np.asarray(Image.open(dst / "dog/img2__aug01.png")))
    # Copies of the originals are byte-identical.
    assert (dst / "cat/img0__orig.jpg").read_bytes() == (src / "cat/img0.jpg").read_bytes()


def test_grey_stays_grey_and_rgba_becomes_rgb(src, tmp_path):
    run(src, tmp_path / "out")
    assert Image.open(tmp_path / "out/dog/img0__aug00.png").mode == "L"
    assert Image.open(tmp_path / "out/dog/img1__aug00.png").mode == "RGB"
    assert np.asarray(Image.open(tmp_path / "out/cat/img1__aug00.png")).shape == (12, 10, 3)


def test_same_inputs_and_seed_give_identical_bytes(src, tmp_path):
    run(src, tmp_path / "a", include_originals=True)
    run(src, tmp_path / "b", include_originals=True)
    run(src, tmp_path / "c", seed=4, include_originals=True)
    a, b, c = (snapshot(tmp_path / n) for n in "abc")
    content = {k: v[0] for k, v in a.items() if k != offline.SETTINGS_NAME}
    assert content == {k: v[0] for k, v in b.items() if k != offline.SETTINGS_NAME}
    assert content["cat/img1__aug00.png"] != c["cat/img1__aug00.png"][0]  # another seed, other variants
    assert content["cat/img1__aug00.png"] != content["cat/img1__aug01.png"]  # variants differ


def test_outputs_do_not_depend_on_which_other_files_exist(src, tmp_path):
    run(src, tmp_path / "full")
    (src / "cat" / "extra.png").write_bytes((src / "cat" / "img1.png").read_bytes())
    run(src, tmp_path / "more")
    full, more = snapshot(tmp_path / "full"), snapshot(tmp_path / "more")
    assert full["dog/img2__aug01.png"][0] == more["dog/img2__aug01.png"][0]
    assert "cat/extra__aug00.png" in more


def test_dict_spec_and_name_collisions(tmp_path):
    src = tmp_path / "src"
    (src / "cat").mkdir(parents=True)
    pixels = np.full((8, 8, 3), 100, dtype=np.uint8)
    Image.fromarray(pixels).save(src / "cat" / "x.png")
    Image.fromarray(pixels).save(src / "cat" / "x.jpg")
    report = run(src, tmp_path / "out", transforms={"brightness": 0.2}, variants_per_image=1)
    assert sorted(report.written) == ["cat/x_jpg__aug00.png", "cat/x_png__aug00.png"]


def test_many_variants_get_wider_numbers(src, tmp_path):
    report = run(src, tmp_path / "out", variants_per_image=101, transforms=[("horizontal_flip", 0.5)],
                 dry_run=True)
    assert "cat/img1__aug000.png" in report.planned and "cat/img1__aug100.png" in report.planned


# --------------------------------------------------------------------------- bad files are skipped, not fatal


def test_unreadable_and_non_image_files_are_skipped_and_reported(src, tmp_path):
    (src / "cat" / "notes.txt").write_text("not an image")
    (src / "cat" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nthis is not really a png")
    truncated = (src / "dog" / "img2.png").read_bytes()
    (src / "dog" / "cut.png").write_bytes(truncated[: len(truncated) // 2])
    (src / "README.md").write_text("top-level file")
    dst = tmp_path / "out"
    report = run(src, dst)
    reasons = dict(report.skipped)
    assert set(reasons) == {"cat/notes.txt", "cat/broken.png", "dog/cut.png", "README.md"}
    assert "not an image file" in reasons["cat/notes.txt"]
    assert "cannot be read" in reasons["cat/broken.png"] and "cannot be read" in reasons["dog/cut.png"]
    assert "class folder" in reasons["README.md"]
    assert report.n_sources == 6 and len(report.written) == 12
    assert not list(dst.rglob("broken*")) and not list(dst.rglob("cut*"))
    logged = (dst / offline.SKIPPED_NAME).read_text()
    assert all(name in logged for name in reasons)
    assert "skipped 4 source files" in report.summary() and "cat/broken.png" in report.summary()
    dry = run(src, tmp_path / "dry", dry_run=True)
    assert dict(dry.skipped) == reasons


def test_custom_image_extensions(src, tmp_path):
    report = run(src, tmp_path / "out", image_extensions=[".PNG"], dry_run=True)
    assert "cat/img0.jpg" in dict(report.skipped) and report.n_sources == 5


# --------------------------------------------------------------------------- atomic writes and resuming


def _half_then_fail(after: int):
    """A PNG encoder that works ``after`` times, then writes half a file and raises."""
    calls = {"n": 0}
    real = offline._save_png

    def encoder(image, handle):
        calls["n"] += 1
        if calls["n"] > after:
            import io

            buffer = io.BytesIO()
            real(image, buffer)
            handle.write(buffer.getvalue()[: len(buffer.getvalue()) // 2])
            handle.flush()
            raise KeyboardInterrupt("simulated Ctrl-C while writing")
        real(image, handle)

    return encoder


def test_interrupted_run_leaves_no_partial_image_and_resumes(src, tmp_path, monkeypatch):
    dst = tmp_path / "out"
    monkeypatch.setattr(offline, "_save_png", _half_then_fail(after=5))
    with pytest.raises(KeyboardInterrupt):
        run(src, dst)
    monkeypatch.undo()
    images = sorted(p for p in dst.rglob("*") if p.is_file() and p.suffix == ".png")
    assert len(images) == 5
    assert not list(dst.rglob(f"*{offline.PARTIAL_SUFFIX}"))
    for path in images:  # every file with a real name is a complete image
        Image.open(path).load()
    finished = snapshot(dst)

    time.sleep(0.01)
    report = run(src, dst)
    assert len(report.existing) == 5 and len(report.written) == 7 and report.to_write == report.written
    after = snapshot(dst)
    for name in (p.relative_to(dst).as_posix() for p in images):
        assert after[name] == finished[name]  # same bytes, same modification time
    run(src, tmp_path / "clean")
    clean = snapshot(tmp_path / "clean")
    assert {k: v[0] for k, v in after.items() if k != offline.SETTINGS_NAME} == \
        {k: v[0] for k, v in clean.items() if k != offline.SETTINGS_NAME}

    again = run(src, dst)  # a third run has nothing to do
    assert again.written == [] and len(again.existing) == 12
    assert snapshot(dst) == after  # not even the manifest or the settings file is rewritten


def test_killed_process_leaves_only_a_temporary_file(src, tmp_path):
    dst, marker = tmp_path / "out", tmp_path / "writing"
    script = textwrap.dedent(f"""
        import io, time
        from pathlib import Path
        from course_lib import offline
        real, calls = offline._save_png, [0]
        def encoder(image, handle):
            calls[0] += 1
            if calls[0] == 4:
                buffer = io.BytesIO(); real(image, buffer)
                handle.write(buffer.getvalue()[:20]); handle.flush()
                Path({str(marker)!r}).touch()
                time.sleep(60)
            real(image, handle)
        offline._save_png = encoder
        offline.augment_directory({str(src)!r}, {str(dst)!r}, variants_per_image=2,
                                  transforms={SPEC!r}, seed=3, progress=False)
    """)
    child = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 20
        while not marker.exists() and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert marker.exists(), "the child process never reached the fourth file"
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(10)
    partial = list(dst.rglob(f"*{offline.PARTIAL_SUFFIX}"))
    assert len(partial) == 1 and partial[0].name.startswith(".")
    complete = [p for p in dst.rglob("*.png")]
    assert len(complete) == 3
    for path in complete:
        Image.open(path).load()
    report = run(src, dst, dry_run=True)
    assert report.removed_partial == [partial[0].relative_to(dst).as_posix()] and partial[0].exists()
    report = run(src, dst)
    assert len(report.removed_partial) == 1 and not partial[0].exists()
    assert len(report.written) == 9 and len(report.existing) == 3


def test_resuming_with_other_settings_is_refused(src, tmp_path):
    dst = tmp_path / "out"
    run(src, dst)
    for change in ({"seed": 4}, {"variants_per_image": 3}, {"transforms": [("rotation", 10)]},
                   {"include_originals": True}):
        with pytest.raises(ValueError, match="dst .* different settings"):
            run(src, dst, **change)


def test_refuses_a_non_empty_dst_it_did_not_make(src, tmp_path):
    dst = tmp_path / "mine"
    dst.mkdir()
    (dst / "thesis.txt").write_text("precious")
    with pytest.raises(ValueError, match="dst .* not empty"):
        run(src, dst)
    with pytest.raises(ValueError, match="dst .* not empty"):
        run(src, dst, dry_run=True)
    assert (dst / "thesis.txt").read_text() == "precious" and len(list(dst.iterdir())) == 1
    (dst / "thesis.txt").unlink()
    (dst / offline.SETTINGS_NAME).write_text("{not json")
    with pytest.raises(ValueError, match="dst .* cannot read"):
        run(src, dst)


def test_a_run_killed_before_its_settings_were_saved_can_start_again(src, tmp_path):
    dst = tmp_path / "out"
    dst.mkdir()
    leftover = dst / f".{offline.SETTINGS_NAME}.abc{offline.PARTIAL_SUFFIX}"
    leftover.write_text("{")
    report = run(src, dst)
    assert report.removed_partial == [leftover.name] and not leftover.exists()


# --------------------------------------------------------------------------- dry run


def test_dry_run_reports_and_writes_nothing(src, tmp_path):
    dst = tmp_path / "out"
    report = run(src, dst, dry_run=True, include_originals=True)
    assert not dst.exists()
    assert len(report.to_write) == 18 and report.written == [] and report.bytes_written == 0
    assert report.to_write == report.planned and len(report.rows) == 18
    assert "dry run: would write 18 files" in report.summary() and "nothing was written" in str(report)
    assert report.counts()["to write"] == 18

    run(src, dst, include_originals=True)
    (dst / "cat" / "img1__aug00.png").unlink()
    before = snapshot(dst)
    report = run(src, dst, dry_run=True, include_originals=True)
    assert report.to_write == ["cat/img1__aug00.png"] and len(report.existing) == 17
    assert snapshot(dst) == before


# --------------------------------------------------------------------------- progress bar


def test_progress_bar_is_shown_or_hidden(src, tmp_path, capsys):
    run(src, tmp_path / "a", progress=True)
    err = capsys.readouterr().err
    assert "augment_directory" in err and "6/6" in err and "image" in err
    run(src, tmp_path / "b", progress=False)
    assert capsys.readouterr().err == ""
    run(src, tmp_path / "c", progress=True, dry_run=True)
    assert "dry run" in capsys.readouterr().err


# --------------------------------------------------------------------------- bad arguments


@pytest.mark.parametrize(("kwargs", "error", "name"), [
    ({"variants_per_image": 0}, ValueError, "variants_per_image"),
    ({"variants_per_image": 2.0}, TypeError, "variants_per_image"),
    ({"transforms": [("warp", 1)]}, ValueError, r"transforms\[0\]: unknown transform 'warp'"),
    ({"transforms": {"rotation": 500}}, ValueError, r"transforms\[0\] \(rotation\).*strength"),
    ({"transforms": [("rotation", 10, {"fill": "x"})]}, TypeError, r"transforms\[0\] \(rotation\)"),
    ({"transforms": [("rotation", 10, "reflect")]}, TypeError, r"transforms\[0\]: options"),
    ({"transforms": [("rotation",)]}, TypeError, r"transforms\[0\]"),
    ({"transforms": []}, ValueError, "transforms"),
    ({"transforms": "rotation"}, TypeError, "transforms"),
    ({"seed": -1}, ValueError, "seed"),
    ({"dry_run": "yes"}, TypeError, "dry_run"),
    ({"progress": 1}, TypeError, "progress"),
    ({"include_originals": None}, TypeError, "include_originals"),
    ({"image_extensions": ".png"}, TypeError, "image_extensions"),
    ({"image_extensions": ["png"]}, ValueError, "image_extensions"),
])
def test_bad_arguments_name_the_argument(src, tmp_path, kwargs, error, name):
    with pytest.raises(error, match=name):
        run(src, tmp_path / "out", **kwargs)
    assert not (tmp_path / "out").exists()


def test_bad_src(tmp_path):
    with pytest.raises(FileNotFoundError, match="src"):
        run(tmp_path / "missing", tmp_path / "out")
    (tmp_path / "file.png").write_bytes(b"x")
    with pytest.raises(NotADirectoryError, match="src"):
        run(tmp_path / "file.png", tmp_path / "out")
    with pytest.raises(TypeError, match="src"):
        run(42, tmp_path / "out")
    with pytest.raises(TypeError, match="dst"):
        run(tmp_path, None)
    with pytest.raises(ValueError, match="dst"):
        run(tmp_path, "")


# --------------------------------------------------------------------------- the small helpers


def test_folder_size_counts_files_and_bytes(src, tmp_path):
    files = [p for p in src.rglob("*") if p.is_file()]
    assert offline.folder_size(src) == (len(files), sum(p.stat().st_size for p in files))
    pngs = [p for p in files if p.suffix == ".png"]
    assert offline.folder_size(src, [".png"]) == (len(pngs), sum(p.stat().st_size for p in pngs))
    with pytest.raises(NotADirectoryError, match="folder"):
        offline.folder_size(tmp_path / "missing")
    with pytest.raises(TypeError, match="^extensions must"):  # the argument's own name
        offline.folder_size(src, ".png")
    with pytest.raises(ValueError, match="^extensions must"):
        offline.folder_size(src, ["png"])


def test_read_manifest_needs_a_finished_run(tmp_path):
    with pytest.raises(FileNotFoundError, match="dst"):
        offline.read_manifest(tmp_path)


def test_save_image_folder_round_trip(tmp_path):
    rng = np.random.default_rng(1)
    x = rng.integers(0, 256, (5, 6, 7, 3), dtype=np.uint8)
    y = np.array([0, 1, 0, 2, 1])
    assert offline.save_image_folder(x, y, ["a", "b", "c"], tmp_path / "data") == 5
    back = np.asarray(Image.open(tmp_path / "data" / "c" / "c_00003.png"))
    assert np.array_equal(back, x[3])
    assert offline.folder_size(tmp_path / "data", [".png"])[0] == 5
    grey = rng.integers(0, 256, (2, 4, 4, 1), dtype=np.uint8)
    offline.save_image_folder(grey, np.array([0, 0]), ["g"], tmp_path / "grey")
    assert np.array_equal(np.asarray(Image.open(tmp_path / "grey/g/g_00001.png")), grey[1, ..., 0])
    with pytest.raises(ValueError, match="folder"):
        offline.save_image_folder(x, y, ["a", "b", "c"], tmp_path / "data")  # not empty
    with pytest.raises(TypeError, match="images"):
        offline.save_image_folder(x.astype(np.float32), y, ["a", "b", "c"], tmp_path / "f")
    with pytest.raises(ValueError, match="images"):
        offline.save_image_folder(np.zeros((1, 4, 4, 2), np.uint8), np.array([0]), ["a"], tmp_path / "f")
    with pytest.raises(ValueError, match="class_names"):
        offline.save_image_folder(x, y, ["a", "b/c", "d"], tmp_path / "f")
    with pytest.raises(ValueError, match="labels"):
        offline.save_image_folder(x, y, ["a", "b"], tmp_path / "f")
    assert not (tmp_path / "f").exists()


def test_save_image_folder_refuses_classes_that_would_share_a_folder(tmp_path):
    x = np.zeros((3, 4, 4, 3), np.uint8)
    y = np.array([0, 1, 1])
    for names in (["cat", "cat"], ["Cat", "cat"]):
        with pytest.raises(ValueError, match=r"class_names must be distinct.*merged"):
            offline.save_image_folder(x, y, names, tmp_path / "f")
    for names in (["a", "b\\c"], ["a", " "], ["a", "x\0y"], ["a", ".."], "ab", []):
        with pytest.raises(ValueError, match="class_names"):
            offline.save_image_folder(x, y[:1] * 0, names, tmp_path / "f")
    assert not (tmp_path / "f").exists()


# --------------------------------------------------------------------------- one source: the lesson's functions


def test_offline_uses_the_functions_lesson_09_defines():
    from course_lib.lessons import l09_offline_augmentation as L

    assert offline.write_atomically is L.write_atomically
    assert offline.augment_variant is L.augment_variant and offline.draw_parameters is L.draw_parameters
    assert offline.file_seed is L.file_seed and offline.PARTIAL_SUFFIX == L.PARTIAL_SUFFIX


@pytest.mark.parametrize("spec", [
    SPEC,
    [("crop_and_pad", 0.2), ("channel_shift", 0.1), ("brightness", 0.2, {"mode": "multiplicative"}),
     ("zoom", 0.2, {"fill_mode": "wrap"}), ("vertical_flip", 0.5), ("contrast", 0.3)],
])
def test_every_variant_equals_the_engine_applied_to_the_manifest_parameters(src, tmp_path, spec):
    dst = tmp_path / "out"
    run(src, dst, variants_per_image=3, transforms=spec, include_originals=True)
    table = offline.read_manifest(dst)
    variants = table[table["kind"] == "augmented"]
    assert len(variants) == 18
    flips = 0
    for _, row in variants.iterrows():
        with Image.open(src / row["source"]) as img:
            image = np.asarray(img if img.mode == "L" else img.convert("RGB"))
        steps = json.loads(row["transforms"])
        assert [(s["name"], s["strength"]) for s in steps] == [(item[0], float(item[1])) for item in spec]
        # The parameters were drawn from the file's own generator, as the manifest says ...
        rng = np.random.default_rng(int(row["file_seed"]))
        shape = image.shape
        for step in steps:
            assert T.sample_parameters(step["name"], step["strength"], rng, shape) == step["params"]
        # ... and the file holds exactly what the engine makes of them, image by image and as a batch.
        expected, batch = image, image[None]
        for step in steps:
            expected = T.apply_parameters(step["name"], expected, step["params"], **step["options"])
            per_image = {k: [v] for k, v in step["params"].items()}  # one value (or row of deltas) per image
            batch = T.apply_batch(step["name"], batch, per_image, **step["options"])
        on_disk = np.asarray(Image.open(dst / row["output"]))
        assert np.array_equal(on_disk, expected), row["output"]
        assert np.array_equal(on_disk, batch[0]), row["output"]
        flips += any(s["params"].get("flip", False) for s in steps)
    assert 0 < flips < 18  # the flip really was random


def test_settings_are_normalised_before_they_are_compared_and_saved(src, tmp_path):
    dst = tmp_path / "out"
    first = run(src, dst, transforms=[("rotation", np.float32(20)), ("width_shift", np.float64(0.1),
                                                                     {"cval": np.float32(0), "fill_mode": np.str_("reflect")})],
                variants_per_image=np.int64(2), seed=np.int64(3), include_originals=np.bool_(False))
    settings = json.loads((dst / offline.SETTINGS_NAME).read_text())
    assert settings["transforms"][0] == {"name": "rotation", "strength": 20.0,
                                         "options": {"fill_mode": "nearest", "cval": 0.0, "interpolation": "bilinear"}}
    assert settings["transforms"][1]["options"] == {"fill_mode": "reflect", "cval": 0.0, "interpolation": "bilinear"}
    assert settings["variants_per_image"] == 2 and settings["seed"] == 3 and settings["include_originals"] is False
    before = snapshot(dst)
    # The same settings written out in full (defaults given explicitly, ints for floats) resume the run.
    again = run(src, dst, transforms=[("rotation", 20, {"fill_mode": "nearest", "interpolation": "bilinear"}),
                                      ("width_shift", 0.1, {"fill_mode": "reflect", "cval": 0})])
    assert again.written == [] and sorted(again.existing) == sorted(first.written)
    assert snapshot(dst) == before  # not even the settings file was rewritten
    with pytest.raises(ValueError, match="different settings"):
        run(src, dst, transforms=[("rotation", 20, {"fill_mode": "reflect"}), ("width_shift", 0.1)])


@pytest.mark.parametrize(("options", "error", "match"), [
    ({"fill_mode": np.array(["reflect"])}, TypeError, r"transforms\[0\] \(rotation\): option 'fill_mode' must be one value"),
    ({"cval": np.array([0.0, 1.0])}, TypeError, r"option 'cval' must be one value"),
    ({"cval": [0.0]}, TypeError, r"option 'cval' must be one value"),
    ({"cval": float("nan")}, ValueError, r"transforms\[0\] \(rotation\): options: cval must be a finite number"),
    ({"fill_mode": "mirror"}, ValueError, r"transforms\[0\] \(rotation\): options: fill_mode must be one of"),
    ({"interp": "nearest"}, TypeError, r"transforms\[0\] \(rotation\): unknown option"),
])
def test_bad_options_get_a_clear_error(src, tmp_path, options, error, match):
    with pytest.raises(error, match=match):
        run(src, tmp_path / "out", transforms=[("rotation", 10, options)])
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("kwargs", "error", "name"), [
    ({"transforms": [("rotation", np.array([10.0]))]}, TypeError, r"transforms\[0\] \(rotation\): strength"),
    ({"transforms": [("rotation", float("nan"))]}, ValueError, r"transforms\[0\] \(rotation\): strength"),
    ({"transforms": {"rotation": "10"}}, TypeError, r"transforms\[0\] \(rotation\): strength"),
    ({"variants_per_image": np.array([2])}, TypeError, "variants_per_image"),
    ({"variants_per_image": 10**9}, ValueError, "variants_per_image"),
    ({"seed": 2**64}, ValueError, "seed"),
    ({"seed": 1.5}, TypeError, "seed"),
    ({"include_originals": np.array([True])}, TypeError, "include_originals"),
    ({"image_extensions": np.array([".png"])}, TypeError, "image_extensions"),
])
def test_more_bad_arguments_name_the_argument(src, tmp_path, kwargs, error, name):
    before = tree_hash(src)
    with pytest.raises(error, match=name):
        run(src, tmp_path / "out", **kwargs)
    assert not (tmp_path / "out").exists() and tree_hash(src) == before


def test_a_full_run_writes_a_manifest_that_matches_its_files(src, tmp_path):
    before = tree_hash(src)
    report = run(src, tmp_path / "out", include_originals=True)
    assert_manifest_matches_files(tmp_path / "out")
    assert report.counts()["damaged, rewritten"] == 0 and report.rewritten == []
    assert tree_hash(src) == before


def test_an_unreadable_folder_and_colliding_names_are_skipped_and_reported(src, tmp_path, monkeypatch):
    pixels = np.zeros((6, 6, 3), np.uint8)
    for name in ("x.png", "x.jpg", "x_png.png"):  # x.png becomes x_png__aug00.png, like x_png.png
        Image.fromarray(pixels).save(src / "cat" / name)
    (src / "locked").mkdir()
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(offline.os, "scandir", scandir)
    report = run(src, tmp_path / "out")
    reasons = dict(report.skipped)
    assert "cannot be read" in reasons["locked"] and "Permission denied" in reasons["locked"]
    assert "collide with those of cat/x.png" in reasons["cat/x_png.png"]
    assert report.manifest == tmp_path / "out" / offline.MANIFEST_NAME and report.manifest.is_file()
