"""Tests for course_lib.checks.lesson03: feedback on transforms chosen per dataset."""

from __future__ import annotations

import pytest

from course_lib.checks import Feedback
from course_lib.checks.lesson03 import DATASETS, check_choices
from course_lib.transforms import TRANSFORMS

WHY = "these keep what the image shows"

GOOD = {
    "street": {"horizontal_flip": True, "vertical_flip": False, "rotation": 10, "width_shift": 0.1,
               "height_shift": 0.1, "brightness": 0.2, "why": WHY},
    "digits": {"horizontal_flip": False, "vertical_flip": False, "rotation": 10, "width_shift": 0.1,
               "zoom": 0.1, "why": WHY},
    "satellite": {"horizontal_flip": True, "vertical_flip": True, "rotation": 180, "why": WHY},
}


@pytest.mark.parametrize("dataset", list(GOOD))
def test_good_answers_are_correct(dataset):
    fb = check_choices(dataset, GOOD[dataset])
    assert isinstance(fb, Feedback) and fb.correct, fb
    assert DATASETS[dataset].label in fb.message
    assert "You could also" not in fb.message


def test_aliases_and_probabilities():
    assert check_choices("Street Photos", GOOD["street"]).correct
    assert check_choices("handwritten digits", GOOD["digits"]).correct
    assert check_choices("satellite images", {**GOOD["satellite"], "vertical_flip": 0.5}).correct


def test_vertical_flip_for_street_photos():
    fb = check_choices("street", {**GOOD["street"], "vertical_flip": True})
    assert not fb.correct
    assert "vertical_flip" in fb.message and "sky" in fb.message
    assert "1 choice(s)" in fb.message


@pytest.mark.parametrize("flip", ["horizontal_flip", "vertical_flip"])
def test_any_flip_for_digits(flip):
    fb = check_choices("digits", {**GOOD["digits"], flip: True})
    assert not fb.correct
    assert flip in fb.message
    assert "digit" in fb.message


def test_large_rotation_for_digits_names_6_and_9():
    fb = check_choices("digits", {**GOOD["digits"], "rotation": 180})
    assert not fb.correct
    assert "rotation 180 is too much" in fb.message and "9" in fb.message
    assert "20" in fb.message  # the limit


def test_every_problem_is_listed():
    fb = check_choices("digits", {"horizontal_flip": True, "vertical_flip": True, "rotation": 90,
                                  "invert": True, "why": WHY})
    assert not fb.correct
    assert "4 choice(s)" in fb.message
    for name in ("horizontal_flip", "vertical_flip", "rotation", "invert"):
        assert name in fb.message


def test_satellite_accepts_all_flips_and_rotations():
    fb = check_choices("satellite", {"horizontal_flip": True, "vertical_flip": True, "rotation": 90, "why": WHY})
    assert fb.correct
    assert "horizontal_flip on" in fb.message and "rotation 90" in fb.message


def test_satellite_missing_free_transforms_gets_a_note_not_an_error():
    fb = check_choices("satellite", {"horizontal_flip": True, "rotation": 10, "why": WHY})
    assert fb.correct
    assert "You could also" in fb.message and "vertical_flip" in fb.message and "rotation" in fb.message


def test_satellite_rejects_strong_tint_and_invert():
    fb = check_choices("satellite", {**GOOD["satellite"], "channel_shift": 0.5, "invert": True})
    assert not fb.correct
    assert "channel_shift 0.5 is too much" in fb.message and "invert" in fb.message


def test_street_suggests_horizontal_flip():
    fb = check_choices("street", {"rotation": 5, "why": WHY})
    assert fb.correct and "horizontal_flip" in fb.message


def test_justification_is_required():
    answer = {k: v for k, v in GOOD["street"].items() if k != "why"}
    fb = check_choices("street", answer)
    assert not fb.correct and "justification" in fb.message
    assert not check_choices("street", {**answer, "why": "ok"}).correct
    assert not check_choices("street", {**answer, "why": ...}).correct


def test_all_off():
    fb = check_choices("street", {"horizontal_flip": False, "rotation": 0, "why": WHY})
    assert not fb.correct and "every transform off" in fb.message


@pytest.mark.parametrize(
    ("dataset", "choices", "expected"),
    [
        ("forest", GOOD["street"], "dataset must be one of"),
        (3, GOOD["street"], "dataset must be one of"),
        ("street", [("rotation", 10)], "choices must be a dict"),
        ("street", {"rotate": 10, "why": WHY}, "Did you mean 'rotation'"),
        ("street", {"flop": True, "why": WHY}, "not a transform"),
        ("street", {"rotation": ..., "why": WHY}, "replace the `...`"),
        ("street", {"rotation": True, "why": WHY}, "rotation takes the limit"),
        ("street", {"rotation": "10", "why": WHY}, "rotation takes the limit"),
        ("street", {"rotation": -5, "why": WHY}, "rotation must be a number from 0 to 180"),
        ("street", {"rotation": 400, "why": WHY}, "rotation must be a number from 0 to 180"),
        ("street", {"rotation": float("nan"), "why": WHY}, "rotation must be a number"),
        ("street", {"horizontal_flip": "yes", "why": WHY}, "horizontal_flip is switched on or off"),
        ("street", {"horizontal_flip": 2, "why": WHY}, "horizontal_flip is switched on or off"),
        ("street", ..., "replace the `...`"),
    ],
)
def test_odd_answers_get_hints_not_crashes(dataset, choices, expected):
    fb = check_choices(dataset, choices)
    assert isinstance(fb, Feedback) and not fb.correct
    assert expected in fb.message


def test_every_rule_names_a_real_transform():
    for rules in DATASETS.values():
        for name in (*rules.forbidden, *rules.limits, *rules.suggested):
            assert name in TRANSFORMS
