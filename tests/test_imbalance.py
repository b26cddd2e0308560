"""Lesson 08's teaching code (course_lib.lessons.l08_imbalanced_classes, generated from the notebook's #@save
cells): class weights, oversampling, per-class scores and the confusion-matrix figure, checked on hand-made
cases and against scikit-learn and the formulas the lesson states."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from sklearn.metrics import balanced_accuracy_score, confusion_matrix, recall_score

from course_lib.lessons.l08_imbalanced_classes import (
    class_scores,
    class_weights,
    oversample_indices,
    plot_confusion_matrices,
)
from tests.helpers import NOT_A_COUNT, assert_rejects, bad_argument_cases

Y_TRUE = np.array([0, 0, 0, 0, 0, 0, 0, 0, 1, 1])
Y_PRED = np.array([0, 0, 0, 0, 0, 0, 0, 1, 0, 1])
#: Labels that are no usable label vector: not an array, not integers, negative, empty, 2-D, too large.
NOT_LABELS = ([0, 1], np.array([0.0, 1.0]), np.array([0, -1]), np.array([], dtype=int), np.zeros((2, 2), int),
              np.array(["a", "b"]), None, np.array([0, 7]))
NOT_A_SEED = (-1, 2.5, float("nan"), "3", None, True, np.array([1, 2]))


# --------------------------------------------------------------------------- class weights


def test_class_weights_are_n_over_k_times_count():
    y = np.random.default_rng(3).permutation(np.repeat(np.arange(4), [500, 50, 50, 500]))
    weights = class_weights(y, 4)
    counts = np.bincount(y)
    assert list(weights) == [0, 1, 2, 3] and all(type(k) is int and type(w) is float for k, w in weights.items())
    assert list(weights.values()) == pytest.approx(len(y) / (4 * counts))  # the formula the lesson shows
    assert weights == pytest.approx({0: 0.55, 1: 5.5, 2: 5.5, 3: 0.55})
    assert sum(weights[c] * counts[c] for c in weights) == pytest.approx(len(y))  # average weight per image is 1


def test_class_weights_of_a_balanced_set_are_all_one_and_order_does_not_matter():
    assert class_weights(np.array([0, 1, 2, 0, 1, 2]), 3) == pytest.approx({0: 1.0, 1: 1.0, 2: 1.0})
    y = np.array([2, 0, 1, 2, 2, 2, 0, 2])
    assert class_weights(y, 3) == pytest.approx(class_weights(y[::-1].copy(), 3))
    assert class_weights(y, 3) == pytest.approx({0: 8 / 6, 1: 8 / 3, 2: 8 / 15})


def test_class_weights_refuse_a_class_without_images():
    with pytest.raises(ValueError, match=r"y has no image of class\(es\) \[1\]"):
        class_weights(np.array([0, 0, 2]), 3)
    with pytest.raises(ValueError, match=r"class\(es\) \[2, 3\]"):
        class_weights(np.array([0, 1]), 4)


@pytest.mark.parametrize("func, good, arg, value", bad_argument_cases(
    class_weights, {"y": np.array([0, 1, 1]), "num_classes": 2},
    {"y": NOT_LABELS, "num_classes": NOT_A_COUNT + (1,)}))
def test_class_weights_bad_arguments_are_named(func, good, arg, value):
    assert_rejects(func, good, arg, value)


# --------------------------------------------------------------------------- oversampling


def test_oversampling_repeats_rows_by_the_index_arithmetic():
    y = np.array([0] * 10 + [1] * 3 + [2] * 7)
    rows = oversample_indices(y, 3, seed=0)
    assert np.bincount(y[rows]).tolist() == [10, 10, 10]
    copies = np.bincount(rows, minlength=len(y))
    assert copies[:10].tolist() == [1] * 10  # the largest class is not copied
    assert sorted(copies[10:13].tolist()) == [3, 3, 4]  # 10 = 3 x 3 + 1 extra
    assert sorted(copies[13:].tolist()) == [1] * 4 + [2] * 3  # 10 = 1 x 7 + 3 extra
    assert rows.dtype.kind == "i" and rows.min() >= 0 and rows.max() < len(y)


def test_oversampling_is_seeded_and_shuffled():
    y = np.array([0] * 6 + [1] * 2 + [2] * 5)
    a = oversample_indices(y, 3, seed=3)
    assert np.array_equal(a, oversample_indices(y, 3, seed=3))
    assert not np.array_equal(a, oversample_indices(y, 3, seed=4))
    assert not np.array_equal(np.sort(a), a)  # the classes are mixed, not in blocks
    assert len(a) == 18


def test_oversampling_leaves_a_balanced_set_and_classes_without_rows_alone():
    assert sorted(oversample_indices(np.array([1, 0, 1, 0]), 2, seed=0).tolist()) == [0, 1, 2, 3]
    rows = oversample_indices(np.array([0, 0, 2]), 4, seed=0)
    assert sorted(rows.tolist()) == [0, 1, 2, 2]  # classes 1 and 3 have no image to copy


@pytest.mark.parametrize("func, good, arg, value", bad_argument_cases(
    oversample_indices, {"y": np.array([0, 1, 1]), "num_classes": 2, "seed": 0},
    {"y": NOT_LABELS, "num_classes": NOT_A_COUNT + (1,), "seed": NOT_A_SEED}))
def test_oversampling_bad_arguments_are_named(func, good, arg, value):
    assert_rejects(func, good, arg, value)


# --------------------------------------------------------------------------- scores


def test_scores_of_a_known_prediction():
    scores = class_scores(Y_TRUE, Y_PRED, 2)
    assert scores["confusion"].tolist() == [[7, 1], [1, 1]]  # rows = true, columns = predicted
    assert scores["recall"].tolist() == pytest.approx([7 / 8, 1 / 2])
    assert scores["balanced accuracy"] == pytest.approx((7 / 8 + 1 / 2) / 2)  # plain accuracy is 0.8
    assert type(scores["balanced accuracy"]) is float


def test_always_predicting_the_largest_class():
    scores = class_scores(Y_TRUE, np.zeros_like(Y_TRUE), 2)
    assert scores["recall"].tolist() == [1.0, 0.0]
    assert scores["balanced accuracy"] == pytest.approx(0.5)  # while plain accuracy is 0.8
    assert scores["confusion"].tolist() == [[8, 0], [2, 0]]  # a class never predicted keeps its column


def test_scores_agree_with_scikit_learn_and_with_the_definitions():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 5, 300), rng.integers(0, 5, 300)
    scores = class_scores(y_true, y_pred, 5)
    cm = scores["confusion"]
    assert np.array_equal(cm, confusion_matrix(y_true, y_pred))
    assert cm.sum() == 300 and cm[2, 3] == np.sum((y_true == 2) & (y_pred == 3))
    assert scores["recall"] == pytest.approx(np.diag(cm) / cm.sum(axis=1))
    assert scores["recall"] == pytest.approx(recall_score(y_true, y_pred, average=None))
    assert scores["balanced accuracy"] == pytest.approx(balanced_accuracy_score(y_true, y_pred))
    assert scores["balanced accuracy"] == pytest.approx(scores["recall"].mean())


def test_a_class_missing_from_the_test_labels_has_nan_recall_and_is_skipped():
    with pytest.warns(UserWarning, match="y_pred contains classes not in y_true"):
        scores = class_scores(np.array([0, 0, 2]), np.array([0, 1, 2]), 4)
    assert scores["recall"][0] == 0.5 and np.isnan(scores["recall"][1]) and scores["recall"][2] == 1.0
    assert np.isnan(scores["recall"][3])
    assert scores["balanced accuracy"] == pytest.approx(0.75)
    assert scores["confusion"].shape == (4, 4)


@pytest.mark.parametrize("func, good, arg, value", bad_argument_cases(
    class_scores, {"y_true": np.array([0, 1, 1]), "y_pred": np.array([0, 0, 1]), "num_classes": 2},
    {"y_true": NOT_LABELS, "y_pred": NOT_LABELS + (np.array([0, 1]),), "num_classes": NOT_A_COUNT + (1,)}))
def test_scores_bad_arguments_are_named(func, good, arg, value):
    assert_rejects(func, good, arg, value)


# --------------------------------------------------------------------------- the figure


def test_confusion_matrices_are_drawn_row_normalised_on_one_colour_scale():
    fig = plot_confusion_matrices({"none": np.array([[7, 1], [1, 1]]), "weights": np.array([[8, 0], [0, 0]])},
                                  ("cat", "dog"), title="Two methods")
    panels = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in panels] == ["none", "weights"]
    assert fig.get_suptitle() == "Two methods"
    assert len(fig.axes) == 3  # two panels and one shared colour bar
    first, second = (ax.images[0] for ax in panels)
    assert np.asarray(first.get_array()).tolist() == [[7 / 8, 1 / 8], [0.5, 0.5]]  # each row sums to 1
    assert np.asarray(second.get_array()).tolist() == [[1.0, 0.0], [0.0, 0.0]]  # an empty row stays 0
    assert all(im.get_clim() == (0, 1) and im.get_cmap().name == "cividis" for im in (first, second))
    assert [t.get_text() for t in panels[0].texts] == ["88%", "12%", "50%", "50%"]
    assert [t.get_text() for t in panels[0].get_yticklabels()] == ["cat", "dog"]
    assert panels[0].get_ylabel() and not panels[1].get_ylabel()  # the true-class label once, at the left
    assert [tick.label1.get_visible() for ax in panels for tick in ax.yaxis.get_major_ticks()] == [True] * 2 + [False] * 2
    plt.close(fig)


@pytest.mark.parametrize("matrices, names, title, error, words", [
    ({}, ["a", "b"], "t", ValueError, "matrices must be a dict of 1 to 12"),
    ([[1, 0], [0, 1]], ["a", "b"], "t", ValueError, "matrices must be"),
    ({str(i): np.eye(2) for i in range(13)}, ["a", "b"], "t", ValueError, "matrices must be a dict of 1 to 12"),
    ({"m": np.eye(3)}, ["a", "b"], "t", ValueError, r"matrices\['m'\] must be 2 x 2 counts"),
    ({"m": -np.eye(2)}, ["a", "b"], "t", ValueError, r"matrices\['m'\] must be 2 x 2 counts"),
    ({"m": np.array([[1.0, np.nan], [0, 1]])}, ["a", "b"], "t", ValueError, r"matrices\['m'\]"),
    ({"m": np.eye(2)[0]}, ["a", "b"], "t", ValueError, r"matrices\['m'\] must have 2 dimensions"),
    ({"m": [[1, 0], [0, 1]]}, ["a", "b"], "t", TypeError, r"matrices\['m'\] must be a NumPy array"),
    ({"m": np.eye(31)}, [str(i) for i in range(31)], "t", ValueError, "2 to 30 classes"),
    ({"m": np.eye(2)}, "ab", "t", TypeError, "class_names must be a list"),
    ({"m": np.eye(2)}, [0, 1], "t", TypeError, "class_names must be a list"),
    ({"m": np.eye(2)}, ["a", "b"], None, TypeError, "title must be text"),
])
def test_confusion_matrix_figure_bad_arguments_are_named(matrices, names, title, error, words):
    figures = plt.get_fignums()
    with pytest.raises(error, match=words):
        plot_confusion_matrices(matrices, names, title=title)
    assert plt.get_fignums() == figures  # nothing half-drawn is left open
