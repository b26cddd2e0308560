"""Grade a folder of handed-in exercise notebooks: one command, a gradebook and a feedback page each.

    python tools/grade.py SUBMISSIONS --out GRADEBOOK [--time-limit 300] [--cell-timeout 120] [--jobs 2]

``SUBMISSIONS`` holds one folder per student, each with the exercise notebooks that student handed in
(``SUBMISSIONS/alice/06_build_your_own_generator_exercise.ipynb``; any file name works when the notebook still
carries the exercise's metadata). For every submission the grader

1. reads it without changing it (a submission is never modified, moved or deleted);
2. executes a copy in a scratch folder, headless, in its own process with nbclient, from a clean kernel,
   with a time limit per cell and per notebook, and with errors allowed, so every check that can run, runs;
3. collects the verdict of every check the exercise has (``course_lib.checks`` feedback carries a
   machine-readable form), and marks the checks that never answered as missing.

It writes ``GRADEBOOK/gradebook.csv`` (student, exercise, check, verdict, hint: one row per check, or one row
per submission that could not be graded, with the reason) and one feedback page per submission,
``GRADEBOOK/feedback/<student>/<exercise>.html``, plus ``GRADEBOOK/index.html`` listing them. A file that is not
a notebook, broken JSON, a notebook that raises, loops forever, calls ``sys.exit`` or kills its kernel is
reported as such and never stops the run. A line of progress is printed per submission.
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "notebooks" / "solutions"
FEEDBACK_MIME = "application/vnd.augmentation-course.feedback+json"
GRADEBOOK_COLUMNS = ("student", "exercise", "check", "verdict", "hint")
_CHECK_CALL = re.compile(r"\b(check_[a-z0-9_]+)\s*\(")


@dataclass
class Submission:
    """What grading one handed-in file found."""

    student: str
    path: Path
    exercise: str = ""
    problem: str = ""  # why it could not be graded ("" when it was)
    rows: list[dict[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def correct(self) -> int:
        return sum(r["verdict"] == "correct" for r in self.rows)


# --------------------------------------------------------------------------- what each exercise checks


def expected_checks(exercise: str, solutions: Path = SOLUTIONS) -> list[str]:
    """The check calls the exercise makes, in order (a check called twice is listed twice), read from its
    solution notebook."""
    import nbformat

    path = solutions / exercise
    if not path.is_file():
        return []
    names: list[str] = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            if line.lstrip().startswith(("from ", "import ", "#")):
                continue
            names += _CHECK_CALL.findall(line)
    return names


def identify(nb: dict[str, Any], path: Path, solutions: Path = SOLUTIONS) -> str:
    """The exercise a notebook is: from its metadata (``course.generated_from``), else from its file name."""
    source = nb.get("metadata", {}).get("course", {}).get("generated_from", "")
    name = Path(source).name if source else path.name
    return name if (solutions / name).is_file() else ""


# --------------------------------------------------------------------------- running one submission (child process)


def _execute(notebook: Path, cell_timeout: int) -> dict[str, Any]:
    """Execute ``notebook`` (a scratch copy) and return what its cells produced."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(nb, timeout=cell_timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(notebook.parent)}})
    outcome = {"feedback": [], "errors": [], "stopped": ""}
    try:
        client.execute()
    except CellTimeoutError:
        outcome["stopped"] = f"a cell ran longer than {cell_timeout} seconds and was stopped"
    except DeadKernelError:
        outcome["stopped"] = "the notebook stopped its Python kernel (for example with os._exit or a crash)"
    except Exception as err:  # noqa: BLE001 - anything else nbclient raises is a reason, not a crash
        outcome["stopped"] = f"execution failed ({type(err).__name__}: {str(err)[:200]})"
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") in ("display_data", "execute_result") and FEEDBACK_MIME in out.get("data", {}):
                outcome["feedback"].append(dict(out["data"][FEEDBACK_MIME], cell=index))
            elif out.get("output_type") == "error":
                outcome["errors"].append(f"cell {index}: {out.get('ename')}: {str(out.get('evalue'))[:200]}")
    return outcome


def _child(argv: Sequence[str]) -> int:
    notebook, result, cell_timeout = Path(argv[0]), Path(argv[1]), int(argv[2])
    result.write_text(json.dumps(_execute(notebook, cell_timeout)))
    return 0


# --------------------------------------------------------------------------- grading


