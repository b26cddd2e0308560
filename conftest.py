"""Test-suite setup for the whole course folder (unit tests in tests/, notebooks run by nbval).

The lessons run at the ``tiny`` scale under the test command. Executing every lesson at the classroom scale
takes the sum of the minutes in the lessons' headers (measured on a 2-core machine with
``python tools/notebooks.py measure``). The test command's job is to show that every cell of every
lesson runs, that the outputs are clean and that the checked outputs hold; each experiment's ``tiny`` preset shows
that in a fraction of the time. ``pytest --lesson-scale classroom`` runs the lessons as a student does.

The maintainer tools (``tools/``) are not installed with ``course_lib``; this puts the course folder on
``sys.path`` so the tests can import them. Every notebook cell nbval runs is held to the output rules of
``tools/hygiene.py``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

def pytest_addoption(parser):
    from course_lib.experiments import LESSON_SCALES

    parser.addoption("--lesson-scale", default="tiny", choices=LESSON_SCALES,
                     help="the $COURSE_SCALE preset the lessons run at under nbval (default: tiny, a smoke test; "
                          "classroom runs them as a student does, as long as their measured minutes add up to)")


def pytest_configure(config):
    # Set in this process, so every kernel that nbval, the grader or JupyterLab starts inherits it. It replaces a
    # $COURSE_SCALE the shell may have set: what the test command runs does not depend on the user's environment.
    os.environ["COURSE_SCALE"] = config.getoption("--lesson-scale")
    config.addinivalue_line("markers", "long_running: a module whose few tests take minutes (started first)")


def _work_order(item) -> int:
    """Longest work first: modules marked long_running, then the lessons, then the solutions, then the unit tests."""
    if item.get_closest_marker("long_running"):
        return 0
    path = Path(str(item.path))
    if path.suffix == ".ipynb":
        return 2 if "solutions" in path.parts else 1
    return 3


def pytest_collection_modifyitems(config, items):
    """Order the modules so that the longest work starts first (xdist's loadscope hands out modules in this order,
    with ``--no-loadscope-reorder`` in pyproject.toml): a few long tests left to the end would leave one worker
    running them alone while the other has nothing to do. A stable sort: the cells of a notebook keep their order."""
    rank: dict[str, int] = {}
    for item in items:
        module = item.nodeid.split("::")[0]
        rank[module] = min(rank.get(module, 3), _work_order(item))
    items.sort(key=lambda item: rank[item.nodeid.split("::")[0]])


# Kernels started by nbval inherit this: the explorer shows its static figure (no widget frontend here).
os.environ.setdefault("COURSE_STATIC_WIDGETS", "1")

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# ----------------------------------------------------------------- output hygiene of executed notebooks


def _kernels_forward_low_level_output() -> None:
    """Let nbval's kernels show what C++ code writes to file descriptor 2, as JupyterLab's kernels do.

    ipykernel forwards output written straight to the process's descriptors (TensorFlow's C++ log lines, e.g.
    ``E0000 ... NodeDef mentions attribute use_unbounded_threadpool``) into the cell's outputs, but not when
    ``$PYTEST_CURRENT_TEST`` is in its environment, which a kernel started during a test inherits. Without this,
    a lesson could print such lines to a student while passing the output rules below.
    """
    try:
        import nbval.kernel as nbval_kernel
    except ImportError:  # pragma: no cover - nbval is a test dependency
        return
    start = nbval_kernel.start_new_kernel
    if getattr(start, "course_forwards_fd_output", False):
        return

    def start_new_kernel(**kwargs):
        kwargs.setdefault("env", {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"})
        return start(**kwargs)

    start_new_kernel.course_forwards_fd_output = True
    nbval_kernel.start_new_kernel = start_new_kernel


_kernels_forward_low_level_output()

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
