"""Full text for feed items: keep the feed's text when it is the article, else fetch the page.

The cleaning and ranking (``feed_article``, ``page_article``) are plain functions in
``bot.ingest.fulltext`` that run in a worker process (``bot.ingest.workers``); ``article_text``
does the HTTP in between on the event loop and sends each document to the worker with its
time limit.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from bot.ingest.decode import InputError
from bot.ingest.feeditems import FeedItem
from bot.ingest.fetch import Fetcher, FetchError
from bot.ingest.fulltext import Extracted, feed_article, is_teaser, page_article, ranked, read_page
from bot.ingest.responses import FetchResult
from bot.ingest.workers import InlineWork, Work, WorkerLost, WorkTimeout

__all__ = ["Extracted", "article_text", "fetch_page", "is_teaser", "publication_time", "read_page"]

logger = logging.getLogger(__name__)

# A feed date this far from the page's printed one is a typo or a re-dated item, not news time.
MAX_FEED_PAGE_GAP = timedelta(days=7)
# Media types read as pages; anything else (PDF, images, feeds, JSON) is not an article page.
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})


async def fetch_page(fetcher: Fetcher, url: str) -> FetchResult:
    """The fetched response of a web page; FetchError, or InputError when it is not a web page."""
    fetched = await fetcher.get(url)
    if fetched.content_type and fetched.content_type not in PAGE_TYPES:
        raise InputError(f"not a web page ({fetched.content_type})")
    return fetched


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
    return await work.run(ranked, feed_text, f"feed: {reason}"[:200])


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
