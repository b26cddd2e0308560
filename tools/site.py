"""Build the rendered course: a static HTML site of the executed lessons, the exercises and the instructor guide.

    python tools/site.py build [--out build/site] [--executed DIR] [--only NOTEBOOK ...] [--solutions]

Every lesson is executed from a clean kernel (nbclient, in a scratch copy of ``notebooks/``; results and
generated files go to the scratch folder, never into the course) and converted with nbconvert (JupyterLab's
look, no script fetched from the internet). ``--executed DIR`` takes notebooks that were already executed
instead (same relative paths as under ``notebooks/``). Exercises are shown as students get them (not run);
``--solutions`` adds the worked solutions, executed. The index lists the lessons in order with their facts;
the instructor guide (``docs/INSTRUCTOR.md``) is a page too. The build checks what it rendered: every figure is
an ``<img>`` with alt text, every executed notebook obeys the output rules (``tools/hygiene.py``); it lists any
problem and exits 1. The output folder is git-ignored (``build/``).
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `tools` importable
    sys.path.insert(0, str(ROOT))

from tools import hygiene  # noqa: E402
from tools import notebooks as nbtools  # noqa: E402

NOTEBOOKS = ROOT / "notebooks"
GUIDE = ROOT / "docs" / "INSTRUCTOR.md"
TEMPLATES = Path(__file__).resolve().parent / "site_template"
_IMG = re.compile(r"<img\b[^>]*>", re.S)
_ALT = re.compile(r'\balt="([^"]*)"')
_IPYNB_LINK = re.compile(r'href="([^"#:]+?)\.ipynb(#[^"]*)?"')


def pages(only: Sequence[str] | None = None, solutions: bool = False) -> list[Path]:
    """The notebooks of the site in reading order: each lesson, then its exercise (and solution)."""
    lessons = nbtools.lessons_under(NOTEBOOKS)
    order: list[Path] = []
    for lesson in lessons:
        stem = lesson.stem
        order.append(lesson)
        for folder in (["exercises"] + (["solutions"] if solutions else [])):
            exercise = NOTEBOOKS / folder / f"{stem}_exercise.ipynb"
            if exercise.exists():
                order.append(exercise)
    if only:
        wanted = {Path(p).name for p in only}
        order = [p for p in order if p.name in wanted or p.relative_to(NOTEBOOKS).as_posix() in only]
    return order


def execute_all(paths: Sequence[Path], scratch: Path, timeout: int, progress=print) -> dict[Path, object]:
    """Execute the lessons and solutions among ``paths`` in a scratch copy of the notebooks folder."""
    from nbclient import NotebookClient

    shutil.copytree(NOTEBOOKS, scratch / "notebooks", ignore=shutil.ignore_patterns("generated_data", ".*"))
    env = {"COURSE_STATIC_WIDGETS": "1", "COURSE_RESULTS_DIR": str(scratch / "results")}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    executed = {}
    try:
        for path in paths:
            rel = path.relative_to(NOTEBOOKS)
            if rel.parts[0] == "exercises":
                continue
            copy = scratch / "notebooks" / rel
            nb = nbformat.read(copy, as_version=4)
            start = time.perf_counter()
            NotebookClient(nb, timeout=timeout, kernel_name="python3",
                           resources={"metadata": {"path": str(copy.parent)}}).execute(stderr=subprocess.DEVNULL)
            executed[path] = nb
            progress(f"executed {rel} ({time.perf_counter() - start:.0f} s)")
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return executed


def _title(nb, path: Path) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return path.stem


def _html_name(path: Path) -> str:
    return path.relative_to(NOTEBOOKS).with_suffix(".html").as_posix()


def render(nb, path: Path, nav: str) -> str:
    """One notebook as an HTML page with the course's navigation; links to notebooks point to pages."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", extra_template_paths=[str(TEMPLATES)],
                            template_file="course.html.j2")
    body, _ = exporter.from_notebook_node(nb, resources={"course_nav": nav})
    return _IPYNB_LINK.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', body)


def page_problems(text: str, where: str) -> list[str]:
    """Images without alt text in a rendered page."""
    found = []
    for tag in _IMG.findall(text):
        alt = _ALT.search(tag)
        if alt is None or not alt.group(1).strip() or alt.group(1).startswith("No description has been provided"):
            found.append(f"{where}: an image without alt text ({tag[:80]}...)")
    return found


