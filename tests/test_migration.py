"""course_lib.migration: ImageDataGenerator settings -> Keras layers.

For each option, the generator and the converted layers are run on the same
test image and must make the same *kind* of change (same axis, same
direction, same range, same kind of invented pixels).
"""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.migration import GENERATOR_OPTIONS, UNSUPPORTED, generator_to_layers, migration_table
from course_lib.reproducibility import set_seed

set_seed(0)
from tensorflow.keras.preprocessing.image import ImageDataGenerator  # noqa: E402

N_DRAWS = 24
# the generator calls scipy.ndimage.interpolation.affine_transform, deprecated in SciPy: not our concern here
pytestmark = pytest.mark.filterwarnings("ignore:Please import `affine_transform`:DeprecationWarning")


# --------------------------------------------------------------------------- test images and measurements


def dot(size: int = 32, half: int = 2) -> np.ndarray:
    """A bright square in the middle of a dark image, H x W x 1, 0..255."""
    img = np.zeros((size, size, 1), np.float32)
    c = size // 2
    img[c - half:c + half, c - half:c + half] = 255.0
    return img


def centroid(img: np.ndarray) -> np.ndarray:
    a = img[..., 0].astype(np.float64)
    rows, cols = np.indices(a.shape)
    return np.array([(rows * a).sum(), (cols * a).sum()]) / a.sum()


def bar_angle(img: np.ndarray) -> float:
    """Orientation of a bar (degrees, -90..90) from the image's second moments."""
    a = img[..., 0].astype(np.float64)
    rows, cols = np.indices(a.shape)
    r0, c0 = centroid(img)
    mu_rr = (a * (rows - r0) ** 2).sum()
    mu_cc = (a * (cols - c0) ** 2).sum()
    mu_rc = (a * (rows - r0) * (cols - c0)).sum()
    return float(np.degrees(0.5 * np.arctan2(2 * mu_rc, mu_cc - mu_rr)))


def generator_outputs(img: np.ndarray, n: int = N_DRAWS, **options) -> np.ndarray:
    gen = ImageDataGenerator(**options)
    return np.stack([gen.random_transform(img.copy(), seed=s) for s in range(n)])


def layer_outputs(img: np.ndarray, n: int = N_DRAWS, **options) -> np.ndarray:
    stack = generator_to_layers(seed=1, input_shape=img.shape, **options)
    return np.asarray(stack(np.repeat(img[None], n, axis=0), training=True))


def both(img: np.ndarray, **options) -> dict[str, np.ndarray]:
    return {"generator": generator_outputs(img, **options), "layers": layer_outputs(img, **options)}


# --------------------------------------------------------------------------- one test per option


def test_rotation_range_is_degrees_in_both():
    bar = np.zeros((64, 64, 1), np.float32)
    bar[30:34, 12:52] = 255.0  # horizontal bar through the centre
    assert abs(bar_angle(bar)) < 0.5
    for source, outs in both(bar, rotation_range=20, fill_mode="constant").items():
        angles = np.array([bar_angle(o) for o in outs])
        assert np.all(np.abs(angles) <= 21.5), (source, angles)
        assert np.abs(angles).max() > 10, (source, angles)  # the range is used, not just tiny angles
        assert (angles > 1).any() and (angles < -1).any(), source  # both directions


def test_width_shift_range_moves_vertically_in_both():
    img = dot()
    start = centroid(img)
    for source, outs in both(img, width_shift_range=0.25).items():
        moves = np.array([centroid(o) - start for o in outs])
        assert np.abs(moves[:, 1]).max() < 0.05, source  # no horizontal movement
        assert np.abs(moves[:, 0]).max() > 3, source  # clear vertical movement
        assert np.abs(moves[:, 0]).max() <= 0.25 * 32 + 0.5, source


def test_height_shift_range_moves_horizontally_in_both():
    img = dot()
    start = centroid(img)
    for source, outs in both(img, height_shift_range=0.25).items():
        moves = np.array([centroid(o) - start for o in outs])
        assert np.abs(moves[:, 0]).max() < 0.05, source
        assert np.abs(moves[:, 1]).max() > 3, source
        assert np.abs(moves[:, 1]).max() <= 0.25 * 32 + 0.5, source


def test_shift_of_a_non_square_image_uses_the_other_side():
    stack = generator_to_layers(width_shift_range=0.1, height_shift_range=0.2, input_shape=(20, 40, 3))
    translation = stack.get_layer("translation")
    # width_shift_range: up to 0.1 x 40 = 4 rows = 0.2 of the height; height_shift_range: 0.2 x 20 = 4 columns
    assert translation.height_upper == pytest.approx(0.2)
    assert translation.width_upper == pytest.approx(0.1)


