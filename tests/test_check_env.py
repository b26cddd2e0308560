"""The environment check: requirements from the course's metadata, OK/FAIL lines, fixes, exit status,
and nothing but its own lines on a terminal."""

from __future__ import annotations

import importlib.metadata as metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from course_lib import check_env
from helpers import fake_cifar_arrays, write_npz

ROOT = Path(__file__).resolve().parent.parent


def test_python_version_rule():
    assert check_env.check_python((3, 11, 7)).ok
    assert check_env.check_python((3, 11, 7), ">=3.12").line().startswith("FAIL Python: 3.11.7, need >=3.12")
    old = check_env.check_python((3, 8, 0))
    assert not old.ok and "3.8.0" in old.line() and "fix:" in old.line()


def test_requirements_are_pyproject_dependencies():
    """The list is the installed metadata, which is pyproject.toml's: no hand-kept copy to drift."""
    python, needed = check_env.requirements()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert python == project["requires-python"]
    assert [str(r) for r in needed] == project["dependencies"], (
        "the installed metadata is older than pyproject.toml: run pip install -e \".[dev]\" again")
    assert all(r.marker is None for r in needed)  # the dev extras are left out


def test_the_checks_follow_the_metadata_not_a_list_in_the_code(monkeypatch):
    monkeypatch.setattr(check_env.metadata, "requires",
                        lambda dist: ["numpy>=1.0", "no-such-dist-xyz>=2", 'pytest>=8.0; extra == "dev"'])
    checks = check_env.run_checks()
    assert [c.name for c in checks] == ["Python", "numpy", "no-such-dist-xyz", "CIFAR-10"]
    assert checks[1].ok and not checks[2].ok


def test_package_found_missing_too_old_and_broken():
    assert check_env.check_package("numpy>=1.0").ok
    missing = check_env.check_package("no-such-dist-xyz>=1.0")
    assert not missing.ok and missing.found == "not installed"
    assert 'pip install -e ".[dev]"' in missing.fix and "no-such-dist-xyz>=1.0" in missing.fix
    old = check_env.check_package("tensorflow>=2.16", version_of=lambda name: "2.15.1")
    assert not old.ok and old.found == "2.15.1, need >=2.16"
    # version comparison is packaging's: 3.15.1rc1 satisfies >=3.0, 2.9 does not satisfy >=2.16
    assert check_env.check_package("keras>=3.0", version_of=lambda name: "3.15.1rc1", importer=lambda m: m).ok
    assert not check_env.check_package("keras>=2.16", version_of=lambda name: "2.9", importer=lambda m: m).ok

    def broken(module):
        raise OSError("libfoo.so: cannot open shared object file\nmore detail")

    bad = check_env.check_package("numpy>=1.0", importer=broken)
    assert not bad.ok and "`import numpy` fails (OSError: libfoo.so: cannot open shared object file)" in bad.found


@pytest.mark.parametrize("dist, module", [("scikit-learn", "sklearn"), ("scikit-image", "skimage"),
                                          ("pillow", "PIL"), ("numpy", "numpy"), ("jupyterlab", "jupyterlab")])
def test_import_names(dist, module):
    seen = []
    assert check_env.check_package(f"{dist}>=0", importer=seen.append).ok
    assert seen == [module]


def test_cifar_check_prints_no_machine_path(tmp_path, monkeypatch):
    first = check_env.check_cifar10()
    assert not first.ok and "COURSE_DATA_DIR" in first.fix and "no cifar10.npz in the cache" in first.found
    write_npz(tmp_path / "d" / "cifar10.npz", fake_cifar_arrays())
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "d"))
    good = check_env.check_cifar10()
    assert good.ok and good.found == "$COURSE_DATA_DIR/cifar10.npz (120 train, 40 test images)"
    (tmp_path / "d" / "cifar10.npz").write_bytes(b"not a zip")
    bad = check_env.check_cifar10()
    assert not bad.ok and bad.found.startswith("$COURSE_DATA_DIR/cifar10.npz is not usable: ")
    assert str(tmp_path) not in bad.found


def test_paths_are_shown_relative_to_home(monkeypatch, tmp_path):
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path))
    assert check_env._shown(tmp_path / ".cache" / "x.npz") == "~/.cache/x.npz"
    assert check_env._shown(Path("/elsewhere/x.npz")) == "/elsewhere/x.npz"


def test_report_and_exit_status(monkeypatch, capsys):
    fake = [check_env.Check("A", True, "1.0"), check_env.Check("B", False, "missing", "install B")]
    monkeypatch.setattr(check_env, "run_checks", lambda: fake)
    assert check_env.main() == 1
    out = capsys.readouterr().out.splitlines()
    assert out == ["OK   A: 1.0", "FAIL B: missing", "       fix: install B", "1 check(s) failed: apply the fixes above."]
    monkeypatch.setattr(check_env, "run_checks", lambda: fake[:1])
    assert check_env.main() == 0
    assert "ready" in capsys.readouterr().out


def test_real_checks_cover_every_requirement():
    _, needed = check_env.requirements()
    names = [c.name for c in check_env.run_checks()]
    assert names == ["Python", *(r.name for r in needed), "CIFAR-10"]
    assert "tensorflow" in names and "keras" in names


def test_a_course_that_is_not_installed_is_one_fail_line(monkeypatch):
    def not_installed(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(check_env.metadata, "metadata", not_installed)
    checks = check_env.run_checks()
    assert [c.name for c in checks] == ["Python", "augmentation-course", "CIFAR-10"]
    assert not checks[1].ok and "pip install" in checks[1].fix


_OWN_LINE = re.compile(r"(OK  |FAIL) [^:]+: .+|       fix: .+|All checks passed: you are ready\.|"
                       r"\d+ check\(s\) failed: apply the fixes above\.")


def test_command_line_prints_only_its_own_lines(tmp_path):
    """In a terminal, TensorFlow's start-up lines (absl, cuda drivers) must not appear, on either stream."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "c")}
    run = subprocess.run([sys.executable, "-m", "course_lib.check_env"], capture_output=True, text=True,
                         env=env, timeout=300)
    assert run.returncode == 1  # no CIFAR-10 in this empty home
    assert run.stderr == ""
    lines = run.stdout.splitlines()
    assert lines and all(_OWN_LINE.fullmatch(line) for line in lines), lines
    assert re.search(r"^OK   tensorflow: \d", run.stdout, re.M) and "FAIL CIFAR-10" in run.stdout
    assert str(tmp_path) not in run.stdout
