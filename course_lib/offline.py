"""Offline augmentation: write an augmented copy of an image folder to disk, safely.

:func:`augment_directory` reads a class-per-folder dataset::

    src/
      cat/  img001.png  img002.jpg ...
      dog/  ...

and writes ``variants_per_image`` augmented variants of every image to
``dst/<class>/<stem>__aug00.png``, ``__aug01.png``, ... (optionally also a copy
of the original, ``<stem>__orig<ext>``), ready for
``keras.utils.image_dataset_from_directory(dst)``. It is built to be safe to
run on data you care about:

* **src is read-only.** Nothing under ``src`` is ever written, renamed or
  deleted, and a ``dst`` equal to ``src``, inside it, or containing it is
  refused (symbolic links are resolved first).
* **Deterministic.** Each output file has its own random generator, seeded
  from ``seed``, the source's path relative to ``src`` and the variant number
  (``file_seed`` in the manifest), so the same inputs and seed give the same
  files byte for byte, whatever order or how many runs they are written in.
* **A manifest.** ``dst/manifest.csv`` has one row per output file: its
  source, the transforms with the exact parameters drawn, and the seeds.
  ``dst/skipped.csv`` lists the source files that were skipped, and why.
* **Bad files are skipped, not fatal.** Files that are not images, or cannot
  be decoded, are reported and left out.
* **Atomic writes and resuming.** Each file is written to a temporary
  ``.<name>.augment-part`` file in its destination folder and renamed into
  place with ``os.replace``, so an interrupted run never leaves a half-written
  image under a real name. Running again skips the files that exist (they are
  not rewritten, so their bytes and modification times stay the same), removes
  leftover temporary files, and writes the rest. The settings are kept in
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

import contextlib
import csv
import hashlib
import io
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from . import _validate
from . import transforms as T

#: The file extensions (lower case) read as images unless told otherwise:
#: those ``keras.utils.image_dataset_from_directory`` reads.
IMAGE_EXTENSIONS: tuple[str, ...] = (".png", ".jpg", ".jpeg", ".bmp", ".gif")
#: The manifest, one row per output file, in ``dst``.
MANIFEST_NAME = "manifest.csv"
#: The list of skipped source files, in ``dst``.
SKIPPED_NAME = "skipped.csv"
#: The settings of the run, in ``dst``, checked when a run resumes.
SETTINGS_NAME = "augment_settings.json"
#: Temporary files end with this; only such files are ever deleted from ``dst``.
PARTIAL_SUFFIX = ".augment-part"
#: The columns of ``manifest.csv``.
MANIFEST_COLUMNS: tuple[str, ...] = ("output", "source", "class", "kind", "variant", "seed", "file_seed", "transforms")

TransformSpec = Mapping[str, float] | Sequence[tuple[str, float] | tuple[str, float, Mapping[str, Any]]]


@dataclass
class AugmentReport:
    """What :func:`augment_directory` did (or, in a dry run, would do).

    Paths in the lists are relative to ``dst`` (outputs) or ``src`` (sources),
    with ``/`` separators.

    * ``planned``: every output file of the augmented dataset.
    * ``to_write``: the planned files missing when the run started: written by
      this run, or that a dry run would write.
    * ``written``: the files this run wrote (empty in a dry run).
    * ``existing``: planned files that were already there and were left untouched.
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
                "skipped sources": len(self.skipped), "partial files removed": len(self.removed_partial)}

    def summary(self) -> str:
        """A few lines saying what happened."""
        head = (f"{self.n_sources} source images in {len(self.classes)} classes -> "
                f"{len(self.planned)} output files in {self.dst}")
        if self.dry_run:
            body = (f"dry run: would write {len(self.to_write)} files, {len(self.existing)} already there; "
                    f"would remove {len(self.removed_partial)} partial files; nothing was written")
        else:
            body = (f"wrote {len(self.written)} files ({self.bytes_written:,} bytes) in {self.seconds:.1f} s, "
                    f"left {len(self.existing)} already there untouched, "
                    f"removed {len(self.removed_partial)} partial files")
        lines = [head, body]
        if self.skipped:
            lines.append(f"skipped {len(self.skipped)} source files:")
            lines += [f"  {source}: {reason}" for source, reason in self.skipped]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


