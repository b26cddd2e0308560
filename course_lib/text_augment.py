"""Augmentations for sentences: the four "EDA" operations, in plain Python.

Wei and Zou (2019), "EDA: Easy Data Augmentation Techniques for Boosting
Performance on Text Classification Tasks", change a sentence by

* :func:`synonym_replacement` - replace words by synonyms;
* :func:`random_insertion` - insert a synonym of a word at a random place;
* :func:`random_swap` - swap two words;
* :func:`random_deletion` - drop each word with a probability.

A sentence is first split into lowercase words by :func:`words` (punctuation
is dropped, as in EDA); every function returns the changed words joined by
single spaces. Synonyms come from a small table the course ships
(``course_lib/resources/synonyms.json``, about 700 everyday English words,
written for this course; :func:`load_synonyms`), or from your own ``synonyms``
mapping. Random choices come from ``rng``: a ``numpy.random.Generator`` or an
integer seed. EDA used WordNet; this table is much smaller, so fewer words
have synonyms, and none of the function words (``not``, ``the``, ...) do.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any

import numpy as np

from . import _random, _validate

Synonyms = Mapping[str, Sequence[str]]
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")


@functools.lru_cache(maxsize=1)
def _shipped_synonyms() -> dict[str, tuple[str, ...]]:
    text = resources.files("course_lib").joinpath("resources").joinpath("synonyms.json").read_text(encoding="utf-8")
    table = json.loads(text)["synonyms"]
    return {word: tuple(options) for word, options in table.items()}


def load_synonyms() -> dict[str, tuple[str, ...]]:
    """The course's synonym table: word -> the words that may replace it (a fresh copy)."""
    return dict(_shipped_synonyms())


def words(sentence: str) -> list[str]:
    """Split ``sentence`` into lowercase words; punctuation is dropped (``"Don't!"`` -> ``["don't"]``)."""
    if not isinstance(sentence, str):
        raise TypeError(f"sentence must be a str, got {type(sentence).__name__}")
    return _WORD.findall(sentence.lower())


def _sentence_words(sentence: Any) -> list[str]:
    tokens = words(sentence)
    if not tokens:
        raise ValueError(f"sentence must contain at least one word, got {sentence!r}")
    return tokens


def _synonym_table(synonyms: Any) -> Synonyms:
    if synonyms is None:
        return _shipped_synonyms()
    if not isinstance(synonyms, Mapping):
        raise TypeError(f"synonyms must be a dict word -> list of words (or None for the course table), "
                        f"got {type(synonyms).__name__}")
    for word, options in synonyms.items():
        if not isinstance(word, str) or isinstance(options, str) or not isinstance(options, Sequence) \
                or not all(isinstance(o, str) and o for o in options):
            raise TypeError(f"synonyms must map each word to a list of non-empty words; "
                            f"synonyms[{word!r}] is {options!r}")
    return synonyms


def _options(word: str, table: Synonyms) -> list[str]:
    """The synonyms of ``word`` that differ from it (a table entry may list the word itself)."""
    return [o for o in table.get(word, ()) if o != word]


def synonym_replacement(
    sentence: str, n: int = 1, *, rng: np.random.Generator | int, synonyms: Synonyms | None = None
) -> str:
    """Replace up to ``n`` different words that have synonyms, each by a random one of its synonyms.

    As in EDA, every occurrence of a chosen word gets the same synonym, so
    the sentence keeps its length and word order. Words without synonyms are
    never touched; if no word has one, the sentence comes back unchanged.
    """
    tokens = _sentence_words(sentence)
    n = _validate.integer("n", n, minimum=0)
    rng = _random.generator("rng", rng)
    table = _synonym_table(synonyms)
    candidates = sorted({t for t in tokens if _options(t, table)})
    chosen = [candidates[i] for i in rng.permutation(len(candidates))[:n]]
    replacement = {}
    for word in chosen:
        options = _options(word, table)
        replacement[word] = options[int(rng.integers(len(options)))]
    return " ".join(replacement.get(t, t) for t in tokens)


def random_insertion(
    sentence: str, n: int = 1, *, rng: np.random.Generator | int, synonyms: Synonyms | None = None
) -> str:
    """Insert ``n`` words: each a random synonym of a random word of the sentence, at a random place.

    The original words keep their order (removing the inserted ones gives the
    sentence back). If no word has a synonym, nothing is inserted.
    """
    tokens = _sentence_words(sentence)
    n = _validate.integer("n", n, minimum=0)
    rng = _random.generator("rng", rng)
    table = _synonym_table(synonyms)
    candidates = [t for t in tokens if _options(t, table)]
    if not candidates:
        return " ".join(tokens)
    out = list(tokens)
    for _ in range(n):
        options = _options(candidates[int(rng.integers(len(candidates)))], table)
        out.insert(int(rng.integers(len(out) + 1)), options[int(rng.integers(len(options)))])
    return " ".join(out)


def random_swap(sentence: str, n: int = 1, *, rng: np.random.Generator | int) -> str:
    """Swap two words at different random positions, ``n`` times.

    The result has exactly the same words, in another order. A one-word
    sentence comes back unchanged.
    """
    tokens = _sentence_words(sentence)
    n = _validate.integer("n", n, minimum=0)
    rng = _random.generator("rng", rng)
    if len(tokens) < 2:
        return " ".join(tokens)
    for _ in range(n):
        i, j = (int(k) for k in rng.choice(len(tokens), size=2, replace=False))
        tokens[i], tokens[j] = tokens[j], tokens[i]
    return " ".join(tokens)


def random_deletion(sentence: str, p: float = 0.1, *, rng: np.random.Generator | int) -> str:
    """Drop each word independently with probability ``p``.

    The remaining words keep their order. If every word would go, one random
    word is kept, so the result is never empty.
    """
    tokens = _sentence_words(sentence)
    p = _validate.number("p", p, minimum=0.0, maximum=1.0)
    rng = _random.generator("rng", rng)
    keep = rng.random(len(tokens)) >= p
    if not keep.any():
        keep[int(rng.integers(len(tokens)))] = True
    return " ".join(t for t, k in zip(tokens, keep) if k)
