"""The data module: where CIFAR-10 is found, how it is checked and subset, and the package images."""

from __future__ import annotations

import io
import pickle
import tarfile

import numpy as np
import pytest

from course_lib import data
from helpers import fake_cifar_arrays, write_npz


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    write_npz(folder / "cifar10.npz", fake_cifar_arrays())
    monkeypatch.setenv("COURSE_DATA_DIR", str(folder))
    return folder


# ----------------------------------------------------------------- search order


def test_loads_from_course_data_dir(data_dir):
    d = data.load_cifar10()
    assert d.x_train.shape == (120, 32, 32, 3) and d.x_train.dtype == np.uint8
    assert d.x_test.shape == (40, 32, 32, 3)
    assert d.y_train.dtype == np.int64 and set(d.y_train) == set(range(10))
    assert d.class_names == data.CIFAR10_CLASSES and d.num_classes == 10
    assert d.x_val.shape == (0, 32, 32, 3)


def test_data_dir_wins_over_cache(tmp_path, data_dir):
    cached = fake_cifar_arrays(per_class_train=3, per_class_test=1)
    write_npz(data.cache_dir() / "cifar10.npz", cached)
    assert data.find_cifar10() == data_dir / "cifar10.npz"
    assert len(data.load_cifar10().x_train) == 120


def test_cache_used_when_no_data_dir():
    write_npz(data.cache_dir() / "cifar10.npz", fake_cifar_arrays(per_class_train=3, per_class_test=1))
    assert data.find_cifar10() == data.cache_dir() / "cifar10.npz"
    assert len(data.load_cifar10().x_train) == 30


def test_data_dir_argument_overrides_environment(tmp_path, data_dir):
    other = write_npz(tmp_path / "other" / "cifar10.npz", fake_cifar_arrays(per_class_train=2, per_class_test=1))
    assert data.find_cifar10(data_dir=other.parent) == other


def test_cache_dir_follows_xdg(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert data.cache_dir() == tmp_path / "xdg" / "augmentation-course"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert data.cache_dir().name == "augmentation-course"


def test_find_rejects_non_path():
    with pytest.raises(TypeError, match="data_dir"):
        data.find_cifar10(data_dir=3)


# ----------------------------------------------------------------- subsets


def test_stratified_sizes_and_labels(data_dir):
    d = data.load_cifar10(n_train=50, n_test=20, n_val=10, seed=3)
    assert np.bincount(d.y_train).tolist() == [5] * 10
    assert np.bincount(d.y_test).tolist() == [2] * 10
    assert np.bincount(d.y_val).tolist() == [1] * 10
    assert "per class [5, 5" in d.summary()


def test_uneven_total_spreads_remainder(data_dir):
    d = data.load_cifar10(n_train=23)
    assert np.bincount(d.y_train, minlength=10).tolist() == [3, 3, 3, 2, 2, 2, 2, 2, 2, 2]


def test_subsets_are_seeded_nested_and_disjoint_from_validation(data_dir):
    ids = lambda x: set(x[:, 0, 0, 0].tolist())  # noqa: E731 - pixel encodes the source row
    small = data.load_cifar10(n_train=30, n_val=20, seed=1)
    large = data.load_cifar10(n_train=80, n_val=20, seed=1)
    again = data.load_cifar10(n_train=30, n_val=20, seed=1)
    other = data.load_cifar10(n_train=30, n_val=20, seed=2)
    assert ids(small.x_train) <= ids(large.x_train)
    assert ids(small.x_train).isdisjoint(ids(small.x_val))
    np.testing.assert_array_equal(small.x_train, again.x_train)
    assert ids(small.x_train) != ids(other.x_train)


def test_labels_match_images(data_dir):
    arrays = fake_cifar_arrays()
    d = data.load_cifar10(n_train=40, seed=5)
    for image, label in zip(d.x_train, d.y_train):
        row = int(image[0, 0, 0])
        assert arrays["y_train"][row] == label
        np.testing.assert_array_equal(arrays["x_train"][row], image)


def test_classes_subset_relabels(data_dir):
    d = data.load_cifar10(classes=["dog", "cat"], train_per_class=4, n_test=4)
    assert d.class_names == ("dog", "cat")
    assert sorted(np.bincount(d.y_train).tolist()) == [4, 4]
    arrays = fake_cifar_arrays()
    for image, label in zip(d.x_train, d.y_train):
        assert arrays["y_train"][image[0, 0, 0]] == (5 if label == 0 else 3)


def test_per_class_mapping_makes_imbalance(data_dir):
    d = data.load_cifar10(train_per_class={"airplane": 10, 1: 2}, test_per_class=1)
    assert np.bincount(d.y_train, minlength=10).tolist() == [10, 2] + [0] * 8
    assert len(d.y_test) == 10


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"n_train": -1}, "n_train"),
        ({"n_train": 2.5}, "n_train"),
        ({"n_train": 10, "train_per_class": 1}, "n_train or train_per_class"),
        ({"n_train": 10_000}, "only"),
        ({"seed": -1}, "seed"),
        ({"classes": "dog"}, "classes"),
        ({"classes": ["wolf"]}, "classes"),
        ({"classes": [3, 3]}, "classes"),
        ({"classes": [12]}, "classes"),
        ({"train_per_class": {"wolf": 1}}, "train_per_class"),
        ({"test_per_class": {11: 1}}, "test_per_class"),
        ({"download": "yes"}, "download"),
    ],
)
def test_bad_arguments_name_themselves(data_dir, kwargs, match):
    with pytest.raises((TypeError, ValueError), match=match):
        data.load_cifar10(**kwargs)


