"""course_lib.benchmark (the harness lesson 05 runs) and benchmarks/pipeline_speed.py (the full run's command
line): the comparable settings, the measuring machinery and the report.

No test here asserts a speed: timings depend on the machine and its load. The
tests check what is measured, how (warm-ups dropped, turns rotated, per-round
ratios, medians and spreads computed right) and that bad input is refused by name.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from course_lib import benchmark as B
from course_lib import transforms as T
from course_lib.benchmark import BenchmarkConfig, BenchmarkResult, Transforms
from course_lib.lessons.l06_build_your_own_generator import AugmentingSequence
from course_lib.reproducibility import set_seed

from helpers import NOT_A_COUNT, assert_rejects, bad_argument_cases, fake_cifar_arrays, write_npz

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("pipeline_speed", ROOT / "benchmarks" / "pipeline_speed.py")
CLI = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(CLI)

set_seed(0)
import keras  # noqa: E402

# ImageDataGenerator calls a SciPy function by a deprecated name; not this module's concern.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def images(n: int = 8, size: int = 32, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, size=(n, size, size, 3), dtype=np.uint8), np.arange(n) % 2


def tiny_model(shape=(32, 32, 3)):
    return keras.Sequential([keras.Input(shape), keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(2)])


def handmade_result() -> BenchmarkResult:
    """A result with numbers chosen so every median and ratio is known exactly."""
    rates = {B.LOADERS[0]: [100.0, 300.0, 200.0], B.LOADERS[1]: [400.0, 400.0, 400.0],
             B.LOADERS[2]: [1000.0, 900.0, 1100.0], B.LOADERS[3]: [500.0, 600.0, 700.0],
             B.LOADERS[4]: [800.0, 800.0, 800.0]}
    wall = {"plain": [[1.0, 1.0], [2.0, 2.0], [1.0, 3.0]],
            "tf.data": [[1.1, 1.1], [2.0, 2.6], [2.4, 2.4]],
            "in model": [[1.5, 1.5], [3.0, 3.0], [3.0, 3.0]],
            "one pass": [[1.0, 1.2], [2.0, 2.0], [1.0, 1.0]]}
    cpu = {"plain": [[2.0, 2.0]] * 3, "tf.data": [[2.2, 2.2]] * 3, "in model": [[2.4, 2.4]] * 3,
           "one pass": [[2.1, 2.1]] * 3}
    return BenchmarkResult(images_per_second=rates, epoch_seconds=wall, epoch_cpu_seconds=cpu,
                           config={"n_images": 3}, load_average={"before": [1.0, 1.0, 1.0], "after": None},
                           environment={"cpus": 2})


# --------------------------------------------------------------------------- the comparable transforms


def test_the_apis_get_the_same_changes_in_their_own_units():
    t = Transforms(rotation_degrees=20, shift=0.2, brightness=0.1)
    options = t.generator_options()
    assert options["rotation_range"] == 20 and options["horizontal_flip"] is True
    assert options["width_shift_range"] == options["height_shift_range"] == 0.2
    assert options["brightness_range"] == pytest.approx([0.8, 1.2]) and options["fill_mode"] == "nearest"

    stack = t.layers(seed=3)
    by_type = {type(layer).__name__: layer for layer in stack.layers}
    assert set(by_type) == {"RandomRotation", "RandomTranslation", "RandomFlip", "RandomBrightness"}
    assert by_type["RandomRotation"].factor == pytest.approx((-20 / 360, 20 / 360))
    shift = by_type["RandomTranslation"]
    assert (shift.height_lower, shift.height_upper, shift.width_lower, shift.width_upper) == pytest.approx(
        (-0.2, 0.2, -0.2, 0.2))
    assert by_type["RandomFlip"].mode == "horizontal"
    assert by_type["RandomBrightness"].get_config()["factor"] == pytest.approx((-0.1, 0.1))
    assert all(layer.fill_mode == "nearest" for layer in (by_type["RandomRotation"], shift))

    seq_options = t.sequence_options()
    assert seq_options["max_amount"] == {"rotation": 20, "width_shift": 0.2, "height_shift": 0.2, "brightness": 0.1}
    assert all(name in T.TRANSFORMS for name in seq_options["transforms"])  # the engine's names
    x, y = images(4)
    seq = AugmentingSequence(x, y, batch_size=4, **seq_options)
    assert set(seq.choices) == {"identity", "rotation", "horizontal_flip", "width_shift", "height_shift",
                                "brightness"}
    one = t.one_pass_layer(seed=3)
    assert type(one).__name__ == "RandomAffine" and one.seed == 3 and one.fill_mode == "nearest"
    assert (one.rotation_degrees, one.width_shift, one.height_shift, one.horizontal_flip, one.brightness) == (
        20, 0.2, 0.2, True, 0.1)
    assert one.value_range == (0.0, 255.0)

    rows = t.table()
    assert len(rows) == 6 and all(set(r) == {"change", "ImageDataGenerator", "Keras layers", "AugmentingSequence"}
                                  for r in rows)
    assert "RandomRotation(20 / 360)" in rows[0]["Keras layers"]
    assert "'width_shift': 0.2, 'height_shift': 0.2" in rows[1]["AugmentingSequence"]
    assert "RandomAffine(20, 0.2, 0.2, True, 0.1)" in rows[-2]["Keras layers"]


def test_every_change_is_the_engine_applied_change_by_change():
    x, _ = images(6)
    x = x.astype(np.float32)
    t = Transforms()
    out = t.every_change(x, np.random.default_rng(0))
    assert out.shape == x.shape and out.dtype == np.float32
    assert 0 <= out.min() and out.max() <= 255
    assert all(not np.array_equal(o, i) for o, i in zip(out, x))
    rng = np.random.default_rng(0)  # the same draws, in the same order, by hand with the engine
    n, vr = len(x), (0, 255)
    expected = T.apply_batch("rotation", x, {"angle": rng.uniform(-1, 1, n) * 15}, value_range=vr, fill_mode="nearest")
    expected = T.apply_batch("width_shift", expected, {"dx": rng.uniform(-1, 1, n) * 0.1}, value_range=vr,
                             fill_mode="nearest")
    expected = T.apply_batch("height_shift", expected, {"dy": rng.uniform(-1, 1, n) * 0.1}, value_range=vr,
                             fill_mode="nearest")
    expected = T.apply_batch("horizontal_flip", expected, {"flip": rng.random(n) < 0.5})
    expected = T.apply_batch("brightness", expected, {"delta": rng.uniform(-1, 1, n) * 0.1}, value_range=vr)
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"rotation_degrees": -1}, ValueError, "rotation_degrees"),
    ({"rotation_degrees": float("nan")}, ValueError, "rotation_degrees"),
    ({"shift": "0.1"}, TypeError, "shift"),
    ({"brightness": 0.9}, ValueError, "brightness"),
])
def test_transforms_refuse_bad_settings(kwargs, error, match):
    with pytest.raises(error, match=match):
        Transforms(**kwargs)


def test_layers_refuse_a_bad_seed():
    with pytest.raises(ValueError, match="seed"):
        Transforms().layers(seed=-1)
    with pytest.raises(ValueError, match="seed"):
        Transforms().one_pass_layer(seed=-1)


# --------------------------------------------------------------------------- configuration


def test_the_default_config_is_the_short_one_and_the_full_one_lives_in_the_cli():
    assert BenchmarkConfig.short(seed=4) == BenchmarkConfig(seed=4)
    full = BenchmarkConfig(**CLI.FULL)
    assert full.n_images > BenchmarkConfig().n_images and full.rounds >= BenchmarkConfig().rounds
    assert BenchmarkConfig(n_images=10, train_images=30).images_needed == 30


def test_lesson_05_measures_at_its_scales_what_the_config_and_the_cli_measure():
    """Lesson 05's presets: classroom is the short config, full the CLI's full one (no drift between the three)."""
    import ast

    import nbformat

    nb = nbformat.read(ROOT / "notebooks" / "05_keras_layers_and_tfdata.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    presets = next(ast.literal_eval(n.value) for n in ast.walk(ast.parse(cell.source))
                   if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "PRESETS")
    names = {"n_images": "BENCH_IMAGES", "train_images": "BENCH_TRAIN_IMAGES", "repeats": "BENCH_REPEATS",
             "epochs": "BENCH_EPOCHS", "rounds": "BENCH_ROUNDS"}

    def config(scale):
        return BenchmarkConfig(**{field: presets[scale][name] for field, name in names.items()})

    assert config("classroom") == BenchmarkConfig.short()
    assert config("full") == BenchmarkConfig(**CLI.FULL)
    assert config("tiny").n_images < BenchmarkConfig.short().n_images


@pytest.mark.parametrize("func, good, arg, value", bad_argument_cases(BenchmarkConfig, {}, {
    "n_images": NOT_A_COUNT, "repeats": NOT_A_COUNT, "train_images": NOT_A_COUNT, "epochs": NOT_A_COUNT,
    "rounds": NOT_A_COUNT, "batch_size": NOT_A_COUNT, "seed": (-1, 2.5, None, 2**40),
    "autotune": ("yes", 1, None), "transforms": ({"shift": 0.1}, None),
}))
def test_config_names_every_bad_value(func, good, arg, value):
    assert_rejects(func, good, arg, value)


# --------------------------------------------------------------------------- images per second


def test_every_loader_produces_one_epoch_of_changed_images():
    x, y = images(10)
    passes = B.loader_passes(x, y, batch_size=4, seed=1)
    assert list(passes) == list(B.LOADERS)
    for name, run in passes.items():
        assert run() == 10, name
        assert run() == 10, name  # a second epoch works too


@pytest.mark.parametrize("kwargs, error, match", [
    ({"x": np.zeros((4, 32, 32), np.uint8)}, ValueError, "x"),
    ({"x": np.full((4, 32, 32, 3), 300.0)}, ValueError, "x"),
    ({"x": np.full((4, 32, 32, 3), np.nan)}, ValueError, "x"),
    ({"y": np.arange(3)}, ValueError, "y"),
    ({"batch_size": 0}, ValueError, "batch_size"),
    ({"batch_size": 10**9}, ValueError, "batch_size"),
    ({"seed": -2}, ValueError, "seed"),
    ({"transforms": "rotation"}, TypeError, "transforms"),
])
def test_loader_passes_refuse_bad_input(kwargs, error, match):
    x, y = images(4)
    args = {"x": x, "y": y, **kwargs}
    with pytest.raises(error, match=match):
        B.loader_passes(args.pop("x"), args.pop("y"), **args)


class FakeClock:
    """Each reading advances by one second."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


