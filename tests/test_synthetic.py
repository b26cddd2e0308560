"""The lesson's synthetic signals: note frequencies, melody shape, gesture dataset."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib import synthetic as sy


@pytest.mark.parametrize("note, hz", [("A4", 440.0), ("A3", 220.0), ("C4", 261.6256), ("C#5", 554.3653),
                                      ("Bb3", 233.0819), ("E0", 20.6017), ("E-1", 10.30086)])
def test_note_frequency(note, hz):
    assert sy.note_frequency(note) == pytest.approx(hz, rel=1e-5)


def test_melody_lengths_peak_and_pitch():
    sr = 8000
    x = sy.melody(["A4", 440.0, "A5"], sample_rate=sr, note_seconds=0.5)
    assert x.dtype == np.float32 and x.shape == (3 * 4000,)
    assert np.abs(x).max() == pytest.approx(0.8)
    first = np.abs(np.fft.rfft(x[:4000]))
    assert np.argmax(first) * sr / 4000 == pytest.approx(440.0, abs=2)
    third = np.abs(np.fft.rfft(x[8000:]))
    assert np.argmax(third) * sr / 4000 == pytest.approx(880.0, abs=2)
    np.testing.assert_array_equal(x[:4000], x[4000:8000])  # a name and its frequency sound the same


def test_gesture_recordings_shape_labels_and_seed():
    x, y = sy.gesture_recordings(5, length=64, rng=0)
    assert x.shape == (20, 64, 1) and x.dtype == np.float32
    assert y.dtype == np.int64 and np.bincount(y).tolist() == [5, 5, 5, 5]
    assert len(sy.GESTURES) == 4
    x2, y2 = sy.gesture_recordings(5, length=64, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(x, sy.gesture_recordings(5, length=64, rng=1)[0])


def test_gestures_differ_by_class():
    x, y = sy.gesture_recordings(200, rng=3)
    means = np.stack([x[y == c, :, 0].mean(axis=0) for c in range(4)])
    swipe = means[1]
    assert swipe[:10].mean() < -0.5 and swipe[-10:].mean() > 0.5  # from one side to the other
    assert means[2].max() > 0.3 and means[2].min() > -0.3  # taps only go one way
    assert abs(means[0, :, None] - means[3, :, None]).max() > 0.3


BAD_CALLS = [
    (lambda: sy.note_frequency(440), TypeError, "note"),
    (lambda: sy.note_frequency("H2"), ValueError, "note"),
    (lambda: sy.melody("A4"), TypeError, "notes"),
    (lambda: sy.melody([]), TypeError, "notes"),
    (lambda: sy.melody(["A4", "Z9"]), ValueError, "notes"),
    (lambda: sy.melody([-5.0]), ValueError, "notes"),
    (lambda: sy.melody(["A4"], sample_rate=100), ValueError, "sample_rate"),
    (lambda: sy.melody(["A4"], sample_rate=44100.0), TypeError, "sample_rate"),
    (lambda: sy.melody(["A4"], note_seconds=0), ValueError, "note_seconds"),
    (lambda: sy.melody(["A7"], sample_rate=8000), ValueError, "notes"),
    (lambda: sy.gesture_recordings(0, rng=0), ValueError, "n_per_class"),
    (lambda: sy.gesture_recordings(2, length=8, rng=0), ValueError, "length"),
    (lambda: sy.gesture_recordings(2, rng="0"), TypeError, "rng"),
]


@pytest.mark.parametrize("call, error, name", BAD_CALLS)
def test_every_invalid_argument_is_named(call, error, name):
    with pytest.raises(error, match=rf"^{name} "):
        call()