# ----------------------------------------------------------------- file validation


@pytest.mark.parametrize(
    "change, match",
    [
        (lambda a: a.pop("y_test"), "missing the key"),
        (lambda a: a.update(x_train=a["x_train"].astype(np.float32)), "x_train must have dtype uint8"),
        (lambda a: a.update(x_test=a["x_test"][:, :16]), "x_test must have shape"),
        (lambda a: a.update(y_train=a["y_train"][:-1]), "y_train must have shape"),
        (lambda a: a.update(y_train=a["y_train"].astype(np.float32)), "integer labels"),
        (lambda a: a.update(y_test=a["y_test"] + 5), "labels 0..9"),
    ],
)
def test_invalid_file_is_named(tmp_path, change, match):
    arrays = fake_cifar_arrays()
    change(arrays)
    path = write_npz(tmp_path / "cifar10.npz", arrays)
    with pytest.raises(data.DataFileError, match=match):
        data.read_cifar10_file(path)


def test_keras_style_column_labels_are_accepted(tmp_path):
    arrays = fake_cifar_arrays()
    arrays["y_train"] = arrays["y_train"][:, None]
    out = data.read_cifar10_file(write_npz(tmp_path / "cifar10.npz", arrays))
    assert out["y_train"].shape == (120,)


def test_truncated_file_is_reported(tmp_path, monkeypatch):
    path = write_npz(tmp_path / "cifar10.npz", fake_cifar_arrays())
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(data.DataFileError, match="truncated or corrupt"):
        data.read_cifar10_file(path)
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    with pytest.raises(data.DataFileError, match=str(path)):
        data.load_cifar10()


def test_pickled_object_arrays_are_refused(tmp_path):
    arrays = fake_cifar_arrays()
    arrays["y_test"] = np.array([object()] * 40, dtype=object)
    path = tmp_path / "cifar10.npz"
    np.savez(path, **arrays)
    with pytest.raises(data.DataFileError, match="Python objects"):
        data.read_cifar10_file(path)


def _good_file(folder):
    return write_npz(folder / "cifar10.npz", fake_cifar_arrays())


@pytest.mark.parametrize("make, match", [
    (lambda p: p.mkdir(), "is a folder"),
    (lambda p: p.symlink_to(p.parent / "gone.npz"), "symbolic link .* does not exist"),
    (lambda p: np.save(open(p, "wb"), np.zeros((3, 32, 32, 3), np.uint8)), "renamed to .npz"),
    (lambda p: p.write_text("hello"), "not an .npz archive"),
])
def test_odd_things_under_the_file_name_are_data_file_errors(tmp_path, monkeypatch, make, match):
    target = tmp_path / "cifar10.npz"
    make(target)
    with pytest.raises(data.DataFileError, match=match):
        data.read_cifar10_file(target)
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(data, "download_cifar10", lambda cache=None: pytest.fail("must not download"))
    with pytest.raises(data.DataFileError, match=match):
        data.load_cifar10()


def test_an_absurd_header_is_refused_before_any_memory_is_used(tmp_path):
    import io
    import zipfile

    arrays = fake_cifar_arrays()
    del arrays["x_train"]
    path = write_npz(tmp_path / "cifar10.npz", arrays)
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "|u1", "fortran_order": False,
                                                  "shape": (10**9, 32, 32, 3)})
    with zipfile.ZipFile(path, "a") as archive:  # an x_train whose header claims a billion images
        archive.writestr("x_train.npy", b"\x93NUMPY\x01\x00" + header.getvalue()[8:] + b"\x00" * 100)
    with pytest.raises(data.DataFileError, match="claims shape"):
        data.read_cifar10_file(path)