def test_throughput_drops_the_warm_up_and_rotates_the_turns():
    calls: list[str] = []

    def make(name, count):
        def run():
            calls.append(name)
            return count
        return run

    passes = {"a": make("a", 10), "b": make("b", 20), "c": make("c", 30)}
    rates = B.measure_throughput(passes, repeats=3, clock=FakeClock())
    assert rates == {"a": [10.0] * 3, "b": [20.0] * 3, "c": [30.0] * 3}  # one "second" per timed pass
    assert calls[:3] == ["a", "b", "c"]  # the untimed warm-up
    assert calls[3:] == ["a", "b", "c", "b", "c", "a", "c", "a", "b"]


@pytest.mark.parametrize("passes, repeats, error, match", [
    ({}, 1, TypeError, "passes"),
    ([lambda: 1], 1, TypeError, "passes"),
    ({"a": 3}, 1, TypeError, r"passes\['a'\]"),
    ({"a": lambda: 0}, 1, ValueError, r"passes\['a'\]"),
    ({"a": lambda: "many"}, 1, ValueError, r"passes\['a'\]"),
    ({"a": lambda: True}, 1, ValueError, r"passes\['a'\]"),
    ({"a": lambda: 1}, 0, ValueError, "repeats"),
])
def test_throughput_refuses_bad_input(passes, repeats, error, match):
    with pytest.raises(error, match=match):
        B.measure_throughput(passes, repeats=repeats)


