"""RandomAffine and lesson 05's affine_transforms (course_lib.lessons.l05_keras_layers_and_tfdata, generated
from the lesson's #@save cell): the composed matrices follow the NumPy engine's conventions, the layer draws what
it promises, and it is faithful to Keras's conventions (identity outside training, seeds, saving)."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from course_lib import layers as L
from course_lib import transforms as T
from course_lib.layers import RandomAffine
from course_lib.lessons.l05_keras_layers_and_tfdata import affine_transforms
from course_lib.reproducibility import set_seed

from helpers import NOT_A_COUNT, assert_rejects, bad_argument_cases


def _apply(images, angles, dx, dy, flips, interpolation="nearest", fill_mode="constant"):
    images = np.asarray(images, dtype=np.float32)
    t = affine_transforms(angles, dx, dy, flips, height=images.shape[1], width=images.shape[2])
    out = keras.ops.image.affine_transform(images, t, interpolation=interpolation, fill_mode=fill_mode,
                                           fill_value=-1.0)
    return keras.ops.convert_to_numpy(out)


def _ramp(n=1, size=5, channels=1):
    return np.arange(n * size * size * channels, dtype=np.float32).reshape(n, size, size, channels)


# --------------------------------------------------------------------------- the matrices


def test_no_change_is_the_identity():
    x = _ramp(2, 6, 3)
    np.testing.assert_array_equal(_apply(x, [0, 0], [0, 0], [0, 0], [0, 0], interpolation="bilinear"), x)


def test_flip_mirrors_left_right():
    x = _ramp(1, 5)
    np.testing.assert_array_equal(_apply(x, [0], [0], [0], [1]), x[:, :, ::-1])


def test_positive_angle_turns_counterclockwise_like_rot90():
    x = _ramp(1, 5)
    np.testing.assert_array_equal(_apply(x, [90], [0], [0], [0])[0, :, :, 0], np.rot90(x[0, :, :, 0], k=1))
    np.testing.assert_array_equal(_apply(x, [-90], [0], [0], [0])[0, :, :, 0], np.rot90(x[0, :, :, 0], k=-1))


def test_positive_dx_moves_right_and_positive_dy_moves_down():
    x = _ramp(1, 5)
    right = _apply(x, [0], [2], [0], [0])
    np.testing.assert_array_equal(right[0, :, 2:], x[0, :, :-2])
    assert (right[0, :, :2] == -1).all()  # uncovered columns get the fill value
    down = _apply(x, [0], [0], [1], [0])
    np.testing.assert_array_equal(down[0, 1:], x[0, :-1])
    assert (down[0, :1] == -1).all()


def test_order_is_mirror_then_turn_then_move():
    x = _ramp(1, 5)
    expected = np.full_like(x, -1.0)
    turned = np.rot90(x[0, :, ::-1, 0], k=1)  # mirror, then a quarter turn counterclockwise
    expected[0, :, 1:, 0] = turned[:, :-1]  # then one pixel to the right
    np.testing.assert_array_equal(_apply(x, [90], [1], [0], [1]), expected)


def test_one_row_per_image_and_float32():
    t = keras.ops.convert_to_numpy(affine_transforms(np.zeros(3), np.zeros(3), np.zeros(3), np.zeros(3),
                                                     height=4, width=4))
    assert t.shape == (3, 8) and t.dtype == np.float32
    np.testing.assert_array_equal(t, np.tile([1, 0, 0, 0, 1, 0, 0, 0], (3, 1)))


def test_the_layer_uses_the_lessons_function():
    assert L.affine_transforms is affine_transforms  # one copy: the lesson's #@save cell


def _engine(images, angles, dx, dy, flips, *, fill_mode="constant", interpolation="bilinear"):
    """Mirror, turn, then move, each one call of the NumPy engine (shifts in pixels -> fractions of the size)."""
    h, w = images.shape[1:3]
    out = T.apply_batch("horizontal_flip", images, {"flip": np.asarray(flips, bool)})
    out = T.apply_batch("rotation", out, {"angle": np.asarray(angles, float)}, value_range=(-1, 255),
                        fill_mode=fill_mode, cval=-1.0, interpolation=interpolation)
    out = T.apply_batch("width_shift", out, {"dx": np.asarray(dx, float) / w}, value_range=(-1, 255),
                        fill_mode=fill_mode, cval=-1.0)
    return T.apply_batch("height_shift", out, {"dy": np.asarray(dy, float) / h}, value_range=(-1, 255),
                         fill_mode=fill_mode, cval=-1.0)


@pytest.mark.parametrize("fill_mode", ["constant", "nearest", "reflect"])
def test_whole_pixel_shifts_flips_and_quarter_turns_match_the_engine_exactly(fill_mode):
    x = np.random.default_rng(0).uniform(0, 255, (4, 12, 12, 3)).astype(np.float32)
    moves = ([0, 0, 0, 0], [2, -3, 0, 1], [1, 0, -2, 3], [0, 1, 0, 1])
    np.testing.assert_array_equal(_apply(x, *moves, fill_mode=fill_mode), _engine(x, *moves, fill_mode=fill_mode))
    turns = ([90, -90, 180, 270], [1, -2, 3, 0], [2, 0, -1, 1], [1, 0, 1, 1])
    np.testing.assert_array_equal(_apply(x, *turns, fill_mode=fill_mode),
                                  _engine(x, *turns, fill_mode=fill_mode, interpolation="nearest"))
    np.testing.assert_allclose(_apply(x, *turns, interpolation="bilinear", fill_mode=fill_mode),
                               _engine(x, *turns, fill_mode=fill_mode), atol=1e-2)


def test_any_angle_matches_the_engine_within_interpolation_tolerance():
    x = np.random.default_rng(1).uniform(0, 255, (4, 17, 21, 3)).astype(np.float32)  # not square, odd and even
    args = ([13.0, -27.0, 40.0, 5.0], [2, -1, 0, 3], [0, 1, -2, 0], [0, 1, 1, 0])
    ours = _apply(x, *args, interpolation="bilinear")
    engine = _engine(x, *args)
    inside = np.abs(ours - engine)[:, 5:-5, 5:-5]  # at the border the engine fills after each step, we once
    assert inside.max() < 1e-2
    assert np.abs(ours - x).mean() > 10  # and the change is real


def test_it_runs_in_graph_mode():
    import tensorflow as tf

    @tf.function
    def rows(angles):
        return affine_transforms(angles, angles * 0, angles * 0, angles * 0, height=4, width=4)

    out = rows(tf.constant([0.0, 90.0]))
    np.testing.assert_allclose(out.numpy()[0], [1, 0, 0, 0, 1, 0, 0, 0], atol=1e-6)


GOOD_ROWS = {"angles_degrees": [0.0], "dx": [0.0], "dy": [0.0], "flips": [False], "height": 4, "width": 4}


@pytest.mark.parametrize("func, good, arg, value", bad_argument_cases(affine_transforms, GOOD_ROWS, {
    "angles_degrees": [np.zeros((2, 2)), [float("nan")], ["a"], 3.0, [float("inf")]],
    "dx": [[np.nan], "left", [[1.0]]],
    "dy": [[-np.inf], None],
    "flips": [["yes"], 1],
    "height": NOT_A_COUNT,
    "width": NOT_A_COUNT,
}))
def test_every_bad_matrix_argument_is_named(func, good, arg, value):
    assert_rejects(func, good, arg, value)


def test_matrix_inputs_must_have_one_length():
    with pytest.raises(ValueError, match="one length"):
        affine_transforms([0, 0], [0], [0], [0], height=4, width=4)


# --------------------------------------------------------------------------- the layer


def test_identity_outside_training():
    x = _ramp(4, 8, 3)
    layer = RandomAffine(30, 0.2, 0.2, True, seed=1)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(layer(x, training=False)), x)


def test_no_ranges_changes_nothing_in_training():
    x = _ramp(4, 8, 3)
    out = keras.ops.convert_to_numpy(RandomAffine(seed=1)(x, training=True))
    np.testing.assert_allclose(out, x, atol=1e-3)


def test_flip_only_gives_each_image_or_its_mirror_and_both_occur():
    x = np.random.default_rng(0).uniform(0, 255, (64, 6, 6, 3)).astype(np.float32)
    out = keras.ops.convert_to_numpy(RandomAffine(horizontal_flip=True, seed=3)(x, training=True))
    same = [np.allclose(o, i, atol=1e-3) for o, i in zip(out, x)]
    mirrored = [np.allclose(o, i[:, ::-1], atol=1e-3) for o, i in zip(out, x)]
    assert all(s or m for s, m in zip(same, mirrored))
    assert 10 < sum(mirrored) < 54


def test_shifts_stay_within_their_range_and_use_it():
    size, shift = 20, 0.1  # at most 2 pixels either way
    x = _ramp(64, size)
    layer = RandomAffine(width_shift=shift, height_shift=shift, interpolation="nearest", fill_mode="constant",
                         fill_value=-1.0, seed=5)
    out = keras.ops.convert_to_numpy(layer(x, training=True))
    found = []
    for o in out:
        centre = o[size // 2, size // 2, 0]  # the ramp value tells where the centre pixel came from
        row, col = divmod(int(centre) % (size * size), size)
        found.append((size // 2 - col, size // 2 - row))  # (moved right, moved down)
    dxs, dys = zip(*found)
    assert max(map(abs, dxs)) <= 2 and max(map(abs, dys)) <= 2
    assert {min(dxs), max(dxs)} == {-2, 2} and {min(dys), max(dys)} == {-2, 2}


def test_rotation_keeps_the_centre_pixel_and_changes_the_rest():
    x = np.random.default_rng(1).uniform(0, 255, (16, 9, 9, 1)).astype(np.float32)
    out = keras.ops.convert_to_numpy(RandomAffine(45, interpolation="nearest", seed=2)(x, training=True))
    np.testing.assert_array_equal(out[:, 4, 4], x[:, 4, 4])
    assert np.mean(np.abs(out - x) > 1e-3) > 0.5


def test_brightness_adds_one_offset_per_image_within_range_and_clips():
    x = np.full((64, 4, 4, 3), 100.0, np.float32)
    out = keras.ops.convert_to_numpy(RandomAffine(brightness=0.1, seed=4)(x, training=True))
    offsets = out[:, 0, 0, 0] - 100.0
    np.testing.assert_allclose(out, offsets[:, None, None, None] + x, atol=1e-3)  # one offset per image
    assert np.abs(offsets).max() <= 25.5 + 1e-3 and np.abs(offsets).max() > 20  # up to 0.1 x 255, and used
    assert (offsets > 0).sum() > 10 and (offsets < 0).sum() > 10
    bright = keras.ops.convert_to_numpy(RandomAffine(brightness=1.0, value_range=(0, 1), seed=4)(x / 100, training=True))
    assert bright.min() >= 0.0 and bright.max() <= 1.0 and ((bright == 0) | (bright == 1)).any()


def test_same_seed_same_draws_and_different_seed_different_draws():
    x = _ramp(8, 10, 3)
    a = keras.ops.convert_to_numpy(RandomAffine(20, 0.1, 0.1, True, 0.1, seed=7)(x, training=True))
    b = keras.ops.convert_to_numpy(RandomAffine(20, 0.1, 0.1, True, 0.1, seed=7)(x, training=True))
    c = keras.ops.convert_to_numpy(RandomAffine(20, 0.1, 0.1, True, 0.1, seed=8)(x, training=True))
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


def test_one_image_and_integer_dtype_are_kept():
    x = np.random.default_rng(2).integers(0, 256, (12, 12, 3)).astype(np.uint8)
    out = RandomAffine(10, 0.1, 0.1, True, seed=1)(x, training=True)
    assert tuple(out.shape) == (12, 12, 3) and keras.ops.convert_to_numpy(out).dtype == np.uint8


def test_one_resampling_blurs_less_than_keras_rotation_then_translation():
    set_seed(0)
    x = np.random.default_rng(3).uniform(0, 255, (64, 32, 32, 3)).astype(np.float32)
    fused = RandomAffine(15, 0.1, 0.1, seed=1)
    stock = keras.Sequential([keras.layers.RandomRotation(15 / 360, fill_mode="nearest", seed=1),
                              keras.layers.RandomTranslation(0.1, 0.1, fill_mode="nearest", seed=2)])

    def detail(images):  # mean squared difference of neighbouring pixels: falls as images blur
        images = keras.ops.convert_to_numpy(images)
        return float(np.mean(np.diff(images, axis=2) ** 2))

    assert detail(fused(x, training=True)) > 1.5 * detail(stock(x, training=True))


@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")  # inside Keras predict
def test_works_in_tf_data_and_inside_a_model_and_is_saved(tmp_path):
    from course_lib.pipeline import prepare

    set_seed(0)
    x = np.random.default_rng(4).uniform(0, 255, (32, 16, 16, 3)).astype(np.float32)
    y = np.arange(32) % 2
    layer = RandomAffine(20, 0.1, 0.1, True, seed=1)
    (batch, _), = list(prepare(x, y, batch_size=32, augment=layer))
    assert batch.shape == (32, 16, 16, 3) and not np.allclose(batch.numpy(), x)

    model = keras.Sequential([keras.Input((16, 16, 3)), RandomAffine(20, 0.1, 0.1, True, seed=1),
                              keras.layers.Flatten(), keras.layers.Dense(2, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(x, y, epochs=1, verbose=0)
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    assert isinstance(loaded.layers[0], RandomAffine)
    assert loaded.layers[0].get_config() == model.layers[0].get_config()
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5)


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"rotation_degrees": 200}, ValueError, "rotation_degrees must be <= 180"),
    ({"width_shift": -0.1}, ValueError, "width_shift must be >= 0"),
    ({"height_shift": "a lot"}, TypeError, "height_shift must be a number"),
    ({"horizontal_flip": "yes"}, TypeError, "horizontal_flip must be True or False"),
    ({"fill_mode": "mirrored"}, ValueError, "fill_mode must be one of"),
    ({"interpolation": "bicubic"}, ValueError, "interpolation must be one of"),
    ({"seed": -1}, ValueError, "seed must be >= 0"),
    ({"brightness": 2}, ValueError, "brightness must be <= 1"),
    ({"value_range": 255}, TypeError, "value_range must be a pair"),
    ({"value_range": (255, 0)}, ValueError, "value_range must have low < high"),
    ({"value_range": (0, "max")}, TypeError, "value_range\\[1\\] must be a number"),
])
def test_arguments_are_checked(kwargs, error, message):
    with pytest.raises(error, match=message):
        RandomAffine(**kwargs)


def test_inputs_must_be_images():
    with pytest.raises(ValueError, match="inputs must be one H x W x C image or a batch"):
        RandomAffine(10, seed=0)(np.zeros((4, 4), np.float32), training=True)