def test_an_unreadable_file_is_called_unreadable_not_corrupt(tmp_path, monkeypatch):
    path = _good_file(tmp_path)
    real_open = open

    def denied(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", denied)
    with pytest.raises(data.DataFileError, match="permission denied") as info:
        data.read_cifar10_file(path)
    assert "corrupt" not in str(info.value)


def test_a_named_data_directory_never_falls_through_to_a_download(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "download_cifar10", lambda cache=None: pytest.fail("must not download"))
    _good_file(tmp_path / "cache" / "augmentation-course")  # a valid cache the named folder must not hide behind
    with pytest.raises(data.DataUnavailableError, match=r"data_dir=.*missing.* does not exist"):
        data.load_cifar10(data_dir=tmp_path / "missing")
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "empty"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(data.DataUnavailableError, match=r"\$COURSE_DATA_DIR=.*holds no cifar10.npz"):
        data.load_cifar10()
    (tmp_path / "a_file").write_text("x")
    with pytest.raises(data.DataUnavailableError, match="is not a folder"):
        data.load_cifar10(data_dir=tmp_path / "a_file")


# ----------------------------------------------------------------- download path


def _cifar_tarball(path):
    """A tar.gz laid out like the real cifar-10-python.tar.gz, with blank images."""
    buf = tarfile.open(path, "w:gz")

    def add(name, labels, fill):
        images = np.full((len(labels), 3072), fill, dtype=np.uint8)
        payload = pickle.dumps({b"data": images, b"labels": list(labels)})
        info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
        info.size = len(payload)
        buf.addfile(info, io.BytesIO(payload))

    for i in range(1, 6):
        add(f"data_batch_{i}", [j % 10 for j in range(10_000)], fill=i)
    add("test_batch", [j % 10 for j in range(10_000)], fill=9)
    buf.close()


@pytest.fixture
def keras_origin(tmp_path, monkeypatch):
    """Point Keras's real CIFAR-10 download at a file:// origin the test controls."""
    import keras.src.datasets.cifar10 as keras_cifar
    from keras.src.utils.file_utils import get_file as real_get_file

    state = {"origin": (tmp_path / "origin" / "cifar-10-python.tar.gz").as_uri()}
    (tmp_path / "keras").mkdir()  # Keras falls back to /tmp/.keras for a folder that does not exist

    def fake_get_file(fname, origin, **kwargs):
        kwargs.pop("file_hash", None)
        return real_get_file(fname, state["origin"], cache_dir=str(tmp_path / "keras"), **kwargs)

    monkeypatch.setattr(keras_cifar, "get_file", fake_get_file)
    return state


def test_download_through_keras_is_cached(tmp_path, keras_origin):
    (tmp_path / "origin").mkdir()
    _cifar_tarball(tmp_path / "origin" / "cifar-10-python.tar.gz")
    d = data.load_cifar10(n_train=20, n_test=10)
    cached = data.cache_dir() / "cifar10.npz"
    assert cached.is_file()
    assert d.x_train.shape == (20, 32, 32, 3) and set(np.unique(d.x_test)) == {9}
    full = data.read_cifar10_file(cached)
    assert full["x_train"].shape == (50_000, 32, 32, 3) and full["y_test"].shape == (10_000,)
    assert not list(cached.parent.glob("*.part"))
    keras_origin["origin"] = "file:///nowhere/at/all.tar.gz"  # the cache is used from now on
    assert len(data.load_cifar10(n_train=10).x_train) == 10


def test_offline_without_data_raises_course_error(keras_origin):
    keras_origin["origin"] = "file:///nowhere/at/all.tar.gz"
    with pytest.raises(data.DataUnavailableError, match="COURSE_DATA_DIR") as info:
        data.load_cifar10()
    assert info.value.__cause__ is None and info.value.__suppress_context__
    assert "python -m course_lib.data download" in str(info.value)


def test_download_false_never_downloads(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "empty"))
    with pytest.raises(data.DataUnavailableError, match="does not exist"):
        data.load_cifar10(download=False)
    monkeypatch.delenv("COURSE_DATA_DIR")
    with pytest.raises(data.DataUnavailableError, match="download=False"):
        data.load_cifar10(download=False)


def test_cli_info_and_download(tmp_path, capsys, keras_origin, data_dir):
    assert data.main(["info"]) == 0
    assert str(data_dir) in capsys.readouterr().out


def test_cli_reports_missing_data(capsys, keras_origin):
    keras_origin["origin"] = "file:///nowhere/at/all.tar.gz"
    assert data.main(["info"]) == 1
    assert data.main(["download"]) == 1
    assert "COURSE_DATA_DIR" in capsys.readouterr().out


# ----------------------------------------------------------------- images shipped in packages


def test_photo_is_real_high_resolution_rgb():
    cat = data.load_photo()
    assert cat.shape == (300, 451, 3) and cat.dtype == np.uint8 and cat.std() > 20
    assert data.load_photo("astronaut").shape == (512, 512, 3)
    with pytest.raises(ValueError, match="name"):
        data.load_photo("dog")


def test_digits_and_faces():
    digits = data.load_digits()
    assert digits.x_train.shape[1:] == (8, 8, 1) and digits.x_train.dtype == np.uint8
    assert len(digits.x_train) + len(digits.x_test) == 1797 and digits.x_train.max() == 255
    assert digits.class_names[6] == "6" and len(digits.x_val) == 0
    faces = data.load_faces(test_fraction=0.5)
    assert faces.x_train.shape == (100, 25, 25, 1) and faces.class_names == ("non-face", "face")
    assert np.bincount(faces.y_test).tolist() == [50, 50]
    with pytest.raises(ValueError, match="test_fraction"):
        data.load_digits(test_fraction=1.5)


def test_stratified_split_validates_labels():
    with pytest.raises(TypeError, match="labels"):
        data.stratified_split(np.array([0.5, 1.5]), [[1, 1]], seed=0)
