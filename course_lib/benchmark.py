"""How fast each augmentation pipeline is: the measuring harness lesson 05 runs.

One run measures, side by side on the same 32 x 32 images and the same batch
size, with comparable random changes (:class:`Transforms`: rotation, shifts
both ways, a horizontal flip and brightness):

* **images per second** of each way to produce augmented batches
  (:data:`LOADERS`):

  - ``ImageDataGenerator.flow`` (the deprecated classic, one image at a time
    in Python and SciPy);
  - ``tf.data`` + Keras layers (:func:`course_lib.pipeline.prepare`, the
    layers applied to whole batches after the cache, with prefetch);
  - lesson 06's ``AugmentingSequence``
    (:mod:`course_lib.lessons.l06_build_your_own_generator`: NumPy,
    vectorised over the batch; each image gets *one* change, or none);
  - the NumPy engine :mod:`course_lib.transforms` with *every* change applied
    to every image (``apply_batch`` once per change), a fairness check: the
    same amount of work per image as the first two rows;
  - ``tf.data`` + the course's :class:`course_lib.layers.RandomAffine`
    (:meth:`Transforms.one_pass_layer`): the same changes composed into one
    resampling per image instead of one per Keras layer;

* **epoch time with augmentation / epoch time without**, for the course CNN
  trained on a ``tf.data`` pipeline without augmentation, with the Keras
  layers mapped in ``tf.data``, with the same layers inside the model, and
  with the one-pass layer mapped in ``tf.data`` (:data:`PIPELINES`). Each
  round trains every pipeline once; the ratio is taken **within a round**
  (the median epoch of the pipeline over the median epoch without
  augmentation, both from that round), so a burst of load elsewhere moves
  both alike. Tables and charts show one statistic: these per-round ratios,
  their median and their spread (lowest and highest round). The process's CPU
  time is recorded too: on a busy machine it shows the work augmentation adds
  more steadily than the clock does.

Timing is noisy, especially on a shared machine: the loaders are timed in
turns (round-robin, the starting loader rotating each repeat), the first pass
of each loader and the first epoch of every ``fit`` call are warm-ups and are
not counted, and the machine's load average is recorded with the result.

:class:`BenchmarkConfig` defaults to the short configuration a notebook can
afford; the full run and its command line (``python
benchmarks/pipeline_speed.py``) live in ``benchmarks/``. Nothing here asserts
a speed: tests check the structure, never the clock. Importing this module
does not start TensorFlow; measuring does.
"""

from __future__ import annotations

import math
import os
import platform
import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from . import _validate

