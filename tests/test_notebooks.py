"""Notebook hygiene: stripping, exercise generation, and the state of the committed notebooks."""

from __future__ import annotations

import re

import nbformat
import pytest

from course_lib import notebooks as nbtools

ROOT = nbtools.NOTEBOOKS


def _nb(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


def _code(src, outputs=(), tags=()):
    cell = nbformat.v4.new_code_cell(src)
    cell.outputs = [nbformat.v4.new_output("stream", text=o) for o in outputs]
    cell.execution_count = 3 if outputs else None
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def test_strip_keeps_only_checked_outputs():
    nb = _nb(_code("print(1)", ["1\n"]), _code("# NBVAL_CHECK_OUTPUT\nprint(2)", ["2\n"]))
    nb.metadata["widgets"] = {"x": 1}
    out = nbtools.strip_outputs(nb)
    assert out.cells[0].outputs == [] and out.cells[0].execution_count is None
    assert out.cells[1].outputs[0]["text"] == "2\n" and out.cells[1].metadata["keep_output"] is True
    assert out.cells[1].execution_count == 3
    assert "widgets" not in out.metadata
    assert nb.cells[0].outputs  # the input is not modified


def test_exercise_cuts_solution_keeps_stub_and_drops_tagged_cells():
    source = "\n".join([
        "x = 1",
        "if x:",
        "    # BEGIN SOLUTION",
        "    # STUB: answer = ...",
        "    answer = 'overfitting'",
        "    # END SOLUTION",
        "# BEGIN SOLUTION",
        "secret = 2",
        "# END SOLUTION",
        "check(answer)",
    ])
    nb = _nb(nbformat.v4.new_markdown_cell("Question"), _code(source, ["out\n"]),
             nbformat.v4.new_markdown_cell("The answer is...", metadata={"tags": ["solution"]}))
    ex = nbtools.make_exercise(nb, "01_x_exercise.ipynb")
    assert [c.cell_type for c in ex.cells] == ["markdown", "markdown", "code"]
    assert "../solutions/01_x_exercise.ipynb" in ex.cells[0].source
    assert ex.cells[2].source.splitlines() == [
        "x = 1", "if x:", "    answer = ...", "# Write your code here.", "check(answer)"]
    assert ex.cells[2].outputs == [] and ex.cells[2].execution_count is None
    assert ex.metadata["course"]["generated_from"] == "solutions/01_x_exercise.ipynb"


@pytest.mark.parametrize(
    "source, match",
    [
        ("# BEGIN SOLUTION\nx = 1", "has no"),
        ("x = 1\n# END SOLUTION", "never opened"),
        ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION", "inside another"),
    ],
)
def test_unbalanced_markers_are_reported_with_their_place(source, match):
    with pytest.raises(ValueError, match=f"bad.ipynb cell 0.*{match}"):
        nbtools.make_exercise(_nb(_code(source)), "bad.ipynb")


def test_sync_writes_then_reports_up_to_date(tmp_path):
    (tmp_path / "solutions").mkdir()
    nbformat.write(_nb(_code("# BEGIN SOLUTION\ny = 2\n# END SOLUTION")), tmp_path / "solutions" / "a.ipynb")
    assert nbtools.sync_exercises(tmp_path, check=True) == [tmp_path / "exercises" / "a.ipynb"]
    assert not (tmp_path / "exercises").exists()
    assert nbtools.sync_exercises(tmp_path) == [tmp_path / "exercises" / "a.ipynb"]
    assert nbtools.sync_exercises(tmp_path, check=True) == []
    orphan = tmp_path / "exercises" / "old.ipynb"
    nbformat.write(_nb(), orphan)
    assert nbtools.sync_exercises(tmp_path, check=True) == [orphan]


def test_command_line(tmp_path, monkeypatch, capsys):
    path = tmp_path / "n.ipynb"
    nbformat.write(_nb(_code("print(1)", ["1\n"])), path)
    assert nbtools.main(["strip", "--check", str(path)]) == 1
    assert "out of date" in capsys.readouterr().out
    assert nbtools.main(["strip", str(path)]) == 0
    assert nbtools.main(["strip", "--check", str(path)]) == 0
    monkeypatch.setattr(nbtools, "NOTEBOOKS", tmp_path)
    monkeypatch.setattr(nbtools.sync_exercises, "__defaults__", (tmp_path, False))
    (tmp_path / "solutions").mkdir()
    assert nbtools.main(["exercises", "--check"]) == 0


# ----------------------------------------------------------------- the committed notebooks

ALL = nbtools.notebooks_under(ROOT)
LESSONS = sorted(ROOT.glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))


def test_there_are_lessons_and_exercises():
    assert ROOT / "00_start_here.ipynb" in LESSONS
    assert SOLUTIONS, "every lesson series has at least one exercise"


@pytest.mark.parametrize("path", ALL, ids=lambda p: str(p.relative_to(ROOT)))
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    assert nbtools.strip_outputs(nb) == nb, f"run: python -m course_lib.notebooks strip {path}"
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.outputs:
            assert nbtools.is_checked(cell) and cell.metadata.get("keep_output")


@pytest.mark.parametrize("path", LESSONS + SOLUTIONS, ids=lambda p: p.name)
def test_notebook_names_and_first_cells(path):
    assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name)
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert "import course_lib" in first_code.source, "course_lib must be imported before TensorFlow"
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_generated_exercises_are_up_to_date():
    stale = nbtools.sync_exercises(ROOT, check=True)
    assert stale == [], "run: python -m course_lib.notebooks exercises"


def test_no_solution_code_leaks_into_exercises():
    for path in sorted((ROOT / "exercises").glob("*.ipynb")):
        text = path.read_text()
        assert "BEGIN SOLUTION" not in text and '"solution"' not in text
