"""The order the test command hands out its work: the longest first, so that both xdist workers finish together."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("course_root_conftest", ROOT / "conftest.py")
root_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(root_conftest)


class FakeItem:
    def __init__(self, nodeid: str, long_running: bool = False):
        self.nodeid, self.path, self._long = nodeid, ROOT / nodeid.split("::")[0], long_running

    def get_closest_marker(self, name):
        return object() if name == "long_running" and self._long else None


def test_long_modules_then_lessons_then_solutions_then_unit_tests_cells_in_order():
    items = [FakeItem("tests/test_a.py::test_1"), FakeItem("notebooks/solutions/00_x.ipynb::Cell 0"),
             FakeItem("tests/test_slow.py::test_1", long_running=True), FakeItem("notebooks/01_y.ipynb::Cell 0"),
             FakeItem("notebooks/01_y.ipynb::Cell 1"), FakeItem("tests/test_slow.py::test_2", long_running=True),
             FakeItem("tests/test_a.py::test_2"), FakeItem("notebooks/01_y.ipynb::Cell 2")]
    root_conftest.pytest_collection_modifyitems(None, items)
    assert [i.nodeid for i in items] == [
        "tests/test_slow.py::test_1", "tests/test_slow.py::test_2",
        "notebooks/01_y.ipynb::Cell 0", "notebooks/01_y.ipynb::Cell 1", "notebooks/01_y.ipynb::Cell 2",
        "notebooks/solutions/00_x.ipynb::Cell 0", "tests/test_a.py::test_1", "tests/test_a.py::test_2"]


def test_xdist_keeps_that_order():
    """Without --no-loadscope-reorder, xdist would hand out the modules with the most tests first: the long ones,
    which have few tests each, would come last."""
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["addopts"]
    assert "--no-loadscope-reorder" in options