def test_shear_range_is_a_horizontal_shear_of_sin_angle_per_row_in_both():
    vertical = np.zeros((32, 32, 1), np.float32)
    vertical[4:28, 15:17] = 255.0
    horizontal = np.zeros((32, 32, 1), np.float32)
    horizontal[15:17, :] = 255.0  # full width: with 'nearest' fill it stays a full-width bar
    rows = np.arange(6, 26)
    limit = np.sin(np.radians(20))
    for source, outs in both(vertical, shear_range=20, fill_mode="constant").items():
        slopes = []
        for o in outs:
            a = o[..., 0]
            cols = (a[rows] * np.arange(32)).sum(1) / a[rows].sum(1)
            slopes.append(np.polyfit(rows, cols, 1)[0])
        slopes = np.abs(slopes)
        assert slopes.max() <= limit + 0.02, source
        assert slopes.max() > limit / 2, source
    for source, outs in both(horizontal, shear_range=20).items():
        for o in outs:  # the horizontal bar stays horizontal: no vertical shear
            a = o[..., 0]
            heights = [(a[:, c] * np.arange(32)).sum() / a[:, c].sum() for c in (2, 16, 29)]
            assert np.ptp(heights) < 0.1, source


def test_random_shear_pivots_about_the_top_edge_not_the_centre():
    # documented difference: the generator's shear keeps the centre row in place, RandomShear keeps row 0
    vertical = np.zeros((32, 32, 1), np.float32)
    vertical[:, 15:17] = 255.0
    gen = ImageDataGenerator(fill_mode="constant")
    leaned_gen = gen.apply_transform(vertical, {"shear": 20.0})[..., 0]
    shear = generator_to_layers(shear_range=20, fill_mode="constant", seed=0).get_layer("shear")
    slope = np.sin(np.radians(20))
    shear.x_factor = (slope, slope)  # one fixed amount instead of a random one
    leaned_layer = np.asarray(shear(vertical[None], training=True))[0, ..., 0]
    cols = np.arange(32)

    def centre_of_row(image, r):
        return (image[r] * cols).sum() / image[r].sum()

    assert abs(centre_of_row(leaned_gen, 16) - 15.5) < 0.5
    assert abs(centre_of_row(leaned_layer, 0) - 15.5) < 0.5
    assert abs(centre_of_row(leaned_layer, 16) - 15.5) == pytest.approx(16 * slope, abs=0.5)


@pytest.mark.parametrize("zoom, grows", [([0.5, 0.5], True), ([2.0, 2.0], False)])
def test_zoom_range_below_one_magnifies_in_both(zoom, grows):
    img = dot(half=4)
    area = img.sum() / 255.0
    for source, outs in both(img, zoom_range=zoom, fill_mode="constant").items():
        ratio = outs.sum(axis=(1, 2, 3)) / 255.0 / area
        expected = 4.0 if grows else 0.25
        assert np.allclose(ratio, expected, rtol=0.15), (source, ratio)


def test_zoom_range_float_draws_independent_scales_per_axis():
    stack = generator_to_layers(zoom_range=0.2)
    zoom = stack.get_layer("zoom")
    assert (zoom.height_lower, zoom.height_upper) == pytest.approx((-0.2, 0.2))
    assert (zoom.width_lower, zoom.width_upper) == pytest.approx((-0.2, 0.2))
    assert zoom.width_factor is not None


def _variants(outs: np.ndarray, img: np.ndarray) -> set[str]:
    names = {"none": img, "left-right": img[:, ::-1], "top-bottom": img[::-1], "both": img[::-1, ::-1]}
    seen = set()
    for o in outs:
        match = [k for k, v in names.items() if np.allclose(o, v)]
        assert len(match) == 1, "an output is not a mirror image of the input"
        seen.add(match[0])
    return seen


@pytest.mark.parametrize("options, expected", [
    ({"horizontal_flip": True}, {"none", "left-right"}),
    ({"vertical_flip": True}, {"none", "top-bottom"}),
    ({"horizontal_flip": True, "vertical_flip": True}, {"none", "left-right", "top-bottom", "both"}),
])
def test_flips_mirror_the_same_axes_independently_in_both(options, expected):
    img = np.random.default_rng(0).integers(0, 256, (8, 8, 1)).astype(np.float32)
    for source, outs in both(img, **options).items():
        assert _variants(outs, img) == expected, source