def _markdown_page(markdown: str, title: str, nav: str) -> str:
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark").enable("table").render(markdown)
    body = _IPYNB_LINK.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', body)
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            "<style>body{font-family:sans-serif;max-width:62em;margin:0 auto;padding:0 1em 3em;line-height:1.5}"
            "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .5em;vertical-align:top}"
            ".course-nav{padding:.6em 0;border-bottom:1px solid #ccc}.course-nav a{margin-right:1.2em}</style>"
            f"</head><body><nav class='course-nav' aria-label='course'>{nav}</nav><main>{body}</main></body></html>")


def build(out: Path, *, executed_dir: Path | None = None, only: Sequence[str] | None = None,
          solutions: bool = False, timeout: int = 900, progress=print) -> list[str]:
    """Build the site into ``out`` (replaced); return the problems found (empty when all is well)."""
    out = Path(out).resolve()
    inside = out == ROOT or ROOT in out.parents
    if inside and (out == ROOT or out.relative_to(ROOT).parts[0] != "build"):
        raise ValueError(f"out {str(out)!r} must be outside the course folder or under its build/ folder")
    order = pages(only, solutions)
    if not order:
        raise ValueError(f"only matches no notebook of the course: {only!r}")
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="course-site-") as scratch:
        if executed_dir is not None:
            executed = {}
            for path in order:
                rel = path.relative_to(NOTEBOOKS)
                ready = Path(executed_dir) / rel
                if rel.parts[0] != "exercises":
                    if not ready.is_file():
                        raise FileNotFoundError(f"executed_dir has no executed {rel}")
                    executed[path] = nbformat.read(ready, as_version=4)
        else:
            executed = execute_all(order, Path(scratch), timeout, progress)
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        titles = {}
        for path in order:
            nb = executed.get(path) or nbformat.read(path, as_version=4)
            titles[path] = _title(nb, path)
        for i, path in enumerate(order):
            nb = executed.get(path) or nbformat.read(path, as_version=4)
            rel = _html_name(path)
            up = "../" * rel.count("/")
            links = [f"<a href='{up}index.html'>Course index</a>"]
            if i > 0:
                links.append(f"<a href='{up}{_html_name(order[i - 1])}'>← {html.escape(titles[order[i - 1]])}</a>")
            if i + 1 < len(order):
                links.append(f"<a href='{up}{_html_name(order[i + 1])}'>{html.escape(titles[order[i + 1]])} →</a>")
            text = render(nb, path, " ".join(links))
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
            problems += page_problems(text, rel)
            if path in executed:
                problems += [f"{rel}: {p}" for p in hygiene.notebook_problems(executed[path])]
        rows = []
        for path in order:
            nb = nbformat.read(path, as_version=4)
            facts = nb.metadata.get("course", {})
            kind = path.relative_to(NOTEBOOKS).parts[0] if path.parent != NOTEBOOKS else "lesson"
            minutes = (f"{facts['teach_minutes']} min to work through; runs in {facts['run_minutes']:.1f} min"
                       if kind == "lesson" and facts.get("run_minutes") else "")
            rows.append(f"<li class='{kind}'><a href='{_html_name(path)}'>{html.escape(titles[path])}</a>"
                        f"{' (' + kind[:-1] + ')' if kind != 'lesson' else ''}"
                        f"{' · ' + html.escape(minutes) if minutes else ''}</li>")
        guide = ""
        if GUIDE.is_file():
            (out / "instructor.html").write_text(
                _markdown_page(GUIDE.read_text(), "Instructor guide", "<a href='index.html'>Course index</a>"))
            guide = "<p><a href='instructor.html'>Instructor guide</a></p>"
        (out / "index.html").write_text(
            "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Image data augmentation with "
            "Keras: the course</title><style>body{font-family:sans-serif;max-width:60em;margin:2em auto;"
            "line-height:1.6}li.exercises,li.solutions{margin-left:2em;list-style:circle}</style></head><body>"
            "<main><h1>Image data augmentation with Keras and TensorFlow</h1><p>The executed lessons, in order, "
            f"each followed by its exercise.</p>{guide}<ol>{''.join(rows)}</ol></main></body></html>")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/site.py", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="execute the course and render it as a static site")
    b.add_argument("--out", type=Path, default=ROOT / "build" / "site")
    b.add_argument("--executed", type=Path, default=None, help="a folder of already executed notebooks")
    b.add_argument("--only", nargs="+", default=None, help="only these notebooks (file names)")
    b.add_argument("--solutions", action="store_true", help="add the worked solutions")
    b.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    problems = build(args.out, executed_dir=args.executed, only=args.only, solutions=args.solutions,
                     timeout=args.timeout)
    for problem in problems:
        print("problem:", problem)
    print(f"site written to {args.out} in {time.perf_counter() - start:.0f} s ({len(problems)} problems)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
