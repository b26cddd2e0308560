"""Lesson 11 exercise checks: right answers accepted, each common mistake gets its own hint, no crash."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.checks.lesson11 import check_cutmix_pair, check_mixup_pair, reference_functions

MIXUP, CUTMIX = reference_functions()


def test_reference_functions_give_the_promised_values():
    a, b = np.full((2, 3, 3), 100, np.uint8), np.full((2, 3, 3), 200, np.uint8)
    la, lb = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    image, label = MIXUP(a, la, b, lb, 0.25)
    assert np.allclose(image, 175.0) and np.allclose(label, [0.25, 0.75])
    image, label = CUTMIX(a, la, b, lb, (0, 1, 2, 3))  # 2 x 2 of 6 pixels from b
    assert np.allclose(image[:, 0], 100) and np.allclose(image[:, 1:], 200)
    assert np.allclose(label, [1 / 3, 2 / 3])


# --------------------------------------------------------------------------- MixUp


def _mixup_ok(a, la, b, lb, lam):
    return lam * a + (1 - lam) * b, lam * la + (1 - lam) * lb


def test_correct_mixup_variants_pass():
    assert check_mixup_pair(MIXUP).correct
    feedback = check_mixup_pair(_mixup_ok)
    assert feedback.correct and "soft label" in feedback.message
    assert check_mixup_pair(lambda a, la, b, lb, lam: [a * lam + b * (1 - lam), la * lam + lb * (1 - lam)]).correct


@pytest.mark.parametrize("func, words", [
    (lambda a, la, b, lb, lam: ((1 - lam) * a + lam * b, (1 - lam) * la + lam * lb), "lam is the weight of image_a"),
    (lambda a, la, b, lb, lam: (lam * a + (1 - lam) * b, la), "label is still one image's one-hot"),
    (lambda a, la, b, lb, lam: (lam * a + (1 - lam) * b, (1 - lam) * la + lam * lb), "the label gives"),
    (lambda a, la, b, lb, lam: (lam * a + (1 - lam) * b, la + lb), "the label should be lam * label_a"),
    (lambda a, la, b, lb, lam: ((lam * a + (1 - lam) * b).astype(np.uint8), lam * la + (1 - lam) * lb),
     "right only up to rounding"),
    (lambda a, la, b, lb, lam: ((a / 2 + b / 2), lam * la + (1 - lam) * lb), "plain average"),
    (lambda a, la, b, lb, lam: (lam * a + b, lam * la + (1 - lam) * lb), "pixel by pixel"),
    (lambda a, la, b, lb, lam: (lam * la + (1 - lam) * lb, lam * a + (1 - lam) * b), "return image, label"),
    (lambda a, la, b, lb, lam: (lam * a + (1 - lam) * b, np.array([lam, 1 - lam])), "vector of 4 class weights"),
    (lambda a, la, b, lb, lam: lam * a + (1 - lam) * b, "return TWO things"),
    (lambda a, la, b, lb, lam: ..., "still returns `...`"),
    (lambda a, la, b, lb, lam: (..., ...), "replace the `...` lines"),
    (lambda a, la, b, lb, lam: ("image", "label"), "not numbers"),
    (lambda a, la, b, lb: (a, la), "raised TypeError"),
])
def test_mixup_mistakes_get_specific_hints(func, words):
    feedback = check_mixup_pair(func)
    assert not feedback.correct
    assert words in feedback.message


def test_mixup_in_place_change_is_caught():
    def in_place(a, la, b, lb, lam):
        a[...] = 0
        return _mixup_ok(a, la, b, lb, lam)

    feedback = check_mixup_pair(in_place)
    assert not feedback.correct and "in place" in feedback.message


@pytest.mark.parametrize("bad, words", [
    ((np.zeros(3), np.zeros(2)), "pass the function itself"),
    ("mixup", "should be a function"),
    (None, "should be a function"),
    (..., "`...` placeholder"),
])
def test_mixup_odd_answers_get_hints(bad, words):
    feedback = check_mixup_pair(bad)
    assert not feedback.correct and words in feedback.message


# --------------------------------------------------------------------------- CutMix


def _paste(base, other, box):
    y0, x0, y1, x1 = box
    out = base.astype(float)
    out[y0:y1, x0:x1] = other[y0:y1, x0:x1]
    return out


def _share(a, box):
    y0, x0, y1, x1 = box
    return (y1 - y0) * (x1 - x0) / (a.shape[0] * a.shape[1])


def test_correct_cutmix_passes():
    feedback = check_cutmix_pair(CUTMIX)
    assert feedback.correct and "share of the pixels" in feedback.message

    def student(a, la, b, lb, box):
        y0, x0, y1, x1 = box
        out = a.copy()
        out[y0:y1, x0:x1] = b[y0:y1, x0:x1]
        f = (y1 - y0) * (x1 - x0) / (a.shape[0] * a.shape[1])
        return out, (1 - f) * la + f * lb

    assert check_cutmix_pair(student).correct


def _transposed(a, la, b, lb, box):
    y0, x0, y1, x1 = box
    out = a.astype(float)
    out[x0:x1, y0:y1] = b[x0:x1, y0:y1]
    return out, (1 - _share(a, box)) * la + _share(a, box) * lb


def _from_elsewhere(a, la, b, lb, box):
    y0, x0, y1, x1 = box
    out = a.astype(float)
    out[y0:y1, x0:x1] = b[: y1 - y0, : x1 - x0]
    return out, (1 - _share(a, box)) * la + _share(a, box) * lb


def _in_place(a, la, b, lb, box):
    y0, x0, y1, x1 = box
    a[y0:y1, x0:x1] = b[y0:y1, x0:x1]
    return a, (1 - _share(a, box)) * la + _share(a, box) * lb


@pytest.mark.parametrize("func, words", [
    (lambda a, la, b, lb, box: (_paste(b, a, box), (1 - _share(a, box)) * la + _share(a, box) * lb),
     "pasted image_a's box into image_b"),
    (lambda a, la, b, lb, box: (a, la), "unchanged image_a"),
    (_from_elsewhere, "from the SAME place"),
    (_transposed, "Rows are the first index"),
    (_in_place, "changed the caller's image_a"),
    (lambda a, la, b, lb, box: (_paste(a, b, box), la), "one image's one-hot vector"),
    (lambda a, la, b, lb, box: (_paste(a, b, box), _share(a, box) * la + (1 - _share(a, box)) * lb),
     "weights are swapped"),
    (lambda a, la, b, lb, box: (_paste(a, b, box), (1 - (box[2] - box[0]) / a.shape[0]) * la
                                + (box[2] - box[0]) / a.shape[0] * lb), "box's AREA"),
    (lambda a, la, b, lb, box: (_paste(a, b, box), 0.9 * la + 0.1 * lb), "the label should be"),
    (lambda a, la, b, lb, box: _paste(a, b, box), "return TWO things"),
    (lambda a, la, b, lb, box: ..., "still returns `...`"),
    (lambda a, la, b, lb, box: (_paste(a, b, box)[:2], la), "keep the input's shape"),
    (lambda a, la, b, lb, box: (_paste(a, b, (box[0], box[1], box[2], box[3], 0)), la), "raised ValueError"),
])
def test_cutmix_mistakes_get_specific_hints(func, words):
    feedback = check_cutmix_pair(func)
    assert not feedback.correct
    assert words in feedback.message


@pytest.mark.parametrize("bad, words", [
    ((np.zeros(3), np.zeros(2)), "pass the function itself"),
    (42, "should be a function"),
    (..., "`...` placeholder"),
])
def test_cutmix_odd_answers_get_hints(bad, words):
    feedback = check_cutmix_pair(bad)
    assert not feedback.correct and words in feedback.message


# --------------------------------------------------------------------------- hostile and subtle answers


def _exits(*args):
    import sys

    sys.exit(1)


@pytest.mark.parametrize("check", [check_mixup_pair, check_cutmix_pair])
def test_a_function_that_exits_gets_a_hint_not_a_crash(check):
    feedback = check(_exits)
    assert not feedback.correct and "exit()" in feedback.message


def test_changing_a_label_in_place_is_caught():
    def mixup_in_place(a, la, b, lb, lam):
        la *= lam
        la += (1 - lam) * lb
        return lam * a + (1 - lam) * b, la

    feedback = check_mixup_pair(mixup_in_place)
    assert not feedback.correct and "changed the caller's label_a in place" in feedback.message

    def cutmix_in_place(a, la, b, lb, box):
        share = _share(a, box)
        lb *= share
        lb += (1 - share) * la
        return _paste(a, b, box), lb

    feedback = check_cutmix_pair(cutmix_in_place)
    assert not feedback.correct and "changed the caller's label_b in place" in feedback.message


@pytest.mark.parametrize("func", [
    lambda a, la, b, lb, lam: (a + (1 - lam) * (b - a), lam * la + (1 - lam) * lb),
    lambda a, la, b, lb, lam: (b + lam * (a - b), lam * la + (1 - lam) * lb),
])
def test_uint8_wraparound_gets_its_own_hint(func):
    feedback = check_mixup_pair(func)
    assert not feedback.correct and "wraps around" in feedback.message
    # the same formula on floats is right
    assert check_mixup_pair(lambda a, la, b, lb, lam: func(a.astype(np.float32), la, b.astype(np.float32), lb, lam))


def test_an_inclusive_box_gets_the_slice_hint():
    def inclusive(a, la, b, lb, box):
        y0, x0, y1, x1 = box
        out = a.astype(float)
        out[y0:y1 + 1, x0:x1 + 1] = b[y0:y1 + 1, x0:x1 + 1]
        return out, (1 - _share(a, box)) * la + _share(a, box) * lb

    feedback = check_cutmix_pair(inclusive)
    assert not feedback.correct and "stop before row y1" in feedback.message


WRONG_MIXUPS = [
    lambda a, la, b, lb, lam: (lam * a + (1 - lam) * b, (la + lb) / 2),
    lambda a, la, b, lb, lam: (np.round(lam, 1) * a + (1 - np.round(lam, 1)) * b, lam * la + (1 - lam) * lb),
    lambda a, la, b, lb, lam: (lam * a + (1 - lam) * b, lam * la + (1 - lam) * lb + 1e-2),
    lambda a, la, b, lb, lam: (np.full(a.shape, np.nan), lam * la + (1 - lam) * lb),
    lambda a, la, b, lb, lam: (lam * a + (1 - lam) * b, np.full(la.shape, np.inf)),
    lambda a, la, b, lb, lam: (np.clip(lam * a + (1 - lam) * b, 0, 200), lam * la + (1 - lam) * lb),
    lambda a, la, b, lb, lam: (lam * a + (1 - lam) * b.T.T[:, ::-1], lam * la + (1 - lam) * lb),
    lambda a, la, b, lb, lam: ((lam * a + (1 - lam) * b).astype(np.float16), lam * la + (1 - lam) * lb),
]
WRONG_CUTMIXES = [
    lambda a, la, b, lb, box: (_paste(a, b, box), (1 - _share(a, box)) * la + _share(a, box) * lb + 1e-2),
    lambda a, la, b, lb, box: (_paste(a, b, box).clip(0, 200), (1 - _share(a, box)) * la + _share(a, box) * lb),
    lambda a, la, b, lb, box: (_paste(a, b, box), (1 - _share(a, box) / 3) * la + _share(a, box) / 3 * lb),
    lambda a, la, b, lb, box: (_paste(a, b, (box[0], box[1], box[2], box[3] - 1)),
                               (1 - _share(a, box)) * la + _share(a, box) * lb),
    lambda a, la, b, lb, box: (np.where(np.ones_like(a, bool), np.nan, a), la),
]


@pytest.mark.parametrize("func", WRONG_MIXUPS)
def test_no_wrong_mixup_is_called_correct(func):
    feedback = check_mixup_pair(func)
    assert not feedback.correct and feedback.message


@pytest.mark.parametrize("func", WRONG_CUTMIXES)
def test_no_wrong_cutmix_is_called_correct(func):
    feedback = check_cutmix_pair(func)
    assert not feedback.correct and feedback.message


def test_numpy_and_list_forms_of_a_right_answer_pass():
    def as_lists(a, la, b, lb, lam):
        image, label = MIXUP(a, la, b, lb, lam)
        return image.tolist(), [np.float32(v) for v in label]

    assert check_mixup_pair(as_lists).correct
    assert check_mixup_pair(lambda a, la, b, lb, lam: MIXUP(a, la, b, lb, np.float64(lam))).correct
