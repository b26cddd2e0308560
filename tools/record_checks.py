"""Record, from real runs, the numbers that exercise checks show: ``python tools/record_checks.py [NAME...]``.

Some exercises discuss training runs that take minutes. Their numbers are recorded here once, by really
training, and stored in ``course_lib/resources/recorded_<name>.json`` (read by :mod:`course_lib.recorded`):

* ``settings``: everything the run depends on; :func:`stale` compares it with what this script would run
  now, so a changed lesson recipe or a changed setting here fails the test suite until the file is recorded
  again;
* ``recorded``: date, course version, library versions, machine, seconds;
* ``data`` and ``data_sha256``: the numbers and their checksum (a hand edit is caught).

Each recording is registered in :data:`RECORDINGS` by :func:`recording`: a function that returns its settings
(JSON) and, decorated, a function that trains with those settings and returns the data (JSON). To add one,
write both for your lesson (``lesson07`` say) and run ``python tools/record_checks.py lesson07``. Where a lesson
defines its recipe in ``#@save`` cells, the settings are read from the lesson's module and the run calls its
functions, so the recorded runs are the lesson's own.

``python tools/record_checks.py``               record every recording (trains: minutes; use ``nice``)
``python tools/record_checks.py lesson01``      record one
``python tools/record_checks.py --check``       write nothing; exit 1 if a recorded file is missing or stale
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere: import the course's own course_lib
    sys.path.insert(0, str(ROOT))

from course_lib import recorded  # noqa: E402

Settings = dict[str, Any]
Data = dict[str, Any]


@dataclass(frozen=True)
class Recording:
    """One recorded file: its name, what it would run now (``settings()``) and how (``run(settings)``)."""

    name: str
    settings: Callable[[], Settings]
    run: Callable[[Settings], Data]


#: Every recording, by name (``lesson01`` -> ``course_lib/resources/recorded_lesson01.json``).
RECORDINGS: dict[str, Recording] = {}


def recording(name: str, settings: Callable[[], Settings]) -> Callable[[Callable[[Settings], Data]], Callable]:
    """Register the decorated ``run(settings) -> data`` under ``name``, with its ``settings`` function."""
    recorded.path_of(name)  # checks the name

    def register(run: Callable[[Settings], Data]) -> Callable[[Settings], Data]:
        RECORDINGS[name] = Recording(name, settings, run)
        return run

    return register


def _json(value: Any) -> Any:
    """``value`` as plain JSON would give it back (tuples become lists, keys strings)."""
    return json.loads(json.dumps(value, allow_nan=False))


# --------------------------------------------------------------------------- lesson 01

#: Part (a) of exercise 01: three runs to diagnose, each lesson 01's recipe with other options.
LESSON01_CURVES: dict[str, dict[str, Any]] = {
    "A": {"n_train": 2000, "epochs": 30, "learning_rate": 1e-3, "model": {"filters": [4], "dense_units": 8}},
    "B": {"n_train": 400, "epochs": 30, "learning_rate": 1e-3, "model": {}},
    "C": {"n_train": 2000, "epochs": 15, "learning_rate": 5e-5, "model": {}},
}
#: The seed of exercise 01's runs: not the lesson's default (0), so the exercise shows other numbers.
LESSON01_SEED = 1
#: Decimals kept in the recorded accuracies.
DECIMALS = 3


def lesson01_settings() -> Settings:
    """Lesson 01's recipe (from its ``#@save`` cells) with seed 1 and one more size, plus the three curves."""
    from course_lib.lessons import l01_overfitting as l01

    return _json({
        "seed": LESSON01_SEED,
        "n_val": l01.N_VAL,
        "n_test": l01.N_TEST,
        "batch_size": l01.BATCH_SIZE,
        "runs": {"sizes": [*l01.SIZES, 2 * l01.SIZES[-1]], "epochs": l01.EPOCHS, "learning_rate": 1e-3,
                 "model": {}},
        "curves": LESSON01_CURVES,
        "decimals": DECIMALS,
        "train_accuracy": "accuracy of the trained model on its own training images (TrainResult.clean_train_accuracy)",
        "how": "course_lib.lessons.l01_overfitting: nested_subsets, then train_on_sizes (build_cnn, train_and_evaluate)",
    })


