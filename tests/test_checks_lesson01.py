"""Lesson 01 exercise: the recorded runs are what the hints say they are, checks give specific hints, never crash."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from course_lib.checks.lesson01 import check_diagnosis, check_gap_size, curve_pairs, recorded_runs

RIGHT = {"A": "underfitting", "B": "overfitting", "C": "underfitting"}


# --------------------------------------------------------------------------- recorded data


def test_curve_pairs_are_histories_of_equal_length():
    curves = curve_pairs()
    assert sorted(curves) == ["A", "B", "C"]
    for hist in curves.values():
        assert sorted(hist) == ["accuracy", "val_accuracy"]
        assert len(hist["accuracy"]) == len(hist["val_accuracy"]) >= 10
        assert all(0.0 <= v <= 1.0 for v in hist["accuracy"] + hist["val_accuracy"])


def test_curve_pairs_returns_a_fresh_copy():
    curve_pairs()["A"]["accuracy"][0] = 99.0
    assert curve_pairs()["A"]["accuracy"][0] < 1.0


@pytest.mark.parametrize("run", ["A", "C"])
def test_underfitting_runs_look_like_the_hint_says(run):
    hist = curve_pairs()[run]
    train, val = np.array(hist["accuracy"]), np.array(hist["val_accuracy"])
    assert train[-1] < 0.5  # low
    assert abs(train[-1] - val[-1]) < 0.06  # close together
    assert train[-1] > train[0] and val[-1] > val[0]  # still learning


def test_overfitting_run_looks_like_the_hint_says():
    hist = curve_pairs()["B"]
    train, val = np.array(hist["accuracy"]), np.array(hist["val_accuracy"])
    assert train[-1] > 0.95  # training accuracy near 100%
    assert train[-1] - val[-1] > 0.5  # far apart
    half = len(val) // 2
    assert val[half:].max() - val[half:].min() < 0.1  # validation stalls in the second half
    assert train[-1] - train[half] > 0.3  # while training keeps rising


def test_recorded_runs_table():
    table = recorded_runs()
    assert list(table.columns) == ["n_train", "epochs", "train_accuracy", "test_accuracy"]
    assert table["n_train"].tolist() == sorted(table["n_train"])
    assert table[["train_accuracy", "test_accuracy"]].stack().between(0, 1).all()
    gaps = table["train_accuracy"] - table["test_accuracy"]
    assert gaps.iloc[0] > gaps.iloc[-1]  # the lesson's point: more data, smaller gap
    table.loc[0, "n_train"] = -1
    assert recorded_runs().loc[0, "n_train"] == 250


# --------------------------------------------------------------------------- check_diagnosis


def test_diagnosis_correct_and_spelling_variants():
    assert check_diagnosis(RIGHT).correct
    assert check_diagnosis({"run a": "Under-fitting", "b": " OVERFIT ", "C": "underfitted"}).correct


def test_diagnosis_hint_for_overfitting_called_underfitting():
    fb = check_diagnosis({**RIGHT, "B": "underfitting"})
    assert not fb.correct
    assert "run B" in fb.message and "stalls" in fb.message
    assert "run A" not in fb.message


def test_diagnosis_hint_for_underfitting_called_overfitting():
    fb = check_diagnosis({**RIGHT, "A": "overfitting", "C": "overfitting"})
    assert "run A" in fb.message and "run C" in fb.message
    assert "low and close together" in fb.message


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


def test_gap_size_correct_with_dataframe_and_list():
    table = recorded_runs()
    fb = check_gap_size(2000, table, 0.5)
    assert fb.correct and "2000" in fb.message and "0.479" in fb.message
    assert check_gap_size(np.int64(2000), table.to_dict("records"), 0.5).correct
    assert check_gap_size(2000.0, table, 0.5).correct
    assert check_gap_size(1000, table, 0.6).correct


def test_gap_size_hints():
    table = recorded_runs()
    fb = check_gap_size(1000, table, 0.5)
    assert not fb.correct and "0.561" in fb.message and "not below" in fb.message
    assert "sign" in check_gap_size(250, table, 0.5).message
    assert "smallest such size" in check_gap_size(4000, table, 0.5).message
    assert "not a training-set size" in check_gap_size(3000, table, 0.5).message
    assert "whole number" in check_gap_size(2000.5, table, 0.5).message
    assert "whole number" in check_gap_size(True, table, 0.5).message
    assert "whole number" in check_gap_size("2000", table, 0.5).message
    assert "at least one size" in check_gap_size(None, table, 0.5).message


def test_gap_size_when_no_row_qualifies():
    table = recorded_runs()
    assert check_gap_size(None, table, 0.1).correct
    fb = check_gap_size(4000, table, 0.1)
    assert not fb.correct and "None" in fb.message


def test_gap_size_bad_table_and_threshold():
    table = recorded_runs()
    assert "results table" in check_gap_size(2000, "table", 0.5).message
    assert "results table" in check_gap_size(2000, pd.DataFrame({"n": [1]}), 0.5).message
    assert "results table" in check_gap_size(2000, [], 0.5).message
    assert "number" in check_gap_size(2000, table, "0.5").message
    assert "number" in check_gap_size(2000, table, float("nan")).message
    assert "fraction" in check_gap_size(2000, table, 50).message
    assert "`...`" in check_gap_size(..., table, 0.5).message
