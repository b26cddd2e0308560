"""Fault tests of course_lib.offline.augment_directory: it cannot write into its source by any path.

Every test checks that the source tree (names, bytes, link targets, permissions and modification times) is
unchanged, and, where a run completes, that the manifest lists exactly the files on disk. The runs are killed
(SIGKILL), fed damaged outputs, symbolic links in and out of the source, read-only and blocked destinations.
"""

from __future__ import annotations

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
from offline_helpers import SPEC, assert_manifest_matches_files, contents, make_dataset, run, snapshot, tree_hash


@pytest.fixture
def src(tmp_path) -> Path:
    return make_dataset(tmp_path / "src")


# --------------------------------------------------------------------------- kill -9, then resume


def _killed_run(src: Path, dst: Path, after: int) -> None:
    """Run augment_directory in a child process and SIGKILL it once ``after`` variants exist."""
    script = textwrap.dedent(f"""
        import time
        from course_lib import offline
        real = offline._save_png
        def slow(image, handle):  # every variant takes a little while, so the kill lands mid-run
            real(image, handle)
            handle.flush()
            time.sleep(0.02)
        offline._save_png = slow
        offline.augment_directory({str(src)!r}, {str(dst)!r}, variants_per_image=3, transforms={SPEC!r},
                                  seed=5, include_originals=True, progress=False)
    """)
    child = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 60
        while child.poll() is None and time.monotonic() < deadline:
            if dst.is_dir() and len(list(dst.rglob("*__aug*.png"))) >= after:
                break
            time.sleep(0.005)
        assert child.poll() is None, "the child finished before it could be killed"
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(10)
    assert child.returncode == -signal.SIGKILL


@pytest.mark.parametrize("after", [1, 9, 25])
def test_a_killed_run_resumes_to_the_tree_of_an_uninterrupted_run(tmp_path, after):
    src = make_dataset(tmp_path / "src", per_class=6)
    before = tree_hash(src)
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    _killed_run(src, killed, after)
    assert tree_hash(src) == before
    names = [p.name for p in killed.rglob("*") if p.is_file()]
    assert offline.MANIFEST_NAME not in names  # it was killed before the end
    for path in killed.rglob("*__aug*.png"):  # every file under a real name is a complete image
        Image.open(path).load()

    report = run(src, killed, variants_per_image=3, seed=5, include_originals=True)
    assert report.rewritten == [] and not list(killed.rglob(f"*{offline.PARTIAL_SUFFIX}"))
    run(src, clean, variants_per_image=3, seed=5, include_originals=True)
    assert contents(killed) == contents(clean)  # byte for byte, manifest and settings included
    assert_manifest_matches_files(killed)
    assert tree_hash(src) == before


# --------------------------------------------------------------------------- damaged outputs are not trusted


