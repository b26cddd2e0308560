"""The bad-input probe (issue 12): every public function of the course library, called with the mistakes a
student types.

For each public function and class of the modules in :data:`MODULES`, :data:`CASES` holds one small valid
call. The probe then replaces one argument at a time by a bad value of the kinds students type (``None``, a
string, ``True``, NaN, infinities, ``-1``, ``0``, absurd sizes, ``2.5`` for a count, a list or array of two
values, empty ones, an array holding NaN, a wrong-shaped array, ``object()``, NumPy scalars) plus values made
for the argument's kind (a NaN pixel, a missing folder, an unknown transform name, ...), and sorts each call:

* **clear**: a ``TypeError``/``ValueError`` (or one of the course's own errors, or ``FileNotFoundError`` and
  its relatives for paths) raised by course code, whose message names the argument;
* **accepted**: it returned, and every number in what it returned is finite;
* **garbage**: it returned NaN or infinity, the wrong type, or it accepted a NaN or infinity silently;
* **lenient**: it accepted a value its argument can never mean (``True`` as a count, a number as a path);
* **refused**: it refused a NumPy scalar where a number is expected (``np.float64(0.5)`` must work);
* **unclear**: any other exception (a raw NumPy, TensorFlow or matplotlib error included), or a message
  that does not name the argument;
* **hang**: it did not return within :data:`TIME_LIMIT` seconds (stopped by ``SIGALRM``).

The probe asserts that nothing hangs, nothing is garbage, lenient or refused, and that at most 1 % of all
bad calls are unclear. The modules generated from the lessons' ``#@save`` cells are held to the same rules:
a problem there is fixed in the lesson's notebook (then ``python tools/notebooks.py export``).
"""

from __future__ import annotations

import copy
import dataclasses
import importlib
import inspect
import io
import math
import os
import re
import signal
import time
import traceback
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers import NOT_A_COUNT, NOT_A_NUMBER, fake_cifar_arrays, write_npz

import course_lib

# Minutes of work in a few tests: the suite starts it first, so that both workers finish together (conftest.py).
pytestmark = pytest.mark.long_running

#: The modules the probe covers (their public functions and classes must all be probed or excused).
MODULES = (
    "course_lib.transforms", "course_lib.data", "course_lib.models", "course_lib.pipeline", "course_lib.stats",
    "course_lib.plots", "course_lib.explorer", "course_lib.experiments", "course_lib.offline",
    "course_lib.synthetic", "course_lib.reproducibility", "course_lib.lessons.l02_transform_toolbox",
    "course_lib.lessons.l03_suitable_vs_unsuitable",
    "course_lib.lessons.l07_augmentation_vs_more_data", "course_lib.lessons.l08_imbalanced_classes",
    "course_lib.lessons.l09_offline_augmentation", "course_lib.lessons.l10_beyond_images",
)
#: Seconds a single call may take before it counts as a hang.
TIME_LIMIT = 10.0
#: The share of bad calls that may get an unclear error.
MAX_UNCLEAR = 0.01
#: The probe must make at least this many bad calls (so that it cannot shrink without anyone noticing).
MIN_BAD_CALLS = 2000

#: Public names that are not called with bad values, and why.
EXCUSED = {
    "course_lib.data.DataUnavailableError": "an exception class",
    "course_lib.data.DataFileError": "an exception class",
    "course_lib.models.TrainingDivergedError": "an exception class",
    "course_lib.data.ImageData": "a result record the library returns (its summary() is called on a real one)",
    "course_lib.models.TrainResult": "a result record train_and_evaluate returns (as_row() is called on one)",
    "course_lib.stats.PairedComparison": "a result record paired_comparison returns (sentence(), as_row() called)",
    "course_lib.offline.AugmentReport": "a result record augment_directory returns (summary(), counts() called)",
    "course_lib.data.main": "the command line `python -m course_lib.data`; argparse answers a bad command line "
                            "with its usage and exit status 2 (tests/test_data.py)",
}

NAN, INF = float("nan"), float("inf")

# --------------------------------------------------------------------------- the bad values

#: Tried on every argument.
GENERIC: tuple[tuple[str, Any], ...] = (
    ("None", None), ("'3'", "3"), ("True", True), ("nan", NAN), ("inf", INF), ("-inf", -INF), ("-1", -1),
    ("0", 0), ("10**9", 10**9), ("10**12", 10**12), ("2.5", 2.5), ("[1, 2]", [1, 2]),
    ("array([1., 2.])", np.array([1.0, 2.0])), ("[]", []), ("empty array", np.array([])),
    ("array with NaN", np.array([NAN, 1.0])), ("np.float64(0.5)", np.float64(0.5)), ("np.int64(3)", np.int64(3)),
    ("object()", object()),
)
#: A shorter list, for the parts of a structured argument (a value in a dict, a strength in a list).
BASIC: tuple[tuple[str, Any], ...] = (
    ("None", None), ("'3'", "3"), ("True", True), ("nan", NAN), ("inf", INF), ("-1", -1), ("10**12", 10**12),
    ("[1, 2]", [1, 2]), ("array with NaN", np.array([NAN, 1.0])), ("object()", object()),
)

# The kinds of argument. A trailing "?" means None is a valid value.
#   num: one finite number; int: a whole number (count, size); seed: a whole number >= 0; img: an image or a
#   batch of images; arr: a numeric array; str: a string (a name or a word); choice: one of a few names;
#   text: free text (a title); bool: True or False; path: a file or folder; call: a function;
#   rng: a numpy.random.Generator; rngseed: a Generator or an integer seed; model: a keras.Model;
#   any: something structured (a dict, a list of steps), probed with values made for it.
NUMERIC = {"num", "int", "seed", "img", "arr", "any"}
_TYPE_BAD = {"'3'", "True", "[1, 2]", "[1.0]", "array([1., 2.])", "array([1, 2])", "[]", "empty array", "array with NaN",
             "object()", "nan", "inf", "-inf"}
_NUMBER_LIKE = {"nan", "inf", "-inf", "-1", "0", "10**9", "10**12", "2.5", "np.float64(0.5)", "np.int64(3)"}
#: Bad values (by label) that an argument of each kind must refuse.
MUST_REFUSE: dict[str, set[str]] = {
    "num": _TYPE_BAD | {"None"},
    "int": _TYPE_BAD | {"None", "2.5", "np.float64(0.5)"},
    "seed": _TYPE_BAD | {"None", "2.5", "np.float64(0.5)", "-1"},
    "img": (_TYPE_BAD | _NUMBER_LIKE | {"None", "wrong shape"}) - {"[1, 2]", "[]", "[1.0]"},
    "arr": (_TYPE_BAD | _NUMBER_LIKE | {"None"}) - {"[1, 2]", "[]", "[1.0]", "array([1., 2.])"},
    "str": (_TYPE_BAD | _NUMBER_LIKE | {"None"}) - {"'3'"},
    "choice": _TYPE_BAD | _NUMBER_LIKE | {"None", "'twirl'"},
    "bool": (_TYPE_BAD | _NUMBER_LIKE | {"None"}) - {"True"},
    "path": (_TYPE_BAD | _NUMBER_LIKE | {"None"}) - {"'3'"},
    "call": _TYPE_BAD | _NUMBER_LIKE | {"None"},
    "rng": _TYPE_BAD | _NUMBER_LIKE | {"None", "RandomState"},
    "rngseed": _TYPE_BAD | {"None", "-1", "2.5", "np.float64(0.5)", "RandomState"},
    "model": _TYPE_BAD | _NUMBER_LIKE | {"None"},
    "text": set(),
    "any": set(),
}