# --------------------------------------------------------------------------- epoch time and one whole run


@pytest.fixture(scope="module")
def tiny_run() -> BenchmarkResult:
    x, y = images(8)
    config = BenchmarkConfig(n_images=8, repeats=2, train_images=8, epochs=2, rounds=2, batch_size=4)
    return B.run_benchmark(x, y, config, build_model=tiny_model)


def test_a_whole_run_has_every_measurement(tiny_run):
    assert list(tiny_run.images_per_second) == list(B.LOADERS)
    assert all(len(v) == 2 and min(v) > 0 for v in tiny_run.images_per_second.values())
    for times in (tiny_run.epoch_seconds, tiny_run.epoch_cpu_seconds):
        assert list(times) == list(B.PIPELINES)
        # 2 rounds of 2 timed epochs each: the warm-up epoch of every fit call is dropped
        assert all(len(rounds) == 2 and all(len(r) == 2 for r in rounds) for rounds in times.values())
        assert all(t >= 0 for rounds in times.values() for r in rounds for t in r)
    assert tiny_run.config["n_images"] == 8 and tiny_run.config["transforms"]["rotation_degrees"] == 15.0
    assert tiny_run.environment["cpus"] >= 1 and set(tiny_run.load_average) == {"before", "after"}
    assert tiny_run.speedup > 0 and tiny_run.epoch_ratio > 0 and tiny_run.cpu_ratio > 0
    assert len(tiny_run.epoch_table()) == 3 and tiny_run.cores_busy() > 0
    as_json = json.loads(json.dumps(CLI.as_dict(tiny_run)))
    assert as_json["epoch_ratio"]["tf.data"] == pytest.approx(tiny_run.epoch_ratio)
    assert set(as_json["targets_met"].values()) <= {True, False}


