"""Feedback for the exercise of lesson 08: class weights, balanced accuracy, and why plain accuracy misleads.

The student writes two functions and answers two questions:

* ``class_weights(y)``: a dict ``{class index: n / (k * count)}`` for integer
  labels ``y`` with classes ``0 .. k - 1``;
* ``balanced_accuracy_from_cm(cm)``: the mean over classes of the recall read
  from a confusion matrix (rows = true class, columns = predicted class);
* the plain and balanced accuracy of a *lazy* model that never predicts a
  minority class, on the imbalanced test set of :data:`EXAMPLE_CM`;
* which model each metric prefers.

:data:`EXAMPLE_CM` is a made-up confusion matrix (not measured by the course)
that the exercise notebook shows; the checks use it for the reference answers.
The reference answers come from what lesson 08 teaches (its generated module
:mod:`course_lib.lessons.l08_imbalanced_classes`, which uses scikit-learn) and
from scikit-learn itself; nothing here implements the formulas a second time.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from numbers import Integral, Real
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, precision_score

from ..lessons.l08_imbalanced_classes import class_scores, class_weights as lesson_class_weights
from . import Feedback, correct, hint, never_crash

#: Class names of the exercise, as in lesson 08.
CLASS_NAMES: tuple[str, ...] = ("airplane", "automobile", "ship", "truck")
#: Training labels of the exercise: 500 / 50 / 50 / 500 images, in a fixed shuffled order.
TRAIN_LABELS: np.ndarray = np.random.default_rng(8).permutation(np.repeat(np.arange(4), [500, 50, 50, 500]))
#: A made-up confusion matrix of a trained model on a test set imbalanced like the training set
#: (400 / 40 / 40 / 400 images). Rows are the true classes, columns the predicted ones.
EXAMPLE_CM: np.ndarray = np.array([
    [352, 4, 28, 16],
    [2, 22, 1, 15],
    [14, 1, 24, 1],
    [10, 18, 4, 368],
])
#: For each minority class, the majority look-alike the lazy model answers instead.
LAZY_ANSWER: dict[str, str] = {"automobile": "truck", "ship": "airplane"}

_TOL = 1e-3
_LABEL_CASES: tuple[np.ndarray, ...] = (
    TRAIN_LABELS,
    np.array([0, 0, 0, 1]),
    np.array([2, 0, 1, 2, 2, 2, 0, 2]),
    np.array([1, 0, 1, 0, 2, 2]),  # balanced: every weight 1
)
_CM_CASES: tuple[np.ndarray, ...] = (
    EXAMPLE_CM,
    np.array([[8, 2], [3, 1]]),
    np.array([[5, 0, 5], [1, 1, 0], [0, 10, 30]]),
)


# --------------------------------------------------------------------------- references


def _weights(y: np.ndarray) -> dict[int, float]:
    return lesson_class_weights(y, len(np.bincount(y)))


def _labels_of(cm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The (true, predicted) labels whose confusion matrix is ``cm``, so scikit-learn can score it."""
    k = len(cm)
    return np.repeat(np.arange(k), cm.sum(axis=1)), np.concatenate([np.repeat(np.arange(k), row) for row in cm])


def _recall(cm: np.ndarray) -> np.ndarray:
    return class_scores(*_labels_of(cm), len(cm))["recall"]


def _balanced(cm: np.ndarray) -> float:
    return class_scores(*_labels_of(cm), len(cm))["balanced accuracy"]


def _plain(cm: np.ndarray) -> float:
    return float(accuracy_score(*_labels_of(cm)))


def _precision(cm: np.ndarray) -> float:
    """The mean precision (diagonal / column sums): what dividing by the wrong sums gives."""
    return float(np.nanmean(precision_score(*_labels_of(cm), labels=np.arange(len(cm)), average=None,
                                            zero_division=np.nan)))