def _values_for(case: Case, arg: str, kind: str, optional: bool) -> list[tuple[str, Any, bool | None]]:
    """The bad values tried on ``arg``: ``(label, value, must_refuse)`` (None: decided by the kind)."""
    good = case.sample(arg)
    values: list[tuple[str, Any, bool | None]] = [(label, v, None) for label, v in GENERIC]
    if kind == "num":
        values += [(_label(v), v, None) for v in NOT_A_NUMBER]
        if isinstance(good, (int, float)) and not isinstance(good, bool):
            values.append(("np.float64(good)", np.float64(good), False))
    elif kind in ("int", "seed"):
        values += [(_label(v), v, None) for v in NOT_A_COUNT] + [("3.0", 3.0, None)]
        if isinstance(good, int) and not isinstance(good, bool):
            values.append(("np.int64(good)", np.int64(good), False))
    elif kind in ("img", "arr") and isinstance(good, np.ndarray):
        broken = good.astype(np.float64)
        broken.flat[0] = NAN
        infinite = good.astype(np.float64)
        infinite.flat[-1] = INF
        values += [("NaN inside", broken, True), ("inf inside", infinite, True),
                   ("wrong shape", np.zeros((2, 1, 1, 1, 2), good.dtype), None),
                   ("no items", good[:0], None), ("strings", np.array(["a", "b"]), True),
                   ("as a list", good.tolist(), None)]
    elif kind in ("str", "choice"):
        values += [("'twirl'", "twirl", None), ("''", "", None), ("b'bytes'", b"bytes", True)]
    elif kind == "bool":
        values += [("1", 1, True), ("np.bool_(True)", np.bool_(True), None)]
    elif kind == "path":
        values += [("missing path", str(case.world.root / "no" / "such" / "thing"), None),
                   ("a file", str(case.world.a_file), None), ("''", "", None)]
    elif kind in ("rng", "rngseed"):
        values.append(("RandomState", np.random.RandomState(0), None))
    values += case.extra.get(arg, [])
    seen, out = set(), []
    for label, value, must in values:
        key = (type(value).__name__, repr(value))
        if label in seen or key in seen or (optional and value is None):
            continue
        seen.update((label, key))
        out.append((label, value, must))
    return out


def _label(value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, int) and abs(value) >= 10**9:
        return f"10**{round(math.log10(abs(value)))}"
    return repr(value)


def keyed(key: str, values=BASIC, wrap: Callable[[Any], Any] | None = None) -> list[tuple[str, Any, None]]:
    """Bad values for one key of a dict argument: ``{key: bad}`` (or ``wrap(bad)``)."""
    make = wrap or (lambda v: {key: v})
    return [(f"{{{key!r}: {label}}}", make(v), None) for label, v in values]


# --------------------------------------------------------------------------- the cases


@dataclasses.dataclass
class Case:
    """One valid call of a public function, and the kinds of its arguments."""

    name: str  # e.g. "transforms.rotation"
    func: Callable[..., Any]
    good: Callable[[], dict[str, Any]]  # fresh valid keyword arguments for every call
    kinds: dict[str, str]  # argument -> kind (a trailing "?" means None is valid)
    world: Any = None
    extra: dict[str, list[tuple[str, Any, bool | None]]] = dataclasses.field(default_factory=dict)
    returns: type | tuple[type, ...] | None = None
    names: dict[str, str] = dataclasses.field(default_factory=dict)  # argument -> the name its messages use
    samples: dict[str, Any] = dataclasses.field(default_factory=dict)  # example values of optional arguments
    covers: str | None = None  # the public name this case probes, when not module.func

    def sample(self, arg: str) -> Any:
        """The valid value of ``arg``; for an optional argument whose valid value is None, an example."""
        value = self.good().get(arg)
        return self.samples.get(arg) if value is None else value


@dataclasses.dataclass
class Call:
    case: str
    arg: str
    label: str
    outcome: str
    detail: str
    seconds: float

    def line(self) -> str:
        return f"{self.case}({self.arg}={self.label}): {self.outcome}: {self.detail}"


class _Hang(BaseException):
    """Raised by SIGALRM when a call runs past TIME_LIMIT (a BaseException, so no `except Exception` eats it)."""


def _on_alarm(signum, frame):
    raise _Hang()


_COURSE_DIR = str(Path(course_lib.__file__).resolve().parent)
_CLEAR = (TypeError, ValueError, FileNotFoundError, NotADirectoryError, IsADirectoryError, PermissionError)


def _course_errors() -> tuple[type, ...]:
    from course_lib.data import DataFileError, DataUnavailableError
    from course_lib.models import TrainingDivergedError

    return _CLEAR + (DataFileError, DataUnavailableError, TrainingDivergedError)


def _raised_by_course(err: BaseException) -> bool:
    """True when the innermost frame that raised ``err`` is course code (not NumPy, TensorFlow, ...)."""
    frames = traceback.extract_tb(err.__traceback__)
    return bool(frames) and str(Path(frames[-1].filename).resolve()).startswith(_COURSE_DIR)


def _names(message: str, name: str) -> bool:
    """Whether ``message`` names the argument ``name`` (short names must be followed by what is wrong)."""
    if len(name) <= 2:
        pattern = rf"(?<![A-Za-z0-9]){re.escape(name)}(\s*(\[|\(|=|:)|\s+(must|has|is|needs|should|holds|contains))"
    else:
        pattern = rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])"
    return re.search(pattern, message) is not None


