"""Experiment settings, and where experiment notebooks save what they measured.

Each experiment notebook writes one JSON file, named after the notebook, into
``$COURSE_RESULTS_DIR`` (default ``results/`` at the course root, git-ignored).

An experiment lesson keeps its settings in one cell tagged ``parameters`` (papermill injects new values
right after it) and takes them from :func:`settings`: a *scale* preset chosen by ``$COURSE_SCALE``
(``"classroom"``, the default, sized for a 2-core laptop; ``"full"``, the published scale, for a GPU
machine; ``"tiny"``, a smoke test of a few seconds), then any ``COURSE_NN_<NAME>`` environment variable.
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
