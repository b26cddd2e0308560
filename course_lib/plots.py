"""Figures every lesson uses. Each function returns the matplotlib Figure,
with titles and axis labels set, so a notebook can show it or save it.

The course's figures are readable by everyone who takes it:

* one colour-blind-safe palette (Okabe & Ito, :data:`COLOURS`), with a
  distinct marker and line style per series (:func:`series_style`), so series
  can be told apart without colour, in print and on a projector;
* titles wrapped to the width of their panel, with room kept for them, so no
  title runs into its neighbour or into the row above;
* alt text on every figure (:func:`describe`): in a notebook the course
  displays figures with an ``alt`` entry in the image's metadata, which the
  rendered course turns into the ``alt`` attribute of the ``<img>``. Without
  an explicit description, :func:`alt_text` builds one from the figure's
  titles and axis labels.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from . import _validate

#: Okabe & Ito's colour-blind-safe palette, in the order the course uses it (black last).
COLOURS: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
#: A marker per series, in the same order as :data:`COLOURS`.
MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X", "*")
#: A line style per series, in the same order.
LINESTYLES: tuple[str, ...] = ("-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 3)), (0, (8, 2)))
_ALT = "_course_alt_text"


def series_style(i: int) -> dict[str, Any]:
    """Colour, marker and line style of series number ``i`` (``ax.plot(x, y, **series_style(i))``)."""
    i = _validate.integer("i", i, minimum=0)
    return {"color": COLOURS[i % len(COLOURS)], "marker": MARKERS[i % len(MARKERS)],
            "linestyle": LINESTYLES[i % len(LINESTYLES)]}


def describe(fig, alt: str):
    """Give ``fig`` the alt text ``alt`` (one or two sentences: what the figure shows); returns ``fig``."""
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError("alt must be a non-empty sentence saying what the figure shows")
    setattr(fig, _ALT, " ".join(alt.split()))
    return fig


def alt_text(fig) -> str:
    """The figure's alt text: what :func:`describe` set, else built from its titles and axis labels."""
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    explicit = getattr(fig, _ALT, None)
    if explicit:
        return explicit
    parts = []
    title = fig._suptitle.get_text() if getattr(fig, "_suptitle", None) is not None else ""
    if title:
        parts.append(f"{title}.")
    axes = [ax for ax in fig.axes if ax.get_visible() and (ax.has_data() or ax.images)]
    titles = [ax.get_title() for ax in axes if ax.get_title()]
    if titles:
        shown = ", ".join(dict.fromkeys(titles[:12]))
        parts.append(f"{len(axes)} panel{'s' if len(axes) != 1 else ''}: {shown}{', ...' if len(titles) > 12 else ''}.")
    labels = {(ax.get_xlabel(), ax.get_ylabel()) for ax in axes if ax.get_xlabel() or ax.get_ylabel()}
    for x, y in sorted(labels)[:3]:
        parts.append(f"{y or 'values'} against {x or 'position'}.")
    return " ".join(parts) or "A figure from the course."


