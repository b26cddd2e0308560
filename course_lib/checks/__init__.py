"""Feedback for the exercises.

Every ``check_*`` function answers with a :class:`Feedback`: "Correct" or a
specific hint. A check never fails the student, whatever the answer
(:func:`never_crash`):

* an answer of the wrong type or shape, a placeholder ``...`` left in, or
  student code that raises, calls ``sys.exit`` or runs past a time limit
  gets a hint, never a traceback; only ``KeyboardInterrupt`` (the stop button)
  gets through;
* the working directory, the environment variables, the standard streams
  and the global random state (Python, NumPy) are restored after the
  student's code ran;
* numbers may be given as Python, NumPy or TensorFlow scalars or one-element
  arrays (:func:`plain`).

In JupyterLab a Feedback shows as a short formatted block (✓ or ✗ per item,
one line each, words never broken); its plain text, which nbval compares and
a terminal prints, says the same. Lesson-specific checks live in
``course_lib.checks.lessonNN``.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import os
import random
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any, TypeVar

import numpy as np

#: The MIME type of a Feedback's machine-readable form (what ``tools/grade.py`` collects).
FEEDBACK_MIME = "application/vnd.augmentation-course.feedback+json"
#: Seconds a check (and the student code it runs) may take before it answers with a hint.
DEFAULT_TIME_LIMIT = 20.0
#: Environment variable that changes the time limit (seconds), e.g. on a slow machine.
TIME_LIMIT_ENV = "COURSE_CHECK_TIME_LIMIT"


@dataclass(frozen=True)
class Feedback:
    """The answer to a student: ``correct``, one message, and optionally one line per item checked.

    ``items`` is a sequence of ``(ok, text)`` pairs, e.g. one per answer of a
    multi-part question; they are shown under the message with ✓ or ✗.
    """

    correct: bool
    message: str
    items: tuple[tuple[bool, str], ...] = ()
    check: str = ""  # the name of the check that answered (set by never_crash)

    def __str__(self) -> str:
        head = f"{'Correct' if self.correct else 'Not yet'}: {self.message}"
        return "\n".join([head] + [f"  {'✓' if ok else '✗'} {text}" for ok, text in self.items])

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = "#009E73" if self.correct else "#D55E00"  # Okabe-Ito green / vermillion
        mark = "✓" if self.correct else "✗"
        style = ("font-family: var(--jp-content-font-family, sans-serif); white-space: normal; "
                 "word-break: normal; overflow-wrap: normal; hyphens: none; line-height: 1.5;")
        head = (f'<div class="course-feedback" style="{style}"><div><span style="color: {colour}; '
                f'font-weight: bold">{mark} {"Correct" if self.correct else "Not yet"}:</span> '
                f"{html.escape(self.message)}</div>")
        rows = "".join(
            f'<div style="margin-left: 1.5em"><span style="color: {"#009E73" if ok else "#D55E00"}">'
            f'{"✓" if ok else "✗"}</span> {html.escape(text)}</div>' for ok, text in self.items)
        return head + rows + "</div>"

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"text/plain": str(self), "text/html": self._repr_html_(),
                FEEDBACK_MIME: {"check": self.check, "correct": self.correct, "message": self.message,
                                "items": [[ok, text] for ok, text in self.items]}}
        return data

    def __bool__(self) -> bool:
        return self.correct


def correct(message: str = "well done.", items: Sequence[tuple[bool, str]] = ()) -> Feedback:
    """A positive answer."""
    return Feedback(True, message, tuple(items))


def hint(message: str, items: Sequence[tuple[bool, str]] = ()) -> Feedback:
    """A negative answer with a hint."""
    return Feedback(False, message, tuple(items))


# --------------------------------------------------------------------------- answers given as NumPy / TF values


def plain(value: Any) -> Any:
    """A student's value with NumPy / TensorFlow scalars and one-element arrays turned into Python scalars.

    ``np.int64(3)``, ``np.float32(0.5)``, ``np.True_``, ``np.array(500.)``,
    ``np.array([500])`` and a scalar ``tf.Tensor`` become ``3``, ``0.5``,
    ``True``, ``500.0``, ``500``, ...; lists, tuples and dict values are
    converted element by element. Anything else (strings, functions, larger
    arrays) is returned as it is.
    """
    if isinstance(value, (bool, int, float, str, bytes)) or value is None or callable(value):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.item() if value.size == 1 and value.dtype.kind in "biuf" else value
    numpy = getattr(value, "numpy", None)  # tf.Tensor, keras variables
    if callable(numpy) and getattr(value, "shape", None) is not None:
        try:
            array = np.asarray(numpy())
        except Exception:  # noqa: BLE001 - not a tensor after all
            return value
        return array.item() if array.size == 1 and array.dtype.kind in "biuf" else value
    if type(value) is dict:
        return {k: plain(v) for k, v in value.items()}
    if type(value) in (list, tuple):
        return type(value)(plain(v) for v in value)
    return value


def is_number(value: Any) -> bool:
    """True for a real number that is not a bool (after :func:`plain`)."""
    value = plain(value)
    return isinstance(value, Real) and not isinstance(value, bool)


def is_whole(value: Any) -> bool:
    """True for a whole number given as an int, or as a float with no fraction (after :func:`plain`)."""
    value = plain(value)
    if isinstance(value, bool) or not isinstance(value, Real):
        return False
    return isinstance(value, Integral) or (np.isfinite(value) and float(value).is_integer())


# --------------------------------------------------------------------------- running student code safely


class _TimeLimit(BaseException):
    """Raised inside a check when its time limit is over (a BaseException, so student code cannot catch it
    with ``except Exception``)."""


def _time_limit() -> float:
    try:
        seconds = float(os.environ.get(TIME_LIMIT_ENV, DEFAULT_TIME_LIMIT))
    except ValueError:
        return DEFAULT_TIME_LIMIT
    return seconds if seconds > 0 and np.isfinite(seconds) else DEFAULT_TIME_LIMIT


class _Alarm:
    """A time limit for the code run inside it: SIGALRM in the main thread (POSIX), otherwise none."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        # Only the outermost check sets the alarm (a check may call another one).
        self.active = (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
                       and signal.getitimer(signal.ITIMER_REAL)[0] == 0)
        self.previous: Any = None

    def _ring(self, signum, frame):  # noqa: ARG002 - signal handler signature
        raise _TimeLimit()

    def __enter__(self):
        if self.active:
            self.previous = signal.signal(signal.SIGALRM, self._ring)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    def __exit__(self, *exc):
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
        return False


