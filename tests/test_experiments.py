"""Results files: where they go, what they may hold, and atomic writing."""

from __future__ import annotations

import json

import pytest

from course_lib import experiments


def test_results_round_trip_into_the_results_dir(tmp_path):
    payload = {"runs": [{"n_train": 500, "epochs": 3, "test_accuracy": 0.41, "augment": False}]}
    path = experiments.save_results("01_overfitting", payload)
    assert path == tmp_path / "results" / "01_overfitting.json"
    assert json.loads(path.read_text()) == payload
    assert experiments.load_results("01_overfitting") == payload
    assert [p.name for p in path.parent.iterdir()] == ["01_overfitting.json"]


def test_default_results_dir_is_inside_the_course(monkeypatch):
    monkeypatch.delenv("COURSE_RESULTS_DIR")
    assert experiments.results_dir().name == "results"
    assert (experiments.results_dir().parent / "course_lib").is_dir()


@pytest.mark.parametrize(
    "name, payload, error, match",
    [
        ("01_x.ipynb", {}, ValueError, "notebook"),
        ("", {}, ValueError, "notebook"),
        ("01_x", [1], TypeError, "results must be a dict"),
        ("01_x", {"a": float("nan")}, ValueError, r"results\['a'\]"),
        ("01_x", {"a": [1, object()]}, TypeError, r"results\['a'\]\[1\]"),
        ("01_x", {"a": {2: 1}}, TypeError, "non-string key"),
    ],
)
def test_bad_results_are_refused(name, payload, error, match):
    with pytest.raises(error, match=match):
        experiments.save_results(name, payload)


def test_missing_results_say_which_notebook_to_run():
    with pytest.raises(FileNotFoundError, match="notebooks/07_x.ipynb"):
        experiments.load_results("07_x")
    with pytest.raises(ValueError, match="notebook"):
        experiments.load_results(None)
