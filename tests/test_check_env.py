"""The environment check: OK/FAIL lines, fixes, and the exit status."""

from __future__ import annotations

import subprocess
import sys

import pytest

from course_lib import check_env
from helpers import fake_cifar_arrays, write_npz


def test_python_version_rule():
    assert check_env.check_python((3, 11, 7)).ok
    old = check_env.check_python((3, 8, 0))
    assert not old.ok and "3.8.0" in old.line() and "fix:" in old.line()


def test_package_found_missing_and_too_old():
    assert check_env.check_package("NumPy", "numpy", "1.0").ok
    missing = check_env.check_package("Nope", "no_such_module_xyz", "1.0")
    assert not missing.ok and "cannot import no_such_module_xyz" in missing.found
    assert 'pip install -e ".[dev]"' in missing.fix

    class Old:
        __version__ = "2.15.1"

    old = check_env.check_package("TensorFlow", "tensorflow", "2.16", importer=lambda name: Old)
    assert not old.ok and old.found == "2.15.1, need >= 2.16"
    assert check_env.check_package("x", "x", "3.0", importer=lambda name: type("M", (), {"__version__": "3.15.1rc1"})).ok


def test_cifar_check(tmp_path, monkeypatch):
    first = check_env.check_cifar10()
    assert not first.ok and "COURSE_DATA_DIR" in first.fix
    write_npz(tmp_path / "d" / "cifar10.npz", fake_cifar_arrays())
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "d"))
    good = check_env.check_cifar10()
    assert good.ok and "120 train, 40 test" in good.found
    (tmp_path / "d" / "cifar10.npz").write_bytes(b"not a zip")
    bad = check_env.check_cifar10()
    assert not bad.ok and "truncated or corrupt" in bad.found


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
    names = [c.name for c in check_env.run_checks()]
    assert names == ["Python", "TensorFlow", "Keras 3", "NumPy", "Matplotlib", "JupyterLab",
                     "scikit-image", "scikit-learn", "CIFAR-10"]


def test_command_line_exits_non_zero_without_data(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "c")}
    run = subprocess.run([sys.executable, "-m", "course_lib.check_env"], capture_output=True, text=True,
                         env=env, timeout=180)
    assert run.returncode == 1
    assert "OK   TensorFlow" in run.stdout and "FAIL CIFAR-10" in run.stdout
