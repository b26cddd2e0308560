"""Exercise 09: plan an offline augmentation: its disk space, a safe destination, and offline or online.

* :func:`check_estimate_function`: the student's ``estimate_offline_bytes`` predicts
  the bytes an augmented copy takes.
* :func:`check_safe_destination`: the student's ``is_safe_destination(src, dst)``
  refuses every destination that could touch ``src`` (the same rule as
  :func:`course_lib.offline.check_destination`), tried on real folders and links.
* :func:`check_offline_or_online`: a choice per project in :data:`SCENARIOS`.
"""

from __future__ import annotations

import inspect
import os
import shutil
import tempfile
from collections.abc import Mapping
from numbers import Real
from pathlib import Path
from typing import Any

import numpy as np

from . import Feedback, correct, hint, never_crash

#: Projects to decide for: letter -> description.
SCENARIOS: dict[str, str] = {
    "A": "A hyperparameter search will train 200 models on the same 5,000 medical images, each with the same "
         "elastic-deformation augmentation, which takes 40 ms per image in Python while the GPU waits.",
    "B": "You train one model, once, on 1.2 million photos (150 GB of JPEGs) on a laptop with 60 GB of free disk, "
         "with random flips and crops done by Keras layers.",
    "C": "A regulator asks for the exact images the model was trained on, so that anyone can inspect and "
         "re-train on them without your code.",
    "D": "Your model still overfits with 5 stored variants per image; you want every epoch to see images it has "
         "never seen before.",
    "E": "You are still choosing which transforms and strengths suit your data, and will change them after "
         "every experiment.",
}
_ANSWERS = {"A": "offline", "B": "online", "C": "offline", "D": "online", "E": "online"}
_WHY = {
    "A": "the slow augmentation would be paid again in every epoch of all 200 trainings; written once, it is "
         "paid once, and the GPU no longer waits for the CPU",
    "B": "even one variant per photo needs roughly another dataset's worth of disk (and PNG variants of photos "
         "are larger than the JPEGs); cheap online layers cost no disk at all",
    "C": "only files on disk (with a manifest saying how each was made) can be handed over and inspected",
    "D": "online augmentation draws a fresh random variant every time an image is used; stored variants are "
         "a fixed, finite set",
    "E": "with online augmentation a change is one line; offline, every change means writing the whole copy again",
}


def _is_number(value: Any) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def expected_bytes(n_images: int, variants_per_image: int, bytes_per_variant: float, bytes_per_original: float,
                   include_originals: bool) -> float:
    """The reference estimate: ``n_images * (k * bytes_per_variant + bytes_per_original if originals)``."""
    per_image = variants_per_image * bytes_per_variant + (bytes_per_original if include_originals else 0)
    return n_images * per_image


# (n_images, k, bytes per variant, bytes per original, include originals)
_CASES = [
    (1000, 4, 2500.0, 2300.0, True),
    (1000, 4, 2500.0, 2300.0, False),
    (50_000, 10, 900_000.0, 150_000.0, True),
    (7, 1, 10.0, 99.0, False),
]


@never_crash
def check_estimate_function(estimate_offline_bytes: Any) -> Feedback:
    """Expect ``estimate_offline_bytes(n_images, variants_per_image, bytes_per_variant,
    bytes_per_original, include_originals)`` to follow :func:`expected_bytes`."""
    if not callable(estimate_offline_bytes):
        return hint("pass the function itself, `estimate_offline_bytes`, without calling it (no parentheses).")
    try:
        inspect.signature(estimate_offline_bytes).bind(1, 1, 1.0, 1.0, True)
    except (TypeError, ValueError):
        return hint("the function must take five arguments: n_images, variants_per_image, bytes_per_variant, "
                    "bytes_per_original, include_originals.")
    for n, k, variant, original, keep in _CASES:
        got = estimate_offline_bytes(n, k, variant, original, keep)
        want = expected_bytes(n, k, variant, original, keep)
        call = f"estimate_offline_bytes({n}, {k}, {variant:g}, {original:g}, {keep})"
        if got is Ellipsis:
            return hint("estimate_offline_bytes still returns `...`: replace it with your formula.")
        if not _is_number(got):
            return hint(f"{call} returned {got!r}; return a number of bytes (an int or a float).")
        if abs(got - want) <= 1e-6 * want:
            continue
        if abs(got - n * k * variant) <= 1e-6 * want and keep:
            return hint(f"{call} gave {got:,.0f}: with include_originals=True the copies of the originals are "
                        "written too, each of bytes_per_original.")
        if not keep and abs(got - n * (k * variant + original)) <= 1e-6 * want:
            return hint(f"{call} gave {got:,.0f}: with include_originals=False no copies of the originals are "
                        "written, so they take no space in the copy.")
        same_size = (n * (k + keep) * original, n * (k + keep) * variant)
        if any(abs(got - v) <= 1e-6 * want for v in same_size):
            return hint(f"{call} gave {got:,.0f}: variants and originals have different sizes here (variants are "
                        "saved as PNG, originals are copied as they are): multiply each count by its own size.")
        return hint(f"{call} gave {got:,.0f} bytes, expected {want:,.0f}: every one of the n_images source images "
                    "gives variants_per_image variants of bytes_per_variant each, plus one original of "
                    "bytes_per_original when include_originals is True.")
    return correct("the copy grows linearly with k, and variants saved as PNG can be larger than the "
                   "original files they come from.")