@pytest.mark.parametrize("factor, brighter", [(1.4, True), (0.6, False)])
def test_brightness_range_moves_the_mean_the_same_way_in_both(factor, brighter):
    grey = np.full((8, 8, 1), 127.0, np.float32)
    results = {k: v.mean() for k, v in both(grey, brightness_range=[factor, factor]).items()}
    for source, mean in results.items():
        assert (mean > 127.0) == brighter, source
    # for a mid-grey pixel the approximation matches the generator closely
    assert results["layers"] == pytest.approx(results["generator"], abs=2.0)


def _fill_kind(out: np.ndarray, original: np.ndarray, cval: float) -> str:
    """Zoomed out by 1.5, the top rows are invented; say what kind of pixels they are."""
    top = out[0, :, 0]
    if np.allclose(top, cval, atol=0.5):
        return "constant"
    if np.allclose(top, original[0, 0, 0], atol=2.0):  # a copy of the image's top edge
        return "nearest"
    return "reflect" if top.mean() < 128 else "wrap"


@pytest.mark.parametrize("fill_mode", ["nearest", "constant", "reflect", "wrap"])
def test_fill_mode_invents_the_same_kind_of_pixels_in_both(fill_mode):
    gradient = np.repeat(np.linspace(4, 252, 32, dtype=np.float32)[:, None, None], 32, axis=1)
    for source, outs in both(gradient, zoom_range=[1.5, 1.5], fill_mode=fill_mode, cval=100.0).items():
        assert _fill_kind(outs[0], gradient, 100.0) == fill_mode, source


def test_fill_mode_default_is_the_generators_not_the_layers():
    import keras

    stack = generator_to_layers(rotation_range=10, width_shift_range=0.1, shear_range=5, zoom_range=0.1)
    geometric = [layer for layer in stack.layers if hasattr(layer, "fill_mode")]
    assert len(geometric) == 4
    assert {layer.fill_mode for layer in geometric} == {"nearest"}
    assert keras.layers.RandomRotation(0.1).fill_mode == "reflect"  # what you get without the converter


def test_interpolation_order_zero_reads_only_existing_pixel_values_in_both():
    img = np.random.default_rng(1).integers(0, 5, (16, 16, 1)).astype(np.float32) * 50
    for source, outs in both(img, rotation_range=30, interpolation_order=0).items():
        assert set(np.unique(outs)) <= set(np.unique(img)), source


def test_rescale_matches_exactly():
    img = np.random.default_rng(2).integers(0, 256, (8, 8, 3)).astype(np.float32)
    gen = ImageDataGenerator(rescale=1 / 255)
    stack = generator_to_layers(rescale=1 / 255)
    np.testing.assert_allclose(np.asarray(stack(img[None]))[0], gen.standardize(img.copy()), rtol=1e-6)


@pytest.mark.parametrize("options", [
    {"featurewise_center": True},
    {"featurewise_center": True, "featurewise_std_normalization": True, "rescale": 1 / 255},
    {"featurewise_std_normalization": True},  # the generator turns centring on by itself
])
def test_featurewise_normalisation_matches_generator_fit(options):
    x = np.random.default_rng(3).integers(0, 256, (20, 6, 6, 3)).astype(np.float32)
    x[..., 1] *= 0.5  # channels with different statistics
    with pytest.warns(UserWarning) if "featurewise_center" not in options else _no_warning():
        gen = ImageDataGenerator(**options)
    gen.fit(x)
    stack = generator_to_layers(x=x, **options)
    expected = np.stack([gen.standardize(im.copy()) for im in x])
    np.testing.assert_allclose(np.asarray(stack(x)), expected, atol=1e-3)


class _no_warning:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_no_option_gives_the_identity_and_seeds_make_it_repeatable():
    img = np.random.default_rng(4).integers(0, 256, (1, 8, 8, 3)).astype(np.float32)
    assert np.array_equal(np.asarray(generator_to_layers()(img)), img)
    first = generator_to_layers(seed=3, rotation_range=30, horizontal_flip=True)
    second = generator_to_layers(seed=3, rotation_range=30, horizontal_flip=True)
    batch = np.repeat(img, 4, axis=0)
    np.testing.assert_allclose(np.asarray(first(batch, training=True)), np.asarray(second(batch, training=True)))
    assert np.array_equal(np.asarray(first(batch, training=False)), batch)  # identity outside training


