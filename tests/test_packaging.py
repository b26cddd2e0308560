"""The project's promises to a new user: dependencies, CI command, ignored files."""

from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_names_the_same_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_names = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_names = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert conda_names == pip_names
    assert "conda-forge" in env["channels"] and "python=3.11" in env["dependencies"]


def test_runtime_lower_bounds_admit_tensorflow_2_21_and_keras_3_15():
    from packaging.requirements import Requirement

    deps = {Requirement(d).name: Requirement(d).specifier
            for d in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]}
    assert deps["tensorflow"].contains("2.21.0") and deps["keras"].contains("3.15.1")
    assert not deps["keras"].contains("2.15.0")  # the course needs Keras 3


def _constraints() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"constraints.txt pins exact versions only: {line!r}"
            pins[_name(name)] = version
    return pins


def test_every_dependency_is_pinned_in_the_lock_and_satisfies_its_range():
    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = _constraints()
    for text in project["dependencies"] + project["optional-dependencies"]["dev"]:
        requirement = Requirement(text)
        name = _name(requirement.name)
        assert name in pins, f"{name} is a dependency but constraints.txt does not pin it"
        assert requirement.specifier.contains(pins[name], prereleases=True), \
            f"constraints.txt pins {name}=={pins[name]}, outside pyproject's {requirement.specifier}"


def test_both_readme_commands_install_through_the_lock_and_binder_builds_the_same():
    commands = [c for c in _readme_commands() if c.startswith("python3 -m venv .venv ")]
    assert len(commands) == 2 and all("-c constraints.txt" in c for c in commands)
    installs = [c.split(" && ")[1].replace('".[dev]"', ".") for c in commands]
    assert installs[0] == installs[1]  # the same pip options: only the extras differ
    binder = (ROOT / "binder" / "requirements.txt").read_text().split()
    assert binder[binder.index("-c") + 1] == "../constraints.txt" and "-e" in binder and "." in binder
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```bash\n(.*?)\n```", text, flags=re.S)


def test_ci_runs_the_readme_test_command_exactly():
    commands = _readme_commands()
    test_command = next(c for c in commands if "pytest" in c and "venv" in c)
    ci = (ROOT / ".ci" / "run").read_text()
    assert test_command in ci.splitlines()


def test_readme_open_command_serves_the_notebooks_and_opens_the_first(tmp_path):
    """Start JupyterLab with command 1's arguments, headless, and ask its REST API what it serves."""
    command = next(c for c in _readme_commands() if "jupyter lab" in c and "venv" in c)
    lab_args = shlex.split(command.split("jupyter lab", 1)[1])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path), JUPYTER_CONFIG_DIR=str(tmp_path / "cfg"))
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", *lab_args, "--no-browser", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=course-test"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": "token course-test"}
    try:
        listing = None
        for _ in range(120):
            try:
                request = urllib.request.Request(f"{base}/api/contents", headers=headers)
                with urllib.request.urlopen(request, timeout=2) as response:
                    listing = json.load(response)
                break
            except OSError:
                time.sleep(0.5)
        assert listing is not None, "JupyterLab did not answer within 60 s"
        names = {item["name"] for item in listing["content"]}
        assert {"course_lib", "notebooks", "README.md"} <= names  # rooted at the course folder
        request = urllib.request.Request(f"{base}/api/contents/notebooks", headers=headers)
        with urllib.request.urlopen(request, timeout=5) as response:
            inside = {item["name"] for item in json.load(response)["content"]}
        assert {"00_start_here.ipynb", "exercises", "solutions"} <= inside
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            opener.open(urllib.request.Request(f"{base}/", headers=headers), timeout=5)
            location = None
        except urllib.error.HTTPError as redirect:
            location = redirect.headers["Location"]
        assert location is not None and location.rstrip("?").endswith("/lab/tree/notebooks/00_start_here.ipynb")
    finally:
        server.terminate()
        server.wait(timeout=30)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_results_and_caches_are_ignored():
    for path in ("results/x.json", ".venv/bin/python", ".cache/x", "notebooks/generated_data/a.png"):
        assert subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT).returncode == 0, path


def test_no_cifar_data_is_tracked():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert not [t for t in tracked if t.endswith((".npz", ".npy", ".tar.gz"))]
