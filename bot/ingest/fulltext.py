"""Cleaning and ranking an article's text: the CPU-bound half of full-text extraction.

These functions run in the parse worker processes (``bot.ingest.workers``); the event-loop
half, which fetches the pages and hands them over, is ``bot.ingest.extract``. This module
imports neither the HTTP client nor asyncio, and the summarizer only where it is used, so a
worker holds only what parsing needs and the main process, which merely names these
functions, never loads the page cleaner and the ranker (numpy, trafilatura, lxml).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from bot.ingest.decode import InputError, decode_bytes
from bot.ingest.pictures import picture_url

if TYPE_CHECKING:
    from summarizer.page.clean import CleanPage

logger = logging.getLogger(__name__)

# A feed text shorter than this many words is a teaser, not the article.
TEASER_MAX_WORDS = 120
# Sentences stored per summary, best first; readers choose how many of them to see.
STORED_SENTENCES = 5

_TRUNCATED = re.compile(r"(\.\.\.|…|\[\.\.\.\]|\[…\]|selengkapnya|baca selengkapnya)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Extracted:
    """The article text for an item, where it came from, and its ranked sentences."""

    text: str
    status: str  # "feed", "page", or "feed: <why the page could not be used>"
    author: str | None = None
    published: datetime | None = None  # the page's own publication time, when it was read
    has_time: bool = False  # whether the page gave that time to the minute, not only the day
    summary: list[tuple[int, str]] = field(default_factory=list)  # (position, sentence), best first
    image: str | None = None  # the page's og:image (absolute http(s)), when the page was read


def is_teaser(text: str) -> bool:
    """Return whether a feed's text is only a teaser of the article."""
    return len(text.split()) < TEASER_MAX_WORDS or bool(_TRUNCATED.search(text))


def read_page(content: bytes, *, charset: str | None, url: str) -> CleanPage:
    """The cleaned article of a page's bytes (CPU-bound: run it through a ``Work``); InputError when unusable."""
    from summarizer.page.clean import clean_page

    return clean_page(decode_bytes(content, charset=charset, name=url), url=url)


def ranked(
    text: str,
    status: str,
    author: str | None = None,
    published: datetime | None = None,
    has_time: bool = False,
    image: str | None = None,
) -> Extracted:
    """Return the Extracted article with its summary sentences ranked."""
    from summarizer import rank_sentences

    return Extracted(text, status, author, published, has_time, rank_sentences(text, STORED_SENTENCES), image)


def feed_article(raw_text: str) -> tuple[str, Extracted | None]:
    """Return (cleaned feed text, the finished article when the feed holds all of it)."""
    from summarizer.page.clean import clean_text

    feed_text = clean_text(raw_text)
    return feed_text, None if is_teaser(feed_text) else ranked(feed_text, "feed")


def page_article(feed_text: str, page: bytes, *, charset: str | None, url: str) -> Extracted:
    """Return the page's article when it is longer than the feed's text, else the feed's."""
    try:
        cleaned = read_page(page, charset=charset, url=url)
    except InputError as exc:
        logger.info("full text unusable url=%s: %s", url, exc)
        return ranked(feed_text, f"feed: {exc}"[:200])
    image = picture_url(cleaned.image, url)  # read anyway: the feed's text may still win
    if len(cleaned.text.split()) <= len(feed_text.split()):
        logger.info("page text no longer than the feed's url=%s", url)
        return ranked(feed_text, "feed: page had no longer article text", image=image)
    return ranked(cleaned.text, "page", cleaned.author, cleaned.published, cleaned.has_time, image)


def read_and_rank(
    content: bytes, *, charset: str | None, url: str, sentences: int, min_words: int
) -> tuple[CleanPage, list[tuple[int, str]]]:
    """The cleaned page and its best sentences (position, sentence), best first; none under ``min_words``."""
    from summarizer import rank_sentences

    page = read_page(content, charset=charset, url=url)
    return page, rank_sentences(page.text, sentences) if len(page.text.split()) >= min_words else []