def _register_alt_text() -> None:
    """In IPython, display every Figure as a PNG whose metadata carries its alt text."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is installed with JupyterLab
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    import importlib

    import matplotlib

    backend = str(matplotlib.get_backend())
    if backend.startswith("module://"):  # e.g. Jupyter's inline backend: load it now, so that its own
        try:                             # figure formatter is set before ours and cannot replace it later
            importlib.import_module(backend[len("module://"):])
        except ImportError:  # pragma: no cover - a backend that is not installed: nothing to replace
            pass
    from IPython.core.pylabtools import print_figure
    from matplotlib.figure import Figure

    def png_with_alt(fig):
        if not fig.axes and not fig.images:
            return None
        return print_figure(fig, fmt="png", base64=True), {"alt": alt_text(fig)}

    shell.display_formatter.formatters["image/png"].for_type(Figure, png_with_alt)


def use_course_style() -> None:
    """Set matplotlib's default colour and line-style cycle to the course's (:data:`COLOURS`)."""
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams["axes.prop_cycle"] = cycler(color=list(COLOURS)) + cycler(linestyle=list(LINESTYLES))
    mpl.rcParams["image.cmap"] = "cividis"


def _wrap(text: object, width: int) -> str:
    return "\n".join(textwrap.wrap(str(text), width=max(6, width), break_long_words=False)) or ""


def _title_lines(titles: Sequence[str]) -> int:
    return max((t.count("\n") + 1 for t in titles if t), default=0)


def _as_displayable(image: np.ndarray, name: str) -> np.ndarray:
    image = np.asarray(image)
    if image.ndim == 3 and image.shape[-1] == 1:
        image = image[..., 0]
    if image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[-1] not in (3, 4)):
        raise ValueError(f"{name} must be H x W, H x W x 1 or H x W x 3 images, got shape {image.shape}")
    if image.dtype == np.uint8:
        return image
    if image.dtype.kind == "f" and image.size and image.max() > 1.0:
        return np.clip(image, 0, 255).astype(np.uint8)  # float pixels on the 0..255 scale
    return np.clip(image, 0.0, 1.0) if image.dtype.kind == "f" else image


def _draw(ax, image: np.ndarray, name: str) -> None:
    """Show one image on ``ax``; grey images on a fixed black-to-white scale (0..255 or 0..1),
    so that a brightness change stays visible instead of being stretched away."""
    img = _as_displayable(image, name)
    if img.ndim == 2:
        ax.imshow(img, cmap="gray", vmin=0, vmax=255 if img.dtype == np.uint8 else 1)
    else:
        ax.imshow(img)


#: The largest panel size (inches) the figures accept: far above any lesson's, it catches typos.
MAX_SIZE = 10.0


def _images_arg(name: str, images) -> np.ndarray:
    if isinstance(images, (list, tuple)):
        if not images:
            raise ValueError(f"{name} must not be empty")
        try:
            images = np.stack([np.asarray(i) for i in images])
        except ValueError as err:
            raise ValueError(f"{name}: all images must have the same shape ({err})") from None
    images = _validate.array(name, images, ndims=(3, 4))
    if images.dtype.kind == "f" and not np.isfinite(images).all():
        raise ValueError(f"{name} must hold finite pixel values, but it contains NaN or infinity")
    return images


def _text_arg(name: str, value: Any) -> str | None:
    """A title: text or None."""
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} must be text (a str) or None, got {type(value).__name__}")
    return value


def _list_arg(name: str, value: Any, n: int, what: str) -> Sequence[Any]:
    """A list (or 1-D array) with one entry per image, row or column."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (Sequence, np.ndarray)) \
            or (isinstance(value, np.ndarray) and value.ndim != 1):
        raise ValueError(f"{name} must be a list with one entry per {what} ({n}), got {type(value).__name__}")
    if len(value) != n:
        raise ValueError(f"{name} must have one entry per {what} ({n}), got {len(value)}")
    return value


def _one_or_many(images):
    """Wrap a single image (H x W, or H x W x 1/3/4) in a list; pass batches through."""
    if isinstance(images, np.ndarray) and (
        images.ndim == 2 or (images.ndim == 3 and images.shape[-1] in (1, 3, 4))
    ):
        return [images]
    return images


def show_images(
    images,
    labels: Sequence[int] | np.ndarray | None = None,
    class_names: Sequence[str] | None = None,
    *,
    titles: Sequence[str] | None = None,
    ncols: int = 8,
    title: str | None = None,
    size: float = 1.6,
):
    """A labelled grid of images.

    Each image is titled by ``titles[i]`` if given, else by
    ``class_names[labels[i]]`` (or the label number). Grey images (H x W or
    H x W x 1) are drawn with a grey colour map.
    """
    import matplotlib.pyplot as plt

    images = _images_arg("images", images)
    n = len(images)
    ncols = _validate.integer("ncols", ncols, minimum=1)
    size = _validate.number("size", size, minimum=0.3, maximum=MAX_SIZE)
    title = _text_arg("title", title)
    if titles is not None:
        _list_arg("titles", titles, n, "image")
    if class_names is not None and (isinstance(class_names, (str, bytes)) or not isinstance(class_names, Sequence)
                                    or not all(isinstance(c, str) for c in class_names)):
        raise TypeError(f"class_names must be a list of class names (str), got {class_names!r}")
    if labels is not None:
        labels = _validate.array("labels", np.asarray(_list_arg("labels", labels, n, "image")), ndims=(1,))
        if labels.dtype.kind not in "uif" or (labels.dtype.kind == "f" and not (
                np.isfinite(labels).all() and np.all(labels == np.round(labels)))):
            raise TypeError(f"labels must be whole class numbers, got dtype {labels.dtype}")
        if class_names is not None and labels.size and (labels.min() < 0 or labels.max() >= len(class_names)):
            raise ValueError(f"labels must index class_names (0..{len(class_names) - 1}), got {labels.min()}..{labels.max()}")
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    width = int(size * 12)  # characters of an 8-point title that fit over one panel
    if titles is not None:
        names = [_wrap(t, width) for t in titles]
    elif labels is not None:
        names = [_wrap(class_names[int(lab)] if class_names is not None else int(lab), width) for lab in labels]
    else:
        names = []
    lines = _title_lines(names)
    fig, axes = plt.subplots(nrows, ncols, squeeze=False, layout="constrained",
                             figsize=(size * ncols, (size + 0.16 * lines) * nrows + (0.45 if title else 0)))
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= n:
            continue
        _draw(ax, images[i], "images")
        if names:
            ax.set_title(names[i], fontsize=8)
    if title:
        fig.suptitle(title)
    return fig


