"""Lesson 01 exercise: the recorded runs are what the hints say they are, checks give specific hints, never crash.

The numbers come from ``course_lib/resources/recorded_lesson01.json`` (recorded by ``tools/record_checks.py``),
so the expected answers are computed from them here, never copied by hand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from course_lib.checks.lesson01 import (check_diagnosis, check_gap_size, curve_pairs, describe_runs, recorded_runs,
                                        recorded_settings)

RIGHT = {"A": "underfitting", "B": "overfitting", "C": "underfitting"}
THRESHOLD = 0.50  # the exercise's THRESHOLD


def _gaps() -> dict[int, float]:
    table = recorded_runs()
    return {int(n): float(g) for n, g in zip(table["n_train"], table["train_accuracy"] - table["test_accuracy"])}


def _answer(threshold: float) -> int | None:
    below = [n for n, g in _gaps().items() if g < threshold]
    return min(below) if below else None


# --------------------------------------------------------------------------- recorded data


def test_curve_pairs_are_histories_of_the_recorded_length():
    curves, settings = curve_pairs(), recorded_settings()
    assert sorted(curves) == ["A", "B", "C"] == sorted(settings["curves"])
    for name, hist in curves.items():
        assert sorted(hist) == ["accuracy", "val_accuracy"]
        assert len(hist["accuracy"]) == len(hist["val_accuracy"]) == settings["curves"][name]["epochs"] >= 10
        assert all(0.0 <= v <= 1.0 for v in hist["accuracy"] + hist["val_accuracy"])


def test_recorded_data_return_fresh_copies():
    curve_pairs()["A"]["accuracy"][0] = 99.0
    assert curve_pairs()["A"]["accuracy"][0] < 1.0
    recorded_settings()["seed"] = -5
    assert recorded_settings()["seed"] >= 0
    table = recorded_runs()
    table.loc[0, "n_train"] = -1
    assert recorded_runs().loc[0, "n_train"] > 0


@pytest.mark.parametrize("run", ["A", "C"])
def test_underfitting_runs_look_like_the_hint_says(run):
    hist = curve_pairs()[run]
    train, val = np.array(hist["accuracy"]), np.array(hist["val_accuracy"])
    assert train[-1] < 0.5  # low
    assert abs(train[-1] - val[-1]) < 0.08  # close together
    assert train[-1] > train[0] and val[-1] > val[0]  # still learning


def test_overfitting_run_looks_like_the_hint_says():
    hist = curve_pairs()["B"]
    train, val = np.array(hist["accuracy"]), np.array(hist["val_accuracy"])
    assert train[-1] > 0.9  # training accuracy near 100%
    assert train[-1] - val[-1] > 0.5  # far apart
    half = len(val) // 2
    assert val[half:].max() - val[half:].min() < 0.1  # validation stalls in the second half
    assert train[-1] - train[half] > 0.1  # while training keeps rising


def test_recorded_runs_table_is_the_lessons_recipe_with_one_more_size():
    table, settings = recorded_runs(), recorded_settings()
    assert list(table.columns) == ["n_train", "epochs", "train_accuracy", "test_accuracy"]
    assert table["n_train"].tolist() == settings["runs"]["sizes"] == sorted(settings["runs"]["sizes"])
    assert (table["epochs"] == settings["runs"]["epochs"]).all()
    assert table[["train_accuracy", "test_accuracy"]].stack().between(0, 1).all()
    gaps = list(_gaps().values())
    assert gaps[0] > gaps[-1]  # the lesson's point: more data, smaller gap


def test_the_exercise_threshold_has_an_interesting_answer():
    """THRESHOLD = 0.50 must pick a size that is neither the smallest nor missing, else part (b) teaches nothing."""
    answer = _answer(THRESHOLD)
    assert answer is not None and answer != min(_gaps())


def test_describe_runs_names_every_run():
    text = describe_runs()
    assert [line.split(":")[0] for line in text.splitlines()] == ["run A", "run B", "run C", "table"]
    assert "filters=(4,)" in text and "learning rate 5e-05" in text


# --------------------------------------------------------------------------- check_diagnosis


def test_diagnosis_correct_and_spelling_variants():
    assert check_diagnosis(RIGHT).correct
    assert check_diagnosis({"run a": "Under-fitting", "b": " OVERFIT ", "C": "underfitted"}).correct
    assert check_diagnosis({"A": np.str_("underfitting"), "B": "overfitting", "C": "underfitting"}).correct


def test_diagnosis_hint_for_overfitting_called_underfitting():
    fb = check_diagnosis({**RIGHT, "B": "underfitting"})
    assert not fb.correct
    assert "run B" in fb.message and "stalls" in fb.message
    assert "run A" not in fb.message


def test_diagnosis_hint_for_underfitting_called_overfitting():
    fb = check_diagnosis({**RIGHT, "A": "overfitting", "C": "overfitting"})
    assert "run A" in fb.message and "run C" in fb.message
    assert "low and close together" in fb.message


@pytest.mark.parametrize("wrong", [
    {"A": "overfitting", "B": "overfitting", "C": "overfitting"},
    {"A": "underfitting", "B": "underfitting", "C": "underfitting"},
    {"A": "overfitting", "B": "underfitting", "C": "overfitting"},
    {"A": "not overfitting", "B": "overfitting", "C": "underfitting"},
])
def test_diagnosis_never_calls_a_wrong_answer_correct(wrong):
    assert not check_diagnosis(wrong).correct


def test_diagnosis_bad_inputs_get_hints():
    assert "dict" in check_diagnosis("overfitting").message
    assert "dict" in check_diagnosis(None).message
    assert "missing: B, C" in check_diagnosis({"A": "underfitting"}).message
    assert "'D'" in check_diagnosis({**RIGHT, "D": "overfitting"}).message
    assert "`...`" in check_diagnosis(...).message
    fb = check_diagnosis({"A": ..., "B": "overfitting", "C": "underfitting"})
    assert "`...` for run A " in fb.message
    assert "`...` for runs A, B, C " in check_diagnosis({"A": ..., "B": ..., "C": ...}).message
    assert "'good fit'" in check_diagnosis({**RIGHT, "C": "good fit"}).message
    assert "the word" in check_diagnosis({**RIGHT, "C": 1}).message


# --------------------------------------------------------------------------- check_gap_size


def test_gap_size_correct_with_dataframe_list_and_numpy_values():
    table = recorded_runs()
    answer = _answer(THRESHOLD)
    fb = check_gap_size(answer, table, THRESHOLD)
    assert fb.correct and str(answer) in fb.message and f"{_gaps()[answer]:.3f}" in fb.message
    assert check_gap_size(np.int64(answer), table.to_dict("records"), np.float64(THRESHOLD)).correct
    assert check_gap_size(float(answer), table, THRESHOLD).correct
    assert check_gap_size(np.array([answer]), table, THRESHOLD).correct
    assert check_gap_size(pd.Series([answer]), table, THRESHOLD).correct
    with_gap = table.assign(gap=table["train_accuracy"] - table["test_accuracy"])
    assert check_gap_size(answer, with_gap, THRESHOLD).correct  # extra columns are fine


@pytest.mark.parametrize("threshold", [0.3, 0.45, 0.5, 0.55, 0.6, 0.7, 0.9])
def test_gap_size_accepts_exactly_the_right_size(threshold):
    table = recorded_runs()
    right = _answer(threshold)
    for n in [*_gaps(), None]:
        assert check_gap_size(n, table, threshold).correct == (n == right), (n, threshold)


def test_gap_size_hints():
    table, gaps = recorded_runs(), _gaps()
    right = _answer(THRESHOLD)
    sizes = sorted(gaps)
    too_small = max(n for n in sizes if n < right)
    fb = check_gap_size(too_small, table, THRESHOLD)
    assert not fb.correct and f"{gaps[too_small]:.3f}" in fb.message and "not below" in fb.message
    assert "sign" in check_gap_size(sizes[0], table, THRESHOLD).message
    bigger = [n for n in sizes if n > right]
    if bigger:
        assert "smallest such size" in check_gap_size(bigger[0], table, THRESHOLD).message
    assert "not a training-set size" in check_gap_size(3, table, THRESHOLD).message
    assert "whole number" in check_gap_size(right + 0.5, table, THRESHOLD).message
    assert "whole number" in check_gap_size(True, table, THRESHOLD).message
    assert "whole number" in check_gap_size(str(right), table, THRESHOLD).message
    assert "at least one size" in check_gap_size(None, table, THRESHOLD).message


def test_gap_size_when_no_row_qualifies():
    table = recorded_runs()
    low = min(_gaps().values()) - 0.01
    assert check_gap_size(None, table, low).correct
    fb = check_gap_size(max(_gaps()), table, low)
    assert not fb.correct and "None" in fb.message


def test_gap_size_bad_table_and_threshold():
    table = recorded_runs()
    right = _answer(THRESHOLD)
    assert "results table" in check_gap_size(right, "table", THRESHOLD).message
    assert "results table" in check_gap_size(right, pd.DataFrame({"n": [1]}), THRESHOLD).message
    assert "results table" in check_gap_size(right, [], THRESHOLD).message
    assert "number" in check_gap_size(right, table, "0.5").message
    assert "number" in check_gap_size(right, table, float("nan")).message
    assert "fraction" in check_gap_size(right, table, 50).message
    assert "`...`" in check_gap_size(..., table, THRESHOLD).message


def test_gap_size_refuses_an_edited_table():
    """A doctored table (or one with a row dropped) must not turn a wrong answer into a right one."""
    table = recorded_runs()
    doctored = table.copy()
    doctored["test_accuracy"] = doctored["train_accuracy"]  # every gap is 0
    fb = check_gap_size(int(table["n_train"].min()), doctored, THRESHOLD)
    assert not fb.correct and "not the recorded one" in fb.message
    fb = check_gap_size(_answer(THRESHOLD), table.iloc[1:], THRESHOLD)
    assert not fb.correct and "not the recorded one" in fb.message
    nan = table.copy()
    nan.loc[0, "test_accuracy"] = float("nan")
    assert "not the recorded one" in check_gap_size(_answer(THRESHOLD), nan, THRESHOLD).message
