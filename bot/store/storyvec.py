"""Weighted word vectors of articles, the material story grouping compares.

An article becomes a TF-IDF vector over stemmed content words of its headline and the first
few thousand characters of its body: headline words count three times, names (words
capitalised mid-sentence) twice, numbers one and a half times, so "Jepang 6-0 Indonesia" or
"PT Gag Nikel" weigh more than the words every report of a kind shares. IDF comes from the
document frequencies of IndoSum (``data/idf_indosum.txt``, Kurniawan & Louvan 2018, CC BY-SA
4.0), fixed so that ingestion and ``ringkas cluster`` weigh words the same way on every
machine; words IndoSum never saw get the highest weight, as rare names should. A vector
keeps its strongest terms, L2-normalised, and travels as a short text
(``"term:weight term:weight ..."``) in a TEXT column. Pure logic: no database, no network.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources

from summarizer.lang.stemming import stem
from summarizer.lang.words import STOP_WORDS, WORD_PATTERN

Vector = dict[str, float]

IDF_FILE = "idf_indosum.txt"
BODY_CHARS = 3000
TITLE_WEIGHT = 3.0
NAME_WEIGHT = 2.0
NUMBER_WEIGHT = 1.5
BODY_TERMS = 40
TITLE_TERMS = 20
MIN_WORD_LENGTH = 2
# Page clutter some outlets leave in the text; no article is about these words.
CLUTTER = frozenset(
    ["advertisement", "scroll", "continue", "content", "com", "co", "www", "http", "https", "baca", "juga", "simak"]
)

# Scraped text loses the space where a link was cut out: "lagaTimnas", "Indonesiavs Jepang".
_GLUED = re.compile(r"(?<=[a-z])(?=[A-Z])")


@lru_cache(maxsize=1)
def _idf_table() -> tuple[int, dict[str, int]]:
    """(documents, document frequency by term) from the packaged IndoSum counts."""
    lines = resources.files("bot.store").joinpath("data", IDF_FILE).read_text("utf-8").splitlines()
    rows = [line.split() for line in lines if line and not line.startswith("#")]
    documents = int(rows[0][1])  # first row: "__documents__ N"
    return documents, {term: int(df) for term, df in rows[1:]}


@lru_cache(maxsize=200_000)
def idf(term: str) -> float:
    """Inverse document frequency of a stemmed term (unseen terms weigh the most)."""
    documents, frequency = _idf_table()
    return math.log((documents + 1) / (frequency.get(term, 0) + 1)) + 1.0


# A word, or a character that ends a sentence (so a capital after it is no name).
_TOKEN = re.compile(rf"(?P<word>{WORD_PATTERN.pattern})|[.!?…\n]")


@lru_cache(maxsize=200_000)
def _term(lower: str) -> tuple[str, bool] | None:
    """(stem, or the number as written; whether it is a number) of a lower-cased word, or None
    for a word that says nothing (too short, a stop word, page clutter). Cached: news repeats
    its words, and stemming is most of the cost of a vector."""
    if len(lower) < MIN_WORD_LENGTH or lower in STOP_WORDS or lower in CLUTTER:
        return None
    if any(c.isdigit() for c in lower):
        return lower, True
    return stem(lower), False


def terms(text: str) -> list[tuple[str, bool, bool]]:
    """Content terms of ``text``: (stem or number, capitalised mid-sentence, is a number)."""
    out: list[tuple[str, bool, bool]] = []
    sentence_start = True
    for match in _TOKEN.finditer(_GLUED.sub(" ", text)):
        word = match.group("word")
        if word is None:
            sentence_start = True
            continue
        term = _term(word.lower())
        if term is not None:
            out.append((term[0], word[0].isupper() and not sentence_start, term[1]))
        sentence_start = False
    return out


def _weigh(counts: Mapping[str, float], keep: int) -> Vector:
    """Sublinear TF times IDF, the ``keep`` strongest terms, L2-normalised."""
    weights = {t: (1.0 + math.log(c) if c >= 1 else c) * idf(t) for t, c in counts.items() if c > 0}
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:keep]
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    return {t: w / norm for t, w in top}


def article_vector(title: str, text: str) -> Vector:
    """The vector of headline plus body opening (empty when the article has no words)."""
    counts: dict[str, float] = defaultdict(float)
    for term, _, _ in terms(title):
        counts[term] += TITLE_WEIGHT
    for term, name, number in terms(text[:BODY_CHARS]):
        counts[term] += NAME_WEIGHT if name else NUMBER_WEIGHT if number else 1.0
    return _weigh(counts, BODY_TERMS)


def title_vector(title: str) -> Vector:
    """The vector of the headline alone."""
    return _weigh(Counter(term for term, _, _ in terms(title)), TITLE_TERMS)


def cosine(a: Vector, b: Vector) -> float:
    """Cosine similarity of two vectors (0 when either is empty)."""
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    norm_a = math.sqrt(sum(w * w for w in a.values()))
    norm_b = math.sqrt(sum(w * w for w in b.values()))
    return dot / (norm_a * norm_b) if norm_a and norm_b else 0.0


def add(total: Vector, part: Vector, keep: int) -> Vector:
    """``total + part``, keeping the ``keep`` largest terms (a story's running centroid)."""
    merged = dict(total)
    for term, weight in part.items():
        merged[term] = merged.get(term, 0.0) + weight
    return dict(sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))[:keep])


def encode(vector: Vector) -> str:
    """A vector as text for a TEXT column: ``"term:weight ..."``, strongest first."""
    items = sorted(vector.items(), key=lambda kv: (-kv[1], kv[0]))
    return " ".join(f"{term}:{weight:.4g}" for term, weight in items)


def decode(text: str) -> Vector:
    """The vector ``encode`` wrote; ValueError for text it did not write."""
    vector: Vector = {}
    for item in text.split():
        term, sep, weight = item.rpartition(":")
        if not sep or not term:
            raise ValueError(f"not a story vector item: {item!r}")
        vector[term] = float(weight)
    return vector