def _damage_outputs(src: Path, dst: Path) -> dict[str, str]:
    """Damage one output in each way; return output -> a word its reason must contain."""
    rng = np.random.default_rng(0)
    (dst / "cat/img1__aug00.png").write_bytes(b"")
    (dst / "cat/img1__aug01.png").write_bytes(rng.integers(0, 256, 300, dtype=np.uint8).tobytes())
    whole = (dst / "cat/img2__aug00.png").read_bytes()
    (dst / "cat/img2__aug00.png").write_bytes(whole[: len(whole) // 2])  # truncated
    Image.fromarray(np.zeros((5, 5, 3), np.uint8)).save(dst / "cat/img2__aug01.png")  # a PNG of the wrong size
    Image.fromarray(np.zeros((12, 10, 3), np.uint8)).save(dst / "dog/img2__aug00.png", format="JPEG")
    Image.fromarray(np.zeros((12, 10, 4), np.uint8)).save(dst / "dog/img2__aug01.png")  # RGBA, not RGB
    (dst / "dog/img0__orig.png").write_bytes((dst / "dog/img0__orig.png").read_bytes() + b"x")
    (dst / "dog/img1__aug00.png").unlink()
    (dst / "dog/img1__aug00.png").symlink_to(src / "dog/img1.png")  # a link into src, under an output's name
    return {"cat/img1__aug00.png": "empty", "cat/img1__aug01.png": "decodable", "cat/img2__aug00.png": "decodable",
            "cat/img2__aug01.png": "5 x 5 pixels", "dog/img2__aug00.png": "JPEG", "dog/img2__aug01.png": "RGBA",
            "dog/img0__orig.png": "byte-for-byte", "dog/img1__aug00.png": "not a regular file"}


def test_zero_byte_corrupt_and_wrong_outputs_are_rewritten_and_reported(src, tmp_path):
    before = tree_hash(src)
    dst, clean = tmp_path / "out", tmp_path / "clean"
    run(src, dst, include_originals=True)
    run(src, clean, include_originals=True)
    damaged = _damage_outputs(src, dst)

    state = snapshot(dst)
    dry = run(src, dst, include_originals=True, dry_run=True)
    assert snapshot(dst) == state  # a dry run reports and writes nothing
    assert dict(dry.rewritten).keys() == damaged.keys() and sorted(dry.to_write) == sorted(damaged)
    assert "would replace 8 damaged files" in dry.summary()

    report = run(src, dst, include_originals=True)
    reasons = dict(report.rewritten)
    assert reasons.keys() == damaged.keys()
    for name, word in damaged.items():
        assert word in reasons[name], (name, reasons[name])
    assert sorted(report.written) == sorted(damaged) and len(report.existing) == 18 - len(damaged)
    assert "replaced 8 damaged files" in report.summary() and report.counts()["damaged, rewritten"] == 8
    assert not (dst / "dog/img1__aug00.png").is_symlink()
    assert contents(dst) == contents(clean)
    assert_manifest_matches_files(dst)
    assert tree_hash(src) == before
    again = run(src, dst, include_originals=True)
    assert again.written == [] and again.rewritten == []


def test_a_damaged_file_is_replaced_atomically(src, tmp_path, monkeypatch):
    dst = tmp_path / "out"
    run(src, dst)
    (dst / "cat/img1__aug00.png").write_bytes(b"")
    calls = []
    real = offline.write_atomically

    def spy(target, write):
        calls.append(Path(target).name)
        return real(target, write)

    monkeypatch.setattr(offline, "write_atomically", spy)
    run(src, dst)
    assert "img1__aug00.png" in calls


# --------------------------------------------------------------------------- symbolic links into and out of src


def _outside(tmp_path: Path) -> Path:
    """A folder of bird images outside src, to link to."""
    return make_dataset(tmp_path / "elsewhere", per_class=2, classes=("birds",), seed=7) / "birds"


def test_a_linked_class_folder_is_followed_and_read_only(src, tmp_path):
    birds = _outside(tmp_path)
    (src / "bird").symlink_to(birds, target_is_directory=True)
    (src / "dog" / "extra.png").symlink_to(birds / "img1.png")  # a linked file
    hashes = tree_hash(src), tree_hash(birds)
    report = run(src, tmp_path / "out")
    assert report.classes == ("bird", "cat", "dog") and report.n_sources == 9
    assert {"bird/img0__aug00.png", "bird/img1__aug01.png", "dog/extra__aug00.png"} <= set(report.written)
    assert report.skipped == []
    assert_manifest_matches_files(tmp_path / "out")
    assert (tree_hash(src), tree_hash(birds)) == hashes


@pytest.mark.parametrize("where", ["inside the link's target", "the link's target", "above the link's target",
                                   "inside a linked file's folder"])
def test_dst_reached_through_a_link_in_src_is_refused(src, tmp_path, where):
    birds = _outside(tmp_path)
    (src / "bird").symlink_to(birds, target_is_directory=True)
    lone = tmp_path / "lone"
    lone.mkdir()
    Image.fromarray(np.zeros((4, 4, 3), np.uint8)).save(lone / "one.png")
    (src / "cat" / "lone.png").symlink_to(lone / "one.png")
    dst = {"inside the link's target": birds / "augmented", "the link's target": birds,
           "above the link's target": birds.parent, "inside a linked file's folder": lone}[where]
    hashes = tree_hash(src), tree_hash(birds), tree_hash(lone)
    pattern = "cat/lone.png" if where.endswith("file's folder") else "symbolic link 'bird'"
    for dry_run in (True, False):
        with pytest.raises(ValueError, match=f"dst .*{pattern}"):
            run(src, dst, dry_run=dry_run)
    assert (tree_hash(src), tree_hash(birds), tree_hash(lone)) == hashes
    assert not (birds / "augmented").exists()


def test_loops_broken_links_and_pipes_in_src_are_skipped_and_reported(src, tmp_path):
    (src / "cat" / "loop").symlink_to(src / "cat", target_is_directory=True)
    (src / "dog" / "gone.png").symlink_to(tmp_path / "missing.png")
    os.mkfifo(src / "dog" / "pipe.png")  # reading it would wait forever
    before = tree_hash(src)
    report = run(src, tmp_path / "out")
    reasons = dict(report.skipped)
    assert "loop forever" in reasons["cat/loop"]
    assert "broken symbolic link" in reasons["dog/gone.png"]
    assert "not a regular file" in reasons["dog/pipe.png"]
    assert report.n_sources == 6 and len(report.written) == 12
    assert_manifest_matches_files(tmp_path / "out")
    assert tree_hash(src) == before


@pytest.mark.parametrize("how", ["a linked parent folder", "a dangling link", "a link to src's parent"])
def test_dst_reaching_src_through_links_in_its_own_path_is_refused(src, tmp_path, how):
    if how == "a linked parent folder":
        (tmp_path / "via").symlink_to(src / "cat", target_is_directory=True)
        dst = tmp_path / "via" / "new" / "augmented"  # none of it exists yet
    elif how == "a dangling link":
        dst = tmp_path / "dangling"
        dst.symlink_to(src / "not-yet")
    else:
        (tmp_path / "up").symlink_to(tmp_path, target_is_directory=True)
        dst = tmp_path / "up" / "src" / "dog" / "aug"
    before = tree_hash(src)
    with pytest.raises(ValueError, match=r"dst .*real path .*inside src"):
        run(src, dst)
    assert tree_hash(src) == before and not (src / "not-yet").exists() and not (src / "cat" / "new").exists()


def test_a_link_planted_inside_dst_is_refused_before_any_write(src, tmp_path):
    dst = tmp_path / "out"
    run(src, dst)
    before = tree_hash(src)
    for path in (dst / "cat").iterdir():
        path.unlink()
    (dst / "cat").rmdir()
    (dst / "cat").symlink_to(src / "cat", target_is_directory=True)  # the next write would land in src
    with pytest.raises(ValueError, match=r"dst .*cat there is a symbolic link"):
        run(src, dst)
    assert tree_hash(src) == before


# --------------------------------------------------------------------------- permissions and paths, checked first


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root ignores permission bits: a read-only folder is writable for root, so there is "
                           "nothing to refuse (test_an_unwritable_dst_is_refused_before_any_write covers the check)")
def test_a_read_only_dst_is_refused_before_any_write(src, tmp_path):
    dst = tmp_path / "out"
    run(src, dst)
    (dst / "cat/img1__aug00.png").unlink()
    before, state = tree_hash(src), snapshot(dst)
    for folder in (dst, dst / "cat", dst / "dog"):
        folder.chmod(0o555)
    try:
        with pytest.raises(PermissionError, match=r"dst .*no permission"):
            run(src, dst)
        assert snapshot(dst) == state
    finally:
        for folder in (dst, dst / "cat", dst / "dog"):
            folder.chmod(0o755)
    assert tree_hash(src) == before


@pytest.mark.parametrize("blocked", ["the parent of a new dst", "dst", "a class folder in dst"])
def test_an_unwritable_dst_is_refused_before_any_write(src, tmp_path, monkeypatch, blocked):
    """The same check, made to fail by a stand-in for os.access, so it also runs as root."""
    dst = tmp_path / "out"
    if blocked != "the parent of a new dst":
        run(src, dst)
        (dst / "cat/img1__aug00.png").unlink()
    no_entry = {"the parent of a new dst": tmp_path, "dst": dst, "a class folder in dst": dst / "cat"}[blocked]
    real_access = os.access
    monkeypatch.setattr(offline.os, "access",
                        lambda path, mode: False if Path(path).resolve() == no_entry.resolve() else real_access(path, mode))
    before, state = tree_hash(src), snapshot(tmp_path / "out") if dst.exists() else None
    with pytest.raises(PermissionError, match=r"^dst '.*out'.*no permission to write"):
        run(src, dst)
    with pytest.raises(PermissionError, match="dst"):
        run(src, dst, dry_run=True)
    assert (snapshot(dst) if dst.exists() else None) == state
    assert tree_hash(src) == before


@pytest.mark.parametrize("obstacle", ["manifest is a folder", "skipped list is a folder", "an output is a folder",
                                      "a class folder is a file", "settings is a folder"])
def test_paths_in_the_way_are_refused_before_any_write(src, tmp_path, obstacle):
    dst = tmp_path / "out"
    run(src, dst)
    (dst / "dog/img2__aug01.png").unlink()  # something left to write
    if obstacle == "manifest is a folder":
        (dst / offline.MANIFEST_NAME).unlink()
        (dst / offline.MANIFEST_NAME).mkdir()
        error, match = IsADirectoryError, "manifest.csv there is a folder"
    elif obstacle == "skipped list is a folder":
        (dst / offline.SKIPPED_NAME).unlink()
        (dst / offline.SKIPPED_NAME).mkdir()
        error, match = IsADirectoryError, "skipped.csv there is a folder"
    elif obstacle == "an output is a folder":
        (dst / "cat/img1__aug00.png").unlink()
        (dst / "cat/img1__aug00.png").mkdir()
        error, match = IsADirectoryError, "cat/img1__aug00.png is taken by a folder"
    elif obstacle == "a class folder is a file":
        for path in (dst / "cat").iterdir():
            path.unlink()
        (dst / "cat").rmdir()
        (dst / "cat").write_bytes(b"")
        error, match = NotADirectoryError, "cat there is a file"
    else:
        (dst / offline.SETTINGS_NAME).unlink()
        (dst / offline.SETTINGS_NAME).mkdir()
        error, match = ValueError, "not made by augment_directory"
    before, state = tree_hash(src), snapshot(dst)
    with pytest.raises(error, match=f"^dst '.*out'.*{match}"):
        run(src, dst)
    assert snapshot(dst) == state and not (dst / "dog/img2__aug01.png").exists()
    assert tree_hash(src) == before


def test_a_dst_below_a_file_is_refused_before_any_write(src, tmp_path):
    (tmp_path / "a_file").write_bytes(b"x")
    with pytest.raises(NotADirectoryError, match=r"^dst '.*a_file/out' cannot be made"):
        run(src, tmp_path / "a_file" / "out")
