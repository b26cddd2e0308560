"""Exercise 02 (match galleries to transforms): galleries, answers and specific hints."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib import transforms as T
from course_lib.checks import lesson02
from course_lib.checks.lesson02 import check_gallery_matches

RIGHT = dict(lesson02._ANSWERS)


def _image():
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, size=(24, 36, 3), dtype=np.uint8)


def test_the_right_answer_is_correct_in_any_spelling():
    assert check_gallery_matches(RIGHT).correct
    lower = {k.lower(): [v[0], float(v[1])] for k, v in RIGHT.items()}
    assert check_gallery_matches(lower).correct
    spelled = {k: (f" {name.replace('_', ' ').title()} ", np.float64(strength)) for k, (name, strength) in RIGHT.items()}
    assert check_gallery_matches(spelled).correct
    as_arrays = {k: (name, np.array([strength])) for k, (name, strength) in RIGHT.items()}
    assert check_gallery_matches(as_arrays).correct


def test_a_strength_that_was_not_offered_is_not_correct():
    """Only the two offered strengths count: a strength near the right one is still not the answer."""
    nearly = {k: (name, strength * 1.1) for k, (name, strength) in RIGHT.items()}
    feedback = check_gallery_matches(nearly)
    assert not feedback.correct and "0 of 6 galleries right" in feedback.message
    assert "A: right transform; now pick its strength from the two offered, 10 or 90 (you gave 99)" in feedback.message
    for letter, (name, strength) in RIGHT.items():
        other = [c for c in lesson02.CHOICES[name] if c != strength][0]
        assert not check_gallery_matches({**RIGHT, letter: (name, other)}).correct
        assert not check_gallery_matches({**RIGHT, letter: (name, True)}).correct


def test_every_answer_is_one_of_the_offered_choices():
    assert lesson02.LETTERS == tuple("ABCDEF")
    for name, strength in RIGHT.values():
        assert strength in lesson02.CHOICES[name]
        assert name in T.TRANSFORMS
    for name, (small, large) in lesson02.CHOICES.items():
        assert 0 < small < large <= T.MAX_STRENGTH[name]


def test_strength_feedback_says_which_way_and_where_to_look():
    answer = {**RIGHT, "A": ("rotation", 10)}
    feedback = check_gallery_matches(answer)
    assert not feedback.correct
    assert "5 of 6 galleries right" in feedback.message
    assert "A: right transform, but the strength is too small \N{EM DASH} look at how far the corners move" \
        in feedback.message
    feedback = check_gallery_matches({**RIGHT, "B": ("shear", 45), "D": ("zoom", 0.5)})
    assert "B: right transform, but the strength is too large" in feedback.message
    assert "vertical edges lean" in feedback.message
    assert "D: right transform, but the strength is too large" in feedback.message


def test_wrong_transform_feedback_explains_the_difference():
    feedback = check_gallery_matches({**RIGHT, "B": ("rotation", 10), "C": ("width_shift", 0.4)})
    assert "4 of 6 galleries right" in feedback.message
    assert "B: not rotation: a rotation turns the whole picture" in feedback.message
    assert "vertical edges lean while the horizontal ones stay level" in feedback.message
    assert "C: not width_shift" in feedback.message and "slide up or down" in feedback.message
    for name in T.TRANSFORMS:  # any wrong guess gets an explanation, never a crash
        if name != RIGHT["E"][0]:
            assert f"E: not {name}: " in check_gallery_matches({**RIGHT, "E": (name, 0.5)}).message


@pytest.mark.parametrize("answer, expected", [
    (42, "answer must be a dict"),
    ({"A": ("rotation", 90)}, "no entry for gallery B, C, D, E, F"),
    ({**RIGHT, "G": ("zoom", 0.1)}, "there are no galleries ['G']"),
    ({**RIGHT, "A": "rotation"}, "A: give a pair"),
    ({**RIGHT, "A": ("rotate", 90)}, "A: 'rotate' is not a transform name"),
    ({**RIGHT, "A": ("rotation", "90")}, "A: the strength must be a number"),
    ({**RIGHT, "A": ("rotation", float("nan"))}, "A: the strength must be a number"),
    ({**RIGHT, "A": (..., ...)}, "A: replace the `...`"),
    ({**RIGHT, "A": ...}, "A: replace the `...`"),
    (..., "replace the `...` placeholder"),
])
def test_odd_answers_get_hints_not_errors(answer, expected):
    feedback = check_gallery_matches(answer)
    assert not feedback.correct
    assert expected in feedback.message


def test_galleries_are_seeded_and_made_by_their_transform():
    image = _image()
    first, second = lesson02.make_galleries(image), lesson02.make_galleries(image)
    assert list(first) == list(lesson02.LETTERS)
    for letter, gallery in first.items():
        assert gallery.shape == (lesson02.N_DRAWS, *image.shape) and gallery.dtype == np.uint8
        assert np.array_equal(gallery, second[letter])
        name, strength = RIGHT[letter]
        assert np.array_equal(gallery, lesson02.make_gallery(image, name, strength,
                                                            lesson02.GALLERY_SEED + lesson02.LETTERS.index(letter)))
    assert not np.array_equal(lesson02.make_galleries(image, seed=5)["A"], first["A"])


def _amount(name, params):
    """How far one draw is from "no change", in the strength's units."""
    if name in ("zoom", "contrast"):
        return abs(params["factor"] - 1)
    if name == "channel_shift":
        return max(abs(d) for d in params["deltas"])
    return abs(next(iter(params.values())))


def test_galleries_are_fair_a_large_strength_shows_a_large_draw():
    """With the exercise's seed, every large-strength gallery has a draw well beyond the small choice,
    so the strength can be told from the pictures (on any image shape with 3 channels)."""
    for i, (letter, (name, strength)) in enumerate(RIGHT.items()):
        rng = np.random.default_rng(lesson02.GALLERY_SEED + i)
        draws = [_amount(name, T.sample_parameters(name, strength, rng, (300, 451, 3)))
                 for _ in range(lesson02.N_DRAWS)]
        small, large = lesson02.CHOICES[name]
        if strength == large:
            assert max(draws) > 1.5 * small, letter
        else:
            assert max(draws) <= small, letter


def test_make_gallery_checks_its_arguments():
    with pytest.raises(ValueError, match="name"):
        lesson02.make_gallery(_image(), "spin", 10)
    with pytest.raises(ValueError, match="seed"):
        lesson02.make_gallery(_image(), "rotation", 10, seed=-1)
    with pytest.raises(ValueError, match="n_draws"):
        lesson02.make_gallery(_image(), "rotation", 10, n_draws=0)
    with pytest.raises(ValueError, match="n_draws"):
        lesson02.make_gallery(_image(), "rotation", 10, n_draws=10**9)
    with pytest.raises(TypeError, match="image"):
        lesson02.make_gallery([[1, 2]], "rotation", 10)
    with pytest.raises(ValueError, match="strength"):
        lesson02.make_gallery(_image(), "rotation", 500)
    assert lesson02.make_gallery(_image(), "contrast", 0.5, n_draws=2).shape == (2, 24, 36, 3)
