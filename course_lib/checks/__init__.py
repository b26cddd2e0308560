"""Feedback for the exercises.

Every ``check_*`` function answers with a :class:`Feedback`: "Correct" or a
specific hint. A check never raises: an answer of the wrong type or shape, or
a placeholder ``...`` left in, gets a hint too. Lesson-specific checks live in
``course_lib.checks.lessonNN``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar


@dataclass(frozen=True)
class Feedback:
    """The answer to a student: ``correct`` and one message."""

    correct: bool
    message: str

    def __str__(self) -> str:
        return f"{'Correct' if self.correct else 'Not yet'}: {self.message}"

    __repr__ = __str__

    def __bool__(self) -> bool:
        return self.correct


def correct(message: str = "well done.") -> Feedback:
    """A positive answer."""
    return Feedback(True, message)


def hint(message: str) -> Feedback:
    """A negative answer with a hint."""
    return Feedback(False, message)


F = TypeVar("F", bound=Callable[..., Feedback])


def never_crash(func: F) -> F:
    """Turn any exception raised while checking into a hint instead of a traceback,
    and answer a leftover ``...`` placeholder with a reminder."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Feedback:
        if any(a is Ellipsis for a in (*args, *kwargs.values())):
            return hint("replace the `...` placeholder with your answer, then run the cell again.")
        try:
            return func(*args, **kwargs)
        except Exception as err:  # the point: a student's odd answer must not crash the check
            return hint(f"your answer could not be checked ({type(err).__name__}: {err}). "
                        "Look at the expected type and shape in the exercise text.")

    return wrapper  # type: ignore[return-value]
