"""Results files (where they go, what they may hold, atomic writing), experiment settings and the lessons' parameters
cells, and the full-scale estimate."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import nbformat
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


# --------------------------------------------------------------------------- full_scale_estimate


def test_full_scale_estimate_computes_every_number_from_its_arguments():
    assert experiments.full_scale_estimate(1_200_000, 95.0, 48_000_000) == (
        "This run trained 1.2 million image passes in 95 s (12,600 images/s on this machine); the full preset "
        "trains 48 million: about 63 minutes at this speed, less on a machine with a GPU.")
    # twice the seconds: half the speed, twice the minutes
    assert experiments.full_scale_estimate(1_200_000, 190, 48_000_000) == (
        "This run trained 1.2 million image passes in 3 minutes (6,320 images/s on this machine); the full preset "
        "trains 48 million: about 127 minutes (2.1 hours) at this speed, less on a machine with a GPU.")


@pytest.mark.parametrize("passes_now, seconds_now, passes_full, expected", [
    (8_400, 2.5, 8_400, "This run trained 8,400 image passes in 2.5 s (3,360 images/s on this machine): as many "
                        "as the full preset trains, so this run was of the full size."),
    (1, 0.5, 1_000, "This run trained 1 image pass in 0.5 s (2 images/s on this machine); the full preset trains "
                    "1,000: about 8.33 minutes at this speed, less on a machine with a GPU."),
    (2_000, 0.42, 3_000, "This run trained 2,000 image passes in 0.42 s (4,760 images/s on this machine); the full "
                         "preset trains 3,000: about 0.63 s (under a minute) at this speed, less on a machine "
                         "with a GPU."),
    (600, 3.2, 15_750_000, "This run trained 600 image passes in 3.2 s (188 images/s on this machine); the full "
                           "preset trains 15.8 million: about 1,400 minutes (23.3 hours) at this speed, less on a "
                           "machine with a GPU."),
    (10_000, 10_000, 3_000_000_000, "This run trained 10,000 image passes in 2.8 hours (1 images/s on this "
                                    "machine); the full preset trains 3 billion: about 50,000,000 minutes "
                                    "(34,722.2 days) at this speed, less on a machine with a GPU."),
])
def test_full_scale_estimate_words_small_and_large_numbers(passes_now, seconds_now, passes_full, expected):
    assert experiments.full_scale_estimate(passes_now, seconds_now, passes_full) == expected


def test_full_scale_estimate_takes_numpy_numbers():
    import numpy as np

    assert experiments.full_scale_estimate(np.int64(1_200_000), np.float32(95.0), np.int64(48_000_000)) == \
        experiments.full_scale_estimate(1_200_000, 95.0, 48_000_000)


@pytest.mark.parametrize("arguments, error, match", [
    ((0, 1.0, 10), ValueError, "passes_now must be >= 1"),
    ((-5, 1.0, 10), ValueError, "passes_now must be >= 1"),
    ((2.5, 1.0, 10), TypeError, "passes_now must be an integer"),
    ((True, 1.0, 10), TypeError, "passes_now must be an integer"),
    (("100", 1.0, 10), TypeError, "passes_now must be an integer"),
    ((None, 1.0, 10), TypeError, "passes_now must be an integer"),
    ((10, 0, 10), ValueError, "seconds_now must be > 0"),
    ((10, 0.0, 10), ValueError, "seconds_now must be > 0"),
    ((10, -1.0, 10), ValueError, "seconds_now must be >= 0"),
    ((10, float("nan"), 10), ValueError, "seconds_now must be a finite number"),
    ((10, float("inf"), 10), ValueError, "seconds_now must be a finite number"),
    ((10, True, 10), TypeError, "seconds_now must be a number"),
    ((10, "95", 10), TypeError, "seconds_now must be a number"),
    ((10, None, 10), TypeError, "seconds_now must be a number"),
    ((10, 1.0, 0), ValueError, "passes_full must be >= 1"),
    ((10, 1.0, 2.0), TypeError, "passes_full must be an integer"),
    ((10, 1.0, False), TypeError, "passes_full must be an integer"),
    ((10, 1.0, [10]), TypeError, "passes_full must be an integer"),
])
def test_full_scale_estimate_names_a_bad_argument(arguments, error, match):
    with pytest.raises(error, match=match):
        experiments.full_scale_estimate(*arguments)


# --------------------------------------------------------------------------- the lessons' parameters cells

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def _experiment_lessons():
    """(lesson number, notebook) for every lesson whose code calls settings()."""
    found = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        if any(c.cell_type == "code" and "from course_lib.experiments import settings" in c.source for c in nb.cells):
            found.append(pytest.param(path.name[:2], nb, id=path.stem))
    return found


def _presets(cell_source, number):
    """The presets dict a parameters cell passes to settings("NN", ...), read without running the cell."""
    tree = ast.parse(cell_source)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "settings"]
    assert len(calls) == 1, "the parameters cell calls settings() once"
    lesson, presets = calls[0].args
    assert ast.literal_eval(lesson) == number, "settings() is called with the lesson's own number"
    if isinstance(presets, ast.Name):  # PRESETS = {...}; settings("NN", PRESETS)
        assigned = [n.value for n in ast.walk(tree) if isinstance(n, ast.Assign)
                    and any(getattr(t, "id", None) == presets.id for t in n.targets)]
        assert len(assigned) == 1, f"{presets.id} is assigned once in the parameters cell"
        presets = assigned[0]
    # a literal, or built with list() and range() (lesson 10's SEEDS): evaluated with nothing else in reach
    return eval(compile(ast.Expression(presets), "<presets>", "eval"), {"__builtins__": {}},
                {"list": list, "range": range})


def _size(value):
    return sum(value) if isinstance(value, list) else value


@pytest.mark.parametrize("number, nb", _experiment_lessons())
def test_every_experiment_lesson_has_one_parameters_cell_with_three_scales(number, nb):
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell is tagged parameters (papermill injects after it)"
    cell = nb.cells[tagged[0]]
    presets = _presets(cell.source, number)
    assert set(presets) == set(experiments.LESSON_SCALES)
    names = set(presets["classroom"])
    for scale, values in presets.items():
        assert set(values) == names, f"the {scale} preset names the same settings as classroom"
    for name in names:  # every setting becomes an UPPER_CASE name of the lesson
        assert name.isupper() and f'S["{name}"]' in cell.source, f"{name} is unpacked from the settings"
    for name in names:  # a tiny run does no more than a classroom one, a classroom one no more than the full one
        tiny, classroom, full = (_size(presets[s][name]) for s in ("tiny", "classroom", "full"))
        if all(isinstance(v, int) for v in (tiny, classroom, full)):
            assert tiny <= classroom <= full, name


def test_lesson_01_classroom_preset_is_the_recipe_the_exercise_recorded():
    from course_lib.lessons import l01_overfitting as l01

    nb = nbformat.read(NOTEBOOKS / "01_overfitting.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    classroom = _presets(cell.source, "01")["classroom"]
    assert classroom["SIZES"] == list(l01.SIZES)
    assert (classroom["EPOCHS"], classroom["BATCH_SIZE"], classroom["N_VAL"], classroom["N_TEST"]) == \
        (l01.EPOCHS, l01.BATCH_SIZE, l01.N_VAL, l01.N_TEST)


def test_the_lessons_run_at_the_scale_the_test_command_was_given(request, scale_for_kernels):
    """conftest.py sets $COURSE_SCALE from --lesson-scale (default tiny) in the test process, before any kernel
    that nbval starts, which inherits it."""
    scale = request.config.getoption("--lesson-scale")
    assert scale in experiments.LESSON_SCALES
    assert scale_for_kernels == scale
