"""Pipeline speed, measured: the maintainers' full benchmark, run by hand from the course folder.

    python benchmarks/pipeline_speed.py            # the full run: prints the tables (a few minutes)
    python benchmarks/pipeline_speed.py --short    # the notebook's short run
    python benchmarks/pipeline_speed.py --save     # also writes results/pipeline_speed.json
    python benchmarks/pipeline_speed.py --help     # every option

CIFAR-10 is found as in every lesson (``COURSE_DATA_DIR``, then the cache).

It measures, side by side on the same CIFAR-10 batches (32 x 32, batch size 64)
with comparable random changes (rotation, shifts, horizontal flip, brightness):
images per second of ImageDataGenerator.flow, of tf.data with Keras
preprocessing layers, of lesson 06's AugmentingSequence, of the NumPy engine
with every change on every image and of tf.data with the one-pass RandomAffine;
and the course CNN's epoch time with augmentation divided by its epoch time
without (per round, then the median of the rounds). The measuring harness is
``course_lib.benchmark`` (lesson 05 runs its short configuration); this file
adds the full configuration, the acceptance targets of issue 4, the summary and
the command line. Timings depend on the machine and on what else runs on it:
close other heavy programs, and read the load average the script prints.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import course_lib  # noqa: F401  (quiet TensorFlow start-up)
from course_lib import _validate
from course_lib.benchmark import PIPELINES, BenchmarkConfig, BenchmarkResult, load_average, run_benchmark

#: The full configuration the README's figures come from.
FULL = {"n_images": 4000, "repeats": 5, "train_images": 1024, "epochs": 3, "rounds": 7}
#: The acceptance targets of issue 4: the course generator at least twice as fast as ImageDataGenerator,
#: and an epoch with augmentation in tf.data at most 1.15 x one without (checked for the course's
#: one-pass layer; Keras's stack of separate layers is reported beside it).
TARGET_SPEEDUP = 2.0
TARGET_EPOCH_RATIO = 1.15
#: The file name :func:`main` writes into the results directory with ``--save``.
RESULTS_NAME = "pipeline_speed"


# --------------------------------------------------------------------------- the report


def median_epoch_seconds(result: BenchmarkResult) -> dict[str, float]:
    """The median epoch time (seconds, wall clock) of each pipeline over all rounds: the scale, not a ratio."""
    return {name: statistics.median(t for run in runs for t in run) for name, runs in result.epoch_seconds.items()}


def fastest_epoch_ratio(result: BenchmarkResult, pipeline: str = "tf.data") -> float:
    """The fastest epoch of ``pipeline`` / the fastest epoch without augmentation (wall clock).

    Other programs can only make an epoch slower, never faster, so on a busy machine the fastest epochs
    are the closest to what an idle machine would show; the median of the per-round ratios is the headline."""
    _validate.one_of("pipeline", pipeline, tuple(result.augmented_pipelines()))
    fastest = {key: min(t for run in result.epoch_seconds[key] for t in run) for key in ("plain", pipeline)}
    return fastest[pipeline] / fastest["plain"]


def slow_epochs(result: BenchmarkResult, pipeline: str = "tf.data", factor: float = 1.5) -> int:
    """How many epochs of ``pipeline`` took more than ``factor`` x the median epoch without augmentation:
    stalls, which a median hides (e.g. from tf.data's autotuning)."""
    _validate.one_of("pipeline", pipeline, tuple(k for k in PIPELINES if k in result.epoch_seconds))
    factor = _validate.number("factor", factor, minimum=1.0, maximum=1000.0)
    limit = factor * median_epoch_seconds(result)["plain"]
    return sum(t > limit for run in result.epoch_seconds[pipeline] for t in run)


def targets(result: BenchmarkResult) -> dict[str, bool]:
    """Whether each acceptance target was met; the epoch target is checked for the one-pass layer when it
    was measured, else for Keras's stack of layers."""
    key = "one pass" if "one pass" in result.epoch_seconds else "tf.data"
    return {f"AugmentingSequence >= {TARGET_SPEEDUP:g} x ImageDataGenerator": result.speedup >= TARGET_SPEEDUP,
            f"epoch ratio ({PIPELINES[key]}) <= {TARGET_EPOCH_RATIO:g}": result.ratio(key) <= TARGET_EPOCH_RATIO}


def summary(result: BenchmarkResult) -> str:
    """A few lines of text with the key figures, for a terminal or a README."""
    lines = [f"{name:38s} {rate:10,.0f} images/s" for name, rate in result.median_images_per_second().items()]
    lines.append(f"AugmentingSequence / ImageDataGenerator: {result.speedup:.2f} x (target >= {TARGET_SPEEDUP:g})")
    seconds = median_epoch_seconds(result)
    lines.append(f"epoch without augmentation: {seconds['plain']:.2f} s (median of all its epochs)")
    for key in result.augmented_pipelines():
        rounds = [round(r, 3) for r in result.round_ratios(key)]
        lines.append(f"epoch with {PIPELINES[key]} / without: median of rounds {result.ratio(key):.3f} "
                     f"(rounds: {rounds}); in CPU time {result.ratio(key, cpu=True):.3f}; fastest epochs "
                     f"{fastest_epoch_ratio(result, key):.3f}; slow epochs {slow_epochs(result, key)}")
    lines.append(f"targets: {targets(result)}")
    lines.append(f"load average (1, 5, 15 min) before {result.load_average['before']}, "
                 f"after {result.load_average['after']} on {result.environment['cpus']} CPUs")
    return "\n".join(lines)


def as_dict(result: BenchmarkResult) -> dict[str, Any]:
    """Everything as JSON-ready data: raw measurements, ratios and conditions."""
    keys = result.augmented_pipelines()
    return {
        "images_per_second": result.images_per_second,
        "median_images_per_second": result.median_images_per_second(),
        "speedup_course_vs_image_data_generator": result.speedup,
        "epoch_seconds": result.epoch_seconds,
        "epoch_cpu_seconds": result.epoch_cpu_seconds,
        "median_epoch_seconds": median_epoch_seconds(result),
        "epoch_ratio_rounds": {key: result.round_ratios(key) for key in keys},
        "epoch_ratio": {key: result.ratio(key) for key in keys},
        "epoch_cpu_ratio": {key: result.ratio(key, cpu=True) for key in keys},
        "epoch_ratio_fastest": {key: fastest_epoch_ratio(result, key) for key in keys},
        "slow_epochs": {key: slow_epochs(result, key) for key in PIPELINES if key in result.epoch_seconds},
        "targets_met": targets(result),
        "config": result.config,
        "load_average": result.load_average,
        "environment": result.environment,
    }


# --------------------------------------------------------------------------- command line


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command-line options of :func:`main`."""
    parser = argparse.ArgumentParser(
        prog="python benchmarks/pipeline_speed.py",
        description="Measure augmented images per second of ImageDataGenerator, tf.data + Keras layers and the "
                    "course's AugmentingSequence, and the course CNN's epoch time with / without augmentation.")
    parser.add_argument("--short", action="store_true", help="the notebook's short configuration")
    parser.add_argument("--n-images", type=int, default=None, help=f"images per pass (default {FULL['n_images']})")
    parser.add_argument("--repeats", type=int, default=None, help=f"timed passes per loader ({FULL['repeats']})")
    parser.add_argument("--train-images", type=int, default=None,
                        help=f"images for the epoch-time measurement ({FULL['train_images']})")
    parser.add_argument("--epochs", type=int, default=None, help=f"timed epochs per fit call ({FULL['epochs']})")
    parser.add_argument("--rounds", type=int, default=None, help=f"training rounds ({FULL['rounds']})")
    parser.add_argument("--batch-size", type=int, default=None, help="batch size (64)")
    parser.add_argument("--seed", type=int, default=0, help="seed for data order and random draws (0)")
    parser.add_argument("--autotune", action="store_true",
                        help="keep tf.data's model-based autotuning on in the training pipelines (off by default)")
    parser.add_argument("--save", action="store_true",
                        help=f"also write {RESULTS_NAME}.json into the results directory ($COURSE_RESULTS_DIR)")
    return parser.parse_args(argv)


def config_from_args(args: argparse.Namespace) -> BenchmarkConfig:
    """The :class:`BenchmarkConfig` that parsed command-line options ask for."""
    base = BenchmarkConfig.short(seed=args.seed) if args.short else BenchmarkConfig(seed=args.seed, **FULL)
    changes = {k: getattr(args, k) for k in ("n_images", "repeats", "train_images", "epochs", "rounds", "batch_size")
               if getattr(args, k) is not None}
    return replace(base, autotune=args.autotune, **changes)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark on CIFAR-10 (``course_lib.data.load_cifar10``), print the tables,
    and with ``--save`` write the JSON file. Returns the exit code (0)."""
    args = parse_args(argv)
    config = config_from_args(args)
    from course_lib.data import load_cifar10
    from course_lib.reproducibility import set_seed

    set_seed(config.seed)
    cifar = load_cifar10(n_train=config.images_needed, n_test=0, seed=config.seed)
    print(f"{config.images_needed} CIFAR-10 images, batch size {config.batch_size}; tf.data model-based "
          f"autotuning {'on' if config.autotune else 'off'} in training; load average before: {load_average()}")
    result = run_benchmark(cifar.x_train, cifar.y_train, config)
    import pandas as pd

    with pd.option_context("display.width", 160, "display.max_columns", None, "display.float_format", "{:,.2f}".format):
        print(result.table())
        print(result.epoch_table())
    print(summary(result))
    if args.save:
        from course_lib.experiments import save_results

        print("written:", save_results(RESULTS_NAME, json.loads(json.dumps(as_dict(result)))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
