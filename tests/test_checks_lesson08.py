"""Lesson 08 exercise checks: right answers accepted, common mistakes get specific hints, nothing crashes."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.checks.lesson08 import (
    CLASS_NAMES,
    EXAMPLE_CM,
    TRAIN_LABELS,
    check_balanced_accuracy,
    check_class_weights,
    check_lazy_model,
    check_which_model,
    lazy_cm,
)
from course_lib.lessons.l08_imbalanced_classes import class_weights as lesson_class_weights

# --------------------------------------------------------------------------- the exercise's data


def test_exercise_data_is_what_the_notebook_describes():
    assert np.bincount(TRAIN_LABELS).tolist() == [500, 50, 50, 500]
    assert EXAMPLE_CM.sum(axis=1).tolist() == [400, 40, 40, 400]
    assert len(CLASS_NAMES) == 4
    lazy = lazy_cm()
    assert lazy.tolist() == [[400, 0, 0, 0], [0, 0, 0, 40], [40, 0, 0, 0], [0, 0, 0, 400]]
    # the point of the exercise: plain accuracy prefers the lazy model, balanced accuracy the trained one
    assert np.trace(lazy) / lazy.sum() == pytest.approx(800 / 880)
    assert np.trace(EXAMPLE_CM) / EXAMPLE_CM.sum() == pytest.approx(766 / 880)
    assert (np.diag(EXAMPLE_CM) / EXAMPLE_CM.sum(axis=1)).mean() == pytest.approx(0.7375)


# --------------------------------------------------------------------------- class weights


def weights_solution(y):
    counts = np.bincount(y)
    return {c: len(y) / (len(counts) * n) for c, n in enumerate(counts)}


def test_correct_class_weights_pass():
    assert check_class_weights(weights_solution).correct
    # the lesson's function (scikit-learn's "balanced" weights), given the number of classes
    assert check_class_weights(lambda y: lesson_class_weights(y, len(np.bincount(y)))).correct
    numpy_keys = check_class_weights(lambda y: {np.int64(c): np.float64(w) for c, w in weights_solution(y).items()})
    assert numpy_keys.correct and "n / (k * count)" in numpy_keys.message


def _counts(y):
    return np.bincount(y)


@pytest.mark.parametrize("func, words", [
    (lambda y: {c: n / len(y) for c, n in enumerate(_counts(y))}, "its frequency count / n"),
    (lambda y: {c: len(y) / n for c, n in enumerate(_counts(y))}, "n / count is 4 times too large"),
    (lambda y: {c: 1 / n for c, n in enumerate(_counts(y))}, "1 / count is right in proportion"),
    (lambda y: {c: _counts(y).max() / n for c, n in enumerate(_counts(y))}, "max(count) / count"),
    (lambda y: {c: 3 * len(y) / (4 * n) for c, n in enumerate(_counts(y))}, "the ratios between the weights are right"),
    (lambda y: [len(y) / (4 * n) for n in _counts(y)], "wants a dict"),
    (lambda y: {CLASS_NAMES[c]: w for c, w in weights_solution(y).items()}, "text keys"),
    (lambda y: {c + 1: w for c, w in weights_solution(y).items()}, "but the labels are classes 0..3"),
    (lambda y: {c: str(w) for c, w in weights_solution(y).items()}, "must map each class index (an int"),
    (lambda y: {float(c): w for c, w in weights_solution(y).items()}, "must map each class index (an int"),
    (lambda y: {c: (w if c else w + 1) for c, w in weights_solution(y).items()}, "the weight of class 0"),
    (lambda y: 3.0, "returned a float"),
    (lambda y: ..., "returned Ellipsis"),
    (lambda: 1, "raised TypeError"),
])
def test_class_weight_mistakes_get_specific_hints(func, words):
    feedback = check_class_weights(func)
    assert not feedback.correct
    assert words in feedback.message


def test_class_weights_must_use_the_argument():
    fixed = weights_solution(TRAIN_LABELS)
    feedback = check_class_weights(lambda y: fixed)
    assert not feedback.correct and "class_weights(np.array([0, 0, 0, 1]))" in feedback.message


@pytest.mark.parametrize("bad, words", [
    ({0: 1.0}, "pass the function itself"),
    (2.5, "pass the function itself"),
    ("weights", "should be a function"),
    (..., "`...` placeholder"),
])
def test_class_weights_odd_answers(bad, words):
    feedback = check_class_weights(bad)
    assert not feedback.correct and words in feedback.message


# --------------------------------------------------------------------------- balanced accuracy


def balanced_solution(cm):
    return float(np.mean(np.diag(cm) / cm.sum(axis=1)))


def test_correct_balanced_accuracy_passes():
    assert check_balanced_accuracy(balanced_solution).correct
    assert check_balanced_accuracy(lambda cm: np.mean(np.diag(cm) / cm.sum(axis=1))).correct  # numpy float
    assert check_balanced_accuracy(lambda cm: np.array(balanced_solution(cm))).correct  # 0-d array


@pytest.mark.parametrize("func, words", [
    (lambda cm: np.trace(cm) / cm.sum(), "the plain accuracy"),
    (lambda cm: np.mean(np.diag(cm) / cm.sum(axis=0)), "COLUMN sums"),
    (lambda cm: np.diag(cm) / cm.sum(axis=1), "returned the recall of each class"),
    (lambda cm: np.ones(7), "returned 7 numbers"),
    (lambda cm: 100 * balanced_solution(cm), "a percentage"),
    (lambda cm: np.diag(cm).mean(), "averaged the diagonal COUNTS"),
    (lambda cm: 0.5, "expected 0.7375"),
    (lambda cm: "0.74", "returned a str"),
    (lambda cm: None, "returned None"),
    (lambda cm: cm.foo, "raised AttributeError"),
])
def test_balanced_accuracy_mistakes_get_specific_hints(func, words):
    feedback = check_balanced_accuracy(func)
    assert not feedback.correct
    assert words in feedback.message


def test_balanced_accuracy_must_use_the_argument():
    feedback = check_balanced_accuracy(lambda cm: balanced_solution(EXAMPLE_CM))
    assert not feedback.correct and "balanced_accuracy_from_cm(np.array([[8, 2], [3, 1]]))" in feedback.message


@pytest.mark.parametrize("bad, words", [
    (0.7375, "pass the function itself"),
    (None, "should be a function"),
    (..., "`...` placeholder"),
])
def test_balanced_accuracy_odd_answers(bad, words):
    feedback = check_balanced_accuracy(bad)
    assert not feedback.correct and words in feedback.message


# --------------------------------------------------------------------------- the lazy model and the two metrics


def test_lazy_model_right_answers():
    feedback = check_lazy_model(800 / 880, 0.5)
    assert feedback.correct and "90.9%" in feedback.message and "87.0%" in feedback.message
    assert check_lazy_model(np.float64(800 / 880), np.array(0.5)).correct


@pytest.mark.parametrize("plain, balanced, words", [
    (0.5, 800 / 880, "swapped"),
    (90.91, 50.0, "not percentages"),
    (0.5, 0.5, "correct images / all 880 test images"),
    (800 / 880, 0.0, "mean of those 4 recalls"),
    ("0.9", 0.5, "lazy_plain should be one number"),
    (0.9090909, [0.5], "lazy_balanced should be one number"),
    (float("nan"), 0.5, "lazy_plain should be one number"),
    (..., 0.5, "`...` placeholder"),
])
def test_lazy_model_mistakes(plain, balanced, words):
    feedback = check_lazy_model(plain, balanced)
    assert not feedback.correct and words in feedback.message


def test_which_model():
    assert check_which_model("lazy", "trained").correct
    assert check_which_model(" Lazy", "TRAINED ").correct
    assert "compare the plain accuracies" in check_which_model("trained", "trained").message
    assert "compare the balanced accuracies" in check_which_model("lazy", "lazy").message
    assert 'by_plain should be the text "trained" or "lazy"' in check_which_model(1, "lazy").message
    assert "by_balanced should be" in check_which_model("lazy", "both").message
    assert not check_which_model(..., ...).correct


def test_reference_answers_come_from_the_lesson_and_scikit_learn():
    from sklearn.metrics import confusion_matrix

    from course_lib.checks import lesson08

    for cm in (EXAMPLE_CM, lazy_cm(), np.array([[5, 0, 5], [1, 1, 0], [0, 10, 30]])):
        true, pred = lesson08._labels_of(cm)  # the labels scikit-learn scores
        assert np.array_equal(confusion_matrix(true, pred, labels=np.arange(len(cm))), cm)
    assert lesson08._balanced(EXAMPLE_CM) == pytest.approx((352 / 400 + 22 / 40 + 24 / 40 + 368 / 400) / 4)
    assert lesson08._plain(EXAMPLE_CM) == pytest.approx(766 / 880)
    assert lesson08._recall(lazy_cm()).tolist() == [1.0, 0.0, 0.0, 1.0]
    assert lesson08._weights(TRAIN_LABELS) == pytest.approx({0: 0.55, 1: 5.5, 2: 5.5, 3: 0.55})