def _read(path: Path) -> tuple[dict[str, Any] | None, str]:
    """The notebook as a dict, or None and why it is not one."""
    import nbformat

    if path.suffix != ".ipynb":
        return None, f"not a notebook file ({path.suffix or 'no extension'}); hand in the .ipynb file"
    try:
        raw = path.read_bytes()
    except OSError as err:
        return None, f"cannot be read ({type(err).__name__}: {err})"
    try:
        nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
    except UnicodeDecodeError:
        return None, "not a notebook: the file is not text (UTF-8)"
    except Exception as err:  # noqa: BLE001 - nbformat raises several kinds for broken files
        return None, f"not a valid notebook (broken JSON or format: {str(err).splitlines()[0][:160]})"
    try:
        nbformat.validate(nb)
    except Exception as err:  # noqa: BLE001
        return None, f"not a valid notebook ({str(err).splitlines()[0][:160]})"
    return nb, ""


def grade_one(student: str, path: Path, *, time_limit: float, cell_timeout: int,
              solutions: Path = SOLUTIONS, env: dict[str, str] | None = None) -> Submission:
    """Grade one handed-in file (see the module docstring); never raises for a bad submission."""
    import nbformat

    sub = Submission(student, path)
    start = time.perf_counter()
    nb, problem = _read(path)
    if nb is None:
        sub.problem = problem
        return sub
    sub.exercise = identify(nb, path, solutions)
    if not sub.exercise:
        sub.problem = "not one of the course's exercises (its name and metadata match no solution notebook)"
        return sub
    scratch = Path(tempfile.mkdtemp(prefix="course-grade-"))
    try:
        folder = scratch / "notebooks" / "exercises"
        folder.mkdir(parents=True)
        copy = folder / sub.exercise
        nbformat.write(nb, copy)
        result = scratch / "result.json"
        child_env = dict(os.environ if env is None else env)
        child_env.setdefault("COURSE_STATIC_WIDGETS", "1")
        child_env["COURSE_RESULTS_DIR"] = str(scratch / "results")
        command = [sys.executable, str(Path(__file__).resolve()), "--child", str(copy), str(result),
                   str(cell_timeout)]
        proc = subprocess.Popen(command, cwd=folder, env=child_env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            proc.wait(timeout=time_limit)
        except subprocess.TimeoutExpired:
            _kill(proc)
            sub.problem = (f"did not finish within {time_limit:g} seconds (a cell that never ends?) "
                           "and was stopped")
        outcome = json.loads(result.read_text()) if result.is_file() else None
        if outcome is None and not sub.problem:
            sub.problem = "the grader could not run it (its process ended without a result)"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    sub.seconds = time.perf_counter() - start
    answered: dict[str, list[dict[str, Any]]] = {}
    if outcome is not None:
        sub.errors = outcome["errors"]
        if outcome["stopped"]:
            sub.problem = outcome["stopped"]
        for fb in outcome["feedback"]:
            answered.setdefault(fb["check"], []).append(fb)
    expected = expected_checks(sub.exercise, solutions) or [c for c, fbs in answered.items() for _ in fbs]
    seen: dict[str, int] = {}
    for name in expected:
        k = seen[name] = seen.get(name, 0) + 1
        check = name if expected.count(name) == 1 else f"{name} #{k}"
        fb = answered.get(name, [])[k - 1] if len(answered.get(name, [])) >= k else None
        if fb is None:
            reason = sub.problem or ("its cell raised an error first" if sub.errors else "its cell was not run")
            sub.rows.append({"check": check, "verdict": "missing", "hint": f"no answer from {name}: {reason}"})
        else:
            sub.rows.append({"check": check, "verdict": "correct" if fb["correct"] else "not yet",
                             "hint": "" if fb["correct"] else fb["message"]})
    return sub


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # the child and the kernel it started
    except (ProcessLookupError, PermissionError, AttributeError):  # pragma: no cover - already gone / no killpg
        proc.kill()
    proc.wait()


def find_submissions(folder: Path) -> list[tuple[str, Path]]:
    """``(student, file)`` for every file in every student folder, sorted; files outside one get student "?"."""
    found = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            found += [(entry.name, f) for f in sorted(entry.rglob("*"))
                      if f.is_file() and not any(p.startswith(".") for p in f.relative_to(entry).parts)]
        else:
            found.append(("?", entry))
    return found


def _page(sub: Submission) -> str:
    rows = "".join(
        f"<tr><td>{'✓' if r['verdict'] == 'correct' else '✗'}</td><td><code>{html.escape(r['check'])}</code></td>"
        f"<td>{html.escape(r['verdict'])}</td><td>{html.escape(r['hint'])}</td></tr>" for r in sub.rows)
    notes = "".join(f"<li>{html.escape(e)}</li>" for e in ([sub.problem] if sub.problem else []) + sub.errors)
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Feedback: "
            f"{html.escape(sub.exercise or sub.path.name)}</title><style>body{{font-family:sans-serif;max-width:60em;"
            f"margin:2em auto}}td,th{{padding:.3em .6em;text-align:left;vertical-align:top}}"
            f"tr:nth-child(even){{background:#f4f4f4}}</style></head><body>"
            f"<h1>Feedback for {html.escape(sub.student)}</h1><p>Exercise: <code>{html.escape(sub.exercise or '-')}"
            f"</code> (file <code>{html.escape(sub.path.name)}</code>). {sub.correct} of {len(sub.rows)} checks "
            f"correct.</p><table><tr><th></th><th>check</th><th>verdict</th><th>hint</th></tr>{rows}</table>"
            + (f"<h2>Problems while running it</h2><ul>{notes}</ul>" if notes else "") + "</body></html>")


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name) or "_"


