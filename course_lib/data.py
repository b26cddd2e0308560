"""Loading the course's data: CIFAR-10 and real images shipped inside packages.

CIFAR-10 is looked for, in this order:

1. ``$COURSE_DATA_DIR/cifar10.npz`` (a directory you point the course at);
2. ``cifar10.npz`` in the course's cache directory (:func:`cache_dir`);
3. the real download through ``keras.datasets.cifar10.load_data()``, which
   needs the internet once and is then saved to the cache for next time.

Nothing here ever writes into ``COURSE_DATA_DIR``. Run
``python -m course_lib.data download`` to fetch and cache CIFAR-10 ahead of a
class, and ``python -m course_lib.data info`` to see where it was found.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import _validate

#: CIFAR-10 class names in label order.
CIFAR10_CLASSES: tuple[str, ...] = (
    "airplane", "automobile", "bird", "cat", "deer",
    "dog", "frog", "horse", "ship", "truck",
)
#: The environment variable naming a directory that holds ``cifar10.npz``.
DATA_DIR_ENV = "COURSE_DATA_DIR"
#: The file name the loader looks for.
CIFAR10_FILE = "cifar10.npz"
#: The photos from ``skimage.data`` that :func:`load_photo` offers.
PHOTOS: tuple[str, ...] = ("chelsea", "astronaut", "coffee")

_KEYS = ("x_train", "y_train", "x_test", "y_test")


class DataUnavailableError(RuntimeError):
    """CIFAR-10 could not be found locally and could not be downloaded."""


class DataFileError(ValueError):
    """A ``cifar10.npz`` file exists but is not a valid CIFAR-10 file."""


@dataclass(frozen=True)
class ImageData:
    """Images (uint8, ``N x H x W x C``) and integer labels for each split.

    ``x_val``/``y_val`` are drawn from the training pool, disjoint from
    ``x_train``; they are empty when no validation split was asked for.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]

    @property
    def num_classes(self) -> int:
        """How many classes there are."""
        return len(self.class_names)

    def summary(self) -> str:
        """One line per split: how many images, their shape, and images per class."""
        lines = []
        for split in ("train", "val", "test"):
            x, y = getattr(self, f"x_{split}"), getattr(self, f"y_{split}")
            counts = np.bincount(y, minlength=self.num_classes)
            lines.append(f"{split:5s}: {len(x):5d} images of {tuple(x.shape[1:])}, per class {counts.tolist()}")
        return "\n".join(lines)


# --------------------------------------------------------------------------- locations


