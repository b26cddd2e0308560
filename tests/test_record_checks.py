"""tools/record_checks.py: the recorded files are what the script would record now (the drift test),
hand edits are caught, and the file format round-trips. Nothing here trains."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest

from course_lib import recorded
from course_lib.lessons import l01_overfitting as l01
from tools import notebooks as nbtools
from tools import record_checks as rc


def test_every_recorded_file_is_up_to_date():
    """The drift test: settings equal to what the script (and lesson 01's #@save cells) would run, checksum intact."""
    assert rc.RECORDINGS, "at least lesson 01 records its exercise runs"
    for name in rc.RECORDINGS:
        assert rc.stale(name) is None, rc.stale(name)
    assert rc.main(["--check"]) == 0


def test_a_changed_lesson_recipe_makes_the_record_stale(monkeypatch):
    monkeypatch.setattr(l01, "EPOCHS", l01.EPOCHS + 1)
    why = rc.stale("lesson01")
    assert why is not None and "runs" in why and "record_checks.py lesson01" in why


def test_a_changed_script_setting_makes_the_record_stale(monkeypatch, capsys):
    curves = json.loads(json.dumps(rc.LESSON01_CURVES))
    curves["B"]["n_train"] = 500
    monkeypatch.setattr(rc, "LESSON01_CURVES", curves)
    assert "curves" in rc.stale("lesson01")
    assert rc.main(["--check", "lesson01"]) == 1
    assert "out of date: lesson01" in capsys.readouterr().out


def test_a_hand_edit_is_caught(tmp_path):
    path = tmp_path / "recorded_lesson01.json"
    shutil.copy(recorded.path_of("lesson01"), path)
    record = json.loads(path.read_text())
    record["data"]["runs"][0]["test_accuracy"] += 0.001
    path.write_text(json.dumps(record))
    assert "edited by hand" in rc.stale("lesson01", path=path)
    assert "no recorded data" in rc.stale("lesson01", path=tmp_path / "missing.json")


def test_write_record_round_trips_with_one_line_per_list(tmp_path):
    data = {"curves": {"A": {"accuracy": [0.1, 0.25, 1.0]}}, "runs": [{"n_train": 5, "test_accuracy": 0.5}]}
    path = rc.write_record("lesson01", rc.lesson01_settings(), data, seconds=12.4, path=tmp_path / "r.json")
    text = path.read_text()
    assert '"accuracy": [0.1, 0.25, 1.0]' in text
    record = recorded.load("lesson01", path=path)
    assert record["data"] == data and record["recorded"]["seconds"] == 12
    assert {"date", "course_version", "tensorflow", "keras", "numpy", "python", "cpus"} <= set(record["recorded"])
    assert rc.stale("lesson01", path=path) is None
    assert not list(tmp_path.glob(".*.tmp"))


def test_the_header_records_seed_sizes_epochs_and_model_options():
    settings = recorded.load("lesson01")["settings"]
    assert settings["seed"] == rc.LESSON01_SEED != 0
    assert settings["runs"]["sizes"] == [*l01.SIZES, 2 * l01.SIZES[-1]]
    assert settings["runs"]["epochs"] == l01.EPOCHS and settings["batch_size"] == l01.BATCH_SIZE
    assert (settings["n_val"], settings["n_test"]) == (l01.N_VAL, l01.N_TEST)
    assert settings["curves"]["A"]["model"] == {"filters": [4], "dense_units": 8}


def test_new_recordings_are_functions(monkeypatch):
    monkeypatch.setattr(rc, "RECORDINGS", dict(rc.RECORDINGS))

    @rc.recording("lesson99", lambda: {"seed": 3})
    def run(settings):
        return {"value": settings["seed"] * 2}

    entry = rc.RECORDINGS["lesson99"]
    assert entry.settings() == {"seed": 3} and entry.run(entry.settings()) == {"value": 6}
    assert "no recorded data" in rc.stale("lesson99")
    with pytest.raises(ValueError, match="name"):
        rc.recording("not a name", dict)


def test_unknown_names_are_refused():
    with pytest.raises(SystemExit):
        rc.main(["--check", "lesson42"])


def test_the_exercise_prose_describes_the_recorded_runs():
    """Solution 01's answer names the runs' settings; they must be the recorded ones."""
    nb = nbformat.read(nbtools.NOTEBOOKS / "solutions" / "01_overfitting_exercise.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    curves = recorded.load("lesson01")["settings"]["curves"]
    a, b, c = curves["A"], curves["B"], curves["C"]
    assert f"{b['n_train']} images" in text
    assert f"{a['model']['filters'][0]} convolution filters, {a['model']['dense_units']} dense units" in text
    assert f"{c['epochs']} epochs" in text