def show_before_after(
    before,
    after,
    *,
    titles: Sequence[str] = ("before", "after"),
    title: str | None = None,
    size: float = 2.0,
):
    """Pairs of images: the originals in the top row, the changed ones below.

    ``before`` and ``after`` are one image each or equally long batches.
    """
    import matplotlib.pyplot as plt

    before = _images_arg("before", _one_or_many(before))
    after = _images_arg("after", _one_or_many(after))
    if len(before) != len(after):
        raise ValueError(f"after must have as many images as before ({len(before)}), got {len(after)}")
    if isinstance(titles, (str, bytes)) or not isinstance(titles, Sequence) or len(titles) != 2:
        raise ValueError(f"titles must be two row names, got {titles!r}")
    title = _text_arg("title", title)
    size = _validate.number("size", size, minimum=0.3, maximum=MAX_SIZE)
    n = len(before)
    fig, axes = plt.subplots(2, n, figsize=(size * n + 0.3, size * 2 + (0.45 if title else 0)), squeeze=False,
                             layout="constrained")
    for row, (imgs, name) in enumerate(zip((before, after), titles)):
        for i in range(n):
            ax = axes[row, i]
            _draw(ax, imgs[i], "images")
            ax.set_xticks([])
            ax.set_yticks([])
            if i == 0:
                ax.set_ylabel(name)
    if title:
        fig.suptitle(title)
    return fig


def show_augmentations(
    image: np.ndarray,
    augment: Callable[[np.ndarray], np.ndarray],
    rows: int = 2,
    cols: int = 4,
    *,
    title: str | None = None,
    size: float = 1.8,
):
    """Apply ``augment`` to ``image`` ``rows * cols`` times and show a grid.

    The first cell is the original. ``augment`` takes one image and returns one
    image (wrap a Keras layer as ``lambda im: layer(im, training=True)``).
    """
    rows = _validate.integer("rows", rows, minimum=1, maximum=20)
    cols = _validate.integer("cols", cols, minimum=1, maximum=20)
    if not callable(augment):
        raise TypeError(f"augment must be a callable taking one image, got {type(augment).__name__}")
    image = _validate.array("image", np.asarray(image), ndims=(2, 3))
    if image.dtype.kind == "f" and not np.isfinite(image).all():
        raise ValueError("image must hold finite pixel values, but it contains NaN or infinity")
    results = [image] + [np.asarray(augment(image)) for _ in range(rows * cols - 1)]
    for i, r in enumerate(results):
        if r.shape != image.shape:
            raise ValueError(f"augment must return an image of the input's shape {image.shape}, got {r.shape}")
        if r.dtype.kind not in "uifb" or (r.dtype.kind == "f" and not np.isfinite(r).all()):
            raise ValueError(f"augment must return finite pixel values, got dtype {r.dtype} with NaN, infinity "
                             "or no numbers")
    names = ["original"] + [f"#{i}" for i in range(1, rows * cols)]
    return show_images(np.stack(results).astype(image.dtype), titles=names, ncols=cols, title=title, size=size)


