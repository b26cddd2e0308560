"""An interactive transform explorer: pick a transform, drag its strength, see real images and a model react.

:func:`explore` shows, side by side,

* a grid of real images, each passed through the chosen transform of the course's engine
  (:mod:`course_lib.transforms`) at the chosen strength, with the same random draws at every strength, so
  what changes between two strengths is the strength alone;
* the label-preservation curve of lesson 03 for that transform (test accuracy of a model trained without
  augmentation, on test images changed by the transform), with a marker at the chosen strength: how far the
  changed images have moved from the data, as a model sees it.

In JupyterLab (or Notebook 7, Colab) it is a small ipywidgets app: a menu of transforms and a slider.
Where widgets cannot run (nbval, the rendered course, a plain terminal, or when ``COURSE_STATIC_WIDGETS=1``)
it shows the same figure, static, at one strength, with a one-line note. :class:`TransformExplorer` does the
drawing; its :meth:`~TransformExplorer.update` is what the widgets call.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from . import _validate
from . import transforms as T

#: Set this environment variable to 1 to always show the static figure (the test suite and site builder do).
STATIC_ENV = "COURSE_STATIC_WIDGETS"
#: The note shown under the static figure.
STATIC_NOTE = ("(A static picture: open this notebook in JupyterLab to pick a transform and drag its strength.)")

Curves = Mapping[str, Sequence[tuple[float, float]]]


def curves_from_audit(rows: Sequence[Mapping[str, Any]]) -> tuple[dict[str, list[tuple[float, float]]], float | None]:
    """Turn the rows of lesson 03's audit (``transform``, ``strength``, ``test_accuracy``; the baseline row's
    transform is ``"none"``) into ``{transform: [(strength, accuracy), ...]}`` and the baseline accuracy."""
    if isinstance(rows, (str, bytes)) or not isinstance(rows, Sequence) or not rows:
        raise TypeError("rows must be the non-empty list of audit rows (dicts with transform, strength, test_accuracy)")
    curves: dict[str, list[tuple[float, float]]] = {}
    baseline = None
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping) or not {"transform", "strength", "test_accuracy"} <= set(row):
            raise ValueError(f"rows[{i}] must be a dict with transform, strength and test_accuracy, got {row!r}")
        accuracy = _validate.number(f"rows[{i}]['test_accuracy']", row["test_accuracy"], minimum=0.0, maximum=1.0)
        if row["transform"] == "none":
            baseline = accuracy
            continue
        strength = _validate.number(f"rows[{i}]['strength']", row["strength"], minimum=0.0)
        curves.setdefault(str(row["transform"]), []).append((strength, accuracy))
    for points in curves.values():
        points.sort()
    return curves, baseline


def _curve(name: Any, points: Any) -> list[tuple[float, float]]:
    """One label-preservation curve: (strength, accuracy) pairs, checked, in order of strength."""
    if isinstance(points, (str, bytes)) or not isinstance(points, (Sequence, np.ndarray)):
        raise TypeError(f"curves[{name!r}] must be a list of (strength, accuracy) pairs, got {type(points).__name__}")
    out = []
    for i, point in enumerate(points):
        if isinstance(point, (str, bytes)) or not isinstance(point, (Sequence, np.ndarray)) or len(point) != 2:
            raise ValueError(f"curves[{name!r}][{i}] must be a pair (strength, accuracy), got {point!r}")
        out.append((_validate.number(f"curves[{name!r}][{i}] (its strength)", point[0], minimum=0.0),
                    _validate.number(f"curves[{name!r}][{i}] (its accuracy)", point[1], minimum=0.0, maximum=1.0)))
    return sorted(out)


def widgets_available() -> bool:
    """True when an interactive frontend can show ipywidgets (a Jupyter kernel, not nbval or a terminal)."""
    if os.environ.get(STATIC_ENV) == "1":
        return False
    try:
        from IPython import get_ipython

        import ipywidgets  # noqa: F401
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


class TransformExplorer:
    """Draws the explorer's figure for a transform and a strength (see the module docstring).

    ``images``: a batch ``N x H x W x C`` (uint8 or float), at most 16 are shown. ``curves``: the
    label-preservation curves, ``{transform: [(strength, accuracy), ...]}`` or lesson 03's audit rows, with
    ``baseline`` the accuracy on unchanged images (taken from the rows when they have one). ``seed`` fixes the
    random draws. ``names``: the transforms offered (default every transform of the engine).
    """

    def __init__(self, images: np.ndarray, *, curves: Curves | Sequence[Mapping[str, Any]] | None = None,
                 baseline: float | None = None, names: Sequence[str] | None = None, seed: int = 0,
                 ncols: int = 4, curves_source: str = "") -> None:
        images = _validate.array("images", images, ndims=(3, 4))
        if images.dtype.kind == "f" and not np.isfinite(images).all():
            raise ValueError("images must hold finite pixel values")
        if len(images) > 16:
            raise ValueError(f"images must be at most 16 images (a grid a student can see), got {len(images)}")
        self.images = images
        if curves is not None and not isinstance(curves, Mapping):
            try:
                curves, found = curves_from_audit(curves)
            except (TypeError, ValueError) as err:
                raise type(err)(f"curves must be {{transform: [(strength, accuracy), ...]}} or audit rows: {err}") \
                    from None
            baseline = found if baseline is None else baseline
        self.curves = {str(k): _curve(k, v) for k, v in (curves or {}).items()}
        self.baseline = None if baseline is None else _validate.number("baseline", baseline, minimum=0.0, maximum=1.0)
        if names is not None and (isinstance(names, (str, bytes)) or not isinstance(names, (Sequence, np.ndarray))):
            raise ValueError(f"names must be a non-empty list of transforms from {list(T.TRANSFORMS)}, got {names!r}")
        offered = tuple(T.TRANSFORMS) if names is None else tuple(names)
        if not offered or any(not isinstance(n, str) or n not in T.TRANSFORMS for n in offered):
            raise ValueError(f"names must be a non-empty list of transforms from {list(T.TRANSFORMS)}, got {names!r}")
        self.names = offered
        self.seed = _validate.integer("seed", seed, minimum=0)
        self.ncols = _validate.integer("ncols", ncols, minimum=1, maximum=16)
        self.curves_source = str(curves_source)
        self.figure_ = None
        self.changed_ = None

    def __repr__(self) -> str:
        return (f"TransformExplorer({len(self.images)} images, {len(self.names)} transforms, "
                f"curves for {sorted(self.curves) or 'no transform'})")

    def limit(self, name: str) -> float:
        """The largest strength the slider offers for ``name`` (just below 1 for zoom)."""
        name = _validate.one_of("name", name, tuple(T.TRANSFORMS))
        return T.MAX_STRENGTH[name] * (0.99 if name == "zoom" else 1.0)

    def transformed(self, name: str, strength: float) -> np.ndarray:
        """The images after ``name`` at ``strength``, drawn with the explorer's seed (the same draws each time)."""
        name = _validate.one_of("name", name, self.names)
        strength = _validate.number("strength", strength, minimum=0.0, maximum=self.limit(name))
        options = {"fill_mode": "constant"} if name in T.GEOMETRIC else {}
        return T.apply_to_batch(self.images, name, strength, np.random.default_rng(self.seed), **options)

    def update(self, name: str, strength: float):
        """Draw the figure for ``name`` at ``strength`` and return it (also kept as ``figure_``)."""
        import matplotlib.pyplot as plt

        from .plots import COLOURS, _draw, describe

        changed = self.transformed(name, strength)
        self.changed_ = changed
        n = len(changed)
        ncols = min(self.ncols, n)
        nrows = int(np.ceil(n / ncols))
        with_curves = bool(self.curves)  # no curves at all (lesson 02): the images alone, no empty panel
        fig = plt.figure(figsize=(2.0 * ncols + (3.6 if with_curves else 0.4), max(2.4, 1.9 * nrows + 0.6)),
                         layout="constrained")
        grid = fig.add_gridspec(nrows, ncols + (2 if with_curves else 0))
        for i in range(n):
            ax = fig.add_subplot(grid[i // ncols, i % ncols])
            _draw(ax, changed[i], "images")
            ax.set_xticks([])
            ax.set_yticks([])
        points = self.curves.get(name)
        curve_ax = fig.add_subplot(grid[:, ncols:]) if with_curves else None
        if curve_ax is None:
            pass
        elif points:
            if self.baseline is not None and all(s > 0 for s, _ in points):
                points = [(0.0, self.baseline)] + list(points)
            xs, ys = zip(*points)
            curve_ax.plot(xs, ys, color=COLOURS[0], marker="o", label="model trained without augmentation")
            here = float(np.interp(strength, xs, ys))
            curve_ax.plot([strength], [here], marker="D", markersize=11, color=COLOURS[3], linestyle="none",
                          label=f"strength {strength:g}: about {here:.0%}")
            if self.baseline is not None:
                curve_ax.axhline(self.baseline, color="grey", linestyle="--", linewidth=1, label="unchanged images")
            curve_ax.legend(fontsize=7, loc="lower left")
            curve_ax.set_ylim(0, 1)
            curve_ax.set_xlim(0, max(max(xs), strength) * 1.05 or 1)
        else:
            curve_ax.text(0.5, 0.5, f"no label-preservation\ncurve for {name}\n(lesson 03 measures some)",
                          ha="center", va="center", fontsize=9, transform=curve_ax.transAxes)
            curve_ax.set_xticks([])
            curve_ax.set_yticks([])
        if curve_ax is not None:
            curve_ax.set_xlabel(f"strength ({T.STRENGTH_UNITS[name]})", fontsize=8)
            curve_ax.set_ylabel("test accuracy", fontsize=8)
            curve_ax.set_title("label preservation" + (f" ({self.curves_source})" if self.curves_source else ""),
                               fontsize=9)
        fig.suptitle(f"{name} at strength {strength:g} ({T.STRENGTH_UNITS[name]}): {n} real images", fontsize=10)
        describe(fig, f"{n} real images after {name} at strength {strength:g} ({T.STRENGTH_UNITS[name]})"
                 + (f", beside the accuracy of a model trained without augmentation on images changed by {name}, "
                    f"with the chosen strength marked" if points else "") + ".")
        if self.figure_ is not None:
            plt.close(self.figure_)
        self.figure_ = fig
        return fig

    def png(self, name: str, strength: float) -> bytes:
        """The figure for ``name`` at ``strength`` as PNG bytes (what the widget shows)."""
        import matplotlib.pyplot as plt

        fig = self.update(name, strength)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=80)
        plt.close(fig)
        self.figure_ = None
        return buffer.getvalue()

    def widget(self, name: str | None = None, strength: float | None = None):
        """The ipywidgets app: a transform menu, a strength slider and the picture."""
        import ipywidgets as widgets

        name = self.names[0] if name is None else _validate.one_of("name", name, self.names)
        strength = self.limit(name) / 2 if strength is None else _validate.number(
            "strength", strength, minimum=0.0, maximum=self.limit(name))
        menu = widgets.Dropdown(options=list(self.names), value=name, description="transform")
        slider = widgets.FloatSlider(value=strength, min=0.0, max=self.limit(name), step=self.limit(name) / 40,
                                     description="strength", continuous_update=False, readout_format=".3g")
        unit = widgets.Label(T.STRENGTH_UNITS[name])
        picture = widgets.Image(value=self.png(name, strength), format="png")

        def redraw(*_):
            picture.value = self.png(menu.value, min(slider.value, self.limit(menu.value)))

        def new_transform(change):
            slider.unobserve(redraw, "value")
            slider.max = self.limit(change["new"])
            slider.step = self.limit(change["new"]) / 40
            slider.value = slider.max / 2
            slider.observe(redraw, "value")
            unit.value = T.STRENGTH_UNITS[change["new"]]
            redraw()

        menu.observe(new_transform, "value")
        slider.observe(redraw, "value")
        box = widgets.VBox([widgets.HBox([menu, slider, unit]), picture])
        box.add_class("course-explorer")
        self.controls = (menu, slider, picture)
        return box


def explore(images: np.ndarray, *, curves: Curves | Sequence[Mapping[str, Any]] | None = None,
            baseline: float | None = None, name: str = "rotation", strength: float | None = None,
            names: Sequence[str] | None = None, seed: int = 0, curves_source: str = "") -> TransformExplorer:
    """Show the explorer for ``images`` (interactive where widgets can run, else static; see module docstring).

    ``name`` and ``strength`` are where it starts (the static figure shows exactly those). Returns the
    :class:`TransformExplorer`, whose ``update(name, strength)`` draws any other setting.
    """
    from IPython.display import display

    explorer = TransformExplorer(images, curves=curves, baseline=baseline, names=names, seed=seed,
                                 curves_source=curves_source)
    name = _validate.one_of("name", name, explorer.names)
    strength = explorer.limit(name) / 2 if strength is None else _validate.number(
        "strength", strength, minimum=0.0, maximum=explorer.limit(name))
    if widgets_available():
        display(explorer.widget(name, strength))
    else:
        import matplotlib.pyplot as plt

        fig = explorer.update(name, strength)
        display(fig)
        plt.close(fig)
        print(STATIC_NOTE)
    return explorer


__all__ = ["STATIC_ENV", "STATIC_NOTE", "TransformExplorer", "curves_from_audit", "explore", "widgets_available"]
