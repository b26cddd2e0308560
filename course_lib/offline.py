"""Offline augmentation: write an augmented copy of an image folder to disk, safely.

:func:`augment_directory` reads a class-per-folder dataset::

    src/
      cat/  img001.png  img002.jpg ...
      dog/  ...

and writes ``variants_per_image`` augmented variants of every image to
``dst/<class>/<stem>__aug00.png``, ``__aug01.png``, ... (optionally also a copy
of the original, ``<stem>__orig<ext>``), ready for
``keras.utils.image_dataset_from_directory(dst)``.

What one output file is, and how it is written, is taught in lesson 09 and
imported from its generated module :mod:`course_lib.lessons.l09_offline_augmentation`
(one source): :func:`~course_lib.lessons.l09_offline_augmentation.file_seed`
(the file's own seed), :func:`~course_lib.lessons.l09_offline_augmentation.draw_parameters`
and :func:`~course_lib.lessons.l09_offline_augmentation.augment_variant` (its
parameters, drawn from that seed and applied with :mod:`course_lib.transforms`)
and :func:`~course_lib.lessons.l09_offline_augmentation.write_atomically`
(temporary file, then ``os.replace``). This module is the plumbing around them,
built to be safe to run on data you care about:

* **src is read-only.** Nothing under ``src`` is ever written, renamed or
  deleted. A ``dst`` equal to ``src``, inside it, or containing it is refused,
  comparing real paths (symbolic links and ``..`` resolved, in ``dst``'s
  parents too). Symbolic links inside ``src`` are **followed** (to files and
  to folders), and every real folder and file they lead to is checked the
  same way: a ``dst`` inside a linked folder's target is refused before
  anything is written. A link to a folder above it (a loop) and a broken link
  are skipped and reported.
* **Checked before the first write.** Permissions (``dst`` or the folder it
  will be made in must be writable) and paths (``manifest.csv`` or an output
  name that is a folder, a class folder that is a file or a link) are checked
  up front, with an error naming ``dst``.
* **Deterministic.** Each output file has its own random generator, seeded
  from ``seed``, the source's path relative to ``src`` and the variant number
  (``file_seed`` in the manifest), so the same inputs and seed give the same
  files byte for byte, whatever order or how many runs they are written in.
* **A manifest.** ``dst/manifest.csv`` has one row per output file: its
  source, the transforms with the exact parameters drawn, and the seeds.
  ``dst/skipped.csv`` lists the source files that were skipped, and why.
* **Bad files are skipped, not fatal.** Files that are not images, cannot be
  decoded, or are not regular files (a pipe, say) are reported and left out.
* **Atomic writes and resuming.** Every file is written through a temporary
  ``.<name>.augment-part`` file in its destination folder and renamed into
  place, so an interrupted run never leaves a half-written image under a real
  name. Running again removes leftover temporary files, **verifies** the
  outputs that exist (a variant must be a decodable PNG of the source's size;
  a copied original must equal its source byte for byte), rewrites the
  damaged ones (listed in ``AugmentReport.rewritten``), leaves the good ones
  untouched (same bytes, same modification time), and writes the rest. The
  settings (defaults filled in, NumPy scalars made plain numbers) are kept in
  ``dst/augment_settings.json``; resuming with different settings is refused.
* **A dry run** (``dry_run=True``) reports what would be written and writes
  nothing. A **progress bar** (tqdm, on standard error) can be switched off.

The transforms are those of :mod:`course_lib.transforms`, given as a list of
``(name, strength)`` or ``(name, strength, options)`` applied in order, or a
dict ``{name: strength}``.

Augmented variants are always saved as PNG: it is lossless, so a variant is
exactly what the transforms computed (a JPEG would add its own compression
artefacts on top). Grey (``"L"``) images stay grey; every other image mode is
converted to RGB (an alpha channel is dropped).
"""

from __future__ import annotations

import csv
import filecmp
import inspect
import io
import json
import os
import shutil
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Real
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from . import _validate
from . import transforms as T
from .lessons.l09_offline_augmentation import (
    PARTIAL_SUFFIX,
    augment_variant,
    draw_parameters,
    file_seed,
    write_atomically,
)

