"""Tests for course_lib.transforms: properties (hypothesis) and concrete behaviour."""

from __future__ import annotations


import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from course_lib import transforms as T

NAMES = tuple(T.TRANSFORMS)
MOVERS = ("rotation", "width_shift", "height_shift", "shear", "zoom", "crop_and_pad")
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def images(draw, dtypes=(np.uint8, np.float32, np.float64)):
    """Small uint8 or float images, H x W or H x W x C; floats in 0..1, 0..255 or any range."""
    dtype = draw(st.sampled_from(dtypes))
    h, w = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    shape = draw(st.sampled_from([(h, w), (h, w, 1), (h, w, 3), (h, w, 4)]))
    if dtype == np.uint8:
        return draw(hnp.arrays(np.uint8, shape))
    lo, hi = draw(st.sampled_from([(0.0, 1.0), (0.0, 255.0), (-3.0, 7.0)]))
    return draw(hnp.arrays(dtype, shape, elements=st.floats(lo, hi, width=32)))


def strengths(name: str):
    top = T.MAX_STRENGTH[name] * (0.99 if name == "zoom" else 1.0)
    return st.floats(0.0, top)


def rng_of(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def ramp(h: int = 8, w: int = 8, dtype=np.uint8) -> np.ndarray:
    return np.arange(h * w).reshape(h, w).astype(dtype)


# --------------------------------------------------------------------------- properties


@FAST
@given(image=images(), seed=st.integers(0, 2**32 - 1))
def test_flipping_twice_is_the_identity(image, seed):
    rng = rng_of(seed)
    for flip in (T.horizontal_flip, T.vertical_flip):
        once = flip(image, 1.0, rng)
        assert np.array_equal(flip(once, 1.0, rng), image)


@FAST
@given(image=images(), seed=st.integers(0, 2**32 - 1), fill_mode=st.sampled_from(T.FILL_MODES))
def test_geometric_transforms_of_strength_zero_are_the_identity(image, seed, fill_mode):
    for name in MOVERS:
        out = T.TRANSFORMS[name](image, 0, rng_of(seed), fill_mode=fill_mode, cval=0.0)
        assert out.dtype == image.dtype
        assert np.array_equal(out, image), name
        assert out is not image


@FAST
@given(data=st.data(), image=images(), name=st.sampled_from(NAMES))
def test_shape_dtype_and_value_range_are_kept(data, image, name):
    strength = data.draw(strengths(name))
    lo, hi = T.value_range(image)
    options = {"fill_mode": data.draw(st.sampled_from(T.FILL_MODES)),
               "cval": data.draw(st.floats(-500, 500))} if name in T.GEOMETRIC else {}
    out = T.TRANSFORMS[name](image, strength, rng_of(data.draw(st.integers(0, 1000))), **options)
    assert out.shape == image.shape
    assert out.dtype == image.dtype
    assert out.min() >= lo and out.max() <= hi


@FAST
@given(image=images(), name=st.sampled_from(NAMES), seed=st.integers(0, 1000), data=st.data())
def test_a_transform_is_sample_parameters_then_apply_parameters(image, name, seed, data):
    strength = data.draw(strengths(name))
    params = T.sample_parameters(name, strength, rng_of(seed), image.shape)
    assert set(params) == set(T.PARAMETERS[name])
    expected = T.apply_parameters(name, image, params)
    assert np.array_equal(T.TRANSFORMS[name](image, strength, rng_of(seed)), expected)


@settings(max_examples=10, deadline=None)
@given(name=st.sampled_from(NAMES), seed=st.integers(0, 1000), grey=st.booleans())
def test_apply_to_batch_equals_one_call_per_image(name, seed, grey):
    batch = rng_of(seed).integers(0, 256, size=(5, 6, 7) if grey else (5, 6, 7, 3), dtype=np.uint8)
    strength = T.MAX_STRENGTH[name] / 2
    rng = rng_of(seed)
    one_by_one = np.stack([T.TRANSFORMS[name](im, strength, rng) for im in batch])
    assert np.array_equal(T.apply_to_batch(batch, name, strength, rng_of(seed)), one_by_one)


@settings(max_examples=20, deadline=None)
@given(name=st.sampled_from(NAMES),
       bad=st.sampled_from([-0.5, -1e-9, float("nan"), float("inf"), "10", None, True, [1.0]]))
def test_invalid_strengths_raise_naming_strength(name, bad):
    with pytest.raises((TypeError, ValueError), match="strength"):
        T.TRANSFORMS[name](ramp(), bad, rng_of())


@pytest.mark.parametrize("name", NAMES)
def test_strength_above_the_maximum_raises_naming_strength_and_units(name):
    with pytest.raises(ValueError, match=rf"strength for {name} must be"):
        T.TRANSFORMS[name](ramp(), T.MAX_STRENGTH[name] + 1, rng_of())
    with pytest.raises(ValueError, match="strength"):
        T.apply_to_batch(ramp()[None], name, -1, rng_of())


def test_zoom_strength_must_stay_below_one():
    with pytest.raises(ValueError, match="strength for zoom must be below 1"):
        T.zoom(ramp(), 1.0, rng_of())
    assert T.zoom(ramp(), 0.99, rng_of()).shape == (8, 8)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("bad, error", [
    (np.zeros(5, np.uint8), ValueError),                 # 1-D
    (np.zeros((2, 3, 3, 3), np.uint8), ValueError),      # 4-D: a batch, not an image
    (np.zeros((0, 4, 3), np.uint8), ValueError),         # empty
    (np.zeros((4, 4, 0), np.float32), ValueError),       # no channels
    (np.array([["a", "b"], ["c", "d"]]), TypeError),     # strings
    (np.zeros((4, 4), dtype=object), TypeError),         # objects
    (np.zeros((4, 4), dtype=bool), TypeError),           # booleans
    (np.zeros((4, 4), dtype=np.int32), TypeError),       # ints other than uint8
    ([[0, 1], [2, 3]], TypeError),                       # not an array
    (np.array([[0.0, np.nan]]), ValueError),             # not finite
])
def test_bad_images_raise_naming_image(name, bad, error):
    with pytest.raises(error, match="image"):
        T.TRANSFORMS[name](bad, 0.1, rng_of())


def test_bad_rng_and_options_raise_naming_them():
    with pytest.raises(TypeError, match="rng"):
        T.rotation(ramp(), 10, 0)
    with pytest.raises(TypeError, match="rng"):
        T.rotation(ramp(), 10, np.random.RandomState(0))
    with pytest.raises(ValueError, match="fill_mode"):
        T.rotation(ramp(), 10, rng_of(), fill_mode="mirror")
    with pytest.raises(ValueError, match="cval"):
        T.shear(ramp(), 10, rng_of(), cval=float("nan"))
    with pytest.raises(ValueError, match="interpolation"):
        T.zoom(ramp(), 0.1, rng_of(), interpolation="cubic")
    with pytest.raises(ValueError, match="mode"):
        T.brightness(ramp(), 0.1, rng_of(), mode="gamma")
    with pytest.raises(TypeError, match="unknown option"):
        T.apply_to_batch(ramp()[None], "blur", 1, rng_of(), fill_mode="reflect")


# --------------------------------------------------------------------------- what each transform does


def test_rotation_turns_counter_clockwise_and_fill_modes_invent_different_corners():
    image = ramp(9, 9, np.float64) / 80.0
    assert np.allclose(T.apply_parameters("rotation", image, {"angle": 90}), np.rot90(image))
    corners = {}
    for mode in T.FILL_MODES:
        out = T.apply_parameters("rotation", image, {"angle": 45}, fill_mode=mode, cval=0.5)
        corners[mode] = out[0, 0]
    assert corners["constant"] == 0.5  # the corner comes from outside: it is cval
    assert corners["nearest"] == pytest.approx(image[0, 4], abs=0.02)  # the nearest edge pixel
    assert len({round(float(v), 6) for v in corners.values()}) == 4  # four different inventions


@pytest.mark.parametrize("mode, expected_left", [
    ("nearest", [0, 0]), ("constant", [9, 9]), ("reflect", [1, 0]), ("wrap", [6, 7])])
def test_width_shift_moves_sideways_and_fills_the_gap_per_fill_mode(mode, expected_left):
    image = ramp()  # row 0 is 0..7
    out = T.apply_parameters("width_shift", image, {"dx": 0.25}, fill_mode=mode, cval=9)
    assert out[0, :2].tolist() == expected_left
    assert np.array_equal(out[:, 2:], image[:, :-2])  # moved right by 2 pixels, rows unchanged


def test_height_shift_moves_down_and_crop_and_pad_moves_by_whole_pixels():
    image = ramp()
    out = T.apply_parameters("height_shift", image, {"dy": 0.25})
    assert np.array_equal(out[2:], image[:-2])
    assert np.array_equal(out[:2], image[[0, 0]])  # nearest repeats the top row
    out = T.apply_parameters("crop_and_pad", image, {"dy": -1, "dx": 3})
    assert np.array_equal(out[:-1, 3:], image[1:, :-3])
    assert (out[:, :3] == 0).all() and (out[-1] == 0).all()  # padded with cval 0 by default


def test_random_width_shift_keeps_rows_and_draws_within_the_range():
    image = np.tile(np.arange(20, dtype=np.float64) / 20, (6, 1))
    rng = rng_of(3)
    for _ in range(20):
        params = T.sample_parameters("width_shift", 0.2, rng, image.shape)
        assert -0.2 <= params["dx"] <= 0.2
    out = T.width_shift(image, 0.2, rng)
    assert np.allclose(out, out[0])  # every row moved the same way: the move is horizontal


def test_shear_slants_columns_and_zoom_magnifies():
    image = np.zeros((11, 11))
    image[:, 5] = 1.0  # a vertical line through the centre
    out = T.apply_parameters("shear", image, {"angle": 45}, interpolation="nearest", fill_mode="constant")
    assert out[5, 5] == 1.0  # the centre row stays
    assert out[0, 0] == 1.0 and out[10, 10] == 1.0  # the line now runs corner to corner
    dot = np.zeros((11, 11))
    dot[4:7, 4:7] = 1.0
    big = T.apply_parameters("zoom", dot, {"factor": 2.0}, interpolation="nearest")
    small = T.apply_parameters("zoom", dot, {"factor": 0.5}, interpolation="nearest", fill_mode="constant")
    assert big.sum() > dot.sum() > small.sum()


def test_flips_follow_their_probability():
    image = ramp()
    assert np.array_equal(T.horizontal_flip(image, 1, rng_of()), image[:, ::-1])
    assert np.array_equal(T.vertical_flip(image, 1, rng_of()), image[::-1])
    assert np.array_equal(T.horizontal_flip(image, 0, rng_of()), image)
    flipped = T.apply_to_batch(np.repeat(image[None], 400, axis=0), "horizontal_flip", 0.5, rng_of(1))
    share = np.mean([np.array_equal(f, image[:, ::-1]) for f in flipped])
    assert 0.4 < share < 0.6


def test_photometric_transforms_change_pixels_as_documented():
    grey = np.full((4, 4, 3), 100, np.uint8)
    assert (T.apply_parameters("brightness", grey, {"delta": 0.2}) == 151).all()  # 100 + 0.2 * 255
    assert (T.apply_parameters("brightness", grey, {"delta": 0.5}, mode="multiplicative") == 150).all()
    assert (T.apply_parameters("brightness", grey, {"delta": 1.0}) == 255).all()  # clipped
    image = ramp().astype(np.float64) / 63
    flat = T.apply_parameters("contrast", image, {"factor": 0.0})
    assert np.allclose(flat, image.mean())
    assert T.apply_parameters("contrast", image, {"factor": 1.5}).std() > image.std()
    noisy = rng_of().random((16, 16))
    assert T.apply_parameters("blur", noisy, {"sigma": 2.0}).std() < noisy.std()
    assert T.apply_parameters("sharpen", noisy, {"amount": 1.0}, ).std() > noisy.std()
    assert np.array_equal(T.apply_parameters("blur", noisy, {"sigma": 0.0}), noisy)
    shifted = T.apply_parameters("channel_shift", grey, {"deltas": [0.1, 0.0, -0.1]})
    assert shifted[0, 0].tolist() == [126, 100, 74]
    assert np.array_equal(T.invert(ramp(), 1, rng_of()), 255 - ramp())
    assert np.allclose(T.invert(image, 1, rng_of()), 1 - image)


def test_float_images_on_their_own_range_stay_in_it():
    image = np.linspace(-2.0, 5.0, 48).reshape(4, 4, 3)
    assert T.value_range(image) == (-2.0, 5.0)
    out = T.brightness(image, 1.0, rng_of(), mode="additive")
    assert out.min() >= -2.0 and out.max() <= 5.0
    assert T.value_range(image * 0 + 0.5) == (0.0, 1.0)
    assert T.value_range(np.full((2, 2), 200.0)) == (0.0, 255.0)
    assert T.value_range(ramp()) == (0.0, 255.0)


def test_rescale_brings_uint8_into_zero_one():
    out = T.rescale(np.array([[0, 51, 255]], np.uint8))
    assert out.dtype == np.float32
    assert np.allclose(out, [[0.0, 0.2, 1.0]])
    assert np.allclose(T.rescale(np.array([2.0]), 0.5), [1.0])
    with pytest.raises(ValueError, match="factor"):
        T.rescale(ramp(), 0)
    with pytest.raises(TypeError, match="factor"):
        T.rescale(ramp(), "1/255")
    with pytest.raises(TypeError, match="image"):
        T.rescale([1, 2])
    with pytest.raises(TypeError, match="image"):
        T.rescale(np.array(["a"]))
    with pytest.raises(ValueError, match="image"):
        T.rescale(np.zeros((0, 3)))


# --------------------------------------------------------------------------- batches and explicit parameters


def test_apply_to_batch_takes_any_function_and_checks_its_input():
    batch = np.stack([ramp(), ramp() + 1])
    out = T.apply_to_batch(batch, lambda im, s, rng: im + s, 2, rng_of())
    assert np.array_equal(out, batch + 2)
    with pytest.raises(ValueError, match="name_or_fn must return"):
        T.apply_to_batch(batch, lambda im, s, rng: im[:2], 0, rng_of())
    with pytest.raises(TypeError, match="name_or_fn"):
        T.apply_to_batch(batch, 3, 0, rng_of())
    with pytest.raises(ValueError, match="name_or_fn"):
        T.apply_to_batch(batch, "twirl", 0, rng_of())
    with pytest.raises(TypeError, match="images"):
        T.apply_to_batch(batch.tolist(), "rotation", 0, rng_of())
    with pytest.raises(ValueError, match="images"):
        T.apply_to_batch(ramp()[0], "rotation", 0, rng_of())
    with pytest.raises(ValueError, match="images"):
        T.apply_to_batch(np.zeros((0, 4, 4), np.uint8), "rotation", 0, rng_of())
    with pytest.raises(TypeError, match="images"):
        T.apply_to_batch(np.zeros((2, 4, 4), bool), "rotation", 0, rng_of())
    with pytest.raises(TypeError, match="rng"):
        T.apply_to_batch(batch, "rotation", 0, None)


def test_apply_to_batch_keeps_per_image_float_ranges():
    batch = np.stack([np.linspace(0, 1, 16).reshape(4, 4), np.linspace(-5, 5, 16).reshape(4, 4)])
    out = T.apply_to_batch(batch, "brightness", 1.0, rng_of(2))
    assert out[0].min() >= 0 and out[0].max() <= 1
    assert out[1].min() >= -5 and out[1].max() <= 5


def test_apply_to_batch_handles_a_cifar_sized_batch():
    # No wall-clock assertion: timings depend on the machine's load, not on this code.
    batch = rng_of().integers(0, 256, size=(2000, 32, 32, 3), dtype=np.uint8)
    out = T.apply_to_batch(batch, "rotation", 30, rng_of(), fill_mode="reflect")
    assert out.shape == batch.shape and out.dtype == np.uint8
    assert np.mean(out != batch) > 0.5  # 2,000 random rotations change most pixels


def test_sample_and_apply_parameters_check_their_arguments():
    with pytest.raises(ValueError, match="shape"):
        T.sample_parameters("rotation", 10, rng_of(), (0, 4))
    with pytest.raises(ValueError, match="shape"):
        T.sample_parameters("rotation", 10, rng_of(), [4, 4])
    with pytest.raises(TypeError, match="name"):
        T.sample_parameters(None, 10, rng_of(), (4, 4))
    with pytest.raises(ValueError, match="name"):
        T.apply_parameters("spin", ramp(), {"angle": 1})
    with pytest.raises(TypeError, match="params"):
        T.apply_parameters("rotation", ramp(), 45)
    with pytest.raises(ValueError, match="params for rotation must have exactly the keys"):
        T.apply_parameters("rotation", ramp(), {"degrees": 45})
    with pytest.raises(TypeError, match=r"params\['flip'\]"):
        T.apply_parameters("horizontal_flip", ramp(), {"flip": 1})
    with pytest.raises(ValueError, match=r"params\['deltas'\]"):
        T.apply_parameters("channel_shift", np.zeros((4, 4, 3)), {"deltas": [0.1]})
    with pytest.raises(ValueError, match=r"params\['deltas'\]"):
        T.apply_parameters("channel_shift", np.zeros((4, 4, 3)), {"deltas": 0.1})
    with pytest.raises(TypeError, match=r"params\['dx'\]"):
        T.apply_parameters("crop_and_pad", ramp(), {"dy": 0, "dx": 0.5})
    with pytest.raises(ValueError, match=r"params\['factor'\]"):
        T.apply_parameters("zoom", ramp(), {"factor": 0})
    with pytest.raises(ValueError, match=r"params\['sigma'\]"):
        T.apply_parameters("blur", ramp(), {"sigma": -1})
    grey = T.sample_parameters("channel_shift", 0.1, rng_of(), (4, 4))
    assert len(grey["deltas"]) == 1


def test_registry_lists_every_transform_with_its_limits():
    assert list(T.TRANSFORMS) == [
        "rotation", "width_shift", "height_shift", "shear", "zoom", "horizontal_flip", "vertical_flip",
        "brightness", "contrast", "sharpen", "blur", "channel_shift", "crop_and_pad", "invert"]
    assert set(T.MAX_STRENGTH) == set(T.TRANSFORMS) == set(T.STRENGTH_UNITS) == set(T.PARAMETERS)
    assert T.MAX_STRENGTH["rotation"] == 180
    assert set(T.GEOMETRIC) <= set(T.TRANSFORMS)
    for name, fn in T.TRANSFORMS.items():
        assert fn.__name__ == name and fn.__doc__


# --------------------------------------------------------------------------- apply_batch: the vectorised engine


@settings(max_examples=15, deadline=None)
@given(name=st.sampled_from(NAMES), seed=st.integers(0, 1000), grey=st.booleans())
def test_apply_batch_equals_apply_parameters_image_by_image(name, seed, grey):
    rng = rng_of(seed)
    batch = rng.integers(0, 256, size=(4, 6, 7) if grey else (4, 6, 7, 3), dtype=np.uint8)
    drawn = [T.sample_parameters(name, T.MAX_STRENGTH[name] / 2, rng, batch.shape[1:]) for _ in batch]
    columns = {key: np.array([p[key] for p in drawn]) for key in T.PARAMETERS[name]}
    expected = np.stack([T.apply_parameters(name, im, p) for im, p in zip(batch, drawn)])
    assert np.array_equal(T.apply_batch(name, batch, columns), expected)


def test_apply_batch_broadcasts_one_value_and_takes_a_value_range():
    batch = np.stack([ramp(), ramp()]).astype(np.float32)
    turned = T.apply_batch("rotation", batch, {"angle": 90.0})
    assert np.allclose(turned, np.rot90(batch, axes=(1, 2)), atol=1e-4)
    dark = np.zeros((2, 3, 3, 1), np.float32)  # all pixels <= 1: alone it would count as a 0..1 image
    assert np.allclose(T.apply_batch("brightness", dark, {"delta": 0.1}), 0.1)
    assert np.allclose(T.apply_batch("brightness", dark, {"delta": 0.1}, value_range=(0, 255)), 25.5)
    flips = T.apply_batch("horizontal_flip", batch, {"flip": np.array([True, False])})
    assert np.array_equal(flips[0], batch[0][:, ::-1]) and np.array_equal(flips[1], batch[1])
    shifted = T.apply_batch("width_shift", batch, {"dx": np.array([2, -1]) / 8}, fill_mode="constant")
    assert np.array_equal(shifted[0, :, 2:], batch[0, :, :-2]) and np.all(shifted[0, :, :2] == 0)
    assert np.array_equal(shifted[1, :, :-1], batch[1, :, 1:])


@pytest.mark.parametrize("call, error, match", [
    (lambda b: T.apply_batch("spin", b, {"angle": 1}), ValueError, "name"),
    (lambda b: T.apply_batch("rotation", b.tolist(), {"angle": 1}), TypeError, "images"),
    (lambda b: T.apply_batch("rotation", b, 30), TypeError, "params"),
    (lambda b: T.apply_batch("rotation", b, {"degrees": 30}), ValueError, "exactly the keys"),
    (lambda b: T.apply_batch("rotation", b, {"angle": [1, 2, 3]}), ValueError, r"params\['angle'\]"),
    (lambda b: T.apply_batch("rotation", b, {"angle": [1, np.nan]}), ValueError, r"params\['angle'\]"),
    (lambda b: T.apply_batch("rotation", b, {"angle": ["a", "b"]}), TypeError, r"params\['angle'\]"),
    (lambda b: T.apply_batch("rotation", b, {"angle": [[1], [2, 3]]}), TypeError, r"params\['angle'\]"),
    (lambda b: T.apply_batch("horizontal_flip", b, {"flip": [1, 0]}), TypeError, r"params\['flip'\]"),
    (lambda b: T.apply_batch("horizontal_flip", b, {"flip": [True]}), ValueError, r"params\['flip'\]"),
    (lambda b: T.apply_batch("channel_shift", b, {"deltas": [0.1, 0.2]}), ValueError, r"params\['deltas'\]"),
    (lambda b: T.apply_batch("crop_and_pad", b, {"dy": 0.5, "dx": 0}), TypeError, r"params\['dy'\]"),
    (lambda b: T.apply_batch("zoom", b, {"factor": 0.0}), ValueError, r"params\['factor'\]"),
    (lambda b: T.apply_batch("blur", b, {"sigma": -1.0}), ValueError, r"params\['sigma'\]"),
    (lambda b: T.apply_batch("rotation", b, {"angle": 1}, value_range=(1, 0)), ValueError, "value_range"),
    (lambda b: T.apply_batch("rotation", b, {"angle": 1}, value_range=255), TypeError, "value_range"),
    (lambda b: T.apply_batch("rotation", b, {"angle": 1}, value_range=(0, np.inf)), ValueError, "value_range"),
    (lambda b: T.apply_batch("rotation", b, {"angle": 1}, fill_mode="mirror"), ValueError, "fill_mode"),
])
def test_apply_batch_rejects_bad_arguments_naming_them(call, error, match):
    with pytest.raises(error, match=match):
        call(np.zeros((2, 4, 4, 3), np.uint8))
