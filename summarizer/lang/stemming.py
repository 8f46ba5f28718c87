"""Indonesian stemming: Snowball (PyStemmer) guarded by a root-word dictionary, plus reduplication folding.

Measured on the IndoSum dev words (``benchmarks/stemmer_bench.py``): Snowball alone runs at
millions of words per second but over-stems common root words (berita -> ita, media -> dia,
kembali -> mbali); Sastrawi is dictionary-based and accurate but runs at ~15-90 k words/s.
Here a word that is already a root in Sastrawi's dictionary (KBBI roots, ~29 k) is kept as it
is, everything else goes through Snowball. That agrees with Sastrawi on ~93 % of tokens at
Snowball speed. Reduplication ("kota-kota" -> "kota"), which Snowball ignores, is folded first.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources

import Stemmer

_snowball = Stemmer.Stemmer("indonesian")


@cache
def root_words() -> frozenset[str]:
    """Indonesian root words, from the dictionary Sastrawi ships."""
    text = resources.files("Sastrawi.Stemmer").joinpath("data/kata-dasar.txt").read_text(encoding="utf-8")
    return frozenset(w for w in (line.strip() for line in text.splitlines()) if w)


def fold_reduplication(word: str) -> str:
    """Reduce a reduplicated word ("kota-kota", "anak-anaknya") to its base."""
    head, sep, tail = word.partition("-")
    if sep and tail and (tail == head or tail.startswith(head)):
        return head
    return word


@lru_cache(maxsize=131072)
def stem(word: str) -> str:
    """Stem one lower-cased Indonesian word."""
    word = fold_reduplication(word)
    if word in root_words():
        return word
    return _snowball.stemWord(word)


def stem_words(words: Iterable[str]) -> list[str]:
    """Stem each lower-cased word, keeping order."""
    return [stem(w) for w in words]
