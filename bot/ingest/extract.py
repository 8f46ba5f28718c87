"""Full text for feed items: keep the feed's text when it is the article, else fetch the page."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bot.ingest.decode import InputError, decode_bytes
from bot.ingest.feedparse import FeedItem
from bot.ingest.fetch import Fetcher, FetchError
from summarizer.clean import CleanPage, clean_page, clean_text

logger = logging.getLogger(__name__)

# A feed date this far from the page's printed one is a typo or a re-dated item, not news time.
MAX_FEED_PAGE_GAP = timedelta(days=7)
# A feed text shorter than this many words is a teaser, not the article.
TEASER_MAX_WORDS = 120
# Media types read as pages; anything else (PDF, images, feeds, JSON) is not an article page.
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
_TRUNCATED = re.compile(r"(\.\.\.|…|\[\.\.\.\]|\[…\]|selengkapnya|baca selengkapnya)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Extracted:
    """The article text for an item and where it came from."""

    text: str
    status: str  # "feed", "page", or "feed: <why the page could not be used>"
    author: str | None = None
    published: datetime | None = None  # the page's own publication time, when it was read
    has_time: bool = False  # whether the page gave that time to the minute, not only the day


def is_teaser(text: str) -> bool:
    """Whether a feed's text is only a teaser of the article."""
    return len(text.split()) < TEASER_MAX_WORDS or bool(_TRUNCATED.search(text))


async def fetch_page(fetcher: Fetcher, url: str) -> tuple[str, CleanPage]:
    """The final URL and cleaned article of a web page; FetchError or InputError when it is unusable."""
    fetched = await fetcher.get(url)
    if fetched.content_type and fetched.content_type not in PAGE_TYPES:
        raise InputError(f"not a web page ({fetched.content_type})")
    return fetched.url, clean_page(decode_bytes(fetched.content, charset=fetched.charset, name=url), url=fetched.url)


async def article_text(fetcher: Fetcher, item: FeedItem) -> Extracted:
    """The cleaned article text for a feed item, fetching its page when the feed has a teaser."""
    feed_text = clean_text(item.content_text or item.summary_text)
    if not is_teaser(feed_text):
        return Extracted(feed_text, "feed")
    try:
        _, page = await fetch_page(fetcher, item.url)
    except FetchError as exc:
        logger.info("full text unavailable url=%s: %s", item.url, exc.message)
        return Extracted(feed_text, f"feed: {exc.message}"[:200])
    except InputError as exc:
        logger.info("full text unusable url=%s: %s", item.url, exc)
        return Extracted(feed_text, f"feed: {exc}"[:200])
    if len(page.text.split()) <= len(feed_text.split()):
        logger.info("page text no longer than the feed's url=%s", item.url)
        return Extracted(feed_text, "feed: page had no longer article text")
    return Extracted(page.text, "page", page.author, page.published, page.has_time)


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
