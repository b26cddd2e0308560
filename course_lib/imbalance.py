"""Imbalanced classes: counting, re-weighting, oversampling and scoring per class.

When some classes have far fewer training images than others, a classifier
can score a high plain accuracy while hardly ever recognising the rare
classes. This module holds the small, NumPy-only tools lesson 08 uses to see
and fight that:

* :func:`class_weights` - a weight per class, inversely proportional to its
  frequency, for ``model.fit(class_weight=...)``;
* :func:`oversample` - repeat rows of the rare classes (plain copies) until
  every class has as many images as the largest one;
* :func:`confusion_matrix`, :func:`per_class_recall`, :func:`balanced_accuracy`
  - scores that show each class separately;
* :func:`plot_confusion_matrices` - one labelled panel per method.

Labels are integer class indices ``0 .. num_classes - 1``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from . import _validate


def _num_classes(name: str, num_classes: int | None, *label_arrays: np.ndarray) -> int:
    """``num_classes`` validated, or one more than the largest label seen."""
    if num_classes is None:
        return int(max(int(y.max()) for y in label_arrays)) + 1
    return _validate.integer(name, num_classes, minimum=1)


def class_counts(y: np.ndarray, num_classes: int | None = None) -> np.ndarray:
    """How many labels of each class ``y`` holds, as an ``int64`` array of length ``num_classes``.

    ``num_classes`` defaults to one more than the largest label.
    """
    y = _validate.labels("y", y, n=len(y) if hasattr(y, "__len__") else 0)
    k = _num_classes("num_classes", num_classes, y)
    if int(y.max()) >= k:
        raise ValueError(f"y must be class indices in 0..{k - 1} (num_classes={k}), got a label {int(y.max())}")
    return np.bincount(y, minlength=k).astype(np.int64)


def class_weights(y: np.ndarray, num_classes: int | None = None) -> dict[int, float]:
    """A weight per class, inversely proportional to how often it occurs in ``y``.

    ``weight[c] = n / (num_classes * count[c])``: a class with the average
    count gets 1.0, a class ten times rarer than another gets ten times its
    weight, and the weights times the counts add up to ``n``, so the average
    weight per training image stays 1 and the loss keeps its scale. The result
    is the ``dict`` Keras' ``fit(class_weight=...)`` expects. Raises
    ``ValueError`` when a class has no example (its weight would be infinite).
    """
    counts = class_counts(y, num_classes)
    empty = np.flatnonzero(counts == 0)
    if len(empty):
        raise ValueError(f"y has no example of class(es) {empty.tolist()}: a weight needs at least one image")
    n, k = int(counts.sum()), len(counts)
    return {c: n / (k * int(counts[c])) for c in range(k)}


def oversample_indices(y: np.ndarray, *, seed: int = 0, num_classes: int | None = None) -> np.ndarray:
    """Row indices that balance ``y`` by repeating rows of the smaller classes.

    Every row appears at least once. A class with ``count`` rows is brought up
    to the largest count ``m``: all its rows ``m // count`` times, plus
    ``m % count`` of them drawn (seeded, without replacement) once more. The
    returned indices are shuffled. Classes with no rows stay empty.
    """
    counts = class_counts(y, num_classes)
    seed = _validate.integer("seed", seed, minimum=0)
    y = np.asarray(y).reshape(-1)
    rng = np.random.default_rng(seed)
    target = int(counts.max())
    parts = []
    for c, count in enumerate(counts):
        if count == 0:
            continue
        rows = np.flatnonzero(y == c)
        repeats, extra = divmod(target, int(count))
        parts.append(np.tile(rows, repeats))
        parts.append(rng.choice(rows, size=extra, replace=False))
    return rng.permutation(np.concatenate(parts)).astype(np.int64)


def oversample(
    x: np.ndarray, y: np.ndarray, *, seed: int = 0, num_classes: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Balance a training set with plain copies: ``(x, y)`` indexed by :func:`oversample_indices`.

    No new image is made: the extra rows are exact copies of existing ones.
    Apply random augmentation while training (``augment=``) if the copies
    should differ from each other.
    """
    x = _validate.array("x", x)
    y = _validate.labels("y", y, n=len(x))
    idx = oversample_indices(y, seed=seed, num_classes=num_classes)
    return x[idx], y[idx]


