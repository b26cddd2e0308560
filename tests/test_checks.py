"""The shared feedback machinery of the exercise checks."""

from __future__ import annotations

from course_lib.checks import Feedback, correct, hint, never_crash


@never_crash
def check_answer(answer):
    return correct("42 it is.") if answer == 42 else hint(f"{answer} is not the answer; count again.")


@never_crash
def check_length(items):
    return correct() if len(items) == 3 else hint("three items, please.")


def test_feedback_reads_like_a_sentence():
    assert str(correct("yes.")) == "Correct: yes."
    assert repr(hint("look again.")) == "Not yet: look again."
    assert bool(correct()) and not bool(hint("x"))
    assert Feedback(True, "m").correct


def test_checks_answer_right_and_wrong():
    assert check_answer(42).correct
    assert check_answer(41).message == "41 is not the answer; count again."


def test_placeholder_and_crashes_become_hints():
    placeholder = check_answer(...)
    assert not placeholder.correct and "`...`" in placeholder.message
    crashed = check_length(5)
    assert not crashed.correct and "TypeError" in crashed.message
    assert check_length(items=...).message.startswith("replace the `...`")
