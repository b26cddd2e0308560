"""Feedback for the exercise of lesson 10: noise at a target SNR, and which augmentations keep the label.

Part 1: the student writes ``add_noise_at_snr(signal, snr_db, rng)`` and
:func:`check_add_noise` measures what it does on quiet and loud signals, with
the lesson's own ``snr_db`` (``course_lib.lessons.l10_beyond_images``, whose
``add_noise`` is the reference answer).

Part 2: for each question in :data:`QUESTIONS` (a task and an augmentation)
the student answers ``True`` (the augmented example keeps its label and is
one the model could meet) or ``False``; :func:`check_keeps_label` names each
wrong answer with a hint that points at what to think about.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from ..lessons.l10_beyond_images import snr_db
from . import Feedback, correct, hint, never_crash

#: How far (dB) the measured SNR may be from the target.
TOLERANCE_DB = 0.3
_SR = 8000


def _test_signal(amplitude: float) -> np.ndarray:
    t = np.arange(2 * _SR) / _SR
    return amplitude * (np.sin(2 * np.pi * 220 * t) + 0.5 * np.sin(2 * np.pi * 660 * t) * np.exp(-t))


def _call(func: Callable, signal: np.ndarray, snr: float, seed: int) -> tuple[Any, str | None]:
    """Run the student's function on a copy; return (result, problem or None)."""
    given = signal.copy()
    try:
        out = func(given, snr, np.random.default_rng(seed))
    except Exception as err:  # the student's code may fail in any way
        return None, (f"add_noise_at_snr(signal, {snr}, rng) raised {type(err).__name__}: {err}. "
                      "It is called with a 1-D float array, a number of dB and a numpy Generator.")
    if not np.array_equal(given, signal):
        return None, ("your function changed the signal it was given; build a new array "
                      "(`signal + noise`) instead of adding in place (`signal += noise`).")
    if out is None:
        return None, "your function returns None: end it with `return signal + noise`."
    if out is Ellipsis:
        return None, "your function still returns the `...` placeholder: compute the noise and return signal + noise."
    if not isinstance(out, np.ndarray) or out.shape != signal.shape:
        shape = out.shape if isinstance(out, np.ndarray) else type(out).__name__
        return None, f"return a NumPy array shaped like the signal {signal.shape}, got {shape}."
    if out.dtype.kind not in "f":
        return None, f"return float samples, got dtype {out.dtype}."
    if not np.isfinite(out).all():
        return None, ("your result contains NaN or infinity: check for a division by zero or a log of zero "
                      "(the noise's standard deviation is sqrt(signal_power / 10 ** (snr_db / 10))).")
    return out.astype(np.float64), None


@never_crash
def check_add_noise(add_noise_at_snr: Any) -> Feedback:
    """Expect ``add_noise_at_snr(signal, snr_db, rng)`` to return ``signal + noise`` at exactly that SNR."""
    if not callable(add_noise_at_snr):
        return hint("pass the function itself: check_add_noise(add_noise_at_snr), without calling it.")
    with np.errstate(all="ignore"):  # an odd answer (huge or constant values) gets a hint, not a warning
        return _check_snr(add_noise_at_snr)


