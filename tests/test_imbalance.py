"""course_lib.imbalance: weights, oversampling and per-class scores on hand-made cases."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.imbalance import (
    balanced_accuracy,
    class_counts,
    class_weights,
    confusion_matrix,
    oversample,
    oversample_indices,
    per_class_recall,
    plot_confusion_matrices,
)

Y_TRUE = np.array([0, 0, 0, 0, 0, 0, 0, 0, 1, 1])  # 8 of class 0, 2 of class 1
Y_PRED = np.array([0, 0, 0, 0, 0, 0, 0, 1, 1, 0])  # one mistake in each class


# --------------------------------------------------------------------------- counts and weights


def test_class_counts_values_and_empty_classes():
    assert class_counts(np.array([2, 0, 2, 2])).tolist() == [1, 0, 3]
    assert class_counts(np.array([1, 1]), num_classes=4).tolist() == [0, 2, 0, 0]
    assert class_counts(np.array([[0], [1], [1]])).tolist() == [1, 2]  # Keras-style column labels


def test_class_weights_are_inverse_to_frequency():
    y = np.array([0] * 90 + [1] * 10)
    w = class_weights(y)
    assert w == pytest.approx({0: 100 / (2 * 90), 1: 100 / (2 * 10)})
    assert w[1] / w[0] == pytest.approx(9.0)  # nine times rarer, nine times the weight
    counts = class_counts(y)
    assert sum(w[c] * counts[c] for c in w) == pytest.approx(len(y))  # mean weight per image stays 1
    assert all(isinstance(k, int) for k in w)


def test_class_weights_of_a_balanced_set_are_all_one():
    assert class_weights(np.array([0, 1, 2, 0, 1, 2])) == pytest.approx({0: 1.0, 1: 1.0, 2: 1.0})


def test_class_weights_refuse_a_missing_class():
    with pytest.raises(ValueError, match=r"y has no example of class\(es\) \[1\]"):
        class_weights(np.array([0, 0, 2]))
    with pytest.raises(ValueError, match=r"class\(es\) \[2\]"):
        class_weights(np.array([0, 1]), num_classes=3)


@pytest.mark.parametrize("y, kwargs, error, words", [
    ([0, 1], {}, TypeError, "y must be a NumPy array"),
    (np.array([0.0, 1.0]), {}, TypeError, "y must hold integer class labels"),
    (np.array([0, -1]), {}, ValueError, "y must be class indices"),
    (np.array([], dtype=int), {}, ValueError, "y must not be empty"),
    (np.array([0, 3]), {"num_classes": 2}, ValueError, r"y must be class indices in 0..1 \(num_classes=2\)"),
    (np.array([0, 1]), {"num_classes": 0}, ValueError, "num_classes must be >= 1"),
    (np.array([0, 1]), {"num_classes": 2.0}, TypeError, "num_classes must be an integer"),
])
def test_class_weights_bad_input_names_the_argument(y, kwargs, error, words):
    with pytest.raises(error, match=words):
        class_weights(y, **kwargs)


# --------------------------------------------------------------------------- oversampling


def test_oversample_gives_equal_counts_and_only_copies_existing_rows():
    rng = np.random.default_rng(1)
    y = np.array([0] * 10 + [1] * 3 + [2] * 7)
    x = rng.integers(0, 256, size=(len(y), 4, 4, 3), dtype=np.uint8)
    x[:, 0, 0, 0] = np.arange(len(y))  # each row is unique
    x_o, y_o = oversample(x, y, seed=0)
    assert class_counts(y_o).tolist() == [10, 10, 10]
    originals = {row.tobytes(): label for row, label in zip(x, y)}
    assert all(row.tobytes() in originals and originals[row.tobytes()] == label for row, label in zip(x_o, y_o))
    assert {row.tobytes() for row in x_o} == set(originals)  # every original kept at least once
    per_row = np.bincount(x_o[:, 0, 0, 0], minlength=len(y))
    assert per_row[:10].tolist() == [1] * 10  # the largest class is not copied
    assert sorted(per_row[10:13].tolist()) == [3, 3, 4]  # 10 = 3 x 3 + 1 extra
    assert sorted(per_row[13:].tolist()) == [1] * 4 + [2] * 3  # 10 = 7 + 3 extra


def test_oversample_is_seeded_and_shuffled():
    y = np.array([0] * 6 + [1] * 2)
    a = oversample_indices(y, seed=3)
    assert np.array_equal(a, oversample_indices(y, seed=3))
    assert not np.array_equal(a, oversample_indices(y, seed=4))
    assert not np.array_equal(np.sort(a), a)  # classes are mixed, not in blocks
    assert a.dtype == np.int64 and len(a) == 12


def test_oversample_leaves_a_balanced_set_and_empty_classes_alone():
    y = np.array([1, 0, 1, 0])
    assert sorted(oversample_indices(y).tolist()) == [0, 1, 2, 3]
    idx = oversample_indices(np.array([0, 0, 2]), num_classes=4)
    assert sorted(idx.tolist()) == [0, 1, 2, 2]


@pytest.mark.parametrize("x, y, kwargs, error, words", [
    ([[1]], np.array([0]), {}, TypeError, "x must be a NumPy array"),
    (np.zeros((3, 2)), np.array([0, 1]), {}, ValueError, r"y must have one label per image \(3\)"),
    (np.zeros((2, 2)), np.array([0, 1]), {"seed": -1}, ValueError, "seed must be >= 0"),
    (np.zeros((2, 2)), np.array([0, 1]), {"seed": "0"}, TypeError, "seed must be an integer"),
])
def test_oversample_bad_input_names_the_argument(x, y, kwargs, error, words):
    with pytest.raises(error, match=words):
        oversample(x, y, **kwargs)


# --------------------------------------------------------------------------- scores


def test_confusion_matrix_rows_are_true_columns_predicted():
    cm = confusion_matrix(Y_TRUE, Y_PRED)
    assert cm.tolist() == [[7, 1], [1, 1]]
    cm3 = confusion_matrix(np.array([0, 1, 2, 2]), np.array([2, 1, 2, 0]), num_classes=4)
    assert cm3.tolist() == [[0, 0, 1, 0], [0, 1, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]]
    assert cm3.sum() == 4 and cm3.dtype == np.int64


def test_per_class_recall_and_balanced_accuracy_of_a_known_prediction():
    assert per_class_recall(Y_TRUE, Y_PRED).tolist() == pytest.approx([7 / 8, 1 / 2])
    assert balanced_accuracy(Y_TRUE, Y_PRED) == pytest.approx((7 / 8 + 1 / 2) / 2)  # plain accuracy is 0.8


def test_always_predicting_the_largest_class():
    always_zero = np.zeros_like(Y_TRUE)
    assert np.mean(always_zero == Y_TRUE) == pytest.approx(0.8)  # plain accuracy looks good ...
    assert balanced_accuracy(Y_TRUE, always_zero) == pytest.approx(0.5)  # ... balanced accuracy does not
    assert per_class_recall(Y_TRUE, always_zero).tolist() == [1.0, 0.0]


def test_classes_absent_from_y_true_are_nan_and_skipped():
    recall = per_class_recall(np.array([0, 0, 2]), np.array([0, 1, 2]), num_classes=3)
    assert recall[0] == 0.5 and np.isnan(recall[1]) and recall[2] == 1.0
    assert balanced_accuracy(np.array([0, 0, 2]), np.array([0, 1, 2]), num_classes=3) == pytest.approx(0.75)


@pytest.mark.parametrize("y_true, y_pred, kwargs, error, words", [
    ([0, 1], np.array([0, 1]), {}, TypeError, "y_true must be a NumPy array"),
    (np.array([0, 1]), [0, 1], {}, TypeError, "y_pred must be a NumPy array"),
    (np.array([0, 1]), np.array([0, 1, 1]), {}, ValueError, r"y_pred must have one label per image \(2\)"),
    (np.array([0, 1]), np.array([0.0, 1.0]), {}, TypeError, "y_pred must hold integer"),
    (np.array([0, 1]), np.array([0, 5]), {"num_classes": 2}, ValueError, "y_pred must be class indices in 0..1"),
    (np.array([0, 4]), np.array([0, 1]), {"num_classes": 2}, ValueError, "y_true must be class indices in 0..1"),
    (np.array([0, 1]), np.array([0, 1]), {"num_classes": -2}, ValueError, "num_classes must be >= 1"),
])
def test_scores_bad_input_names_the_argument(y_true, y_pred, kwargs, error, words):
    for func in (confusion_matrix, per_class_recall, balanced_accuracy):
        with pytest.raises(error, match=words):
            func(y_true, y_pred, **kwargs)


# --------------------------------------------------------------------------- plot


def test_plot_confusion_matrices_labels_every_panel():
    cm = confusion_matrix(Y_TRUE, Y_PRED)
    fig = plot_confusion_matrices({"none": cm, "weights": np.array([[8, 0], [0, 2]])}, ["cat", "dog"],
                                  title="Two methods")
    axes = fig.axes
    assert len(axes) == 2
    assert [ax.get_title() for ax in axes] == ["none", "weights"]
    assert all(ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class" for ax in axes)
    assert [t.get_text() for t in axes[0].get_yticklabels()] == ["cat", "dog"]
    texts = [t.get_text() for t in axes[0].texts]
    assert texts[0] == "88%\n(7)" and texts[3] == "50%\n(1)"  # row shares with counts
    assert fig._suptitle.get_text() == "Two methods"


def test_plot_confusion_matrices_accepts_one_matrix_and_an_empty_row():
    fig = plot_confusion_matrices(np.array([[3, 1], [0, 0]]), ("a", "b"))
    assert fig.axes[0].get_title() == "Confusion matrix (row shares)"
    assert fig.axes[0].texts[2].get_text() == "0%\n(0)"


@pytest.mark.parametrize("matrices, names, error, words", [
    ({}, ["a", "b"], TypeError, "matrices must be"),
    ([[1, 0], [0, 1]], ["a", "b"], TypeError, "matrices must be"),
    ({"m": np.eye(3)}, ["a", "b"], ValueError, r"matrices\['m'\] must be 2 x 2"),
    ({"m": -np.eye(2)}, ["a", "b"], ValueError, r"matrices\['m'\] must hold counts"),
    ({"m": np.eye(2)}, "ab", TypeError, "class_names must be a list"),
])
def test_plot_confusion_matrices_bad_input(matrices, names, error, words):
    with pytest.raises(error, match=words):
        plot_confusion_matrices(matrices, names)
