"""Lesson 07 exercise checks: right answers accepted, each common mistake gets its own hint, no crash."""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_lib.checks.lesson07 import _equivalent, check_data_equivalent, check_steps_per_epoch


# --------------------------------------------------------------------------- steps per epoch


def test_correct_steps_per_epoch_variants_pass():
    assert check_steps_per_epoch(lambda n, b: math.ceil(n / b)).correct
    assert check_steps_per_epoch(lambda n, b: -(-n // b)).correct
    assert check_steps_per_epoch(lambda n, b: int(np.ceil(n / b))).correct
    feedback = check_steps_per_epoch(lambda n, b: np.int64(math.ceil(n / b)))
    assert feedback.correct and "ceil(n / batch_size)" in feedback.message


@pytest.mark.parametrize("func, words", [
    (lambda n, b: n // b, "floor division"),
    (lambda n, b: n / b, "round n / batch_size UP"),
    (lambda n, b: round(n / b), "round() rounds 65 / 64 down"),
    (lambda n, b: n * b, "counts batches"),
    (lambda n, b: float(math.ceil(n / b)), "return an int"),
    (lambda n, b: math.ceil(b / n), "steps_per_epoch(250, 64) returned 1"),
    (lambda n, b: str(math.ceil(n / b)), "returned a str"),
    (lambda n, b: ..., "still returns `...`"),
    (lambda n: n, "raised TypeError"),
])
def test_steps_per_epoch_mistakes_get_specific_hints(func, words):
    feedback = check_steps_per_epoch(func)
    assert not feedback.correct
    assert words in feedback.message


@pytest.mark.parametrize("bad, words", [
    (4, "pass the function itself"),
    (None, "pass the function itself"),
    ("ceil", "should be a function"),
    (..., "`...` placeholder"),
])
def test_steps_per_epoch_odd_answers_get_hints(bad, words):
    feedback = check_steps_per_epoch(bad)
    assert not feedback.correct and words in feedback.message


# --------------------------------------------------------------------------- data-equivalent


def solution(sizes, plain_accuracy, target):
    points = list(zip(sizes, plain_accuracy))
    for (n0, a0), (n1, a1) in zip(points, points[1:]):
        if a0 <= target <= a1 and a1 > a0:
            t = (target - a0) / (a1 - a0)
            return math.exp(math.log(n0) + t * (math.log(n1) - math.log(n0)))
    return None


def with_np_interp(sizes, plain_accuracy, target):
    if not plain_accuracy[0] <= target <= plain_accuracy[-1]:
        return None
    return float(np.exp(np.interp(target, plain_accuracy, np.log(sizes))))


def test_reference_interpolation_values():
    assert _equivalent([250, 500, 1000], [0.30, 0.36, 0.42], 0.33) == pytest.approx(math.sqrt(250 * 500))
    assert _equivalent([250, 500, 1000], [0.30, 0.36, 0.42], 0.42) == pytest.approx(1000)
    assert _equivalent([100, 400], [0.2, 0.3], 0.25) == pytest.approx(200)
    assert _equivalent([100, 400], [0.2, 0.3], 0.35) is None
    assert _equivalent([100, 400], [0.2, 0.3], 0.1) is None
    assert _equivalent([100, 400], [0.3, 0.3], 0.3) == pytest.approx(100)  # flat curve: first size
    assert _equivalent([100, 200, 400], [0.3, 0.25, 0.35], 0.28) == pytest.approx(200 * 2 ** 0.3)


@pytest.mark.parametrize("func", [solution, with_np_interp])
def test_correct_data_equivalent_passes(func):
    feedback = check_data_equivalent(func)
    assert feedback.correct and "log scale" in feedback.message


def linear_in_n(sizes, plain_accuracy, target):
    points = list(zip(sizes, plain_accuracy))
    for (n0, a0), (n1, a1) in zip(points, points[1:]):
        if a0 <= target <= a1:
            return n0 + (target - a0) / (a1 - a0) * (n1 - n0)
    return None


def returns_log(sizes, plain_accuracy, target):
    value = solution(sizes, plain_accuracy, target)
    return value if value in (None, 500.0) or math.isclose(value, 500) else math.log(value)


def returns_factor(sizes, plain_accuracy, target):
    value = solution(sizes, plain_accuracy, target)
    return value if value is None or math.isclose(value, 500) else value / sizes[0]


def nearest_size(sizes, plain_accuracy, target):
    if not plain_accuracy[0] <= target <= plain_accuracy[-1]:
        return None
    return sizes[int(np.argmin([abs(a - target) for a in plain_accuracy]))]


def extrapolates(sizes, plain_accuracy, target):
    return float(np.exp(np.polyval(np.polyfit(plain_accuracy, np.log(sizes), 1), target))) \
        if not plain_accuracy[0] <= target <= plain_accuracy[-1] else solution(sizes, plain_accuracy, target)


def open_ends(sizes, plain_accuracy, target):
    if target in (plain_accuracy[0], plain_accuracy[-1]):
        return None
    return solution(sizes, plain_accuracy, target)


def hard_coded(sizes, plain_accuracy, target):
    return solution([250, 500, 1000], [0.30, 0.36, 0.42], target)


@pytest.mark.parametrize("func, words", [
    (linear_in_n, "straight line in n"),
    (returns_log, "which is log(n)"),
    (returns_factor, "the factor n / 250"),
    (nearest_size, "BETWEEN two of them"),
    (extrapolates, "instead of extrapolating"),
    (open_ends, "include both ends"),
    (hard_coded, "Use the arguments"),
    (lambda s, p, t: None, "returned None, but 0.36 is exactly"),
    (lambda s, p, t: 0.36 and (500 if t == 0.36 else None), "interpolate between the two neighbouring"),
    (lambda s, p, t: 500 if t == 0.36 else "big", "returned a str"),
    (lambda s, p, t: 500 if t == 0.36 else 123.0, "expected about 353.6"),
    (lambda s, p, t: ..., "still returns `...`"),
    (lambda s, p: 1, "raised TypeError"),
])
def test_data_equivalent_mistakes_get_specific_hints(func, words):
    feedback = check_data_equivalent(func)
    assert not feedback.correct
    assert words in feedback.message


@pytest.mark.parametrize("bad, words", [
    (353.5, "pass the function itself"),
    ([250, 500], "should be a function"),
    (..., "`...` placeholder"),
])
def test_data_equivalent_odd_answers_get_hints(bad, words):
    feedback = check_data_equivalent(bad)
    assert not feedback.correct and words in feedback.message


def test_an_exception_after_the_first_call_becomes_a_hint():
    def breaks_later(sizes, plain_accuracy, target):
        if target == 0.36:
            return 500
        raise RuntimeError("boom")

    feedback = check_data_equivalent(breaks_later)
    assert not feedback.correct and "could not be checked" in feedback.message and "boom" in feedback.message
