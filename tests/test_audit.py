"""Lesson 03's label-preservation audit (generated module) and its figure (course_lib.plots.plot_audit)."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.lessons.l03_suitable_vs_unsuitable import label_preservation_audit
from course_lib.plots import plot_audit
from course_lib.transforms import apply_to_batch


def top_vs_bottom_data(n: int = 40, seed: int = 1):
    """4 x 4 grey images: label 1 = bright top half, label 0 = bright bottom half."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    x = np.zeros((n, 4, 4, 1), dtype=np.uint8)
    for i, label in enumerate(y):
        bright = rng.integers(100, 256, size=4)
        rows = slice(0, 2) if label == 1 else slice(2, 4)
        x[i, rows, :, 0] = bright
    return x, y


@pytest.fixture(scope="module")
def top_vs_bottom_model():
    """A Keras model with fixed weights: class 1 when the top half is brighter than the bottom."""
    import keras

    model = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(2, activation="softmax")])
    top = np.r_[np.ones(8), -np.ones(8)].astype(np.float32)
    model.set_weights([np.stack([-top, top], axis=1) / 100.0, np.zeros(2, dtype=np.float32)])
    return model


def test_a_vertical_flip_leaves_the_data_a_horizontal_flip_does_not(top_vs_bottom_model):
    x, y = top_vs_bottom_data()
    rows = label_preservation_audit(top_vs_bottom_model, x, y, {"horizontal_flip": [1.0], "vertical_flip": [1.0]})
    assert [r["transform"] for r in rows] == ["none", "horizontal_flip", "vertical_flip"]
    assert rows[0]["test_accuracy"] == 1.0 and rows[1]["test_accuracy"] == 1.0  # mirrored: still in the data
    assert rows[2]["test_accuracy"] == 0.0  # upside down: every label swapped
    assert rows[0]["strength"] == 0.0 and len(rows[2]["predictions"]) == len(y)


def test_each_strength_uses_the_engine_with_its_own_seeded_draws(top_vs_bottom_model):
    x, y = top_vs_bottom_data()
    rows = label_preservation_audit(top_vs_bottom_model, x, y, {"vertical_flip": [0.5, 0.5]}, seed=7)
    assert rows[1]["test_accuracy"] == rows[2]["test_accuracy"]  # same seed, same draws
    flipped = apply_to_batch(x, "vertical_flip", 0.5, np.random.default_rng(7))
    expected = np.mean((flipped[:, :2].sum(axis=(1, 2, 3)) > flipped[:, 2:].sum(axis=(1, 2, 3))) == y)
    assert rows[1]["test_accuracy"] == pytest.approx(expected)
    share_changed = 1 - rows[1]["test_accuracy"]
    assert 0.25 < share_changed < 0.75  # about half the images were flipped


def test_own_functions_can_be_audited_next_to_the_engine(top_vs_bottom_model):
    x, y = top_vs_bottom_data()

    def turn_180(image, strength, rng):
        return np.rot90(image, 2) if rng.random() < strength else image

    rows = label_preservation_audit(top_vs_bottom_model, x, y, {"turn_180": [1.0], "rotation": [0.0]},
                                    transforms={"turn_180": turn_180})
    assert rows[1]["test_accuracy"] == 0.0 and rows[2]["test_accuracy"] == 1.0


@pytest.mark.parametrize("strengths, error, match", [
    ({}, TypeError, "strengths"),
    ("rotation", TypeError, "strengths"),
    ({"twirl": [1.0]}, ValueError, "twirl"),
    ({"rotation": []}, TypeError, r"strengths\['rotation'\]"),
    ({"rotation": "10"}, TypeError, r"strengths\['rotation'\]"),
    ({"rotation": [float("nan")]}, ValueError, r"strengths\['rotation'\]"),
    ({"rotation": [-1]}, ValueError, r"strengths\['rotation'\]"),
])
def test_bad_strengths_are_named(top_vs_bottom_model, strengths, error, match):
    x, y = top_vs_bottom_data(4)
    with pytest.raises(error, match=match):
        label_preservation_audit(top_vs_bottom_model, x, y, strengths)


def test_bad_images_and_labels_are_named(top_vs_bottom_model):
    x, y = top_vs_bottom_data(4)
    with pytest.raises(ValueError, match="x"):
        label_preservation_audit(top_vs_bottom_model, x[0], y, {"rotation": [1]})
    with pytest.raises(ValueError, match="y"):
        label_preservation_audit(top_vs_bottom_model, x, y[:2], {"rotation": [1]})


def test_plot_audit_draws_one_panel_per_transform_from_the_baseline():
    rows = [{"transform": "none", "strength": 0.0, "test_accuracy": 0.5},
            {"transform": "rotation", "strength": 30.0, "test_accuracy": 0.4, "predictions": np.zeros(3)},
            {"transform": "blur", "strength": 1.0, "test_accuracy": 0.45}]
    fig = plot_audit(rows, units={"rotation": "degrees"})
    panels = [ax for ax in fig.axes if ax.get_visible() and ax.lines]
    assert [ax.get_title() for ax in panels] == ["rotation", "blur"]
    assert list(panels[0].lines[0].get_xdata()) == [0.0, 30.0] and "degrees" in panels[0].get_xlabel()
    with pytest.raises(ValueError, match="only the baseline"):
        plot_audit(rows[:1])
    with pytest.raises(ValueError, match=r"rows\[0\]"):
        plot_audit([{"transform": "x"}])
