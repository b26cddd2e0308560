"""Tests for course_lib.stats: paired comparisons checked against first principles and SciPy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import binomtest, norm

from course_lib import stats


def _pair(n_both, n_only_a, n_only_b, n_neither):
    """Labels and two prediction vectors with exactly these counts of right/wrong combinations."""
    n = n_both + n_only_a + n_only_b + n_neither
    y = np.zeros(n, np.int64)
    a = np.ones(n, np.int64)
    b = np.ones(n, np.int64)
    a[: n_both + n_only_a] = 0
    b[:n_both] = 0
    b[n_both + n_only_a: n_both + n_only_a + n_only_b] = 0
    return y, a, b


def test_counts_difference_and_mcnemar_p_value():
    y, a, b = _pair(600, 70, 40, 290)
    c = stats.paired_comparison(y, a, b, names=("new", "old"))
    assert (c.n, c.only_a, c.only_b) == (1000, 70, 40)
    assert c.accuracy_a == pytest.approx(0.67) and c.accuracy_b == pytest.approx(0.64)
    assert c.difference == pytest.approx(0.03)
    assert c.p_value == pytest.approx(binomtest(70, 110, 0.5).pvalue)
    # the paired standard error from its definition: sd of d_i in {-1, 0, 1}, over sqrt(n)
    d = np.r_[np.ones(70), -np.ones(40), np.zeros(890)]
    assert c.standard_error == pytest.approx(d.std(ddof=1) / math.sqrt(1000))
    assert c.low == pytest.approx(0.03 - norm.ppf(0.975) * c.standard_error)
    assert c.beyond_noise and c.verdict == "higher"
    assert "new 67.0% vs old 64.0%: +3.0 points" in c.sentence() and "beyond the noise" in str(c)


def test_pairing_finds_what_two_separate_error_bars_miss():
    # 3 points on 2,000 images: unpaired, two standard errors of a difference are about 3 points;
    # paired, only the 140 discordant images count and the difference is clear.
    y, a, b = _pair(1180, 100, 40, 680)
    c = stats.paired_comparison(y, a, b)
    p = (c.accuracy_a + c.accuracy_b) / 2
    unpaired_se = math.sqrt(2 * p * (1 - p) / c.n)
    assert c.difference < 2 * unpaired_se
    assert c.beyond_noise and c.standard_error < unpaired_se / 2


def test_agrees_with_a_paired_bootstrap():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 10, 1500)
    a = np.where(rng.random(1500) < 0.55, y, (y + 1) % 10)
    b = np.where(rng.random(1500) < 0.5, y, (y + 2) % 10)
    c = stats.paired_comparison(y, a, b)
    idx = rng.integers(0, 1500, size=(4000, 1500))
    boot = (a[idx] == y[idx]).mean(axis=1) - (b[idx] == y[idx]).mean(axis=1)
    assert boot.std() == pytest.approx(c.standard_error, rel=0.06)


def test_identical_models_are_within_the_noise_and_probabilities_work():
    y = np.array([0, 1, 2, 1, 0])
    probs = np.eye(3)[[0, 1, 1, 1, 2]]
    c = stats.paired_comparison(y, probs, probs.argmax(axis=1))
    assert c.difference == 0 and c.p_value == 1.0 and not c.beyond_noise and c.verdict == "within the noise"
    row = c.as_row()
    assert row["beyond_noise"] is False and row["n"] == 5


def test_lower_and_within_verdicts():
    y, a, b = _pair(500, 10, 60, 430)
    assert stats.paired_comparison(y, a, b).verdict == "lower"
    y, a, b = _pair(500, 30, 33, 437)
    assert stats.paired_comparison(y, a, b).verdict == "within the noise"


def test_accuracy_interval_is_wilson():
    y, a, _ = _pair(80, 0, 0, 20)
    p, low, high = stats.accuracy_interval(y, a)
    assert p == 0.8
    # Wilson interval for 80 of 100 at 95 %: about 0.711 to 0.867
    assert low == pytest.approx(0.7112, abs=1e-3) and high == pytest.approx(0.8666, abs=1e-3)


def test_mean_interval_uses_student_t():
    mean, low, high = stats.mean_interval([1.0, 2.0, 3.0])
    assert mean == 2.0
    assert high - mean == pytest.approx(4.302653 * 1.0 / math.sqrt(3), rel=1e-5)
    assert stats.mean_interval([5.0]) == (5.0, 5.0, 5.0)


@pytest.mark.parametrize("call, error, match", [
    (lambda: stats.paired_comparison([0, 1], np.array([0, 1]), np.array([0, 1])), TypeError, "y_true"),
    (lambda: stats.paired_comparison(np.array([0]), np.array([0]), np.array([0])), ValueError, "y_true"),
    (lambda: stats.paired_comparison(np.array([0, 1]), np.array([0]), np.array([0, 1])), ValueError, "predictions_a"),
    (lambda: stats.paired_comparison(np.array([0, 1]), np.array([0, 1]), np.array([0.5, 1.0])), TypeError,
     "predictions_b"),
    (lambda: stats.paired_comparison(np.array([0, 1]), np.array([[np.nan, 1], [0, 1]]), np.array([0, 1])),
     ValueError, "predictions_a"),
    (lambda: stats.paired_comparison(np.array([0, 1]), np.array([[1.0], [1.0]]), np.array([0, 1])), ValueError,
     "predictions_a"),
    (lambda: stats.paired_comparison(np.array([0, 1]), np.array([0, 1]), np.array([0, 1]), names="ab"), TypeError,
     "names"),
    (lambda: stats.accuracy_interval(np.array([0, 1]), np.array(["a", "b"])), TypeError, "predictions"),
    (lambda: stats.mean_interval([]), TypeError, "values"),
    (lambda: stats.mean_interval([1.0, float("nan")]), ValueError, r"values\[1\]"),
])
def test_bad_arguments_are_named(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_an_interval_end_near_zero_keeps_its_sign_in_the_sentence():
    y, a, b = _pair(1000, 20, 9, 918)
    c = stats.paired_comparison(y, a, b)
    assert c.beyond_noise and 0 < c.low < 0.0005
    assert f"interval +{100 * c.low:.2f} to" in c.sentence() and "excludes 0" in c.sentence()
