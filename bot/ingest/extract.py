"""Full text for feed items: keep the feed's text when it is the article, else fetch the page."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from bot.ingest.decode import InputError, decode_bytes
from bot.ingest.feedparse import FeedItem
from bot.ingest.fetch import Fetcher, FetchError
from summarizer.clean import clean_page, clean_text

logger = logging.getLogger(__name__)

# A feed text shorter than this many words is a teaser, not the article.
TEASER_MAX_WORDS = 120
_TRUNCATED = re.compile(r"(\.\.\.|…|\[\.\.\.\]|\[…\]|selengkapnya|baca selengkapnya)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Extracted:
    """The article text for an item and where it came from."""

    text: str
    status: str  # "feed", "page", or "feed: <why the page could not be used>"
    author: str | None = None


def is_teaser(text: str) -> bool:
    """Whether a feed's text is only a teaser of the article."""
    return len(text.split()) < TEASER_MAX_WORDS or bool(_TRUNCATED.search(text))


async def article_text(fetcher: Fetcher, item: FeedItem) -> Extracted:
    """The cleaned article text for a feed item, fetching its page when the feed has a teaser."""
    feed_text = clean_text(item.content_text or item.summary_text)
    if not is_teaser(feed_text):
        return Extracted(feed_text, "feed")
    try:
        fetched = await fetcher.get(item.url)
        page = clean_page(decode_bytes(fetched.content, charset=fetched.charset, name=item.url), url=fetched.url)
    except FetchError as exc:
        logger.info("full text unavailable url=%s: %s", item.url, exc.message)
        return Extracted(feed_text, f"feed: {exc.message}"[:200])
    except InputError as exc:
        logger.info("full text unusable url=%s: %s", item.url, exc)
        return Extracted(feed_text, f"feed: {exc}"[:200])
    if len(page.text.split()) <= len(feed_text.split()):
        logger.info("page text no longer than the feed's url=%s", item.url)
        return Extracted(feed_text, "feed: page had no longer article text")
    return Extracted(page.text, "page", page.author)