def grade(submissions: Path, out: Path, *, time_limit: float = 300, cell_timeout: int = 120, jobs: int = 1,
          solutions: Path = SOLUTIONS, progress=print) -> list[Submission]:
    """Grade every submission under ``submissions`` and write the gradebook and feedback pages to ``out``."""
    submissions, out = Path(submissions).resolve(), Path(out).resolve()
    if not submissions.is_dir():
        raise NotADirectoryError(f"submissions {str(submissions)!r} is not a folder of student folders")
    if out == submissions or submissions in out.parents:
        raise ValueError(f"out {str(out)!r} must not lie inside the submissions folder")
    if not (isinstance(jobs, int) and 1 <= jobs <= 64):
        raise ValueError(f"jobs must be a whole number from 1 to 64, got {jobs!r}")
    work = find_submissions(submissions)
    results: list[Submission | None] = [None] * len(work)

    def run(i: int) -> None:
        student, path = work[i]
        sub = grade_one(student, path, time_limit=time_limit, cell_timeout=cell_timeout, solutions=solutions)
        results[i] = sub
        done = sum(r is not None for r in results)
        verdict = sub.problem if sub.problem and not sub.rows else f"{sub.correct} of {len(sub.rows)} checks correct"
        progress(f"[{done}/{len(work)}] {student}/{path.name}: {verdict} ({sub.seconds:.0f} s)")

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(run, range(len(work))))
    graded = [r for r in results if r is not None]
    (out / "feedback").mkdir(parents=True, exist_ok=True)
    with open(out / "gradebook.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=GRADEBOOK_COLUMNS)
        writer.writeheader()
        for sub in graded:
            exercise = sub.exercise or sub.path.name
            if not sub.rows:
                writer.writerow({"student": sub.student, "exercise": exercise, "check": "", "verdict": "not graded",
                                 "hint": sub.problem})
            for row in sub.rows:
                writer.writerow({"student": sub.student, "exercise": exercise, **row})
    links = []
    for sub in graded:
        page = out / "feedback" / _safe(sub.student) / f"{_safe(Path(sub.exercise or sub.path.name).stem)}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(_page(sub))
        links.append(f"<li><a href='{html.escape(page.relative_to(out).as_posix())}'>{html.escape(sub.student)}: "
                     f"{html.escape(sub.exercise or sub.path.name)}</a> ({sub.correct} of {len(sub.rows)} correct"
                     f"{'; ' + html.escape(sub.problem) if sub.problem else ''})</li>")
    (out / "index.html").write_text("<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Gradebook"
                                    f"</title></head><body><h1>Gradebook</h1><ul>{''.join(links)}</ul></body></html>")
    return graded


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--child"]:
        return _child(argv[1:])
    parser = argparse.ArgumentParser(prog="python tools/grade.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("submissions", type=Path, help="a folder with one folder of notebooks per student")
    parser.add_argument("--out", type=Path, required=True, help="where to write gradebook.csv and feedback pages")
    parser.add_argument("--time-limit", type=float, default=300, help="seconds per notebook (default 300)")
    parser.add_argument("--cell-timeout", type=int, default=120, help="seconds per cell (default 120)")
    parser.add_argument("--jobs", type=int, default=1, help="notebooks graded at the same time (default 1)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    graded = grade(args.submissions, args.out, time_limit=args.time_limit, cell_timeout=args.cell_timeout,
                   jobs=args.jobs)
    print(f"graded {len(graded)} submissions in {time.perf_counter() - start:.0f} s: "
          f"{args.out / 'gradebook.csv'}, feedback pages in {args.out / 'feedback'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
