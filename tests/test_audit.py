"""Tests for course_lib.audit: the label-preservation audit and its figure."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.audit import BASELINE, label_preservation_audit, plot_audit, transform_images


# --------------------------------------------------------------------------- stand-ins


def flip_vertical(image, strength, rng):
    """Upside down with probability ``strength``."""
    return image[::-1] if rng.random() < strength else image


def flip_horizontal(image, strength, rng):
    """Mirrored with probability ``strength``."""
    return image[:, ::-1] if rng.random() < strength else image


def identity(image, strength, rng):
    return image


def top_vs_bottom_data(n: int = 40, seed: int = 1):
    """4 x 4 grey images: label 1 = bright top half, label 0 = bright bottom half.

    Columns get random brightness so a horizontal flip really changes the pixels.
    """
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
    top = np.r_[np.ones(8), -np.ones(8)].astype(np.float32)  # row-major: the first 8 pixels are rows 0-1
    kernel = np.stack([-top, top], axis=1) / 100.0
    model.set_weights([kernel, np.zeros(2, dtype=np.float32)])
    return model


class LabelModel:
    """A non-Keras classifier returning labels, recording the batch sizes it was called with."""

    def __init__(self):
        self.calls: list[int] = []

    def predict(self, x):
        self.calls.append(len(x))
        top, bottom = x[:, :2].sum(axis=(1, 2, 3)), x[:, 2:].sum(axis=(1, 2, 3))
        return (top > bottom).astype(np.int64)


# --------------------------------------------------------------------------- behaviour


def test_baseline_row_first_and_vertical_flip_breaks_labels(top_vs_bottom_model):
    x, y = top_vs_bottom_data()
    rows = label_preservation_audit(
        top_vs_bottom_model, x, y,
        {"identity": identity, "horizontal_flip": flip_horizontal, "vertical_flip": flip_vertical},
        {"identity": [0.0, 1.0], "horizontal_flip": [1.0], "vertical_flip": [0.0, 1.0]},
    )
    assert rows[0] == {"transform": BASELINE, "strength": 0.0, "test_accuracy": 1.0}
    table = {(r["transform"], r["strength"]): r["test_accuracy"] for r in rows[1:]}
    assert list(table) == [("identity", 0.0), ("identity", 1.0), ("horizontal_flip", 1.0),
                           ("vertical_flip", 0.0), ("vertical_flip", 1.0)]
    assert table[("identity", 0.0)] == table[("identity", 1.0)] == 1.0
    assert table[("horizontal_flip", 1.0)] == 1.0  # a mirror keeps top above bottom
    assert table[("vertical_flip", 0.0)] == 1.0  # probability 0: nothing flipped
    assert table[("vertical_flip", 1.0)] == 0.0  # every image upside down: every prediction wrong
    assert all(isinstance(r["strength"], float) and isinstance(r["test_accuracy"], float) for r in rows)


def test_half_strength_is_between_and_seeded(top_vs_bottom_model):
    x, y = top_vs_bottom_data()
    args = (top_vs_bottom_model, x, y, {"vertical_flip": flip_vertical}, {"vertical_flip": [0.5]})
    a = label_preservation_audit(*args, seed=3)
    b = label_preservation_audit(*args, seed=3)
    c = label_preservation_audit(*args, seed=4)
    assert a == b
    half = a[1]["test_accuracy"]
    assert 0.0 < half < 1.0
    # Accuracy is exactly the share of images the seeded generator left upright.
    for seed, rows in ((3, a), (4, c)):
        rng = np.random.default_rng(seed)
        upright = np.mean([rng.random() >= 0.5 for _ in range(len(x))])
        assert rows[1]["test_accuracy"] == pytest.approx(upright)


def test_each_row_has_its_own_generator(top_vs_bottom_model):
    """A row's value does not depend on which rows were computed before it."""
    x, y = top_vs_bottom_data()
    alone = label_preservation_audit(top_vs_bottom_model, x, y, {"v": flip_vertical}, {"v": [0.5]})
    after = label_preservation_audit(top_vs_bottom_model, x, y, {"h": flip_horizontal, "v": flip_vertical},
                                     {"h": [0.5, 1.0], "v": [0.5]})
    assert alone[-1] == after[-1]


def test_label_model_and_batches():
    x, y = top_vs_bottom_data(n=10)
    model = LabelModel()
    rows = label_preservation_audit(model, x, y, {"vertical_flip": flip_vertical}, {"vertical_flip": [1]},
                                    batch_size=4)
    assert [r["test_accuracy"] for r in rows] == [1.0, 0.0]
    assert model.calls == [4, 4, 2, 4, 4, 2]
    assert rows[1]["strength"] == 1.0 and isinstance(rows[1]["strength"], float)