def lazy_cm() -> np.ndarray:
    """The confusion matrix of the lazy model on :data:`EXAMPLE_CM`'s test set: every majority image
    right, every minority image called its look-alike majority class."""
    support = EXAMPLE_CM.sum(axis=1)
    cm = np.zeros_like(EXAMPLE_CM)
    for c, name in enumerate(CLASS_NAMES):
        answer = CLASS_NAMES.index(LAZY_ANSWER.get(name, name))
        cm[c, answer] = support[c]
    return cm


# --------------------------------------------------------------------------- helpers


def _is_number(value: Any) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(float(value))


def _close(value: Any, expected: float) -> bool:
    return _is_number(value) and math.isclose(float(value), expected, rel_tol=_TOL, abs_tol=1e-9)


def _not_a_function(answer: Any, name: str, example: str) -> Feedback:
    if _is_number(answer) or isinstance(answer, (dict, list, np.ndarray)):
        return hint(f"pass the function itself, `check_...({name})`, not the result of calling it "
                    f"(like `{example}`).")
    return hint(f"`{name}` should be a function (def {name}(...): ...), got {type(answer).__name__}.")


def _as_weight_list(answer: Mapping, k: int) -> list[float] | None:
    """The weights of a mapping with keys 0..k-1 as a list indexed by class, or None unless keys are integers
    and values numbers."""
    if not all(isinstance(key, Integral) and not isinstance(key, bool) for key in answer):
        return None
    if not all(_is_number(v) for v in answer.values()):
        return None
    return [float(answer[key]) for key in sorted(answer, key=int)]


# --------------------------------------------------------------------------- checks


@never_crash
def check_class_weights(class_weights: Any) -> Feedback:
    """Check a function ``class_weights(y)`` that should return ``{c: n / (k * count_c)}``."""
    if not callable(class_weights):
        return _not_a_function(class_weights, "class_weights", "class_weights(y_train)")
    for y in _LABEL_CASES:
        call = "class_weights(y_train)" if y is TRAIN_LABELS else f"class_weights(np.array({y.tolist()}))"
        try:
            answer = class_weights(y.copy())
        except Exception as err:  # the student's code, whatever it raises
            return hint(f"{call} raised {type(err).__name__}: {err}. It gets a NumPy array of integer labels.")
        if answer is Ellipsis or answer is None:
            return hint(f"{call} returned {answer!r}: return the dict of weights.")
        expected = _weights(y)
        k, n = len(expected), len(y)
        counts = np.bincount(y)
        if isinstance(answer, (list, tuple, np.ndarray)):
            return hint(f"{call} returned a {type(answer).__name__}; Keras' fit(class_weight=...) wants a dict "
                        "{class index: weight}, e.g. {c: w for c, w in enumerate(weights)}.")
        if not isinstance(answer, Mapping):
            return hint(f"{call} returned a {type(answer).__name__}; return a dict {{class index: weight}}.")
        if any(isinstance(key, str) for key in answer):
            return hint(f"{call} has text keys {list(answer)[:2]}...; Keras matches class_weight keys to the "
                        "integer labels, so use the class indices 0, 1, ... as keys.")
        if len(answer) != k or sorted(answer) != list(range(k)):
            return hint(f"{call} returned keys {sorted(answer)}, but the labels are classes 0..{k - 1}: "
                        "give every class, and only those, one weight.")
        got = _as_weight_list(answer, k)
        if got is None:
            return hint(f"{call} must map each class index (an int: 0, 1, ...) to a number; got {answer!r}.")
        want = [expected[c] for c in range(k)]
        if all(math.isclose(g, w, rel_tol=_TOL) for g, w in zip(got, want)):
            continue
        if all(math.isclose(g, counts[c] / n, rel_tol=_TOL) for c, g in enumerate(got)):
            return hint(f"{call} gave each class its frequency count / n, so the common classes weigh MORE. "
                        "A class weight should be inversely proportional to the frequency: n / (k * count).")
        ratios = [g / w for g, w in zip(got, want)]
        if all(math.isclose(r, ratios[0], rel_tol=_TOL) for r in ratios) and ratios[0] > 0:
            if all(math.isclose(g, n / counts[c], rel_tol=_TOL) for c, g in enumerate(got)):
                scale = f"n / count is {k} times too large (k = {k} classes)"
            elif all(math.isclose(g, 1 / counts[c], rel_tol=_TOL) for c, g in enumerate(got)):
                scale = "1 / count is right in proportion but tiny"
            elif all(math.isclose(g, counts.max() / counts[c], rel_tol=_TOL) for c, g in enumerate(got)):
                scale = "max(count) / count gives the largest class 1, a valid choice but not this one"
            else:
                scale = f"every weight is {ratios[0]:.3g} times the expected one"
            return hint(f"{call}: the ratios between the weights are right, but the scale is off ({scale}). "
                        "Use n / (k * count), so that the weights times the counts add up to n and the average "
                        "weight per image is 1: the loss, and the size of each update, keep their usual scale.")
        c = next(c for c, (g, w) in enumerate(zip(got, want)) if not math.isclose(g, w, rel_tol=_TOL))
        return hint(f"{call}: the weight of class {c} ({counts[c]} of {n} images, {k} classes) should be "
                    f"{n} / ({k} * {counts[c]}) = {want[c]:.4g}, got {got[c]:.4g}.")
    return correct("weight = n / (k * count): a class ten times rarer weighs ten times more, and the average "
                   "weight per training image stays 1.")


