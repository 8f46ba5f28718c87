"""What story grouping compares: an article's fingerprint, and the features of two articles.

A fingerprint is computed once, when an article is stored, and kept as short JSON text in
``articles.fingerprint``: the TF-IDF vectors of headline plus body, headline alone and lead
alone (``bot.store.storyvec``), the names and numbers its opening carries, the day its lead
says the happening took place ("Senin (9/6/2025)", "10 Juni"), a MinHash of its wording (so a
press release printed by five outlets is recognised as one text) and whether it is marked as
a press release or paid content. ``pair_features`` turns two fingerprints and their times into
the numbers the learned pair models (``bot.store.pairmodel``) score. Pure logic.
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING

from bot.store.storyvec import Vector, article_vector, cosine, decode, encode, terms, title_vector
from summarizer.lang.dates import MONTHS

if TYPE_CHECKING:
    import numpy as np

LEAD_CHARS = 400
SHINGLE_WORDS = 4
SHINGLE_CHARS = 2000
MINHASHES = 24
# Jaccard of wording at or above this: one text printed twice (a syndicated release).
COPY_JACCARD = 0.4
MAX_HOURS = 96.0

FEATURES = (
    "body",
    "title",
    "lead",
    "title_body",
    "title_lead",
    "names",
    "names_share",
    "numbers",
    "numbers_clash",
    "date_same",
    "date_clash",
    "hours",
    "same_outlet",
    "copy",
)

_PRIME = (1 << 61) - 1
_WORD = re.compile(r"\w+")
_SLASH_DATE = re.compile(r"\((?:[A-Za-z']+,?\s*)?(\d{1,2})/(\d{1,2})(?:/\d{2,4})?\)")
_NAMED_DATE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b", re.IGNORECASE)
# Markers of press releases and paid content, as Indonesian outlets print them.
_PROMO = re.compile(
    r"advertorial|konten kerja ?sama|artikel ini (?:merupakan|adalah) kerja ?sama|siaran pers|press release"
    r"|rilis (?:resmi|pers)|dalam rilis(?:nya)?|melalui rilis|keterangan resmi perusahaan|\[?gambas",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Fingerprint:
    """What grouping needs of one article."""

    body: Vector
    title: Vector
    lead: Vector
    names: frozenset[str]
    numbers: frozenset[str]
    stated: int | None  # month * 100 + day the lead names, if any
    shingles: tuple[int, ...]
    promo: bool


def stated_day(lead: str) -> int | None:
    """The day the lead says the happening took place, as month * 100 + day, or None."""
    found = _SLASH_DATE.search(lead)
    if found and 1 <= int(found.group(2)) <= 12 and 1 <= int(found.group(1)) <= 31:
        return int(found.group(2)) * 100 + int(found.group(1))
    found = _NAMED_DATE.search(lead)
    if found and 1 <= int(found.group(1)) <= 31:
        return MONTHS[found.group(2).lower()] * 100 + int(found.group(1))
    return None


@cache
def _coefficients() -> tuple[np.ndarray, np.ndarray]:
    """The hash functions' coefficients, fixed so that every process hashes alike (numpy loads here)."""
    import numpy as np

    rng = np.random.default_rng(20250610)
    return rng.integers(1, _PRIME, MINHASHES, dtype=np.uint64), rng.integers(0, _PRIME, MINHASHES, dtype=np.uint64)


def minhash(text: str) -> tuple[int, ...]:
    """MinHash of the text's word 4-grams (empty for a text of fewer words)."""
    import numpy as np

    words = _WORD.findall(text[:SHINGLE_CHARS].lower())
    grams = {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}
    if not grams:
        return ()
    a, b = _coefficients()
    codes = np.fromiter((zlib.crc32(g.encode()) for g in grams), dtype=np.uint64, count=len(grams))
    hashed = (codes[None, :] * a[:, None] + b[:, None]) % np.uint64(_PRIME)
    return tuple(int(h) for h in hashed.min(axis=1))


def fingerprint(title: str, text: str) -> Fingerprint:
    """The fingerprint of an article from its headline and text."""
    lead = text[:LEAD_CHARS]
    lead_terms = terms(lead)
    title_terms = terms(title)
    # Headlines capitalise every word: a headline word is a name where the body writes it as one.
    body_names = {t for t, name, _ in terms(text[:SHINGLE_CHARS]) if name}
    names = {t for t, name, _ in lead_terms if name} | {t for t, _, _ in title_terms if t in body_names}
    numbers = {t for t, _, number in [*lead_terms, *title_terms] if number}
    return Fingerprint(
        body=article_vector(title, text),
        title=title_vector(title),
        lead=article_vector("", lead),
        names=frozenset(names),
        numbers=frozenset(numbers),
        stated=stated_day(lead),
        shingles=minhash(text),
        promo=bool(_PROMO.search(text[:SHINGLE_CHARS]) or _PROMO.search(title)),
    )


def dumps(print_: Fingerprint) -> str:
    """A fingerprint as JSON text for the ``articles.fingerprint`` column."""
    return json.dumps(
        {
            "b": encode(print_.body),
            "t": encode(print_.title),
            "l": encode(print_.lead),
            "n": sorted(print_.names),
            "#": sorted(print_.numbers),
            "d": print_.stated,
            "h": list(print_.shingles),
            "p": print_.promo,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def loads(text: str) -> Fingerprint:
    """The fingerprint ``dumps`` wrote; ValueError for anything else."""
    try:
        data = json.loads(text)
        return Fingerprint(
            body=decode(data["b"]),
            title=decode(data["t"]),
            lead=decode(data["l"]),
            names=frozenset(data["n"]),
            numbers=frozenset(data["#"]),
            stated=data["d"],
            shingles=tuple(data["h"]),
            promo=bool(data["p"]),
        )
    except (KeyError, TypeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not an article fingerprint: {exc}") from exc


def copy_share(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated Jaccard of the two wordings (1.0: the same text)."""
    if not a.shingles or len(a.shingles) != len(b.shingles):
        return 0.0
    return sum(x == y for x, y in zip(a.shingles, b.shingles, strict=True)) / len(a.shingles)


def is_copy(a: Fingerprint, b: Fingerprint) -> bool:
    """Whether two articles print one text (a syndicated release, a wire story)."""
    return copy_share(a, b) >= COPY_JACCARD


def pair_features(
    a: Fingerprint, a_at: datetime, a_outlet: str, b: Fingerprint, b_at: datetime, b_outlet: str
) -> list[float]:
    """The features (in ``FEATURES`` order) of two articles."""
    title_numbers = a.numbers & b.numbers
    both_numbered = bool(a.numbers) and bool(b.numbers)
    return [
        cosine(a.body, b.body),
        cosine(a.title, b.title),
        cosine(a.lead, b.lead),
        (cosine(a.title, b.body) + cosine(b.title, a.body)) / 2,
        (cosine(a.title, b.lead) + cosine(b.title, a.lead)) / 2,
        float(min(len(a.names & b.names), 5)),
        len(a.names & b.names) / (len(a.names | b.names) or 1),
        float(min(len(title_numbers), 5)),
        float(both_numbered and not title_numbers),
        float(a.stated is not None and a.stated == b.stated),
        float(a.stated is not None and b.stated is not None and a.stated != b.stated),
        min(abs((a_at - b_at).total_seconds()) / 3600, MAX_HOURS),
        float(a_outlet == b_outlet),
        copy_share(a, b),
    ]
