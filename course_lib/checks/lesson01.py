"""Checks (and the recorded runs they are about) for the exercise of ``01_overfitting``.

Part (a) shows three pairs of training/validation curves and asks for a
diagnosis. Part (b) gives a results table and asks for the smallest training
set whose generalisation gap (train accuracy minus test accuracy) is below a
threshold.

The curves and the table come from real runs of lesson 01's own recipe
(``course_lib.lessons.l01_overfitting``: the course CNN, no augmentation) on
the course's CIFAR-10 sample, recorded by ``tools/record_checks.py lesson01``
into ``course_lib/resources/recorded_lesson01.json``, whose header lists
every setting (seed, sizes, epochs, model options) and when they were
recorded. They are stored so that the exercise runs in seconds; lesson 01
shows how such runs are made.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from numbers import Integral, Real
from typing import Any

import numpy as np

from .. import recorded
from . import Feedback, correct, hint, never_crash

# --------------------------------------------------------------------------- recorded data

#: The answer of part (a): run A is a deliberately tiny model, run B the course CNN on few images,
#: run C the course CNN with a far too small learning rate (see :func:`recorded_settings`).
_DIAGNOSES: dict[str, str] = {"A": "underfitting", "B": "overfitting", "C": "underfitting"}


@functools.lru_cache(maxsize=1)
def _record() -> dict[str, Any]:
    return recorded.load("lesson01")


def recorded_settings() -> dict[str, Any]:
    """How the runs were made: seed, sizes, epochs, model options of each run (a fresh copy)."""
    return copy.deepcopy(_record()["settings"])


def curve_pairs() -> dict[str, dict[str, list[float]]]:
    """The three recorded histories ``{"A": {"accuracy": [...], "val_accuracy": [...]}, ...}``.

    Each is shaped like :attr:`course_lib.models.TrainResult.history`, so
    :func:`course_lib.plots.plot_history` draws it. A fresh copy each call.
    """
    return copy.deepcopy(_record()["data"]["curves"])


def recorded_runs():
    """The results table for part (b) as a pandas DataFrame.

    Columns ``n_train``, ``epochs``, ``train_accuracy`` (the trained model on
    its own training images), ``test_accuracy`` (fractions 0-1), one row per
    training-set size, smallest first.
    """
    import pandas as pd

    return pd.DataFrame(copy.deepcopy(_record()["data"]["runs"]))


def describe_runs() -> str:
    """One line per recorded run of part (a), saying how it was made."""
    settings = _record()["settings"]
    lines = []
    for name, run in settings["curves"].items():
        options = ", ".join(f"{k}={tuple(v) if isinstance(v, list) else v!r}" for k, v in run["model"].items())
        lines.append(f"run {name}: build_cnn({options}) on {run['n_train']:,} training images, {run['epochs']} "
                     f"epochs, learning rate {run['learning_rate']:g}")
    table = settings["runs"]
    lines.append(f"table: lesson 01's recipe ({table['epochs']} epochs, the same initial weights for every size) "
                 f"with seed {settings['seed']}, sizes {', '.join(f'{n:,}' for n in table['sizes'])}")
    return "\n".join(lines)


_WORDS = {
    "overfitting": "overfitting", "overfit": "overfitting", "overfitted": "overfitting",
    "underfitting": "underfitting", "underfit": "underfitting", "underfitted": "underfitting",
}


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
    if hasattr(answer, "to_numpy") and getattr(answer, "size", None) == 1:  # a one-row pandas Series / Index
        answer = answer.to_numpy().reshape(-1)[0].item()
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
    recorded_rows = _rows(recorded_runs())
    if len(rows) != len(recorded_rows) or any(
            n != m or not abs(gap - recorded_gap) <= 1e-9 for (n, gap), (m, recorded_gap) in zip(sorted(rows), recorded_rows)):
        return hint("the table you passed is not the recorded one: pass `recorded_runs()` itself (you may add "
                    "columns to it, but keep its rows and numbers as they are).")
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
