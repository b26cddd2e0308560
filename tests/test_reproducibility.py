"""Seeding, deterministic training and TensorFlow's quiet start."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from course_lib.reproducibility import set_seed


def test_same_seed_same_random_numbers():
    import keras
    import tensorflow as tf

    def draw():
        return (np.random.rand(), tf.random.uniform([2]).numpy().tolist(), keras.random.uniform([2]).numpy().tolist())

    assert set_seed(7) == 7
    first = draw()
    set_seed(7)
    assert draw() == first
    set_seed(8)
    assert draw() != first


@pytest.mark.parametrize("bad", [-1, 2**32, 1.5, "1", True])
def test_seed_must_be_a_valid_integer(bad):
    with pytest.raises((TypeError, ValueError), match="seed"):
        set_seed(bad)


def _fresh_python(code, **env):
    full = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    full.update(env)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=full, timeout=120)


def test_import_sets_quiet_tensorflow_defaults_but_respects_the_user():
    code = "import os, course_lib; print(os.environ['TF_CPP_MIN_LOG_LEVEL'], os.environ['TF_ENABLE_ONEDNN_OPTS'])"
    assert _fresh_python(code).stdout.split() == ["2", "0"]
    assert _fresh_python(code, TF_CPP_MIN_LOG_LEVEL="0").stdout.split() == ["0", "0"]


def test_set_seed_starts_tensorflow_without_log_lines():
    run = _fresh_python("from course_lib.reproducibility import set_seed; set_seed(1); "
                        "import tensorflow as tf; print(float(tf.reduce_sum(tf.ones([3]))))")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "3.0"
    assert run.stderr.strip() == ""


def test_set_seed_without_tensorflow_seeds_python_and_numpy_and_does_not_start_it():
    run = _fresh_python("import random, sys, numpy as np; from course_lib.reproducibility import set_seed; "
                        "set_seed(3, tensorflow=False); a = (random.random(), np.random.rand()); "
                        "set_seed(3, tensorflow=False); b = (random.random(), np.random.rand()); "
                        "print(a == b, 'tensorflow' in sys.modules, 'keras' in sys.modules)")
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["True", "False", "False"]
    with pytest.raises(TypeError, match="tensorflow"):
        set_seed(3, tensorflow="no")


def test_tensorflow_python_warnings_are_kept_out_unless_verbose(monkeypatch):
    import logging

    from course_lib.reproducibility import VERBOSE_ENV, import_tensorflow

    logging.getLogger("tensorflow").setLevel(logging.WARNING)
    monkeypatch.setenv(VERBOSE_ENV, "1")
    import_tensorflow()
    assert logging.getLogger("tensorflow").level == logging.WARNING
    monkeypatch.delenv(VERBOSE_ENV)
    import_tensorflow()
    assert logging.getLogger("tensorflow").level == logging.ERROR