def _check_snr(add_noise_at_snr: Callable) -> Feedback:
    quiet, loud = _test_signal(0.05), _test_signal(2.0)
    measured: dict[tuple[str, float], float] = {}
    for name, signal in (("quiet", quiet), ("loud", loud)):
        for target in (0.0, 10.0, 20.0):
            out, problem = _call(add_noise_at_snr, signal, target, seed=1)
            if problem:
                return hint(problem)
            if np.mean((out - signal) ** 2) == 0:
                return hint("the signal comes back unchanged (or with too little noise to measure): draw noise "
                            "with rng.normal(...) and add it.")
            if target >= 10 and (np.ptp(out) == 0 or abs(np.corrcoef(out, signal)[0, 1]) < 0.05):
                return hint("the result does not look like the signal at all: return `signal + noise`, "
                            "not the noise alone.")
            measured[(name, target)] = snr_db(signal, out)
    errors = {key: m - key[1] for key, m in measured.items()}
    if all(abs(e) <= TOLERANCE_DB for e in errors.values()):
        return _check_randomness(add_noise_at_snr, loud)
    if abs(measured[("quiet", 10.0)] - measured[("loud", 10.0)]) > 1.0:
        return hint(f"the SNR you get depends on how loud the signal is (target 10 dB: "
                    f"{measured[('quiet', 10.0)]:.1f} dB for a quiet signal, {measured[('loud', 10.0)]:.1f} dB "
                    "for a loud one). Scale the noise to the signal's power, np.mean(signal ** 2).")
    loud_db = [measured[("loud", target)] for target in (0.0, 10.0, 20.0)]
    if max(loud_db) - min(loud_db) < 2.0:
        return hint(f"the SNR you get hardly changes with snr_db (targets 0, 10 and 20 dB gave "
                    f"{', '.join(f'{m:.1f}' for m in loud_db)} dB): compute the noise power from the snr_db "
                    "argument, not from a fixed number.")
    twenty = measured[("loud", 20.0)]
    if abs(twenty - 10.0) <= 1.0:
        return hint("you get half the SNR you asked for (20 dB gave about 10): SNR in dB is 10 * log10 of a "
                    "POWER ratio, so the noise power is signal_power / 10 ** (snr_db / 10).")
    if abs(twenty - 40.0) <= 1.0:
        return hint("you get twice the SNR you asked for (20 dB gave about 40): a power ratio of "
                    "10 ** (snr_db / 10) means an amplitude (standard deviation) ratio of its square root.")
    if abs(twenty + 20.0) <= 1.0:
        return hint("the ratio is upside down (20 dB gave about -20 dB, noise louder than signal): "
                    "noise_power = signal_power / 10 ** (snr_db / 10).")
    worst = max(errors, key=lambda k: abs(errors[k]))
    return hint(f"for a target of {worst[1]:g} dB your noise gives {measured[worst]:.2f} dB "
                f"(allowed: within {TOLERANCE_DB} dB). Noise with standard deviation "
                "sqrt(signal_power / 10 ** (snr_db / 10)) has the power you need.")


def _check_randomness(func: Callable, signal: np.ndarray) -> Feedback:
    first, problem = _call(func, signal, 10.0, seed=7)
    second, _ = _call(func, signal, 10.0, seed=7)
    other, _ = _call(func, signal, 10.0, seed=8)
    if problem or first is None or second is None or other is None:
        return hint(problem or "your function failed on a second call; it should give a result every time.")
    if not np.array_equal(first, second):
        return hint("the SNR is right, but two generators with the same seed gave different noise: draw the "
                    "noise from the `rng` argument (rng.normal(...)), not from np.random, so runs repeat.")
    if np.array_equal(first, other):
        return hint("the SNR is right, but different generators gave the same noise: draw it from the `rng` "
                    "argument, so every call adds fresh noise.")
    noise = first - signal
    if abs(noise.mean()) > 0.1 * noise.std():
        return hint("the SNR is right, but the noise is not centred on zero (it shifts the whole signal): "
                    "use rng.normal(0.0, std, size=len(signal)).")
    if abs(np.corrcoef(noise[:-1], noise[1:])[0, 1]) > 0.1:
        return hint("the SNR is right, but neighbouring noise samples are related, so the noise is not white: "
                    "draw one independent value per sample, rng.normal(0.0, std, size=len(signal)).")
    standardised = (noise - noise.mean()) / noise.std()
    if abs(np.mean(standardised**4) - 3.0) > 0.5:  # the kurtosis of a normal distribution is 3
        return hint("the SNR is right, but the noise is not Gaussian (its values are not spread like a bell "
                    "curve): draw it with rng.normal, not rng.uniform or another distribution.")
    return correct(f"your noise hits 0, 10 and 20 dB within {TOLERANCE_DB} dB on quiet and loud signals, "
                   "and the same rng gives the same white Gaussian noise.")


