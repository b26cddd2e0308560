"""Small synthetic signals that lesson 10 makes instead of downloading data.

* :func:`melody` - a few notes played one after the other (audio);
* :func:`gesture_recordings` - a labelled set of one-axis motion-sensor
  recordings of four gestures (time series), with the variation real
  recordings have: people start at different moments, move at different
  and changing speeds and with different strength, and sensors add an offset
  and noise.

Both are plain NumPy and fully determined by their arguments (and ``rng``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from . import _random, _validate

#: The most samples one call makes (a bound, so that a typo cannot fill the memory or run for ever).
MAX_SAMPLES = 10_000_000

#: The gesture classes of :func:`gesture_recordings`, in label order.
GESTURES: tuple[str, ...] = ("circle", "swipe", "double tap", "shake")

_SEMITONES = {"C": -9, "D": -7, "E": -5, "F": -4, "G": -2, "A": 0, "B": 2}
_NOTE = re.compile(r"^([A-G])(#|b)?(-?\d)$")


def note_frequency(note: str) -> float:
    """The frequency in Hz of a note name such as ``"A4"`` (440 Hz), ``"C#5"`` or ``"Bb3"``.

    Equal temperament: each semitone multiplies the frequency by ``2 ** (1/12)``.
    """
    if not isinstance(note, str):
        raise TypeError(f"note must be a note name like 'A4' or 'C#5', got {type(note).__name__}")
    match = _NOTE.match(note.strip())
    if match is None:
        raise ValueError(f"note must be a note name like 'A4', 'C#5' or 'Bb3' (letter, optional # or b, octave), "
                         f"got {note!r}")
    letter, accidental, octave = match.groups()
    semitones = _SEMITONES[letter] + {"#": 1, "b": -1, None: 0}[accidental] + 12 * (int(octave) - 4)
    return 440.0 * 2.0 ** (semitones / 12)


def melody(
    notes: Sequence[str | float],
    *,
    sample_rate: int = 16_000,
    note_seconds: float = 0.25,
) -> np.ndarray:
    """Play ``notes`` one after the other and return the mono signal (float32, peak 0.8).

    Each note is a name (``"E4"``) or a frequency in Hz, lasts ``note_seconds``
    and sounds like a plucked string: a fundamental plus two weaker harmonics
    (so a spectrogram shows three stripes per note), a 10 ms attack and an
    exponential decay. Length: ``len(notes) * round(note_seconds * sample_rate)``.
    """
    if isinstance(notes, str) or not isinstance(notes, Sequence) or not notes:
        raise TypeError("notes must be a non-empty list of note names ('A4') or frequencies in Hz")
    sample_rate = _validate.integer("sample_rate", sample_rate, minimum=1000, maximum=384_000)
    note_seconds = _validate.number("note_seconds", note_seconds, minimum=0.01, maximum=10.0)
    freqs = []
    for i, note in enumerate(notes):
        if isinstance(note, str):
            if _NOTE.match(note.strip()) is None:
                raise ValueError(f"notes must be note names like 'A4', 'C#5' or 'Bb3' (letter, optional # or b, "
                                 f"octave) or frequencies in Hz; notes[{i}] is {note!r}")
            freqs.append(note_frequency(note))
        else:
            freqs.append(_validate.number("notes", note, minimum=1.0))
    if len(notes) * round(note_seconds * sample_rate) > MAX_SAMPLES:
        raise ValueError(f"notes, note_seconds and sample_rate ask for "
                         f"{len(notes) * round(note_seconds * sample_rate):,} samples, more than {MAX_SAMPLES:,}")
    if max(freqs) * 3 >= sample_rate / 2:
        raise ValueError(f"notes must stay below sample_rate / 6 = {sample_rate / 6:g} Hz so their harmonics "
                         f"fit under the Nyquist frequency; got {max(freqs):g} Hz")
    n = int(round(note_seconds * sample_rate))
    t = np.arange(n) / sample_rate
    envelope = np.minimum(t / 0.01, 1.0) * np.exp(-3.0 * t / note_seconds)
    pieces = [envelope * sum(a * np.sin(2 * np.pi * k * f * t) for k, a in ((1, 1.0), (2, 0.5), (3, 0.25)))
              for f in freqs]
    signal = np.concatenate(pieces)
    return (0.8 * signal / np.abs(signal).max()).astype(np.float32)


def _gesture_shape(label: int, u: np.ndarray) -> np.ndarray:
    """The ideal gesture ``label`` at gesture time ``u`` (0 = start, 1 = end; outside = at rest)."""
    inside = (u >= 0) & (u <= 1)
    if label == 0:  # circle: one slow swing up and down
        y = np.sin(2 * np.pi * u)
    elif label == 1:  # swipe: from one side to the other, and stay there
        y = np.tanh((u - 0.5) * 12)
        return np.where(inside, y, np.where(u > 1, 1.0, -1.0))
    elif label == 2:  # double tap: two short knocks
        y = np.exp(-(((u - 0.3) / 0.06) ** 2)) + np.exp(-(((u - 0.7) / 0.06) ** 2))
    else:  # shake: three quick swings
        y = np.sin(6 * np.pi * u) * np.sin(np.pi * u)
    return np.where(inside, y, 0.0)


def gesture_recordings(
    n_per_class: int, *, length: int = 128, rng: np.random.Generator | int
) -> tuple[np.ndarray, np.ndarray]:
    """``n_per_class`` recordings of each gesture in :data:`GESTURES`, in random order.

    Returns ``(x, y)``: ``x`` float32 of shape ``(4 * n_per_class, length, 1)``
    (one sensor axis), ``y`` int64 labels 0..3. Each recording draws:

    * when the gesture starts: between 0 % and 30 % into the window;
    * how long it takes: 50 % to 90 % of the window (cut at the window's end);
    * a smooth change of speed during the gesture (faster first or slower first);
    * strength (gain) between 0.5 and 1.5; sensor offset, normal with std 0.2;
    * sensor noise, normal with std 0.15 on every sample.
    """
    n_per_class = _validate.integer("n_per_class", n_per_class, minimum=1, maximum=MAX_SAMPLES)
    length = _validate.integer("length", length, minimum=16, maximum=MAX_SAMPLES)
    if len(GESTURES) * n_per_class * length > MAX_SAMPLES:
        raise ValueError(f"n_per_class and length ask for {len(GESTURES) * n_per_class * length:,} samples, more "
                         f"than {MAX_SAMPLES:,}")
    rng = _random.generator("rng", rng)
    t = np.linspace(0.0, 1.0, length)
    xs, ys = [], []
    for label in range(len(GESTURES)):
        for _ in range(n_per_class):
            onset = rng.uniform(0.0, 0.3)
            duration = min(rng.uniform(0.5, 0.9), 1.0 - onset)
            u = (t - onset) / duration
            bend = rng.uniform(-0.25, 0.25)  # |bend| < 1 keeps gesture time moving forward
            u = u + bend * np.sin(np.pi * np.clip(u, 0.0, 1.0)) / np.pi
            gain, offset = rng.uniform(0.5, 1.5), rng.normal(0.0, 0.2)
            xs.append(gain * _gesture_shape(label, u) + offset + rng.normal(0.0, 0.15, length))
            ys.append(label)
    order = rng.permutation(len(ys))
    x = np.asarray(xs, dtype=np.float32)[order, :, None]
    return x, np.asarray(ys, dtype=np.int64)[order]
