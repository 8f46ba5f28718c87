"""The summarizing pipeline: clean the page, split it into sentences, rank them, pick a budget.

``summarize_page`` is the one place that drives the stages, the way trafilatura's
``core.extract`` drives its own; ``summarize`` is the plain-text shortcut. Whatever the input,
the public functions return a result and never raise: odd input gives an empty summary with a
``reason`` and a log line.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from summarizer.page.clean import clean_page
from summarizer.ranking.budget import Budget
from summarizer.ranking.features import Sentence, split_document
from summarizer.ranking.methods import DEFAULT_METHOD, LEAD_METHOD, METHODS

logger = logging.getLogger(__name__)

# Only this many leading sentences are ranked: it bounds the time a huge input can take,
# and no news summary comes from further down.
MAX_SENTENCES = 1000
# A summary has at most this many sentences and about this many words (chosen by
# cross-validation on IndoSum, whose human summaries average 58 words; see docs/summarizer.md).
DEFAULT_SENTENCES = 5
DEFAULT_WORDS = 60


@dataclass(frozen=True)
class Summary:
    """A summarized page: its metadata and the picked sentences in document order."""

    title: str | None
    author: str | None
    published: datetime | None
    sentences: list[str] = field(default_factory=list)
    method: str = DEFAULT_METHOD
    reason: str | None = None  # why sentences is empty, when it is
    has_time: bool = False  # whether ``published`` has a time of day (else only its date is known)


def _pick(sentences: list[Sentence], budget: Budget, method: str) -> list[str]:
    """Run a method and return its sentences in document order."""
    n = budget.sentences
    if len(sentences) <= n and budget.words is None:
        return [s.text for s in sentences]
    chosen = METHODS[method](sentences, budget)
    return [sentences[i].text for i in sorted(set(chosen))[:n]]


def _positive(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def summarize_page(
    raw: str,
    n: int = DEFAULT_SENTENCES,
    method: str = DEFAULT_METHOD,
    url: str | None = None,
    words: int | None = DEFAULT_WORDS,
) -> Summary:
    """Summarize a news page (HTML, text copied from a browser, or plain article text).

    The summary has at most ``n`` sentences and, with the default method, about ``words``
    words (the sentences that fit best; ``words=None`` takes n sentences whatever their
    length). Returns a Summary; odd input gives no sentences and a reason, never an error.
    """
    if method not in METHODS:
        logger.warning("unknown summarization method %r", method)
        return Summary(None, None, None, [], method, f"unknown method {method!r}")
    if not _positive(n):
        logger.warning("asked for %r sentences", n)
        return Summary(None, None, None, [], method, "n must be a positive integer")
    if words is not None and not _positive(words):
        logger.warning("asked for %r words", words)
        return Summary(None, None, None, [], method, "words must be a positive integer")
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    if not isinstance(raw, str):
        logger.warning("summarize got %s instead of text", type(raw).__name__)
        return Summary(None, None, None, [], method, "no text")
    try:
        page = clean_page(raw, url=url)
    except Exception:
        logger.exception("cleaning failed for %s (%d characters)", url or "a page", len(raw))
        return Summary(None, None, None, [], method, "page could not be cleaned")
    if not page.text.strip():
        return Summary(page.title, page.author, page.published, [], method, "no text", page.has_time)
    sentences = split_document(page.text)
    if not sentences:
        return Summary(page.title, page.author, page.published, [], method, "no sentences found", page.has_time)
    if len(sentences) > MAX_SENTENCES:
        logger.info("ranking only the first %d of %d sentences", MAX_SENTENCES, len(sentences))
        sentences = sentences[:MAX_SENTENCES]
    budget = Budget(n, words)
    try:
        picked = _pick(sentences, budget, method)
    except Exception:
        # A broken method must not cost the reader the news: fall back to the lead.
        logger.exception("method %s failed on %d sentences; using the lead", method, len(sentences))
        method, picked = LEAD_METHOD, _pick(sentences, budget, LEAD_METHOD)
    return Summary(page.title, page.author, page.published, picked, method, None, page.has_time)


def summarize(text: str, n: int = DEFAULT_SENTENCES, words: int | None = DEFAULT_WORDS) -> list[str]:
    """The most summary-worthy sentences of an article (at most n, about ``words`` words), in order."""
    return summarize_page(text, n=n, words=words).sentences


def rank_sentences(text: str, limit: int = 5) -> list[tuple[int, str]]:
    """(position, sentence) of up to ``limit`` sentences of a cleaned text, best first."""
    sentences = split_document(text)[:MAX_SENTENCES] if isinstance(text, str) else []
    if not sentences or limit < 1:
        return []
    try:
        order = METHODS[DEFAULT_METHOD](sentences, Budget(limit))
    except Exception:
        logger.exception("ranking failed on %d sentences; keeping lead order", len(sentences))
        order = list(range(min(limit, len(sentences))))
    return [(i, sentences[i].text) for i in order]