#: The file extensions (lower case) read as images unless told otherwise:
#: those ``keras.utils.image_dataset_from_directory`` reads.
IMAGE_EXTENSIONS: tuple[str, ...] = (".png", ".jpg", ".jpeg", ".bmp", ".gif")
#: The manifest, one row per output file, in ``dst``.
MANIFEST_NAME = "manifest.csv"
#: The list of skipped source files, in ``dst``.
SKIPPED_NAME = "skipped.csv"
#: The settings of the run, in ``dst``, checked when a run resumes.
SETTINGS_NAME = "augment_settings.json"
#: The columns of ``manifest.csv``.
MANIFEST_COLUMNS: tuple[str, ...] = ("output", "source", "class", "kind", "variant", "seed", "file_seed", "transforms")
#: The most variants per source image (a bound, so that a typo cannot start a run that never ends).
MAX_VARIANTS = 10_000

TransformSpec = Mapping[str, float] | Sequence[tuple[str, float] | tuple[str, float, Mapping[str, Any]]]


@dataclass
class AugmentReport:
    """What :func:`augment_directory` did (or, in a dry run, would do).

    Paths in the lists are relative to ``dst`` (outputs) or ``src`` (sources),
    with ``/`` separators.

    * ``planned``: every output file of the augmented dataset.
    * ``to_write``: the planned files missing or damaged when the run started:
      written by this run, or that a dry run would write.
    * ``written``: the files this run wrote (empty in a dry run).
    * ``existing``: planned files that were already there, verified, and left untouched.
    * ``rewritten``: ``(output, reason)`` for each existing output that failed
      verification (empty, not a decodable PNG of the right size, not equal to
      its source) and was replaced (or, in a dry run, would be).
    * ``skipped``: ``(source, reason)`` for each source file left out.
    * ``removed_partial``: leftover temporary files of an interrupted run that
      were removed (or, in a dry run, would be).
    * ``rows``: the manifest's rows (dicts keyed by :data:`MANIFEST_COLUMNS`).
    """

    src: Path
    dst: Path
    dry_run: bool
    classes: tuple[str, ...]
    n_sources: int
    planned: list[str] = field(default_factory=list)
    to_write: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    rewritten: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    removed_partial: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    bytes_written: int = 0
    seconds: float = 0.0

    @property
    def manifest(self) -> Path:
        """Where the manifest is (a dry run does not write it)."""
        return self.dst / MANIFEST_NAME

    def counts(self) -> dict[str, int]:
        """The sizes of the lists, for a table."""
        return {"source images": self.n_sources, "planned": len(self.planned), "to write": len(self.to_write),
                "written": len(self.written), "already there": len(self.existing),
                "damaged, rewritten": len(self.rewritten), "skipped sources": len(self.skipped),
                "partial files removed": len(self.removed_partial)}

    def summary(self) -> str:
        """A few lines saying what happened."""
        head = (f"{self.n_sources} source images in {len(self.classes)} classes -> "
                f"{len(self.planned)} output files in {self.dst}")
        if self.dry_run:
            body = (f"dry run: would write {len(self.to_write)} files ({len(self.rewritten)} of them to replace "
                    f"damaged ones), {len(self.existing)} already there; would remove "
                    f"{len(self.removed_partial)} partial files; nothing was written")
        else:
            body = (f"wrote {len(self.written)} files ({self.bytes_written:,} bytes) in {self.seconds:.1f} s, "
                    f"left {len(self.existing)} already there untouched, replaced {len(self.rewritten)} damaged "
                    f"files, removed {len(self.removed_partial)} partial files")
        lines = [head, body]
        if self.rewritten:
            lines.append(f"{'would replace' if self.dry_run else 'replaced'} {len(self.rewritten)} damaged files:")
            lines += [f"  {output}: {reason}" for output, reason in self.rewritten]
        if self.skipped:
            lines.append(f"skipped {len(self.skipped)} source files:")
            lines += [f"  {source}: {reason}" for source, reason in self.skipped]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


@dataclass
class _Source:
    rel: str  # relative to src, posix
    path: Path
    label: str
    outputs: list[tuple[str, str, int | None]]  # (output rel, kind, variant)


@dataclass
class _Scan:
    found: list[tuple[str, Path, str]]  # (rel, path, class) of every image file
    skipped: list[tuple[str, str]]
    real_dirs: dict[str, str]  # real path of every folder read outside src (through a link) -> its rel
    real_files: dict[str, str]  # real path of every image file outside src (through a link) -> its rel


# --------------------------------------------------------------------------- argument checks


def _path_arg(name: str, value: Any) -> Path:
    if isinstance(value, bool) or not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a path (str or pathlib.Path), got {type(value).__name__}")
    if str(value) == "":
        raise ValueError(f"{name} must not be an empty path")
    return Path(value).expanduser()