@dataclass(frozen=True)
class _Step:
    name: str
    strength: float
    options: dict[str, Any]


@dataclass
class _Source:
    rel: str  # relative to src, posix
    path: Path
    label: str
    outputs: list[tuple[str, str, int | None]]  # (output rel, kind, variant)


# --------------------------------------------------------------------------- argument checks


def _path_arg(name: str, value: Any) -> Path:
    if isinstance(value, bool) or not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a path (str or pathlib.Path), got {type(value).__name__}")
    if str(value) == "":
        raise ValueError(f"{name} must not be an empty path")
    return Path(value).expanduser()


def _bool_arg(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return value


def _steps_arg(transforms: Any) -> list[_Step]:
    """Normalise the transform spec to a list of steps, checking every name, strength and option."""
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
        options = dict(item[2]) if len(item) == 3 and isinstance(item[2], Mapping) else None
        if len(item) == 3 and options is None:
            raise TypeError(f"transforms[{i}]: options must be a dict, got {type(item[2]).__name__}")
        if not isinstance(name, str) or name not in T.TRANSFORMS:
            raise ValueError(f"transforms[{i}]: unknown transform {name!r}; choose from {', '.join(T.TRANSFORMS)}")
        try:  # one trial draw checks the strength and the options with the transform's own messages
            params = T.sample_parameters(name, strength, np.random.default_rng(0), probe.shape)
            T.apply_parameters(name, probe, params, **(options or {}))
        except (TypeError, ValueError) as err:
            raise type(err)(f"transforms[{i}] ({name}): {err}") from None
        steps.append(_Step(name, float(strength), options or {}))
    return steps


def _extensions_arg(image_extensions: Any) -> tuple[str, ...]:
    if isinstance(image_extensions, (str, bytes)) or not isinstance(image_extensions, Sequence) \
            or not image_extensions:
        raise TypeError(f"image_extensions must be a non-empty list like ['.png', '.jpg'], got {image_extensions!r}")
    out = []
    for ext in image_extensions:
        if not isinstance(ext, str) or not ext.startswith(".") or len(ext) < 2:
            raise ValueError(f"image_extensions must hold extensions starting with a dot, like '.png'; got {ext!r}")
        out.append(ext.lower())
    return tuple(dict.fromkeys(out))


def _is_within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_destination(src: str | os.PathLike, dst: str | os.PathLike) -> Path:
    """Return ``dst`` resolved, or raise if writing there could touch ``src``.

    Refused: ``dst`` equal to ``src``, inside it, or containing it (a class
    folder written under ``dst`` could then land in ``src``), after resolving
    symbolic links and ``..``; and a ``dst`` that is an existing file.
    ``src`` must be an existing directory.
    """
    src_path, dst_path = _path_arg("src", src), _path_arg("dst", dst)
    if not src_path.exists():
        raise FileNotFoundError(f"src {str(src_path)!r} does not exist")
    if not src_path.is_dir():
        raise NotADirectoryError(f"src {str(src_path)!r} is not a directory; give the folder that holds one "
                                 "sub-folder per class")
    real_src, real_dst = src_path.resolve(), dst_path.resolve()
    if _is_within(real_dst, real_src):
        raise ValueError(f"dst {str(dst_path)!r} is {'the same folder as' if real_dst == real_src else 'inside'} "
                         f"src {str(src_path)!r} (resolved: {real_dst}); write the augmented copy to a "
                         "folder outside src, e.g. a sibling folder")
    if _is_within(real_src, real_dst):
        raise ValueError(f"dst {str(dst_path)!r} contains src {str(src_path)!r}; a class folder written in dst "
                         "could land inside src. Choose a folder outside src, e.g. a sibling folder")
    if real_dst.exists() and not real_dst.is_dir():
        raise NotADirectoryError(f"dst {str(dst_path)!r} exists and is not a directory")
    return real_dst


# --------------------------------------------------------------------------- planning


def _file_seed(seed: int, source_rel: str, variant: int) -> int:
    """A 63-bit seed for one output file from the run seed, the source path and the variant."""
    digest = hashlib.sha256(f"{seed}\x00{source_rel}\x00{variant}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def _scan(src: Path, extensions: tuple[str, ...]) -> tuple[list[tuple[str, Path, str]], list[tuple[str, str]]]:
    """Image files under ``src/<class>/`` (any depth) as (rel, path, class), and the files left out."""
    found: list[tuple[str, Path, str]] = []
    skipped: list[tuple[str, str]] = []
    for root, dirs, files in os.walk(src):
        dirs.sort()
        here = Path(root)
        for name in sorted(files):
            path = here / name
            rel = path.relative_to(src).as_posix()
            if here == src:
                skipped.append((rel, "not inside a class folder (src must hold one sub-folder per class)"))
            elif path.suffix.lower() not in extensions:
                skipped.append((rel, f"not an image file (extension {path.suffix or 'none'!r} is not one of "
                                     f"{', '.join(extensions)})"))
            else:
                found.append((rel, path, rel.split("/", 1)[0]))
    return found, skipped


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


# --------------------------------------------------------------------------- reading, transforming, writing


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


def _draw(steps: list[_Step], shape: tuple[int, ...], file_seed: int) -> list[dict[str, Any]]:
    """The parameters each step applies to one output, drawn from the file's own generator."""
    rng = np.random.default_rng(file_seed)
    return [{"name": s.name, "strength": s.strength, "params": T.sample_parameters(s.name, s.strength, rng, shape),
             "options": s.options} for s in steps]


def _apply(image: np.ndarray, drawn: list[dict[str, Any]]) -> np.ndarray:
    for step in drawn:
        image = T.apply_parameters(step["name"], image, step["params"], **step["options"])
    return image


def _save_png(image: np.ndarray, handle: BinaryIO) -> None:
    """Encode ``image`` as PNG into the open file ``handle``."""
    from PIL import Image

    Image.fromarray(image).save(handle, format="PNG")


def _atomic_write(target: Path, write: Callable[[BinaryIO], None]) -> int:
    """Write a file through a temporary file in the same folder and ``os.replace``; return its size.

    If anything goes wrong (an error, Ctrl-C), the temporary file is removed
    and ``target`` is not created. A process that is killed outright leaves
    the temporary file (ending in :data:`PARTIAL_SUFFIX`), never a partial
    ``target``; the next run removes it.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=str(target.parent), prefix=f".{target.name}.", suffix=PARTIAL_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        size = os.path.getsize(tmp)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return size


def _write_if_changed(target: Path, data: bytes) -> None:
    """Atomically write ``data`` unless ``target`` already holds exactly it (then it is left untouched)."""
    if target.is_file() and target.read_bytes() == data:
        return
    _atomic_write(target, lambda handle: handle.write(data))


def _write_table(target: Path, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    _write_if_changed(target, buffer.getvalue().encode())


def _partial_files(dst: Path) -> list[Path]:
    if not dst.is_dir():
        return []
    return sorted(p for p in dst.rglob(f".*{PARTIAL_SUFFIX}") if p.is_file())


def _check_dst_contents(dst: Path, settings: dict[str, Any]) -> None:
    """Refuse a non-empty ``dst`` that this function did not make, or made with other settings."""
    if not dst.is_dir() or all(p.name.endswith(PARTIAL_SUFFIX) for p in dst.iterdir()):
        return  # new, empty, or holding only the temporary file of a run killed at its very start
    stored_path = dst / SETTINGS_NAME
    if not stored_path.is_file():
        raise ValueError(f"dst {str(dst)!r} is not empty and was not made by augment_directory (it has no "
                         f"{SETTINGS_NAME}); choose a new or empty folder so nothing of yours gets mixed in")
    try:
        stored = json.loads(stored_path.read_text())
    except (OSError, ValueError) as err:
        raise ValueError(f"dst {str(dst)!r}: cannot read {SETTINGS_NAME} ({err}); choose a new folder") from None
    if stored != settings:
        changed = sorted(k for k in set(stored) | set(settings) if stored.get(k) != settings.get(k))
        raise ValueError(f"dst {str(dst)!r} holds an augmentation made with different settings (changed: "
                         f"{', '.join(changed)}); resuming would mix the two. Use a new folder, or delete "
                         "this one yourself if you no longer need it")


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
    never modified; atomic writes; resuming; the settings check).

    ``dry_run=True`` reads the sources and reports what would be written,
    writing nothing. ``progress`` shows a tqdm progress bar on standard error.
    Returns an :class:`AugmentReport`.
    """
    src_path = _path_arg("src", src)
    dst_resolved = check_destination(src_path, dst)
    dst_path = Path(dst).expanduser()
    k = _validate.integer("variants_per_image", variants_per_image, minimum=1)
    steps = _steps_arg(transforms)
    seed = _validate.integer("seed", seed, minimum=0)
    include_originals = _bool_arg("include_originals", include_originals)
    dry_run = _bool_arg("dry_run", dry_run)
    progress = _bool_arg("progress", progress)
    extensions = _extensions_arg(image_extensions)
    from tqdm import tqdm

    settings = {"src": str(src_path.resolve()), "variants_per_image": k, "seed": seed,
                "include_originals": include_originals, "image_extensions": list(extensions),
                "transforms": [{"name": s.name, "strength": s.strength, "options": s.options} for s in steps]}
    _check_dst_contents(dst_resolved, settings)

    start = time.perf_counter()
    found, skipped = _scan(src_path, extensions)
    sources, collisions = _plan(found, k, include_originals)
    skipped += collisions
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
            missing = [o for o in source.outputs if not (dst_resolved / o[0]).is_file()]
            try:  # decode only when something must be written (or checked, in a dry run)
                image = _read_image(source.path) if (missing or dry_run) else None
                shape = image.shape if image is not None else _image_shape(source.path)
            except Exception as err:  # Pillow raises several types for bad files; none may stop the run
                skipped.append((source.rel, f"cannot be read as an image ({type(err).__name__}: {err})"))
                unreadable.add(source.rel)
                bar.update(1)
                continue
            for out_rel, kind, variant in source.outputs:
                file_seed = _file_seed(seed, source.rel, variant) if variant is not None else None
                drawn = _draw(steps, shape, file_seed) if variant is not None else []
                report.planned.append(out_rel)
                report.rows.append({"output": out_rel, "source": source.rel, "class": source.label, "kind": kind,
                                    "variant": "" if variant is None else variant, "seed": seed,
                                    "file_seed": "" if file_seed is None else file_seed,
                                    "transforms": json.dumps(drawn)})
                if (out_rel, kind, variant) not in missing:
                    report.existing.append(out_rel)
                    continue
                report.to_write.append(out_rel)
                if dry_run:
                    continue
                target = dst_resolved / out_rel
                if kind == "original":
                    size = _atomic_write(target, lambda handle, p=source.path: _copy_into(p, handle))
                else:
                    result = _apply(image, drawn)
                    size = _atomic_write(target, lambda handle, im=result: _save_png(im, handle))
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


def _copy_into(path: Path, handle: BinaryIO) -> None:
    with open(path, "rb") as source:
        shutil.copyfileobj(source, handle)


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
    exts = _extensions_arg(extensions) if extensions is not None else None
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
    nothing already there is overwritten.
    """
    images = _validate.array("images", images, ndims=(3, 4))
    if images.dtype != np.uint8:
        raise TypeError(f"images must have dtype uint8, got {images.dtype}")
    if images.ndim == 4 and images.shape[-1] not in (1, 3):
        raise ValueError(f"images must have 1 or 3 channels, got shape {images.shape}")
    if isinstance(class_names, (str, bytes)) or not isinstance(class_names, Sequence) or not class_names \
            or not all(isinstance(c, str) and c and "/" not in c and c not in (".", "..") for c in class_names):
        raise ValueError(f"class_names must be a non-empty list of folder names, got {class_names!r}")
    labels = _validate.labels("labels", labels, n=len(images), num_classes=len(class_names))
    path = _path_arg("folder", folder)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise ValueError(f"folder {str(path)!r} already exists and is not empty; choose a new folder")
    for i, (image, label) in enumerate(zip(images, labels)):
        name = class_names[label]
        pixels = image[..., 0] if image.ndim == 3 and image.shape[-1] == 1 else image
        _atomic_write(path / name / f"{name}_{i:05d}.png", lambda handle, im=pixels: _save_png(im, handle))
    return len(images)


__all__ = [
    "IMAGE_EXTENSIONS", "MANIFEST_COLUMNS", "MANIFEST_NAME", "PARTIAL_SUFFIX", "SETTINGS_NAME", "SKIPPED_NAME",
    "AugmentReport", "augment_directory", "check_destination", "folder_size", "read_manifest", "save_image_folder",
]