def plot_history(
    histories: Mapping[str, Mapping[str, Sequence[float]]] | Mapping[str, Sequence[float]],
    metric: str = "accuracy",
    *,
    title: str | None = None,
):
    """Training vs validation curves per epoch.

    ``histories`` is one history (a dict like ``TrainResult.history``) or a
    dict of them by name; each gets one colour, training solid and validation
    dashed, so the gap between the two lines is the generalisation gap.
    """
    import matplotlib.pyplot as plt

    if not isinstance(histories, Mapping) or not histories:
        raise TypeError("histories must be a non-empty dict: one history, or histories by name")
    if not isinstance(metric, str) or not metric:
        raise TypeError(f"metric must be the name of a curve, such as 'accuracy', got {metric!r}")
    title = _text_arg("title", title)
    if metric in histories:
        histories = {"": histories}
    for name, hist in histories.items():
        if not isinstance(hist, Mapping) or metric not in hist:
            raise ValueError(f"histories[{name!r}] has no {metric!r} curve (metric); it has "
                             f"{sorted(map(str, hist)) if isinstance(hist, Mapping) else type(hist).__name__}")
        for key in (metric, f"val_{metric}"):
            curve = hist.get(key, [])
            if isinstance(curve, (str, bytes)) or not isinstance(curve, (Sequence, np.ndarray)):
                raise TypeError(f"histories[{name!r}][{key!r}] must be a list of numbers, one per epoch")
            for i, value in enumerate(curve):
                _validate.number(f"histories[{name!r}][{key!r}][{i}]", value)
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    for i, (name, hist) in enumerate(histories.items()):
        style = series_style(i)
        epochs = np.arange(1, len(hist[metric]) + 1)
        every = max(1, len(epochs) // 10)
        prefix = f"{name}: " if name else ""
        ax.plot(epochs, hist[metric], color=style["color"], marker=style["marker"], markevery=every,
                linestyle="-", label=f"{prefix}training")
        if f"val_{metric}" in hist:
            ax.plot(epochs, hist[f"val_{metric}"], color=style["color"], marker=style["marker"], markevery=every,
                    markerfacecolor="white", linestyle="--", label=f"{prefix}validation")
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric)
    ax.set_title(title or f"Training vs validation {metric}")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def show_sweep(
    grid,
    row_labels: Sequence[object],
    *,
    col_labels: Sequence[object] | None = None,
    title: str | None = None,
    row_axis_label: str = "strength",
    col_axis_label: str = "random draw",
    size: float = 1.6,
):
    """A grid of images: one row per setting (e.g. a strength), one column per draw.

    ``grid`` is a list of rows, each a list (or array) of images of one
    shape; or an array ``rows x cols x H x W [x C]``. Each row is labelled by
    ``row_labels[i]`` on its left; columns are titled by ``col_labels``
    (default ``1, 2, ...``). ``row_axis_label`` and ``col_axis_label`` name
    what the rows and the columns vary.
    """
    import matplotlib.pyplot as plt

    if isinstance(grid, np.ndarray) and grid.ndim >= 1 and len(grid):
        rows = list(grid)
    elif isinstance(grid, (list, tuple)) and grid:
        rows = list(grid)
    else:
        raise TypeError(f"grid must be a non-empty list of rows of images, got {type(grid).__name__}")
    rows = [_images_arg(f"grid[{i}]", _one_or_many(r) if isinstance(r, np.ndarray) and r.ndim <= 2 else r)
            for i, r in enumerate(rows)]
    ncols = len(rows[0])
    if any(len(r) != ncols for r in rows):
        raise ValueError(f"grid rows must all have the same number of images, got {[len(r) for r in rows]}")
    if any(r.shape[1:] != rows[0].shape[1:] for r in rows):
        raise ValueError(f"grid rows must all hold images of one shape, got {[r.shape[1:] for r in rows]}")
    if isinstance(row_labels, (str, bytes)) or not isinstance(row_labels, (Sequence, np.ndarray)) \
            or len(row_labels) != len(rows):
        raise ValueError(f"row_labels must have one label per row ({len(rows)}), got {row_labels!r}")
    if any(isinstance(v, (float, np.floating)) and not np.isfinite(v) for v in row_labels):
        raise ValueError(f"row_labels must not hold NaN or infinity, got {row_labels!r}")
    if col_labels is None:
        col_labels = [str(j + 1) for j in range(ncols)]
    if isinstance(col_labels, (str, bytes)) or not isinstance(col_labels, (Sequence, np.ndarray)) \
            or len(col_labels) != ncols:
        raise ValueError(f"col_labels must have one label per column ({ncols}), got {col_labels!r}")
    size = _validate.number("size", size, minimum=0.3, maximum=MAX_SIZE)
    title = _text_arg("title", title)
    aspect = rows[0].shape[2] / rows[0].shape[1]
    col_labels = [_wrap(c, int(size * aspect * 11)) for c in col_labels]
    lines = _title_lines(col_labels)
    fig, axes = plt.subplots(len(rows), ncols, squeeze=False, layout="constrained",
                             figsize=(size * aspect * ncols + 0.8,
                                      size * len(rows) + 0.16 * lines + (0.7 if title else 0.4)))
    for i, row in enumerate(rows):
        for j in range(ncols):
            ax = axes[i, j]
            _draw(ax, row[j], "grid")
            ax.set_xticks([])
            ax.set_yticks([])
            if j == 0:
                ax.set_ylabel(str(row_labels[i]), fontsize=9)
            if i == 0:
                ax.set_title(str(col_labels[j]), fontsize=9)
    fig.supylabel(row_axis_label)
    fig.supxlabel(col_axis_label)
    if title:
        fig.suptitle(title)
    return fig