def test_stack_order_follows_the_generator():
    x = np.zeros((4, 8, 8, 1), np.float32)
    stack = generator_to_layers(x=x, rotation_range=10, width_shift_range=0.1, shear_range=5, zoom_range=0.1,
                                horizontal_flip=True, vertical_flip=True, brightness_range=[0.8, 1.2],
                                rescale=1 / 255, featurewise_center=True)
    assert [layer.name for layer in stack.layers] == [
        "rotation", "translation", "shear", "zoom", "flip_horizontal", "flip_vertical", "brightness",
        "rescale", "normalization"]
    assert stack.get_layer("rotation").factor == pytest.approx((-10 / 360, 10 / 360))
    assert stack.get_layer("brightness").factor == pytest.approx((-0.1, 0.1))
    assert stack.input_shape == (None, 8, 8, 1)


# --------------------------------------------------------------------------- the table


def test_migration_table_rows():
    rows = migration_table()
    assert all(set(r) == {"option", "ImageDataGenerator", "Keras layer", "unit conversion", "notes"} for r in rows)
    text = " ".join(r["option"] for r in rows)
    for option in ("rotation_range", "width_shift_range", "height_shift_range", "shear_range", "zoom_range",
                   "horizontal_flip", "vertical_flip", "brightness_range", "fill_mode", "rescale",
                   "featurewise_center", "featurewise_std_normalization", *UNSUPPORTED):
        assert option in text
    width = next(r for r in rows if r["option"].startswith("width_shift_range"))
    assert "VERTICALLY" in width["ImageDataGenerator"] and "height_factor" in width["unit conversion"]
    rows[0]["option"] = "changed"
    assert migration_table()[0]["option"] != "changed"  # a fresh copy each call
    assert set(UNSUPPORTED) <= set(GENERATOR_OPTIONS)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("kwargs, error, match", [
    ({"rotation": 20}, ValueError, "'rotation'.*rotation_range"),
    ({"colour_jitter": 1}, ValueError, "colour_jitter"),
    ({"channel_shift_range": 20.0}, ValueError, "channel_shift_range"),
    ({"samplewise_center": True}, ValueError, "samplewise_center"),
    ({"zca_whitening": True}, ValueError, "zca_whitening"),
    ({"zca_epsilon": 1e-3}, ValueError, "zca_epsilon"),
    ({"preprocessing_function": abs}, ValueError, "preprocessing_function"),
    ({"validation_split": 0.2}, ValueError, "validation_split"),
    ({"data_format": "channels_first"}, ValueError, "data_format"),
    ({"dtype": "float64"}, ValueError, "dtype"),
    ({"rotation_range": "20"}, TypeError, "rotation_range"),
    ({"rotation_range": -5}, ValueError, "rotation_range"),
    ({"width_shift_range": 4}, ValueError, "width_shift_range.*pixels"),
    ({"height_shift_range": [-2, 0, 2]}, ValueError, "height_shift_range"),
    ({"shear_range": 95}, ValueError, "shear_range"),
    ({"zoom_range": 1.5}, ValueError, "zoom_range"),
    ({"zoom_range": [1.2, 0.8]}, ValueError, "zoom_range"),
    ({"zoom_range": [0.5, 3.0]}, ValueError, "zoom_range"),
    ({"zoom_range": [0.5, 1.0, 2.0]}, ValueError, "zoom_range"),
    ({"horizontal_flip": "yes"}, TypeError, "horizontal_flip"),
    ({"brightness_range": 0.5}, ValueError, "brightness_range"),
    ({"brightness_range": [1.5, 0.5]}, ValueError, "brightness_range"),
    ({"brightness_range": [0.5, 4.0]}, ValueError, "brightness_range"),
    ({"fill_mode": "mirror"}, ValueError, "fill_mode"),
    ({"cval": "black"}, TypeError, "cval"),
    ({"interpolation_order": 3}, ValueError, "interpolation_order"),
    ({"rescale": "1/255"}, TypeError, "rescale"),
    ({"featurewise_center": True}, ValueError, "featurewise_center.*x="),
    ({"featurewise_std_normalization": True}, ValueError, "featurewise_std_normalization.*x="),
    ({"x": np.zeros((8, 8, 3))}, ValueError, "x must have 4"),
    ({"input_shape": (8, 8)}, ValueError, "input_shape"),
    ({"input_shape": (8, 8, 3), "x": np.zeros((2, 4, 4, 3))}, ValueError, "input_shape"),
    ({"seed": -1}, ValueError, "seed"),
    ({"name": ""}, ValueError, "name"),
    ({"width_shift_range": 0.9, "input_shape": (10, 40, 3)}, ValueError, "width_shift_range"),
])
def test_bad_input_names_the_argument(kwargs, error, match):
    with pytest.raises(error, match=match):
        generator_to_layers(**kwargs)