# --------------------------------------------------------------------------- a safe destination


def _cases(root: Path, cwd: str | None) -> list[tuple[str, Path, Path, bool, str]]:
    """(description, src, dst, safe?, hint when wrong) on real folders under ``root`` (an absolute path).

    ``cwd`` is the working directory the relative-path case is relative to (None: no such case).
    """
    src = root / "data" / "train"
    for folder in (src / "cat", root / "data" / "train2", root / "elsewhere"):
        folder.mkdir(parents=True)
    cases = [
        ("a sibling folder", src, root / "data" / "augmented", True,
         "a destination next to src (data/augmented next to data/train) is safe, but your function refused it."),
        ("a folder elsewhere", src, root / "elsewhere" / "augmented", True,
         "a destination in a completely different folder is safe, but your function refused it."),
        ("a sibling whose name starts with src's name", src, root / "data" / "train2", True,
         "data/train2 is NOT inside data/train, but your function refused it. Comparing paths as strings "
         "(str(dst).startswith(str(src))) gets this wrong: compare path parts, e.g. with Path.parents or "
         "Path.is_relative_to."),
        ("src itself", src, src, False, "dst equal to src must be refused: the copy would be written into src."),
        ("a folder inside src", src, src / "augmented", False,
         "a dst inside src must be refused: it writes into src, and the next run would even read the "
         "augmented files as new source images."),
        ("a folder deep inside src", src, src / "cat" / "more", False,
         "a dst anywhere below src (src/cat/more) must be refused, not only a direct sub-folder."),
        ("a path with '..' that leads into src", src, root / "elsewhere" / ".." / "data" / "train" / "aug", False,
         "elsewhere/../data/train/aug is inside src once '..' is resolved: use Path.resolve() on both paths "
         "before comparing them."),
        ("a folder that contains src", src, root / "data", False,
         "a dst that contains src (dst = data, src = data/train) must be refused: a class folder named "
         "'train' written into dst would land inside src."),
    ]
    try:
        relative = Path(os.path.relpath(src, cwd)) if cwd is not None else None
    except ValueError:  # pragma: no cover - on Windows, a folder on another drive has no relative path
        relative = None
    if relative is not None:
        cases.append(("src given as a relative path", relative, src / "augmented", False,
                      "src given as a relative path and dst as an absolute one inside it must still be refused: "
                      "resolve both paths to absolute ones before comparing them."))
    link = root / "shortcut"
    try:
        link.symlink_to(src, target_is_directory=True)
    except (OSError, NotImplementedError):  # e.g. Windows without the right to make links
        return cases
    cases.append(("a symbolic link that points into src", src, link / "augmented", False,
                  "'shortcut' is a symbolic link to src, so shortcut/augmented is inside src: Path.resolve() "
                  "follows links, compare the resolved paths."))
    return cases


def _working_directory() -> str | None:
    """The current working directory, or None when it no longer exists."""
    try:
        return os.getcwd()
    except OSError:
        return None


def _return_to(folder: str | None) -> bool:
    """Change back to ``folder`` if the working directory moved; True if it had moved."""
    if folder is None or _working_directory() == folder:
        return False
    os.chdir(folder)
    return True