def _nonfinite(value: Any, depth: int = 0) -> bool:
    """True when ``value`` holds a NaN or an infinity (in arrays, numbers, dicts, lists, dataclasses)."""
    if depth > 6:
        return False
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (float, np.floating, complex, np.complexfloating)):
        return not np.isfinite(value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "fc":
            return not np.isfinite(value).all()
        if value.dtype == object:
            return any(_nonfinite(v, depth + 1) for v in value.flat[:1000])
        return False
    if isinstance(value, Mapping):
        return any(_nonfinite(v, depth + 1) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_nonfinite(v, depth + 1) for v in value[:1000])
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return any(_nonfinite(getattr(value, f.name), depth + 1) for f in dataclasses.fields(value))
    if type(value).__name__.endswith("DatasetV2") or "Dataset" in type(value).__name__:
        try:
            for batch in value.take(2):
                if _nonfinite([np.asarray(t) for t in (batch if isinstance(batch, tuple) else (batch,))], depth + 1):
                    return True
        except Exception:  # a dataset that cannot be read is judged by the caller's call, not here
            return False
    return False


def _run(case: Case, arg: str | None, label: str, value: Any, must_refuse: bool | None, kind: str) -> Call:
    """Call ``case`` with ``arg`` replaced by ``value`` (``arg=None``: the valid call) and sort the outcome."""
    import matplotlib.pyplot as plt

    kwargs = case.good()
    if arg is not None:
        kwargs[arg] = copy.deepcopy(value) if not callable(value) else value
    start = time.perf_counter()
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
    outcome, detail = "accepted", ""
    try:
        try:
            result = case.func(**kwargs)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Hang:
        outcome, detail = "hang", f"still running after {TIME_LIMIT:g} s"
    except _course_errors() as err:
        message = str(err)
        shown = f"{type(err).__name__}: {message[:300]}"
        expected = case.names.get(arg, arg) if arg else None
        if not _raised_by_course(err):
            outcome, detail = "unclear", f"raw error from {Path(traceback.extract_tb(err.__traceback__)[-1].filename).name}: {shown}"
        elif arg is None:
            outcome, detail = "unclear", f"the valid call failed: {shown}"
        elif _names(message, expected) or (kind == "path" and isinstance(value, (str, os.PathLike))
                                           and str(value) and str(value) in message):
            outcome, detail = "clear", shown
        else:
            outcome, detail = "unclear", f"does not name {expected!r}: {shown}"
        if outcome == "clear" and must_refuse is False:
            outcome, detail = "refused", f"a valid NumPy scalar was refused: {shown}"
    except Exception as err:  # noqa: BLE001 - every other exception is what the probe looks for
        where = Path(traceback.extract_tb(err.__traceback__)[-1].filename).name
        outcome, detail = "unclear", f"{type(err).__name__} from {where}: {str(err)[:300]}"
    else:
        refuse = must_refuse if must_refuse is not None else label in MUST_REFUSE.get(kind, set())
        if _nonfinite(result):
            outcome, detail = "garbage", f"returned NaN or infinity: {type(result).__name__}"
        elif case.returns is not None and not isinstance(result, case.returns):
            outcome, detail = "garbage", f"returned a {type(result).__name__}, not {case.returns}"
        elif arg is not None and kind in NUMERIC and _nonfinite(value):
            outcome, detail = "garbage", "accepted NaN or infinity silently"
        elif arg is not None and refuse:
            outcome, detail = "lenient", f"accepted {label} for a {kind} argument"
    finally:
        signal.signal(signal.SIGALRM, previous)
        plt.close("all")
    return Call(case.name, arg or "-", label, outcome, detail, time.perf_counter() - start)


def probe(case: Case) -> list[Call]:
    """Every bad call of ``case``."""
    calls = []
    for arg, kind in case.kinds.items():
        optional = kind.endswith("?")
        kind = kind.rstrip("?")
        for label, value, must in _values_for(case, arg, kind, optional):
            calls.append(_run(case, arg, label, value, must, kind))
    return calls


# --------------------------------------------------------------------------- the world the calls run in


class World:
    """Small data, a tiny model and folders on disk, made once for all the cases."""

    def __init__(self, root: Path) -> None:
        from PIL import Image

        from course_lib import models, offline

        self.root = root
        rng = np.random.default_rng(0)
        self.a_file = root / "a_file.txt"
        self.a_file.write_text("not an image, not a folder\n")
        self.image = rng.integers(0, 256, (6, 6, 3), dtype=np.uint8)
        self.batch = rng.integers(0, 256, (4, 6, 6, 3), dtype=np.uint8)
        self.cifar_dir = root / "cifar"
        write_npz(self.cifar_dir / "cifar10.npz", fake_cifar_arrays(per_class_train=3, per_class_test=2))
        self.cifar_file = self.cifar_dir / "cifar10.npz"
        self.src = root / "src"
        for c, name in enumerate(("cat", "dog")):
            (self.src / name).mkdir(parents=True)
            Image.fromarray(self.batch[c]).save(self.src / name / "img0.png")
        self.made = root / "made"
        offline.augment_directory(self.src, self.made, variants_per_image=1, transforms=[("rotation", 10)],
                                  progress=False)
        self.x_train = rng.integers(0, 256, (8, 4, 4, 1), dtype=np.uint8)
        self.y_train = np.array([0, 1] * 4)
        self.x_test = rng.integers(0, 256, (4, 4, 4, 1), dtype=np.uint8)
        self.y_test = np.array([0, 1, 1, 0])
        self.model = models.build_cnn((4, 4, 1), 2, filters=(2,), dense_units=4, seed=0)
        self.weights = self.model.get_weights()
        self._n = 0

    def fresh(self, stem: str = "out") -> Path:
        """A new path under the probe's folder that does not exist yet."""
        self._n += 1
        return self.root / "fresh" / f"{stem}{self._n}"

    def fresh_file(self) -> Path:
        path = self.fresh("file")
        path.parent.mkdir(parents=True, exist_ok=True)
        return path


class _ReachedFit(BaseException):
    """Stops train_and_evaluate where it would start training (the probe checks arguments, it does not train)."""


def _stop_at_fit(*args, **kwargs):
    raise _ReachedFit()


class ReachedTraining:
    """What the probe's train_and_evaluate returns when every check passed and training would start."""


def _signal(n: int = 256) -> np.ndarray:
    return np.sin(np.linspace(0, 40 * np.pi, n)).astype(np.float32)


AUDIT_ROWS = [{"transform": "none", "strength": 0.0, "test_accuracy": 0.6},
              {"transform": "rotation", "strength": 10.0, "test_accuracy": 0.5},
              {"transform": "rotation", "strength": 30.0, "test_accuracy": 0.3}]


def build_cases(w: World) -> list[Case]:
    import keras
    import matplotlib.pyplot as plt

    from course_lib import data, experiments, explorer, models, offline, pipeline, plots, reproducibility, stats
    from course_lib import synthetic
    from course_lib import transforms as T
    from course_lib.lessons import l02_transform_toolbox as L02
    from course_lib.lessons import l03_suitable_vs_unsuitable as L03
    from course_lib.lessons import l07_augmentation_vs_more_data as L07
    from course_lib.lessons import l08_imbalanced_classes as L08
    from course_lib.lessons import l09_offline_augmentation as L09
    from course_lib.lessons import l10_beyond_images as L10

    cases: list[Case] = []

    def add(name, func, good, kinds, **more):
        cases.append(Case(name, func, good, kinds, world=w, **more))

    gen = np.random.default_rng
    img, batch = w.image, w.batch

    # ---- transforms
    strengths = {"rotation": 10.0, "width_shift": 0.1, "height_shift": 0.1, "shear": 10.0, "zoom": 0.1,
                 "horizontal_flip": 0.5, "vertical_flip": 0.5, "brightness": 0.1, "contrast": 0.1, "sharpen": 0.5,
                 "blur": 0.5, "channel_shift": 0.1, "crop_and_pad": 0.125, "invert": 0.5}
    for tname, fn in T.TRANSFORMS.items():
        options = {k: v for k, v in T._SPECS[tname].defaults.items()}
        kinds = {"image": "img", "strength": "num", "rng": "rng"}
        kinds.update({k: "num" if k == "cval" else "choice" for k in options})
        add(f"transforms.{tname}", fn,
            lambda s=strengths[tname], o=options: {"image": img.copy(), "strength": s, "rng": gen(0), **o},
            kinds, returns=np.ndarray)
    add("transforms.value_range", T.value_range, lambda: {"image": img.copy()}, {"image": "img"}, returns=tuple)
    add("transforms.rescale", T.rescale, lambda: {"image": img.copy(), "factor": 1 / 255},
        {"image": "arr", "factor": "num"}, returns=np.ndarray)  # any array of pixels, a batch too
    add("transforms.sample_parameters", T.sample_parameters,
        lambda: {"name": "crop_and_pad", "strength": 0.125, "rng": gen(0), "shape": (6, 6, 3)},
        {"name": "choice", "strength": "num", "rng": "rng", "shape": "any"}, returns=dict,
        extra={"shape": [("(6, 6, -1)", (6, 6, -1), True), ("(6,)", (6,), True), ("(6.0, 6.0)", (6.0, 6.0), True),
                         ("(True, 6)", (True, 6), True), ("(6, 6, 3, 1)", (6, 6, 3, 1), True),
                         ("(10**12, 6)", (10**12, 6), None)]})
    add("transforms.check_step", T.check_step,
        lambda: {"name": "rotation", "strength": 10.0, "options": {"fill_mode": "reflect"}, "where": "steps[0]"},
        {"name": "choice", "strength": "num", "options": "any?", "where": "text"}, returns=tuple,
        samples={"options": {"fill_mode": "reflect"}},
        extra={"options": keyed("fill_mode") + keyed("cval") + [
            ("unknown option", {"colour": 1}, True), ("['reflect']", ["reflect"], True)],
               "where": [("3", 3, True), ("None", None, True)]})
    add("transforms.apply_parameters", T.apply_parameters,
        lambda: {"name": "rotation", "image": img.copy(), "params": {"angle": 10.0}, "fill_mode": "constant",
                 "cval": 0.0},
        {"name": "choice", "image": "img", "params": "any", "fill_mode": "choice", "cval": "num"},
        returns=np.ndarray,
        extra={"params": keyed("angle") + [("{}", {}, True), ("extra key", {"angle": 1.0, "dx": 0.1}, True),
                                           ("{'angle': np.float64(3)}", {"angle": np.float64(3)}, False)]})
    add("transforms.apply_to_batch", T.apply_to_batch,
        lambda: {"images": batch.copy(), "name_or_fn": "rotation", "strength": 10.0, "rng": gen(0),
                 "fill_mode": "reflect"},
        {"images": "img", "name_or_fn": "choice", "strength": "num", "rng": "rng", "fill_mode": "choice"},
        returns=np.ndarray,
        extra={"name_or_fn": [("a function", lambda im, s, r, **o: im[::-1], None),
                              ("returns NaN", lambda im, s, r, **o: im * NAN, True),
                              ("returns wrong shape", lambda im, s, r, **o: im[:2], True),
                              ("returns None", lambda im, s, r, **o: None, True)]})
    add("transforms.apply_batch", T.apply_batch,
        lambda: {"name": "rotation", "images": batch.copy(), "params": {"angle": np.array([0.0, 5.0, 10.0, 15.0])},
                 "value_range": None, "fill_mode": "nearest", "cval": 0.0},
        {"name": "choice", "images": "img", "params": "any", "value_range": "any?", "fill_mode": "choice",
         "cval": "num"},
        returns=np.ndarray,
        extra={"params": keyed("angle") + [("four angles, one NaN", {"angle": np.array([0, NAN, 1, 2])}, True),
                                           ("{}", {}, True)],
               "value_range": [("(0, 255)", (0, 255), None), ("(0, nan)", (0, NAN), True),
                               ("(255, 0)", (255, 0), True), ("(0,)", (0,), True), ("'0,255'", "0,255", True),
                               ("(np.int64(0), np.float64(255))", (np.int64(0), np.float64(255)), False)]})

    # ---- data
    def fake_load_data():
        arrays = fake_cifar_arrays(per_class_train=1, per_class_test=1)
        return (arrays["x_train"], arrays["y_train"][:, None]), (arrays["x_test"], arrays["y_test"][:, None])

    keras.datasets.cifar10.load_data = fake_load_data  # restored by the test's monkeypatch
    add("data.cache_dir", data.cache_dir, dict, {}, returns=Path)
    add("data.find_cifar10", data.find_cifar10, lambda: {"data_dir": str(w.cifar_dir), "cache": None},
        {"data_dir": "path?", "cache": "path?"})
    add("data.read_cifar10_file", data.read_cifar10_file, lambda: {"path": w.cifar_file}, {"path": "path"},
        returns=dict, extra={"path": [("a folder", str(w.cifar_dir), None)]})
    add("data.download_cifar10", data.download_cifar10, lambda: {"cache": w.root / "download_cache"},
        {"cache": "path?"}, returns=Path)
    add("data.per_class_counts", data.per_class_counts,
        lambda: {"name": "train", "total": 6, "per_class": None, "class_names": ("a", "b", "c")},
        {"name": "str", "total": "int?", "per_class": "any?", "class_names": "any"},
        names={"total": "n_train", "per_class": "train_per_class"}, samples={"per_class": 2},
        extra={"per_class": keyed("a") + [("{'zzz': 1}", {"zzz": 1}, True), ("{7: 1}", {7: 1}, True)],
               "class_names": [("()", (), True), ("'abc'", "abc", True), ("[1, 2]", [1, 2], True)]})
    add("data.stratified_split", data.stratified_split,
        lambda: {"labels": np.array([0, 0, 1, 1, 2, 2]), "counts": [[1, 1, 1], [1, 0, 1]], "seed": 0},
        {"labels": "arr", "counts": "any", "seed": "seed"}, returns=list,
        extra={"counts": [(f"[[{lab}, 1, 1]]", [[v, 1, 1]], None) for lab, v in BASIC]
               + [("[[1.5, 1, 1]]", [[1.5, 1, 1]], True), ("[[1, 1]]", [[1, 1]], None), ("[[9, 9, 9]]", [[9, 9, 9]], None)]})
    add("data.load_cifar10", data.load_cifar10,
        lambda: {"n_train": 6, "n_test": 4, "n_val": 0, "train_per_class": None, "test_per_class": None,
                 "classes": None, "seed": 0, "data_dir": str(w.cifar_dir), "cache": None, "download": False},
        {"n_train": "int?", "n_test": "int?", "n_val": "int", "train_per_class": "any?", "test_per_class": "any?",
         "classes": "any?", "seed": "seed", "data_dir": "path?", "cache": "path?", "download": "bool"},
        returns=data.ImageData,
        extra={"train_per_class": keyed("dog") + [("{'unicorn': 1}", {"unicorn": 1}, True), ("{99: 1}", {99: 1}, True),
                                                  ("{'dog': 10**6}", {"dog": 10**6}, None)],
               "test_per_class": keyed("cat"),
               "classes": [("['dog', 'dog']", ["dog", "dog"], True), ("['unicorn']", ["unicorn"], True),
                           ("[11]", [11], True), ("'dog'", "dog", True), ("[nan]", [NAN], True), ("[True]", [True], True),
                           ("['cat', 'dog']", ["cat", "dog"], None)],
               "n_train": [("10**6", 10**6, None)]})
    add("data.load_photo", data.load_photo, lambda: {"name": "chelsea"}, {"name": "choice"}, returns=np.ndarray)
    for fn in (data.load_digits, data.load_faces):
        add(f"data.{fn.__name__}", fn, lambda: {"test_fraction": 0.25, "seed": 0},
            {"test_fraction": "num", "seed": "seed"}, returns=data.ImageData)

    # ---- models
    add("models.epoch_timer", models.epoch_timer, dict, {}, returns=keras.callbacks.Callback)
    add("models.build_cnn", models.build_cnn,
        lambda: {"input_shape": (4, 4, 1), "num_classes": 2, "filters": (2,), "dense_units": 4, "dropout": 0.0,
                 "seed": 0, "name": "probe"},
        {"input_shape": "any", "num_classes": "int", "filters": "any", "dense_units": "int", "dropout": "num",
         "seed": "seed", "name": "str?"}, returns=keras.Model,
        extra={"input_shape": [("(4, 4)", (4, 4), True), ("(4, 4, -1)", (4, 4, -1), True),
                               ("(10**6, 10**6, 1)", (10**6, 10**6, 1), None), ("(2, 2, 1)", (2, 2, 1), True),
                               ("(4.0, 4, 1)", (4.0, 4, 1), True), ("(4, 4, True)", (4, 4, True), True),
                               ("(4, 4, nan)", (4, 4, NAN), True)],
               "filters": [("[10**9]", [10**9], None), ("[0]", [0], True), ("[nan]", [NAN], True),
                           ("'32'", "32", True), ("[2, 2.5]", [2, 2.5], True), ("[True]", [True], True)]})
    add("models.check_class_weight", models.check_class_weight,
        lambda: {"class_weight": {0: 1.0, 1: 2.0}, "classes": 2}, {"class_weight": "any?", "classes": "int"},
        extra={"class_weight": [("{0: nan, 1: 1}", {0: NAN, 1: 1.0}, True), ("{0: -1, 1: 1}", {0: -1.0, 1: 1.0}, True),
                                ("{0: 1}", {0: 1.0}, True), ("{0: 1, 1: 1, 5: 1}", {0: 1, 1: 1, 5: 1}, True),
                                ("{'0': 1, 1: 1}", {"0": 1, 1: 1}, True), ("{0: True, 1: 1}", {0: True, 1: 1}, True),
                                ("{0: '1', 1: 1}", {0: "1", 1: 1}, True), ("[1.0, 2.0]", [1.0, 2.0], True),
                                ("{0: inf, 1: 1}", {0: INF, 1: 1}, True),
                                ("NumPy keys and weights", {np.int64(0): np.float64(1.0), np.int64(1): np.float32(2)},
                                 False)]})
    one_hot = np.eye(2)[w.y_train]

    def train(**kwargs):
        """train_and_evaluate up to the start of training: every check runs, nothing trains (see train_for_real)."""
        model = kwargs.get("model")
        if not isinstance(model, keras.Model):
            return models.train_and_evaluate(**kwargs)
        model.fit = _stop_at_fit
        try:
            return models.train_and_evaluate(**kwargs)
        except _ReachedFit:
            return ReachedTraining()
        finally:
            del model.fit

    add("models.train_and_evaluate", train,
        lambda: {"model": w.model, "x_train": w.x_train, "y_train": w.y_train, "x_test": w.x_test,
                 "y_test": w.y_test, "epochs": 1, "steps": None, "batch_size": 8, "augment": None, "mix": None,
                 "validation_data": None, "initial_weights": w.weights, "learning_rate": 1e-3,
                 "schedule": "constant", "loss": None, "class_weight": None, "callbacks": (), "seed": 0,
                 "label": "probe"},
        {"model": "model", "x_train": "img", "y_train": "arr", "x_test": "img", "y_test": "arr", "epochs": "int",
         "steps": "int?", "batch_size": "int", "augment": "call?", "mix": "call?", "validation_data": "any?",
         "initial_weights": "any?", "learning_rate": "num", "schedule": "choice", "loss": "any?",
         "class_weight": "any?", "callbacks": "any", "seed": "seed", "label": "str"},
        returns=ReachedTraining, covers="course_lib.models.train_and_evaluate",
        extra={"x_train": [("images of another size", np.zeros((8, 6, 6, 1), np.uint8), True)],
               "x_test": [("images of another size", np.zeros((4, 6, 6, 1), np.uint8), True)],
               "y_train": [("label 5", np.array([0, 5] * 4), True), ("fractions", np.full(8, 0.5), True),
                           ("one-hot with 3 columns", np.eye(3)[[0, 1] * 4], True), ("one-hot", one_hot, None)],
               "y_test": [("label 5", np.array([0, 5, 1, 0]), True)],
               "augment": [("wrong shape out", lambda x: x[:, :2], True)],  # NaN out: test_training_for_real
               "validation_data": [("(x, y)", (w.x_test, w.y_test), None),
                                   ("(x with NaN, y)", (w.x_test * NAN, w.y_test), True),
                                   ("(x, y too short)", (w.x_test, w.y_test[:2]), True),
                                   ("[x, y]", [w.x_test, w.y_test], True), ("(x,)", (w.x_test,), True)],
               "initial_weights": [("wrong shapes", [np.zeros(3)] * len(w.weights), True),
                                   ("one too few", w.weights[:-1], True),
                                   ("with NaN", [np.full_like(a, NAN) for a in w.weights], True)],
               "loss": [("'no_such_loss'", "no_such_loss", True), ("'categorical_crossentropy'",
                                                                  "categorical_crossentropy", True)],
               "class_weight": [("{0: nan, 1: 1}", {0: NAN, 1: 1.0}, True), ("{0: 1}", {0: 1.0}, True),
                                ("{0: 1, 1: 2}", {0: 1.0, 1: 2.0}, None)],
               "callbacks": [("[object()]", [object()], True), ("[None]", [None], True), ("'cb'", "cb", True)],
               "schedule": [("'cosine'", "cosine", None)]})
    add("models.predict_probabilities", models.predict_probabilities,
        lambda: {"model": w.model, "x": w.x_test, "batch_size": 256},
        {"model": "model", "x": "img", "batch_size": "int"}, returns=np.ndarray,
        extra={"x": [("images of another size", np.zeros((4, 6, 6, 1), np.uint8), True)]})

    # ---- pipeline
    add("pipeline.check_labels", pipeline.check_labels,
        lambda: {"name": "y", "y": np.array([0, 1, 0, 1]), "n": 4}, {"name": "str", "y": "arr", "n": "int"},
        returns=np.ndarray,
        extra={"y": [("one-hot", np.eye(2)[[0, 1, 0, 1]], None), ("rows not summing to 1", np.ones((4, 2)), True)]})
    add("pipeline.check_images", pipeline.check_images, lambda: {"name": "x", "x": w.x_train},
        {"name": "str", "x": "img"}, returns=np.ndarray)
    add("pipeline.prepare", pipeline.prepare,
        lambda: {"x": w.x_train, "y": w.y_train, "batch_size": 4, "shuffle": False, "augment": None, "mix": None,
                 "seed": 0, "autotune": False, "repeat": False},
        {"x": "img", "y": "arr", "batch_size": "int", "shuffle": "bool", "augment": "call?", "mix": "call?",
         "seed": "seed", "autotune": "bool", "repeat": "bool"})

    # ---- stats
    y6 = np.array([0, 1, 1, 0, 1, 0])
    add("stats.paired_comparison", stats.paired_comparison,
        lambda: {"y_true": y6.copy(), "predictions_a": np.array([0, 1, 1, 1, 1, 0]),
                 "predictions_b": np.array([0, 0, 1, 0, 1, 1]), "names": ("a", "b")},
        {"y_true": "arr", "predictions_a": "arr", "predictions_b": "arr", "names": "any"},
        returns=stats.PairedComparison,
        extra={"predictions_a": [("probabilities", np.eye(2)[[0, 1, 1, 1, 1, 0]] * 0.8 + 0.1, None),
                                 ("probabilities with NaN", np.full((6, 2), NAN), True),
                                 ("fractions", np.full(6, 0.5), True)],
               "names": [("('a',)", ("a",), True), ("('a', 3)", ("a", 3), True), ("'ab'", "ab", True),
                         ("('', 'b')", ("", "b"), True)]})
    add("stats.accuracy_interval", stats.accuracy_interval,
        lambda: {"y_true": y6.copy(), "predictions": np.array([0, 1, 1, 1, 1, 0])},
        {"y_true": "arr", "predictions": "arr"}, returns=tuple)
    add("stats.mean_interval", stats.mean_interval, lambda: {"values": [0.5, 0.6, 0.7]}, {"values": "any"},
        returns=tuple,
        extra={"values": [("[nan, 1.0]", [NAN, 1.0], True), ("[0.5]", [0.5], None),
                          ("array([0.5, nan])", np.array([0.5, NAN]), True), ("[True, 1.0]", [True, 1.0], True),
                          ("['a']", ["a"], True), ("NumPy numbers", [np.float64(0.5), np.float32(0.6)], False)]})

    # ---- plots
    add("plots.series_style", plots.series_style, lambda: {"i": 0}, {"i": "int"}, returns=dict)
    add("plots.describe", plots.describe, lambda: {"fig": plt.figure(), "alt": "A probe figure."},
        {"fig": "any", "alt": "str"})
    add("plots.alt_text", plots.alt_text, lambda: {"fig": plt.figure()}, {"fig": "any"}, returns=str)
    add("plots.use_course_style", plots.use_course_style, dict, {})
    add("plots.show_images", plots.show_images,
        lambda: {"images": batch.copy(), "labels": None, "class_names": None, "titles": None, "ncols": 8,
                 "title": None, "size": 1.6},
        {"images": "img", "labels": "arr?", "class_names": "any?", "titles": "any?", "ncols": "int",
         "title": "text?", "size": "num"},
        samples={"labels": np.array([0, 1, 0, 1])},
        extra={"titles": [("['a']", ["a"], True), ("[1, 2, 3, 4]", [1, 2, 3, 4], None)],
               "class_names": [("['a']", ["a"], None)]})
    add("plots.show_before_after", plots.show_before_after,
        lambda: {"before": batch[:2].copy(), "after": batch[2:].copy(), "titles": ("before", "after"),
                 "title": None, "size": 2.0},
        {"before": "img", "after": "img", "titles": "any", "title": "text?", "size": "num"},
        extra={"titles": [("('a',)", ("a",), True), ("'ab'", "ab", True)]})
    add("plots.show_augmentations", plots.show_augmentations,
        lambda: {"image": img.copy(), "augment": lambda im: im[::-1], "rows": 2, "cols": 2, "title": None,
                 "size": 1.8},
        {"image": "img", "augment": "call", "rows": "int", "cols": "int", "title": "text?", "size": "num"},
        extra={"augment": [("returns NaN", lambda im: im * NAN, True), ("wrong shape", lambda im: im[:2], True)]})
    add("plots.plot_history", plots.plot_history,
        lambda: {"histories": {"accuracy": [0.5, 0.6], "val_accuracy": [0.4, 0.5]}, "metric": "accuracy",
                 "title": None},
        {"histories": "any", "metric": "str", "title": "text?"},
        extra={"histories": keyed("accuracy", wrap=lambda v: {"accuracy": [v, 0.5]})
               + [("{'loss': [1.0]}", {"loss": [1.0]}, True), ("{'a': ..., 'b': 3}", {"a": {"accuracy": [0.5]}, "b": 3}, True),
                  ("{'accuracy': 'abc'}", {"accuracy": "abc"}, True), ("{}", {}, True)]})
    add("plots.show_sweep", plots.show_sweep,
        lambda: {"grid": np.stack([batch[:3], batch[1:]]), "row_labels": ["a", "b"], "col_labels": None,
                 "title": None, "row_axis_label": "strength", "col_axis_label": "draw", "size": 1.6},
        {"grid": "any", "row_labels": "any", "col_labels": "any?", "title": "text?", "row_axis_label": "text",
         "col_axis_label": "text", "size": "num"},
        extra={"grid": [("ragged rows", [batch[:3], batch[:2]], True), ("NaN image", np.full((2, 3, 6, 6, 3), NAN), True),
                        ("images of two sizes", [batch[:3], np.zeros((3, 4, 4, 3), np.uint8)], True)],
               "row_labels": [("['a']", ["a"], True)], "col_labels": [("['a']", ["a"], True)]})
    add("plots.plot_signals", plots.plot_signals,
        lambda: {"signals": {"a": _signal(), "b": _signal()[::-1].copy()}, "sample_rate": 1000.0,
                 "spectrogram": False, "overlay": False, "title": None, "ylabel": "value", "max_frequency": None,
                 "size": 3.2},
        {"signals": "any", "sample_rate": "num?", "spectrogram": "bool", "overlay": "bool", "title": "text?",
         "ylabel": "text", "max_frequency": "num?", "size": "num"},
        samples={"max_frequency": 100.0},
        extra={"signals": keyed("a", values=[(lab, v) for lab, v in GENERIC if lab != "empty array"])
               + [("{'a': NaN signal}", {"a": np.full(64, NAN)}, True)]})
    add("plots.plot_audit", plots.plot_audit,
        lambda: {"rows": [dict(r) for r in AUDIT_ROWS], "units": None, "ncols": 4, "title": "probe"},
        {"rows": "any", "units": "any?", "ncols": "int", "title": "text"},
        extra={"rows": keyed("strength", wrap=lambda v: [{"transform": "rotation", "strength": v, "test_accuracy": 0.4}])
               + keyed("test_accuracy", wrap=lambda v: [{"transform": "rotation", "strength": 1.0, "test_accuracy": v}])
               + [("only the baseline", AUDIT_ROWS[:1], True), ("[{}]", [{}], True)],
               "units": [("'deg'", "deg", True), ("{'rotation': 3}", {"rotation": 3}, None)]})

    # ---- explorer
    add("explorer.curves_from_audit", explorer.curves_from_audit, lambda: {"rows": [dict(r) for r in AUDIT_ROWS]},
        {"rows": "any"}, returns=tuple,
        extra={"rows": keyed("strength", wrap=lambda v: [{"transform": "rotation", "strength": v, "test_accuracy": 0.4}])
               + keyed("test_accuracy", wrap=lambda v: [{"transform": "rotation", "strength": 1.0, "test_accuracy": v}])})
    add("explorer.widgets_available", explorer.widgets_available, dict, {}, returns=bool)
    curve_values = [(f"{{'rotation': [({lab}, 0.5)]}}", {"rotation": [(v, 0.5)]}, None) for lab, v in BASIC] + [
        ("{'rotation': [(10, 2.0)]}", {"rotation": [(10.0, 2.0)]}, True), ("{'rotation': 'ab'}", {"rotation": "ab"}, True),
        ("{'rotation': [(1,)]}", {"rotation": [(1,)]}, True), ("{'mine': [(1, 0.5)]}", {"mine": [(1.0, 0.5)]}, None)]
    explorer_kinds = {"images": "img", "curves": "any?", "baseline": "num?", "names": "any?", "seed": "seed",
                      "ncols": "int", "curves_source": "text"}
    names_values = [("['rotation', 'twirl']", ["rotation", "twirl"], True), ("'rotation'", "rotation", True),
                    ("['rotation', 3]", ["rotation", 3], True)]
    add("explorer.TransformExplorer", explorer.TransformExplorer,
        lambda: {"images": batch.copy(), "curves": [dict(r) for r in AUDIT_ROWS], "baseline": None, "names": None,
                 "seed": 0, "ncols": 4, "curves_source": "probe"},
        explorer_kinds, returns=explorer.TransformExplorer, samples={"baseline": 0.5},
        extra={"curves": curve_values, "names": names_values})
    add("explorer.explore", explorer.explore,
        lambda: {"images": batch.copy(), "curves": [dict(r) for r in AUDIT_ROWS], "baseline": None,
                 "name": "rotation", "strength": None, "names": None, "seed": 0, "curves_source": ""},
        {**{k: v for k, v in explorer_kinds.items() if k != "ncols"}, "name": "choice", "strength": "num?"},
        returns=explorer.TransformExplorer, samples={"baseline": 0.5, "strength": 10.0},
        extra={"curves": curve_values, "names": names_values})
    shown = explorer.TransformExplorer(batch, curves=AUDIT_ROWS)
    for method, kinds, good in (
            ("limit", {"name": "choice"}, {"name": "rotation"}),
            ("transformed", {"name": "choice", "strength": "num"}, {"name": "rotation", "strength": 10.0}),
            ("update", {"name": "choice", "strength": "num"}, {"name": "zoom", "strength": 0.2}),
            ("png", {"name": "choice", "strength": "num"}, {"name": "blur", "strength": 1.0}),
            ("widget", {"name": "choice?", "strength": "num?"}, {"name": "rotation", "strength": None})):
        add(f"explorer.TransformExplorer.{method}", getattr(shown, method), lambda g=good: dict(g), kinds,
            samples={"strength": 5.0}, covers="course_lib.explorer.TransformExplorer")

    # ---- experiments
    presets = {"classroom": {"SIZES": [1, 2], "SEEDS": [0]}, "full": {"SIZES": [10, 20], "SEEDS": [0, 1]}}
    add("experiments.settings", experiments.settings, lambda: {"lesson": "07", "presets": copy.deepcopy(presets)},
        {"lesson": "str", "presets": "any"}, returns=dict,
        extra={"presets": [("{'classroom': 3}", {"classroom": 3}, True), ("{'full': {}}", {"full": {}}, True),
                           ("different names", {"classroom": {"A": 1}, "full": {"B": 2}}, True),
                           ("'classroom'", "classroom", True)],
               "lesson": [("'7'", "7", True), ("'ab'", "ab", True), ("7", 7, True)]})
    add("experiments.results_dir", experiments.results_dir, dict, {}, returns=Path)
    add("experiments.full_scale_estimate", experiments.full_scale_estimate,
        lambda: {"passes_now": 120_000, "seconds_now": 30.0, "passes_full": 48_000_000},
        {"passes_now": "int", "seconds_now": "num", "passes_full": "int"}, returns=str)
    add("experiments.save_results", experiments.save_results,
        lambda: {"notebook": "probe", "results": {"seed": 0, "accuracy": 0.5}},
        {"notebook": "str", "results": "any"}, returns=Path,
        extra={"results": keyed("accuracy") + [("{1: 2}", {1: 2}, True),
                                                ("NumPy numbers", {"n": np.int64(3), "a": np.float32(0.5)}, False)],
               "notebook": [("'../up'", "../up", True), ("'x.ipynb'", "x.ipynb", True)]})

    def load_results(notebook):
        experiments.save_results("probe", {"seed": 0})
        return experiments.load_results(notebook)

    add("experiments.load_results", load_results, lambda: {"notebook": "probe"}, {"notebook": "str"}, returns=dict,
        covers="course_lib.experiments.load_results",
        extra={"notebook": [("'never_run'", "never_run", True)]})

    # ---- offline
    steps_values = [(f"[('rotation', {lab})]", [("rotation", v)], None) for lab, v in BASIC] + [
        ("[('twirl', 1)]", [("twirl", 1)], True), ("bad option", [("rotation", 10, {"fill_mode": "bogus"})], True),
        ("NaN option", [("rotation", 10, {"cval": NAN})], True), ("{'rotation': '10'}", {"rotation": "10"}, True),
        ("[('rotation',)]", [("rotation",)], True), ("'rotation'", "rotation", True),
        ("array option", [("rotation", 10, {"fill_mode": np.array(["reflect"])})], True),
        ("NumPy strength", [("rotation", np.float64(10))], False)]
    add("offline.augment_directory", offline.augment_directory,
        lambda: {"src": w.src, "dst": w.fresh(), "variants_per_image": 1, "transforms": [("rotation", 10)],
                 "seed": 0, "include_originals": False, "dry_run": False, "progress": False,
                 "image_extensions": (".png",)},
        {"src": "path", "dst": "path", "variants_per_image": "int", "transforms": "any", "seed": "seed",
         "include_originals": "bool", "dry_run": "bool", "progress": "bool", "image_extensions": "any"},
        returns=offline.AugmentReport,
        extra={"transforms": steps_values,
               "dst": [("src itself", str(w.src), True), ("inside src", str(w.src / "cat" / "out"), True)],
               "image_extensions": [("['png']", ["png"], True), ("'.png'", ".png", True), ("[3]", [3], True)]})
    add("offline.check_destination", offline.check_destination, lambda: {"src": w.src, "dst": w.fresh()},
        {"src": "path", "dst": "path"}, returns=Path,
        extra={"dst": [("src itself", str(w.src), True), ("the parent of src", str(w.root), True)]})
    add("offline.folder_size", offline.folder_size, lambda: {"folder": w.src, "extensions": None},
        {"folder": "path", "extensions": "any?"}, returns=tuple,
        extra={"extensions": [("['png']", ["png"], True), ("'.png'", ".png", True), ("[3]", [3], True)]})
    add("offline.read_manifest", offline.read_manifest, lambda: {"dst": w.made}, {"dst": "path"},
        extra={"dst": [("a folder without a manifest", str(w.src), True)]})
    add("offline.save_image_folder", offline.save_image_folder,
        lambda: {"images": batch.copy(), "labels": np.array([0, 1, 0, 1]), "class_names": ["cat", "dog"],
                 "folder": w.fresh()},
        {"images": "img", "labels": "arr", "class_names": "any", "folder": "path"}, returns=int,
        extra={"images": [("float images", batch / 255.0, True)],
               "labels": [("label 2", np.array([0, 2, 0, 1]), True)],
               "class_names": [("['cat', 'Cat']", ["cat", "Cat"], True), ("['a/b', 'c']", ["a/b", "c"], True),
                               ("'cat'", "cat", True), ("['cat']", ["cat"], True)],
               "folder": [("a folder with files", str(w.src), True)]})

    # ---- synthetic and reproducibility
    add("synthetic.note_frequency", synthetic.note_frequency, lambda: {"note": "A4"}, {"note": "str"}, returns=float,
        extra={"note": [("'H4'", "H4", True), ("'A'", "A", True)]})
    add("synthetic.melody", synthetic.melody,
        lambda: {"notes": ["A4", 440.0], "sample_rate": 8000, "note_seconds": 0.05},
        {"notes": "any", "sample_rate": "int", "note_seconds": "num"}, returns=np.ndarray,
        extra={"notes": [(f"[{lab}]", [v], None) for lab, v in BASIC] + [("['H4']", ["H4"], True),
                                                                         ("[10**9]", [10**9], True),
                                                                         ("'A4'", "A4", True),
                                                                         ("[np.float64(440)]", [np.float64(440)], False)]})
    add("synthetic.gesture_recordings", synthetic.gesture_recordings,
        lambda: {"n_per_class": 2, "length": 32, "rng": 0}, {"n_per_class": "int", "length": "int", "rng": "rngseed"},
        returns=tuple)
    add("reproducibility.import_tensorflow", reproducibility.import_tensorflow, dict, {})
    add("reproducibility.set_seed", reproducibility.set_seed, lambda: {"seed": 0, "tensorflow": True},
        {"seed": "seed", "tensorflow": "bool"}, returns=int)

    # ---- lesson 03
    x4 = w.x_test
    add("l02.rotate_nearest", L02.rotate_nearest, lambda: {"image": img.copy(), "angle_degrees": 30.0},
        {"image": "img", "angle_degrees": "num"}, returns=np.ndarray)
    add("l03.label_preservation_audit", L03.label_preservation_audit,
        lambda: {"model": w.model, "x": x4, "y": w.y_test, "strengths": {"rotation": [10.0]}, "transforms": None,
                 "seed": 0},
        {"model": "model", "x": "img", "y": "arr", "strengths": "any", "transforms": "any?", "seed": "seed"},
        returns=list, samples={"transforms": {"mine": lambda im, s, r: im}},
        extra={"strengths": [(f"{{'rotation': [{lab}]}}", {"rotation": [v]}, None) for lab, v in BASIC] + [
            ("{'twirl': [1]}", {"twirl": [1.0]}, True), ("{'rotation': []}", {"rotation": []}, True),
            ("{'rotation': 10}", {"rotation": 10}, True), ("{'rotation': [500]}", {"rotation": [500.0]}, True),
            ("{'rotation': [np.float64(5)]}", {"rotation": [np.float64(5)]}, False)],
            "transforms": [("{'rotation': 3}", {"rotation": 3}, True), ("['rotation']", ["rotation"], True)]})

    # ---- lesson 07
    add("l07.pad_crop_flip", L07.pad_crop_flip, lambda: {"seed": 0, "pad": 4, "size": 32},
        {"seed": "seed", "pad": "int", "size": "int"}, returns=keras.Sequential)

    # ---- lesson 08
    y9 = np.array([0, 1, 2, 0, 1, 2, 0, 0, 0])
    add("l08.class_scores", L08.class_scores,
        lambda: {"y_true": y9.copy(), "y_pred": np.array([0, 1, 1, 0, 2, 2, 0, 1, 0]), "num_classes": 3},
        {"y_true": "arr", "y_pred": "arr", "num_classes": "int"}, returns=dict)
    add("l08.class_weights", L08.class_weights, lambda: {"y": y9.copy(), "num_classes": 3},
        {"y": "arr", "num_classes": "int"}, returns=dict)
    add("l08.oversample_indices", L08.oversample_indices, lambda: {"y": y9.copy(), "num_classes": 3, "seed": 0},
        {"y": "arr", "num_classes": "int", "seed": "seed"}, returns=np.ndarray)
    add("l08.plot_confusion_matrices", L08.plot_confusion_matrices,
        lambda: {"matrices": {"plain": np.eye(3, dtype=int) * 3 + 1}, "class_names": ["a", "b", "c"], "title": "probe"},
        {"matrices": "any", "class_names": "any", "title": "str"},
        extra={"matrices": keyed("plain", wrap=lambda v: {"plain": np.full((3, 3), v)}
                                 if isinstance(v, (int, float)) else {"plain": v})
               + [("{'plain': 2 x 2}", {"plain": np.eye(2)}, True), ("{}", {}, True)],
               "class_names": [("['a', 'b']", ["a", "b"], True), ("'abc'", "abc", True), ("[1, 2, 3]", [1, 2, 3], True)]})

    # ---- lesson 09
    steps09 = [(f"[('rotation', {lab}, {{}})]", [("rotation", v, {})], None) for lab, v in BASIC] + [
        ("[('twirl', 1.0, {})]", [("twirl", 1.0, {})], True),
        ("bad option", [("rotation", 10.0, {"fill_mode": "bogus"})], True),
        ("NaN option", [("rotation", 10.0, {"cval": NAN})], True),
        ("[('rotation', 10.0)]", [("rotation", 10.0)], True),
        ("NumPy strength", [("rotation", np.float64(10.0), {})], False)]
    add("l09.file_seed", L09.file_seed, lambda: {"seed": 0, "source": "cat/img0.png", "variant": 0},
        {"seed": "seed", "source": "str", "variant": "int"}, returns=int)
    add("l09.draw_parameters", L09.draw_parameters,
        lambda: {"steps": [("rotation", 10.0, {})], "shape": (6, 6, 3), "seed": 0},
        {"steps": "any", "shape": "any", "seed": "seed"}, returns=list,
        extra={"steps": steps09, "shape": [("(6, 6, -1)", (6, 6, -1), True), ("(6,)", (6,), True)]})
    add("l09.augment_variant", L09.augment_variant,
        lambda: {"image": img.copy(), "steps": [("rotation", 10.0, {})], "seed": 0},
        {"image": "img", "steps": "any", "seed": "seed"}, returns=tuple, extra={"steps": steps09})
    add("l09.write_atomically", L09.write_atomically,
        lambda: {"target": w.fresh_file(), "write": lambda handle: handle.write(b"probe")},
        {"target": "path", "write": "call"}, returns=int,
        extra={"target": [("in a missing folder", str(w.root / "missing" / "x.bin"), True),
                          ("a folder", str(w.src), True)]})

    # ---- lesson 10
    sentence = "the quick dog runs fast"
    table = {"quick": ("fast", "rapid"), "dog": ("hound",)}
    syn_values = [("{'quick': 'fast'}", {"quick": "fast"}, True), ("{'quick': ['']}", {"quick": [""]}, True),
                  ("{'quick': [3]}", {"quick": [3]}, True), ("{3: ['x']}", {3: ["x"]}, True)]
    add("l10.load_synonyms", L10.load_synonyms, dict, {}, returns=dict)
    add("l10.words", L10.words, lambda: {"sentence": sentence}, {"sentence": "str"}, returns=list)
    add("l10.eda_inputs", L10.eda_inputs, lambda: {"sentence": sentence, "n": 1, "rng": 0, "synonyms": None},
        {"sentence": "str", "n": "int", "rng": "rngseed", "synonyms": "any?"}, returns=tuple,
        samples={"synonyms": table}, extra={"synonyms": syn_values})
    for fn in (L10.synonym_replacement, L10.random_insertion):
        add(f"l10.{fn.__name__}", fn, lambda: {"sentence": sentence, "n": 1, "rng": 0, "synonyms": dict(table)},
            {"sentence": "str", "n": "int", "rng": "rngseed", "synonyms": "any?"}, returns=str,
            extra={"synonyms": syn_values})
    add("l10.random_swap", L10.random_swap, lambda: {"sentence": sentence, "n": 1, "rng": 0},
        {"sentence": "str", "n": "int", "rng": "rngseed"}, returns=str)
    add("l10.random_deletion", L10.random_deletion, lambda: {"sentence": sentence, "p": 0.1, "rng": 0},
        {"sentence": "str", "p": "num", "rng": "rngseed"}, returns=str)
    sig = _signal()
    add("l10.spectrogram", L10.spectrogram,
        lambda: {"signal": sig.copy(), "sample_rate": 8000.0, "nperseg": 64, "floor_db": -100.0},
        {"signal": "arr", "sample_rate": "num", "nperseg": "int", "floor_db": "num"}, returns=tuple)
    add("l10.signal_power", L10.signal_power, lambda: {"signal": sig.copy()}, {"signal": "arr"}, returns=float)
    add("l10.snr_db", L10.snr_db, lambda: {"clean": sig.copy(), "noisy": sig + np.float32(0.1)},
        {"clean": "arr", "noisy": "arr"}, returns=float)
    add("l10.add_noise", L10.add_noise, lambda: {"signal": sig.copy(), "snr_db": 10.0, "rng": 0},
        {"signal": "arr", "snr_db": "num", "rng": "rngseed"}, returns=np.ndarray)
    add("l10.time_shift", L10.time_shift, lambda: {"signal": sig.copy(), "shift": 3, "wrap": False},
        {"signal": "arr", "shift": "int", "wrap": "bool"}, returns=np.ndarray)
    add("l10.time_stretch", L10.time_stretch, lambda: {"signal": sig.copy(), "rate": 1.2, "n_fft": 64, "hop": 16},
        {"signal": "arr", "rate": "num", "n_fft": "int", "hop": "int"}, returns=np.ndarray)
    add("l10.pitch_shift", L10.pitch_shift, lambda: {"signal": sig.copy(), "semitones": 2.0, "n_fft": 64, "hop": 16},
        {"signal": "arr", "semitones": "num", "n_fft": "int", "hop": "int"}, returns=np.ndarray)
    series = _signal(32)
    add("l10.checked_series", L10.checked_series, lambda: {"x": series.copy()}, {"x": "arr"}, returns=np.ndarray)
    for fn, key, value in ((L10.jitter, "sigma", 0.05), (L10.scaling, "sigma", 0.1), (L10.window_slice, "ratio", 0.9)):
        add(f"l10.{fn.__name__}", fn, lambda k=key, v=value: {"x": series.copy(), k: v, "rng": 0},
            {"x": "arr", key: "num", "rng": "rngseed"}, returns=np.ndarray)
    for fn in (L10.magnitude_warp, L10.time_warp):
        add(f"l10.{fn.__name__}", fn, lambda: {"x": series.copy(), "sigma": 0.2, "knots": 4, "rng": 0},
            {"x": "arr", "sigma": "num", "knots": "int", "rng": "rngseed"}, returns=np.ndarray)
    add("l10.warp_inputs", L10.warp_inputs, lambda: {"sigma": 0.2, "knots": 4}, {"sigma": "num", "knots": "int"},
        returns=tuple)
    add("l10.time_warp_path", L10.time_warp_path, lambda: {"length": 32, "sigma": 0.2, "knots": 4, "rng": 0},
        {"length": "int", "sigma": "num", "knots": "int", "rng": "rngseed"}, returns=np.ndarray)
    return cases


# --------------------------------------------------------------------------- the tests


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    return World(tmp_path_factory.mktemp("probe"))


@pytest.fixture()
def cases(world, monkeypatch, tmp_path) -> list[Case]:
    import keras

    monkeypatch.setattr(keras.datasets.cifar10, "load_data", keras.datasets.cifar10.load_data)
    monkeypatch.chdir(tmp_path)  # relative paths ('3', ...) land here
    return build_cases(world)


def _public_names() -> set[str]:
    names = set()
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        public = getattr(module, "__all__", None) or [n for n in vars(module) if not n.startswith("_")]
        for name in public:
            obj = getattr(module, name)
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == module_name:
                names.add(f"{module_name}.{name}")
    return names


def _covered(case: Case) -> str:
    if case.covers:
        return case.covers
    module, _, func = case.name.rpartition(".")
    lessons = {m.rpartition(".")[2][:3]: m.removeprefix("course_lib.") for m in MODULES if ".lessons." in m}
    full = lessons.get(module, module)  # "l03" -> "lessons.l03_suitable_vs_unsuitable"
    return f"course_lib.{full}.{func}"


def test_every_public_function_is_probed(cases):
    covered = {_covered(c) for c in cases}
    public = _public_names()
    missing = sorted(public - covered - set(EXCUSED))
    assert not missing, f"public functions without a probe case (add one to build_cases, or excuse it): {missing}"
    assert not sorted(covered - public), "cases for names that are not public functions of the probed modules"
    assert len(public) >= 100


def test_every_valid_call_works(cases):
    failures = [call.line() for call in (_run(c, None, "valid", None, None, "any") for c in cases)
                if call.outcome != "accepted"]
    assert not failures, "the valid calls must work, or the probe means nothing:\n" + "\n".join(failures)


def test_training_for_real(cases):
    """The probe stops train_and_evaluate before training; here it trains, twice, on the 4 x 4 probe model."""
    from course_lib import models

    good = next(c for c in cases if c.name == "models.train_and_evaluate").good()
    result = models.train_and_evaluate(**good)
    assert isinstance(result, models.TrainResult) and not _nonfinite(result) and result.weight_updates == 1
    with pytest.raises(models.TrainingDivergedError, match="augment"):  # NaN from augment: named
        models.train_and_evaluate(**{**good, "augment": lambda x: x * NAN})


def test_result_records_can_be_read(world):
    from course_lib import data, models, offline, stats

    images = data.load_cifar10(n_train=10, n_test=10, data_dir=world.cifar_dir)
    assert "train" in images.summary()
    comparison = stats.paired_comparison(np.array([0, 1, 1]), np.array([0, 1, 0]), np.array([0, 0, 0]))
    assert "test images" in comparison.sentence() and comparison.as_row()["n"] == 3
    report = offline.augment_directory(world.src, world.fresh(), variants_per_image=1,
                                       transforms=[("rotation", 5)], dry_run=True, progress=False)
    assert "dry run" in report.summary() and report.counts()["planned"] == 2
    result = models.TrainResult(history={"accuracy": [0.5]}, train_accuracy=0.5, test_accuracy=0.5,
                                test_loss=0.7, epochs=1, n_train=8, seconds=0.1)
    assert result.as_row()["test_accuracy"] == 0.5


def _summary(calls: list[Call]) -> str:
    counts = Counter(c.outcome for c in calls)
    slow = sorted(calls, key=lambda c: -c.seconds)[:5]
    per_case = Counter()
    for c in calls:
        per_case[c.case] += c.seconds
    return (f"{len(calls)} bad calls: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
            + "\nslowest calls: " + "; ".join(f"{c.case}({c.arg}={c.label}) {c.seconds:.1f} s" for c in slow)
            + "\nslowest cases: " + "; ".join(f"{k} {v:.1f} s" for k, v in per_case.most_common(5)))


def test_bad_inputs_get_clear_errors(cases):
    calls = [call for case in cases for call in probe(case)]
    bad = {kind: [c.line() for c in calls if c.outcome == kind]
           for kind in ("hang", "garbage", "lenient", "refused", "unclear")}
    report = (_summary(calls)
              + "".join(f"\n\n{kind} ({len(lines)}):\n" + "\n".join(lines) for kind, lines in bad.items() if lines))
    print(report)
    assert len(calls) >= MIN_BAD_CALLS, report
    assert not bad["hang"] and not bad["garbage"] and not bad["lenient"] and not bad["refused"], report
    assert len(bad["unclear"]) <= MAX_UNCLEAR * len(calls), report
