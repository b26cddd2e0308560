"""Tests for course_lib.checks.lesson06: feedback on a student's vectorised batch transform, judged against the
NumPy engine (course_lib.transforms)."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib import transforms as T
from course_lib.checks import Feedback
from course_lib.checks import lesson06
from course_lib.checks.lesson06 import check_batch_transform, reference_brightness, reference_height_shift


def shift(images, labels, pixels):
    h = images.shape[1]
    source = np.clip(np.arange(h)[None, :] - pixels[:, None], 0, h - 1)
    return images[np.arange(len(images))[:, None], source], labels


def shift_with_groups(images, labels, pixels):
    out = np.empty_like(images)
    for p in np.unique(pixels):  # a loop over the few distinct amounts is fine
        group = pixels == p
        out[group] = shift(images[group], labels[group], pixels[group])[0]
    return out, labels


def shift_looping(images, labels, pixels):
    out = np.empty_like(images)
    for i in range(len(images)):
        out[i] = shift(images[i:i + 1], labels[i:i + 1], pixels[i:i + 1])[0][0]
    return out, labels


def brighten(images, labels, deltas):
    return np.clip(images.astype(np.int16) + deltas[:, None, None, None], 0, 255).astype(np.uint8), labels


def message(fn, transform="height_shift") -> str:
    fb = check_batch_transform(fn, transform)
    assert isinstance(fb, Feedback) and not fb.correct, fb
    return fb.message


def test_the_references_are_the_engine():
    rng = np.random.default_rng(1)
    images = rng.integers(0, 256, size=(5, 7, 9, 3), dtype=np.uint8)
    labels = np.arange(5)
    rows = np.array([3, -2, 0, 6, -7])
    out, same = reference_height_shift(images, labels, rows)
    assert same is labels and out.dtype == np.uint8
    np.testing.assert_array_equal(out, T.apply_batch("height_shift", images, {"dy": rows / 7}))
    np.testing.assert_array_equal(out, shift(images, labels, rows)[0])  # whole pixels: exact, edge rows repeated
    levels = np.array([60, 0, -90, 250, -255])
    bright, _ = reference_brightness(images, labels, levels)
    np.testing.assert_array_equal(bright, brighten(images, labels, levels)[0])


def test_references_and_good_answers_are_correct():
    for fn in (shift, shift_with_groups, reference_height_shift):
        fb = check_batch_transform(fn)
        assert fb.correct, fb
        assert "up or down" in fb.message
    for fn in (brighten, reference_brightness):
        fb = check_batch_transform(fn, "brightness")
        assert fb.correct, fb
        assert "clips" in fb.message
    assert check_batch_transform(lambda x, y, p: (shift(x, y, p)[0], list(y))).correct


def test_loop_over_images():
    assert "one at a time" in message(shift_looping)
    assert "one at a time" in message(lambda x, y, d: (np.stack([brighten(im[None], y, d[i:i + 1])[0][0]
                                                                 for i, im in enumerate(x)]), y), "brightness")


def test_slow_answer(monkeypatch):
    def timed(fn, args, repeats, clock=None):  # no clock in the test: the reference takes 1 ms, the answer 0.3 s
        return 0.001 if fn is reference_height_shift else 0.3

    monkeypatch.setattr(lesson06, "_best_time", timed)
    assert "slow" in message(shift)
    monkeypatch.setattr(lesson06, "_best_time", lambda fn, args, repeats, clock=None: 0.001)
    assert check_batch_transform(shift).correct


def test_timing_stops_after_a_call_over_a_second():
    calls = []

    class Clock:
        now = 0.0

        def __call__(self):
            self.now += 0.75  # each reading: 0.75 s later, so each call "takes" 0.75 s
            return self.now

    def fn(*args):
        calls.append(args)

    assert lesson06._best_time(fn, (), 5, clock=Clock()) == pytest.approx(0.75)
    assert len(calls) == 5
    calls.clear()

    class SlowClock(Clock):
        def __call__(self):
            self.now += 1.5  # each call "takes" 1.5 s: one is enough to call the answer slow
            return self.now

    assert lesson06._best_time(fn, (), 5, clock=SlowClock()) == pytest.approx(1.5)
    assert len(calls) == 1


def test_an_answer_that_breaks_on_a_bigger_batch_gets_a_hint():
    def small_only(images, labels, pixels):
        if len(images) > 100:
            raise MemoryError("too big")
        return shift(images, labels, pixels)

    assert "512 images" in message(small_only)


def test_functions_that_reject_array_subclasses_are_still_checked():
    def strict(images, labels, pixels):
        if type(images) is not np.ndarray:
            raise TypeError("plain arrays only")
        return shift(images, labels, pixels)

    assert check_batch_transform(strict).correct


@pytest.mark.parametrize("fn, expected", [
    (lambda x, y, p: (np.swapaxes(shift(np.swapaxes(x, 1, 2), y, p)[0], 1, 2), y), "left/right"),
    (lambda x, y, p: shift(x, y, -p), "wrong way"),
    (lambda x, y, p: (np.stack([np.roll(im, k, axis=0) for im, k in zip(x, p)]), y), "np.roll"),
    (lambda x, y, p: (np.where(np.arange(x.shape[1])[None, :, None, None] - p[:, None, None, None] >= 0,
                               shift(x, y, p)[0], 0).astype(np.uint8), y), None),
    (lambda x, y, p: shift(x, y, p + np.sign(p)), "too far"),
    (lambda x, y, p: shift(x, y, p - np.sign(p)), "short"),
    (lambda x, y, p: shift(x, y, np.full_like(p, p[0])), "same amount"),
    (lambda x, y, p: (x.copy(), y), "unchanged"),
])
def test_shift_mistakes(fn, expected):
    text = message(fn)
    if expected:
        assert expected in text
    else:  # zeros only above a downward shift and edge rows elsewhere: no single known mistake
        assert "differ from the expected result" in text


def test_zero_and_mirror_fill():
    def filled(mode):
        def fn(x, y, p):
            h = x.shape[1]
            src = np.arange(h)[None, :] - p[:, None]
            if mode == "reflect":
                src = np.where(src < 0, -src - 1, np.where(src >= h, 2 * h - 1 - src, src))
            out = x[np.arange(len(x))[:, None], np.clip(src, 0, h - 1)]
            if mode == "zeros":
                out = np.where(((src >= 0) & (src < h))[:, :, None, None], out, 0).astype(np.uint8)
            return out, y
        return fn

    assert "black" in message(filled("zeros"))
    assert "mirror" in message(filled("reflect"))


def test_order_and_labels():
    def reorder_images_only(x, y, p):
        out, _ = shift(x, y, p)
        return out[::-1], y

    def reorder_both(x, y, p):
        out, _ = shift(x, y, p)
        return out[::-1], y[::-1]

    assert "no longer match" in message(reorder_images_only)
    assert "different order" in message(reorder_both)
    assert "labels came back changed" in message(lambda x, y, p: (shift(x, y, p)[0], np.sort(y)))
    assert "same length" in message(lambda x, y, p: (shift(x, y, p)[0], y[:3]))


def test_return_value_shape_and_dtype():
    assert "return two things" in message(lambda x, y, p: shift(x, y, p)[0])
    assert "return` missing" in message(lambda x, y, p: None)
    assert "NumPy array" in message(lambda x, y, p: (x.tolist(), y))
    assert "placeholder" in message(lambda x, y, p: (..., y))
    assert "shape" in message(lambda x, y, p: (x[:, 1:], y))
    assert "dtype changed from uint8 to float32" in message(lambda x, y, p: (shift(x, y, p)[0].astype(np.float32), y))
    assert "return uint8" in message(lambda x, y, p: (shift(x, y, p)[0] / 2.0, y))
    assert "dtype <U" in message(lambda x, y, p: (x.astype(str), y))


def test_in_place_and_exceptions():
    def in_place(x, y, p):
        x[:] = shift(x, y, p)[0]
        return x, y

    assert "in place" in message(in_place)
    assert "ZeroDivisionError" in message(lambda x, y, p: 1 / 0)
    assert "not a int" in message(42)
    assert "`...`" in message(...)
    assert "transform must be one of" in message(shift, "zoom")
    assert "transform must be one of" in message(shift, "shift_up_down")  # the engine's name is height_shift
    assert "transform must be one of" in message(shift, ["height_shift"])


def test_brightness_mistakes():
    def wraps(x, y, d):
        return (x.astype(np.int64) + d[:, None, None, None]).astype(np.uint8), y

    def unclipped(x, y, d):
        return x + d[:, None, None, None], y

    def in_place(x, y, d):
        np.add(x, d[:, None, None, None].astype(np.uint8), out=x, casting="unsafe")
        return x, y

    assert "wrapped around" in message(wraps, "brightness")
    assert "outside 0..255" in message(unclipped, "brightness")
    assert "wrong way" in message(lambda x, y, d: brighten(x, y, -d), "brightness")
    assert "same change" in message(lambda x, y, d: brighten(x, y, np.full_like(d, d[0])), "brightness")
    assert "in place" in message(in_place, "brightness")
    assert "dtype changed" in message(lambda x, y, d: (brighten(x, y, d)[0].astype(np.float64), y), "brightness")
    assert "differ from the expected" in message(lambda x, y, d: brighten(x, y, d // 2), "brightness")