#: question id -> (task, augmentation, keeps the label?, hint for a wrong answer)
QUESTIONS: dict[str, tuple[str, str, bool, str]] = {
    "speaker_pitch_shift": (
        "speaker identification (who is talking?)", "pitch shift by +4 semitones", False,
        "how high a voice is, and its harmonics, are part of what tells two speakers apart: shifted by 4 "
        "semitones, the recording may sound like another person."),
    "speaker_noise": (
        "speaker identification (who is talking?)", "background noise at 20 dB SNR", True,
        "noise at 20 dB has 1/100 of the voice's power; the voice is still that person's, and real "
        "recordings come with such noise."),
    "command_pitch_shift": (
        "spoken command recognition ('yes', 'no', 'stop', ...)", "pitch shift by +2 semitones", True,
        "a word is the same word whether a high or a low voice says it; different speakers differ by more "
        "than 2 semitones."),
    "command_time_reversal": (
        "spoken command recognition ('yes', 'no', 'stop', ...)", "play the recording backwards", False,
        "listen to 'yes' backwards in your head: the sounds come in the opposite order, and nobody says that."),
    "note_pitch_shift": (
        "musical note recognition (which note: C, C#, D, ...?)", "pitch shift by +1 semitone", False,
        "the label IS the pitch here: one semitone up turns a C into a C#."),
    "note_time_stretch": (
        "musical note recognition (which note: C, C#, D, ...?)", "time stretch to 80 % speed (same pitch)", True,
        "time_stretch keeps the frequencies; a note held a little longer is still the same note."),
    "heart_rate_time_stretch": (
        "heart-rate estimation from an ECG (label: beats per minute)", "time stretch by 20 %", False,
        "the label is a rate: play the recording 20 % faster and it shows 20 % more beats per minute."),
    "ecg_scaling": (
        "arrhythmia detection from an ECG (regular or irregular rhythm)", "scaling the amplitude by about 10 %",
        True, "electrode contact and body shape change how tall the waves are; the rhythm stays the same."),
    "ecg_time_reversal": (
        "arrhythmia detection from an ECG (regular or irregular rhythm)", "reverse the series in time", False,
        "every heartbeat has its waves in a fixed order (P, then QRS, then T); reversed, it is a signal no "
        "ECG monitor records."),
    "activity_double_speed": (
        "activity recognition from an accelerometer (walking or running?)", "time stretch to double speed", False,
        "cadence is what tells the activities apart: steps twice as fast look like running."),
    "sentiment_synonyms": (
        "sentiment of a product review (positive or negative?)", "synonym replacement from the course table",
        True, "'a great phone' and 'an excellent phone' say the same; the table only lists everyday synonyms."),
    "grammar_swap": (
        "grammar checking (is this sentence grammatical?)", "random swap of two words", False,
        "swapping words is exactly the kind of error the task must catch: 'the cat sat' becomes 'sat cat the'."),
}


@never_crash
def check_keeps_label(answers: Any) -> Feedback:
    """Expect ``{question_id: True or False}`` for every question in :data:`QUESTIONS`."""
    if not isinstance(answers, Mapping):
        return hint("give a dict: question id -> True (keeps the label) or False.")
    unknown = [k for k in answers if k not in QUESTIONS]
    if unknown:
        close = difflib.get_close_matches(str(unknown[0]), list(QUESTIONS), n=1)
        extra = f" Did you mean {close[0]!r}?" if close else f" The ids are: {', '.join(QUESTIONS)}."
        return hint(f"{unknown[0]!r} is not a question id.{extra}")
    missing = [k for k in QUESTIONS if k not in answers]
    if missing:
        return hint(f"answer every question; missing: {', '.join(missing)}.")
    placeholders = [k for k, v in answers.items() if v is Ellipsis]
    if placeholders:
        return hint(f"replace the `...` for {', '.join(placeholders)} with True or False.")
    not_bool = [k for k, v in answers.items() if not isinstance(v, (bool, np.bool_))]
    if not_bool:
        return hint(f"answer True or False (not {answers[not_bool[0]]!r}) for {', '.join(not_bool)}.")
    wrong = [k for k in QUESTIONS if bool(answers[k]) != QUESTIONS[k][2]]
    if not wrong:
        return correct(f"all {len(QUESTIONS)} right: an augmentation is safe when it changes only what the label "
                       "does not depend on, and makes examples the model could meet.")
    lines = [f"{len(QUESTIONS) - len(wrong)} of {len(QUESTIONS)} right. Look again at:"]
    lines += [f"  - {k}: {QUESTIONS[k][3]}" for k in wrong]
    return hint("\n".join(lines))
