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


PRESETS = {"classroom": {"SIZES": [250, 500], "EPOCHS": 60, "RATE": 1e-3, "FLIP": True, "NAME": "a"},
           "full": {"SIZES": [10_000, 20_000], "EPOCHS": 200, "RATE": 1e-3, "FLIP": True, "NAME": "b"},
           "tiny": {"SIZES": [20, 40], "EPOCHS": 1, "RATE": 1e-2, "FLIP": False, "NAME": "c"}}


def test_settings_take_the_scale_then_environment_overrides(monkeypatch):
    monkeypatch.delenv("COURSE_SCALE", raising=False)
    assert experiments.settings("07", PRESETS) == {**PRESETS["classroom"], "SCALE": "classroom"}
    monkeypatch.setenv("COURSE_SCALE", "full")
    assert experiments.settings("07", PRESETS)["SIZES"] == [10_000, 20_000]
    monkeypatch.setenv("COURSE_07_SIZES", "1000, 2000,4000")
    monkeypatch.setenv("COURSE_07_EPOCHS", "5")
    monkeypatch.setenv("COURSE_07_RATE", "0.5")
    monkeypatch.setenv("COURSE_07_FLIP", "no")
    chosen = experiments.settings("07", PRESETS)
    assert chosen == {"SIZES": [1000, 2000, 4000], "EPOCHS": 5, "RATE": 0.5, "FLIP": False, "NAME": "b",
                      "SCALE": "full"}
    monkeypatch.setenv("COURSE_08_EPOCHS", "9")  # another lesson's variable changes nothing here
    assert experiments.settings("07", PRESETS)["EPOCHS"] == 5


@pytest.mark.parametrize("variable, value, match", [
    ("COURSE_SCALE", "huge", "COURSE_SCALE='huge' is not a scale"),
    ("COURSE_07_EPOCHS", "many", "COURSE_07_EPOCHS='many'"),
    ("COURSE_07_SIZES", "250,lots", "COURSE_07_SIZES"),
    ("COURSE_07_SIZES", ",", "COURSE_07_SIZES"),
    ("COURSE_07_RATE", "nan", "COURSE_07_RATE"),
    ("COURSE_07_FLIP", "maybe", "COURSE_07_FLIP"),
])
def test_bad_settings_are_named(monkeypatch, variable, value, match):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValueError, match=match):
        experiments.settings("07", PRESETS)


def test_seeds_listen_to_the_course_wide_variable_and_none_means_all(monkeypatch):
    presets = {"classroom": {"SEEDS": [0], "N_TEST": None}}
    monkeypatch.setenv("COURSE_SEEDS", "0,1,2")
    assert experiments.settings("03", presets)["SEEDS"] == [0, 1, 2]
    monkeypatch.setenv("COURSE_03_SEEDS", "5")
    monkeypatch.setenv("COURSE_03_N_TEST", "500")
    assert experiments.settings("03", presets) == {"SEEDS": [5], "N_TEST": 500, "SCALE": "classroom"}
    monkeypatch.setenv("COURSE_03_N_TEST", "all")
    assert experiments.settings("03", presets)["N_TEST"] is None


def test_presets_are_checked():
    with pytest.raises(ValueError, match="lesson"):
        experiments.settings("7", PRESETS)
    with pytest.raises(ValueError, match="classroom"):
        experiments.settings("07", {"full": {}})
    with pytest.raises(ValueError, match="same settings"):
        experiments.settings("07", {"classroom": {"A": 1}, "full": {"B": 2}})
