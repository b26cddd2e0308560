"""Notebook hygiene: strip outputs, record checked outputs, generate exercises.

The solution notebook (``notebooks/solutions/*.ipynb``) is the single source
of each exercise. The student notebook (``notebooks/exercises/*.ipynb``) is
generated from it, so the two never drift:

* in a code cell, the lines between ``# BEGIN SOLUTION`` and
  ``# END SOLUTION`` are cut; lines inside that start with ``# STUB: ``
  are kept, without that prefix, as the student's starting point (otherwise a
  ``# Write your code here.`` line is left);
* a cell tagged ``solution`` (e.g. a markdown answer) is dropped;
* every output is removed.

Commands::

    python -m course_lib.notebooks exercises          # regenerate student notebooks
    python -m course_lib.notebooks exercises --check  # exit 1 if any is out of date
    python -m course_lib.notebooks strip [--check]    # remove outputs (checked cells excepted)
    python -m course_lib.notebooks record NOTEBOOK    # run it and store the checked cells' outputs
"""

from __future__ import annotations

import argparse
import copy
from collections.abc import Sequence
from pathlib import Path

import nbformat

BEGIN, END, STUB = "# BEGIN SOLUTION", "# END SOLUTION", "# STUB: "
#: A code cell holding this marker keeps its output; nbval compares it.
CHECK_MARKER = "# NBVAL_CHECK_OUTPUT"
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def is_checked(cell) -> bool:
    """True for a code cell whose output nbval compares (``# NBVAL_CHECK_OUTPUT``)."""
    return cell.get("cell_type") == "code" and CHECK_MARKER in cell.get("source", "")


def strip_outputs(nb):
    """Return a copy of ``nb`` without outputs or execution counts.

    Checked cells (``# NBVAL_CHECK_OUTPUT``) keep their outputs and execution
    counts (nbval compares only cells that were run) and are tagged
    ``keep_output`` in their metadata. Run-specific metadata is dropped.
    """
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for key in ("execution", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
        if is_checked(cell) and cell.outputs:
            cell.metadata["keep_output"] = True  # nbval needs the count too: it skips unrun cells
        else:
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("keep_output", None)
    for key in ("widgets", "papermill"):
        nb.metadata.pop(key, None)
    return nb


def _cut_solution(source: str, where: str) -> str:
    out: list[str] = []
    inside, stubbed, indent = False, False, ""
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise ValueError(f"{where}: line {number} opens a solution inside another")
            inside, stubbed, indent = True, False, line[: len(line) - len(line.lstrip())]
        elif stripped == END:
            if not inside:
                raise ValueError(f"{where}: line {number} closes a solution that was never opened")
            if not stubbed:
                out.append(f"{indent}# Write your code here.")
            inside = False
        elif inside:
            if stripped.startswith(STUB):
                out.append(indent + stripped[len(STUB):])
                stubbed = True
        else:
            out.append(line)
    if inside:
        raise ValueError(f"{where}: a {BEGIN!r} has no {END!r}")
    return "\n".join(out)


def make_exercise(solution, source_name: str):
    """Return the student notebook generated from the ``solution`` notebook."""
    nb = strip_outputs(solution)
    cells = []
    for index, cell in enumerate(nb.cells):
        if "solution" in cell.metadata.get("tags", []):
            continue
        if cell.cell_type == "code":
            cell.source = _cut_solution(cell.source, f"{source_name} cell {index}")
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("keep_output", None)
        cells.append(cell)
    note = nbformat.v4.new_markdown_cell(
        f"*This exercise notebook is generated from `../solutions/{source_name}`; "
        "the solution is there, so try it yourself first. "
        "Maintainers: edit the solution and run `python -m course_lib.notebooks exercises`.*"
    )
    note.id = "generated-note"
    nb.cells = [note] + cells
    nb.metadata["course"] = {"generated_from": f"solutions/{source_name}"}
    return nb


def _write_if_changed(nb, path: Path, check: bool) -> bool:
    text = nbformat.writes(nb) + "\n"
    if path.exists() and path.read_text() == text:
        return False
    if not check:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return True


def sync_exercises(root: Path = NOTEBOOKS, check: bool = False) -> list[Path]:
    """(Re)generate ``root/exercises`` from ``root/solutions``.

    Returns the exercise paths that were (or, with ``check``, would be)
    written, plus exercises that have no solution any more. With ``check``
    nothing is written.
    """
    root = Path(root)
    stale: list[Path] = []
    solutions = sorted((root / "solutions").glob("*.ipynb"))
    for sol in solutions:
        target = root / "exercises" / sol.name
        if _write_if_changed(make_exercise(nbformat.read(sol, as_version=4), sol.name), target, check):
            stale.append(target)
    names = {s.name for s in solutions}
    stale += [p for p in sorted((root / "exercises").glob("*.ipynb")) if p.name not in names]
    return stale


def notebooks_under(root: Path = NOTEBOOKS) -> list[Path]:
    """Every ``.ipynb`` under ``root``, checkpoints excepted."""
    return sorted(p for p in Path(root).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def record_checked_outputs(path: Path, timeout: int = 600) -> None:  # pragma: no cover - runs a kernel
    """Execute the notebook at ``path`` and store the outputs of its checked cells only."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(Path(path).parent)}}).execute()
    _write_if_changed(strip_outputs(nb), Path(path), check=False)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; see the module docstring."""
    parser = argparse.ArgumentParser(prog="python -m course_lib.notebooks")
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("exercises", help="generate notebooks/exercises from notebooks/solutions")
    ex.add_argument("--check", action="store_true", help="only report; exit 1 if out of date")
    st = sub.add_parser("strip", help="remove outputs (checked cells excepted)")
    st.add_argument("paths", nargs="*", type=Path)
    st.add_argument("--check", action="store_true", help="only report; exit 1 if any has outputs")
    rec = sub.add_parser("record", help="run a notebook and keep its checked cells' outputs")
    rec.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args(argv)

    if args.command == "record":  # pragma: no cover - runs a kernel
        for path in args.paths:
            record_checked_outputs(path)
            print(f"recorded {path}")
        return 0
    if args.command == "exercises":
        changed = sync_exercises(check=args.check)
    else:
        changed = [p for p in (args.paths or notebooks_under())
                   if _write_if_changed(strip_outputs(nbformat.read(p, as_version=4)), p, args.check)]
    verb = "out of date" if args.check else "written"
    for path in changed:
        print(f"{verb}: {path}")
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
