"""Shared test setup: a headless plotting backend and temporary course directories."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the maintainer tools (tools/) are not installed with course_lib

import matplotlib  # noqa: E402
import pytest  # noqa: E402

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    """Each test gets its own results and cache directories and no COURSE_DATA_DIR,
    so nothing a test does touches the user's files or depends on them."""
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path / "results"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


# ----------------------------------------------------------------- output hygiene of executed notebooks

_notebook_bytes: dict[str, int] = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """Fail a notebook cell (run by nbval) whose outputs break a rule of tools/hygiene.py."""
    outcome = yield
    outputs = getattr(item, "test_outputs", None)
    if outputs is None or outcome.excinfo is not None:
        return
    from tools import hygiene

    found = hygiene.problems(outputs)
    key = str(item.fspath)
    _notebook_bytes[key] = _notebook_bytes.get(key, 0) + hygiene.output_bytes(outputs)
    if _notebook_bytes[key] > hygiene.MAX_NOTEBOOK_BYTES:
        found.append(f"the notebook's outputs reached {_notebook_bytes[key]:,} bytes by this cell "
                     f"(at most {hygiene.MAX_NOTEBOOK_BYTES:,}): show fewer or smaller figures")
    if found:
        outcome.force_exception(AssertionError("this cell's outputs break the course's output rules "
                                               "(tools/hygiene.py):\n- " + "\n- ".join(found)))
