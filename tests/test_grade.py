"""Grading handed-in exercises (tools/grade.py) on generated submissions of every kind."""

from __future__ import annotations

import copy
import csv
import hashlib
import os
from pathlib import Path

import nbformat
import pytest

from tools import grade

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

# Minutes of work in a few tests: the suite starts it first, so that both workers finish together (conftest.py).
pytestmark = pytest.mark.long_running
EXERCISE = "00_start_here_exercise.ipynb"


def _student_copy(answer_data: str, answer_range: str):
    """The handed-out exercise 00 with the student's answers filled in."""
    nb = nbformat.read(NOTEBOOKS / "exercises" / EXERCISE, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith("data = ..."):
            cell.source = cell.source.replace("data = ...", answer_data)
        if cell.cell_type == "code" and "lowest, highest = ..., ..." in cell.source:
            cell.source = cell.source.replace("lowest, highest = ..., ...", answer_range)
    return nb


def _with_cell(source: str, before: str = "check_cats_and_dogs"):
    nb = _student_copy('data = load_cifar10(classes=["cat", "dog"], train_per_class=5, n_test=4, seed=SEED)',
                       "lowest, highest = 0, 255")
    index = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and before in c.source
                 and "import" not in c.source)
    nb.cells.insert(index, nbformat.v4.new_code_cell(source))
    return nb


def _tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture
def submissions(tmp_path):
    root = tmp_path / "handed_in"
    right = nbformat.read(NOTEBOOKS / "solutions" / EXERCISE, as_version=4)
    wrong = _student_copy('data = load_cifar10(classes=["dog", "cat"], train_per_class=5, n_test=4, seed=SEED)',
                          "lowest, highest = 0, 256")
    untouched = nbformat.read(NOTEBOOKS / "exercises" / EXERCISE, as_version=4)
    anonymous = copy.deepcopy(right)
    anonymous.metadata.pop("course", None)
    notebooks = {
        "alice": (EXERCISE, right),
        "bob": (EXERCISE, wrong),
        "carol": (EXERCISE, untouched),
        # a bug in the cell that makes an answer: that check has nothing to check; the other one still runs
        "frank": (EXERCISE, _student_copy('data = load_cifar10(classes=["cat", "dog"], train_per_class=5, n_test=4, '
                                          'seed=SEED)', "lowest, highest = 0, int('two hundred')")),
        "grace": (EXERCISE, _with_cell("while True:\n    pass")),
        "heidi": ("my_work.ipynb", _with_cell("import sys\nsys.exit(1)")),
        "ivan": (EXERCISE, _with_cell("import os\nos._exit(1)")),
        "judy": ("homework.ipynb", anonymous),
    }
    for student, (name, nb) in notebooks.items():
        (root / student).mkdir(parents=True)
        if student == "heidi":  # renamed, but the metadata still says which exercise it is
            nb.metadata["course"] = {"generated_from": f"solutions/{EXERCISE}"}
        nbformat.write(nb, root / student / name)
    (root / "dave").mkdir()
    (root / "dave" / "answers.txt").write_text("I did it on paper.")
    (root / "erin").mkdir()
    (root / "erin" / EXERCISE).write_text('{"cells": [ {"cell_type": "code", ')  # broken JSON
    return root


def test_grading_every_kind_of_submission(submissions, tmp_path, monkeypatch, cifar_dir):
    monkeypatch.setenv("COURSE_DATA_DIR", cifar_dir)
    before = _tree_hash(submissions)
    lines = []
    out = tmp_path / "gradebook"
    graded = grade.grade(submissions, out, time_limit=300, cell_timeout=20, jobs=2, progress=lines.append)
    assert _tree_hash(submissions) == before  # no submission was changed, moved or deleted
    assert len(graded) == len(lines) == 10 and lines[-1].startswith("[10/10]")
    rows = list(csv.DictReader(open(out / "gradebook.csv")))
    table = {(r["student"], r["check"]): (r["verdict"], r["hint"]) for r in rows}
    assert table[("alice", "check_cats_and_dogs")][0] == table[("alice", "check_pixel_range")][0] == "correct"
    assert table[("bob", "check_cats_and_dogs")][0] == "not yet" and "256" in table[("bob", "check_pixel_range")][1]
    assert "placeholder" in table[("carol", "check_pixel_range")][1]
    assert table[("frank", "check_cats_and_dogs")][0] == "correct"
    assert table[("frank", "check_pixel_range")][0] == "missing"
    assert "raised an error first" in table[("frank", "check_pixel_range")][1]
    frank = (out / "feedback" / "frank" / "00_start_here_exercise.html").read_text()
    assert "ValueError" in frank and "two hundred" in frank  # the student sees which error stopped the answer
    assert "20 seconds" in table[("grace", "check_cats_and_dogs")][1]
    assert table[("heidi", "check_pixel_range")][0] == "correct"  # sys.exit in a cell stops that cell only
    assert "kernel" in table[("ivan", "check_cats_and_dogs")][1]
    assert table[("dave", "")] == ("not graded", "not a notebook file (.txt); hand in the .ipynb file")
    assert "broken JSON" in table[("erin", "")][1]
    assert "not one of the course's exercises" in table[("judy", "")][1]
    page = (out / "feedback" / "bob" / "00_start_here_exercise.html").read_text()
    assert "✗" in page and "check_pixel_range" in page and "256" in page
    assert (out / "index.html").read_text().count("<li>") == 10


def test_grading_refuses_an_output_folder_inside_the_submissions(submissions):
    with pytest.raises(ValueError, match="out"):
        grade.grade(submissions, submissions / "gradebook")
    with pytest.raises(NotADirectoryError, match="submissions"):
        grade.grade(submissions / "alice" / EXERCISE, submissions.parent / "out")
    with pytest.raises(ValueError, match="jobs"):
        grade.grade(submissions, submissions.parent / "out", jobs=0)


def test_expected_checks_come_from_the_solution_in_order():
    assert grade.expected_checks(EXERCISE) == ["check_cats_and_dogs", "check_pixel_range"]
    assert grade.expected_checks("06_build_your_own_generator_exercise.ipynb").count("check_batch_transform") == 2
    assert grade.expected_checks("no_such_exercise.ipynb") == []