def test_the_in_model_pipeline_puts_the_layers_first_and_epochs_are_timed(monkeypatch):
    built, autotuned, timed = [], [], []

    def spy_fit(self, dataset, **kwargs):
        built.append([type(layer).__name__ for layer in self.layers])
        autotuned.append(dataset.options().autotune.enabled)
        for callback in kwargs["callbacks"]:
            timed.append(type(callback).__name__)
            for epoch in range(kwargs["epochs"]):
                callback.on_epoch_begin(epoch)
                callback.on_epoch_end(epoch)

    monkeypatch.setattr(keras.Model, "fit", spy_fit)
    x, y = images(4, size=8)
    times = B.measure_epoch_times(x, y, make_augment=lambda: keras.layers.RandomFlip("horizontal"), epochs=3,
                                  rounds=3, build_model=lambda: tiny_model((8, 8, 3)))
    assert [len(r) for r in times["wall"]["plain"]] == [3, 3, 3]  # 3 timed epochs per round: the warm-up dropped
    assert all(t >= 0 for r in times["cpu"]["plain"] for t in r)
    assert set(timed) == {"EpochTimer"}  # course_lib.models.epoch_timer, not a copy of it
    assert sorted(built[:3]) == sorted([["GlobalAveragePooling2D", "Dense"]] * 2 + [["RandomFlip", "Sequential"]])
    assert built[:3] != built[3:6]  # the order rotates from round to round
    assert set(autotuned) == {False}  # prepare()'s default

    autotuned.clear()
    B.measure_epoch_times(x, y, make_augment=lambda: keras.layers.RandomFlip("horizontal"), epochs=1, rounds=1,
                          build_model=lambda: tiny_model((8, 8, 3)), autotune=True)
    assert autotuned == [True, True, True]

    built.clear()  # without build_model: the course CNN
    B.measure_epoch_times(*images(4), make_augment=lambda: keras.layers.RandomFlip("horizontal"), epochs=1,
                          rounds=1)
    assert ["RandomFlip", "Sequential"] in built and any("Conv2D" in names for names in built)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"make_augment": "flip"}, TypeError, "make_augment"),
    ({"make_augment": lambda: 3}, TypeError, "make_augment"),
    ({"make_one_pass": "flip"}, TypeError, "make_one_pass must be a function"),
    ({"make_one_pass": lambda: 3}, TypeError, "make_one_pass must return an augmentation layer"),
    ({"build_model": 3}, TypeError, "build_model"),
    ({"build_model": lambda: "model"}, TypeError, "build_model"),
    ({"epochs": 0}, ValueError, "epochs"),
    ({"rounds": 10**6}, ValueError, "rounds"),
    ({"batch_size": 0}, ValueError, "batch_size"),
    ({"seed": -1}, ValueError, "seed"),
    ({"autotune": 1}, TypeError, "autotune must be True or False"),
])
def test_epoch_times_refuse_bad_input(kwargs, error, match):
    x, y = images(4, size=8)
    args = {"make_augment": lambda: keras.layers.RandomFlip("horizontal"), "build_model": lambda: tiny_model((8, 8, 3)),
            **kwargs}
    with pytest.raises(error, match=match):
        B.measure_epoch_times(x, y, **args)