@recording("lesson01", lesson01_settings)
def record_lesson01(settings: Settings) -> Data:  # pragma: no cover - trains for minutes
    """Train the runs of exercise 01: the results table of part (b) and the curves of part (a)."""
    from course_lib.lessons.l01_overfitting import nested_subsets, train_on_sizes
    from course_lib.reproducibility import set_seed

    def rounded(values: Sequence[float]) -> list[float]:
        return [round(float(v), settings["decimals"]) for v in values]

    common = {"n_val": settings["n_val"], "n_test": settings["n_test"]}
    seed = set_seed(settings["seed"])
    plan = settings["runs"]
    subsets = nested_subsets(plan["sizes"], seed=seed, **common)
    results = train_on_sizes(subsets, seed=seed, epochs=plan["epochs"], batch_size=settings["batch_size"],
                             learning_rate=plan["learning_rate"], **plan["model"])
    runs = [{"n_train": n, "epochs": r.epochs, "train_accuracy": rounded([r.clean_train_accuracy])[0],
             "test_accuracy": rounded([r.test_accuracy])[0]} for n, r in results.items()]
    curves = {}
    for name, run in settings["curves"].items():
        set_seed(seed)
        subset = nested_subsets([run["n_train"]], seed=seed, **common)
        result = train_on_sizes(subset, seed=seed, epochs=run["epochs"], batch_size=settings["batch_size"],
                                learning_rate=run["learning_rate"], **run["model"])[run["n_train"]]
        curves[name] = {"accuracy": rounded(result.history["accuracy"]),
                        "val_accuracy": rounded(result.history["val_accuracy"])}
        print(f"  run {name}: {run}: training {curves[name]['accuracy'][-1]:.3f}, "
              f"validation {curves[name]['val_accuracy'][-1]:.3f}", flush=True)
    return {"curves": curves, "runs": runs}


# --------------------------------------------------------------------------- writing and checking


def _machine() -> dict[str, Any]:
    import importlib.metadata as metadata

    import course_lib

    versions = {}
    for dist in ("tensorflow", "keras", "numpy"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:  # pragma: no cover
            versions[dist] = None
    return {"date": dt.date.today().isoformat(), "course_version": course_lib.__version__,
            "python": platform.python_version(), **versions, "machine": platform.machine(),
            "cpus": os.cpu_count()}


def write_record(name: str, settings: Settings, data: Data, *, seconds: float | None = None,
                 path: Path | None = None) -> Path:
    """Write ``recorded_<name>.json``: settings, where and when, the data and their checksum (atomically)."""
    settings, data = _json(settings), _json(data)
    record = {
        "about": f"Recorded from real runs by `{recorded.COMMAND} {name}`; do not edit by hand "
                 "(the data carry a checksum): change the settings in the script or the lesson, then record again.",
        "name": name,
        "settings": settings,
        "recorded": {**_machine(), "seconds": None if seconds is None else round(seconds)},
        "data_sha256": recorded.checksum(data),
        "data": data,
    }
    target = recorded.path_of(name) if path is None else Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    text = json.dumps(record, indent=1)
    # one line per list of numbers (a curve, a list of sizes), so the file reads, and diffs, by run
    text = re.sub(r"\[\s*(-?[0-9][-+0-9.eE]*(?:,\s*-?[0-9][-+0-9.eE]*)*)\s*\]",
                  lambda m: "[" + ", ".join(v.strip() for v in m.group(1).split(",")) + "]", text)
    tmp.write_text(text + "\n")
    os.replace(tmp, target)
    return target


def stale(name: str, *, path: Path | None = None) -> str | None:
    """Why the recorded file of ``name`` is out of date, or None when it is what the script would record.

    Out of date: missing, edited by hand (checksum), or recorded with other settings than
    ``RECORDINGS[name].settings()`` gives now.
    """
    try:
        record = recorded.load(name, path=path)
    except recorded.RecordedDataError as err:
        return str(err)
    want = _json(RECORDINGS[name].settings())
    if record["settings"] != want:
        changed = sorted(k for k in set(want) | set(record["settings"]) if want.get(k) != record["settings"].get(k))
        return (f"recorded_{name}.json was recorded with other settings ({', '.join(changed)} differ); "
                f"run `{recorded.COMMAND} {name}`")
    return None


def record(name: str, *, path: Path | None = None) -> Path:  # pragma: no cover - trains
    """Run recording ``name`` for real and write its file."""
    entry = RECORDINGS[name]
    settings = _json(entry.settings())
    start = time.perf_counter()
    data = entry.run(settings)
    return write_record(name, settings, data, seconds=time.perf_counter() - start, path=path)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; see the module docstring."""
    parser = argparse.ArgumentParser(prog="python tools/record_checks.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help=f"recordings to make (default: all of {', '.join(RECORDINGS)})")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a recorded file is stale")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in RECORDINGS]
    if unknown:
        parser.error(f"unknown recording(s) {', '.join(unknown)}; choose from {', '.join(RECORDINGS)}")
    names = args.names or list(RECORDINGS)
    if args.check:
        problems = [(n, why) for n in names if (why := stale(n)) is not None]
        for n, why in problems:
            print(f"out of date: {n}: {why}")
        return 1 if problems else 0
    for n in names:  # pragma: no cover - trains
        print(f"recording {n} ...", flush=True)
        target = record(n)
        print(f"written: {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
