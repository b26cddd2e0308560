"""Experiment settings, and where experiment notebooks save what they measured.

Each experiment notebook writes one JSON file, named after the notebook, into
``$COURSE_RESULTS_DIR`` (default ``results/`` at the course root, git-ignored).

An experiment lesson keeps its settings in one cell tagged ``parameters`` (papermill injects new values
right after it) and takes them from :func:`settings`: a *scale* preset chosen by ``$COURSE_SCALE``
(``"classroom"``, the default, sized for a 2-core laptop; ``"full"``, the published scale, for a GPU
machine; ``"tiny"``, a smoke test of a few seconds), then any ``COURSE_NN_<NAME>`` environment variable.
:func:`full_scale_estimate` turns the speed a run measured into the expected minutes of the ``full`` preset.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

#: The environment variable that picks an experiment's scale preset.
SCALE_ENV = "COURSE_SCALE"
#: The scale every lesson must offer (the default).
DEFAULT_SCALE = "classroom"
#: The scales the course's experiment lessons offer, smallest first.
LESSON_SCALES = ("tiny", "classroom", "full")
#: The environment variable that moves the results directory.
RESULTS_DIR_ENV = "COURSE_RESULTS_DIR"
_ROOT = Path(__file__).resolve().parent.parent


def _parse(name: str, text: str, like: Any) -> Any:
    """``text`` from an environment variable, converted to the type of the default ``like``
    (a default of None stands for "all": ``all`` or a whole number)."""
    try:
        if like is None:
            return None if text.strip().lower() in ("all", "none") else int(text)
        if isinstance(like, bool):
            if text.strip().lower() not in ("0", "1", "true", "false", "yes", "no"):
                raise ValueError(text)
            return text.strip().lower() in ("1", "true", "yes")
        if isinstance(like, int):
            return int(text)
        if isinstance(like, float):
            value = float(text)
            if not math.isfinite(value):
                raise ValueError(text)
            return value
        if isinstance(like, (list, tuple)):
            items = [t.strip() for t in text.split(",") if t.strip()]
            if not items:
                raise ValueError(text)
            kind = type(like[0]) if like else str
            return [_parse(name, t, kind()) for t in items]
        return text
    except ValueError:
        example = ",".join(str(v) for v in like) if isinstance(like, (list, tuple)) else like
        raise ValueError(f"{name}={text!r} cannot be read as a value like {example!r}") from None


def settings(lesson: str, presets: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """An experiment's settings: the preset ``$COURSE_SCALE`` names, then ``$COURSE_<lesson>_<NAME>`` overrides.

    ``lesson`` is the lesson's number (``"07"``); ``presets`` maps each scale (``"classroom"`` at least) to
    its settings ``{NAME: value}``; every scale must name the same settings. An environment variable
    ``COURSE_07_SIZES=1000,2000,4000`` replaces ``SIZES`` with a value of the same type (lists are comma
    separated; a default of None means "all", e.g. every test image). ``SEEDS`` also listens to the
    course-wide ``COURSE_SEEDS=0,1,2``. Unknown scales and values that do not parse raise an error naming
    the variable.
    """
    if not (isinstance(lesson, str) and len(lesson) == 2 and lesson.isdigit()):
        raise ValueError(f"lesson must be a two-digit lesson number like '07', got {lesson!r}")
    if not isinstance(presets, dict) or DEFAULT_SCALE not in presets or not isinstance(presets[DEFAULT_SCALE], dict):
        raise ValueError(f"presets must be a dict of scales that includes {DEFAULT_SCALE!r}, each a dict of settings")
    names = set(presets[DEFAULT_SCALE])
    for scale, values in presets.items():
        if not isinstance(values, dict) or set(values) != names:
            raise ValueError(f"presets[{scale!r}] must name the same settings as {DEFAULT_SCALE!r}: {sorted(names)}")
    scale = os.environ.get(SCALE_ENV, DEFAULT_SCALE).strip() or DEFAULT_SCALE
    if scale not in presets:
        raise ValueError(f"{SCALE_ENV}={scale!r} is not a scale of lesson {lesson}; choose one of {sorted(presets)}")
    chosen = dict(presets[scale])
    for name, default in presets[DEFAULT_SCALE].items():
        variables = [f"COURSE_{lesson}_{name}"] + (["COURSE_SEEDS"] if name == "SEEDS" else [])
        for variable in variables:  # the lesson's own variable wins over the course-wide one
            if os.environ.get(variable):
                chosen[name] = _parse(variable, os.environ[variable], default)
                break
    chosen["SCALE"] = scale
    return chosen


def _count(n: int) -> str:
    """A count of images as people say it: ``8,400``, ``1.2 million``, ``15.8 million``, ``2.5 billion``."""
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if n >= size:
            return f"{_three_figures(n / size)} {word}"
    return f"{n:,}"


def _three_figures(x: float) -> str:
    """``x`` rounded to three significant figures: ``12,600``, ``845``, ``3.21``."""
    if x >= 100:
        return f"{round(x, 2 - int(math.floor(math.log10(x)))):,.0f}"
    return f"{x:.3g}"


def _seconds(seconds: float) -> str:
    """How long something took: ``0.42 s``, ``3.5 s``, ``95 s``, ``12 minutes``, ``2.5 hours``."""
    if seconds < 1:
        return f"{seconds:.2g} s"
    if seconds < 10:
        return f"{seconds:.1f} s"
    if seconds < 120:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} minutes" if seconds < 7200 else f"{seconds / 3600:,.1f} hours"


def _minutes(minutes: float) -> str:
    """An expected duration in minutes (``2.5``, ``63``, ``1,400``), with hours or days beside a long one."""
    if minutes < 1:
        return f"{_seconds(60 * minutes)} (under a minute)"
    shown = f"{_three_figures(minutes) if minutes < 10 else f'{minutes:,.0f}'} minutes"
    if minutes >= 48 * 60:
        return f"{shown} ({minutes / 1440:,.1f} days)"
    return f"{shown} ({minutes / 60:.1f} hours)" if minutes >= 120 else shown


def full_scale_estimate(passes_now: int, seconds_now: float, passes_full: int) -> str:
    """One sentence: how long the ``full`` preset's training would take at the speed this run measured.

    ``passes_now`` is how many image passes this run's training made (one image shown to the model once:
    epochs x training images, summed over the runs), ``seconds_now`` the seconds those runs took (e.g. the
    sum of their ``TrainResult.seconds``), ``passes_full`` the image passes of the ``full`` preset. Every
    number in the sentence is computed from these three: the speed is ``passes_now / seconds_now`` and the
    estimate is ``passes_full`` at that speed. It assumes the speed stays the same; on a machine with a GPU
    it is usually many times higher.

    >>> full_scale_estimate(1_200_000, 95.0, 48_000_000)  # doctest: +NORMALIZE_WHITESPACE
    'This run trained 1.2 million image passes in 95 s (12,600 images/s on this machine); the full preset
    trains 48 million: about 63 minutes at this speed, less on a machine with a GPU.'
    """
    from . import _validate

    passes_now = _validate.integer("passes_now", passes_now, minimum=1)
    passes_full = _validate.integer("passes_full", passes_full, minimum=1)
    seconds_now = _validate.number("seconds_now", seconds_now, minimum=0)
    if seconds_now == 0:
        raise ValueError("seconds_now must be > 0 (the seconds this run's training took), got 0.0")
    rate = passes_now / seconds_now
    head = (f"This run trained {_count(passes_now)} image pass{'' if passes_now == 1 else 'es'} in "
            f"{_seconds(seconds_now)} ({_three_figures(rate)} images/s on this machine)")
    if passes_full == passes_now:
        return f"{head}: as many as the full preset trains, so this run was of the full size."
    return (f"{head}; the full preset trains {_count(passes_full)}: about {_minutes(passes_full / rate / 60)} "
            "at this speed, less on a machine with a GPU.")


def results_dir() -> Path:
    """``$COURSE_RESULTS_DIR``, or ``results/`` at the course root. Created if missing."""
    path = Path(os.environ.get(RESULTS_DIR_ENV) or _ROOT / "results").expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def _plain(value: Any) -> Any:
    """``value`` with NumPy numbers (``np.int64(3)``, ``np.float32(0.5)``) made plain Python numbers."""
    import numpy as np

    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _check_json(value: Any, where: str) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"results{where} is {value}; only finite numbers can be saved")
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                raise TypeError(f"results{where} has a non-string key {k!r}")
            _check_json(v, f"{where}[{k!r}]")
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _check_json(v, f"{where}[{i}]")
    elif not isinstance(value, (str, int, float, bool, type(None))):
        raise TypeError(f"results{where} is a {type(value).__name__}; convert it to int, float, str or list")


def save_results(notebook: str, results: dict[str, Any]) -> Path:
    """Write ``results`` as ``<results_dir>/<notebook>.json`` and return the path.

    ``notebook`` is the notebook's name without ``.ipynb`` (e.g.
    ``"01_overfitting"``). The file is replaced atomically, so a reader never
    sees half of it.
    """
    if not isinstance(notebook, str) or not notebook or "/" in notebook or notebook.endswith(".ipynb"):
        raise ValueError(f"notebook must be a notebook name like '01_overfitting', got {notebook!r}")
    if not isinstance(results, dict):
        raise TypeError(f"results must be a dict, got {type(results).__name__}")
    results = _plain(results)
    _check_json(results, "")
    target = results_dir() / f"{notebook}.json"
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{notebook}-", suffix=".json.part")
    with os.fdopen(fd, "w") as handle:
        json.dump(results, handle, indent=2, sort_keys=False)
        handle.write("\n")
    os.replace(tmp, target)
    return target


def load_results(notebook: str) -> dict[str, Any]:
    """Read back what :func:`save_results` wrote for ``notebook``."""
    if not isinstance(notebook, str) or not notebook:
        raise ValueError(f"notebook must be a notebook name like '01_overfitting', got {notebook!r}")
    path = results_dir() / f"{notebook}.json"
    if not path.is_file():
        raise FileNotFoundError(f"notebook {notebook!r} has no results at {path}: run notebooks/{notebook}.ipynb first")
    return json.loads(path.read_text())