def plot_signals(
    signals: Mapping[str, np.ndarray],
    *,
    sample_rate: float | None = None,
    spectrogram: bool = False,
    overlay: bool = False,
    title: str | None = None,
    ylabel: str = "value",
    max_frequency: float | None = None,
    size: float = 3.2,
):
    """1-D signals (sound, sensor series) by name: one column each, or all on one plot.

    ``signals`` maps a name (``"original"``, ``"time warp"``, ...) to an array
    of shape ``(T,)`` or ``(T, C)`` (one line per channel) of finite values.
    The x axis is in seconds when ``sample_rate`` (samples per second) is
    given, else in time steps. ``overlay=True`` draws every signal on one
    plot, so small changes show; each line (each channel of each signal) has
    its own colour, line style and marker, so lines can be told apart without
    colour. ``spectrogram=True`` (sound only, needs ``sample_rate``) adds a
    row of spectrograms (``scipy.signal.spectrogram``: Hann windows of 512
    samples overlapping by 3/4, power in dB) on one shared colour scale, so
    the columns compare; ``max_frequency`` (Hz) cuts their frequency axis.
    """
    import matplotlib.pyplot as plt

    if not isinstance(signals, Mapping) or not signals:
        raise TypeError("signals must be a non-empty dict: name -> 1-D signal")
    arrays = {}
    for name, values in signals.items():
        values = _validate.array(f"signals[{name!r}]", values, ndims=(1, 2))
        if len(values) < 2 or values.size < 2:
            raise ValueError(f"signals[{name!r}] must have at least 2 samples, got shape {values.shape}")
        if not np.isfinite(values).all():
            raise ValueError(f"signals[{name!r}] must hold finite values, but it contains NaN or infinity")
        arrays[str(name)] = values
    if sample_rate is not None:
        sample_rate = _validate.number("sample_rate", sample_rate, minimum=1e-9)
    for flag, value in (("spectrogram", spectrogram), ("overlay", overlay)):
        if not isinstance(value, bool):
            raise TypeError(f"{flag} must be True or False, got {value!r}")
    if spectrogram and sample_rate is None:
        raise ValueError("sample_rate is needed for spectrogram=True (samples per second)")
    if spectrogram and overlay:
        raise ValueError("overlay=True cannot show spectrograms; use spectrogram=True without overlay")
    if spectrogram and any(a.ndim != 1 for a in arrays.values()):
        raise ValueError("signals must be 1-D (mono) for spectrogram=True")
    size = _validate.number("size", size, minimum=0.5, maximum=50.0)
    title = _text_arg("title", title)
    if max_frequency is not None:
        max_frequency = _validate.number("max_frequency", max_frequency, minimum=1e-9)
    xlabel = "time (s)" if sample_rate else "time step"

    def times(a: np.ndarray) -> np.ndarray:
        return np.arange(len(a)) / sample_rate if sample_rate else np.arange(len(a))

    if overlay:
        order = (0, 1, 2, 4, 5, 7, 6, 3)  # the palette with vermillion last: no red beside green up to 7 lines
        fig, ax = plt.subplots(figsize=(size * 2, size * 0.8 + (0.3 if title else 0)))
        line = 0
        for name, a in arrays.items():
            columns = a.reshape(len(a), -1)
            for c in range(columns.shape[1]):
                style = series_style(order[line % len(order)])
                label = name if columns.shape[1] == 1 else f"{name}, channel {c}"
                ax.plot(times(a), columns[:, c], lw=1.8 if line == 0 else 1.2, label=label, markersize=4,
                        markevery=max(1, len(a) // 12), **style)
                line += 1
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.set_title(title or "Signals")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
        fig.tight_layout()
        return fig

    n = len(arrays)
    rows = 2 if spectrogram else 1
    fig, axes = plt.subplots(rows, n, squeeze=False, sharey="row", layout="constrained" if spectrogram else None,
                             figsize=(size * n, size * 0.8 * rows + (0.4 if title else 0)))
    for j, (name, a) in enumerate(arrays.items()):
        ax = axes[0, j]
        ax.plot(times(a), a, lw=0.7, color=COLOURS[0])  # one colour: each panel is titled
        ax.set_title(name, fontsize=9)
        ax.set_xlabel(xlabel)
        ax.grid(alpha=0.3)
    axes[0, 0].set_ylabel(ylabel)
    if spectrogram:
        from scipy import signal as sps

        specs = []
        for a in arrays.values():
            nperseg = min(512, len(a))
            freqs, t, power = sps.spectrogram(a.astype(np.float64), fs=sample_rate, window="hann",
                                              nperseg=nperseg, noverlap=3 * nperseg // 4)
            specs.append((freqs, t, 10 * np.log10(np.maximum(power, 1e-30))))
        top = max(float(db.max()) for _, _, db in specs)
        for j, (freqs, t, db) in enumerate(specs):
            ax = axes[1, j]
            mesh = ax.pcolormesh(t, freqs, np.maximum(db, top - 80), shading="auto", vmin=top - 80, vmax=top,
                                 cmap="magma")
            ax.set_xlabel(xlabel)
            if max_frequency is not None:
                ax.set_ylim(0, max_frequency)
        axes[1, 0].set_ylabel("frequency (Hz)")
        fig.colorbar(mesh, ax=list(axes[1]), label="power (dB)", fraction=0.05, pad=0.02)
    if title:
        fig.suptitle(title)
    if not spectrogram:
        fig.tight_layout()
    return fig


def plot_audit(
    rows: Sequence[Mapping[str, Any]],
    *,
    units: Mapping[str, str] | None = None,
    ncols: int = 4,
    title: str = "Accuracy of a model trained without augmentation on transformed test images",
):
    """One panel per transform: test accuracy against strength, with the baseline dashed.

    ``rows`` is what lesson 03's ``label_preservation_audit`` returns. A baseline row
    is optional; when there is one, each curve starts from it at strength 0
    (no change). ``units`` maps a transform name to its strength's unit for
    the x-axis label (e.g. ``{"rotation": "degrees"}``). Returns the Figure.
    """
    import matplotlib.pyplot as plt

    if isinstance(rows, (str, bytes)) or not isinstance(rows, Sequence) or not rows:
        raise TypeError("rows must be the non-empty list of dicts the label-preservation audit returns")
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping) or not {"transform", "strength", "test_accuracy"} <= set(row):
            raise ValueError(f"rows[{i}] must be a dict with 'transform', 'strength' and 'test_accuracy', got {row!r}")
        _validate.number(f"rows[{i}]['strength']", row["strength"], minimum=0.0)
        _validate.number(f"rows[{i}]['test_accuracy']", row["test_accuracy"], minimum=0.0, maximum=1.0)
    if units is not None and not isinstance(units, Mapping):
        raise TypeError(f"units must be a dict {{transform: unit of its strength}}, got {type(units).__name__}")
    title = _text_arg("title", title)
    units = dict(units or {})
    ncols = _validate.integer("ncols", ncols, minimum=1)
    baseline = [r["test_accuracy"] for r in rows if r["transform"] == "none"]
    names = list(dict.fromkeys(r["transform"] for r in rows if r["transform"] != "none"))
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
        ax.plot(xs, ys, marker="o", color=COLOURS[0])
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


use_course_style()
_register_alt_text()
