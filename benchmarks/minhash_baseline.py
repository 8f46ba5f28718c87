"""Near-duplicate detection: which stored story a new article belongs to, if any.

An article's fingerprint is a MinHash signature of the set of stemmed content words of its
title and lead, in which the names - words capitalised mid-sentence in the lead, or in a
sentence-case headline (a Title Case headline's capitals say nothing) - are added a second
time, so they weigh double. Outlets covering one event share its names far more than their
wording; templated reports of different events (two earthquakes, two match results) share
their wording but not their names. On the labelled pairs in ``benchmarks/data`` this beat
plain words, word bigrams and a boost of all title words (``benchmarks/cluster_eval.py
--variants``). Signatures are short base64 strings for a TEXT column; ``similarity``
estimates the Jaccard index of two articles' word sets from them, and ``pick_story``
applies the 48-hour window and the same-outlet rule. Pure logic: no database, no network.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import re
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import numpy as np

from summarizer.lang.stemming import stem
from summarizer.lang.words import STOP_WORDS, WORD_PATTERN

logger = logging.getLogger(__name__)

NUM_PERM = 128
SIGNATURE_PREFIX = "mh1:"
SAME_STORY_THRESHOLD = 0.35
# An outlet's own articles are grouped only when one is a re-publication of the other
# (an updated title, a fixed typo): different articles of one outlet about one event are
# its follow-ups, and an outlet's templated reports of different events look alike.
SAME_SOURCE_THRESHOLD = 0.9
STORY_WINDOW = timedelta(hours=48)
KEY_PREFIX = "^"
# A headline with at least this share of its later words capitalised is in Title Case.
TITLE_CASE_SHARE = 0.6
MIN_WORD_LENGTH = 2

_PACK = struct.Struct(f">{NUM_PERM}I")
_SENTENCE_END = re.compile(r"[.!?…]")
# "Jakarta, CNN Indonesia - - ", "Jakarta (ANTARA) - ", "Merdeka.com - ", "SPANYOL – ".
_DATELINE = re.compile(r"^\s*(?P<head>[^\n!?]{1,60}?)\s+[-–—]{1,2}(?:\s*[-–—])?\s*")
_DATELINE_MARK = re.compile(r"[(,]|\w\.\w|\b[A-Z]{3,}\b")
_DATELINE_MAX_WORDS = 6


@dataclass(frozen=True)
class Candidate:
    """An already stored article that a new one may join: its story, fingerprint, time, outlet."""

    story_id: int
    signature: str
    published_at: datetime
    source: str


def _looks_like_dateline(head: str) -> bool:
    """Whether the text before a leading dash is a place/outlet line rather than content."""
    words = head.split()
    if not words or len(words) > _DATELINE_MAX_WORDS:
        return False
    # Datelines are capitalised names ("Jakarta", "(ANTARA News)") or domains ("Suara.com").
    if not all(w[0].isupper() or w[0] == "(" or "." in w for w in words):
        return False
    # One bare capitalised phrase ("Jokowi - Prabowo") is content, so ask for a mark of an
    # outlet line: a comma, brackets, a domain or an upper-case place name.
    return len(words) == 1 or _DATELINE_MARK.search(head) is not None


def strip_dateline(text: str) -> str:
    """Remove a leading dateline such as "Jakarta, CNN Indonesia - - " or "Merdeka.com - "."""
    match = _DATELINE.match(text)
    if match is None or not _looks_like_dateline(match.group("head")):
        return text
    return text[match.end() :]


def stemmed_words(text: str) -> list[tuple[str, bool]]:
    """Stemmed content words of ``text``, each flagged if it was capitalised mid-sentence."""
    out: list[tuple[str, bool]] = []
    previous_end = 0
    for match in WORD_PATTERN.finditer(text):
        word = match.group()
        sentence_start = previous_end == 0 or bool(_SENTENCE_END.search(text, previous_end, match.start()))
        previous_end = match.end()
        lower = word.lower()
        if len(lower) < MIN_WORD_LENGTH or lower in STOP_WORDS:
            continue
        out.append((stem(lower), word[0].isupper() and not sentence_start))
    return out


def _is_title_case(words: list[tuple[str, bool]]) -> bool:
    """Whether a headline capitalises (nearly) every word, so its capitals tell nothing."""
    capitalised = sum(flag for _, flag in words)
    return capitalised >= TITLE_CASE_SHARE * max(1, len(words) - 1)


def shingles(title: str, lead: str) -> frozenset[str]:
    """The word set a signature is computed from (exposed for evaluation and tests)."""
    title_words = stemmed_words(title)
    lead_words = stemmed_words(strip_dateline(lead))
    words = {w for w, _ in title_words} | {w for w, _ in lead_words}
    keys = {w for w, capitalised in lead_words if capitalised}
    if not _is_title_case(title_words):
        keys |= {w for w, capitalised in title_words if capitalised}
    return frozenset(words | {KEY_PREFIX + k for k in keys})


def _hashes(shingle: str) -> tuple[int, ...]:
    """NUM_PERM independent 32-bit hashes of one shingle, from a single SHAKE-128 call."""
    return _PACK.unpack(hashlib.shake_128(shingle.encode("utf-8")).digest(_PACK.size))


def signature(title: str, lead: str) -> str:
    """The MinHash fingerprint of an article's title and lead ("" when it has no words)."""
    items = shingles(title, lead)
    if not items:
        return ""
    minima = [min(column) for column in zip(*(_hashes(s) for s in items), strict=True)]
    return SIGNATURE_PREFIX + base64.b64encode(_PACK.pack(*minima)).decode("ascii")