def cache_dir() -> Path:
    """The course's cache directory: ``$XDG_CACHE_HOME/augmentation-course``
    (``~/.cache/augmentation-course`` when ``XDG_CACHE_HOME`` is unset)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "augmentation-course"


def _dir_arg(name: str, value: str | os.PathLike | None) -> Path | None:
    if value is None:
        return None
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a path (str or pathlib.Path), got {type(value).__name__}")
    if str(value) == "":
        raise ValueError(f"{name} must not be an empty path")
    return Path(value).expanduser()


def _named_folder(data_dir: str | os.PathLike | None) -> tuple[Path, str] | None:
    """The data directory the user named, and how (the ``data_dir`` argument or ``$COURSE_DATA_DIR``)."""
    data = _dir_arg("data_dir", data_dir)
    if data is not None:
        return data, f"data_dir={str(data)!r}"
    if os.environ.get(DATA_DIR_ENV):
        return Path(os.environ[DATA_DIR_ENV]).expanduser(), f"${DATA_DIR_ENV}={os.environ[DATA_DIR_ENV]!r}"
    return None


def find_cifar10(
    data_dir: str | os.PathLike | None = None, cache: str | os.PathLike | None = None
) -> Path | None:
    """Return where ``cifar10.npz`` is (data directory, else cache), or None.

    ``data_dir`` defaults to ``$COURSE_DATA_DIR``; ``cache`` to :func:`cache_dir`.
    When a data directory is named (argument or environment variable), only
    that directory is looked at. Anything under the name ``cifar10.npz`` counts
    (even a folder or a broken link: :func:`read_cifar10_file` then says what is
    wrong with it). Nothing is downloaded.
    """
    named = _named_folder(data_dir)
    cache_path = _dir_arg("cache", cache) or cache_dir()
    folder = named[0] if named else cache_path
    candidate = folder / CIFAR10_FILE
    return candidate if os.path.lexists(candidate) else None


# --------------------------------------------------------------------------- reading and checking

#: The most images a split of a CIFAR-10 file may claim (the real one has 50,000 and 10,000).
MAX_IMAGES = 1_000_000


def _check_headers(path: Path) -> None:
    """Read each array's header (shape and dtype) without loading it, and refuse absurd ones."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        for key in _KEYS:
            name = f"{key}.npy"
            if name not in names:
                continue
            with archive.open(name) as member:
                version = np.lib.format.read_magic(member)
                read = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                        else np.lib.format.read_array_header_2_0)
                shape, _, dtype = read(member)
            if dtype.hasobject:
                raise DataFileError(f"{path}: {key} holds Python objects (pickles), which the course never loads")
            if len(shape) == 0 or shape[0] > MAX_IMAGES:
                raise DataFileError(f"{path}: {key} claims shape {shape}; a CIFAR-10 split has at most "
                                    f"{MAX_IMAGES:,} images, so this is not a CIFAR-10 file: replace it")
            expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
            if archive.getinfo(name).file_size < expected:
                raise DataFileError(f"{path}: {key} claims shape {shape} but the file holds less data than that; "
                                    "it is truncated or corrupt: replace it")


