"""Full text for feed items: keep the feed's text when it is the article, else fetch the page.

The cleaning and ranking (``feed_article``, ``page_article``) are plain functions that run in
a worker process (``bot.ingest.workers``); ``article_text`` does the HTTP in between on the
event loop and sends each document to the worker with its time limit.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from bot.ingest.decode import InputError, decode_bytes
from bot.ingest.feeditems import FeedItem
from bot.ingest.fetch import Fetcher, FetchError
from bot.ingest.responses import FetchResult
from bot.ingest.workers import InlineWork, Work, WorkerLost, WorkTimeout
from summarizer import rank_sentences
from summarizer.page.clean import CleanPage, clean_page, clean_text

logger = logging.getLogger(__name__)

# A feed date this far from the page's printed one is a typo or a re-dated item, not news time.
MAX_FEED_PAGE_GAP = timedelta(days=7)
# A feed text shorter than this many words is a teaser, not the article.
TEASER_MAX_WORDS = 120
# Sentences stored per summary, best first; readers choose how many of them to see.
STORED_SENTENCES = 5
# Media types read as pages; anything else (PDF, images, feeds, JSON) is not an article page.
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
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


def is_teaser(text: str) -> bool:
    """Return whether a feed's text is only a teaser of the article."""
    return len(text.split()) < TEASER_MAX_WORDS or bool(_TRUNCATED.search(text))


async def fetch_page(fetcher: Fetcher, url: str) -> FetchResult:
    """The fetched response of a web page; FetchError, or InputError when it is not a web page."""
    fetched = await fetcher.get(url)
    if fetched.content_type and fetched.content_type not in PAGE_TYPES:
        raise InputError(f"not a web page ({fetched.content_type})")
    return fetched


def read_page(content: bytes, *, charset: str | None, url: str) -> CleanPage:
    """The cleaned article of a page's bytes (CPU-bound: run it through a ``Work``); InputError when unusable."""
    return clean_page(decode_bytes(content, charset=charset, name=url), url=url)


def _ranked(
    text: str,
    status: str,
    author: str | None = None,
    published: datetime | None = None,
    has_time: bool = False,
) -> Extracted:
    """Return the Extracted article with its summary sentences ranked."""
    return Extracted(text, status, author, published, has_time, rank_sentences(text, STORED_SENTENCES))


def feed_article(raw_text: str) -> tuple[str, Extracted | None]:
    """Return (cleaned feed text, the finished article when the feed holds all of it)."""
    feed_text = clean_text(raw_text)
    return feed_text, None if is_teaser(feed_text) else _ranked(feed_text, "feed")


def page_article(feed_text: str, page: bytes, *, charset: str | None, url: str) -> Extracted:
    """Return the page's article when it is longer than the feed's text, else the feed's."""
    try:
        cleaned = clean_page(decode_bytes(page, charset=charset, name=url), url=url)
    except InputError as exc:
        logger.info("full text unusable url=%s: %s", url, exc)
        return _ranked(feed_text, f"feed: {exc}"[:200])
    if len(cleaned.text.split()) <= len(feed_text.split()):
        logger.info("page text no longer than the feed's url=%s", url)
        return _ranked(feed_text, "feed: page had no longer article text")
    return _ranked(cleaned.text, "page", cleaned.author, cleaned.published, cleaned.has_time)


async def article_text(fetcher: Fetcher, item: FeedItem, work: Work | None = None) -> Extracted:
    """Return the cleaned, ranked article for a feed item, fetching its page for a teaser."""
    work = work or InlineWork()
    feed_text, done = await work.run(feed_article, item.content_text or item.summary_text)
    if done is not None:
        return done
    try:
        fetched = await fetch_page(fetcher, item.url)
        return await work.run(page_article, feed_text, fetched.content, charset=fetched.charset, url=fetched.url)
    except FetchError as exc:
        logger.info("full text unavailable url=%s: %s", item.url, exc.message)
        reason = exc.message
    except InputError as exc:
        logger.info("full text unusable url=%s: %s", item.url, exc)
        reason = str(exc)
    except (WorkTimeout, WorkerLost) as exc:
        logger.warning("article page given up url=%s: %s", item.url, exc)
        reason = f"page {exc}"
    return await work.run(_ranked, feed_text, f"feed: {reason}"[:200])


def publication_time(item: FeedItem, extracted: Extracted) -> datetime:
    """The article's publication time, chosen between the feed's date and the page's.

    The feed wins: it is written for machines, with an offset, and it is what the outlet
    announced. The page's time is used only where the feed's is missing (the fetch time stands
    in), a bare day (midnight) on the day the page prints a time for, or implausible: more than
    a week away from the page's printed time, which is a typo or an old item re-dated.
    """
    page = extracted.published
    if page is None:
        return item.published
    if item.date_missing:
        # A page that prints only the day says less than the fetch time on that same day.
        same_day = item.published.astimezone(page.tzinfo).date() == page.date()
        return item.published if same_day and not extracted.has_time else page
    feed_midnight = item.published.astimezone(page.tzinfo).timetz().replace(tzinfo=None) == time(0)
    if feed_midnight and extracted.has_time and item.published.date() == page.date():
        return page
    if extracted.has_time and abs(item.published - page) > MAX_FEED_PAGE_GAP:
        logger.info("feed date %s far from the page's %s; using the page's", item.published, page)
        return page
    return item.published
