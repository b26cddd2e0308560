"""Figures: returned, titled, labelled, and strict about their inputs."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from course_lib import plots


def _imgs(n=5, shape=(6, 6, 3)):
    return np.random.default_rng(0).integers(0, 255, size=(n, *shape), dtype=np.uint8)


def test_grid_titles_come_from_class_names():
    fig = plots.show_images(_imgs(5), labels=[0, 1, 2, 1, 0], class_names=["cat", "dog", "ship"],
                            ncols=3, title="Some images")
    assert isinstance(fig, Figure)
    titled = [ax.get_title() for ax in fig.axes if ax.images]
    assert titled == ["cat", "dog", "ship", "dog", "cat"]
    assert len(fig.axes) == 6 and fig._suptitle.get_text() == "Some images"


def test_grid_accepts_grey_float_and_explicit_titles():
    grey = np.linspace(0, 1, 2 * 4 * 4).reshape(2, 4, 4, 1)
    fig = plots.show_images(grey, titles=["a", "b"])
    assert [ax.get_title() for ax in fig.axes] == ["a", "b"]
    assert fig.axes[0].images[0].get_array().shape == (4, 4)
    fig = plots.show_images([np.full((4, 4), 300.0)])  # floats on the 0..255 scale are clipped
    assert fig.axes[0].images[0].get_array().max() == 255


@pytest.mark.parametrize(
    "args, kwargs, match",
    [
        ((np.zeros((3, 4)),), {}, "images"),
        (([],), {}, "images"),
        (([np.zeros((4, 4)), np.zeros((5, 5))],), {}, "same shape"),
        ((_imgs(2),), {"labels": [0]}, "labels"),
        ((_imgs(2),), {"labels": [0, 5], "class_names": ["a"]}, "labels"),
        ((_imgs(2),), {"titles": ["x"]}, "titles"),
        ((_imgs(2),), {"ncols": 0}, "ncols"),
        ((np.zeros((2, 4, 4, 2)),), {}, "images"),
    ],
)
def test_grid_rejects_bad_input(args, kwargs, match):
    with pytest.raises((TypeError, ValueError), match=match):
        plots.show_images(*args, **kwargs)


def test_before_after_has_two_labelled_rows():
    before = _imgs(3)
    fig = plots.show_before_after(before, before[:, ::-1], titles=("original", "flipped"), title="Flip")
    assert len(fig.axes) == 6
    assert fig.axes[0].get_ylabel() == "original" and fig.axes[3].get_ylabel() == "flipped"
    single = plots.show_before_after(before[0], before[0])
    assert len(single.axes) == 2
    with pytest.raises(ValueError, match="after"):
        plots.show_before_after(before, before[:2])
    with pytest.raises(ValueError, match="titles"):
        plots.show_before_after(before, before, titles=("a",))


def test_show_augmentations_calls_augment_for_every_cell():
    calls = []

    def brighten(image):
        calls.append(1)
        return np.minimum(image.astype(int) + 10, 255).astype(np.uint8)

    fig = plots.show_augmentations(_imgs(1)[0], brighten, rows=2, cols=3)
    assert len(calls) == 5
    assert [ax.get_title() for ax in fig.axes][:2] == ["original", "#1"]
    with pytest.raises(TypeError, match="augment"):
        plots.show_augmentations(_imgs(1)[0], "flip")
    with pytest.raises(ValueError, match="shape"):
        plots.show_augmentations(_imgs(1)[0], lambda im: im[:2])
    with pytest.raises(ValueError, match="rows"):
        plots.show_augmentations(_imgs(1)[0], brighten, rows=0)


def test_history_plot_draws_train_solid_and_validation_dashed():
    hist = {"accuracy": [0.5, 0.7, 0.9], "val_accuracy": [0.4, 0.5, 0.5]}
    fig = plots.plot_history({"500 images": hist, "4000 images": {"accuracy": [0.3, 0.4]}})
    ax = fig.axes[0]
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "accuracy" and ax.get_title()
    styles = [(line.get_label(), line.get_linestyle()) for line in ax.lines]
    assert styles == [("500 images: training", "-"), ("500 images: validation", "--"),
                      ("4000 images: training", "-")]
    single = plots.plot_history(hist, metric="accuracy", title="One run")
    assert single.axes[0].get_title() == "One run" and len(single.axes[0].lines) == 2
    with pytest.raises(ValueError, match="loss"):
        plots.plot_history(hist, metric="loss")
    with pytest.raises(TypeError, match="histories"):
        plots.plot_history([])


def test_series_styles_differ_in_colour_marker_and_line_style():
    from course_lib import plots

    styles = [plots.series_style(i) for i in range(4)]
    for key in ("color", "marker", "linestyle"):
        assert len({str(s[key]) for s in styles}) == 4, key
    assert plots.series_style(8)["color"] == plots.COLOURS[0]
    assert "#0072B2" in plots.COLOURS and "#E69F00" in plots.COLOURS  # Okabe-Ito blue and orange
    with pytest.raises(ValueError, match="i"):
        plots.series_style(-1)


def test_alt_text_is_explicit_or_built_from_titles_and_labels():
    import matplotlib.pyplot as plt

    from course_lib import plots

    fig, (a, b) = plt.subplots(1, 2)
    a.plot([1, 2], [3, 4])
    a.set_title("plain")
    b.plot([1, 2], [4, 3])
    b.set_title("augmented")
    a.set_xlabel("epoch")
    a.set_ylabel("accuracy")
    fig.suptitle("Two runs")
    assert plots.alt_text(fig) == "Two runs. 2 panels: plain, augmented. accuracy against epoch."
    assert plots.describe(fig, "  Accuracy per epoch,\n two runs. ") is fig
    assert plots.alt_text(fig) == "Accuracy per epoch, two runs."
    with pytest.raises(ValueError, match="alt"):
        plots.describe(fig, " ")
    with pytest.raises(TypeError, match="fig"):
        plots.describe("figure", "text")


def test_in_ipython_figures_are_displayed_with_their_alt_text():
    import matplotlib.pyplot as plt
    from IPython.core.interactiveshell import InteractiveShell

    from course_lib import plots

    shell = InteractiveShell.instance()
    try:
        plots._register_alt_text()
        fig = plots.describe(plt.figure(), "A line going up.")
        fig.add_subplot().plot([0, 1], [0, 1])
        data, metadata = shell.display_formatter.format(fig)
        assert data["image/png"] and metadata["image/png"] == {"alt": "A line going up."}
        empty, _ = shell.display_formatter.format(plt.figure())
        assert "image/png" not in empty  # an empty figure shows nothing
    finally:
        InteractiveShell.clear_instance()


def test_grid_titles_are_wrapped_to_their_panel():
    from course_lib.plots import show_images

    fig = show_images(np.zeros((4, 8, 8), np.uint8), titles=["a fairly long title for a small panel"] * 4, size=1.0)
    assert all("\n" in ax.get_title() for ax in fig.axes)
