"""Checks (and the recorded runs they are about) for the exercise of ``01_overfitting``.

Part (a) shows three pairs of training/validation curves and asks for a
diagnosis. Part (b) gives a results table and asks for the smallest training
set whose generalisation gap (train accuracy minus test accuracy) is below a
threshold.

The curves and the table were recorded once from real runs of the course CNN
(:func:`course_lib.models.build_cnn`, no augmentation) on the course's
CIFAR-10 sample, with ``set_seed(1)`` and
``load_cifar10(n_val=500, n_test=2000, seed=1)``, batch size 32, rounded to
three decimals. They are stored here so the exercise runs in seconds; lesson
01 shows how such runs are made.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from numbers import Integral, Real
from typing import Any

import numpy as np

from . import Feedback, correct, hint, never_crash

# --------------------------------------------------------------------------- recorded data

# Run A: a deliberately tiny model, build_cnn(filters=(4,), dense_units=8), on 2,000 images, 30 epochs.
# Run B: the course CNN on 400 images, 30 epochs.
# Run C: the course CNN on 2,000 images, 15 epochs at learning_rate=5e-5.
_CURVES: dict[str, dict[str, list[float]]] = {
    "A": {
        "accuracy": [0.111, 0.133, 0.148, 0.188, 0.191, 0.204, 0.212, 0.208, 0.206, 0.218, 0.23, 0.236, 0.24,
                     0.243, 0.242, 0.262, 0.262, 0.262, 0.273, 0.278, 0.28, 0.285, 0.282, 0.309, 0.308, 0.331,
                     0.331, 0.347, 0.352, 0.354],
        "val_accuracy": [0.114, 0.134, 0.172, 0.16, 0.178, 0.198, 0.198, 0.19, 0.202, 0.194, 0.212, 0.222, 0.226,
                         0.216, 0.232, 0.234, 0.206, 0.232, 0.216, 0.226, 0.24, 0.26, 0.256, 0.256, 0.266, 0.272,
                         0.312, 0.312, 0.28, 0.304],
    },
    "B": {
        "accuracy": [0.105, 0.117, 0.15, 0.213, 0.26, 0.257, 0.305, 0.34, 0.387, 0.407, 0.49, 0.468, 0.54, 0.582,
                     0.59, 0.625, 0.675, 0.73, 0.755, 0.785, 0.84, 0.885, 0.93, 0.915, 0.94, 0.947, 0.967, 0.988,
                     0.983, 0.973],
        "val_accuracy": [0.104, 0.116, 0.206, 0.232, 0.164, 0.284, 0.246, 0.314, 0.32, 0.354, 0.344, 0.29, 0.36,
                         0.336, 0.336, 0.336, 0.352, 0.366, 0.38, 0.354, 0.354, 0.352, 0.37, 0.346, 0.318, 0.354,
                         0.364, 0.344, 0.37, 0.366],
    },
    "C": {
        "accuracy": [0.155, 0.202, 0.227, 0.257, 0.273, 0.31, 0.31, 0.326, 0.34, 0.349, 0.357, 0.366, 0.38, 0.38,
                     0.398],
        "val_accuracy": [0.194, 0.21, 0.236, 0.218, 0.284, 0.266, 0.312, 0.316, 0.304, 0.284, 0.316, 0.348, 0.33,
                         0.352, 0.364],
    },
}
_DIAGNOSES: dict[str, str] = {"A": "underfitting", "B": "overfitting", "C": "underfitting"}

# Lesson 01's recipe (30 epochs, same initial weights for every size) with seed 1, plus a 4,000-image run.
_RUNS: list[dict[str, Any]] = [
    {"n_train": 250, "epochs": 30, "train_accuracy": 0.984, "test_accuracy": 0.368},
    {"n_train": 500, "epochs": 30, "train_accuracy": 1.0, "test_accuracy": 0.39},
    {"n_train": 1000, "epochs": 30, "train_accuracy": 0.994, "test_accuracy": 0.433},
    {"n_train": 2000, "epochs": 30, "train_accuracy": 1.0, "test_accuracy": 0.521},
    {"n_train": 4000, "epochs": 30, "train_accuracy": 1.0, "test_accuracy": 0.563},
]

_WORDS = {
    "overfitting": "overfitting", "overfit": "overfitting", "overfitted": "overfitting",
    "underfitting": "underfitting", "underfit": "underfitting", "underfitted": "underfitting",
}


def curve_pairs() -> dict[str, dict[str, list[float]]]:
    """The three recorded histories ``{"A": {"accuracy": [...], "val_accuracy": [...]}, ...}``.

    Each is shaped like :attr:`course_lib.models.TrainResult.history`, so
    :func:`course_lib.plots.plot_history` draws it. A fresh copy each call.
    """
    return copy.deepcopy(_CURVES)


def recorded_runs():
    """The results table for part (b) as a pandas DataFrame.

    Columns ``n_train``, ``epochs``, ``train_accuracy``, ``test_accuracy``
    (fractions 0-1, final epoch), one row per training-set size, smallest first.
    """
    import pandas as pd

    return pd.DataFrame(copy.deepcopy(_RUNS))


# --------------------------------------------------------------------------- part (a)


def _normalise_word(value: str) -> str | None:
    key = value.strip().lower().replace("-", "").replace("_", "").replace(" ", "")
    return _WORDS.get(key)


def _normalise_run(key: Any) -> str:
    text = str(key).strip().upper()
    return text[len("RUN"):].strip() if text.startswith("RUN") else text


@never_crash
def check_diagnosis(diagnosis: Any) -> Feedback:
    """Expect ``{"A": ..., "B": ..., "C": ...}`` with ``"overfitting"`` or ``"underfitting"`` for each run."""
    example = "{'A': 'overfitting', 'B': 'underfitting', 'C': ...}"
    if not isinstance(diagnosis, Mapping):
        return hint(f"diagnosis should be a dict with one answer per run, like {example}; "
                    f"got a {type(diagnosis).__name__}.")
    answers = {_normalise_run(k): v for k, v in diagnosis.items()}
    missing = sorted(set(_DIAGNOSES) - set(answers))
    if missing:
        return hint(f"give a diagnosis for every run; missing: {', '.join(missing)}.")
    extra = sorted(set(answers) - set(_DIAGNOSES))
    if extra:
        return hint(f"there are only runs A, B and C; remove {', '.join(map(repr, extra))}.")
    placeholders = [run for run in sorted(_DIAGNOSES) if answers[run] is Ellipsis]
    if placeholders:
        which = f"run {placeholders[0]}" if len(placeholders) == 1 else f"runs {', '.join(placeholders)}"
        return hint(f"replace the `...` for {which} with 'overfitting' or 'underfitting'.")
    problems = []
    for run in sorted(_DIAGNOSES):
        value = answers[run]
        word = _normalise_word(value) if isinstance(value, str) else None
        if word is None:
            problems.append(f"run {run}: answer with the word 'overfitting' or 'underfitting', got {value!r}.")
        elif word != _DIAGNOSES[run]:
            if _DIAGNOSES[run] == "overfitting":
                problems.append(
                    f"run {run}: training accuracy keeps rising towards 100% while validation accuracy stalls "
                    "far below it, so the solid and dashed lines drift apart. Which one is that?")
            else:
                problems.append(
                    f"run {run}: training and validation accuracy stay low and close together: the model has "
                    "not even learnt its own training images well. Is that memorising too much, or learning "
                    "too little?")
    if problems:
        return hint(" ".join(problems))
    return correct("A and C are underfitting (both curves low and close together), B is overfitting "
                   "(training races ahead while validation stalls).")


# --------------------------------------------------------------------------- part (b)


def _rows(table: Any) -> list[tuple[int, float]]:
    """``(n_train, gap)`` for each row of a DataFrame or a list of run dicts; raises on anything else."""
    if hasattr(table, "to_dict") and hasattr(table, "columns"):
        records = table.to_dict("records")
    elif isinstance(table, (list, tuple)) and all(isinstance(r, Mapping) for r in table):
        records = list(table)
    else:
        raise TypeError("expected the results table (a DataFrame or a list of run dicts)")
    rows = []
    for record in records:
        n = record["n_train"]
        train, test = float(record["train_accuracy"]), float(record["test_accuracy"])
        rows.append((int(n), train - test))
    if not rows:
        raise ValueError("the table has no rows")
    return rows


def _as_size(answer: Any) -> int | None:
    """The answer as an int size, or None if it is not a whole number."""
    if isinstance(answer, (bool, np.bool_)):
        return None
    if isinstance(answer, Integral):
        return int(answer)
    if isinstance(answer, Real) and float(answer).is_integer():
        return int(answer)
    return None


@never_crash
def check_gap_size(answer: Any, table: Any, threshold: Any) -> Feedback:
    """Expect the smallest ``n_train`` in ``table`` whose gap ``train_accuracy - test_accuracy``
    is below ``threshold`` (``None`` if no row qualifies)."""
    try:
        rows = _rows(table)
    except (TypeError, KeyError, ValueError):
        return hint("pass the results table as the second argument: a DataFrame (or list of dicts) with "
                    "columns n_train, train_accuracy and test_accuracy.")
    if isinstance(threshold, bool) or not isinstance(threshold, Real) or not np.isfinite(float(threshold)):
        return hint(f"threshold should be a number such as 0.5, got {threshold!r}.")
    threshold = float(threshold)
    if not 0.0 < threshold <= 1.0:
        return hint(f"threshold is a fraction of 1 (0.5 means 50 percentage points), got {threshold:g}.")
    below = sorted(n for n, gap in rows if gap < threshold)
    expected = below[0] if below else None
    gaps = dict(rows)

    if answer is None:
        if expected is None:
            return correct(f"no training-set size in this table has a gap below {threshold:g}.")
        return hint(f"at least one size in the table has a gap below {threshold:g}: compute "
                    "train_accuracy - test_accuracy for every row.")
    size = _as_size(answer)
    if size is None:
        return hint(f"answer with one n_train value from the table, as a whole number; got {answer!r}.")
    if size not in gaps:
        return hint(f"{size} is not a training-set size in the table; choose one of {sorted(gaps)}.")
    gap = gaps[size]
    if expected is None:
        return hint(f"no size in this table has a gap below {threshold:g} (with {size} images it is "
                    f"{gap:.3f}); the answer is None.")
    if gap >= threshold:
        sign = (" If every gap you computed was negative, check the sign: the gap is train accuracy minus "
                "test accuracy." if size == min(gaps) else "")
        return hint(f"with {size} images the gap train - test is {gap:.3f}, which is not below {threshold:g}. "
                    "Compute the gap for every row and keep the rows where it is below the threshold." + sign)
    if size != expected:
        return hint(f"with {size} images the gap ({gap:.3f}) is below {threshold:g}, but a smaller training set "
                    "already gets there: you want the smallest such size.")
    return correct(f"{size} images is the smallest training set whose gap ({gap:.3f}) is below {threshold:g}.")
