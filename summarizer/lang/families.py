"""Word families: a word and its affixed forms, for matching the words a reader mutes or follows.

Search stems every word for recall (``summarizer.lang.stemming``), and a stem over-reaches for a
filter: "pemilu" and "pilu" ("sad") share the stem "pilu", "pengacara" and "acara" share
"acara", while "pemudik" stems to "pudik", apart from "mudik". A muted word that hides the wrong
stories, or misses the right ones, costs more than a search that finds a little too much. So a
keyword here stands for its word family, built forward from its root: the root with Indonesian
prefixes (with the nasal's sound changes: peN- + tipu -> penipu, meN- + pilih -> memilih),
suffixes, confixes and clitics, minus every form that is a root of its own in Sastrawi's
dictionary ("beban" is no be- + ban) or a word listed in ``data/lexicalised.txt`` ("pemilu",
"pengacara"). An affixed keyword ("kebanjiran") is traced back to its dictionary root first,
and a root counts only when its family holds the keyword again.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from summarizer.lang.affixes import generate, produces
from summarizer.lang.langdata import load_wordlist
from summarizer.lang.stemming import fold_reduplication, root_words
from summarizer.lang.words import STOP_WORDS, words

LEXICALISED_FILE = "lexicalised.txt"
# Affixes an affixed keyword may carry, for proposing its root (generation then checks it).
MAX_PREFIX_CHARS = 8  # "memper", "keber" + a nasal's letters
MAX_SUFFIX_CHARS = 7  # "-kannya"
MIN_ROOT_CHARS = 3
# What splits a token into parts, as search splits it ("e-ktp", "covid-19", "jum'at").
_PART_SPLIT = re.compile(r"[^\w]+|_+")


@cache
def lexicalised() -> frozenset[str]:
    """Words that look affixed but are families of their own ("pemilu", "pengacara"), read once."""
    return load_wordlist(LEXICALISED_FILE)


def fold(text: str) -> str:
    """Lower case without accents, as search folds text ("Café" -> "cafe")."""
    text = text.casefold()
    if text.isascii():
        return text
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


@cache
def _lexicalised_forms() -> dict[str, frozenset[str]]:
    """Each form of a lexicalised word, with the lexicalised words that produce it."""
    found: dict[str, set[str]] = {}
    for word in lexicalised():
        for form in generate(word) if word.isalpha() else {word}:
            found.setdefault(form, set()).add(word)
    return {form: frozenset(owners) for form, owners in found.items()}


@cache
def _lexicalised_set() -> frozenset[str]:
    """The forms of the lexicalised words as one set, for intersecting with a family."""
    return frozenset(_lexicalised_forms())


# A family is some 500 forms (about 45 kB); the cache holds the words a digest run needs.
@lru_cache(maxsize=1024)
def family(root: str) -> frozenset[str]:
    """A root's word family: its affixed forms, minus roots and lexicalised words of their own."""
    if not root.isalpha():
        return frozenset({root})
    owned = _lexicalised_forms()
    forms = (generate(root) - root_words()) | {root}
    return forms - {form for form in forms & _lexicalised_set() if root not in owned[form]}


def _in_family(root: str, word: str) -> bool:
    """Whether ``family(root)`` holds a word that is no root itself, without building the family."""
    owners = _lexicalised_forms().get(word)
    return produces(root, word) and (owners is None or root in owners)


def _candidates(word: str) -> set[str]:
    """Roots an affixed word may have: cut affixes of plausible length, restore a nasal's letter."""
    found = set()
    for start in range(MAX_PREFIX_CHARS + 1):
        for cut in range(MAX_SUFFIX_CHARS + 1):
            core = word[start : len(word) - cut]
            if len(core) >= MIN_ROOT_CHARS - 1:
                found |= {core, *(letter + core for letter in "ptskr")}
    return {c for c in found if len(c) >= MIN_ROOT_CHARS and c != word}


@cache
def _known() -> frozenset[str]:
    """Dictionary roots and lexicalised words together, built once."""
    return root_words() | lexicalised()


@lru_cache(maxsize=8192)
def roots_of(word: str) -> frozenset[str]:
    """The dictionary root(s) of a word ("kebanjiran" -> banjir); the word itself when it is a
    root, lexicalised, or no root's family holds it. Of several roots the longest wins (the
    least taken away): "pemberitaan" is pem- + berita + -an, not pem- + ber- + ita + -an."""
    known = _known()
    if word in known or not word.isalpha():
        return frozenset({word})
    found = {root for root in _candidates(word) if root in known and _in_family(root, word)}
    if not found:
        return frozenset({word})
    longest = max(map(len, found))
    return frozenset(root for root in found if len(root) == longest)


def _token_words(token: str) -> set[str]:
    """A text token as words: itself, reduplication folded (kota-kota), and its hyphenated parts."""
    if token in lexicalised():
        return {token}  # "undang-undang" is no "undang" doubled
    found = {token, fold_reduplication(token)}
    if not token.isalnum():
        found |= {part for part in _PART_SPLIT.split(token) if part}
    return found


def text_words(text: str) -> frozenset[str]:
    """The folded words of a text with their parts, to test keywords against with ``holds``."""
    found: set[str] = set()
    for token in words(fold(text)):
        if token.isalnum():  # most tokens: a plain word is only itself
            found.add(token)
        else:
            found |= _token_words(token)
    return frozenset(found)


@lru_cache(maxsize=1024)
def keyword_families(keyword: str) -> tuple[frozenset[str], ...]:
    """One word family per content word of a keyword (all its words if only stop words)."""
    tokens = words(fold(keyword))
    content = [token for token in tokens if token not in STOP_WORDS] or tokens
    families: list[frozenset[str]] = []
    for token in content:
        if token in lexicalised() or token.isalnum():
            parts = [token]
        else:  # "kota-kota" is "kota"; "covid-19" needs "covid" and "19"
            folded = fold_reduplication(token)
            parts = [folded] if folded != token else [p for p in _PART_SPLIT.split(token) if p]
        for part in parts:
            roots = roots_of(part)  # each root's family holds the part again
            families.append(family(next(iter(roots))) if len(roots) == 1 else frozenset().union(*map(family, roots)))
    return tuple(dict.fromkeys(families))


def holds(found: frozenset[str], keyword: str) -> bool:
    """Whether a text's ``text_words`` hold a word of the family of every content word of the keyword."""
    families = keyword_families(keyword)
    return bool(families) and all(not members.isdisjoint(found) for members in families)


@lru_cache(maxsize=128)  # one chat's list serves the stories of its digest, then the next chat's
def _keyword_set(keywords: frozenset[str]) -> tuple[frozenset[str], tuple[tuple[frozenset[str], ...], ...]]:
    """Keywords of one word pooled into one set (a story needs only one of their forms), and
    the families of each longer keyword apart."""
    pooled: set[str] = set()
    longer = []
    for keyword in keywords:
        families = keyword_families(keyword)
        if len(families) == 1:
            pooled |= families[0]
        elif families:
            longer.append(families)
    return frozenset(pooled), tuple(longer)


def holds_any(found: frozenset[str], keywords: frozenset[str]) -> bool:
    """Whether a text's ``text_words`` hold any of the keywords (``holds`` for a chat's whole list at once)."""
    pooled, longer = _keyword_set(keywords)
    if not pooled.isdisjoint(found):
        return True
    return any(all(not members.isdisjoint(found) for members in families) for families in longer)
