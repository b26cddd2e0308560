"""Tests for course_lib.plots.show_sweep."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib import plots


def _grid(rows=3, cols=4, shape=(8, 10, 3)):
    return np.random.default_rng(0).integers(0, 256, size=(rows, cols, *shape), dtype=np.uint8)


def test_show_sweep_draws_one_axis_per_image_with_labels():
    fig = plots.show_sweep(_grid(), [0, 10, 20], title="rotation sweep")
    axes = fig.axes
    assert len(axes) == 12
    assert axes[0].get_ylabel() == "0" and axes[4].get_ylabel() == "10" and axes[8].get_ylabel() == "20"
    assert [ax.get_title() for ax in axes[:4]] == ["1", "2", "3", "4"]
    assert fig._suptitle.get_text() == "rotation sweep"
    assert fig._supylabel.get_text() == "strength" and fig._supxlabel.get_text() == "random draw"
    shown = axes[5].images[0].get_array()
    assert np.array_equal(np.asarray(shown), _grid()[1, 1])


def test_show_sweep_accepts_lists_grey_and_float_images_and_custom_labels():
    grey = [[np.zeros((5, 5)), np.ones((5, 5))], [np.full((5, 5), 0.5), np.zeros((5, 5))]]
    fig = plots.show_sweep(grey, ["a", "b"], col_labels=["x", "y"], row_axis_label="mode",
                           col_axis_label="amount")
    assert [ax.get_title() for ax in fig.axes[:2]] == ["x", "y"]
    assert fig._supylabel.get_text() == "mode" and fig._supxlabel.get_text() == "amount"
    assert fig.axes[0].images[0].get_cmap().name == "gray"


def test_show_sweep_rejects_bad_input_naming_the_argument():
    with pytest.raises(TypeError, match="grid"):
        plots.show_sweep([], [])
    with pytest.raises(TypeError, match="grid"):
        plots.show_sweep("images", ["a"])
    with pytest.raises(ValueError, match="grid rows"):
        plots.show_sweep([_grid(1, 2)[0], _grid(1, 3)[0]], ["a", "b"])
    with pytest.raises(ValueError, match="row_labels"):
        plots.show_sweep(_grid(), ["a"])
    with pytest.raises(ValueError, match="row_labels"):
        plots.show_sweep(_grid(3), "abc")
    with pytest.raises(ValueError, match="col_labels"):
        plots.show_sweep(_grid(), [1, 2, 3], col_labels=["only one"])
    with pytest.raises(ValueError, match="grid"):
        plots.show_sweep([[np.zeros(4), np.zeros(4)]], ["a"])
    with pytest.raises(ValueError, match="size"):
        plots.show_sweep(_grid(), [1, 2, 3], size=0.1)