#: The loaders, in the order tables and charts show them.
LOADERS: tuple[str, ...] = (
    "ImageDataGenerator.flow",
    "tf.data + Keras layers",
    "AugmentingSequence (lesson 06)",
    "NumPy engine, every change per image",
    "tf.data + RandomAffine (one pass)",
)
#: The training pipelines whose epoch times :func:`measure_epoch_times` compares, by key.
PIPELINES: dict[str, str] = {
    "plain": "no augmentation",
    "tf.data": "Keras layers in tf.data",
    "in model": "Keras layers inside the model",
    "one pass": "RandomAffine (one pass) in tf.data",
}
#: The value range of every batch the loaders make (CIFAR-10 pixels, before the CNN's own rescaling).
VALUE_RANGE = (0.0, 255.0)


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

    All geometric changes fill with ``"nearest"``.
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
                            value_range=VALUE_RANGE, fill_mode="nearest", seed=seed, name="one_pass_augmentation")

    def sequence_options(self) -> dict[str, Any]:
        """Keywords for lesson 06's ``AugmentingSequence`` (the engine's transform names and units)."""
        return {
            "transforms": ("rotation", "horizontal_flip", "width_shift", "height_shift", "brightness"),
            "max_amount": {"rotation": self.rotation_degrees, "width_shift": self.shift,
                           "height_shift": self.shift, "brightness": self.brightness},
            "fill_mode": "nearest",
        }

    def every_change(self, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Every change on every image of the batch ``x`` (flip: half of them), one
        :func:`course_lib.transforms.apply_batch` call per change, on the 0..255 range."""
        from . import transforms as T

        n = len(x)
        out = T.apply_batch("rotation", x, {"angle": rng.uniform(-1, 1, n) * self.rotation_degrees},
                            value_range=VALUE_RANGE, fill_mode="nearest")
        out = T.apply_batch("width_shift", out, {"dx": rng.uniform(-1, 1, n) * self.shift},
                            value_range=VALUE_RANGE, fill_mode="nearest")
        out = T.apply_batch("height_shift", out, {"dy": rng.uniform(-1, 1, n) * self.shift},
                            value_range=VALUE_RANGE, fill_mode="nearest")
        out = T.apply_batch("horizontal_flip", out, {"flip": rng.random(n) < 0.5})
        return T.apply_batch("brightness", out, {"delta": rng.uniform(-1, 1, n) * self.brightness},
                             value_range=VALUE_RANGE)

    def table(self) -> list[dict[str, str]]:
        """One row per change: how each loader is told to make it."""
        r, s, b = self.rotation_degrees, self.shift, self.brightness
        return [
            {"change": f"rotation up to ±{r:g}°", "ImageDataGenerator": f"rotation_range={r:g}",
             "Keras layers": f"RandomRotation({r:g} / 360)", "AugmentingSequence": f"'rotation': {r:g}"},
            {"change": f"shift up to ±{s:g} of the size", "ImageDataGenerator":
                f"width_shift_range={s:g}, height_shift_range={s:g}",
             "Keras layers": f"RandomTranslation({s:g}, {s:g})",
             "AugmentingSequence": f"'width_shift': {s:g}, 'height_shift': {s:g}"},
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
    """How much to measure; the defaults are the short run a notebook can afford.

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

    n_images: int = 384
    repeats: int = 3
    train_images: int = 384
    epochs: int = 1
    rounds: int = 3
    batch_size: int = 64
    seed: int = 0
    autotune: bool = False
    transforms: Transforms = field(default_factory=Transforms)

    def __post_init__(self) -> None:
        _validate.integer("n_images", self.n_images, minimum=1, maximum=1_000_000)
        _validate.integer("repeats", self.repeats, minimum=1, maximum=1000)
        _validate.integer("train_images", self.train_images, minimum=1, maximum=1_000_000)
        _validate.integer("epochs", self.epochs, minimum=1, maximum=1000)
        _validate.integer("rounds", self.rounds, minimum=1, maximum=1000)
        _validate.integer("batch_size", self.batch_size, minimum=1, maximum=100_000)
        _validate.integer("seed", self.seed, minimum=0, maximum=2**32 - 1)
        if not isinstance(self.autotune, bool):
            raise TypeError(f"autotune must be True or False, got {self.autotune!r}")
        if not isinstance(self.transforms, Transforms):
            raise TypeError(f"transforms must be a Transforms, got {type(self.transforms).__name__}")

    @classmethod
    def short(cls, seed: int = 0) -> BenchmarkConfig:
        """The short configuration (the defaults): well under a minute on two idle cores, noisier figures."""
        return cls(seed=seed)

    @property
    def images_needed(self) -> int:
        """How many images :func:`run_benchmark` needs."""
        return max(self.n_images, self.train_images)


# --------------------------------------------------------------------------- images per second


def _check_images(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x = _validate.array("x", x, ndims=(4,))
    if x.dtype.kind == "f" and not np.isfinite(x).all():
        raise ValueError("x must hold finite pixel values")
    if x.min() < 0 or x.max() > 255:
        raise ValueError(f"x must hold pixels on the 0..255 scale, got {x.min()}..{x.max()}")
    y = _validate.labels("y", y, n=len(x))
    return x, y


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
    x, y = _check_images(x, y)
    batch_size = _validate.integer("batch_size", batch_size, minimum=1, maximum=100_000)
    seed = _validate.integer("seed", seed, minimum=0, maximum=2**32 - 1)
    transforms = Transforms() if transforms is None else transforms
    if not isinstance(transforms, Transforms):
        raise TypeError(f"transforms must be a Transforms or None, got {type(transforms).__name__}")

    from .reproducibility import import_tensorflow

    import_tensorflow()  # a quiet start, before Keras and the lesson's generator load TensorFlow
    from tensorflow.keras.preprocessing.image import ImageDataGenerator

    from .lessons.l06_build_your_own_generator import AugmentingSequence
    from .pipeline import prepare

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

    def every_change_pass() -> int:
        order = rng.permutation(len(x))
        count = 0
        for start in range(0, len(x), batch_size):
            rows = order[start:start + batch_size]
            count += len(transforms.every_change(x[rows].astype(np.float32), rng))
        return count

    one_pass = prepare(x, y, batch_size=batch_size, shuffle=True, augment=transforms.one_pass_layer(seed), seed=seed)

    def one_pass_pass() -> int:
        return sum(int(images.shape[0]) for images, _ in one_pass)

    return dict(zip(LOADERS, (generator_pass, tfdata_pass, sequence_pass, every_change_pass, one_pass_pass)))


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
    repeats = _validate.integer("repeats", repeats, minimum=1, maximum=1000)
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
            if isinstance(count, (bool, np.bool_)) or not isinstance(count, (int, np.integer)) or count < 1:
                raise ValueError(f"passes[{name!r}] must return how many images it produced (>= 1), got {count!r}")
            rates[name].append(int(count) / max(seconds, 1e-9))
    return rates


# --------------------------------------------------------------------------- epoch time


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
) -> dict[str, dict[str, list[list[float]]]]:
    """Epoch times of one model architecture trained several ways (:data:`PIPELINES`).

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
    every ``fit`` call is a warm-up and is dropped. The epochs are timed by
    :func:`course_lib.models.epoch_timer`. Returns ``{"wall": {key: [[seconds
    per epoch] per round]}, "cpu": {...}}``, where ``cpu`` is the process's
    CPU time (all its threads) during each epoch.
    """
    x, y = _check_images(x, y)
    for name, maker in (("make_augment", make_augment), ("make_one_pass", make_one_pass)):
        if not callable(maker) and not (name == "make_one_pass" and maker is None):
            raise TypeError(f"{name} must be a function that returns a new augmentation layer, "
                            f"got {type(maker).__name__}")
    batch_size = _validate.integer("batch_size", batch_size, minimum=1, maximum=100_000)
    epochs = _validate.integer("epochs", epochs, minimum=1, maximum=1000)
    rounds = _validate.integer("rounds", rounds, minimum=1, maximum=1000)
    seed = _validate.integer("seed", seed, minimum=0, maximum=2**32 - 1)
    if not isinstance(autotune, bool):
        raise TypeError(f"autotune must be True or False, got {autotune!r}")
    if build_model is not None and not callable(build_model):
        raise TypeError(f"build_model must be a function that returns a keras.Model, got {type(build_model).__name__}")

    from .reproducibility import import_tensorflow

    import_tensorflow()
    import keras

    from .models import _build_for_training, build_cnn, epoch_timer
    from .pipeline import prepare

    if build_model is None:
        def build_model():
            return build_cnn(input_shape=x.shape[1:], num_classes=int(y.max()) + 1, seed=seed)

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
    for model, dataset in runs.values():
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
        _build_for_training(model, dataset)  # one trace in the warm-up epoch, not two
    times: dict[str, dict[str, list[list[float]]]] = {"wall": {k: [] for k in runs}, "cpu": {k: [] for k in runs}}
    names = list(runs)
    for r in range(rounds):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            model, dataset = runs[name]
            timer = epoch_timer()
            model.fit(dataset, epochs=1 + epochs, callbacks=[timer], shuffle=False, verbose=0)
            times["wall"][name].append(timer.wall[1:])
            times["cpu"][name].append(timer.cpu[1:])
    return times


# --------------------------------------------------------------------------- one run


def load_average() -> list[float] | None:
    """The 1, 5 and 15-minute load average of the machine (None where the system has none)."""
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except (AttributeError, OSError):  # pragma: no cover - Windows has no load average
        return None


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
        """Median images/s of lesson 06's AugmentingSequence divided by ImageDataGenerator's."""
        rates = self.median_images_per_second()
        return rates[LOADERS[2]] / rates[LOADERS[0]]

    def augmented_pipelines(self) -> list[str]:
        """The keys of :data:`PIPELINES` with augmentation that this run measured, in table order."""
        return [key for key in PIPELINES if key != "plain" and key in self.epoch_seconds]

    def round_ratios(self, pipeline: str = "tf.data", *, cpu: bool = False) -> list[float]:
        """Per round: the median epoch time of ``pipeline`` / the median epoch time without
        augmentation in the same round (wall clock, or the process's CPU time with ``cpu=True``)."""
        _validate.one_of("pipeline", pipeline, tuple(self.augmented_pipelines()))
        runs = self.epoch_cpu_seconds if cpu else self.epoch_seconds
        return [statistics.median(a) / statistics.median(p) for p, a in zip(runs["plain"], runs[pipeline])]

    def ratio(self, pipeline: str = "tf.data", *, cpu: bool = False) -> float:
        """The median over rounds of :meth:`round_ratios`: the headline figure of a pipeline."""
        return statistics.median(self.round_ratios(pipeline, cpu=cpu))

    @property
    def epoch_ratio(self) -> float:
        """:meth:`ratio` for the Keras layers in tf.data (wall clock)."""
        return self.ratio("tf.data")

    @property
    def cpu_ratio(self) -> float:
        """The same ratio in CPU time: how much work augmentation adds, whether or not it overlaps."""
        return self.ratio("tf.data", cpu=True)

    @property
    def in_model_ratio(self) -> float:
        """:meth:`ratio` for the Keras layers inside the model (wall clock)."""
        return self.ratio("in model")

    @property
    def one_pass_ratio(self) -> float | None:
        """:meth:`ratio` for the one-pass ``RandomAffine`` in tf.data (None if it was not measured)."""
        return self.ratio("one pass") if "one pass" in self.epoch_seconds else None

    def table(self):
        """A pandas DataFrame: median, lowest and highest images/s per loader, and the median's ratio to
        ImageDataGenerator's."""
        import pandas as pd

        base = statistics.median(self.images_per_second[LOADERS[0]])
        rows = [{"loader": name, "median images/s": statistics.median(v), "lowest": min(v), "highest": max(v),
                 "x ImageDataGenerator": statistics.median(v) / base}
                for name, v in self.images_per_second.items()]
        return pd.DataFrame(rows).set_index("loader")

    def epoch_table(self):
        """A pandas DataFrame, one row per pipeline with augmentation, one statistic throughout: the
        per-round ratio of its epoch time to the epoch time without augmentation (median, lowest and
        highest round), on the wall clock and in CPU time."""
        import pandas as pd

        rows = []
        for key in self.augmented_pipelines():
            wall, cpu = self.round_ratios(key), self.round_ratios(key, cpu=True)
            rows.append({"pipeline": PIPELINES[key], "ratio (median of rounds)": statistics.median(wall),
                         "lowest round": min(wall), "highest round": max(wall),
                         "CPU-time ratio (median)": statistics.median(cpu), "CPU lowest": min(cpu),
                         "CPU highest": max(cpu)})
        return pd.DataFrame(rows).set_index("pipeline")

    def cores_busy(self) -> float:
        """CPU time / wall time of the epochs without augmentation: how many cores training kept busy."""
        wall = sum(t for run in self.epoch_seconds["plain"] for t in run)
        cpu = sum(t for run in self.epoch_cpu_seconds["plain"] for t in run)
        return cpu / max(wall, 1e-9)


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

    before = load_average()
    passes = loader_passes(x[:config.n_images], y[:config.n_images], batch_size=config.batch_size,
                           transforms=config.transforms, seed=config.seed)
    rates = measure_throughput(passes, repeats=config.repeats)
    epochs = measure_epoch_times(x[:config.train_images], y[:config.train_images],
                                 make_augment=lambda: config.transforms.layers(config.seed),
                                 make_one_pass=lambda: config.transforms.one_pass_layer(config.seed),
                                 batch_size=config.batch_size, epochs=config.epochs, rounds=config.rounds,
                                 seed=config.seed, build_model=build_model, autotune=config.autotune)
    return BenchmarkResult(images_per_second=rates, epoch_seconds=epochs["wall"], epoch_cpu_seconds=epochs["cpu"],
                           config=asdict(config), load_average={"before": before, "after": load_average()},
                           environment=_environment())


# --------------------------------------------------------------------------- picture


def plot_result(result: BenchmarkResult):
    """Two labelled bar charts with alt text: the median images per second per loader (whiskers: the
    lowest and highest repeat), and each augmented pipeline's per-round epoch-time ratio (median;
    whiskers: the lowest and highest round), with the line at 1 for "no augmentation"."""
    import matplotlib.pyplot as plt

    from .plots import COLOURS, describe

    if not isinstance(result, BenchmarkResult):
        raise TypeError(f"result must be a BenchmarkResult, got {type(result).__name__}")
    table = result.table()
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.2), gridspec_kw={"width_ratios": [2.0, 1.3]},
                                      layout="constrained")
    positions = np.arange(len(table))
    medians = table["median images/s"].to_numpy()
    errors = np.vstack([medians - table["lowest"].to_numpy(), table["highest"].to_numpy() - medians])
    left.barh(positions, medians, xerr=errors, color=[COLOURS[i % len(COLOURS)] for i in range(len(table))],
              capsize=3, edgecolor="black", linewidth=0.5)
    left.set_yticks(positions, [name.replace(", ", ",\n").replace(" (", "\n(") for name in table.index], fontsize=8)
    left.invert_yaxis()
    left.set_xlabel("augmented images per second (median; whiskers: lowest and highest repeat)")
    left.set_title("How fast each loader makes augmented 32 x 32 batches", fontsize=10)
    left.grid(axis="x", alpha=0.3)

    epochs = result.epoch_table()
    short = {"Keras layers in tf.data": "layers\nin tf.data", "Keras layers inside the model": "layers\nin model",
             "RandomAffine (one pass) in tf.data": "RandomAffine\nin tf.data"}
    ratios = epochs["ratio (median of rounds)"].to_numpy()
    spread = np.vstack([ratios - epochs["lowest round"].to_numpy(), epochs["highest round"].to_numpy() - ratios])
    # one colour the left panel does not use: the axis names each pipeline, and a colour shared with a loader on
    # the left would suggest they are the same thing
    right.bar(range(len(epochs)), ratios, yerr=spread, capsize=4, color=COLOURS[len(table) % (len(COLOURS) - 1)],
              edgecolor="black", linewidth=0.5)
    right.axhline(1.0, color=COLOURS[7], linestyle="--", linewidth=1, label="no augmentation (1.0)")
    right.set_xticks(range(len(epochs)), [short.get(name, name) for name in epochs.index], fontsize=8)
    right.set_ylabel("epoch time / epoch time without\naugmentation (per round)")
    rounds = len(result.epoch_seconds["plain"])
    right.set_title(f"Course CNN epoch, {rounds} round{'s' if rounds != 1 else ''}: median ratio, "
                    "whiskers lowest and highest round", fontsize=9, wrap=True)
    right.set_ylim(0, max(1.2, float(epochs["highest round"].max()) * 1.15))
    right.legend(fontsize=8, loc="upper left")
    right.grid(axis="y", alpha=0.3)
    fastest = table["median images/s"].idxmax()
    describe(fig, f"Left: median augmented images per second of {len(table)} loaders; {fastest} is the fastest "
                  f"at {table['median images/s'].max():,.0f}. Right: the epoch time of the course CNN with "
                  f"augmentation divided by the epoch time without, per round; medians "
                  + ", ".join(f"{short.get(n, n).replace(chr(10), ' ')} {r:.2f}" for n, r in zip(epochs.index, ratios))
                  + ".")
    return fig


__all__ = ["LOADERS", "PIPELINES", "VALUE_RANGE", "BenchmarkConfig", "BenchmarkResult", "Transforms", "load_average",
           "loader_passes", "measure_epoch_times", "measure_throughput", "plot_result", "run_benchmark"]
