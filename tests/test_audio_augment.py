"""Audio augmentations of lesson 10 (the generated module), measured independently with NumPy and SciPy:
the SNR measured back, kept lengths and pitches (found by FFT), seeded noise, NaN refused, bounded sizes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import signal as sps

from course_lib.lessons import l10_beyond_images as L
from helpers import NOT_A_NUMBER, assert_rejects, bad_argument_cases

SR = 8000


def tone(freq=440.0, seconds=0.5, amplitude=1.0, dtype=np.float64):
    t = np.arange(int(SR * seconds)) / SR
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(dtype)


def peak_hz(x):
    """The strongest frequency of x, from a zero-padded NumPy FFT (independent of the module)."""
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x)), n=8 * len(x)))
    return np.argmax(spectrum) * SR / (8 * len(x))


def measured_snr(clean, noisy):
    """10 log10 of the power ratio, computed here with NumPy only."""
    clean, noisy = np.asarray(clean, np.float64), np.asarray(noisy, np.float64)
    return 10 * np.log10(np.mean(clean**2) / np.mean((noisy - clean) ** 2))


def rms(x):
    return float(np.sqrt(np.mean(np.square(x))))


@settings(max_examples=40, deadline=None)
@given(target=st.floats(-20, 60), amplitude=st.floats(1e-3, 100), seed=st.integers(0, 2**32 - 1))
def test_add_noise_hits_the_requested_snr(target, amplitude, seed):
    clean = tone(amplitude=amplitude, seconds=0.1)
    noisy = L.add_noise(clean, target, rng=seed)
    assert noisy.shape == clean.shape
    assert measured_snr(clean, noisy) == pytest.approx(target, abs=0.01)
    assert L.snr_db(clean, noisy) == pytest.approx(measured_snr(clean, noisy), abs=1e-9)


def test_snr_measures_a_known_ratio():
    clean = np.ones(100)
    noisy = clean + np.where(np.arange(100) % 2, 0.1, -0.1)  # noise power 0.01
    assert L.snr_db(clean, noisy) == pytest.approx(20.0)
    assert L.signal_power(np.full(10, 3.0)) == pytest.approx(9.0)
    assert L.signal_power(np.array([True, False])) == pytest.approx(0.5)


def test_add_noise_is_seeded_white_and_keeps_dtype():
    clean = tone(dtype=np.float32)
    a, b = L.add_noise(clean, 10, rng=1), L.add_noise(clean, 10, rng=1)
    np.testing.assert_array_equal(a, b)
    assert a.dtype == np.float32
    assert not np.array_equal(a, L.add_noise(clean, 10, rng=2))
    noise = L.add_noise(clean, 10, rng=np.random.default_rng(3)).astype(np.float64) - clean
    assert abs(noise.mean()) < 0.05 * noise.std()
    assert abs(np.corrcoef(noise[:-1], noise[1:])[0, 1]) < 0.1  # white: neighbours unrelated
    freqs, density = sps.welch(noise, fs=SR, nperseg=256)
    assert density[5:-5].max() / density[5:-5].min() < 3  # flat spectrum (Welch), as white noise has
    assert L.add_noise(np.arange(1, 10), 10, rng=0).dtype == np.float64


def test_time_shift_moves_and_fills_with_silence_or_wraps():
    x = np.arange(1.0, 6.0)
    np.testing.assert_array_equal(L.time_shift(x, 2), [0, 0, 1, 2, 3])
    np.testing.assert_array_equal(L.time_shift(x, -2), [3, 4, 5, 0, 0])
    np.testing.assert_array_equal(L.time_shift(x, 2, wrap=True), np.roll(x, 2))
    np.testing.assert_array_equal(L.time_shift(x, 0), x)
    np.testing.assert_array_equal(L.time_shift(x, 5), np.zeros(5))
    np.testing.assert_array_equal(L.time_shift(x, -5), np.zeros(5))


@pytest.mark.parametrize("rate", [0.5, 0.8, 1.25, 2.0])
def test_time_stretch_changes_length_keeps_pitch_and_roughly_loudness(rate):
    x = tone(440.0, seconds=1.0)
    out = L.time_stretch(x, rate)
    assert len(out) == round(len(x) / rate)
    assert peak_hz(out) == pytest.approx(440.0, abs=3.0)
    middle = out[len(out) // 4: 3 * len(out) // 4]
    assert 0.8 < rms(middle) / rms(x) < 1.1  # within about 1 dB


def test_time_stretch_at_rate_one_gives_the_signal_back():
    x = tone(330.0) * np.linspace(0, 1, int(SR * 0.5))
    np.testing.assert_allclose(L.time_stretch(x, 1.0), x, atol=1e-9)
    short = np.linspace(-1, 1, 100)  # shorter than one frame of n_fft = 1024 samples
    np.testing.assert_allclose(L.time_stretch(short, 1.0), short, atol=1e-9)


def test_time_stretch_matches_the_scipy_short_time_fourier_transform_frame_for_frame():
    """At rate 0.5 every second output frame is an input frame: same magnitudes as SciPy's STFT."""
    x = tone(500.0, seconds=1.0)
    out = L.time_stretch(x, 0.5, n_fft=512, hop=128)
    spec_in = np.abs(sps.stft(x, window="hann", nperseg=512, noverlap=384)[2])
    spec_out = np.abs(sps.stft(out, window="hann", nperseg=512, noverlap=384)[2])
    bin_500 = round(500 * 512 / SR)
    steady_in = np.median(spec_in[bin_500, 4:-4])
    steady_out = np.median(spec_out[bin_500, 4:-4])
    assert steady_out == pytest.approx(steady_in, rel=0.15)
    assert spec_out.shape[1] == pytest.approx(2 * spec_in.shape[1], abs=2)