def read_cifar10_file(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Read and validate a CIFAR-10 ``.npz`` file.

    Returns ``x_train``, ``y_train``, ``x_test``, ``y_test`` with labels as 1-D
    ``int64``. Raises :class:`DataFileError` naming what is wrong and where: a
    folder or a broken link under the file's name, a file that cannot be read
    (permissions), one that is not an ``.npz`` archive (e.g. a renamed
    ``.npy``), a truncated or corrupt file, an absurd header, a missing key, a
    wrong dtype or shape, a label out of range.
    """
    path = _dir_arg("path", path)
    if path is None:
        raise TypeError("path must be a path (str or pathlib.Path), got None")
    if os.path.islink(path) and not path.exists():
        raise DataFileError(f"{path} is a symbolic link to {os.readlink(path)!r}, which does not exist: point "
                            f"it at a real {CIFAR10_FILE} or delete the link")
    if not path.exists():
        raise DataFileError(f"{path} does not exist")
    if path.is_dir():
        raise DataFileError(f"{path} is a folder, not a file: the course expects the file {CIFAR10_FILE} there")
    if not path.is_file():
        raise DataFileError(f"{path} is not a regular file")
    try:
        with open(path, "rb") as handle:
            magic = handle.read(4)
    except PermissionError:
        raise DataFileError(f"{path} cannot be read: permission denied. Make it readable "
                            f"(e.g. `chmod a+r {path}`) or copy it somewhere you can read") from None
    except OSError as err:
        raise DataFileError(f"{path} cannot be read ({type(err).__name__}: {err})") from None
    if magic != b"PK\x03\x04":
        looks = " (it looks like a single .npy array renamed to .npz)" if magic.startswith(b"\x93NUM") else ""
        raise DataFileError(f"{path} is not an .npz archive{looks}. Save the four arrays with "
                            "np.savez(path, x_train=..., y_train=..., x_test=..., y_test=...)")
    try:
        _check_headers(path)
        with np.load(path, allow_pickle=False) as npz:
            missing = [k for k in _KEYS if k not in npz.files]
            if missing:
                raise DataFileError(f"{path} is missing the key(s) {missing}; expected {list(_KEYS)}")
            arrays = {k: npz[k] for k in _KEYS}
    except DataFileError:
        raise
    except MemoryError:
        raise DataFileError(f"{path} claims more data than this machine can hold; it is not a CIFAR-10 "
                            "file: replace it") from None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError) as err:
        raise DataFileError(
            f"{path} is not a readable .npz file ({type(err).__name__}: {err}). "
            "It may be truncated or corrupt: delete it and copy or download it again."
        ) from None

    for split in ("train", "test"):
        x, y = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if x.dtype != np.uint8:
            raise DataFileError(f"{path}: x_{split} must have dtype uint8, got {x.dtype}")
        if x.ndim != 4 or x.shape[1:] != (32, 32, 3) or len(x) == 0:
            raise DataFileError(f"{path}: x_{split} must have shape (N, 32, 32, 3) with N > 0, got {x.shape}")
        if y.ndim == 2 and y.shape[1] == 1:
            y = y[:, 0]
        if y.ndim != 1 or len(y) != len(x):
            raise DataFileError(f"{path}: y_{split} must have shape ({len(x)},) to match x_{split}, got {y.shape}")
        if y.dtype.kind not in "ui":
            raise DataFileError(f"{path}: y_{split} must hold integer labels, got dtype {y.dtype}")
        if y.min() < 0 or y.max() > 9:
            raise DataFileError(f"{path}: y_{split} must be labels 0..9, got {y.min()}..{y.max()}")
        arrays[f"y_{split}"] = y.astype(np.int64)
    return arrays


def _fix_message(reason: str, cache: Path | None = None) -> str:
    data = os.environ.get(DATA_DIR_ENV)
    where = f"${DATA_DIR_ENV}={data!r} has no {CIFAR10_FILE}" if data else f"${DATA_DIR_ENV} is not set"
    return (
        f"CIFAR-10 is not available: {where}, the cache {cache or cache_dir()} has no {CIFAR10_FILE}, "
        f"and the download failed ({reason}).\n"
        f"Fix it in one of two ways:\n"
        f"  * set {DATA_DIR_ENV} to a directory that holds {CIFAR10_FILE}, "
        f"e.g. `export {DATA_DIR_ENV}=../shared/data`; or\n"
        f"  * connect to the internet once and run `python -m course_lib.data download`."
    )


def _save_npz_atomically(target: Path, arrays: Mapping[str, np.ndarray]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".cifar10-", suffix=".npz.part")
    try:
        with os.fdopen(fd, "wb") as handle:
            np.savez_compressed(handle, **arrays)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def download_cifar10(cache: str | os.PathLike | None = None) -> Path:
    """Download CIFAR-10 through Keras and save it as ``cifar10.npz`` in the cache.

    Raises :class:`DataUnavailableError` (never a raw network traceback) when
    the download fails.
    """
    folder = _dir_arg("cache", cache) or cache_dir()
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"cache {str(folder)!r} is a file, not a folder: give the folder to keep "
                                 f"{CIFAR10_FILE} in")
    target = folder / CIFAR10_FILE
    from .reproducibility import import_tensorflow

    import_tensorflow()  # quietly, before Keras
    import keras

    try:
        (x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
    except Exception as err:  # any network or archive failure becomes one clear error
        raise DataUnavailableError(_fix_message(f"{type(err).__name__}: {err}", folder)) from None
    arrays = {"x_train": x_train, "y_train": y_train.reshape(-1), "x_test": x_test, "y_test": y_test.reshape(-1)}
    _save_npz_atomically(target, arrays)
    read_cifar10_file(target)  # fail now, not in a lesson, if Keras gave us something odd
    return target


# --------------------------------------------------------------------------- subsets


def _class_indices(classes: Sequence[int | str] | None) -> list[int]:
    if classes is None:
        return list(range(len(CIFAR10_CLASSES)))
    if isinstance(classes, (str, bytes)) or not isinstance(classes, Sequence) or len(classes) == 0:
        raise TypeError(f"classes must be a non-empty list of class names or indices, got {classes!r}")
    out = []
    for c in classes:
        if isinstance(c, str):
            if c not in CIFAR10_CLASSES:
                raise ValueError(f"classes: unknown class {c!r}; choose from {list(CIFAR10_CLASSES)}")
            out.append(CIFAR10_CLASSES.index(c))
        else:
            out.append(_validate.integer("classes", c, minimum=0, maximum=len(CIFAR10_CLASSES) - 1))
    if len(set(out)) != len(out):
        raise ValueError(f"classes must not repeat a class, got {classes!r}")
    return out


def per_class_counts(
    name: str, total: int | None, per_class: int | Mapping[int | str, int] | None, class_names: Sequence[str]
) -> list[int] | None:
    """Turn a total size or a per-class size into a count for each class.

    A total is spread as evenly as possible (the first classes get one more
    when it does not divide). ``per_class`` may be one number for every class
    or a mapping from class name (or position) to count. Returns None when both
    are None, meaning "all images".
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be the split's name, such as 'train', got {name!r}")
    if isinstance(class_names, (str, bytes)) or not isinstance(class_names, Sequence) or not class_names \
            or not all(isinstance(c, str) for c in class_names):
        raise TypeError(f"class_names must be a non-empty list of class names, got {class_names!r}")
    if total is not None and per_class is not None:
        raise ValueError(f"give either n_{name} or {name}_per_class, not both")
    k = len(class_names)
    if total is not None:
        total = _validate.integer(f"n_{name}", total, minimum=0)
        return [total // k + (1 if i < total % k else 0) for i in range(k)]
    if per_class is None:
        return None
    if isinstance(per_class, Mapping):
        counts = [0] * k
        for key, value in per_class.items():
            if isinstance(key, str):
                if key not in class_names:
                    raise ValueError(f"{name}_per_class: unknown class {key!r}; choose from {list(class_names)}")
                pos = list(class_names).index(key)
            else:
                pos = _validate.integer(f"{name}_per_class key", key, minimum=0, maximum=k - 1)
            counts[pos] = _validate.integer(f"{name}_per_class[{key!r}]", value, minimum=0)
        return counts
    return [_validate.integer(f"{name}_per_class", per_class, minimum=0)] * k


def stratified_split(
    labels: np.ndarray, counts: Sequence[Sequence[int]], seed: int
) -> list[np.ndarray]:
    """Draw disjoint, seeded, stratified index sets from ``labels``.

    ``counts[j][c]`` is how many images of class ``c`` go into set ``j``. Within
    each class the images are permuted once, and set 0 takes the first ones,
    set 1 the next, and so on, so a larger request with the same seed
    contains the smaller one. Each returned index set is shuffled.
    """
    labels = _validate.labels("labels", _validate.array("labels", labels, ndims=(1, 2)), n=len(labels))
    seed = _validate.integer("seed", seed, minimum=0)
    if isinstance(counts, (str, bytes)) or not isinstance(counts, (Sequence, np.ndarray)) or len(counts) == 0 \
            or not all(isinstance(row, (Sequence, np.ndarray)) and not isinstance(row, (str, bytes)) for row in counts):
        raise TypeError(f"counts must be a non-empty list of lists: counts[j][c] images of class c for set j; "
                        f"got {counts!r}")
    counts = [[_validate.integer(f"counts[{j}]", c, minimum=0) for c in row] for j, row in enumerate(counts)]
    num_classes = len(counts[0])
    if num_classes == 0 or any(len(row) != num_classes for row in counts):
        raise ValueError(f"counts must give every set one count per class (the same number in each), got {counts!r}")
    rng = np.random.default_rng(seed)
    chosen: list[list[np.ndarray]] = [[] for _ in counts]
    for c in range(num_classes):
        pool = rng.permutation(np.flatnonzero(labels == c))
        need = sum(cnt[c] for cnt in counts)
        if need > len(pool):
            raise ValueError(f"counts ask for {need} images of class {c}, but labels has only {len(pool)} of them")
        start = 0
        for j, cnt in enumerate(counts):
            chosen[j].append(pool[start : start + cnt[c]])
            start += cnt[c]
    return [rng.permutation(np.concatenate(parts)).astype(np.int64) for parts in chosen]


def load_cifar10(
    n_train: int | None = None,
    n_test: int | None = None,
    *,
    n_val: int = 0,
    train_per_class: int | Mapping[int | str, int] | None = None,
    test_per_class: int | Mapping[int | str, int] | None = None,
    classes: Sequence[int | str] | None = None,
    seed: int = 0,
    data_dir: str | os.PathLike | None = None,
    cache: str | os.PathLike | None = None,
    download: bool = True,
) -> ImageData:
    """Load CIFAR-10 as uint8 images, integer labels and class names.

    Sizes are stratified and seeded: ``n_train=2000`` gives 200 images of each
    class; ``train_per_class={"dog": 20}`` sets the count per class (classes
    left out get none, so give every class you want). ``n_val`` images are
    drawn from the training pool, disjoint from the training subset. With no
    sizes, every image of the split is returned (shuffled). ``classes`` keeps
    only those classes and renumbers their labels 0..k-1 in the order given.

    See the module docstring for where the file is looked for. Raises
    :class:`DataUnavailableError` when it is nowhere and cannot be downloaded,
    and :class:`DataFileError` when a file is found but is not valid.
    """
    if not isinstance(download, bool):
        raise TypeError(f"download must be True or False, got {download!r}")
    seed = _validate.integer("seed", seed, minimum=0)
    keep = _class_indices(classes)
    names = tuple(CIFAR10_CLASSES[i] for i in keep)
    train_counts = per_class_counts("train", n_train, train_per_class, names)
    test_counts = per_class_counts("test", n_test, test_per_class, names)
    val_counts = per_class_counts("val", _validate.integer("n_val", n_val, minimum=0), None, names)

    path = find_cifar10(data_dir, cache)
    if path is None:
        named = _named_folder(data_dir)
        if named is not None:  # the user pointed somewhere: never fall through to a download
            folder, how = named
            problem = ("does not exist" if not folder.exists() else
                       "is not a folder" if not folder.is_dir() else f"holds no {CIFAR10_FILE}")
            raise DataUnavailableError(
                f"CIFAR-10 is not available: the data directory you named ({how}) {problem}. Point it at the "
                f"folder that holds {CIFAR10_FILE}, or unset it to use the cache ({cache_dir()}) and the "
                f"download (`python -m course_lib.data download`).")
        if not download:
            raise DataUnavailableError(_fix_message("download=False was given", _dir_arg("cache", cache)))
        path = download_cifar10(cache)
    arrays = read_cifar10_file(path)

    def relabel(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        mapping = np.full(len(CIFAR10_CLASSES), -1)
        mapping[keep] = np.arange(len(keep))
        new = mapping[y]
        return np.flatnonzero(new >= 0), new

    out: dict[str, np.ndarray] = {}
    rows, y_train = relabel(arrays["y_train"])
    y_pool = y_train[rows]
    available = np.bincount(y_pool, minlength=len(keep))
    for c, (have, val, train) in enumerate(zip(available, val_counts, train_counts or [0] * len(keep))):
        if val + train > have:
            asked = [n for n, k in (("n_train" if n_train is not None else "train_per_class", train), ("n_val", val)) if k]
            raise ValueError(f"{' plus '.join(asked)} ask{'s' if len(asked) == 1 else ''} for {val + train:,} "
                             f"training images of class {names[c]!r}, but the file has only {have:,}")
    if train_counts is None:
        train_counts = [int(a) - v for a, v in zip(available, val_counts)]
    val_idx, train_idx = stratified_split(y_pool, [val_counts, train_counts], seed)
    out["x_train"], out["y_train"] = arrays["x_train"][rows[train_idx]], y_pool[train_idx]
    out["x_val"], out["y_val"] = arrays["x_train"][rows[val_idx]], y_pool[val_idx]

    rows, y_test = relabel(arrays["y_test"])
    y_pool = y_test[rows]
    have_test = np.bincount(y_pool, minlength=len(keep)).tolist()
    for c, (have, want) in enumerate(zip(have_test, test_counts or [])):
        if want > have:
            raise ValueError(f"{'n_test' if n_test is not None else 'test_per_class'} asks for {want:,} test images "
                             f"of class {names[c]!r}, but the file has only {have:,}")
    if test_counts is None:
        test_counts = have_test
    (test_idx,) = stratified_split(y_pool, [test_counts], seed + 1)
    out["x_test"], out["y_test"] = arrays["x_test"][rows[test_idx]], y_pool[test_idx]
    return ImageData(class_names=names, **out)


# --------------------------------------------------------------------------- images shipped in packages


def load_photo(name: str = "chelsea") -> np.ndarray:
    """A real high-resolution RGB photo from ``skimage.data`` as uint8 ``H x W x 3``.

    ``name`` is one of :data:`PHOTOS`: ``"chelsea"`` (a cat, 300 x 451),
    ``"astronaut"`` (512 x 512) or ``"coffee"`` (400 x 600).
    """
    _validate.one_of("name", name, PHOTOS)
    import skimage.data

    return np.ascontiguousarray(getattr(skimage.data, name)(), dtype=np.uint8)


def _split_small(images: np.ndarray, y: np.ndarray, names: tuple[str, ...], test_fraction: float, seed: int) -> ImageData:
    test_fraction = _validate.number("test_fraction", test_fraction, minimum=0.0, maximum=0.9)
    seed = _validate.integer("seed", seed, minimum=0)
    counts = np.bincount(y, minlength=len(names))
    test_counts = [int(round(c * test_fraction)) for c in counts]
    train_counts = [int(c) - t for c, t in zip(counts, test_counts)]
    train_idx, test_idx = stratified_split(y, [train_counts, test_counts], seed)
    empty_x = images[:0]
    return ImageData(
        x_train=images[train_idx], y_train=y[train_idx],
        x_val=empty_x, y_val=y[:0],
        x_test=images[test_idx], y_test=y[test_idx],
        class_names=names,
    )


def load_digits(test_fraction: float = 0.25, seed: int = 0) -> ImageData:
    """scikit-learn's handwritten digits (1,797 images, 8 x 8) as uint8 ``N x 8 x 8 x 1``.

    The original 0..16 intensities are scaled to 0..255. Split into train and
    test, stratified and seeded; there is no validation split.
    """
    from sklearn.datasets import load_digits as sk_digits

    digits = sk_digits()
    images = np.rint(digits.images * (255.0 / 16.0)).astype(np.uint8)[..., None]
    names = tuple(str(d) for d in range(10))
    return _split_small(images, digits.target.astype(np.int64), names, test_fraction, seed)


def load_faces(test_fraction: float = 0.25, seed: int = 0) -> ImageData:
    """``skimage.data.lfw_subset``: 100 face and 100 non-face patches, 25 x 25 grey.

    Returned as uint8 ``N x 25 x 25 x 1`` with labels 0 = non-face, 1 = face,
    split into train and test, stratified and seeded.
    """
    import skimage.data

    raw = skimage.data.lfw_subset()  # floats in 0..1; the first 100 are faces
    images = np.rint(raw * 255.0).astype(np.uint8)[..., None]
    y = np.r_[np.ones(100, dtype=np.int64), np.zeros(len(raw) - 100, dtype=np.int64)]
    return _split_small(images, y, ("non-face", "face"), test_fraction, seed)


# --------------------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m course_lib.data {info,download}``."""
    parser = argparse.ArgumentParser(prog="python -m course_lib.data", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=("info", "download"),
                        help="info: say where CIFAR-10 is found; download: fetch it once into the cache")
    args = parser.parse_args(argv)
    found = find_cifar10()
    if args.command == "download" and found is None:
        try:
            found = download_cifar10()
        except DataUnavailableError as err:
            print(err)
            return 1
    if found is None:
        print(_fix_message("not attempted: run `python -m course_lib.data download`"))
        return 1
    arrays = read_cifar10_file(found)
    print(f"CIFAR-10: {found} ({len(arrays['x_train'])} train, {len(arrays['x_test'])} test images)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
