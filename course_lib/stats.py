"""Is a difference between two accuracies beyond the noise? Paired comparisons on the same test images.

Two models scored on the **same** test images are not two independent
measurements: most images are easy (both models get them right) or hard
(both get them wrong), and only the images on which the two models *disagree*
carry information about which model is better. A paired method uses exactly
those, so it is far more sensitive than comparing two separate error bars.

* :func:`paired_comparison` - the difference of two accuracies on the same
  images, its paired standard error, a 95 % interval and McNemar's exact test
  (:func:`scipy.stats.binomtest` on the images where only one model is right);
* :func:`accuracy_interval` - one accuracy with its 95 % (Wilson) interval;
* :func:`mean_interval` - the mean of a few runs (e.g. seeds) with a 95 %
  Student-t interval.

Every lesson that compares two runs uses :func:`paired_comparison`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from . import _validate

#: The z value of a two-sided 95 % normal interval ("about two standard errors").
Z95 = 1.959963984540054


def _predicted_classes(name: str, predictions: Any, n: int) -> np.ndarray:
    """Class indices from class indices (N,) or probabilities (N x K), or an error naming ``name``."""
    values = _validate.array(name, predictions, ndims=(1, 2))
    if values.dtype.kind == "f" and not np.isfinite(values).all():
        raise ValueError(f"{name} must hold finite numbers, but it contains NaN or infinity")
    if values.ndim == 2:
        if values.shape[1] < 2:
            raise ValueError(f"{name} must be class indices (N,) or probabilities (N x classes), got shape {values.shape}")
        values = values.argmax(axis=1)
    elif values.dtype.kind == "f":
        if not np.all(values == np.round(values)):
            raise TypeError(f"{name} must be whole class indices (or probabilities N x classes), got fractions")
        values = values.astype(np.int64)
    if len(values) != n:
        raise ValueError(f"{name} must have one prediction per test image ({n}), got {len(values)}")
    return values.astype(np.int64)


def _points(fraction: float) -> str:
    """A difference in percentage points with a sign, to one decimal, or two where one would round to 0."""
    value = 100 * fraction
    text = f"{value:+.1f}"
    return f"{value:+.2f}" if text in ("+0.0", "-0.0") and value != 0 else text


@dataclass(frozen=True)
class PairedComparison:
    """Accuracy ``a`` minus accuracy ``b`` on the same ``n`` test images.

    ``only_a`` / ``only_b``: images that only model a / only model b got
    right (the discordant pairs). ``standard_error`` is the paired standard
    error of the difference; ``low``..``high`` its 95 % interval;
    ``p_value`` McNemar's exact two-sided test that both models are equally
    good. The difference is *beyond the noise* when the interval excludes 0.
    """

    name_a: str
    name_b: str
    n: int
    accuracy_a: float
    accuracy_b: float
    only_a: int
    only_b: int
    difference: float
    standard_error: float
    low: float
    high: float
    p_value: float

    @property
    def beyond_noise(self) -> bool:
        """True when the 95 % paired interval of the difference excludes zero."""
        return self.low > 0 or self.high < 0

    @property
    def verdict(self) -> str:
        """``"higher"``, ``"lower"`` or ``"within the noise"`` (a compared with b)."""
        if not self.beyond_noise:
            return "within the noise"
        return "higher" if self.difference > 0 else "lower"

    def sentence(self) -> str:
        """One line a student can read, e.g. ``suitable 48.2 % vs none 44.2 %: +4.0 points ...``."""
        judged = ("beyond the noise (the interval excludes 0)" if self.beyond_noise
                  else "within the noise (the interval includes 0)")
        return (f"{self.name_a} {self.accuracy_a:.1%} vs {self.name_b} {self.accuracy_b:.1%}: "
                f"{_points(self.difference)} points (95 % paired interval {_points(self.low)} to "
                f"{_points(self.high)}; McNemar p = {self.p_value:.2g}; {self.n:,} test images): {judged}")

    def as_row(self) -> dict[str, Any]:
        """A flat dict of plain Python numbers, for a table or a results file."""
        row = asdict(self)
        row["beyond_noise"] = self.beyond_noise
        return row

    def __str__(self) -> str:
        return self.sentence()


def paired_comparison(
    y_true: np.ndarray,
    predictions_a: np.ndarray,
    predictions_b: np.ndarray,
    *,
    names: Sequence[str] = ("a", "b"),
) -> PairedComparison:
    """Compare two models' accuracies on the same test images.

    ``y_true``: integer labels ``(N,)``. ``predictions_a``, ``predictions_b``:
    each model's predicted classes ``(N,)`` or probabilities ``(N x K)``, for
    the same images in the same order. ``names`` label the two models in the
    result's sentence.

    With ``d_i`` = 1 if only a is right on image ``i``, -1 if only b is, else
    0, the difference of the accuracies is ``mean(d)`` and its paired
    standard error ``std(d) / sqrt(N)``; the 95 % interval is the difference
    ± 1.96 standard errors. McNemar's exact test asks whether ``only_a`` and
    ``only_b`` differ more than a fair coin would make them.
    """
    from scipy.stats import binomtest

    y = _validate.labels("y_true", y_true, n=len(y_true) if hasattr(y_true, "__len__") else 0)
    if len(y) < 2:
        raise ValueError(f"y_true must hold at least 2 test labels, got {len(y)}")
    a = _predicted_classes("predictions_a", predictions_a, len(y))
    b = _predicted_classes("predictions_b", predictions_b, len(y))
    if isinstance(names, (str, bytes)) or not isinstance(names, Sequence) or len(names) != 2 \
            or not all(isinstance(s, str) and s for s in names):
        raise TypeError(f"names must be two non-empty strings, got {names!r}")
    right_a, right_b = a == y, b == y
    d = right_a.astype(np.float64) - right_b.astype(np.float64)
    n = len(y)
    only_a, only_b = int(np.sum(right_a & ~right_b)), int(np.sum(right_b & ~right_a))
    difference = float(d.mean())
    se = float(d.std(ddof=1) / math.sqrt(n))
    p_value = 1.0 if only_a + only_b == 0 else float(binomtest(only_a, only_a + only_b, 0.5).pvalue)
    return PairedComparison(
        name_a=names[0], name_b=names[1], n=n, accuracy_a=float(right_a.mean()), accuracy_b=float(right_b.mean()),
        only_a=only_a, only_b=only_b, difference=difference, standard_error=se,
        low=difference - Z95 * se, high=difference + Z95 * se, p_value=p_value,
    )


def accuracy_interval(y_true: np.ndarray, predictions: np.ndarray) -> tuple[float, float, float]:
    """One accuracy and its 95 % Wilson interval: ``(accuracy, low, high)``.

    Use it to say how precisely a single accuracy is known; to compare two
    models on the same images use :func:`paired_comparison`, which is much
    more sensitive.
    """
    y = _validate.labels("y_true", y_true, n=len(y_true) if hasattr(y_true, "__len__") else 0)
    pred = _predicted_classes("predictions", predictions, len(y))
    n, k = len(y), int(np.sum(pred == y))
    p = k / n
    centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / (1 + Z95**2 / n)
    return p, max(0.0, centre - half), min(1.0, centre + half)


def mean_interval(values: Sequence[float]) -> tuple[float, float, float]:
    """The mean of a few measurements (e.g. one per seed) and its 95 % Student-t interval.

    Returns ``(mean, low, high)``; with one value the interval is that value
    itself (nothing is known about the spread).
    """
    from scipy.stats import t

    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)) or len(values) == 0:
        raise TypeError(f"values must be a non-empty list of numbers, got {values!r}")
    x = np.array([_validate.number(f"values[{i}]", v) for i, v in enumerate(values)])
    mean = float(x.mean())
    if len(x) == 1:
        return mean, mean, mean
    half = float(t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x)))
    return mean, mean - half, mean + half


__all__ = ["Z95", "PairedComparison", "accuracy_interval", "mean_interval", "paired_comparison"]