@never_crash
def check_balanced_accuracy(balanced_accuracy_from_cm: Any) -> Feedback:
    """Check ``balanced_accuracy_from_cm(cm)``: the mean of the row-wise recalls of a confusion matrix."""
    if not callable(balanced_accuracy_from_cm):
        return _not_a_function(balanced_accuracy_from_cm, "balanced_accuracy_from_cm",
                               "balanced_accuracy_from_cm(EXAMPLE_CM)")
    for cm in _CM_CASES:
        call = ("balanced_accuracy_from_cm(EXAMPLE_CM)" if cm is EXAMPLE_CM
                else f"balanced_accuracy_from_cm(np.array({cm.tolist()}))")
        try:
            answer = balanced_accuracy_from_cm(cm.copy())
        except Exception as err:  # the student's code, whatever it raises
            return hint(f"{call} raised {type(err).__name__}: {err}. It gets a square NumPy array of counts.")
        if answer is Ellipsis or answer is None:
            return hint(f"{call} returned {answer!r}: return one number, the balanced accuracy.")
        expected = _balanced(cm)
        if isinstance(answer, (list, tuple, np.ndarray)) and np.size(answer) > 1:
            values = np.asarray(answer, dtype=float).reshape(-1)
            if values.shape == (len(cm),) and np.allclose(values, _recall(cm), rtol=_TOL):
                return hint(f"{call} returned the recall of each class; balanced accuracy is their mean: "
                            "one number.")
            return hint(f"{call} returned {len(values)} numbers; return one number, the mean of the per-class "
                        "recalls.")
        if isinstance(answer, np.ndarray):
            answer = answer.item()
        if not _is_number(answer):
            return hint(f"{call} returned a {type(answer).__name__} ({answer!r}); return one number.")
        if _close(answer, expected):
            continue
        if _close(answer, _plain(cm)):
            return hint(f"{call} returned {float(answer):.4f}, the plain accuracy (diagonal / all images). "
                        "Balanced accuracy first computes each class's recall (its diagonal count / its ROW sum) "
                        "and then averages those, so every class counts the same.")
        if _close(answer, _precision(cm)):
            return hint(f"{call} returned {float(answer):.4f}: you divided by the COLUMN sums, which gives each "
                        "class's precision. Rows are the true classes: recall = diagonal / row sum.")
        if _close(answer, 100 * expected):
            return hint(f"{call} returned {float(answer):.2f}, a percentage; return a fraction between 0 and 1.")
        if _close(answer, float(np.diag(cm).sum() / len(cm))) or _close(answer, float(np.diag(cm).mean())):
            return hint(f"{call} averaged the diagonal COUNTS; divide each by its row sum first, so you average "
                        "recalls (fractions), not counts.")
        return hint(f"{call} returned {answer!r}, expected {expected:.4f}: recall of class c = cm[c, c] / "
                    "cm[c].sum(); balanced accuracy = the mean of those recalls.")
    return correct("balanced accuracy = the mean of the per-class recalls (diagonal / row sums): a class with 40 "
                   "test images counts as much as one with 400.")


