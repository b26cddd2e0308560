"""Check that this machine is ready for the course: ``python -m course_lib.check_env``.

Prints one line per requirement, OK or FAIL, with the fix for each FAIL, and
exits with status 1 if anything failed.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from . import data

_INSTALL = 'pip install -e ".[dev]"  (from the course folder, inside its .venv)'


@dataclass(frozen=True)
class Check:
    """One requirement: its name, whether it holds, what was found, and the fix."""

    name: str
    ok: bool
    found: str
    fix: str = ""

    def line(self) -> str:
        """``OK   name: found`` or ``FAIL name: found -> fix``."""
        text = f"{'OK  ' if self.ok else 'FAIL'} {self.name}: {self.found}"
        return text if self.ok else f"{text}\n       fix: {self.fix}"


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def check_python(version: Sequence[int] | None = None) -> Check:
    """Python 3.10 or newer (the course is tested on 3.11)."""
    version = tuple(version or sys.version_info[:3])
    ok = version >= (3, 10)
    return Check("Python", ok, ".".join(map(str, version)),
                 "install Python 3.11 and create the .venv with it (see README.md)")


def check_package(name: str, module: str, minimum: str, fix: str = "",
                  importer: Callable[[str], object] = importlib.import_module) -> Check:
    """``module`` imports and its ``__version__`` is at least ``minimum``."""
    fix = fix or f"{_INSTALL}; it installs {name}>={minimum}"
    try:
        mod = importer(module)
    except Exception as err:  # ImportError, or a broken install raising something else
        return Check(name, False, f"cannot import {module} ({type(err).__name__}: {err})", fix)
    version = str(getattr(mod, "__version__", "0"))
    ok = _version_tuple(version) >= _version_tuple(minimum)
    return Check(name, ok, version if ok else f"{version}, need >= {minimum}", fix)


def check_cifar10() -> Check:
    """A valid ``cifar10.npz`` in ``$COURSE_DATA_DIR`` or the cache (nothing is downloaded)."""
    fix = (f"set {data.DATA_DIR_ENV} to a directory holding {data.CIFAR10_FILE}, or connect to the "
           "internet once and run `python -m course_lib.data download`")
    path = data.find_cifar10()
    if path is None:
        return Check("CIFAR-10", False, f"no {data.CIFAR10_FILE} in ${data.DATA_DIR_ENV} or {data.cache_dir()}", fix)
    try:
        arrays = data.read_cifar10_file(path)
    except data.DataFileError as err:
        return Check("CIFAR-10", False, str(err), fix)
    return Check("CIFAR-10", True, f"{path} ({len(arrays['x_train'])} train, {len(arrays['x_test'])} test images)")


def run_checks() -> list[Check]:
    """Every requirement, in the order they are printed."""
    return [
        check_python(),
        check_package("TensorFlow", "tensorflow", "2.16"),
        check_package("Keras 3", "keras", "3.0",
                      "pip install 'keras>=3' (TensorFlow 2.16+ installs it; Keras 2 is not supported)"),
        check_package("NumPy", "numpy", "1.26"),
        check_package("Matplotlib", "matplotlib", "3.8"),
        check_package("JupyterLab", "jupyterlab", "4.0"),
        check_package("scikit-image", "skimage", "0.22"),
        check_package("scikit-learn", "sklearn", "1.3"),
        check_cifar10(),
    ]


def report(checks: Sequence[Check]) -> str:
    """All lines, then a one-line verdict."""
    failed = sum(not c.ok for c in checks)
    verdict = "All checks passed: you are ready." if not failed else f"{failed} check(s) failed: apply the fixes above."
    return "\n".join([c.line() for c in checks] + [verdict])


def main() -> int:
    """Print the report; return 0 if every check passed, else 1."""
    checks = run_checks()
    print(report(checks))
    return 0 if all(c.ok for c in checks) else 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
