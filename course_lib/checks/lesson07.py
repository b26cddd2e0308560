"""Feedback for the exercise of lesson 07: steps per epoch, and the data-equivalent of augmentation.

The student writes two functions and passes each, as a function, to its check:

* ``steps_per_epoch(n, batch_size)``: how many weight updates one epoch over
  ``n`` images makes, ``ceil(n / batch_size)``;
* ``data_equivalent(sizes, plain_accuracy, target)``: the training-set size at
  which plain (unaugmented) training would reach the accuracy ``target``,
  interpolating linearly in ``log(n)`` between neighbouring measured sizes, or
  ``None`` when ``target`` lies outside the measured accuracies.

Each check calls the function on small made-up tables, compares with the
reference answer, and names the first mistake it recognises (floor instead of
ceiling, interpolation in ``n`` instead of ``log n``, extrapolation, a factor
instead of a size, ...).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from numbers import Integral, Real
from typing import Any

from . import Feedback, correct, hint, never_crash

_REL_TOL = 5e-3

#: ``(n, batch_size)`` pairs the steps check tries, chosen so that floor, round and ceiling disagree.
_STEP_CASES: tuple[tuple[int, int], ...] = (
    (250, 64), (256, 64), (1000, 64), (65, 64), (1, 64), (64, 32), (100, 1), (2000, 128),
)

#: ``(sizes, plain accuracies)`` tables the interpolation check uses.
_TABLE = ([250, 500, 1000], [0.30, 0.36, 0.42])
_OTHER_TABLES = (
    ([100, 400], [0.20, 0.30]),
    ([1000, 2000, 4000, 8000], [0.50, 0.55, 0.62, 0.66]),
)


def _steps(n: int, batch_size: int) -> int:
    return -(-n // batch_size)


def _equivalent(sizes: Sequence[float], plain: Sequence[float], target: float) -> float | None:
    """Reference: interpolate ``log(n)`` linearly in accuracy; None outside the measured range."""
    for (n0, a0), (n1, a1) in zip(zip(sizes, plain), zip(sizes[1:], plain[1:])):
        if a0 <= target <= a1 and a1 > a0:
            t = (target - a0) / (a1 - a0)
            return math.exp(math.log(n0) + t * (math.log(n1) - math.log(n0)))
    for n, a in zip(sizes, plain):
        if target == a:
            return float(n)
    return None


def _linear(sizes: Sequence[float], plain: Sequence[float], target: float) -> float | None:
    """The mistake: interpolate ``n`` itself. Only called for targets inside the table (else None)."""
    for (n0, a0), (n1, a1) in zip(zip(sizes, plain), zip(sizes[1:], plain[1:])):
        if a0 <= target <= a1 and a1 > a0:
            return n0 + (target - a0) / (a1 - a0) * (n1 - n0)
    return None  # pragma: no cover - the checks pass in-range targets only


def _is_number(value: Any) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def _close(value: Any, expected: float) -> bool:
    return _is_number(value) and math.isfinite(float(value)) and math.isclose(
        float(value), expected, rel_tol=_REL_TOL)


def _not_a_function(answer: Any, name: str, example: str) -> Feedback:
    if _is_number(answer) or answer is None:
        return hint(f"pass the function itself, `check_...({name})`, not the result of calling it "
                    f"(like `{example}`).")
    return hint(f"`{name}` should be a function (def {name}(...): ...), got {type(answer).__name__}.")


@never_crash
def check_steps_per_epoch(steps_per_epoch: Any) -> Feedback:
    """Check a function ``steps_per_epoch(n, batch_size)`` that should return ``ceil(n / batch_size)``."""
    if not callable(steps_per_epoch):
        return _not_a_function(steps_per_epoch, "steps_per_epoch", "steps_per_epoch(250, 64)")
    answers = {}
    for n, batch in _STEP_CASES:
        try:
            answers[n, batch] = steps_per_epoch(n, batch)
        except Exception as err:  # the student's code, whatever it raises
            return hint(f"steps_per_epoch({n}, {batch}) raised {type(err).__name__}: {err}. It should return "
                        "a whole number of steps.")
    if any(a is Ellipsis for a in answers.values()):
        return hint("your function still returns `...`: replace it with the number of steps.")
    if all(_is_number(a) and a == n // b for (n, b), a in answers.items()):
        return hint("that is floor division: 250 images in batches of 64 make 3 full batches AND one batch of "
                    "58, and that last batch is a step too (4 steps). Round up: math.ceil(n / batch_size).")
    if all(_close(a, n / b) for (n, b), a in answers.items()) and not all(
            float(a).is_integer() for a in answers.values()):
        return hint(f"steps_per_epoch(250, 64) returned {answers[250, 64]!r}: a step is one whole batch, so "
                    "round n / batch_size UP to a whole number (math.ceil).")
    if all(_is_number(a) and a == round(n / b) for (n, b), a in answers.items()):
        return hint("round() rounds 65 / 64 down to 1, but the 1 image left over still needs its own step: "
                    "round up with math.ceil(n / batch_size).")
    if all(_is_number(a) and a == n * b for (n, b), a in answers.items()):
        return hint("n * batch_size counts images times batch size; steps per epoch counts batches: divide n "
                    "by batch_size and round up.")
    for (n, batch), a in answers.items():
        expected = _steps(n, batch)
        if not _is_number(a):
            return hint(f"steps_per_epoch({n}, {batch}) returned a {type(a).__name__} ({a!r}); return a whole "
                        f"number ({expected} here).")
        if a != expected:
            return hint(f"steps_per_epoch({n}, {batch}) returned {a!r}, but {n} images in batches of {batch} make "
                        f"{expected} steps: math.ceil(n / batch_size).")
        if not isinstance(a, Integral):
            return hint(f"steps_per_epoch({n}, {batch}) returned the float {a!r}; the value is right, but a number "
                        "of steps is a whole number: return an int (math.ceil already gives one).")
    return correct("steps per epoch = ceil(n / batch_size): every batch, the last smaller one too, is one weight "
                   "update, and augmentation does not change how many batches there are.")


def _call(func: Callable, sizes: Sequence[float], plain: Sequence[float], target: float) -> tuple[Any, str]:
    return func(list(sizes), list(plain), target), f"data_equivalent({list(sizes)}, {list(plain)}, {target})"


def _interior_hint(answer: Any, call: str, sizes: Sequence[float], plain: Sequence[float], target: float,
                   expected: float) -> Feedback | None:
    """A hint for a wrong answer to an in-range target, or None when it is right."""
    if _close(answer, expected):
        return None
    if answer is None:
        return hint(f"{call} returned None, but {target} lies between the plain accuracies "
                    f"{plain[0]} and {plain[-1]}: interpolate between the two neighbouring sizes.")
    if not _is_number(answer):
        return hint(f"{call} returned a {type(answer).__name__} ({answer!r}); return the size as a number "
                    "(a float is fine).")
    linear = _linear(sizes, plain, target)
    if linear is not None and _close(answer, linear):
        return hint(f"{call} returned {float(answer):.1f}: that is a straight line in n. The graph's x-axis is "
                    f"logarithmic; interpolate log(n) instead and convert back: {expected:.1f}.")
    if _close(answer, math.log(expected)) or _close(answer, math.log2(expected)) or _close(
            answer, math.log10(expected)):
        return hint(f"{call} returned {float(answer):.3f}, which is log(n): convert it back to a number of "
                    f"images (math.exp, or 2 ** for log2, 10 ** for log10): {expected:.1f}.")
    if _close(answer, expected / sizes[0]):
        return hint(f"{call} returned {float(answer):.3f}, the factor n / {sizes[0]}; return the size in images "
                    f"({expected:.1f}). The factor comes later.")
    if any(_close(answer, n) for n in sizes):
        return hint(f"{call} returned {answer!r}, one of the measured sizes; the answer lies BETWEEN two of them: "
                    f"interpolate ({expected:.1f}).")
    return hint(f"{call} returned {answer!r}, expected about {expected:.1f}: find the neighbouring sizes n0, n1 "
                f"whose plain accuracies a0 <= target <= a1, set t = (target - a0) / (a1 - a0), and return "
                f"exp(log n0 + t * (log n1 - log n0)).")


@never_crash
def check_data_equivalent(data_equivalent: Any) -> Feedback:
    """Check ``data_equivalent(sizes, plain_accuracy, target)`` against the reference interpolation."""
    if not callable(data_equivalent):
        return _not_a_function(data_equivalent, "data_equivalent", "data_equivalent(sizes, plain, 0.33)")
    sizes, plain = _TABLE
    try:
        at_point, call = _call(data_equivalent, sizes, plain, 0.36)
    except Exception as err:  # the student's code, whatever it raises
        return hint(f"data_equivalent({sizes}, {plain}, 0.36) raised {type(err).__name__}: {err}. The arguments "
                    "are two lists and a number.")
    if at_point is Ellipsis:
        return hint("your function still returns `...`: replace it with the interpolated size.")
    if not _close(at_point, 500):
        return hint(f"{call} returned {at_point!r}, but 0.36 is exactly the plain accuracy at 500 images, so the "
                    "answer is 500.")

    for target in (0.33, 0.39):
        answer, call = _call(data_equivalent, sizes, plain, target)
        feedback = _interior_hint(answer, call, sizes, plain, target, _equivalent(sizes, plain, target))
        if feedback is not None:
            return feedback

    for target, where in ((0.45, "above the best"), (0.25, "below the worst")):
        answer, call = _call(data_equivalent, sizes, plain, target)
        if answer is not None:
            return hint(f"{call} returned {answer!r}, but {target} is {where} plain accuracy in the table: no "
                        "measured plain run tells us where plain training would reach it. Return None instead "
                        "of extrapolating.")

    for target, expected in ((0.30, 250), (0.42, 1000)):
        answer, call = _call(data_equivalent, sizes, plain, target)
        if not _close(answer, expected):
            return hint(f"{call} returned {answer!r}: {target} is the plain accuracy at {expected} images, the "
                        f"edge of the table, so the answer is {expected} (include both ends).")

    for other_sizes, other_plain in _OTHER_TABLES:
        target = (other_plain[-2] + other_plain[-1]) / 2
        answer, call = _call(data_equivalent, other_sizes, other_plain, target)
        expected = _equivalent(other_sizes, other_plain, target)
        feedback = _interior_hint(answer, call, other_sizes, other_plain, target, expected)
        if feedback is not None:
            return hint(f"with another table: {feedback.message} (Use the arguments, not the lesson's "
                        "numbers.)")
    return correct("the plain size reaching the same accuracy, interpolated on a log scale, and None outside the "
                   "measured range.")
