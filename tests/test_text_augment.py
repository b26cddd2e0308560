"""EDA text augmentations keep the words they promise to keep; the synonym table is sound."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import text_augment as ta

TABLE = ta.load_synonyms()
SENTENCE = "The movie was a great story, but the ending felt slow and the actors did not look happy."
VOCAB = sorted(TABLE)[:60] + ["the", "a", "not", "and", "of", "it", "was", "is"]
sentences = st.lists(st.sampled_from(VOCAB), min_size=1, max_size=25).map(" ".join)
seeds = st.integers(0, 2**32 - 1)


def is_subsequence(small, big):
    it = iter(big)
    return all(word in it for word in small)


def test_shipped_table_is_a_few_hundred_single_lowercase_words():
    assert 300 <= len(TABLE) <= 2000
    for word, options in TABLE.items():
        assert word.isalpha() and word.islower()
        assert options and word not in options
        assert all(o.isalpha() and o.islower() for o in options)
    assert "good" in TABLE["great"] and "not" not in TABLE and "the" not in TABLE
    raw = json.loads(resources.files("course_lib").joinpath("resources").joinpath("synonyms.json").read_text())
    assert set(raw) == {"_about", "synonyms"}


def test_load_synonyms_returns_a_copy():
    table = ta.load_synonyms()
    table["great"] = ("zzz",)
    assert ta.load_synonyms()["great"] != ("zzz",)


def test_words_lowercases_and_drops_punctuation():
    assert ta.words("Don't STOP, me now!") == ["don't", "stop", "me", "now"]
    assert ta.words("...") == []


@settings(max_examples=80, deadline=None)
@given(sentence=sentences, n=st.integers(0, 6), seed=seeds)
def test_synonym_replacement_only_replaces_words_with_synonyms_by_a_listed_synonym(sentence, n, seed):
    before = ta.words(sentence)
    after = ta.words(ta.synonym_replacement(sentence, n, rng=seed))
    assert len(after) == len(before)
    changed = {b for b, a in zip(before, after) if a != b}
    for b, a in zip(before, after):
        assert a == b or a in TABLE[b]
    assert len(changed) <= n
    candidates = {w for w in before if w in TABLE}
    assert len(changed) == min(n, len(candidates))  # it replaces as many as it can


def test_synonym_replacement_uses_the_same_synonym_for_every_occurrence_and_a_custom_table():
    out = ta.synonym_replacement("cat and cat", 1, rng=0, synonyms={"cat": ["dog", "cat"]})
    assert out == "dog and dog"
    assert ta.synonym_replacement("zzz qqq", 3, rng=0) == "zzz qqq"


@settings(max_examples=80, deadline=None)
@given(sentence=sentences, n=st.integers(0, 6), seed=seeds)
def test_random_insertion_keeps_every_original_word_in_order(sentence, n, seed):
    before = ta.words(sentence)
    after = ta.words(ta.random_insertion(sentence, n, rng=seed))
    assert is_subsequence(before, after)
    has_synonyms = any(w in TABLE for w in before)
    assert len(after) == len(before) + (n if has_synonyms else 0)
    inserted = Counter(after) - Counter(before)
    allowed = {o for w in before for o in TABLE.get(w, ())}
    assert set(inserted) <= allowed


@settings(max_examples=80, deadline=None)
@given(sentence=sentences, n=st.integers(0, 6), seed=seeds)
def test_random_swap_is_a_permutation(sentence, n, seed):
    before = ta.words(sentence)
    after = ta.words(ta.random_swap(sentence, n, rng=seed))
    assert sorted(after) == sorted(before)


def test_random_swap_changes_the_order():
    out = ta.random_swap("one two three four five", 1, rng=0).split()
    assert sum(a != b for a, b in zip(out, "one two three four five".split())) == 2
    assert ta.random_swap("alone", 3, rng=0) == "alone"


@settings(max_examples=80, deadline=None)
@given(sentence=sentences, p=st.floats(0, 1), seed=seeds)
def test_random_deletion_only_removes_and_never_empties(sentence, p, seed):
    before = ta.words(sentence)
    after = ta.words(ta.random_deletion(sentence, p, rng=seed))
    assert 1 <= len(after) <= len(before)
    assert is_subsequence(after, before)


def test_random_deletion_extremes():
    assert ta.random_deletion(SENTENCE, 0.0, rng=0) == " ".join(ta.words(SENTENCE))
    assert len(ta.random_deletion(SENTENCE, 1.0, rng=0).split()) == 1


@pytest.mark.parametrize("func", [ta.synonym_replacement, ta.random_insertion, ta.random_swap])
def test_seeded_and_generator_driven(func):
    assert func(SENTENCE, 3, rng=5) == func(SENTENCE, 3, rng=np.random.default_rng(5))
    rng = np.random.default_rng(0)
    outputs = {func(SENTENCE, 3, rng=rng) for _ in range(10)}
    assert len(outputs) > 1


def test_deletion_seeded():
    assert ta.random_deletion(SENTENCE, 0.3, rng=5) == ta.random_deletion(SENTENCE, 0.3, rng=5)


BAD_CALLS = [
    (lambda: ta.words(["a", "list"]), TypeError, "sentence"),
    (lambda: ta.synonym_replacement(42, 1, rng=0), TypeError, "sentence"),
    (lambda: ta.synonym_replacement("!!!", 1, rng=0), ValueError, "sentence"),
    (lambda: ta.synonym_replacement(SENTENCE, -1, rng=0), ValueError, "n"),
    (lambda: ta.synonym_replacement(SENTENCE, 1.5, rng=0), TypeError, "n"),
    (lambda: ta.synonym_replacement(SENTENCE, 1, rng="zero"), TypeError, "rng"),
    (lambda: ta.synonym_replacement(SENTENCE, 1, rng=0, synonyms=["good"]), TypeError, "synonyms"),
    (lambda: ta.synonym_replacement(SENTENCE, 1, rng=0, synonyms={"good": "fine"}), TypeError, "synonyms"),
    (lambda: ta.synonym_replacement(SENTENCE, 1, rng=0, synonyms={"good": [""]}), TypeError, "synonyms"),
    (lambda: ta.random_insertion(None, 1, rng=0), TypeError, "sentence"),
    (lambda: ta.random_insertion(SENTENCE, -2, rng=0), ValueError, "n"),
    (lambda: ta.random_insertion(SENTENCE, 1, rng=None), TypeError, "rng"),
    (lambda: ta.random_insertion(SENTENCE, 1, rng=0, synonyms={1: ["x"]}), TypeError, "synonyms"),
    (lambda: ta.random_swap("", 1, rng=0), ValueError, "sentence"),
    (lambda: ta.random_swap(SENTENCE, "2", rng=0), TypeError, "n"),
    (lambda: ta.random_swap(SENTENCE, 1, rng=-5), ValueError, "rng"),
    (lambda: ta.random_deletion(b"bytes", 0.1, rng=0), TypeError, "sentence"),
    (lambda: ta.random_deletion(SENTENCE, 1.5, rng=0), ValueError, "p"),
    (lambda: ta.random_deletion(SENTENCE, -0.1, rng=0), ValueError, "p"),
    (lambda: ta.random_deletion(SENTENCE, None, rng=0), TypeError, "p"),
    (lambda: ta.random_deletion(SENTENCE, 0.1, rng=2.0), TypeError, "rng"),
]


@pytest.mark.parametrize("call, error, name", BAD_CALLS)
def test_every_invalid_argument_is_named(call, error, name):
    with pytest.raises(error, match=rf"^{name} "):
        call()


def test_the_synonym_table_is_shipped_as_package_data():
    import tomllib
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())
    assert "resources/*.json" in pyproject["tool"]["setuptools"]["package-data"]["course_lib"]