@never_crash
def check_lazy_model(lazy_plain: Any, lazy_balanced: Any) -> Feedback:
    """Check the plain and balanced accuracy of the lazy model on EXAMPLE_CM's test set."""
    cm = lazy_cm()
    plain, balanced = _plain(cm), _balanced(cm)
    support = EXAMPLE_CM.sum(axis=1)
    n_major = int(sum(support[CLASS_NAMES.index(c)] for c in CLASS_NAMES if c not in LAZY_ANSWER))
    for name, value in (("lazy_plain", lazy_plain), ("lazy_balanced", lazy_balanced)):
        if isinstance(value, np.ndarray) and value.size == 1:
            value = value.item()
        if not _is_number(value):
            return hint(f"{name} should be one number (a fraction between 0 and 1), got "
                        f"{type(value).__name__} {value!r}.")
    lazy_plain, lazy_balanced = float(np.asarray(lazy_plain)), float(np.asarray(lazy_balanced))
    if _close(lazy_plain, balanced) and _close(lazy_balanced, plain):
        return hint("the two numbers are swapped: plain accuracy counts images, balanced accuracy averages the "
                    "recalls of the classes.")
    if _close(lazy_plain, 100 * plain) or _close(lazy_balanced, 100 * balanced):
        return hint("give fractions between 0 and 1, not percentages.")
    if not _close(lazy_plain, plain):
        return hint(f"lazy_plain is {lazy_plain:.4f}. The lazy model gets every one of the {n_major} majority "
                    f"test images right and none of the {int(support.sum()) - n_major} minority ones: plain "
                    f"accuracy = correct images / all {int(support.sum())} test images.")
    if not _close(lazy_balanced, balanced):
        return hint(f"lazy_balanced is {lazy_balanced:.4f}. Per class the lazy model's recall is 1 for each "
                    "majority class and 0 for each minority class; balanced accuracy is the mean of those "
                    f"{len(CLASS_NAMES)} recalls.")
    return correct(f"the lazy model scores {plain:.1%} plain accuracy, more than the trained model's "
                   f"{_plain(EXAMPLE_CM):.1%}, yet only {balanced:.1%} balanced accuracy: it never recognises a "
                   "minority image.")


@never_crash
def check_which_model(by_plain: Any, by_balanced: Any) -> Feedback:
    """Check which model ("trained" or "lazy") plain and balanced accuracy each rank higher."""
    choices = ("trained", "lazy")
    for name, value in (("by_plain", by_plain), ("by_balanced", by_balanced)):
        if not isinstance(value, str) or value.strip().lower() not in choices:
            return hint(f'{name} should be the text "trained" or "lazy", got {value!r}.')
    by_plain, by_balanced = by_plain.strip().lower(), by_balanced.strip().lower()
    lazy = lazy_cm()
    plain_pick = "lazy" if _plain(lazy) > _plain(EXAMPLE_CM) else "trained"
    balanced_pick = "lazy" if _balanced(lazy) > _balanced(EXAMPLE_CM) else "trained"
    if by_plain != plain_pick:
        return hint(f"compare the plain accuracies: trained {_plain(EXAMPLE_CM):.1%}, lazy {_plain(lazy):.1%}. "
                    "Which is higher?")
    if by_balanced != balanced_pick:
        return hint(f"compare the balanced accuracies: trained {_balanced(EXAMPLE_CM):.1%}, lazy "
                    f"{_balanced(lazy):.1%}. Which is higher?")
    return correct("plain accuracy prefers the model that ignores the minority classes, because the test set is "
                   "mostly majority images; balanced accuracy prefers the model that recognises every class.")

