"""Shared test setup: a headless plotting backend and temporary course directories."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

# This process draws without a screen. Not through $MPLBACKEND: the kernels that nbval, the grader and JupyterLab
# start inherit the environment, and there matplotlib's inline backend must show (and close) every figure.
matplotlib.use("Agg")

#: Where the real CIFAR-10 sample is, read before any test runs: $COURSE_DATA_DIR as the user (or .ci/run) set
#: it, else the sibling ``../shared/data`` of a CI checkout. The autouse fixture below hides $COURSE_DATA_DIR from
#: every test; the tests that run lessons on real images ask for it through the ``cifar_dir`` fixture.
_SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
REAL_DATA_DIR = os.environ.get("COURSE_DATA_DIR") or (str(_SHARED) if (_SHARED / "cifar10.npz").is_file() else None)


@pytest.fixture(scope="session")
def scale_for_kernels() -> str | None:
    """$COURSE_SCALE as the test process holds it, which every kernel nbval starts inherits (the root
    conftest.py sets it from --lesson-scale). Session-scoped, so it is read before the autouse fixture below
    hides it from a test: the unit tests must not depend on it."""
    return os.environ.get("COURSE_SCALE")


@pytest.fixture
def cifar_dir() -> str:
    """The folder holding the real cifar10.npz; skips the test where there is none (fails in CI)."""
    if REAL_DATA_DIR is None:
        message = "this test runs a lesson on CIFAR-10: set COURSE_DATA_DIR to the folder holding cifar10.npz"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return REAL_DATA_DIR


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    """Each test gets its own results and cache directories and no COURSE_DATA_DIR or COURSE_SCALE,
    so nothing a test does touches the user's files or depends on them."""
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path / "results"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    monkeypatch.delenv("COURSE_SCALE", raising=False)
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
