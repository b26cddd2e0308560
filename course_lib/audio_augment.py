"""Augmentations for sound, in NumPy and SciPy, plus a spectrogram for looking at them.

A signal is a 1-D NumPy array of samples (mono), e.g. from
:func:`course_lib.synthetic.melody`. Every function returns a new float
array and leaves its input alone.

* :func:`add_noise` - add white noise at a chosen signal-to-noise ratio (dB);
  :func:`snr_db` measures that ratio. Keeps length, timing and pitch.
* :func:`time_shift` - move the sound earlier or later. Keeps length and pitch.
* :func:`time_stretch` - play faster or slower **without changing the pitch**
  (a phase vocoder). Changes the length to ``len / rate``.
* :func:`pitch_shift` - raise or lower the pitch by semitones **without
  changing the length** (time stretch, then resample).
* :func:`spectrogram` - power in decibels per frequency and time (``scipy.signal``).

Time stretch and pitch shift work on short overlapping frames (the
short-time Fourier transform, ``n_fft`` samples each, ``hop`` apart). They
keep the frequencies and, roughly, their loudness (a steady tone can come
out up to about 1 dB quieter: the frames' phases no longer line up perfectly,
the phase vocoder's known "phasiness"); sharp onsets (clicks, consonants) are
smeared over about one frame, ``n_fft / sample_rate`` seconds. A pitch shift
moves *every* frequency, the harmonics that make a voice sound like a
particular person included.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy import signal as sps

from . import _random, _validate


def _signal(value: Any, name: str = "signal", min_len: int = 1) -> np.ndarray:
    value = _validate.array(name, value, ndims=(1,))
    if len(value) < min_len:
        raise ValueError(f"{name} must have at least {min_len} samples, got {len(value)}")
    return value.astype(value.dtype if value.dtype.kind == "f" else np.float64)


def signal_power(signal: np.ndarray) -> float:
    """The mean of the squared samples (the power the SNR compares)."""
    return float(np.mean(np.square(_signal(signal), dtype=np.float64)))


def snr_db(clean: np.ndarray, noisy: np.ndarray) -> float:
    """Signal-to-noise ratio of ``noisy`` against ``clean``, in decibels.

    ``10 * log10(power(clean) / power(noisy - clean))``: 0 dB means noise as
    strong as the signal, 20 dB noise with 1/100 of the signal's power.
    """
    clean = _signal(clean, "clean")
    noisy = _signal(noisy, "noisy")
    if noisy.shape != clean.shape:
        raise ValueError(f"noisy must have the shape of clean {clean.shape}, got {noisy.shape}")
    noise = signal_power(noisy.astype(np.float64) - clean)
    if noise == 0:
        raise ValueError("noisy must differ from clean: without noise the SNR is infinite")
    return 10.0 * math.log10(signal_power(clean) / noise)


def add_noise(signal: np.ndarray, snr_db: float, *, rng: np.random.Generator | int) -> np.ndarray:
    """Add white Gaussian noise whose power is ``power(signal) / 10 ** (snr_db / 10)``.

    The noise drawn from ``rng`` is rescaled to exactly that power, so
    :func:`snr_db` of the result equals ``snr_db`` (up to rounding). Lower
    ``snr_db`` means more noise; negative values make the noise louder than
    the signal.
    """
    signal = _signal(signal)
    target = _validate.number("snr_db", snr_db, minimum=-60.0, maximum=120.0)
    rng = _random.generator("rng", rng)
    power = signal_power(signal)
    if power == 0:
        raise ValueError("signal is silent (all zeros): a signal-to-noise ratio needs signal power")
    noise = rng.standard_normal(len(signal))
    noise *= math.sqrt(power / 10 ** (target / 10) / np.mean(noise**2))
    return (signal + noise).astype(signal.dtype)


def time_shift(signal: np.ndarray, shift: int, *, wrap: bool = False) -> np.ndarray:
    """Move the sound ``shift`` samples later (negative: earlier), keeping the length.

    The gap opened at one end is silence (zeros); with ``wrap=True`` the
    samples pushed out at one end come back in at the other instead.
    """
    signal = _signal(signal)
    shift = _validate.integer("shift", shift, minimum=-len(signal), maximum=len(signal))
    if not isinstance(wrap, bool):
        raise TypeError(f"wrap must be True or False, got {wrap!r}")
    if wrap:
        return np.roll(signal, shift)
    out = np.zeros_like(signal)
    if shift >= 0:
        out[shift:] = signal[: len(signal) - shift]
    else:
        out[:shift] = signal[-shift:]
    return out


def _frames_args(n_fft: Any, hop: Any) -> tuple[int, int]:
    n_fft = _validate.integer("n_fft", n_fft, minimum=16)
    hop = _validate.integer("hop", hop, minimum=1, maximum=n_fft // 2)
    return n_fft, hop


def _stft(x: np.ndarray, n_fft: int, hop: int, window: np.ndarray) -> np.ndarray:
    """Frames x frequency bins; the signal is padded by ``n_fft // 2`` zeros on both sides."""
    padded = np.pad(x.astype(np.float64), n_fft // 2)
    n_frames = 1 + max(0, math.ceil((len(padded) - n_fft) / hop))  # cover every sample
    padded = np.pad(padded, (0, (n_frames - 1) * hop + n_fft - len(padded)))
    index = np.arange(n_fft)[None, :] + hop * np.arange(n_frames)[:, None]
    return np.fft.rfft(padded[index] * window, axis=1)


def _istft(spec: np.ndarray, n_fft: int, hop: int, window: np.ndarray, length: int) -> np.ndarray:
    """Overlap-add the frames back into a signal of ``length`` samples (inverse of :func:`_stft`)."""
    frames = np.fft.irfft(spec, n=n_fft, axis=1) * window
    total = n_fft + hop * (len(frames) - 1)
    out = np.zeros(total)
    norm = np.zeros(total)
    for i, frame in enumerate(frames):
        out[i * hop: i * hop + n_fft] += frame
        norm[i * hop: i * hop + n_fft] += window**2
    out = out / np.where(norm > 1e-8, norm, 1.0)
    out = out[n_fft // 2:]
    return np.pad(out, (0, max(0, length - len(out))))[:length]


def time_stretch(signal: np.ndarray, rate: float, *, n_fft: int = 1024, hop: int = 256) -> np.ndarray:
    """Play ``signal`` ``rate`` times as fast with the same pitch; length ``round(len / rate)``.

    ``rate`` 2 halves the duration, 0.5 doubles it. A phase vocoder reads the
    short-time spectrum at ``rate`` frames per output frame, interpolating
    each frequency's magnitude and advancing its phase at the frequency it
    was measured to have, then adds the frames back together. Pitch is
    preserved, loudness roughly (see the module notes); sharp onsets are
    smeared a little.
    """
    signal = _signal(signal, min_len=2)
    rate = _validate.number("rate", rate, minimum=0.1, maximum=10.0)
    n_fft, hop = _frames_args(n_fft, hop)
    window = sps.get_window("hann", n_fft)
    spec = _stft(signal, n_fft, hop, window)
    spec = np.concatenate([spec, np.zeros((1, spec.shape[1]))])  # so frame i + 1 always exists
    steps = np.arange(0.0, len(spec) - 1, rate)
    expected = 2 * np.pi * hop * np.arange(spec.shape[1]) / n_fft  # phase a bin's own frequency gains per hop
    phase = np.angle(spec[0])
    out = np.empty((len(steps), spec.shape[1]), dtype=complex)
    for i, step in enumerate(steps):
        left = int(step)
        frac = step - left
        magnitude = (1 - frac) * np.abs(spec[left]) + frac * np.abs(spec[left + 1])
        out[i] = magnitude * np.exp(1j * phase)
        deviation = np.angle(spec[left + 1]) - np.angle(spec[left]) - expected
        deviation -= 2 * np.pi * np.round(deviation / (2 * np.pi))
        phase = phase + expected + deviation
    length = max(1, int(round(len(signal) / rate)))
    return _istft(out, n_fft, hop, window, length).astype(signal.dtype)


def pitch_shift(signal: np.ndarray, semitones: float, *, n_fft: int = 1024, hop: int = 256) -> np.ndarray:
    """Raise (positive) or lower (negative) every frequency by ``semitones``, keeping the length.

    12 semitones double the frequencies (one octave). The signal is first
    time-stretched to ``2 ** (semitones / 12)`` times its length at the same
    pitch (:func:`time_stretch`), then resampled back to the original number
    of samples, which compresses time and raises every frequency by that
    factor. Duration and the timing of the notes are preserved; timbre is
    not (all harmonics move along, the "chipmunk" effect).
    """
    signal = _signal(signal, min_len=2)
    semitones = _validate.number("semitones", semitones, minimum=-24.0, maximum=24.0)
    factor = 2.0 ** (semitones / 12)
    stretched = time_stretch(signal, 1.0 / factor, n_fft=n_fft, hop=hop)
    return sps.resample(stretched, len(signal)).astype(signal.dtype)


def spectrogram(
    signal: np.ndarray, sample_rate: float, *, nperseg: int = 512, floor_db: float = -100.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Power of ``signal`` per frequency and time, in decibels (``scipy.signal.spectrogram``).

    Returns ``(frequencies_hz, times_s, power_db)`` with ``power_db`` of shape
    ``(len(frequencies_hz), len(times_s))``; Hann windows of ``nperseg``
    samples overlapping by 3/4. Power below ``floor_db`` is shown as
    ``floor_db`` (silence would be minus infinity).
    """
    signal = _signal(signal, min_len=2)
    sample_rate = _validate.number("sample_rate", sample_rate, minimum=1.0)
    nperseg = _validate.integer("nperseg", nperseg, minimum=8)
    floor_db = _validate.number("floor_db", floor_db, maximum=0.0)
    nperseg = min(nperseg, len(signal))
    freqs, times, power = sps.spectrogram(signal.astype(np.float64), fs=sample_rate, window="hann",
                                          nperseg=nperseg, noverlap=3 * nperseg // 4, scaling="density")
    return freqs, times, np.maximum(10 * np.log10(np.maximum(power, 1e-30)), floor_db)
