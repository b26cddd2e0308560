"""Wherever the students are: a bare environment with only Jupyter runs lesson 00, the setup cell installing the
course, as it does on Colab; and papermill injects parameters into an experiment lesson."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent

# Minutes of work in a few tests: the suite starts it first, so that both workers finish together (conftest.py).
pytestmark = pytest.mark.long_running


def _colab_like(tmp_path: Path) -> Path:
    """A fresh virtual environment that sees what Colab preinstalls (TensorFlow, NumPy, matplotlib, Jupyter...) but
    not the course: every package of this environment except ``augmentation-course`` itself, through a folder of
    links that a ``.pth`` file puts on the bare environment's path. Returns the bare environment's python."""
    bare = tmp_path / "bare"
    venv.EnvBuilder(with_pip=False).create(bare)  # pip below: ensurepip's own would be replaced at once
    python = bare / ("Scripts" if os.name == "nt" else "bin") / "python"
    preinstalled = tmp_path / "preinstalled"
    preinstalled.mkdir()
    here = Path(sysconfig.get_paths()["purelib"])
    for entry in here.iterdir():
        if entry.name.startswith(("augmentation_course", "__editable__", "course_lib")) or entry.suffix == ".pth":
            continue
        (preinstalled / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    site_packages = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                   capture_output=True, text=True, check=True).stdout.strip()
    Path(site_packages, "colab_preinstalled.pth").write_text(f"{preinstalled}\n")
    # A current pip of its own, as on Colab: the pip a venv starts with (23.2, here seen through the links) rejects
    # git+file URLs.
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], capture_output=True, check=True)
    return python


def test_a_bare_jupyter_environment_runs_lesson_00_after_the_setup_cell_installs_the_course(tmp_path, cifar_dir):
    """Like a fresh Colab runtime: TensorFlow and Jupyter are there, course_lib is not. The setup cell installs the
    course from a git URL (here this repository's committed state, through ``COURSE_INSTALL_FROM``) and the lesson
    runs to the end."""
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip("not a git checkout: the setup cell installs from a git URL")
    python = _colab_like(tmp_path)
    pip_env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH"))}
    pip_env.update(PIP_CONSTRAINT=str(ROOT / "constraints.txt"), PIP_DISABLE_PIP_VERSION_CHECK="1")
    outside = tmp_path / "elsewhere"  # not the course folder, whose course_lib/ would be importable from the cwd
    outside.mkdir()
    probe = subprocess.run(  # found, not imported: importing TensorFlow only to see it is there takes seconds
        [python, "-c", "import importlib.util as u; print([n for n in ('tensorflow', 'keras', 'nbclient', "
         "'ipykernel', 'pip', 'course_lib') if u.find_spec(n) is None])"],
        capture_output=True, text=True, cwd=outside, env=pip_env, check=True)
    assert probe.stdout.strip() == "['course_lib']", (
        "the bare environment must have pip, Jupyter and TensorFlow but not course_lib before the setup cell "
        "runs; missing: " + probe.stdout + probe.stderr[-500:])

    work = tmp_path / "notebooks"
    work.mkdir()
    lesson = work / "00_start_here.ipynb"
    lesson.write_text((ROOT / "notebooks" / "00_start_here.ipynb").read_text())
    env = dict(pip_env)
    env.update(COURSE_INSTALL_FROM=f"augmentation-course @ git+file://{ROOT}@{head.stdout.strip()}",
               COURSE_DATA_DIR=cifar_dir, COURSE_RESULTS_DIR=str(tmp_path / "results"),
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
    assert subprocess.run([python, "-c", "import course_lib"], capture_output=True, cwd=outside).returncode == 0
    shown = "".join(o.get("text", "") for c in executed.cells if c.cell_type == "code" for o in c.outputs)
    assert "train:" in shown and "classes: airplane" in shown  # the lesson loaded and described CIFAR-10


def test_papermill_injects_parameters_into_an_experiment_lesson(tmp_path, cifar_dir):
    """Run lesson 07 at a tiny size by injecting its parameters with papermill, as an instructor would."""
    import papermill

    out = tmp_path / "07_tiny.ipynb"
    old = {k: os.environ.get(k) for k in ("COURSE_DATA_DIR", "COURSE_RESULTS_DIR", "COURSE_SCALE")}
    os.environ.update(COURSE_DATA_DIR=cifar_dir, COURSE_RESULTS_DIR=str(tmp_path / "results"), COURSE_SCALE="tiny")
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
