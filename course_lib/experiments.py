"""Where experiment notebooks save what they measured.

Each experiment notebook writes one JSON file, named after the notebook, into
``$COURSE_RESULTS_DIR`` (default ``results/`` at the course root, git-ignored).
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

#: The environment variable that moves the results directory.
RESULTS_DIR_ENV = "COURSE_RESULTS_DIR"
_ROOT = Path(__file__).resolve().parent.parent


def results_dir() -> Path:
    """``$COURSE_RESULTS_DIR``, or ``results/`` at the course root. Created if missing."""
    path = Path(os.environ.get(RESULTS_DIR_ENV) or _ROOT / "results").expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


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
        raise FileNotFoundError(f"no results for {notebook!r} at {path}: run notebooks/{notebook}.ipynb first")
    return json.loads(path.read_text())
