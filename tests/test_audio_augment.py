"""Audio augmentations: measured SNR, kept lengths and pitches, seeded noise, named errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import audio_augment as aa

SR = 8000


def tone(freq=440.0, seconds=0.5, amplitude=1.0, dtype=np.float64):
    t = np.arange(int(SR * seconds)) / SR
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(dtype)


def peak_hz(x):
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x)), n=8 * len(x)))
    return np.argmax(spectrum) * SR / (8 * len(x))


def rms(x):
    return float(np.sqrt(np.mean(np.square(x))))


@settings(max_examples=40, deadline=None)
@given(target=st.floats(-20, 60), amplitude=st.floats(1e-3, 100), seed=st.integers(0, 2**32 - 1))
def test_add_noise_hits_the_requested_snr(target, amplitude, seed):
    clean = tone(amplitude=amplitude, seconds=0.1)
    noisy = aa.add_noise(clean, target, rng=seed)
    assert noisy.shape == clean.shape
    assert aa.snr_db(clean, noisy) == pytest.approx(target, abs=0.01)


def test_snr_measures_a_known_ratio():
    clean = np.ones(100)
    noisy = clean + np.where(np.arange(100) % 2, 0.1, -0.1)  # noise power 0.01
    assert aa.snr_db(clean, noisy) == pytest.approx(20.0)
    assert aa.signal_power(np.full(10, 3.0)) == pytest.approx(9.0)


def test_add_noise_is_seeded_white_and_keeps_dtype():
    clean = tone(dtype=np.float32)
    a, b = aa.add_noise(clean, 10, rng=1), aa.add_noise(clean, 10, rng=1)
    np.testing.assert_array_equal(a, b)
    assert a.dtype == np.float32
    assert not np.array_equal(a, aa.add_noise(clean, 10, rng=2))
    noise = aa.add_noise(clean, 10, rng=np.random.default_rng(3)).astype(np.float64) - clean
    assert abs(noise.mean()) < 0.05 * noise.std()
    assert abs(np.corrcoef(noise[:-1], noise[1:])[0, 1]) < 0.1  # white: neighbours unrelated
    assert aa.add_noise(np.arange(1, 10), 10, rng=0).dtype == np.float64


def test_time_shift_moves_and_fills_with_silence_or_wraps():
    x = np.arange(1.0, 6.0)
    np.testing.assert_array_equal(aa.time_shift(x, 2), [0, 0, 1, 2, 3])
    np.testing.assert_array_equal(aa.time_shift(x, -2), [3, 4, 5, 0, 0])
    np.testing.assert_array_equal(aa.time_shift(x, 2, wrap=True), [4, 5, 1, 2, 3])
    np.testing.assert_array_equal(aa.time_shift(x, 0), x)
    np.testing.assert_array_equal(aa.time_shift(x, 5), np.zeros(5))


@pytest.mark.parametrize("rate", [0.5, 0.8, 1.25, 2.0])
def test_time_stretch_changes_length_keeps_pitch_and_roughly_loudness(rate):
    x = tone(440.0, seconds=1.0)
    out = aa.time_stretch(x, rate)
    assert len(out) == round(len(x) / rate)
    assert peak_hz(out) == pytest.approx(440.0, abs=3.0)
    middle = out[len(out) // 4: 3 * len(out) // 4]
    assert 0.8 < rms(middle) / rms(x) < 1.1  # within about 1 dB


def test_time_stretch_at_rate_one_gives_the_signal_back():
    x = tone(330.0) * np.linspace(0, 1, int(SR * 0.5))
    np.testing.assert_allclose(aa.time_stretch(x, 1.0), x, atol=1e-9)


@pytest.mark.parametrize("semitones", [-12, -3, 4, 12])
def test_pitch_shift_moves_the_frequency_and_keeps_the_length(semitones):
    x = tone(440.0, seconds=1.0, dtype=np.float32)
    out = aa.pitch_shift(x, semitones)
    assert out.shape == x.shape and out.dtype == np.float32
    assert peak_hz(out) == pytest.approx(440.0 * 2 ** (semitones / 12), rel=0.01)


def test_pitch_shift_keeps_when_a_note_starts():
    x = np.concatenate([np.zeros(SR // 2), tone(440.0, seconds=0.5)])
    out = aa.pitch_shift(x, 5)
    loud = np.flatnonzero(np.abs(out) > 0.3)
    assert abs(loud[0] - SR // 2) < 0.05 * SR  # onset within 50 ms of where it was


def test_spectrogram_finds_the_tone():
    freqs, times, db = aa.spectrogram(tone(1000.0), SR, nperseg=256)
    assert db.shape == (len(freqs), len(times))
    assert freqs[np.argmax(db.mean(axis=1))] == pytest.approx(1000.0, abs=SR / 256)
    assert times[-1] <= 0.5
    assert db.min() >= -100.0
    silent_db = aa.spectrogram(np.zeros(1000), SR, floor_db=-90)[2]
    assert np.all(silent_db == -90)
    assert aa.spectrogram(tone(seconds=0.01), SR, nperseg=512)[2].shape[0] == 80 // 2 + 1  # short signal


BAD_CALLS = [
    (lambda: aa.add_noise([0.1, 0.2], 10, rng=0), TypeError, "signal"),
    (lambda: aa.add_noise(np.zeros((2, 2)), 10, rng=0), ValueError, "signal"),
    (lambda: aa.add_noise(np.zeros(10), 10, rng=0), ValueError, "signal"),
    (lambda: aa.add_noise(tone(), "loud", rng=0), TypeError, "snr_db"),
    (lambda: aa.add_noise(tone(), float("inf"), rng=0), ValueError, "snr_db"),
    (lambda: aa.add_noise(tone(), 500, rng=0), ValueError, "snr_db"),
    (lambda: aa.add_noise(tone(), 10, rng="x"), TypeError, "rng"),
    (lambda: aa.snr_db(tone(), tone()), ValueError, "noisy"),
    (lambda: aa.snr_db(tone(), tone()[:10]), ValueError, "noisy"),
    (lambda: aa.snr_db("a", tone()), TypeError, "clean"),
    (lambda: aa.signal_power(np.array([])), ValueError, "signal"),
    (lambda: aa.time_shift(tone(), 1.5), TypeError, "shift"),
    (lambda: aa.time_shift(tone(), 10**6), ValueError, "shift"),
    (lambda: aa.time_shift(tone(), 3, wrap="yes"), TypeError, "wrap"),
    (lambda: aa.time_stretch(tone(), 0), ValueError, "rate"),
    (lambda: aa.time_stretch(tone(), 20), ValueError, "rate"),
    (lambda: aa.time_stretch(np.zeros(1), 1.0), ValueError, "signal"),
    (lambda: aa.time_stretch(tone(), 1.0, n_fft=8), ValueError, "n_fft"),
    (lambda: aa.time_stretch(tone(), 1.0, hop=0), ValueError, "hop"),
    (lambda: aa.time_stretch(tone(), 1.0, n_fft=256, hop=200), ValueError, "hop"),
    (lambda: aa.pitch_shift(tone(), 30), ValueError, "semitones"),
    (lambda: aa.pitch_shift(tone(), None), TypeError, "semitones"),
    (lambda: aa.pitch_shift(tone(), 2, n_fft=1.5), TypeError, "n_fft"),
    (lambda: aa.spectrogram(tone(), 0), ValueError, "sample_rate"),
    (lambda: aa.spectrogram(tone(), SR, nperseg=4), ValueError, "nperseg"),
    (lambda: aa.spectrogram(tone(), SR, floor_db=10), ValueError, "floor_db"),
]


@pytest.mark.parametrize("call, error, name", BAD_CALLS)
def test_every_invalid_argument_is_named(call, error, name):
    with pytest.raises(error, match=rf"^{name} "):
        call()