@never_crash
def check_safe_destination(is_safe_destination: Any) -> Feedback:
    """Try ``is_safe_destination(src, dst)`` on real folders, links and relative paths.

    The folders live in a fresh temporary directory, made and removed by absolute path. If the student's
    function changes the working directory, it is changed back at once (and the student is told).
    """
    if not callable(is_safe_destination):
        return hint("pass the function itself, `is_safe_destination`, without calling it (no parentheses).")
    here = _working_directory()
    root = Path(os.path.abspath(tempfile.mkdtemp(prefix="check09-"))).resolve()
    try:
        cases = _cases(root, here)
        for description, src, dst, safe, why in cases:
            try:
                answer = is_safe_destination(src, dst)
            except Exception as err:  # the student's function may fail on some paths
                _return_to(here)
                return hint(f"is_safe_destination raised {type(err).__name__} ({err}) for {description}; "
                            "it should answer True or False for any two paths, existing or not.")
            if _return_to(here):
                return hint("is_safe_destination changed the working directory (os.chdir); it must not: a "
                            "check of two paths should leave everything as it was. (It was changed back.)")
            if answer is Ellipsis:
                return hint("is_safe_destination still returns `...`: replace it with your check.")
            if isinstance(answer, np.bool_):
                answer = bool(answer)
            if not isinstance(answer, bool):
                return hint(f"is_safe_destination returned {answer!r} for {description}; return True (safe) "
                            "or False (refuse).")
            if answer != safe:
                return hint(why)
    finally:
        _return_to(here)  # even after Ctrl-C or SystemExit inside the student's function
        shutil.rmtree(root, ignore_errors=True)
    return correct(f"all {len(cases)} cases are right: equal, inside (also through '..' or a link) and "
                   "containing are refused; siblings, even train2 next to train, are allowed.")


# --------------------------------------------------------------------------- offline or online


@never_crash
def check_offline_or_online(answers: Any) -> Feedback:
    """Expect ``{"A": "offline" or "online", ...}`` for every letter of :data:`SCENARIOS`."""
    if not isinstance(answers, Mapping):
        return hint('answer with a dict from scenario letter to "offline" or "online", e.g. {"A": "offline", ...}.')
    missing = [k for k in SCENARIOS if k not in answers]
    if missing:
        return hint(f"give an answer for every scenario; missing: {', '.join(missing)}.")
    extra = [k for k in answers if k not in SCENARIOS]
    if extra:
        return hint(f"there is no scenario {', '.join(map(repr, extra))}; the letters are {', '.join(SCENARIOS)}.")
    for letter in SCENARIOS:
        value = answers[letter]
        if value is Ellipsis:
            return hint(f'scenario {letter}: replace the `...` with "offline" or "online".')
        choice = value.strip().lower() if isinstance(value, str) else value
        if choice not in ("offline", "online"):
            return hint(f'scenario {letter}: answer "offline" or "online", got {value!r}.')
    wrong = [k for k in SCENARIOS if answers[k].strip().lower() != _ANSWERS[k]]
    if not wrong:
        return correct("offline pays once and keeps inspectable files; online costs no disk and gives endless, "
                       "easily changed variety.")
    first = wrong[0]
    others = f" ({len(wrong) - 1} other scenario(s) are not right yet either.)" if len(wrong) > 1 else ""
    return hint(f"scenario {first}: think again. Which costs more here, {_QUESTION[first]}?{others}")


_QUESTION = {
    "A": "paying a slow augmentation in every epoch of every training, or paying it once",
    "B": "disk space for the augmented copies, or a little CPU time per batch",
    "C": "keeping files someone else can open, or variants that exist only while training runs",
    "D": "a fixed set of stored variants, or new variants drawn every epoch",
    "E": "rewriting the whole augmented copy after each change, or editing one line of a layer stack",
}


def explain(letter: str) -> str:
    """Why the expected answer for scenario ``letter`` is what it is (for the solution notebook)."""
    if letter not in SCENARIOS:
        raise ValueError(f"letter must be one of {', '.join(SCENARIOS)}; got {letter!r}")
    return f"{letter}: {_ANSWERS[letter]}, because {_WHY[letter]}."


#: The functions a student calls.
__all__ = ["SCENARIOS", "check_estimate_function", "check_offline_or_online", "check_safe_destination",
           "expected_bytes", "explain"]