@pytest.mark.parametrize("x, config, error, match", [
    (images(8, size=16)[0], BenchmarkConfig(n_images=8, train_images=8), ValueError, "32 x 32 x 3"),
    (images(8)[0], BenchmarkConfig(n_images=9, train_images=8), ValueError, "at least 9"),
    (images(8)[0], {"n_images": 8}, TypeError, "config"),
])
def test_run_refuses_bad_input(x, config, error, match):
    with pytest.raises(error, match=match):
        B.run_benchmark(x, np.arange(len(x)) % 2, config)


# --------------------------------------------------------------------------- the report: one statistic throughout


def test_ratios_are_taken_within_each_round_then_summarised():
    result = handmade_result()
    assert result.median_images_per_second()[B.LOADERS[0]] == 200.0
    assert result.speedup == pytest.approx(1000.0 / 200.0)
    assert result.augmented_pipelines() == ["tf.data", "in model", "one pass"]
    # per round: the median epoch of the pipeline / the median epoch without augmentation in that round
    assert result.round_ratios() == pytest.approx([1.1, 2.3 / 2.0, 2.4 / 2.0])
    assert result.epoch_ratio == pytest.approx(1.15) and result.ratio("tf.data") == pytest.approx(1.15)
    assert result.cpu_ratio == pytest.approx(1.1) and result.in_model_ratio == pytest.approx(1.5)
    assert result.round_ratios("one pass") == pytest.approx([1.1, 1.0, 0.5]) and result.one_pass_ratio == 1.0
    assert result.cores_busy() == pytest.approx(12.0 / 10.0)
    with pytest.raises(ValueError, match="pipeline"):
        result.round_ratios("plain")  # the baseline has no ratio of its own
    with pytest.raises(ValueError, match="pipeline"):
        result.ratio("model")

    table = result.table()
    assert list(table.index) == list(B.LOADERS)
    assert table.loc[B.LOADERS[2], "x ImageDataGenerator"] == pytest.approx(5.0)
    assert table.loc[B.LOADERS[0], "lowest"] == 100.0 and table.loc[B.LOADERS[0], "highest"] == 300.0

    epochs = result.epoch_table()
    assert list(epochs.index) == [B.PIPELINES[k] for k in ("tf.data", "in model", "one pass")]
    assert list(epochs.columns) == ["ratio (median of rounds)", "lowest round", "highest round",
                                    "CPU-time ratio (median)", "CPU lowest", "CPU highest"]
    row = epochs.loc["Keras layers in tf.data"]
    assert (row["ratio (median of rounds)"], row["lowest round"], row["highest round"]) == pytest.approx(
        (1.15, 1.1, 1.2))
    assert epochs.loc["RandomAffine (one pass) in tf.data", "lowest round"] == pytest.approx(0.5)
    assert epochs.loc["Keras layers inside the model", "CPU-time ratio (median)"] == pytest.approx(1.2)
    assert not any("(s)" in column for column in epochs.columns)  # no seconds beside the ratios

    without_one_pass = handmade_result()
    for times in (without_one_pass.epoch_seconds, without_one_pass.epoch_cpu_seconds):
        del times["one pass"]
    assert without_one_pass.one_pass_ratio is None and len(without_one_pass.epoch_table()) == 2


def test_plot_shows_the_ratios_with_their_spread_and_has_alt_text():
    from course_lib.plots import COLOURS, alt_text

    fig = B.plot_result(handmade_result())
    left, right = fig.axes
    assert "images per second" in left.get_xlabel() and left.get_title()
    assert "epoch time" in right.get_ylabel() and "round" in right.get_title()
    assert [t.get_text() for t in right.get_xticklabels()] == ["layers\nin tf.data", "layers\nin model",
                                                              "RandomAffine\nin tf.data"]
    assert [round(p.get_height(), 3) for p in right.patches] == [1.15, 1.5, 1.0]  # the median ratios, not seconds
    assert len(left.patches) == len(B.LOADERS)
    colours = {tuple(round(c, 3) for c in p.get_facecolor()[:3]) for p in left.patches + right.patches}
    from matplotlib.colors import to_rgb

    assert colours <= {tuple(round(c, 3) for c in to_rgb(h)) for h in COLOURS}  # the colour-blind-safe palette
    assert "1.15" in alt_text(fig) and "AugmentingSequence" in alt_text(fig)
    with pytest.raises(TypeError, match="result"):
        B.plot_result({"speedup": 3})