def test_transform_images_stacks_and_checks_shape():
    x, _ = top_vs_bottom_data(n=3)
    out = transform_images(x, flip_vertical, 1.0, np.random.default_rng(0))
    np.testing.assert_array_equal(out, x[:, ::-1])
    with pytest.raises(ValueError, match=r"transforms\['crop'\].*shape"):
        transform_images(x, lambda im, s, r: im[:2], 1.0, np.random.default_rng(0), name="crop")


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"model": object()}, TypeError, "model"),
        ({"x": [[1]]}, TypeError, "x"),
        ({"x": np.zeros((4, 4, 1))}, ValueError, "x"),
        ({"y": np.zeros(3, dtype=int)}, ValueError, "y"),
        ({"y": np.zeros(10)}, TypeError, "y"),
        ({"transforms": {}}, TypeError, "transforms"),
        ({"transforms": [identity]}, TypeError, "transforms"),
        ({"transforms": {"none": identity}, "strengths": {"none": [1]}}, ValueError, "transforms.*reserved"),
        ({"transforms": {"id": 3}}, TypeError, r"transforms\['id'\]"),
        ({"transforms": {1: identity}}, TypeError, "transforms"),
        ({"strengths": [1.0]}, TypeError, "strengths"),
        ({"strengths": {}}, ValueError, "strengths.*'id'"),
        ({"strengths": {"id": [1], "other": [1]}}, ValueError, "strengths.*other"),
        ({"strengths": {"id": []}}, TypeError, r"strengths\['id'\]"),
        ({"strengths": {"id": "1"}}, TypeError, r"strengths\['id'\]"),
        ({"strengths": {"id": [-1.0]}}, ValueError, r"strengths\['id'\]"),
        ({"strengths": {"id": [float("nan")]}}, ValueError, r"strengths\['id'\]"),
        ({"strengths": {"id": ["big"]}}, TypeError, r"strengths\['id'\]"),
        ({"seed": -1}, ValueError, "seed"),
        ({"seed": 1.5}, TypeError, "seed"),
        ({"batch_size": 0}, ValueError, "batch_size"),
    ],
)
def test_bad_input_names_the_argument(kwargs, error, match):
    x, y = top_vs_bottom_data(n=10)
    args = {"model": LabelModel(), "x": x, "y": y, "transforms": {"id": identity}, "strengths": {"id": [1.0]}}
    args.update(kwargs)
    with pytest.raises(error, match=match):
        label_preservation_audit(**args)


def test_odd_model_output_is_reported():
    class Odd:
        def predict(self, x):
            return np.zeros((len(x), 2, 2))

    x, y = top_vs_bottom_data(n=4)
    with pytest.raises(ValueError, match="model.predict"):
        label_preservation_audit(Odd(), x, y, {"id": identity}, {"id": [1.0]})


# --------------------------------------------------------------------------- the figure


def test_plot_audit_one_panel_per_transform():
    rows = [
        {"transform": "none", "strength": 0.0, "test_accuracy": 0.8},
        {"transform": "rotation", "strength": 90.0, "test_accuracy": 0.3},
        {"transform": "rotation", "strength": 10.0, "test_accuracy": 0.7},
        {"transform": "vertical_flip", "strength": 1.0, "test_accuracy": 0.4},
    ]
    fig = plot_audit(rows, units={"rotation": "degrees"}, ncols=4)
    visible = [ax for ax in fig.axes if ax.axison]
    assert [ax.get_title() for ax in visible] == ["rotation", "vertical_flip"]
    assert visible[0].get_xlabel() == "strength (degrees)"
    assert visible[1].get_xlabel() == "strength"
    assert visible[0].get_ylabel() == "test accuracy"
    line = visible[0].lines[0]
    np.testing.assert_allclose(line.get_xdata(), [0.0, 10.0, 90.0])  # from the baseline, sorted by strength
    np.testing.assert_allclose(line.get_ydata(), [0.8, 0.7, 0.3])
    assert visible[0].lines[1].get_ydata()[0] == pytest.approx(0.8)  # the baseline
    assert fig._suptitle.get_text()


def test_plot_audit_many_panels_and_no_baseline():
    rows = [{"transform": f"t{i}", "strength": 1.0, "test_accuracy": 0.5} for i in range(5)]
    fig = plot_audit(rows, ncols=2, title="custom")
    assert sum(ax.axison for ax in fig.axes) == 5
    np.testing.assert_allclose(fig.axes[0].lines[0].get_xdata(), [1.0])  # no baseline: no strength-0 point
    assert len(fig.axes) == 6
    assert fig._suptitle.get_text() == "custom"


@pytest.mark.parametrize(
    ("rows", "kwargs", "error", "match"),
    [
        ([], {}, TypeError, "rows"),
        ("rows", {}, TypeError, "rows"),
        ([{"transform": "a"}], {}, ValueError, r"rows\[0\]"),
        ([{"transform": "none", "strength": 0.0, "test_accuracy": 0.5}], {}, ValueError, "rows"),
        ([{"transform": "a", "strength": 1.0, "test_accuracy": 0.5}], {"ncols": 0}, ValueError, "ncols"),
    ],
)
def test_plot_audit_bad_input(rows, kwargs, error, match):
    with pytest.raises(error, match=match):
        plot_audit(rows, **kwargs)
