"""EDA text augmentations of lesson 10 (the generated module): they keep the words they promise to keep,
the synonym table is sound, and every bad argument is refused by name, quickly."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.lessons import l10_beyond_images as L
from helpers import assert_rejects, bad_argument_cases

TABLE = L.load_synonyms()
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
    assert L.SYNONYMS == TABLE


def test_load_synonyms_returns_a_copy():
    table = L.load_synonyms()
    table["great"] = ("zzz",)
    assert L.load_synonyms()["great"] != ("zzz",)


def test_words_lowercases_and_drops_punctuation():
    assert L.words("Don't STOP, me now!") == ["don't", "stop", "me", "now"]
    assert L.words("...") == []


@settings(max_examples=80, deadline=None)
@given(sentence=sentences, n=st.integers(0, 6), seed=seeds)
def test_synonym_replacement_only_replaces_words_with_synonyms_by_a_listed_synonym(sentence, n, seed):
    before = L.words(sentence)
    after = L.words(L.synonym_replacement(sentence, n, rng=seed))
    assert len(after) == len(before)
    changed = {b for b, a in zip(before, after) if a != b}
    for b, a in zip(before, after):
        assert a == b or a in TABLE[b]
    assert len(changed) <= n
    candidates = {w for w in before if w in TABLE}
    assert len(changed) == min(n, len(candidates))  # it replaces as many as it can


def test_synonym_replacement_uses_the_same_synonym_for_every_occurrence_and_a_custom_table():
    assert L.synonym_replacement("cat and cat", 1, rng=0, synonyms={"cat": ["dog", "cat"]}) == "dog and dog"
    assert L.synonym_replacement("cat and cat", 1, rng=0, synonyms={"cat": ("cat",)}) == "cat and cat"
    assert L.synonym_replacement("zzz qqq", 3, rng=0) == "zzz qqq"


@settings(max_examples=80, deadline=None)
@given(sentence=sentences, n=st.integers(0, 6), seed=seeds)
def test_random_insertion_keeps_every_original_word_in_order(sentence, n, seed):
    before = L.words(sentence)
    after = L.words(L.random_insertion(sentence, n, rng=seed))
    assert is_subsequence(before, after)
    has_synonyms = any(w in TABLE for w in before)
    assert len(after) == len(before) + (n if has_synonyms else 0)
    inserted = Counter(after) - Counter(before)
    allowed = {o for w in before for o in TABLE.get(w, ())}
    assert set(inserted) <= allowed


def test_random_insertion_with_a_custom_table():
    out = L.random_insertion("cat sat", 3, rng=1, synonyms={"cat": ["kitten"]}).split()
    assert Counter(out) == Counter({"kitten": 3, "cat": 1, "sat": 1})
    assert L.random_insertion("zzz qqq", 4, rng=0) == "zzz qqq"


@settings(max_examples=80, deadline=None)
@given(sentence=sentences, n=st.integers(0, 6), seed=seeds)
def test_random_swap_is_a_permutation(sentence, n, seed):
    before = L.words(sentence)
    after = L.words(L.random_swap(sentence, n, rng=seed))
    assert sorted(after) == sorted(before)


def test_random_swap_changes_the_order():
    out = L.random_swap("one two three four five", 1, rng=0).split()
    assert sum(a != b for a, b in zip(out, "one two three four five".split())) == 2
    assert L.random_swap("alone", 3, rng=0) == "alone"


@settings(max_examples=80, deadline=None)
@given(sentence=sentences, p=st.floats(0, 1), seed=seeds)
def test_random_deletion_only_removes_and_never_empties(sentence, p, seed):
    before = L.words(sentence)
    after = L.words(L.random_deletion(sentence, p, rng=seed))
    assert 1 <= len(after) <= len(before)
    assert is_subsequence(after, before)


def test_random_deletion_extremes_and_rate():
    assert L.random_deletion(SENTENCE, 0.0, rng=0) == " ".join(L.words(SENTENCE))
    assert len(L.random_deletion(SENTENCE, 1.0, rng=0).split()) == 1
    rng = np.random.default_rng(0)
    kept = np.mean([len(L.random_deletion(SENTENCE, 0.3, rng=rng).split()) for _ in range(400)])
    assert kept / len(L.words(SENTENCE)) == pytest.approx(0.7, abs=0.03)


@pytest.mark.parametrize("func", [L.synonym_replacement, L.random_insertion, L.random_swap])
def test_seeded_and_generator_driven(func):
    assert func(SENTENCE, 3, rng=5) == func(SENTENCE, 3, rng=np.random.default_rng(5))
    rng = np.random.default_rng(0)
    outputs = {func(SENTENCE, 3, rng=rng) for _ in range(10)}
    assert len(outputs) > 1


def test_deletion_seeded():
    assert L.random_deletion(SENTENCE, 0.3, rng=5) == L.random_deletion(SENTENCE, 0.3, rng=5)


@pytest.mark.parametrize("func", [L.synonym_replacement, L.random_insertion, L.random_swap])
def test_absurd_counts_are_refused_and_the_limit_still_works(func):
    with pytest.raises(ValueError, match=r"^n must be <= 1000"):  # 10**7 insertions never returned
        func(SENTENCE, 10**7, rng=0)
    assert len(func("a great movie", L.MAX_CHANGES, rng=0).split()) in (3, 3 + L.MAX_CHANGES)


NOT_A_WORD_COUNT = (-1, 10**7, 2.5, float("nan"), "3", None, True, np.array([1, 2]))
NOT_A_PROBABILITY = (-0.1, 1.5, float("nan"), float("inf"), "0.1", None, True, np.array([0.1, 0.2]))
NOT_A_RNG = ("zero", None, -5, 2.0, True, [1])
NOT_A_SENTENCE = (42, None, b"bytes", ["a", "list"])
CASES = (
    bad_argument_cases(L.synonym_replacement, {"sentence": SENTENCE, "n": 1, "rng": 0},
                       {"sentence": NOT_A_SENTENCE, "n": NOT_A_WORD_COUNT, "rng": NOT_A_RNG,
                        "synonyms": (["good"], {"good": "fine"}, {"good": [""]}, {1: ["x"]}, {"good": [3]})})
    + bad_argument_cases(L.random_insertion, {"sentence": SENTENCE, "n": 1, "rng": 0},
                         {"sentence": NOT_A_SENTENCE, "n": NOT_A_WORD_COUNT, "rng": NOT_A_RNG,
                          "synonyms": ("table", {"good": None})})
    + bad_argument_cases(L.random_swap, {"sentence": SENTENCE, "n": 1, "rng": 0},
                         {"sentence": NOT_A_SENTENCE, "n": NOT_A_WORD_COUNT, "rng": NOT_A_RNG})
    + bad_argument_cases(L.random_deletion, {"sentence": SENTENCE, "p": 0.1, "rng": 0},
                         {"sentence": NOT_A_SENTENCE, "p": NOT_A_PROBABILITY, "rng": NOT_A_RNG})
)


@pytest.mark.parametrize("func, good, arg, value", CASES)
def test_every_invalid_argument_is_named(func, good, arg, value):
    error = assert_rejects(func, good, arg, value)
    assert str(error).startswith(arg)


@pytest.mark.parametrize("sentence", ["", "!!!", " ... "])
def test_a_sentence_without_words_is_refused(sentence):
    with pytest.raises(ValueError, match=r"^sentence must contain at least one word"):
        L.random_swap(sentence, 1, rng=0)


def test_the_synonym_table_is_shipped_as_package_data():
    import tomllib
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())
    assert "resources/*.json" in pyproject["tool"]["setuptools"]["package-data"]["course_lib"]
