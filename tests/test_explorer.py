"""The transform explorer: what its update draws, its widgets, and its static fallback."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib import explorer as E
from course_lib import transforms as T

AUDIT = [{"transform": "none", "strength": 0.0, "test_accuracy": 0.5},
         {"transform": "rotation", "strength": 30.0, "test_accuracy": 0.4},
         {"transform": "rotation", "strength": 90.0, "test_accuracy": 0.2}]


def _images(n=6):
    return np.random.default_rng(0).integers(0, 256, size=(n, 12, 12, 3), dtype=np.uint8)


def test_update_draws_the_engines_images_and_marks_the_strength_on_the_curve():
    ex = E.TransformExplorer(_images(), curves=AUDIT, seed=3)
    fig = ex.update("rotation", 60.0)
    expected = T.apply_to_batch(_images(), "rotation", 60.0, np.random.default_rng(3), fill_mode="constant")
    np.testing.assert_array_equal(ex.changed_, expected)
    shown = [ax.images[0].get_array() for ax in fig.axes if ax.images]
    assert len(shown) == 6 and np.array_equal(np.asarray(shown[2]), expected[2])
    curve = [ax for ax in fig.axes if not ax.images][0]
    marker = [line for line in curve.lines if line.get_marker() == "D"][0]
    assert marker.get_xdata()[0] == 60.0 and marker.get_ydata()[0] == pytest.approx(0.3)  # halfway 0.4 -> 0.2
    assert curve.lines[0].get_xdata()[0] == 0.0  # the curve starts at the baseline (strength 0)
    assert "rotation at strength 60" in fig._suptitle.get_text()
    from course_lib.plots import alt_text

    assert "model trained without augmentation" in alt_text(fig)
    ex.update("rotation", 0.0)
    np.testing.assert_array_equal(ex.changed_, _images())  # strength 0 changes nothing


def test_a_transform_without_a_curve_says_so_and_png_renders():
    ex = E.TransformExplorer(_images(3), curves=AUDIT)
    fig = ex.update("blur", 1.0)
    assert "no label-preservation" in [ax for ax in fig.axes if not ax.images][0].texts[0].get_text()
    assert ex.png("blur", 2.0)[:4] == b"\x89PNG"


def test_without_any_curves_only_the_images_are_drawn():
    """Lesson 02 explores before lesson 03 has measured any curve: no empty panel beside the images."""
    fig = E.TransformExplorer(_images(4)).update("rotation", 30.0)
    assert len(fig.axes) == 4 and all(ax.images for ax in fig.axes)
    assert "rotation at strength 30" in fig._suptitle.get_text()


def test_the_widgets_redraw_when_the_slider_or_the_transform_changes():
    ex = E.TransformExplorer(_images(4), curves=AUDIT)
    box = ex.widget("rotation", 10.0)
    menu, slider, picture = ex.controls
    first = picture.value
    slider.value = 80.0
    assert picture.value != first and ex.changed_ is not None
    menu.value = "horizontal_flip"
    assert slider.max == 1.0 and slider.value == 0.5
    assert "course-explorer" in box._dom_classes


def test_explore_is_static_with_a_note_where_widgets_cannot_run(monkeypatch, capsys):
    monkeypatch.setenv(E.STATIC_ENV, "1")
    assert not E.widgets_available()
    ex = E.explore(_images(2), curves=AUDIT, name="rotation", strength=45.0)
    assert E.STATIC_NOTE in capsys.readouterr().out
    assert ex.changed_ is not None


@pytest.mark.parametrize("call, error, match", [
    (lambda: E.TransformExplorer(np.zeros((17, 4, 4, 3), np.uint8)), ValueError, "images"),
    (lambda: E.TransformExplorer(np.full((2, 4, 4, 3), np.nan)), ValueError, "images"),
    (lambda: E.TransformExplorer(_images(), names=["twirl"]), ValueError, "names"),
    (lambda: E.TransformExplorer(_images()).update("rotation", 500.0), ValueError, "strength"),
    (lambda: E.TransformExplorer(_images()).update("twirl", 1.0), ValueError, "name"),
    (lambda: E.TransformExplorer(_images(), curves=[{"transform": "x"}]), ValueError, r"rows\[0\]"),
    (lambda: E.curves_from_audit("rows"), TypeError, "rows"),
    (lambda: E.explore(_images(), name="twirl"), ValueError, "name"),
])
def test_bad_arguments_are_named(call, error, match):
    with pytest.raises(error, match=match):
        call()