def _label_pair(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int | None) -> tuple[np.ndarray, np.ndarray, int]:
    y_true = _validate.labels("y_true", y_true, n=len(y_true) if hasattr(y_true, "__len__") else 0)
    y_pred = _validate.labels("y_pred", y_pred, n=len(y_true))
    k = _num_classes("num_classes", num_classes, y_true, y_pred)
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        if int(y.max()) >= k:
            raise ValueError(f"{name} must be class indices in 0..{k - 1} (num_classes={k}), got a label {int(y.max())}")
    return y_true, y_pred, k


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int | None = None) -> np.ndarray:
    """Counts ``cm[t, p]`` of images of true class ``t`` predicted as class ``p``.

    Rows are the true classes, columns the predictions; the diagonal holds the
    correct answers. ``num_classes`` defaults to one more than the largest label.
    """
    y_true, y_pred, k = _label_pair(y_true, y_pred, num_classes)
    return np.bincount(y_true * k + y_pred, minlength=k * k).reshape(k, k).astype(np.int64)


def _recall_from_matrix(cm: np.ndarray) -> np.ndarray:
    support = cm.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(support > 0, np.diag(cm) / np.maximum(support, 1), np.nan)


def per_class_recall(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int | None = None) -> np.ndarray:
    """For each class, the fraction of its images that were predicted as that class.

    ``NaN`` for a class with no image in ``y_true`` (its recall is undefined).
    """
    return _recall_from_matrix(confusion_matrix(y_true, y_pred, num_classes))


def balanced_accuracy(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int | None = None) -> float:
    """The mean of :func:`per_class_recall` over the classes present in ``y_true``.

    Unlike plain accuracy, every class counts equally however many test
    images it has: always predicting the largest class scores ``1 / k``.
    """
    recall = per_class_recall(y_true, y_pred, num_classes)
    return float(np.nanmean(recall))


def plot_confusion_matrices(
    matrices: Mapping[str, np.ndarray] | np.ndarray,
    class_names: Sequence[str],
    *,
    title: str | None = None,
    size: float = 3.2,
):
    """One heat map per confusion matrix, each row scaled to 1 (so the diagonal is each class's recall).

    ``matrices`` is one matrix or a dict of them by name (e.g. by method);
    every cell is annotated with its share of the row and its count. Rows are
    the true classes, columns the predicted ones. Returns the Figure.
    """
    import matplotlib.pyplot as plt

    if isinstance(matrices, np.ndarray):
        matrices = {"": matrices}
    if not isinstance(matrices, Mapping) or not matrices:
        raise TypeError("matrices must be a confusion matrix or a non-empty dict of them by name")
    if isinstance(class_names, (str, bytes)) or not isinstance(class_names, Sequence):
        raise TypeError(f"class_names must be a list of names, got {type(class_names).__name__}")
    k = len(class_names)
    checked = {}
    for name, cm in matrices.items():
        cm = _validate.array(f"matrices[{name!r}]", cm, ndims=(2,))
        if cm.shape != (k, k):
            raise ValueError(f"matrices[{name!r}] must be {k} x {k} to match class_names, got shape {cm.shape}")
        if np.any(cm < 0):
            raise ValueError(f"matrices[{name!r}] must hold counts (>= 0)")
        checked[name] = cm
    size = _validate.number("size", size, minimum=1.0)

    fig, axes = plt.subplots(1, len(checked), squeeze=False,
                             figsize=(size * len(checked) + 0.6, size + (0.9 if title else 0.5)))
    for ax, (name, cm) in zip(axes[0], checked.items()):
        support = cm.sum(axis=1, keepdims=True)
        share = np.divide(cm, support, out=np.zeros(cm.shape, dtype=float), where=support > 0)
        ax.imshow(share, cmap="Blues", vmin=0.0, vmax=1.0)
        for t in range(k):
            for p in range(k):
                ax.text(p, t, f"{share[t, p]:.0%}\n({int(cm[t, p])})", ha="center", va="center", fontsize=7,
                        color="white" if share[t, p] > 0.6 else "black")
        ax.set_xticks(range(k), class_names, rotation=45, ha="right", fontsize=8)
        ax.set_yticks(range(k), class_names, fontsize=8)
        ax.set_xlabel("predicted class")
        ax.set_ylabel("true class")
        ax.set_title(name or "Confusion matrix (row shares)", fontsize=10)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
