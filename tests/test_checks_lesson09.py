"""Exercise 09 checks: right answers pass, each typical mistake gets its own hint, nothing crashes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from course_lib import offline
from course_lib.checks import lesson09 as L


# --------------------------------------------------------------------------- the disk estimate


def good_estimate(n_images, variants_per_image, bytes_per_variant, bytes_per_original, include_originals):
    return n_images * (variants_per_image * bytes_per_variant + (bytes_per_original if include_originals else 0))


def test_expected_bytes():
    assert L.expected_bytes(10, 3, 100.0, 50.0, True) == 3500
    assert L.expected_bytes(10, 3, 100.0, 50.0, False) == 3000


def test_estimate_correct():
    feedback = L.check_estimate_function(good_estimate)
    assert feedback.correct and "linearly" in feedback.message
    assert L.check_estimate_function(lambda n, k, v, o, keep: int(good_estimate(n, k, v, o, keep))).correct


@pytest.mark.parametrize(("wrong", "expected"), [
    (lambda n, k, v, o, keep: n * k * v, "include_originals=True"),
    (lambda n, k, v, o, keep: n * (k * v + o), "include_originals=False"),
    (lambda n, k, v, o, keep: n * (k + keep) * o, "different sizes"),
    (lambda n, k, v, o, keep: n * (k + keep) * v, "different sizes"),
    (lambda n, k, v, o, keep: n * (k + 1) * v, "different sizes"),
    (lambda n, k, v, o, keep: n * k, "expected 12,300,000"),
    (lambda n, k, v, o, keep: "12 MB", "return a number"),
    (lambda n, k, v, o, keep: None, "return a number"),
    (lambda n, k, v, o, keep: ..., "still returns `...`"),
    (lambda n, k: n * k, "five arguments"),
    (lambda n, k, v, o, keep: 1 / 0, "could not be checked"),
])
def test_estimate_hints(wrong, expected):
    feedback = L.check_estimate_function(wrong)
    assert not feedback.correct
    assert expected in feedback.message


def test_estimate_not_a_function():
    assert "without calling it" in L.check_estimate_function(12_300_000).message
    assert "`...`" in L.check_estimate_function(...).message


# --------------------------------------------------------------------------- a safe destination


def good_is_safe(src, dst):
    src, dst = Path(src).resolve(), Path(dst).resolve()
    return not (dst == src or src in dst.parents or dst in src.parents)


def test_safe_destination_correct_and_agrees_with_the_library(tmp_path):
    feedback = L.check_safe_destination(good_is_safe)
    assert feedback.correct and "cases are right" in feedback.message
    # The reference rule is the one augment_directory enforces.
    for description, src, dst, safe, _ in L._cases(tmp_path, os.getcwd()):
        try:
            offline.check_destination(src, dst)
            accepted = True
        except ValueError:
            accepted = False
        assert accepted == safe, description


def _norm_rule(src, dst, norm):
    """The right rule, but with paths made comparable by ``norm`` instead of ``Path.resolve``."""
    src, dst = norm(src), norm(dst)
    return not (dst == src or src in dst.parents or dst in src.parents)


@pytest.mark.parametrize(("wrong", "expected"), [
    (lambda s, d: True, "dst equal to src"),
    (lambda s, d: False, "next to src"),
    (lambda s, d: Path(d) != Path(s), "inside src"),
    (lambda s, d: not (Path(d) == Path(s) or Path(s) in Path(d).parents or Path(d) in Path(s).parents),
     "'..'"),
    (lambda s, d: not str(Path(d).resolve()).startswith(str(Path(s).resolve())) and
     Path(d).resolve() not in Path(s).resolve().parents, "train2"),
    (lambda s, d: not (Path(d).resolve() == Path(s).resolve() or Path(s).resolve() in Path(d).resolve().parents),
     "contains src"),
    (lambda s, d: not (Path(d).absolute() == Path(s).absolute() or Path(s).absolute() in Path(d).absolute().parents
                       or Path(d).absolute() in Path(s).absolute().parents), "'..'"),
    (lambda s, d: _norm_rule(s, d, lambda p: Path(os.path.normpath(os.path.abspath(p)))), "symbolic link"),
    (lambda s, d: _norm_rule(s, d, lambda p: Path(os.path.normpath(p))), "relative path"),
    (lambda s, d: "yes", "return True"),
    (lambda s, d: ..., "still returns `...`"),
    (lambda s, d: s.missing_attribute, "raised AttributeError"),
])
def test_safe_destination_hints(wrong, expected):
    feedback = L.check_safe_destination(wrong)
    assert not feedback.correct
    assert expected in feedback.message


def test_safe_destination_must_not_change_directory_and_is_changed_back(tmp_path):
    here = os.getcwd()
    seen = []

    def wanders(src, dst):
        seen.append(Path(src))
        os.chdir(Path(src).parent)  # into the check's own temporary folder
        return good_is_safe(src, dst)

    try:
        feedback = L.check_safe_destination(wanders)
        assert not feedback.correct and "working directory" in feedback.message
        assert os.getcwd() == here  # the check changed it back
        assert seen and not seen[0].parent.exists()  # and removed its temporary folders all the same
    finally:
        os.chdir(here)


@pytest.mark.parametrize("error", [KeyboardInterrupt, SystemExit])
def test_safe_destination_cleans_up_even_when_interrupted(error):
    here = os.getcwd()
    seen = []

    def interrupted(src, dst):
        seen.append(Path(src))
        os.chdir(Path(src))
        raise error()

    try:
        if error is KeyboardInterrupt:  # a real Ctrl-C stops the check ...
            with pytest.raises(KeyboardInterrupt):
                L.check_safe_destination(interrupted)
        else:  # ... sys.exit() inside the answer becomes a hint
            assert not L.check_safe_destination(interrupted).correct
        assert os.getcwd() == here and not seen[0].exists()  # either way: back home, nothing left behind
    finally:
        os.chdir(here)


def test_safe_destination_when_the_working_directory_is_gone(tmp_path):
    here = os.getcwd()
    gone = tmp_path / "gone"
    gone.mkdir()
    os.chdir(gone)
    gone.rmdir()
    try:
        feedback = L.check_safe_destination(good_is_safe)
        assert feedback.correct and "all 9 cases" in feedback.message  # no relative-path case without a cwd
    finally:
        os.chdir(here)


def test_safe_destination_does_not_depend_on_the_working_directory(tmp_path):
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert L.check_safe_destination(good_is_safe).correct
        assert sorted(tmp_path.iterdir()) == []  # nothing made in the working directory
    finally:
        os.chdir(here)


def test_safe_destination_accepts_numpy_booleans():
    import numpy as np

    assert L.check_safe_destination(lambda s, d: np.bool_(good_is_safe(s, d))).correct


def test_safe_destination_not_a_function():
    assert "without calling it" in L.check_safe_destination(True).message
    assert "`...`" in L.check_safe_destination(...).message


def test_safe_destination_without_symlinks(monkeypatch):
    def no_links(self, target, target_is_directory=False):
        raise OSError("symbolic links are not allowed here")

    monkeypatch.setattr(Path, "symlink_to", no_links)
    feedback = L.check_safe_destination(good_is_safe)
    assert feedback.correct
    assert "all 9 cases" in feedback.message


# --------------------------------------------------------------------------- offline or online


ANSWERS = {"A": "offline", "B": "online", "C": "offline", "D": "online", "E": "online"}


def test_offline_or_online_correct():
    assert L.check_offline_or_online(ANSWERS).correct
    assert L.check_offline_or_online({k: v.upper() + " " for k, v in ANSWERS.items()}).correct


def test_offline_or_online_hints():
    flipped = {**ANSWERS, "B": "offline"}
    feedback = L.check_offline_or_online(flipped)
    assert not feedback.correct and "scenario B" in feedback.message and "disk space" in feedback.message
    two = {**ANSWERS, "A": "online", "D": "offline"}
    message = L.check_offline_or_online(two).message
    assert "scenario A" in message and "1 other" in message
    assert "missing: C" in L.check_offline_or_online({k: v for k, v in ANSWERS.items() if k != "C"}).message
    assert "no scenario 'F'" in L.check_offline_or_online({**ANSWERS, "F": "online"}).message
    assert "scenario A" in L.check_offline_or_online({**ANSWERS, "A": "both"}).message
    assert "scenario A" in L.check_offline_or_online({**ANSWERS, "A": 1}).message
    assert "dict" in L.check_offline_or_online(["offline"]).message
    assert "replace the `...`" in L.check_offline_or_online({**ANSWERS, "C": ...}).message
    assert "`...`" in L.check_offline_or_online(...).message


def test_every_scenario_has_an_explanation_and_a_question():
    for letter in L.SCENARIOS:
        assert L.explain(letter).startswith(f"{letter}: {ANSWERS[letter]}, because")
        wrong = {**ANSWERS, letter: "online" if ANSWERS[letter] == "offline" else "offline"}
        assert f"scenario {letter}" in L.check_offline_or_online(wrong).message
    with pytest.raises(ValueError, match="letter"):
        L.explain("Z")