def _decode(sig: str) -> tuple[int, ...] | None:
    """Unpack a signature; None for the empty one, ValueError for anything malformed."""
    if not sig:
        return None
    if not sig.startswith(SIGNATURE_PREFIX):
        raise ValueError(f"not a Ringkas signature (expected prefix {SIGNATURE_PREFIX!r})")
    try:
        raw = base64.b64decode(sig[len(SIGNATURE_PREFIX) :], validate=True)
    except binascii.Error as exc:
        raise ValueError(f"signature is not valid base64: {exc}") from None
    if len(raw) != _PACK.size:
        raise ValueError(f"signature holds {len(raw)} bytes, expected {_PACK.size}")
    return _PACK.unpack(raw)


def _agreement(a: tuple[int, ...] | None, b: tuple[int, ...] | None) -> float:
    """Fraction of MinHash positions on which two decoded signatures agree."""
    if a is None or b is None:
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / NUM_PERM


def similarity(sig_a: str, sig_b: str) -> float:
    """Estimated Jaccard index (0..1) of the two articles' word sets; 0 if either is empty."""
    return _agreement(_decode(sig_a), _decode(sig_b))


def _utc(moment: datetime) -> datetime:
    """Make a datetime comparable: naive ones (as SQLite returns them) are taken as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _same_source(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


@lru_cache(maxsize=50_000)
def _vector(sig: str) -> np.ndarray | None:
    """A decoded signature as an array (cached: the same candidates come back for every article)."""
    values = _decode(sig)
    return None if values is None else np.asarray(values, dtype=np.uint32)


def pick_story(
    sig: str,
    published_at: datetime,
    source: str,
    candidates: Iterable[Candidate],
    *,
    threshold: float = SAME_STORY_THRESHOLD,
) -> int | None:
    """The story of the most similar candidate within the window that passes its threshold."""
    try:
        mine = _vector(sig)
    except ValueError as exc:
        logger.warning("cannot cluster an article with a malformed signature: %s", exc)
        return None
    if mine is None:
        return None
    when = _utc(published_at)
    usable: list[tuple[Candidate, float, np.ndarray]] = []
    for candidate in candidates:
        apart = abs(_utc(candidate.published_at) - when)
        if apart > STORY_WINDOW:
            continue
        try:
            vector = _vector(candidate.signature)
        except ValueError as exc:
            logger.warning("skipping story %s: malformed signature: %s", candidate.story_id, exc)
            continue
        if vector is not None:
            usable.append((candidate, apart.total_seconds(), vector))
    if not usable:
        return None
    # One vectorised comparison against every candidate: thousands per article stay cheap.
    scores = (np.vstack([v for _, _, v in usable]) == mine).sum(axis=1) / NUM_PERM
    best_rank: tuple[float, float] | None = None  # (similarity, -seconds apart)
    best_story: int | None = None
    for (candidate, seconds, _), score in zip(usable, scores.tolist(), strict=True):
        needed = SAME_SOURCE_THRESHOLD if _same_source(source, candidate.source) else threshold
        rank = (score, -seconds)
        if score >= needed and (best_rank is None or rank > best_rank):
            best_rank, best_story = rank, candidate.story_id
    return best_story