@pytest.mark.parametrize("semitones", [-12, -3, 4, 12])
def test_pitch_shift_moves_the_frequency_and_keeps_the_length(semitones):
    x = tone(440.0, seconds=1.0, dtype=np.float32)
    out = L.pitch_shift(x, semitones)
    assert out.shape == x.shape and out.dtype == np.float32
    assert peak_hz(out) == pytest.approx(440.0 * 2 ** (semitones / 12), rel=0.01)


def test_pitch_shift_keeps_when_a_note_starts():
    x = np.concatenate([np.zeros(SR // 2), tone(440.0, seconds=0.5)])
    out = L.pitch_shift(x, 5)
    loud = np.flatnonzero(np.abs(out) > 0.3)
    assert abs(loud[0] - SR // 2) < 0.05 * SR  # onset within 50 ms of where it was


def test_spectrogram_is_scipys_in_decibels_and_finds_the_tone():
    x = tone(1000.0)
    freqs, times, db = L.spectrogram(x, SR, nperseg=256)
    ref_f, ref_t, ref_power = sps.spectrogram(x, fs=SR, window="hann", nperseg=256, noverlap=192)
    np.testing.assert_allclose(freqs, ref_f)
    np.testing.assert_allclose(times, ref_t)
    np.testing.assert_allclose(db, np.maximum(10 * np.log10(np.maximum(ref_power, 1e-30)), -100.0))
    assert freqs[np.argmax(db.mean(axis=1))] == pytest.approx(1000.0, abs=SR / 256)
    silent_db = L.spectrogram(np.zeros(1000), SR, floor_db=-90)[2]
    assert np.all(silent_db == -90)
    assert L.spectrogram(tone(seconds=0.01), SR, nperseg=512)[2].shape[0] == 80 // 2 + 1  # short signal


@pytest.mark.parametrize("func, extra", [
    (L.add_noise, {"snr_db": 10, "rng": 0}), (L.time_shift, {"shift": 1}), (L.time_stretch, {"rate": 1.0}),
    (L.pitch_shift, {"semitones": 2}), (L.spectrogram, {"sample_rate": SR}), (L.signal_power, {}),
])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_or_inf_samples_are_refused_not_passed_on(func, extra, bad):
    x = tone()
    x[100] = bad
    with pytest.raises(ValueError, match=r"^signal must hold finite samples"):
        func(x, **extra)


def test_snr_db_refuses_nan_in_either_signal():
    clean, noisy = tone(), L.add_noise(tone(), 10, rng=0)
    noisy[3] = np.nan
    with pytest.raises(ValueError, match=r"^noisy must hold finite"):
        L.snr_db(clean, noisy)
    with pytest.raises(ValueError, match=r"^clean must hold finite"):
        L.snr_db(noisy, clean)


def test_absurd_frame_sizes_are_refused_before_any_work():
    with pytest.raises(ValueError, match=r"^n_fft must be <= 32768"):  # a huge n_fft never returned
        L.time_stretch(tone(), 1.0, n_fft=10**9)
    with pytest.raises(ValueError, match=r"^hop must be >= 64"):  # 16-fold overlap at most
        L.time_stretch(tone(), 1.0, n_fft=1024, hop=8)
    with pytest.raises(ValueError, match=r"^nperseg must be <= 32768"):
        L.spectrogram(tone(), SR, nperseg=10**9)
    assert len(L.time_stretch(tone(), 1.0, n_fft=L.MAX_FRAME, hop=L.MAX_FRAME // 2)) == len(tone())


SIGNAL = tone()
NOT_A_SIGNAL = ([0.1, 0.2], np.zeros((2, 2)), np.array(["a", "b"]), np.array([]), None)
CASES = (
    bad_argument_cases(L.add_noise, {"signal": SIGNAL, "snr_db": 10, "rng": 0},
                       {"signal": NOT_A_SIGNAL + (np.zeros(10),), "snr_db": NOT_A_NUMBER + (500, -100),
                        "rng": ("x", None, -1, 1.5)})
    + bad_argument_cases(L.snr_db, {"clean": SIGNAL, "noisy": SIGNAL + 0.1},
                         {"clean": NOT_A_SIGNAL, "noisy": NOT_A_SIGNAL + (SIGNAL, SIGNAL[:10])})
    + bad_argument_cases(L.signal_power, {"signal": SIGNAL}, {"signal": NOT_A_SIGNAL})
    + bad_argument_cases(L.time_shift, {"signal": SIGNAL, "shift": 3},
                         {"signal": NOT_A_SIGNAL, "shift": (1.5, 10**6, -10**6, "3", None, True, np.array([1])),
                          "wrap": ("yes", 1, None)})
    + bad_argument_cases(L.time_stretch, {"signal": SIGNAL, "rate": 1.0},
                         {"signal": NOT_A_SIGNAL + (np.zeros(1),), "rate": NOT_A_NUMBER + (0, 20, 0.01),
                          "n_fft": (8, 10**9, 1024.0, None, True, np.array([512])),
                          "hop": (0, 1, 600, 2.5, None, np.array([128]))})
    + bad_argument_cases(L.pitch_shift, {"signal": SIGNAL, "semitones": 2},
                         {"signal": NOT_A_SIGNAL, "semitones": NOT_A_NUMBER + (30, -30),
                          "n_fft": (1.5, 10**6), "hop": (10**6,)})
    + bad_argument_cases(L.spectrogram, {"signal": SIGNAL, "sample_rate": SR},
                         {"signal": NOT_A_SIGNAL, "sample_rate": NOT_A_NUMBER + (0, 1e12),
                          "nperseg": (4, 10**9, 256.0, None), "floor_db": NOT_A_NUMBER + (10,)})
)


@pytest.mark.parametrize("func, good, arg, value", CASES)
def test_every_invalid_argument_is_named(func, good, arg, value):
    error = assert_rejects(func, good, arg, value)
    assert str(error).startswith(arg)
