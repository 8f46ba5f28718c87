"""A link a reader sends, summarized: the same fetcher and summarizer as ingestion, nothing stored.

The fetcher brings its SSRF guard, size and time limits; ``fetch_page`` the content-type check;
the article extraction and ``rank_sentences`` run through the same worker pool as ingestion
(a hostile page a reader sends cannot freeze the bot). Every way this can fail ends in a
``LinkError`` whose ``kind`` the bot turns into a message for the reader.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from bot.ingest.decode import InputError
from bot.ingest.extract import fetch_page
from bot.ingest.fetch import Fetcher, FetchError
from bot.ingest.fulltext import read_and_rank
from bot.ingest.workers import InlineWork, Work, WorkerLost, WorkTimeout

logger = logging.getLogger(__name__)

# Fewer words than this after extraction is a front page, a paywall or a login form.
MIN_ARTICLE_WORDS = 60
SUMMARY_SENTENCES = 3
MAX_URL_CHARS = 2_000
_UNSAFE_KINDS = frozenset({"unsafe_url", "invalid_url"})


class LinkError(Exception):
    """A link that could not be summarized; ``kind`` is one of unsafe, fetch, not_page, no_text."""

    def __init__(self, kind: str, detail: str) -> None:
        """Keep the failure kind beside the message."""
        super().__init__(detail)
        self.kind = kind


@dataclass(frozen=True)
class LinkSummary:
    """What a reader is told about a page."""

    url: str
    title: str
    outlet: str
    published: datetime | None
    sentences: list[str]
    has_time: bool = False  # whether the page gave a time of day with its date


def outlet_of(url: str) -> str:
    """The site's host name without 'www.' ('https://www.kompas.com/a' -> 'kompas.com')."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


async def summarize_url(
    fetcher: Fetcher, url: str, sentences: int = SUMMARY_SENTENCES, work: Work | None = None
) -> LinkSummary:
    """Fetch, extract and summarize one http(s) page; LinkError says why when it cannot."""
    if len(url) > MAX_URL_CHARS or urlsplit(url).scheme.lower() not in ("http", "https"):
        raise LinkError("unsafe", "not an http(s) URL of reasonable length")
    try:
        fetched = await fetch_page(fetcher, url)
        final_url = fetched.url
        page, ranked = await (work or InlineWork()).run(
            read_and_rank,
            fetched.content,
            charset=fetched.charset,
            url=final_url,
            sentences=sentences,
            min_words=MIN_ARTICLE_WORDS,
        )
    except FetchError as exc:
        kind = "unsafe" if exc.kind in _UNSAFE_KINDS else "fetch"
        logger.info("link not fetched (%s): %s", exc.kind, exc.message)
        raise LinkError(kind, exc.message) from exc
    except InputError as exc:
        logger.info("link not a page: %s", exc)
        raise LinkError("not_page", str(exc)) from exc
    except (WorkTimeout, WorkerLost) as exc:
        logger.warning("link page given up url=%s: %s", url, exc)
        raise LinkError("no_text", f"page processing failed: {exc}") from exc
    if not ranked:
        count = len(page.text.split())
        logger.info("link without article text: %d words", count)
        raise LinkError("no_text", f"{count} words of article text")
    ordered = [sentence for _, sentence in sorted(ranked)]
    title = page.title or outlet_of(final_url)
    return LinkSummary(final_url, title, outlet_of(final_url), page.published, ordered, page.has_time)
