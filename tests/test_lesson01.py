"""The teaching code of lesson 01 (course_lib.lessons.l01_overfitting, generated from the lesson's #@save cells):
nested subsets and training on growing sizes, on small fake data (never a copy of CIFAR-10)."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.lessons import l01_overfitting as l01
from helpers import NOT_A_COUNT, assert_rejects, bad_argument_cases, fake_cifar_arrays, write_npz


@pytest.fixture()
def fake_cifar(tmp_path, monkeypatch):
    write_npz(tmp_path / "data" / "cifar10.npz", fake_cifar_arrays(per_class_train=8, per_class_test=3))
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "data"))


def _ids(images):
    return {int(i) for i in images[:, 0, 0, 0]}  # pixel [0, 0, 0] holds the image's row in the fake file


def test_the_recipe_constants_are_what_the_lesson_says():
    assert l01.SIZES == tuple(sorted(l01.SIZES)) and all(b == 2 * a for a, b in zip(l01.SIZES, l01.SIZES[1:]))
    assert (l01.EPOCHS, l01.BATCH_SIZE, l01.N_VAL, l01.N_TEST) == (30, 32, 500, 2000)


def test_nested_subsets_nest_and_share_validation_and_test_images(fake_cifar):
    subsets = l01.nested_subsets([10, 20, 40], seed=3, n_val=10, n_test=20)
    assert list(subsets) == [10, 20, 40]
    for small, big in ((10, 20), (20, 40)):
        assert _ids(subsets[small].x_train) <= _ids(subsets[big].x_train)
        assert np.array_equal(subsets[small].x_val, subsets[big].x_val)
        assert np.array_equal(subsets[small].x_test, subsets[big].x_test)
        assert not _ids(subsets[big].x_train) & _ids(subsets[big].x_val)
    assert np.bincount(subsets[20].y_train).tolist() == [2] * 10  # stratified
    other = l01.nested_subsets([10], seed=4, n_val=10, n_test=20)
    assert _ids(other[10].x_train) != _ids(subsets[10].x_train)


def test_train_on_sizes_starts_every_run_from_the_same_weights(fake_cifar):
    subsets = l01.nested_subsets([10, 20], seed=0, n_val=10, n_test=20)
    results = l01.train_on_sizes(subsets, seed=0, epochs=2, batch_size=8, filters=(4,), dense_units=8)
    assert list(results) == [10, 20]
    for n, r in results.items():
        assert r.n_train == n and r.epochs == 2 and r.label == f"{n} images"
        assert len(r.history["val_accuracy"]) == 2 and r.predictions.shape == (20,)
        assert 0.0 <= r.clean_train_accuracy <= 1.0
    again = l01.train_on_sizes({10: subsets[10]}, seed=0, epochs=2, batch_size=8, filters=(4,), dense_units=8)
    assert again[10].history == results[10].history  # same seed, same start, same data: the same run
    slow = l01.train_on_sizes({10: subsets[10]}, seed=0, epochs=1, batch_size=8, learning_rate=1e-6,
                              filters=(4,), dense_units=8)
    assert slow[10].history["loss"] != results[10].history["loss"][:1]


GOOD_SUBSETS = {"sizes": [10, 20], "seed": 0, "n_val": 10, "n_test": 20}


@pytest.mark.parametrize("func, good, arg, value", bad_argument_cases(l01.nested_subsets, GOOD_SUBSETS, {
    "sizes": ["10", 10, None, [], [20, 10], [10, 10], [5], [10**9], [2.5], [True], [np.nan]],
    "seed": [-1, 2.5, "3", None, True],
    "n_val": [-1, 2.5, "3"],
    "n_test": [-1, 2.5, "3"],
}))
def test_nested_subsets_names_every_bad_argument(fake_cifar, func, good, arg, value):
    assert_rejects(func, good, arg, value)


def test_train_on_sizes_names_every_bad_argument(fake_cifar):
    subsets = l01.nested_subsets([10], seed=0, n_val=10, n_test=20)
    good = {"subsets": subsets, "seed": 0, "epochs": 1, "batch_size": 8, "filters": (4,), "dense_units": 8}
    for value in ([], {}, "subsets", None):
        assert_rejects(l01.train_on_sizes, good, "subsets", value)
    for arg, values in {"epochs": NOT_A_COUNT, "batch_size": (0, -1, 2.5, "8", None),
                        "learning_rate": (0.0, -1.0, float("nan"), "0.1", None),
                        "dense_units": (0, 2.5, "8"), "seed": (-1, 2.5, "3")}.items():
        for value in values:
            assert_rejects(l01.train_on_sizes, good, arg, value)
    with pytest.raises(TypeError, match="no_such_option"):
        l01.train_on_sizes(subsets, seed=0, epochs=1, no_such_option=3)