def _bool_arg(name: str, value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def _option_defaults(name: str) -> dict[str, Any]:
    """The keyword options of transform ``name`` and their defaults, from its signature."""
    parameters = inspect.signature(T.TRANSFORMS[name]).parameters.values()
    return {p.name: p.default for p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY}


def _options_arg(i: int, name: str, options: Any) -> dict[str, Any]:
    """Options as plain Python values with every default filled in (so equal settings compare equal)."""
    if not isinstance(options, Mapping):
        raise TypeError(f"transforms[{i}]: options must be a dict, got {type(options).__name__}")
    defaults = _option_defaults(name)
    unknown = sorted(str(k) for k in options if k not in defaults)
    if unknown:
        raise TypeError(f"transforms[{i}] ({name}): unknown option(s) {unknown}; its options are: "
                        f"{', '.join(defaults) or 'none'}")
    out = dict(defaults)
    for key, value in options.items():
        if isinstance(value, (np.ndarray, list, tuple, set, Mapping)):
            raise TypeError(f"transforms[{i}] ({name}): option {key!r} must be one value, got "
                            f"{type(value).__name__} {value!r}")
        if isinstance(value, np.generic):
            value = value.item()
        if isinstance(defaults[key], float) and isinstance(value, Real) and not isinstance(value, bool):
            value = float(value)
        out[key] = value
    return out


def _steps_arg(transforms: Any) -> list[tuple[str, float, dict[str, Any]]]:
    """The transform spec as a list of ``(name, strength, options)``, checked and normalised."""
    if isinstance(transforms, Mapping):
        items: list[Any] = [(k, v) for k, v in transforms.items()]
    elif isinstance(transforms, Sequence) and not isinstance(transforms, (str, bytes)):
        items = list(transforms)
    else:
        raise TypeError("transforms must be a list of (name, strength) or (name, strength, options) tuples, "
                        f"or a dict {{name: strength}}; got {type(transforms).__name__}")
    if not items:
        raise ValueError("transforms must name at least one transform")
    steps = []
    probe = np.zeros((4, 4, 3), dtype=np.uint8)
    for i, item in enumerate(items):
        if not isinstance(item, (tuple, list)) or len(item) not in (2, 3):
            raise TypeError(f"transforms[{i}] must be (name, strength) or (name, strength, options), got {item!r}")
        name, strength = item[0], item[1]
        if not isinstance(name, str) or name not in T.TRANSFORMS:
            raise ValueError(f"transforms[{i}]: unknown transform {name!r}; choose from {', '.join(T.TRANSFORMS)}")
        options = _options_arg(i, name, item[2] if len(item) == 3 else {})
        T.check_step(name, strength, options, where=f"transforms[{i}] ({name})")
        try:  # one trial on a tiny image checks the strength and the options with the engine's own messages
            strength = _validate.number("strength", strength, minimum=0.0)
            augment_variant(probe, [(name, strength, options)], 0)
        except (TypeError, ValueError) as err:
            raise type(err)(f"transforms[{i}] ({name}): {err}") from None
        steps.append((name, strength, options))
    return steps


def _extensions_arg(image_extensions: Any, name: str = "image_extensions") -> tuple[str, ...]:
    if isinstance(image_extensions, (str, bytes)) or not isinstance(image_extensions, Sequence) \
            or not image_extensions:
        raise TypeError(f"{name} must be a non-empty list like ['.png', '.jpg'], got {image_extensions!r}")
    out = []
    for ext in image_extensions:
        if not isinstance(ext, str) or not ext.startswith(".") or len(ext) < 2:
            raise ValueError(f"{name} must hold extensions starting with a dot, like '.png'; got {ext!r}")
        out.append(ext.lower())
    return tuple(dict.fromkeys(out))


def _is_within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _shown(given: Path, real: Path) -> str:
    """``given`` as the caller wrote it, plus its real path when symbolic links lead elsewhere."""
    return repr(str(given)) if os.path.abspath(given) == str(real) else f"{str(given)!r} (real path {real})"


def check_destination(src: str | os.PathLike, dst: str | os.PathLike) -> Path:
    """Return ``dst`` resolved, or raise if writing there could touch ``src``.

    Refused: ``dst`` equal to ``src``, inside it, or containing it (a class
    folder written under ``dst`` could then land in ``src``), after resolving
    symbolic links (in ``dst`` itself and in its parents) and ``..``; and a
    ``dst`` that is an existing file. ``src`` must be an existing directory.
    (:func:`augment_directory` also checks the folders that links inside
    ``src`` lead to.)
    """
    src_path, dst_path = _path_arg("src", src), _path_arg("dst", dst)
    if not src_path.exists():
        raise FileNotFoundError(f"src {str(src_path)!r} does not exist")
    if not src_path.is_dir():
        raise NotADirectoryError(f"src {str(src_path)!r} is not a directory; give the folder that holds one "
                                 "sub-folder per class")
    real_src, real_dst = _real(src_path), _real(dst_path)
    if _is_within(real_dst, real_src):
        raise ValueError(f"dst {_shown(dst_path, real_dst)} is "
                         f"{'the same folder as' if real_dst == real_src else 'inside'} src "
                         f"{_shown(src_path, real_src)}; write the augmented copy to a folder outside src, "
                         "e.g. a sibling folder")
    if _is_within(real_src, real_dst):
        raise ValueError(f"dst {_shown(dst_path, real_dst)} contains src {_shown(src_path, real_src)}; a class "
                         "folder written in dst could land inside src. Choose a folder outside src, e.g. a "
                         "sibling folder")
    if real_dst.exists() and not real_dst.is_dir():
        raise NotADirectoryError(f"dst {str(dst_path)!r} exists and is not a directory")
    return real_dst


def _check_linked_sources(dst: Path, real_dst: Path, scan: _Scan) -> None:
    """Refuse a ``dst`` inside, equal to or containing any real folder or file that ``src`` reads."""
    for real, rel in scan.real_dirs.items():
        folder = Path(real)
        if _is_within(real_dst, folder):
            raise ValueError(f"dst {str(dst)!r} is inside {folder}, the folder that src reads through the "
                             f"symbolic link {rel!r}: writing there would change the source. Choose a folder "
                             "outside src and outside every folder its links lead to")
        if _is_within(folder, real_dst):
            raise ValueError(f"dst {str(dst)!r} contains {folder}, the folder that src reads through the "
                             f"symbolic link {rel!r}: a folder written in dst could land in it. Choose a folder "
                             "outside src and outside every folder its links lead to")
    for real, rel in scan.real_files.items():
        if _is_within(Path(real), real_dst):
            raise ValueError(f"dst {str(dst)!r} contains {real}, which src reads through {rel!r}; choose a "
                             "folder that holds none of the source images")


# --------------------------------------------------------------------------- reading src


def _scan(src: Path, extensions: tuple[str, ...]) -> _Scan:
    """Every image file under ``src/<class>/`` (any depth, following links), and what was left out."""
    scan = _Scan([], [], {}, {})
    real_src = os.path.realpath(src)

    def outside(real: str) -> bool:
        return not _is_within(Path(real), Path(real_src))

    stack: list[tuple[Path, str, tuple[str, ...]]] = [(src, "", (real_src,))]
    while stack:  # depth first, in name order: files of a folder, then its sub-folders
        folder, rel, chain = stack.pop()
        if outside(chain[-1]):
            scan.real_dirs.setdefault(chain[-1], rel)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as err:
            scan.skipped.append((rel or ".", f"the folder cannot be read ({type(err).__name__}: {err.strerror})"))
            continue
        subfolders = []
        for entry in entries:
            path, entry_rel = Path(entry.path), f"{rel}/{entry.name}" if rel else entry.name
            if entry.is_symlink() and not path.exists():
                scan.skipped.append((entry_rel, "a broken symbolic link (what it points to does not exist)"))
            elif entry.is_dir():  # follows links
                real = os.path.realpath(path)
                if real in chain:
                    scan.skipped.append((entry_rel, "a symbolic link to a folder above it (following it would "
                                                    "loop forever)"))
                else:
                    subfolders.append((path, entry_rel, (*chain, real)))
            elif not entry.is_file():
                scan.skipped.append((entry_rel, "not a regular file (a pipe, socket or device)"))
            elif not rel:
                scan.skipped.append((entry_rel, "not inside a class folder (src must hold one sub-folder per class)"))
            elif path.suffix.lower() not in extensions:
                scan.skipped.append((entry_rel, f"not an image file (extension {path.suffix or 'none'!r} is not "
                                                f"one of {', '.join(extensions)})"))
            else:
                scan.found.append((entry_rel, path, entry_rel.split("/", 1)[0]))
                if outside(real := os.path.realpath(path)):
                    scan.real_files.setdefault(real, entry_rel)
        stack.extend(reversed(subfolders))
    return scan


def _plan(found: list[tuple[str, Path, str]], k: int, include_originals: bool) -> tuple[list[_Source], list[tuple[str, str]]]:
    """Output names for every source; a source whose names collide with another's is skipped."""
    width = max(2, len(str(k - 1)))
    by_stem: dict[tuple[str, str], int] = {}
    for rel, path, _ in found:
        key = (rel.rsplit("/", 1)[0], path.stem)
        by_stem[key] = by_stem.get(key, 0) + 1
    sources, skipped, taken = [], [], {}
    for rel, path, label in found:
        folder = rel.rsplit("/", 1)[0]
        stem = path.stem
        if by_stem[(folder, stem)] > 1:  # cat.png and cat.jpg in one folder: keep the extension in the name
            stem = f"{stem}_{path.suffix[1:].lower()}"
        outputs: list[tuple[str, str, int | None]] = []
        if include_originals:
            outputs.append((f"{folder}/{stem}__orig{path.suffix.lower()}", "original", None))
        outputs += [(f"{folder}/{stem}__aug{v:0{width}d}.png", "augmented", v) for v in range(k)]
        clash = next((taken[o] for o, _, _ in outputs if o in taken), None)
        if clash is not None:
            skipped.append((rel, f"its output names collide with those of {clash}; rename one of them"))
            continue
        taken.update({o: rel for o, _, _ in outputs})
        sources.append(_Source(rel, path, label, outputs))
    return sources, skipped


def _read_image(path: Path) -> np.ndarray:
    """Decode an image file to uint8 ``H x W`` (grey) or ``H x W x 3``; raises on unreadable files."""
    from PIL import Image

    with Image.open(path) as img:
        img.load()
        if img.mode != "L":
            img = img.convert("RGB")
        return np.asarray(img, dtype=np.uint8).copy()


def _image_shape(path: Path) -> tuple[int, ...]:
    """The shape :func:`_read_image` would return, from the file header only."""
    from PIL import Image

    with Image.open(path) as img:
        return (img.height, img.width) if img.mode == "L" else (img.height, img.width, 3)


def _damage(target: Path, kind: str, source: Path, shape: tuple[int, ...]) -> str | None:
    """Why the existing output ``target`` cannot be trusted, or None when it is good."""
    if target.is_symlink() or not target.is_file():
        return "not a regular file"
    if target.stat().st_size == 0:
        return "empty (0 bytes)"
    if kind == "original":
        return None if filecmp.cmp(target, source, shallow=False) else "not a byte-for-byte copy of its source"
    from PIL import Image

    try:
        with Image.open(target) as img:
            img.load()
            got, kind_of, mode = (img.height, img.width), img.format, img.mode
    except Exception as err:  # Pillow raises several types for broken files
        return f"not a decodable image ({type(err).__name__})"
    want = "L" if len(shape) == 2 else "RGB"
    if kind_of != "PNG" or mode != want:
        return f"not a PNG image in mode {want} ({kind_of} image in mode {mode})"
    if got != tuple(shape[:2]):
        return f"{got[0]} x {got[1]} pixels, but its source has {shape[0]} x {shape[1]}"
    return None


# --------------------------------------------------------------------------- writing dst


def _save_png(image: np.ndarray, handle: BinaryIO) -> None:
    """Encode ``image`` as PNG into the open file ``handle``."""
    from PIL import Image

    Image.fromarray(image).save(handle, format="PNG")


def _copy_into(path: Path, handle: BinaryIO) -> None:
    with open(path, "rb") as source:
        shutil.copyfileobj(source, handle)


def _write_if_changed(target: Path, data: bytes) -> None:
    """Atomically write ``data`` unless ``target`` already holds exactly it (then it is left untouched)."""
    if target.is_file() and not target.is_symlink() and target.read_bytes() == data:
        return
    write_atomically(target, lambda handle: handle.write(data))


def _write_table(target: Path, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    _write_if_changed(target, buffer.getvalue().encode())


def _partial_files(dst: Path) -> list[Path]:
    if not dst.is_dir():
        return []
    return sorted(p for p in dst.rglob(f".*{PARTIAL_SUFFIX}") if p.is_file() or p.is_symlink())


def _check_dst_contents(dst: Path, shown: Path, settings: dict[str, Any]) -> None:
    """Refuse a non-empty ``dst`` that this function did not make, or made with other settings."""
    if not dst.is_dir() or all(p.name.endswith(PARTIAL_SUFFIX) for p in dst.iterdir()):
        return  # new, empty, or holding only the temporary file of a run killed at its very start
    stored_path = dst / SETTINGS_NAME
    if not stored_path.is_file():
        raise ValueError(f"dst {str(shown)!r} is not empty and was not made by augment_directory (it has no "
                         f"{SETTINGS_NAME}); choose a new or empty folder so nothing of yours gets mixed in")
    try:
        stored = json.loads(stored_path.read_text())
    except (OSError, ValueError) as err:
        raise ValueError(f"dst {str(shown)!r}: cannot read {SETTINGS_NAME} ({err}); choose a new folder") from None
    if stored != settings:
        keys = set(stored) | set(settings) if isinstance(stored, dict) else set(settings)
        changed = sorted(k for k in keys if not isinstance(stored, dict) or stored.get(k) != settings.get(k))
        raise ValueError(f"dst {str(shown)!r} holds an augmentation made with different settings (changed: "
                         f"{', '.join(changed)}); resuming would mix the two. Use a new folder, or delete "
                         "this one yourself if you no longer need it")


def _writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


def _preflight(dst: Path, shown: Path, sources: list[_Source]) -> None:
    """Everything that would make a write fail later, checked now (nothing is written yet)."""
    existing = dst
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise NotADirectoryError(f"dst {str(shown)!r} cannot be made: {existing} is a file, not a folder")
    if not _writable(existing):
        raise PermissionError(f"dst {str(shown)!r}: no permission to write in {existing}; choose a folder you "
                              "can write to, or change its permissions")
    if not dst.exists():
        return  # a new folder: nothing inside it can be in the way
    for name in (SETTINGS_NAME, MANIFEST_NAME, SKIPPED_NAME):
        if (dst / name).exists() and not (dst / name).is_file():
            raise IsADirectoryError(f"dst {str(shown)!r}: {name} there is a folder (or another non-file), so "
                                    "it cannot be written; remove it or choose a new folder")
    checked: set[str] = set()
    for source in sources:
        for out_rel, _, _ in source.outputs:
            parts = out_rel.split("/")
            for depth in range(1, len(parts)):
                rel = "/".join(parts[:depth])
                if rel in checked:
                    continue
                checked.add(rel)
                folder = dst / rel
                if folder.is_symlink():
                    raise ValueError(f"dst {str(shown)!r}: {rel} there is a symbolic link; augment_directory "
                                     "writes only into folders it made itself. Remove the link or choose a new "
                                     "folder")
                if folder.exists() and not folder.is_dir():
                    raise NotADirectoryError(f"dst {str(shown)!r}: {rel} there is a file, but outputs must go "
                                             "into a folder of that name; remove it or choose a new folder")
                if folder.is_dir() and not _writable(folder):
                    raise PermissionError(f"dst {str(shown)!r}: no permission to write in its folder {rel}")
            if (dst / out_rel).is_dir() and not (dst / out_rel).is_symlink():
                raise IsADirectoryError(f"dst {str(shown)!r}: the output name {out_rel} is taken by a folder; "
                                        "remove it or choose a new folder")


# --------------------------------------------------------------------------- the public functions


def augment_directory(
    src: str | os.PathLike,
    dst: str | os.PathLike,
    *,
    variants_per_image: int,
    transforms: TransformSpec,
    seed: int = 0,
    include_originals: bool = False,
    dry_run: bool = False,
    progress: bool = True,
    image_extensions: Sequence[str] = IMAGE_EXTENSIONS,
) -> AugmentReport:
    """Write an augmented copy of the class-per-folder image dataset ``src`` to ``dst``.

    For every image ``src/<class>/.../<stem>.<ext>`` this writes
    ``variants_per_image`` variants ``dst/<class>/.../<stem>__aug00.png``,
    ``__aug01.png``, ...; each applies ``transforms`` in order with parameters
    drawn from the output's own seeded generator. With
    ``include_originals=True`` the original file is also copied, byte for byte,
    to ``<stem>__orig<ext>``, so ``dst`` alone is a complete training set.
    (If two sources in one folder share a stem, e.g. ``cat.png`` and
    ``cat.jpg``, their names keep the extension: ``cat_png__aug00.png``.)

    ``transforms``: a list of ``(name, strength)`` or
    ``(name, strength, options)`` (names and strengths as in
    :data:`course_lib.transforms.TRANSFORMS`), or a dict ``{name: strength}``.

    Files that are not images (by extension, see ``image_extensions``), cannot
    be decoded, or are not inside a class folder are skipped and listed in the
    report and in ``dst/skipped.csv``. ``dst/manifest.csv`` has one row per
    output file. See the module docstring for the safety rules (``src`` is
    never modified, links included; checks before the first write; atomic
    writes; resuming with verification; the settings check).

    ``dry_run=True`` reads the sources and reports what would be written,
    writing nothing. ``progress`` shows a tqdm progress bar on standard error.
    Returns an :class:`AugmentReport`.
    """
    src_path = _path_arg("src", src)
    dst_resolved = check_destination(src_path, dst)
    dst_path = Path(dst).expanduser()
    k = _validate.integer("variants_per_image", variants_per_image, minimum=1, maximum=MAX_VARIANTS)
    steps = _steps_arg(transforms)
    seed = _validate.integer("seed", seed, minimum=0, maximum=2**63 - 1)
    include_originals = _bool_arg("include_originals", include_originals)
    dry_run = _bool_arg("dry_run", dry_run)
    progress = _bool_arg("progress", progress)
    extensions = _extensions_arg(image_extensions)
    from tqdm import tqdm

    start = time.perf_counter()
    scan = _scan(src_path, extensions)
    _check_linked_sources(dst_path, dst_resolved, scan)
    settings = {"src": str(_real(src_path)), "variants_per_image": k, "seed": seed,
                "include_originals": include_originals, "image_extensions": list(extensions),
                "transforms": [{"name": n, "strength": s, "options": o} for n, s, o in steps]}
    _check_dst_contents(dst_resolved, dst_path, settings)
    sources, collisions = _plan(scan.found, k, include_originals)
    skipped = scan.skipped + collisions
    _preflight(dst_resolved, dst_path, sources)

    report = AugmentReport(src=src_path, dst=dst_path, dry_run=dry_run,
                           classes=tuple(sorted({s.label for s in sources})), n_sources=len(sources))
    partial = _partial_files(dst_resolved)
    report.removed_partial = [p.relative_to(dst_resolved).as_posix() for p in partial]
    if not dry_run:
        dst_resolved.mkdir(parents=True, exist_ok=True)
        _write_if_changed(dst_resolved / SETTINGS_NAME, (json.dumps(settings, indent=2) + "\n").encode())
        for p in partial:
            p.unlink()

    bar = tqdm(total=len(sources), desc="dry run" if dry_run else "augment_directory", unit="image",
               disable=not progress, file=sys.stderr)
    unreadable: set[str] = set()
    try:
        for source in sources:
            try:  # the header gives the shape that existing outputs must have
                shape = _image_shape(source.path)
                damage = {o: ("missing" if not (dst_resolved / o).exists() and not (dst_resolved / o).is_symlink()
                              else _damage(dst_resolved / o, kind, source.path, shape))
                          for o, kind, _ in source.outputs}
                # decode only when something must be written (or checked, in a dry run)
                image = _read_image(source.path) if (dry_run or any(damage.values())) else None
            except Exception as err:  # Pillow raises several types for bad files; none may stop the run
                skipped.append((source.rel, f"cannot be read as an image ({type(err).__name__}: {err})"))
                unreadable.add(source.rel)
                bar.update(1)
                continue
            if image is not None:
                shape = image.shape
            for out_rel, kind, variant in source.outputs:
                seed_of_file = file_seed(seed, source.rel, variant) if variant is not None else None
                drawn = draw_parameters(steps, shape, seed_of_file) if variant is not None else []
                report.planned.append(out_rel)
                report.rows.append({"output": out_rel, "source": source.rel, "class": source.label, "kind": kind,
                                    "variant": "" if variant is None else variant, "seed": seed,
                                    "file_seed": "" if seed_of_file is None else seed_of_file,
                                    "transforms": json.dumps(drawn)})
                problem = damage[out_rel]
                if problem is None:
                    report.existing.append(out_rel)
                    continue
                report.to_write.append(out_rel)
                if problem != "missing":
                    report.rewritten.append((out_rel, problem))
                if dry_run:
                    continue
                target = dst_resolved / out_rel
                target.parent.mkdir(parents=True, exist_ok=True)
                if kind == "original":
                    size = write_atomically(target, lambda handle, p=source.path: _copy_into(p, handle))
                else:
                    result, _ = augment_variant(image, steps, seed_of_file)
                    size = write_atomically(target, lambda handle, im=result: _save_png(im, handle))
                report.written.append(out_rel)
                report.bytes_written += size
            bar.update(1)
    finally:
        bar.close()
    report.n_sources = len(sources) - len(unreadable)
    report.classes = tuple(sorted({s.label for s in sources if s.rel not in unreadable}))
    report.skipped = sorted(skipped)
    if not dry_run:
        _write_table(dst_resolved / MANIFEST_NAME, MANIFEST_COLUMNS, report.rows)
        _write_table(dst_resolved / SKIPPED_NAME, ("source", "reason"),
                     [{"source": s, "reason": r} for s, r in report.skipped])
    report.seconds = time.perf_counter() - start
    return report


def read_manifest(dst: str | os.PathLike):
    """``dst/manifest.csv`` as a pandas DataFrame, with one extra column per drawn parameter.

    The extra columns are named ``<transform>.<parameter>`` (e.g.
    ``rotation.angle``) and are empty for copies of the originals.
    """
    import pandas as pd

    path = _path_arg("dst", dst) / MANIFEST_NAME
    if not path.is_file():
        raise FileNotFoundError(f"dst has no {MANIFEST_NAME} at {path}: run augment_directory (not a dry run) first")
    table = pd.read_csv(path, dtype={"variant": "Int64", "file_seed": "string"}, keep_default_na=True)
    extra: dict[str, list[Any]] = {}
    for i, text in enumerate(table["transforms"]):
        for step in json.loads(text):
            for key, value in step["params"].items():
                extra.setdefault(f"{step['name']}.{key}", [None] * len(table))[i] = value
    for column, values in extra.items():
        table[column] = values
    return table


def folder_size(folder: str | os.PathLike, extensions: Sequence[str] | None = None) -> tuple[int, int]:
    """Count the files under ``folder`` (any depth) and their total size: ``(n_files, n_bytes)``.

    With ``extensions`` (e.g. ``[".png"]``) only files with those extensions
    (case-insensitive) are counted. Sizes are file sizes in bytes, not the
    blocks the disk reserves for them.
    """
    path = _path_arg("folder", folder)
    if not path.is_dir():
        raise NotADirectoryError(f"folder {str(path)!r} is not an existing directory")
    exts = _extensions_arg(extensions, "extensions") if extensions is not None else None
    n_files = n_bytes = 0
    for root, _, files in os.walk(path):
        for name in files:
            if exts is None or Path(name).suffix.lower() in exts:
                n_files += 1
                n_bytes += os.path.getsize(os.path.join(root, name))
    return n_files, n_bytes


def save_image_folder(
    images: np.ndarray,
    labels: np.ndarray,
    class_names: Sequence[str],
    folder: str | os.PathLike,
) -> int:
    """Save uint8 images as PNG files in a class-per-folder layout; return how many were written.

    Image ``i`` goes to ``folder/<class_names[labels[i]]>/<class>_<i:05d>.png``
    (written atomically). ``folder`` must not exist yet or be empty, so
    nothing already there is overwritten. Class names must be distinct folder
    names (also ignoring case, as some file systems do).
    """
    images = _validate.array("images", images, ndims=(3, 4))
    if images.dtype != np.uint8:
        raise TypeError(f"images must have dtype uint8, got {images.dtype}")
    if images.ndim == 4 and images.shape[-1] not in (1, 3):
        raise ValueError(f"images must have 1 or 3 channels, got shape {images.shape}")
    if isinstance(class_names, (str, bytes)) or not isinstance(class_names, Sequence) or not class_names \
            or not all(isinstance(c, str) and c.strip() and not set(c) & set("/\\\0") and c not in (".", "..")
                       for c in class_names):
        raise ValueError(f"class_names must be a non-empty list of folder names, got {class_names!r}")
    folded = [c.casefold() for c in class_names]
    twice = sorted({c for c in class_names if folded.count(c.casefold()) > 1})
    if twice:
        raise ValueError(f"class_names must be distinct, but {twice} would share one folder (names are compared "
                         "ignoring case); the two classes would be merged")
    labels = _validate.labels("labels", labels, n=len(images))
    if labels.size and labels.max() >= len(class_names):
        raise ValueError(f"labels must be class indices in 0..{len(class_names) - 1} (one per name in class_names), "
                         f"got {labels.max()}")
    path = _path_arg("folder", folder)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise ValueError(f"folder {str(path)!r} already exists and is not empty; choose a new folder")
    for i, (image, label) in enumerate(zip(images, labels)):
        name = class_names[label]
        pixels = image[..., 0] if image.ndim == 3 and image.shape[-1] == 1 else image
        (path / name).mkdir(parents=True, exist_ok=True)
        write_atomically(path / name / f"{name}_{i:05d}.png", lambda handle, im=pixels: _save_png(im, handle))
    return len(images)


__all__ = [
    "IMAGE_EXTENSIONS", "MANIFEST_COLUMNS", "MANIFEST_NAME", "MAX_VARIANTS", "PARTIAL_SUFFIX", "SETTINGS_NAME",
    "SKIPPED_NAME", "AugmentReport", "augment_directory", "check_destination", "folder_size", "read_manifest",
    "save_image_folder",
]
