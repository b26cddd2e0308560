"""Check that this machine is ready for the course: ``python -m course_lib.check_env``.

Prints one line per requirement, OK or FAIL, with the fix for each FAIL, then a
one-line verdict, and exits with status 1 if anything failed. Nothing else is
printed: TensorFlow is imported through
:func:`course_lib.reproducibility.import_tensorflow`, which keeps its start-up
lines off the terminal.

The requirements are not a hand-kept list: they are the installed course's own
metadata (``importlib.metadata``), i.e. ``requires-python`` and the
``dependencies`` of ``pyproject.toml``, and every version is compared with
its specifier by :mod:`packaging.specifiers`.
"""

from __future__ import annotations

import importlib
import importlib.metadata as metadata
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from . import data

#: The distribution name of the course (``[project] name`` in pyproject.toml).
DISTRIBUTION = "augmentation-course"
_INSTALL = 'pip install -e ".[dev]"  (from the course folder, inside its .venv)'
#: Distributions whose import name differs from their name, where the metadata does not say.
_IMPORT_NAMES = {"pillow": "PIL", "scikit-image": "skimage", "scikit-learn": "sklearn"}


@dataclass(frozen=True)
class Check:
    """One requirement: its name, whether it holds, what was found, and the fix."""

    name: str
    ok: bool
    found: str
    fix: str = ""

    def line(self) -> str:
        """``OK   name: found`` or ``FAIL name: found`` and a ``fix:`` line below it."""
        text = f"{'OK  ' if self.ok else 'FAIL'} {self.name}: {self.found}"
        return text if self.ok else f"{text}\n       fix: {self.fix}"


def _meets(version: str, specifier: str) -> bool:
    """True if ``version`` satisfies ``specifier`` (e.g. ``">=2.16"``); pre-releases count."""
    try:
        return SpecifierSet(specifier).contains(Version(version), prereleases=True)
    except (InvalidSpecifier, InvalidVersion):
        return False


def requirements(distribution: str = DISTRIBUTION) -> tuple[str, list[Requirement]]:
    """``requires-python`` and the runtime dependencies of the installed ``distribution``.

    Read from the installed metadata (what pyproject.toml declared when the
    course was installed). Optional extras (``dev``) are left out. Raises
    ``importlib.metadata.PackageNotFoundError`` when the course is not installed.
    """
    python = metadata.metadata(distribution).get("Requires-Python") or ""
    needed = []
    for text in metadata.requires(distribution) or []:
        try:
            requirement = Requirement(text)
        except InvalidRequirement:  # pragma: no cover - pip would not have installed it
            continue
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            needed.append(requirement)
    return python, needed


def check_python(version: Sequence[int] | None = None, specifier: str = ">=3.10") -> Check:
    """The running Python satisfies ``specifier`` (the course's ``requires-python``)."""
    found = ".".join(map(str, tuple(version or sys.version_info[:3])))
    ok = _meets(found, specifier)
    return Check("Python", ok, found if ok else f"{found}, need {specifier}",
                 f"install a Python that is {specifier} (the course is tested on 3.11) and create the .venv "
                 "with it (see README.md)")


def _import_name(distribution: str) -> str:
    """The module a distribution installs (``scikit-learn`` -> ``sklearn``)."""
    key = distribution.lower().replace("_", "-")
    if key in _IMPORT_NAMES:
        return _IMPORT_NAMES[key]
    try:
        top = (metadata.distribution(distribution).read_text("top_level.txt") or "").split()
    except metadata.PackageNotFoundError:
        top = []
    return top[0] if len(top) == 1 else key.replace("-", "_")


def _import(module: str) -> object:
    """Import ``module``; TensorFlow and Keras quietly (their start-up lines would mix with ours)."""
    if module in ("tensorflow", "keras"):
        from .reproducibility import import_tensorflow

        tf = import_tensorflow()
        return tf if module == "tensorflow" else sys.modules["keras"]
    return importlib.import_module(module)


def check_package(requirement: Requirement | str, *,
                  version_of: Callable[[str], str] = metadata.version,
                  importer: Callable[[str], object] = _import) -> Check:
    """One dependency: installed, at a version its specifier allows, and importable.

    ``requirement`` is a line like ``"tensorflow>=2.16"`` (or a parsed
    ``packaging.requirements.Requirement``). ``version_of`` and ``importer``
    default to ``importlib.metadata.version`` and a quiet import; tests pass others.
    """
    if isinstance(requirement, str):
        requirement = Requirement(requirement)
    name, specifier = requirement.name, str(requirement.specifier)
    fix = f"{_INSTALL}; it installs {name}{specifier}"
    try:
        version = version_of(name)
    except metadata.PackageNotFoundError:
        return Check(name, False, "not installed", fix)
    if specifier and not _meets(version, specifier):
        return Check(name, False, f"{version}, need {specifier}", fix)
    module = _import_name(name)
    try:
        importer(module)
    except Exception as err:  # ImportError, or a broken install raising something else
        return Check(name, False, f"{version} is installed but `import {module}` fails "
                                  f"({type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''})", fix)
    return Check(name, True, version)


def _shown(path: Path) -> str:
    """A path as a student may see it printed: inside $COURSE_DATA_DIR or the home folder, no machine path."""
    folder = os.environ.get(data.DATA_DIR_ENV)
    if folder:
        try:
            return f"${data.DATA_DIR_ENV}/{Path(path).relative_to(Path(folder).expanduser()).as_posix()}"
        except ValueError:
            pass
    try:
        return f"~/{Path(path).relative_to(Path.home()).as_posix()}"
    except ValueError:
        return str(path)


def check_cifar10() -> Check:
    """A valid ``cifar10.npz`` in ``$COURSE_DATA_DIR`` or the cache (nothing is downloaded)."""
    fix = (f"set {data.DATA_DIR_ENV} to a directory holding {data.CIFAR10_FILE}, or connect to the "
           "internet once and run `python -m course_lib.data download`")
    path = data.find_cifar10()
    where = f"${data.DATA_DIR_ENV}" if os.environ.get(data.DATA_DIR_ENV) else f"the cache {_shown(data.cache_dir())}"
    if path is None:
        return Check("CIFAR-10", False, f"no {data.CIFAR10_FILE} in {where}", fix)
    try:
        arrays = data.read_cifar10_file(path)
    except data.DataFileError as err:
        reason = str(err).splitlines()[0].replace(str(path), data.CIFAR10_FILE)
        return Check("CIFAR-10", False, f"{_shown(path)} is not usable: {reason}", fix)
    return Check("CIFAR-10", True, f"{_shown(path)} ({len(arrays['x_train'])} train, "
                                   f"{len(arrays['x_test'])} test images)")


def run_checks() -> list[Check]:
    """Every requirement, in the order they are printed: Python, each dependency, CIFAR-10."""
    try:
        python, needed = requirements()
    except metadata.PackageNotFoundError:
        return [check_python(),
                Check("augmentation-course", False, "the course is not installed as a package",
                      f"{_INSTALL}; it installs course_lib and its dependencies"),
                check_cifar10()]
    return [check_python(specifier=python or ">=3.10"), *(check_package(r) for r in needed), check_cifar10()]


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