def test_importing_the_harness_does_not_start_tensorflow():
    code = ("import sys, course_lib.benchmark, course_lib.checks.lesson05, course_lib.checks.lesson06; "
            "print('tensorflow' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- benchmarks/pipeline_speed.py


def test_the_cli_report_adds_the_full_runs_figures():
    result = handmade_result()
    assert CLI.median_epoch_seconds(result) == pytest.approx({"plain": 1.5, "tf.data": 2.2, "in model": 3.0,
                                                              "one pass": 1.1})
    assert CLI.fastest_epoch_ratio(result) == pytest.approx(1.1)
    assert CLI.fastest_epoch_ratio(result, "in model") == pytest.approx(1.5)
    # slow epochs: over 1.5 x the median epoch without augmentation (1.5 s), i.e. over 2.25 s
    assert [CLI.slow_epochs(result, k) for k in B.PIPELINES] == [1, 3, 4, 0]
    assert CLI.slow_epochs(result, "tf.data", factor=1.0) == 4
    with pytest.raises(ValueError, match="factor must be >= 1"):
        CLI.slow_epochs(result, "tf.data", factor=0.5)
    with pytest.raises(ValueError, match="pipeline"):
        CLI.fastest_epoch_ratio(result, "fast")
    targets = CLI.targets(result)
    assert list(targets.values()) == [True, True] and "RandomAffine" in list(targets)[1]
    stock_only = handmade_result()
    for times in (stock_only.epoch_seconds, stock_only.epoch_cpu_seconds):
        del times["one pass"]
    stock_only.epoch_seconds["tf.data"] = [[1.3, 1.3], [2.4, 2.4], [2.4, 2.4]]  # ratios 1.3, 1.2, 1.2: over 1.15
    assert list(CLI.targets(stock_only).values()) == [True, False] and "Keras layers" in list(CLI.targets(stock_only))[1]
    text = CLI.summary(result)
    assert "5.00 x" in text and "median of rounds 1.150" in text and "load average" in text
    assert "RandomAffine (one pass) in tf.data / without: median of rounds 1.000 (rounds: [1.1, 1.0, 0.5])" in text
    saved = CLI.as_dict(result)
    assert saved["epoch_ratio_rounds"]["one pass"] == pytest.approx([1.1, 1.0, 0.5])
    assert saved["slow_epochs"] == {"plain": 1, "tf.data": 3, "in model": 4, "one pass": 0}


def test_command_line_options_make_the_config():
    assert CLI.config_from_args(CLI.parse_args([])) == BenchmarkConfig(**CLI.FULL)
    assert CLI.config_from_args(CLI.parse_args(["--short", "--seed", "3"])) == BenchmarkConfig.short(seed=3)
    custom = CLI.config_from_args(CLI.parse_args(["--n-images", "100", "--rounds", "2", "--batch-size", "32"]))
    assert (custom.n_images, custom.rounds, custom.batch_size) == (100, 2, 32)
    assert custom.repeats == CLI.FULL["repeats"] and custom.autotune is False
    assert CLI.config_from_args(CLI.parse_args(["--autotune"])).autotune is True
    assert CLI.config_from_args(CLI.parse_args(["--short", "--autotune"])) == BenchmarkConfig(autotune=True)
    with pytest.raises(ValueError, match="repeats"):
        CLI.config_from_args(CLI.parse_args(["--repeats", "0"]))


def test_main_prints_the_tables_and_saves_json(tmp_path, monkeypatch, capsys):
    write_npz(tmp_path / "data" / "cifar10.npz", fake_cifar_arrays(per_class_train=2, per_class_test=1))
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "data"))
    seen = {}

    def fake_run(x, y, config):
        seen["shape"], seen["config"] = x.shape, config
        return handmade_result()

    monkeypatch.setattr(CLI, "run_benchmark", fake_run)
    assert CLI.main(["--n-images", "20", "--train-images", "10", "--save"]) == 0
    assert seen["shape"] == (20, 32, 32, 3) and seen["config"].train_images == 10
    out = capsys.readouterr().out
    assert "ImageDataGenerator.flow" in out and "Keras layers inside the model" in out and "written:" in out
    saved = json.loads((tmp_path / "results" / f"{CLI.RESULTS_NAME}.json").read_text())
    assert saved["epoch_ratio"]["tf.data"] == pytest.approx(1.15) and saved["config"] == {"n_images": 3}
