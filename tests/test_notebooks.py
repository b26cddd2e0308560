"""Notebook hygiene: stripping, exercise generation, and the state of the committed notebooks."""

from __future__ import annotations

import re

import nbformat
import pytest

from tools import notebooks as nbtools

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
    assert ex.cells[0].source == "Question" and "../solutions/01_x_exercise.ipynb" in ex.cells[1].source
    assert "aintainer" not in ex.cells[1].source  # students see no maintainer instructions
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


def test_measure_refuses_to_write_executed_copies_among_the_notebooks(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(nbtools, "NOTEBOOKS", tmp_path)
    for inside in (tmp_path, tmp_path / "executed"):
        with pytest.raises(SystemExit):
            nbtools.main(["measure", "--executed-to", str(inside), str(tmp_path / "n.ipynb")])
        assert "inside" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [], "nothing was written"


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
    assert nbtools.strip_outputs(nb) == nb, f"run: python tools/notebooks.py strip {path}"
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.outputs:
            assert nbtools.is_checked(cell) and cell.metadata.get("keep_output")


@pytest.mark.parametrize("path", LESSONS + SOLUTIONS, ids=lambda p: p.name)
def test_notebook_names_and_first_cells(path):
    assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name)
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert first_code.get("id") == nbtools.SETUP_ID and first_code.source == nbtools.render_setup()
    assert "import course_lib" in first_code.source, "course_lib must be imported before TensorFlow"
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_generated_exercises_are_up_to_date():
    stale = nbtools.sync_exercises(ROOT, check=True)
    assert stale == [], "run: python tools/notebooks.py exercises"


def test_no_solution_code_leaks_into_exercises():
    for path in sorted((ROOT / "exercises").glob("*.ipynb")):
        text = path.read_text()
        assert "BEGIN SOLUTION" not in text and '"solution"' not in text


# ----------------------------------------------------------------- export (#@save) and facts

def _lesson(*cells, facts=None):
    nb = _nb(*cells)
    nb.metadata["course"] = facts or {"title": "A lesson", "topic": "t", "summary": "do a thing",
                                      "objectives": ["do a thing;"], "teach_minutes": 5}
    return nb


def test_export_copies_saved_cells_in_order_with_their_section(tmp_path):
    nb = _lesson(nbformat.v4.new_markdown_cell("# 07 · A lesson\n\n## 1. Counting"),
                 _code("#@save\ndef steps(n, batch):\n    return -(-n // batch)"),
                 _code("steps(10, 3)  # not saved"),
                 nbformat.v4.new_markdown_cell("## 2. More"),
                 _code("#@save\nimport math\n\nTWO = math.sqrt(4)"))
    nbformat.write(nb, tmp_path / "07_count_things.ipynb")
    nbformat.write(_lesson(_code("x = 1")), tmp_path / "08_nothing_saved.ipynb")
    package = tmp_path / "pkg"
    assert nbtools.export_lessons(tmp_path, package, check=True) == [package / "l07_count_things.py"]
    assert not package.exists()
    assert nbtools.export_lessons(tmp_path, package) == [package / "l07_count_things.py"]
    text = (package / "l07_count_things.py").read_text()
    assert text.startswith("# GENERATED by tools/notebooks.py export from")
    assert "edit the notebook, not this file" in text
    assert text.index('section "1. Counting"') < text.index("def steps") < text.index('section "2. More"')
    assert "not saved" not in text and "\n#@save" not in text
    namespace = {}
    exec(compile(text, "l07", "exec"), namespace)
    assert namespace["steps"](10, 3) == 4 and namespace["TWO"] == 2.0
    assert nbtools.export_lessons(tmp_path, package, check=True) == []  # deterministic: nothing to do again


def test_export_check_fails_after_a_saved_cell_is_edited_and_removes_orphans(tmp_path):
    path = tmp_path / "07_count_things.ipynb"
    nb = _lesson(_code("#@save\nLIMIT = 3"))
    nbformat.write(nb, path)
    package = tmp_path / "pkg"
    nbtools.export_lessons(tmp_path, package)
    nb.cells[0].source = "#@save\nLIMIT = 4"
    nbformat.write(nb, path)
    assert nbtools.export_lessons(tmp_path, package, check=True) == [package / "l07_count_things.py"]
    handwritten = package / "l09_mine.py"
    handwritten.write_text("x = 1\n")  # not generated: never touched
    path.unlink()
    assert nbtools.export_lessons(tmp_path, package) == [package / "l07_count_things.py"]
    assert not (package / "l07_count_things.py").exists() and handwritten.exists()


def test_the_committed_generated_modules_are_up_to_date():
    """The drift test: every lesson module under course_lib/lessons is what the notebooks' #@save cells give."""
    assert nbtools.export_lessons(check=True) == [], "run: python tools/notebooks.py export"


