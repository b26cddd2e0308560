"""Lesson 10 exercise checks: the right answers pass, each typical mistake gets its own hint, nothing crashes."""

from __future__ import annotations

import numpy as np

from course_lib.checks.lesson10 import QUESTIONS, check_add_noise, check_keeps_label
from course_lib.lessons.l10_beyond_images import add_noise


def good(signal, snr_db, rng):
    noise = rng.normal(0.0, 1.0, size=len(signal))
    return signal + noise * np.sqrt(np.mean(signal**2) / 10 ** (snr_db / 10))


def with_noise_power(power_of):
    """A student function whose noise power is power_of(signal_power, snr_db)."""
    def func(signal, snr_db, rng):
        return signal + rng.normal(0.0, 1.0, size=len(signal)) * np.sqrt(power_of(np.mean(signal**2), snr_db))
    return func


def test_correct_solution_and_the_lesson_function_pass():
    assert check_add_noise(good).correct
    assert check_add_noise(lambda s, snr, rng: add_noise(s, snr, rng=rng)).correct  # the lesson's reference
    assert check_add_noise(lambda s, snr, rng: good(s.astype(np.float32), snr, rng)).correct


def test_power_mistakes_get_their_own_hint():
    assert "half the SNR" in check_add_noise(with_noise_power(lambda p, snr: p / 10 ** (snr / 20))).message
    assert "twice the SNR" in check_add_noise(with_noise_power(lambda p, snr: p / 10 ** (snr / 5))).message
    assert "upside down" in check_add_noise(with_noise_power(lambda p, snr: p * 10 ** (snr / 10))).message
    assert "how loud" in check_add_noise(with_noise_power(lambda p, snr: 1 / 10 ** (snr / 10))).message
    off = check_add_noise(with_noise_power(lambda p, snr: 2 * p / 10 ** (snr / 10))).message
    assert "within 0.3 dB" in off and "gives" in off
    fixed = check_add_noise(with_noise_power(lambda p, snr: p / 10 ** (10 / 10)))  # ignores snr_db: always 10 dB
    assert not fixed.correct and "hardly changes with snr_db" in fixed.message


def test_shape_type_and_return_mistakes():
    assert "None" in check_add_noise(lambda s, snr, rng: None).message
    assert "placeholder" in check_add_noise(lambda s, snr, rng: ...).message
    assert "shaped like" in check_add_noise(lambda s, snr, rng: good(s, snr, rng)[:-1]).message
    assert "shaped like" in check_add_noise(lambda s, snr, rng: list(s)).message
    assert "float" in check_add_noise(lambda s, snr, rng: good(s, snr, rng).astype(np.int64)).message
    assert "unchanged" in check_add_noise(lambda s, snr, rng: s.copy()).message
    assert "too little noise" in check_add_noise(lambda s, snr, rng: s + 1e-300).message
    only_noise = lambda s, snr, rng: good(s, snr, rng) - s  # noqa: E731
    assert "not the noise alone" in check_add_noise(only_noise).message

    def in_place(signal, snr_db, rng):
        signal += good(np.zeros_like(signal) + signal, snr_db, rng) - signal
        return signal

    assert "in place" in check_add_noise(in_place).message
    assert "raised ZeroDivisionError" in check_add_noise(lambda s, snr, rng: 1 / 0).message
    assert "function itself" in check_add_noise(good(np.ones(3), 10, np.random.default_rng(0))).message
    assert "NaN or infinity" in check_add_noise(lambda s, snr, rng: good(s, snr, rng) / 0.0 * s).message
    assert "not the noise alone" in check_add_noise(lambda s, snr, rng: np.zeros_like(s) + 1.0).message
    assert "float samples" in check_add_noise(lambda s, snr, rng: good(s, snr, rng) + 0j).message
    assert "raised TypeError" in check_add_noise(lambda s, snr: s).message  # wrong number of arguments


def test_hostile_answers_get_a_hint_and_no_warning(recwarn):
    for answer in (lambda s, snr, rng: np.full_like(s, 1e308) * 10, lambda s, snr, rng: s * 1e200,
                   lambda s, snr, rng: "noise", print, 42, None):
        feedback = check_add_noise(answer)
        assert not feedback.correct and feedback.message
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_randomness_mistakes():
    def global_random(signal, snr_db, rng):
        return good(signal, snr_db, np.random.default_rng())

    def fixed_seed(signal, snr_db, rng):
        return good(signal, snr_db, np.random.default_rng(0))

    def offset(signal, snr_db, rng):
        noise = rng.uniform(0.0, 1.0, size=len(signal))
        return signal + noise * np.sqrt(np.mean(signal**2) / 10 ** (snr_db / 10) / np.mean(noise**2))

    calls = []

    def breaks_later(signal, snr_db, rng):
        calls.append(1)
        if len(calls) > 6:
            raise RuntimeError("tired")
        return good(signal, snr_db, rng)

    assert "raised RuntimeError: tired" in check_add_noise(breaks_later).message
    assert "from np.random" in check_add_noise(global_random).message
    assert "fresh noise" in check_add_noise(fixed_seed).message
    assert "centred on zero" in check_add_noise(offset).message

    def uniform(signal, snr_db, rng):  # the right power, centred, white, but not Gaussian
        noise = rng.uniform(-1.0, 1.0, size=len(signal))
        return signal + noise * np.sqrt(np.mean(signal**2) / 10 ** (snr_db / 10) / np.mean(noise**2))

    def smooth(signal, snr_db, rng):  # Gaussian values repeated in pairs: not white
        noise = np.repeat(rng.normal(size=len(signal) // 2 + 1), 2)[: len(signal)]
        return signal + noise * np.sqrt(np.mean(signal**2) / 10 ** (snr_db / 10) / np.mean(noise**2))

    assert "not Gaussian" in check_add_noise(uniform).message
    assert "not white" in check_add_noise(smooth).message


def test_keeps_label():
    answers = {k: q[2] for k, q in QUESTIONS.items()}
    assert check_keeps_label(answers).correct
    wrong = dict(answers, speaker_pitch_shift=True, ecg_scaling=False)
    message = check_keeps_label(wrong).message
    assert message.startswith(f"{len(QUESTIONS) - 2} of {len(QUESTIONS)} right")
    assert "speaker_pitch_shift" in message and "ecg_scaling" in message and "grammar_swap" not in message
    assert "Did you mean 'grammar_swap'" in check_keeps_label(dict(answers, gramar_swap=True)).message
    assert "not a question id" in check_keeps_label(dict(answers, zzz=True)).message
    missing = dict(answers)
    del missing["note_pitch_shift"]
    assert "missing: note_pitch_shift" in check_keeps_label(missing).message
    assert "`...`" in check_keeps_label(dict(answers, note_pitch_shift=...)).message
    assert "True or False" in check_keeps_label(dict(answers, note_pitch_shift="no")).message
    assert check_keeps_label(dict(answers, note_pitch_shift=np.bool_(False))).correct
    assert "dict" in check_keeps_label(["a"]).message
    assert "`...`" in check_keeps_label(...).message


def test_every_question_has_task_augmentation_answer_and_hint():
    for key, (task, augmentation, answer, reason) in QUESTIONS.items():
        assert task and augmentation and isinstance(answer, bool) and len(reason) > 20, key
    assert {q[2] for q in QUESTIONS.values()} == {True, False}
