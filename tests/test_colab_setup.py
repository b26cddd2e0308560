"""Wherever the students are: a bare environment with only Jupyter runs lesson 00, the setup cell installing the
course, as it does on Colab; and papermill injects parameters into an experiment lesson."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"


def _data_dir() -> str:
    found = os.environ.get("COURSE_DATA_DIR") or (str(DATA) if (DATA / "cifar10.npz").is_file() else "")
    if not found:
        pytest.skip("lesson 00 loads CIFAR-10 and this machine has no copy (set COURSE_DATA_DIR)")
    return found


def test_a_bare_jupyter_environment_runs_lesson_00_after_the_setup_cell_installs_the_course(tmp_path):
    """Like a fresh Colab runtime: no course_lib, only Jupyter. The setup cell installs the course from a git URL
    (here this repository's committed state, through ``COURSE_INSTALL_FROM``) and the lesson runs to the end."""
    data_dir = _data_dir()
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip("not a git checkout: the setup cell installs from a git URL")
    bare = tmp_path / "bare"
    venv.EnvBuilder(with_pip=True).create(bare)
    python = bare / ("Scripts" if os.name == "nt" else "bin") / "python"
    pip_env = dict(os.environ, PIP_CONSTRAINT=str(ROOT / "constraints.txt"), PIP_DISABLE_PIP_VERSION_CHECK="1")
    subprocess.run([python, "-m", "pip", "install", "--quiet", "nbclient", "ipykernel"], check=True, env=pip_env)
    probe = subprocess.run([python, "-c", "import course_lib"], capture_output=True)
    assert probe.returncode != 0, "the bare environment must not have course_lib before the setup cell runs"

    work = tmp_path / "notebooks"
    work.mkdir()
    lesson = work / "00_start_here.ipynb"
    lesson.write_text((ROOT / "notebooks" / "00_start_here.ipynb").read_text())
    env = {k: v for k, v in pip_env.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH"))}
    env.update(COURSE_INSTALL_FROM=f"augmentation-course @ git+file://{ROOT}@{head.stdout.strip()}",
               COURSE_DATA_DIR=data_dir, COURSE_RESULTS_DIR=str(tmp_path / "results"),
               JUPYTER_DATA_DIR=str(tmp_path / "jupyter"), PATH=f"{python.parent}{os.pathsep}{env.get('PATH', '')}")
    run = subprocess.run(
        [python, "-c", "import sys, nbformat; from nbclient import NotebookClient; "
         "nb = nbformat.read(sys.argv[1], as_version=4); "
         "NotebookClient(nb, timeout=900, kernel_name='python3', resources={'metadata': {'path': sys.argv[2]}})"
         ".execute(); nbformat.write(nb, sys.argv[1])", lesson, work],
        env=env, cwd=work, capture_output=True, text=True, timeout=1800)
    assert run.returncode == 0, run.stderr[-3000:]
    executed = nbformat.read(lesson, as_version=4)
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    assert subprocess.run([python, "-c", "import course_lib"], capture_output=True).returncode == 0
    shown = "".join(o.get("text", "") for c in executed.cells if c.cell_type == "code" for o in c.outputs)
    assert "train:" in shown and "classes: airplane" in shown  # the lesson loaded and described CIFAR-10


def test_papermill_injects_parameters_into_an_experiment_lesson(tmp_path):
    """Run lesson 07 at a tiny size by injecting its parameters with papermill, as an instructor would."""
    import papermill

    data_dir = _data_dir()
    out = tmp_path / "07_tiny.ipynb"
    old = {k: os.environ.get(k) for k in ("COURSE_DATA_DIR", "COURSE_RESULTS_DIR", "COURSE_SCALE")}
    os.environ.update(COURSE_DATA_DIR=data_dir, COURSE_RESULTS_DIR=str(tmp_path / "results"), COURSE_SCALE="tiny")
    try:
        papermill.execute_notebook(str(ROOT / "notebooks" / "07_augmentation_vs_more_data.ipynb"), str(out),
                                   parameters={"SIZES": [30, 60], "STEPS": 3, "N_TEST": 50},
                                   cwd=str(ROOT / "notebooks"), progress_bar=False, kernel_name="python3")
    finally:
        for key, value in old.items():
            os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
    executed = nbformat.read(out, as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "STEPS = 3" in injected[0].source
    saved = json.loads((tmp_path / "results" / "07_augmentation_vs_more_data.json").read_text())
    assert saved["sizes"] == [30, 60] and saved["steps"] == 3 and saved["n_test"] == 50
    assert saved["scale"] == "tiny" and len(saved["runs"]) == 4
