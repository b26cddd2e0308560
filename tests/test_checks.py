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


# ----------------------------------------------------------------- a check never fails the student

import os  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from course_lib import checks  # noqa: E402


@never_crash
def check_function(fn):
    value = fn(3)
    return correct() if value == 6 else hint(f"fn(3) returned {value!r}, but the answer is 6.")


def _exits(x):
    sys.exit(1)


def _loops(x):
    while True:
        x += 1


def _changes_everything(x):
    os.chdir("/")
    os.environ["COURSE_TEST_VARIABLE"] = "changed"
    sys.stdout = None
    random.seed(99)
    np.random.seed(99)
    return 2 * x


def _interrupted(x):
    raise KeyboardInterrupt


def test_student_code_that_exits_or_loops_gets_a_hint(monkeypatch):
    exited = check_function(_exits)
    assert not exited.correct and "sys.exit(1)" in exited.message
    monkeypatch.setenv(checks.TIME_LIMIT_ENV, "0.3")
    looped = check_function(_loops)
    assert not looped.correct and "longer than 0.3 seconds" in looped.message
    assert check_function(lambda x: check_function(_loops)).message.startswith("fn(3) returned Not yet")


def test_keyboard_interrupt_still_stops_the_cell():
    with pytest.raises(KeyboardInterrupt):
        check_function(_interrupted)


def test_working_directory_environment_streams_and_random_state_are_restored():
    cwd, stdout = os.getcwd(), sys.stdout
    random.seed(1)
    np.random.seed(1)
    expected = (random.random(), np.random.random())
    random.seed(1)
    np.random.seed(1)
    assert check_function(_changes_everything).correct
    assert os.getcwd() == cwd and sys.stdout is stdout and "COURSE_TEST_VARIABLE" not in os.environ
    assert (random.random(), np.random.random()) == expected


def test_numbers_may_be_numpy_or_tensorflow_scalars_or_one_element_arrays():
    import tensorflow as tf

    for value in (np.int64(42), np.float32(42.0), np.array(42.0), np.array([42]), tf.constant(42)):
        assert check_answer(value).correct, value
    assert checks.plain(np.True_) is True and checks.plain([np.int8(1), (np.float64(2.5),)]) == [1, (2.5,)]
    assert checks.plain({"a": np.array([3])}) == {"a": 3}
    big = np.arange(4)
    assert checks.plain(big) is big and checks.plain("text") == "text"
    assert checks.is_number(np.float32(1.5)) and not checks.is_number(np.True_) and not checks.is_number("1")
    assert checks.is_whole(np.array([500.0])) and not checks.is_whole(2.5) and not checks.is_whole(True)


def test_feedback_renders_as_html_with_the_same_words():
    fb = hint("the vertical shift is wrong.", items=[(True, "rotation"), (False, "channel_shift")])
    assert str(fb) == "Not yet: the vertical shift is wrong.\n  ✓ rotation\n  ✗ channel_shift"
    page = fb._repr_html_()
    assert "word-break: normal" in page and "overflow-wrap: normal" in page
    for words in ("Not yet:", "the vertical shift is wrong.", "✓", "rotation", "✗", "channel_shift"):
        assert words in page
    assert "&lt;b&gt;" in hint("<b>")._repr_html_()  # the message is escaped


@settings(max_examples=60, deadline=None)
@given(answer=st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=5),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.sampled_from([_exits, _interrupted.__class__, lambda x: None, lambda x: 1 / 0, lambda: 1, print,
                     np.array([1.0, np.nan]), np.float64("nan"), object()])))
def test_arbitrary_answers_never_escape_a_check(answer):
    for check in (check_answer, check_length, check_function):
        feedback = check(answer)
        assert isinstance(feedback, Feedback)
        if check is check_answer and feedback.correct:
            assert checks.plain(answer) == 42


def test_feedback_carries_the_check_name_and_a_machine_readable_form():
    fb = check_answer(41)
    assert fb.check == "check_answer"
    bundle = fb._repr_mimebundle_()
    assert bundle["text/plain"] == str(fb) and "Not yet" in bundle["text/html"]
    assert bundle[checks.FEEDBACK_MIME] == {"check": "check_answer", "correct": False,
                                            "message": "41 is not the answer; count again.", "items": []}
    assert check_answer(...).check == "check_answer"