class _Restore:
    """Put back the working directory, environment, standard streams and global random state."""

    def __enter__(self):
        try:
            self.cwd = os.getcwd()
        except OSError:  # the current folder was deleted before the check: nothing to restore to
            self.cwd = None
        self.environ = dict(os.environ)
        self.streams = (sys.stdin, sys.stdout, sys.stderr)
        self.python_random = random.getstate()
        self.numpy_random = np.random.get_state()
        return self

    def __exit__(self, *exc):
        if self.cwd is not None:
            try:
                os.chdir(self.cwd)
            except OSError:  # pragma: no cover - the folder itself vanished
                pass
        if dict(os.environ) != self.environ:
            os.environ.clear()
            os.environ.update(self.environ)
        sys.stdin, sys.stdout, sys.stderr = self.streams
        random.setstate(self.python_random)
        np.random.set_state(self.numpy_random)
        return False


F = TypeVar("F", bound=Callable[..., Feedback])


def never_crash(func: F) -> F:
    """Make a check safe for any answer: see the module docstring.

    The arguments are passed through :func:`plain` first. A leftover ``...``
    placeholder gets a reminder; any exception, ``SystemExit`` or other
    ``BaseException`` (but ``KeyboardInterrupt``) raised while checking
    becomes a hint, and so does running past the time limit
    (:data:`DEFAULT_TIME_LIMIT` seconds, or ``$COURSE_CHECK_TIME_LIMIT``).
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Feedback:
        result = _checked(*args, **kwargs)
        return dataclasses.replace(result, check=func.__name__)

    def _checked(*args: Any, **kwargs: Any) -> Feedback:
        if any(a is Ellipsis for a in (*args, *kwargs.values())):
            return hint("replace the `...` placeholder with your answer, then run the cell again.")
        args = tuple(plain(a) for a in args)
        kwargs = {k: plain(v) for k, v in kwargs.items()}
        limit = _time_limit()
        try:
            with _Restore(), _Alarm(limit):
                result = func(*args, **kwargs)
        except KeyboardInterrupt:
            raise
        except _TimeLimit:
            return hint(f"checking took longer than {limit:g} seconds, so it was stopped. Does your code "
                        "loop forever (a `while` loop whose condition never becomes false), or work on far more "
                        "data than it needs?")
        except SystemExit as err:
            return hint(f"your code called `sys.exit({'' if err.code is None else repr(err.code)})` (or "
                        "`exit()`), which would stop Python. A function should `return` its answer instead.")
        except RecursionError:
            return hint("your code calls itself without end (RecursionError). Check the case that should "
                        "stop the recursion, or write a loop instead.")
        except Exception as err:  # the point: a student's odd answer must not crash the check
            return hint(f"your answer could not be checked ({type(err).__name__}: {err}). "
                        "Look at the expected type and shape in the exercise text.")
        except BaseException as err:  # e.g. GeneratorExit raised by hand: still not a reason to crash
            return hint(f"your code raised {type(err).__name__}, which stops programs; return an answer instead.")
        if not isinstance(result, Feedback):  # pragma: no cover - a bug in a check, not in the answer
            return hint("this check could not reach a verdict; please tell your instructor.")
        return result

    return wrapper  # type: ignore[return-value]


__all__ = ["DEFAULT_TIME_LIMIT", "FEEDBACK_MIME", "TIME_LIMIT_ENV", "Feedback", "correct", "hint", "is_number", "is_whole",
           "never_crash", "plain"]
