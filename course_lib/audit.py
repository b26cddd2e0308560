"""The label-preservation audit: does a transform keep images looking like the data?

A model trained *without* augmentation has only seen the images the camera
produces. Evaluate it on test images passed through a transform: if its
accuracy stays near the untransformed baseline, the transformed images still
look like the data and still carry their label; if accuracy falls, the
transform makes images the model is never shown (or changes what they
show), and training on them teaches the model something it will not need.

:func:`label_preservation_audit` measures this for several transforms at
several strengths; :func:`plot_audit` draws one panel per transform.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from . import _validate

#: The ``transform`` name of the baseline row (untransformed test images, strength 0).
BASELINE = "none"

Transform = Callable[[np.ndarray, float, np.random.Generator], np.ndarray]


def _check_model(model: Any) -> Callable[[np.ndarray], np.ndarray]:
    """Return a function images -> predicted class indices, or raise naming ``model``."""
    predict = getattr(model, "predict", None)
    if not callable(predict):
        raise TypeError(
            f"model must be a trained model with a predict method (e.g. a keras.Model), got {type(model).__name__}"
        )
    return predict


def _check_transforms(transforms: Any) -> dict[str, Transform]:
    if not isinstance(transforms, Mapping) or not transforms:
        raise TypeError(
            "transforms must be a non-empty dict mapping names to functions (image, strength, rng) -> image, "
            f"got {type(transforms).__name__}"
        )
    out: dict[str, Transform] = {}
    for name, fn in transforms.items():
        if not isinstance(name, str) or not name:
            raise TypeError(f"transforms: every name must be a non-empty string, got {name!r}")
        if name == BASELINE:
            raise ValueError(f"transforms: the name {BASELINE!r} is reserved for the untransformed baseline row")
        if not callable(fn):
            raise TypeError(f"transforms[{name!r}] must be a function (image, strength, rng) -> image, "
                            f"got {type(fn).__name__}")
        out[name] = fn
    return out


def _check_strengths(strengths: Any, names: Sequence[str]) -> dict[str, list[float]]:
    if not isinstance(strengths, Mapping):
        raise TypeError(f"strengths must be a dict mapping each transform name to a list of strengths, "
                        f"got {type(strengths).__name__}")
    missing = [n for n in names if n not in strengths]
    if missing:
        raise ValueError(f"strengths has no list for the transform(s) {missing}; give one list per transform")
    extra = [n for n in strengths if n not in names]
    if extra:
        raise ValueError(f"strengths names {extra}, which are not in transforms {list(names)}")
    out: dict[str, list[float]] = {}
    for name in names:
        values = strengths[name]
        if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)) or len(values) == 0:
            raise TypeError(f"strengths[{name!r}] must be a non-empty list of numbers, got {values!r}")
        out[name] = [_validate.number(f"strengths[{name!r}]", v, minimum=0.0) for v in values]
    return out


def _predicted_classes(predict: Callable[..., Any], model: Any, x: np.ndarray, batch_size: int) -> np.ndarray:
    """Class indices for ``x``: argmax of probabilities, or the labels a classifier returns."""
    try:
        import keras

        is_keras = isinstance(model, keras.Model)
    except ImportError:  # pragma: no cover - keras is a dependency of the course
        is_keras = False
    if is_keras:  # predict_on_batch skips building a tf.data pipeline per call: faster for many small audits
        batches = [np.asarray(model.predict_on_batch(x[i:i + batch_size].astype(np.float32)))
                   for i in range(0, len(x), batch_size)]
    else:
        batches = [np.asarray(predict(x[i:i + batch_size])) for i in range(0, len(x), batch_size)]
    out = np.concatenate(batches)
    if out.ndim == 2:
        return out.argmax(axis=1)
    if out.ndim == 1:
        return out.astype(np.int64)
    raise ValueError(f"model.predict must return class probabilities (N x classes) or labels (N,), got shape {out.shape}")


def transform_images(
    x: np.ndarray, transform: Transform, strength: float, rng: np.random.Generator, *, name: str = "transform"
) -> np.ndarray:
    """Apply ``transform(image, strength, rng)`` to every image of ``x`` and stack the results.

    Each result must keep the image's shape; ``name`` is used in the error message.
    """
    out = []
    for image in x:
        result = np.asarray(transform(image, strength, rng))
        if result.shape != image.shape:
            raise ValueError(f"transforms[{name!r}] must return an image of the input's shape {image.shape}, "
                             f"got {result.shape} at strength {strength}")
        out.append(result)
    return np.stack(out)


def label_preservation_audit(
    model: Any,
    x: np.ndarray,
    y: np.ndarray,
    transforms: Mapping[str, Transform],
    strengths: Mapping[str, Sequence[float]],
    seed: int = 0,
    batch_size: int = 256,
) -> list[dict[str, Any]]:
    """Evaluate a trained ``model`` on ``x`` transformed by each transform at each strength.

    * ``model``: anything with ``predict`` (a ``keras.Model``, or e.g. a
      scikit-learn classifier taking the same images); its output is either
      class probabilities (``N x classes``, the argmax is taken) or labels.
      Images are passed in batches of ``batch_size`` (a Keras model through
      ``predict_on_batch``, as float32).
    * ``x``, ``y``: test images ``N x H x W x C`` (as the model takes them) and
      integer labels.
    * ``transforms``: name -> function ``(image, strength, rng) -> image`` that
      keeps the image's shape, e.g. ``course_lib.transforms.TRANSFORMS``
      entries.
    * ``strengths``: name -> list of strengths (numbers >= 0), one list per
      transform.
    * ``seed``: each (transform, strength) pair gets its own
      ``np.random.default_rng(seed)``, so a row does not depend on which other
      rows were asked for, and the same images get the same random draws at
      every strength.

    Returns a list of rows ``{"transform": str, "strength": float,
    "test_accuracy": float}``. The FIRST row is the baseline: transform
    ``"none"`` (:data:`BASELINE`), strength ``0.0``, the accuracy on the
    untransformed images. Then one row per transform and strength, in the
    order given.
    """
    predict = _check_model(model)
    x = _validate.array("x", x, ndims=(4,))
    y = _validate.labels("y", y, n=len(x))
    transforms = _check_transforms(transforms)
    strengths = _check_strengths(strengths, list(transforms))
    seed = _validate.integer("seed", seed, minimum=0)
    batch_size = _validate.integer("batch_size", batch_size, minimum=1)

    def accuracy(images: np.ndarray) -> float:
        return float(np.mean(_predicted_classes(predict, model, images, batch_size) == y))

    rows = [{"transform": BASELINE, "strength": 0.0, "test_accuracy": accuracy(x)}]
    for name, fn in transforms.items():
        for strength in strengths[name]:
            images = transform_images(x, fn, strength, np.random.default_rng(seed), name=name)
            rows.append({"transform": name, "strength": strength, "test_accuracy": accuracy(images)})
    return rows


def plot_audit(
    rows: Sequence[Mapping[str, Any]],
    *,
    units: Mapping[str, str] | None = None,
    ncols: int = 4,
    title: str = "Accuracy of a model trained without augmentation on transformed test images",
):
    """One panel per transform: test accuracy against strength, with the baseline dashed.

    ``rows`` is what :func:`label_preservation_audit` returns. A baseline row
    is optional; when there is one, each curve starts from it at strength 0
    (no change). ``units`` maps a transform name to its strength's unit for
    the x-axis label (e.g. ``{"rotation": "degrees"}``). Returns the Figure.
    """
    import matplotlib.pyplot as plt

    if isinstance(rows, (str, bytes)) or not isinstance(rows, Sequence) or not rows:
        raise TypeError("rows must be the non-empty list of dicts label_preservation_audit returns")
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping) or not {"transform", "strength", "test_accuracy"} <= set(row):
            raise ValueError(f"rows[{i}] must be a dict with 'transform', 'strength' and 'test_accuracy', got {row!r}")
    units = dict(units or {})
    ncols = _validate.integer("ncols", ncols, minimum=1)
    baseline = [r["test_accuracy"] for r in rows if r["transform"] == BASELINE]
    names = list(dict.fromkeys(r["transform"] for r in rows if r["transform"] != BASELINE))
    if not names:
        raise ValueError("rows holds only the baseline; audit at least one transform")
    ncols = min(ncols, len(names))
    nrows = int(np.ceil(len(names) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(2.6 * ncols, 2.3 * nrows + 0.5), squeeze=False, sharey=True)
    for ax, name in zip(axes.flat, names):
        points = {float(r["strength"]): float(r["test_accuracy"]) for r in rows if r["transform"] == name}
        if baseline:
            points.setdefault(0.0, baseline[0])  # strength 0 changes nothing: the curve starts at the baseline
        xs, ys = zip(*sorted(points.items()))
        ax.plot(xs, ys, marker="o", color="C0")
        if baseline:
            ax.axhline(baseline[0], color="grey", linestyle="--", linewidth=1, label="untransformed")
        ax.set_title(name, fontsize=9)
        ax.set_xlabel(f"strength ({units[name]})" if name in units else "strength", fontsize=8)
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
    for ax in axes[:, 0]:
        ax.set_ylabel("test accuracy")
    for ax in list(axes.flat)[len(names):]:
        ax.axis("off")
    if baseline:
        axes.flat[0].legend(fontsize=7, loc="upper right")
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig
