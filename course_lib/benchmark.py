"""How fast each augmentation pipeline is: images per second, and what augmentation adds to an epoch.

One run measures, side by side on the same 32 x 32 images and the same batch
size, with comparable random changes (:class:`Transforms`: rotation, shifts
both ways, a horizontal flip and brightness):

* **images per second** of each way to produce augmented batches
  (:data:`LOADERS`):

  - ``ImageDataGenerator.flow`` (the deprecated classic, one image at a time
    in Python and SciPy);
  - ``tf.data`` + Keras layers (:func:`course_lib.pipeline.prepare`, the
    layers applied to whole batches after the cache, with prefetch);
  - the course's own generator, :class:`course_lib.generator.AugmentingSequence`
    (NumPy, vectorised over the batch; each image gets *one* transform, as in
    lesson 06);
  - the course's transforms with *all* the changes applied to every image
    (:func:`course_lib.generator.apply_transform` chained), a fairness check:
    the same amount of work per image as the first two rows;
  - ``tf.data`` + the course's :class:`course_lib.layers.RandomAffine`
    (:meth:`Transforms.one_pass_layer`): the same changes composed into one
    resampling per image instead of one per Keras layer;

* **epoch time with augmentation / epoch time without**, for the course CNN
  trained on a ``tf.data`` pipeline without augmentation, with the Keras
  layers mapped in ``tf.data``, with the same layers inside the model, and
  with the one-pass layer mapped in ``tf.data`` (:data:`PIPELINES`). Wall-clock time is what the target is about; the
  process's CPU time is recorded too, because on a busy machine it shows the
  work augmentation adds more steadily than the clock does.

Timing is noisy, especially on a shared machine, so every number is a median:
the loaders are timed in turns (round-robin, the starting loader rotating each
repeat) so that a burst of load elsewhere hits them all alike, the first pass
of each loader and the first epoch of every ``fit`` call are warm-ups and are
not counted, and the machine's load average is recorded with the result.

``python benchmarks/pipeline_speed.py`` (or ``python -m course_lib.benchmark``)
runs the full configuration and prints a table; notebooks use
:meth:`BenchmarkConfig.short`. Nothing here asserts a speed: tests check the
structure, never the clock.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from . import _validate

#: The loaders, in the order tables and charts show them.
LOADERS: tuple[str, ...] = (
    "ImageDataGenerator.flow",
    "tf.data + Keras layers",
    "AugmentingSequence (course)",
    "course transforms, all per image",
    "tf.data + RandomAffine (one pass)",
)
#: The acceptance targets of issue 4: the course generator at least twice as fast as
#: ImageDataGenerator, and an epoch with augmentation in tf.data at most 1.15 x one without
#: (checked for the course's one-pass layer; Keras's stack of separate layers is reported beside it).
TARGET_SPEEDUP = 2.0
TARGET_EPOCH_RATIO = 1.15
#: The file name :func:`main` writes into the results directory with ``--save``.
RESULTS_NAME = "pipeline_speed"


# --------------------------------------------------------------------------- the comparable transforms


@dataclass(frozen=True)
class Transforms:
    """The random changes every loader makes, in one place, with their units.

    * ``rotation_degrees``: turn by up to this many degrees, either way;
    * ``shift``: move by up to this fraction of the width (left/right) and of
      the height (up/down), either way;
    * ``brightness``: move a mid-grey pixel by up to this fraction of 255,
      either way (``ImageDataGenerator`` multiplies, so its
      ``brightness_range`` is ``[1 - 2b, 1 + 2b]``);
    * a horizontal flip (mirror left-right) of half the images.

    All geometric changes fill with ``"nearest"`` (the generator's default).
    """

    rotation_degrees: float = 15.0
    shift: float = 0.1
    brightness: float = 0.1

    def __post_init__(self) -> None:
        _validate.number("rotation_degrees", self.rotation_degrees, minimum=0.0, maximum=180.0)
        _validate.number("shift", self.shift, minimum=0.0, maximum=0.5)
        _validate.number("brightness", self.brightness, minimum=0.0, maximum=0.5)

    def generator_options(self) -> dict[str, Any]:
        """Keywords for ``ImageDataGenerator``. Both shift options are equal, so the generator's
        swapped shift axes (lesson 04) do not matter here."""
        return {
            "rotation_range": self.rotation_degrees,
            "width_shift_range": self.shift,
            "height_shift_range": self.shift,
            "horizontal_flip": True,
            "brightness_range": [1.0 - 2 * self.brightness, 1.0 + 2 * self.brightness],
            "fill_mode": "nearest",
        }

    def layers(self, seed: int = 0):
        """The same changes as a ``keras.Sequential`` of preprocessing layers (via
        :func:`course_lib.migration.generator_to_layers`), for 32 x 32 x 3 images."""
        from .migration import generator_to_layers

        seed = _validate.integer("seed", seed, minimum=0)
        return generator_to_layers(**self.generator_options(), input_shape=(32, 32, 3), seed=seed,
                                   name="comparable_augmentation")

    def one_pass_layer(self, seed: int = 0):
        """The same changes as one :class:`course_lib.layers.RandomAffine`: rotation, both shifts,
        the flip and the brightness composed into one resampling and one random draw per image."""
        from .layers import RandomAffine

        seed = _validate.integer("seed", seed, minimum=0)
        return RandomAffine(self.rotation_degrees, self.shift, self.shift, True, self.brightness,
                            value_range=(0.0, 255.0), fill_mode="nearest", seed=seed, name="one_pass_augmentation")

    def sequence_options(self) -> dict[str, Any]:
        """Keywords for :class:`course_lib.generator.AugmentingSequence`."""
        return {
            "transforms": ("rotation", "horizontal_flip", "shift_left_right", "shift_up_down", "brightness"),
            "max_intensity": {"rotation": self.rotation_degrees, "shift_left_right": self.shift,
                              "shift_up_down": self.shift, "brightness": self.brightness},
            "fill_mode": "nearest",
        }

    def table(self) -> list[dict[str, str]]:
        """One row per change: how each loader is told to make it."""
        r, s, b = self.rotation_degrees, self.shift, self.brightness
        return [
            {"change": f"rotation up to ±{r:g}°", "ImageDataGenerator": f"rotation_range={r:g}",
             "Keras layers": f"RandomRotation({r:g} / 360)", "AugmentingSequence": f"'rotation': {r:g}"},
            {"change": f"shift up to ±{s:g} of the size", "ImageDataGenerator":
                f"width_shift_range={s:g}, height_shift_range={s:g}",
             "Keras layers": f"RandomTranslation({s:g}, {s:g})",
             "AugmentingSequence": f"'shift_left_right': {s:g}, 'shift_up_down': {s:g}"},
            {"change": "horizontal flip", "ImageDataGenerator": "horizontal_flip=True",
             "Keras layers": "RandomFlip('horizontal')", "AugmentingSequence": "'horizontal_flip'"},
            {"change": f"brightness ±{b:g} x 255 (mid-grey)", "ImageDataGenerator":
                f"brightness_range=[{1 - 2 * b:g}, {1 + 2 * b:g}]",
             "Keras layers": f"RandomBrightness({b:g}, value_range=(0, 255))",
             "AugmentingSequence": f"'brightness': {b:g}"},
            {"change": "as one layer", "ImageDataGenerator": "-", "Keras layers":
                f"RandomAffine({r:g}, {s:g}, {s:g}, True, {b:g}) (course_lib.layers)",
             "AugmentingSequence": "-"},
            {"change": "per image", "ImageDataGenerator": "all changes",
             "Keras layers": "all changes", "AugmentingSequence": "one change (or none)"},
        ]


# --------------------------------------------------------------------------- configuration


@dataclass(frozen=True)
class BenchmarkConfig:
    """How much to measure.

    * ``n_images`` images per pass for the images-per-second loaders,
      ``repeats`` timed passes each (after one warm-up pass);
    * ``train_images`` images for the epoch-time measurement: ``rounds``
      rounds, each one ``fit`` call per pipeline of ``epochs`` timed epochs
      after one warm-up epoch;
    * ``batch_size`` for everything; ``seed`` for the data order and draws;
    * ``autotune``: whether the training pipelines keep ``tf.data``'s
      model-based autotuning on (:func:`course_lib.pipeline.prepare` turns
      it off by default).
    """

    n_images: int = 4000
    repeats: int = 5
    train_images: int = 1024
    epochs: int = 3
    rounds: int = 7
    batch_size: int = 64
    seed: int = 0
    autotune: bool = False
    transforms: Transforms = field(default_factory=Transforms)

    def __post_init__(self) -> None:
        _validate.integer("n_images", self.n_images, minimum=1)
        _validate.integer("repeats", self.repeats, minimum=1)
        _validate.integer("train_images", self.train_images, minimum=1)
        _validate.integer("epochs", self.epochs, minimum=1)
        _validate.integer("rounds", self.rounds, minimum=1)
        _validate.integer("batch_size", self.batch_size, minimum=1)
        _validate.integer("seed", self.seed, minimum=0)
        if not isinstance(self.autotune, bool):
            raise TypeError(f"autotune must be True or False, got {self.autotune!r}")
        if not isinstance(self.transforms, Transforms):
            raise TypeError(f"transforms must be a Transforms, got {type(self.transforms).__name__}")

    @classmethod
    def short(cls, seed: int = 0) -> BenchmarkConfig:
        """A configuration for a notebook: well under a minute on two idle cores (noisier figures)."""
        return cls(n_images=384, repeats=3, train_images=384, epochs=1, rounds=3, seed=seed)

    @property
    def images_needed(self) -> int:
        """How many images :func:`run_benchmark` needs."""
        return max(self.n_images, self.train_images)


# --------------------------------------------------------------------------- images per second


def _check_images(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x = _validate.array("x", x, ndims=(4,))
    if x.min() < 0 or x.max() > 255:
        raise ValueError(f"x must hold pixels on the 0..255 scale, got {x.min()}..{x.max()}")
    y = _validate.labels("y", y, n=len(x))
    return x, y


def _all_transforms_batch(x: np.ndarray, rng: np.random.Generator, transforms: Transforms) -> np.ndarray:
    """Every change of ``transforms`` on every image (flip: half of them), with the course's transforms."""
    from .generator import apply_transform

    n = len(x)
    out = apply_transform(x, "rotation", rng.uniform(-1, 1, n) * transforms.rotation_degrees, fill_mode="nearest")
    out = apply_transform(out, "shift_left_right", rng.uniform(-1, 1, n) * transforms.shift, fill_mode="nearest")
    out = apply_transform(out, "shift_up_down", rng.uniform(-1, 1, n) * transforms.shift, fill_mode="nearest")
    flip = rng.random(n) < 0.5
    out[flip] = out[flip, :, ::-1, :]
    return apply_transform(out, "brightness", rng.uniform(-1, 1, n) * transforms.brightness)


def loader_passes(
    x: np.ndarray,
    y: np.ndarray,
    *,
    batch_size: int = 64,
    transforms: Transforms | None = None,
    seed: int = 0,
) -> dict[str, Callable[[], int]]:
    """One function per loader of :data:`LOADERS`; each call produces one epoch of
    augmented batches of ``x`` and returns how many images it produced.

    Each loader is built once here (the generator copies ``x`` to float32, the
    ``tf.data`` pipeline caches it), so a call times only the batches.
    """
    from tensorflow.keras.preprocessing.image import ImageDataGenerator

    from .generator import AugmentingSequence
    from .pipeline import prepare

    x, y = _check_images(x, y)
    batch_size = _validate.integer("batch_size", batch_size, minimum=1)
    seed = _validate.integer("seed", seed, minimum=0)
    transforms = Transforms() if transforms is None else transforms
    if not isinstance(transforms, Transforms):
        raise TypeError(f"transforms must be a Transforms or None, got {type(transforms).__name__}")
    n_batches = math.ceil(len(x) / batch_size)

    flow = ImageDataGenerator(**transforms.generator_options()).flow(x, y, batch_size=batch_size, seed=seed)

    def generator_pass() -> int:
        return sum(len(next(flow)[0]) for _ in range(n_batches))

    dataset = prepare(x, y, batch_size=batch_size, shuffle=True, augment=transforms.layers(seed), seed=seed)

    def tfdata_pass() -> int:
        return sum(int(images.shape[0]) for images, _ in dataset)

    sequence = AugmentingSequence(x, y, batch_size=batch_size, seed=seed, **transforms.sequence_options())

    def sequence_pass() -> int:
        count = sum(len(sequence[i][0]) for i in range(len(sequence)))
        sequence.on_epoch_end()
        return count

    rng = np.random.default_rng(seed)

    def all_transforms_pass() -> int:
        order = rng.permutation(len(x))
        count = 0
        for start in range(0, len(x), batch_size):
            rows = order[start:start + batch_size]
            count += len(_all_transforms_batch(x[rows].astype(np.float32), rng, transforms))
        return count

    one_pass = prepare(x, y, batch_size=batch_size, shuffle=True, augment=transforms.one_pass_layer(seed), seed=seed)

    def one_pass_pass() -> int:
        return sum(int(images.shape[0]) for images, _ in one_pass)

    return dict(zip(LOADERS, (generator_pass, tfdata_pass, sequence_pass, all_transforms_pass, one_pass_pass)))


def measure_throughput(
    passes: Mapping[str, Callable[[], int]], *, repeats: int = 3, clock: Callable[[], float] = time.perf_counter
) -> dict[str, list[float]]:
    """Images per second of each pass, ``repeats`` times each, warm-up excluded.

    Each function in ``passes`` is called once untimed (warm-up: tracing,
    caches), then the functions are timed in turns, the starting one rotating
    each repeat. Returns ``{name: [images per second, one per repeat]}``.
    """
    if not isinstance(passes, Mapping) or not passes:
        raise TypeError("passes must be a non-empty dict from loader name to a function that runs one pass")
    for name, run in passes.items():
        if not callable(run):
            raise TypeError(f"passes[{name!r}] must be a function that runs one pass, got {type(run).__name__}")
    repeats = _validate.integer("repeats", repeats, minimum=1)
    names = list(passes)
    for name in names:
        passes[name]()
    rates: dict[str, list[float]] = {name: [] for name in names}
    for r in range(repeats):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            start = clock()
            count = passes[name]()
            seconds = clock() - start
            if not isinstance(count, (int, np.integer)) or count < 1:
                raise ValueError(f"passes[{name!r}] must return how many images it produced (>= 1), got {count!r}")
            rates[name].append(int(count) / max(seconds, 1e-9))
    return rates


# --------------------------------------------------------------------------- epoch time


#: The training pipelines whose epoch times :func:`measure_epoch_times` compares, by key.
PIPELINES: dict[str, str] = {
    "plain": "no augmentation",
    "tf.data": "Keras layers in tf.data",
    "in model": "Keras layers inside the model",
    "one pass": "RandomAffine (one pass) in tf.data",
}


def _epoch_timer(clock: Callable[[], float], cpu_clock: Callable[[], float]):
    import keras

    class EpochTimer(keras.callbacks.Callback):
        """Records the wall time and the process's CPU time of each epoch."""

        def __init__(self) -> None:
            super().__init__()
            self.wall: list[float] = []
            self.cpu: list[float] = []
            self._start = (0.0, 0.0)

        def on_epoch_begin(self, epoch, logs=None):
            self._start = (clock(), cpu_clock())

        def on_epoch_end(self, epoch, logs=None):
            self.wall.append(clock() - self._start[0])
            self.cpu.append(cpu_clock() - self._start[1])

    return EpochTimer()


def measure_epoch_times(
    x: np.ndarray,
    y: np.ndarray,
    *,
    make_augment: Callable[[], Any],
    make_one_pass: Callable[[], Any] | None = None,
    batch_size: int = 64,
    epochs: int = 3,
    rounds: int = 3,
    seed: int = 0,
    build_model: Callable[[], Any] | None = None,
    autotune: bool = False,
    clock: Callable[[], float] = time.perf_counter,
    cpu_clock: Callable[[], float] = time.process_time,
) -> dict[str, dict[str, list[list[float]]]]:
    """Epoch times of one model architecture trained three ways (:data:`PIPELINES`).

    * ``"plain"``: :func:`course_lib.pipeline.prepare` without augmentation;
    * ``"tf.data"``: the same pipeline with ``make_augment()`` mapped over
      the batches after the cache (and prefetched);
    * ``"in model"``: the plain pipeline, and ``make_augment()`` as the
      first layer of the model;
    * ``"one pass"`` (only when ``make_one_pass`` is given): like
      ``"tf.data"`` with ``make_one_pass()`` (e.g.
      :meth:`Transforms.one_pass_layer`) mapped instead.

    ``make_augment`` returns a new augmentation layer (e.g. a
    ``keras.Sequential`` of random layers) each call; ``build_model``
    returns a new model (default: the course CNN); ``autotune`` is passed
    to :func:`course_lib.pipeline.prepare`. Each model is compiled
    once. Each of ``rounds`` rounds calls ``fit`` once per pipeline for
    ``1 + epochs`` epochs, the order rotating each round; the first epoch of
    every ``fit`` call is a warm-up and is dropped. Returns
    ``{"wall": {key: [[seconds per epoch] per round]}, "cpu": {...}}``, where
    ``cpu`` is the process's CPU time (all its threads) during each epoch.
    """
    import keras

    from .models import build_cnn
    from .pipeline import prepare

    x, y = _check_images(x, y)
    for name, maker in (("make_augment", make_augment), ("make_one_pass", make_one_pass)):
        if not callable(maker) and not (name == "make_one_pass" and maker is None):
            raise TypeError(f"{name} must be a function that returns a new augmentation layer, "
                            f"got {type(maker).__name__}")
    batch_size = _validate.integer("batch_size", batch_size, minimum=1)
    epochs = _validate.integer("epochs", epochs, minimum=1)
    rounds = _validate.integer("rounds", rounds, minimum=1)
    seed = _validate.integer("seed", seed, minimum=0)
    if not isinstance(autotune, bool):
        raise TypeError(f"autotune must be True or False, got {autotune!r}")
    if build_model is None:
        def build_model():
            return build_cnn(input_shape=x.shape[1:], num_classes=int(y.max()) + 1, seed=seed)
    elif not callable(build_model):
        raise TypeError(f"build_model must be a function that returns a keras.Model, got {type(build_model).__name__}")

    def new_model():
        model = build_model()
        if not isinstance(model, keras.Model):
            raise TypeError(f"build_model must return a keras.Model, got {type(model).__name__}")
        return model

    def new_augment(maker=make_augment, name="make_augment"):
        layer = maker()
        if not callable(layer):
            raise TypeError(f"{name} must return an augmentation layer, got {type(layer).__name__}")
        return layer

    plain = prepare(x, y, batch_size=batch_size, shuffle=True, seed=seed, autotune=autotune)
    runs = {
        "plain": (new_model(), plain),
        "tf.data": (new_model(), prepare(x, y, batch_size=batch_size, shuffle=True, augment=new_augment(),
                                         seed=seed, autotune=autotune)),
        "in model": (keras.Sequential([keras.Input(x.shape[1:]), new_augment(), new_model()],
                                      name="augmented_model"), plain),
    }
    if make_one_pass is not None:
        runs["one pass"] = (new_model(), prepare(x, y, batch_size=batch_size, shuffle=True,
                                                 augment=new_augment(make_one_pass, "make_one_pass"), seed=seed,
                                                 autotune=autotune))
    for model, _ in runs.values():
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
    times: dict[str, dict[str, list[list[float]]]] = {"wall": {k: [] for k in runs}, "cpu": {k: [] for k in runs}}
    names = list(runs)
    for r in range(rounds):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            model, dataset = runs[name]
            timer = _epoch_timer(clock, cpu_clock)
            model.fit(dataset, epochs=1 + epochs, callbacks=[timer], shuffle=False, verbose=0)
            times["wall"][name].append(timer.wall[1:])
            times["cpu"][name].append(timer.cpu[1:])
    return times


# --------------------------------------------------------------------------- one run


def _load_average() -> list[float] | None:
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except (AttributeError, OSError):  # pragma: no cover - Windows has no load average
        return None


def _ratios(runs: Mapping[str, list[list[float]]], key: str) -> list[float]:
    return [statistics.median(a) / statistics.median(p) for p, a in zip(runs["plain"], runs[key])]


@dataclass
class BenchmarkResult:
    """What :func:`run_benchmark` measured, with the conditions it measured under.

    ``images_per_second[name]`` has one value per repeat; ``epoch_seconds``
    and ``epoch_cpu_seconds`` map each key of :data:`PIPELINES` to one list
    of epoch times per round (wall clock, and the process's CPU time).
    ``load_average`` is the 1, 5 and 15-minute load average before and after.
    """

    images_per_second: dict[str, list[float]]
    epoch_seconds: dict[str, list[list[float]]]
    epoch_cpu_seconds: dict[str, list[list[float]]]
    config: dict[str, Any]
    load_average: dict[str, list[float] | None]
    environment: dict[str, Any]

    def median_images_per_second(self) -> dict[str, float]:
        """The median images per second of each loader."""
        return {name: statistics.median(v) for name, v in self.images_per_second.items()}

    @property
    def speedup(self) -> float:
        """Median images/s of the course's AugmentingSequence divided by ImageDataGenerator's."""
        rates = self.median_images_per_second()
        return rates[LOADERS[2]] / rates[LOADERS[0]]

    def median_epoch_seconds(self) -> dict[str, float]:
        """The median epoch time (seconds, wall clock) of each pipeline over all rounds."""
        return {name: statistics.median(t for run in runs for t in run) for name, runs in self.epoch_seconds.items()}

    def round_ratios(self, pipeline: str = "tf.data", *, cpu: bool = False) -> list[float]:
        """Per round: median epoch time of ``pipeline`` / median epoch time without augmentation
        (wall clock, or the process's CPU time with ``cpu=True``)."""
        _validate.one_of("pipeline", pipeline, tuple(PIPELINES))
        return _ratios(self.epoch_cpu_seconds if cpu else self.epoch_seconds, pipeline)

    @property
    def epoch_ratio(self) -> float:
        """Median over rounds of the wall-clock epoch time with augmentation in tf.data / without."""
        return statistics.median(self.round_ratios("tf.data"))

    @property
    def cpu_ratio(self) -> float:
        """The same ratio in CPU time: how much work augmentation adds, whether or not it overlaps."""
        return statistics.median(self.round_ratios("tf.data", cpu=True))

    def fastest_epoch_ratio(self, pipeline: str = "tf.data") -> float:
        """The fastest epoch of ``pipeline`` / the fastest epoch without augmentation (wall clock).

        Other programs can only make an epoch slower, never faster, so on a
        busy machine the fastest epochs are the closest to what an idle machine
        would show; the median ratio (:attr:`epoch_ratio`) is the headline."""
        _validate.one_of("pipeline", pipeline, tuple(PIPELINES))
        fastest = {key: min(t for run in self.epoch_seconds[key] for t in run) for key in ("plain", pipeline)}
        return fastest[pipeline] / fastest["plain"]

    def slow_epochs(self, pipeline: str = "tf.data", factor: float = 1.5) -> int:
        """How many epochs of ``pipeline`` took more than ``factor`` x the median epoch without
        augmentation: stalls, which a median hides (e.g. from tf.data's autotuning)."""
        _validate.one_of("pipeline", pipeline, tuple(k for k in PIPELINES if k in self.epoch_seconds))
        factor = _validate.number("factor", factor, minimum=1.0)
        limit = factor * self.median_epoch_seconds()["plain"]
        return sum(t > limit for run in self.epoch_seconds[pipeline] for t in run)

    @property
    def in_model_ratio(self) -> float:
        """Median over rounds of the wall-clock epoch time with the layers inside the model / without."""
        return statistics.median(self.round_ratios("in model"))

    @property
    def one_pass_ratio(self) -> float | None:
        """Median over rounds of the wall-clock epoch time with the one-pass ``RandomAffine`` in
        tf.data / without (``None`` if that pipeline was not measured)."""
        if "one pass" not in self.epoch_seconds:
            return None
        return statistics.median(self.round_ratios("one pass"))

    def targets(self) -> dict[str, bool]:
        """Whether each acceptance target (:data:`TARGET_SPEEDUP`, :data:`TARGET_EPOCH_RATIO`) was met.

        The epoch target is checked for the one-pass layer when it was measured, else for
        Keras's stack of layers."""
        key = "one pass" if "one pass" in self.epoch_seconds else "tf.data"
        ratio = statistics.median(self.round_ratios(key))
        return {f"AugmentingSequence >= {TARGET_SPEEDUP:g} x ImageDataGenerator": self.speedup >= TARGET_SPEEDUP,
                f"epoch ratio ({PIPELINES[key]}) <= {TARGET_EPOCH_RATIO:g}": ratio <= TARGET_EPOCH_RATIO}

    def table(self):
        """A pandas DataFrame: median, lowest and highest images/s per loader, and the ratio to
        ImageDataGenerator."""
        import pandas as pd

        base = statistics.median(self.images_per_second[LOADERS[0]])
        rows = [{"loader": name, "median images/s": statistics.median(v), "lowest": min(v), "highest": max(v),
                 "x ImageDataGenerator": statistics.median(v) / base}
                for name, v in self.images_per_second.items()]
        return pd.DataFrame(rows).set_index("loader")

    def epoch_table(self):
        """A pandas DataFrame, one row per pipeline: median epoch time (wall and CPU), its ratio to
        the epoch without augmentation (median over rounds), the ratio of the fastest epochs, and
        the slow epochs (:meth:`slow_epochs`) out of all timed epochs."""
        import pandas as pd

        rows = []
        for key, label in PIPELINES.items():
            if key not in self.epoch_seconds:
                continue
            wall = statistics.median(t for run in self.epoch_seconds[key] for t in run)
            cpu = statistics.median(t for run in self.epoch_cpu_seconds[key] for t in run)
            rows.append({"pipeline": label, "epoch (s)": wall, "ratio": statistics.median(self.round_ratios(key)),
                         "ratio of fastest epochs": self.fastest_epoch_ratio(key),
                         "CPU per epoch (s)": cpu, "CPU ratio": statistics.median(self.round_ratios(key, cpu=True)),
                         "slow epochs": f"{self.slow_epochs(key)}/{sum(len(r) for r in self.epoch_seconds[key])}"})
        return pd.DataFrame(rows).set_index("pipeline")

    def summary(self) -> str:
        """A few lines of text with the key figures, for a terminal or a README."""
        rates = self.median_images_per_second()
        lines = [f"{name:34s} {rate:10,.0f} images/s" for name, rate in rates.items()]
        medians = self.median_epoch_seconds()
        lines.append(f"AugmentingSequence / ImageDataGenerator: {self.speedup:.2f} x "
                     f"(target >= {TARGET_SPEEDUP:g})")
        lines.append(f"epoch with / without augmentation in tf.data: {medians['tf.data']:.2f} s / "
                     f"{medians['plain']:.2f} s, ratio {self.epoch_ratio:.3f} (rounds: "
                     f"{[round(r, 3) for r in self.round_ratios()]}; target <= {TARGET_EPOCH_RATIO:g}); "
                     f"fastest epochs {self.fastest_epoch_ratio():.3f}; in CPU time {self.cpu_ratio:.3f}; "
                     f"layers inside the model {self.in_model_ratio:.3f}")
        if self.one_pass_ratio is not None:
            lines.append(f"epoch with the one-pass RandomAffine in tf.data / without: {medians['one pass']:.2f} s / "
                         f"{medians['plain']:.2f} s, ratio {self.one_pass_ratio:.3f} (rounds: "
                         f"{[round(r, 3) for r in self.round_ratios('one pass')]}; target <= "
                         f"{TARGET_EPOCH_RATIO:g}); in CPU time "
                         f"{statistics.median(self.round_ratios('one pass', cpu=True)):.3f}")
        lines.append(f"load average (1, 5, 15 min) before {self.load_average['before']}, "
                     f"after {self.load_average['after']} on {self.environment['cpus']} CPUs")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Everything as JSON-ready data: raw measurements, medians, ratios and conditions."""
        return {
            "images_per_second": self.images_per_second,
            "median_images_per_second": self.median_images_per_second(),
            "speedup_course_vs_image_data_generator": self.speedup,
            "epoch_seconds": self.epoch_seconds,
            "epoch_cpu_seconds": self.epoch_cpu_seconds,
            "median_epoch_seconds": self.median_epoch_seconds(),
            "epoch_ratio_rounds": self.round_ratios(),
            "epoch_ratio": self.epoch_ratio,
            "epoch_ratio_fastest": self.fastest_epoch_ratio(),
            "epoch_cpu_ratio": self.cpu_ratio,
            "epoch_ratio_in_model": self.in_model_ratio,
            "epoch_ratio_one_pass": self.one_pass_ratio,
            "slow_epochs": {key: self.slow_epochs(key) for key in PIPELINES if key in self.epoch_seconds},
            "targets_met": self.targets(),
            "config": self.config,
            "load_average": self.load_average,
            "environment": self.environment,
        }


def _environment() -> dict[str, Any]:
    import keras
    import tensorflow as tf

    return {"tensorflow": tf.__version__, "keras": keras.__version__, "numpy": np.__version__,
            "python": platform.python_version(), "cpus": os.cpu_count()}


def run_benchmark(
    x: np.ndarray,
    y: np.ndarray,
    config: BenchmarkConfig | None = None,
    *,
    build_model: Callable[[], Any] | None = None,
) -> BenchmarkResult:
    """Measure every loader's images per second and the epoch-time ratios on ``x``, ``y``.

    ``x`` is ``N x 32 x 32 x 3`` on the 0..255 scale (e.g. CIFAR-10 uint8)
    with ``N >= config.images_needed``; the first ``config.n_images`` images
    feed the loaders and the first ``config.train_images`` the training.
    ``build_model`` is passed to :func:`measure_epoch_times`.
    """
    config = BenchmarkConfig() if config is None else config
    if not isinstance(config, BenchmarkConfig):
        raise TypeError(f"config must be a BenchmarkConfig or None, got {type(config).__name__}")
    x, y = _check_images(x, y)
    if x.shape[1:] != (32, 32, 3):
        raise ValueError(f"x must be 32 x 32 x 3 images (like CIFAR-10), got shape {x.shape}")
    if len(x) < config.images_needed:
        raise ValueError(f"x must have at least {config.images_needed} images for this config, got {len(x)}")

    before = _load_average()
    passes = loader_passes(x[:config.n_images], y[:config.n_images], batch_size=config.batch_size,
                           transforms=config.transforms, seed=config.seed)
    rates = measure_throughput(passes, repeats=config.repeats)
    epochs = measure_epoch_times(x[:config.train_images], y[:config.train_images],
                                 make_augment=lambda: config.transforms.layers(config.seed),
                                 make_one_pass=lambda: config.transforms.one_pass_layer(config.seed),
                                 batch_size=config.batch_size, epochs=config.epochs, rounds=config.rounds,
                                 seed=config.seed, build_model=build_model, autotune=config.autotune)
    return BenchmarkResult(images_per_second=rates, epoch_seconds=epochs["wall"], epoch_cpu_seconds=epochs["cpu"],
                           config=asdict(config), load_average={"before": before, "after": _load_average()},
                           environment=_environment())


# --------------------------------------------------------------------------- picture


def plot_result(result: BenchmarkResult):
    """Two labelled bar charts: the median images per second per loader (the whiskers span the
    lowest and highest repeat), and the median epoch time of each training pipeline."""
    import matplotlib.pyplot as plt

    if not isinstance(result, BenchmarkResult):
        raise TypeError(f"result must be a BenchmarkResult, got {type(result).__name__}")
    table = result.table()
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4), gridspec_kw={"width_ratios": [2.0, 1.3]})
    positions = np.arange(len(table))
    medians = table["median images/s"].to_numpy()
    errors = np.vstack([medians - table["lowest"].to_numpy(), table["highest"].to_numpy() - medians])
    left.barh(positions, medians, xerr=errors, color=[f"C{i}" for i in range(len(table))], capsize=3)
    left.set_yticks(positions, [name.replace(", ", ",\n") for name in table.index], fontsize=8)
    left.invert_yaxis()
    left.set_xlabel("augmented images per second (median; whiskers: lowest and highest)")
    left.set_title("How fast each loader makes augmented 32 x 32 batches")
    left.grid(axis="x", alpha=0.3)

    epoch = result.median_epoch_seconds()
    keys = [k for k in PIPELINES if k in epoch]
    right.bar(range(len(keys)), [epoch[k] for k in keys], color=["C7", "C1", "C2", "C4"][:len(keys)])
    short = {"plain": "none", "tf.data": "layers\nin tf.data", "in model": "layers\nin model",
             "one pass": "RandomAffine\nin tf.data"}
    right.set_xticks(range(len(keys)), [short[k] for k in keys], fontsize=8)
    right.set_ylabel("seconds per epoch (median, wall clock)")
    title = f"Course CNN epoch; ratio: layers {result.epoch_ratio:.2f}"
    if result.one_pass_ratio is not None:
        title += f", one pass {result.one_pass_ratio:.2f}"
    right.set_title(title, fontsize=9)
    right.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- command line


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command-line options of :func:`main`."""
    parser = argparse.ArgumentParser(
        prog="python benchmarks/pipeline_speed.py",
        description="Measure augmented images per second of ImageDataGenerator, tf.data + Keras layers and the "
                    "course's AugmentingSequence, and the course CNN's epoch time with / without augmentation.")
    defaults = BenchmarkConfig()
    parser.add_argument("--short", action="store_true", help="the notebook's short configuration")
    parser.add_argument("--n-images", type=int, default=None, help=f"images per pass (default {defaults.n_images})")
    parser.add_argument("--repeats", type=int, default=None, help=f"timed passes per loader ({defaults.repeats})")
    parser.add_argument("--train-images", type=int, default=None,
                        help=f"images for the epoch-time measurement ({defaults.train_images})")
    parser.add_argument("--epochs", type=int, default=None, help=f"timed epochs per fit call ({defaults.epochs})")
    parser.add_argument("--rounds", type=int, default=None, help=f"training rounds ({defaults.rounds})")
    parser.add_argument("--batch-size", type=int, default=None, help=f"batch size ({defaults.batch_size})")
    parser.add_argument("--seed", type=int, default=0, help="seed for data order and random draws (0)")
    parser.add_argument("--autotune", action="store_true",
                        help="keep tf.data's model-based autotuning on in the training pipelines (off by default)")
    parser.add_argument("--save", action="store_true",
                        help=f"also write {RESULTS_NAME}.json into the results directory ($COURSE_RESULTS_DIR)")
    return parser.parse_args(argv)


def config_from_args(args: argparse.Namespace) -> BenchmarkConfig:
    """The :class:`BenchmarkConfig` that parsed command-line options ask for."""
    base = BenchmarkConfig.short(seed=args.seed) if args.short else BenchmarkConfig(seed=args.seed)
    base = BenchmarkConfig(**{**asdict(base), "transforms": base.transforms, "autotune": args.autotune})
    changes = {k: getattr(args, k) for k in ("n_images", "repeats", "train_images", "epochs", "rounds", "batch_size")
               if getattr(args, k) is not None}
    return BenchmarkConfig(**{**asdict(base), "transforms": base.transforms, **changes})


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark on CIFAR-10 (``course_lib.data.load_cifar10``), print the tables,
    and with ``--save`` write the JSON file. Returns the exit code (0)."""
    args = parse_args(argv)
    config = config_from_args(args)
    from .data import load_cifar10
    from .reproducibility import set_seed

    set_seed(config.seed)
    cifar = load_cifar10(n_train=config.images_needed, n_test=0, seed=config.seed)
    print(f"{config.images_needed} CIFAR-10 images, batch size {config.batch_size}; tf.data model-based "
          f"autotuning {'on' if config.autotune else 'off'} in training; "
          f"load average before: {_load_average()}")
    result = run_benchmark(cifar.x_train, cifar.y_train, config)
    import pandas as pd

    with pd.option_context("display.width", 160, "display.max_columns", None, "display.float_format", "{:,.2f}".format):
        print(result.table())
        print(result.epoch_table())
    print(result.summary())
    if args.save:
        from .experiments import save_results

        print("written:", save_results(RESULTS_NAME, json.loads(json.dumps(result.to_dict()))))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