def test_facts_render_header_links_setup_map_readme_and_docstring(tmp_path):
    root = tmp_path / "notebooks"
    (root / "solutions").mkdir(parents=True)
    facts = {"title": "Counting things", "topic": "Counting", "summary": "count images", "teach_minutes": 12,
             "objectives": ["count;", "count again."], "run_minutes": 1.25, "run_measured": {"date": "2026-12-01"}}
    old = nbformat.v4.new_markdown_cell("old title")
    old.id = nbtools.HEADER_ID
    nbformat.write(_lesson(old, _code("x = 1"), facts=facts), root / "01_counting.ipynb")
    start = _lesson(nbformat.v4.new_markdown_cell("# 00"), nbformat.v4.new_markdown_cell("map"), _code("y = 2"))
    start.cells[1].id = nbtools.MAP_ID
    nbformat.write(start, root / "00_start_here.ipynb")
    nbformat.write(_nb(nbformat.v4.new_markdown_cell("# Exercise"), _code("z = 3")),
                   root / "solutions" / "01_counting_exercise.ipynb")
    readme, init = tmp_path / "README.md", tmp_path / "init.py"
    readme.write_text(f"intro\n{nbtools.README_BEGIN}\nold\n{nbtools.README_END}\nrest\n")
    init.write_text(f'"""Doc.\n\n{nbtools.DOC_BEGIN}\n{nbtools.DOC_END}\n"""\n')
    changed = nbtools.sync_facts(root, readme=readme, package_init=init)
    assert set(changed) >= {root / "01_counting.ipynb", root / "00_start_here.ipynb", readme, init}
    assert nbtools.sync_facts(root, check=True, readme=readme, package_init=init) == []
    lesson = nbformat.read(root / "01_counting.ipynb", as_version=4)
    header, links, setup = lesson.cells[0], lesson.cells[1], lesson.cells[2]
    assert header.id == nbtools.HEADER_ID and header.source.startswith("# 01 · Counting things")
    assert "about 12 minutes" in header.source and "1.2 minutes" in header.source and "* count again." in header.source
    assert links.id == nbtools.LINKS_ID and "colab.research.google.com/github/" in links.source
    assert "notebooks/01_counting.ipynb" in links.source
    assert setup.id == nbtools.SETUP_ID and nbtools.INSTALL_ENV in setup.source and lesson.cells[3].source == "x = 1"
    assert "| 01 | [`01_counting.ipynb`](notebooks/01_counting.ipynb) | Counting | count images | 1.2 |" \
        in readme.read_text()
    assert readme.read_text().endswith("rest\n") and "old" not in readme.read_text()
    assert "``01_counting.ipynb`` - Counting things" in init.read_text()
    solution = nbformat.read(root / "solutions" / "01_counting_exercise.ipynb", as_version=4)
    assert solution.cells[1].id == nbtools.LINKS_ID and solution.cells[2].id == nbtools.SETUP_ID
    facts["objectives"] = ["something else."]
    lesson.metadata["course"] = facts
    nbformat.write(lesson, root / "01_counting.ipynb")
    assert root / "01_counting.ipynb" in nbtools.sync_facts(root, check=True, readme=readme, package_init=init)


def test_facts_are_checked(tmp_path):
    bad = _lesson(_code("x = 1"), facts={"title": "T", "topic": "t", "summary": "", "objectives": ["o"],
                                         "teach_minutes": 5})
    with pytest.raises(ValueError, match="course.summary"):
        nbtools.lesson_facts(bad, "01_x.ipynb")
    with pytest.raises(ValueError, match="no 'course' facts"):
        nbtools.lesson_facts(_nb(), "01_x.ipynb")


def test_the_committed_facts_render_everything_generated_from_them():
    """The drift test for headers, links, setup cells, the 00 course map, the README map and the docstring."""
    assert nbtools.sync_facts(check=True) == [], "run: python tools/notebooks.py facts"
    for path in LESSONS:
        facts = nbtools.lesson_facts(nbformat.read(path, as_version=4), path.name)
        assert facts["run_minutes"] is not None, f"run: python tools/notebooks.py measure {path}"


def test_the_guide_block_shows_facts_and_recorded_results():
    facts = {"title": "T", "topic": "Counting", "summary": "s", "objectives": ["count;"], "teach_minutes": 12,
             "prerequisites": ["01"], "run_minutes": 2.25, "run_measured": {"date": "2026-12-01"}}
    expected = {"seeds": [0, 1], "date": "2026-12-01", "where": "a 2-core laptop",
                "results": {"gain at 250 (points)": [7.7, 3.5], "accuracy (%)": [45.0, 46.5]},
                "signed": {"gain at 250 (points)": True}}
    block = nbtools.render_guide_block("07", facts, expected)
    assert "About 12 minutes in class; the notebook runs in 2.2 minutes" in block
    assert "Prerequisites: lesson 01." in block and "* count;" in block
    assert "| gain at 250 (points) | +7.7 | +3.5 | 3.5 to 7.7 |" in block
    assert "| accuracy (%) | 45.0 | 46.5 | 45.0 to 46.5 |" in block
    assert "Counting" in nbtools.render_guide_block("07", facts, None)
