"""A link a reader sends, summarized: the same fetcher and summarizer as ingestion, nothing stored.

The fetcher brings its SSRF guard, size and time limits; ``fetch_page`` the content-type check;
the article extraction and ``rank_sentences`` run in worker processes (a hostile page a reader
sends cannot freeze the bot). ``LinkReader`` gives readers' links budgets of their own, apart
from ingestion's: a fetcher whose per-host slots and deadline (the wait for a slot included)
are theirs, worker processes of their own, and ``HeavyPages``, the pages that once ran past
the time limit, refused at once after that instead of costing a worker the whole limit again.
Every way this can fail ends in a ``LinkError`` whose ``kind`` the bot turns into a message
for the reader. Log lines name the link's host only, never its path, query or credentials, and
the extraction sees only the site's root, so nothing a reader sent after the host reaches a log.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from bot.ingest.decode import InputError
from bot.ingest.extract import fetch_page
from bot.ingest.fetch import Fetcher, FetchError
from bot.ingest.fulltext import read_and_rank
from bot.ingest.pictures import picture_url
from bot.ingest.urls import site_root, url_host
from bot.ingest.workers import InlineWork, Work, WorkerLost, WorkTimeout

logger = logging.getLogger(__name__)

# Fewer words than this after extraction is a front page, a paywall or a login form.
MIN_ARTICLE_WORDS = 60
SUMMARY_SENTENCES = 3
MAX_URL_CHARS = 2_000
# Pages remembered as too heavy; the oldest is forgotten first (a URL is well under 2 kB).
REMEMBERED_HEAVY_PAGES = 1_000
_UNSAFE_KINDS = frozenset({"unsafe_url", "invalid_url"})


class LinkError(Exception):
    """A link that could not be summarized; ``kind`` is unsafe, busy, fetch, not_page, too_heavy or no_text."""

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
    image: str | None = None  # the page's og:image, absolute http(s), for the reply's preview


def outlet_of(url: str) -> str:
    """The site's host name without 'www.' ('https://www.kompas.com/a' -> 'kompas.com')."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


class HeavyPages:
    """The URLs of pages that ran past the time limit in a worker, the ``size`` most recent ones."""

    def __init__(self, size: int = REMEMBERED_HEAVY_PAGES) -> None:
        """Start with none remembered."""
        self.size = size
        self._urls: OrderedDict[str, None] = OrderedDict()

    def __contains__(self, url: object) -> bool:
        """Whether this URL was too heavy before."""
        return url in self._urls

    def __len__(self) -> int:
        """How many URLs are remembered."""
        return len(self._urls)

    def add(self, *urls: str) -> None:
        """Remember these URLs, forgetting the oldest beyond ``size``."""
        for url in urls:
            self._urls[url] = None
            self._urls.move_to_end(url)
        while len(self._urls) > self.size:
            self._urls.popitem(last=False)


def refusal(url: str, heavy: HeavyPages | None = None) -> LinkError | None:
    """Why ``url`` is refused without fetching it (not http(s), too long, too heavy before), or None."""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:  # e.g. "http://[::1", an IPv6 literal never closed
        return LinkError("unsafe", "not a valid URL")
    if len(url) > MAX_URL_CHARS or scheme not in ("http", "https"):
        return LinkError("unsafe", "not an http(s) URL of reasonable length")
    if heavy is not None and url in heavy:
        return LinkError("too_heavy", "this page ran past the time limit before")
    return None


async def summarize_url(
    fetcher: Fetcher,
    url: str,
    sentences: int = SUMMARY_SENTENCES,
    work: Work | None = None,
    heavy: HeavyPages | None = None,
) -> LinkSummary:
    """Fetch, extract and summarize one http(s) page; LinkError says why when it cannot.

    A page in ``heavy`` is refused without a worker; one that runs past the limit is added to it.
    """
    refused = refusal(url, heavy)
    if refused is not None:
        raise refused
    try:
        fetched = await fetch_page(fetcher, url)
    except FetchError as exc:
        kind = "unsafe" if exc.kind in _UNSAFE_KINDS else "busy" if exc.kind == "busy" else "fetch"
        logger.info("link not fetched host=%s kind=%s: %s", url_host(url), exc.kind, exc.message)
        raise LinkError(kind, exc.message) from exc
    except InputError as exc:
        logger.info("link not a page host=%s: %s", url_host(url), exc)
        raise LinkError("not_page", str(exc)) from exc
    final_url = fetched.url
    if heavy is not None and final_url in heavy:  # reached again through a redirect
        raise LinkError("too_heavy", "this page ran past the time limit before")
    try:
        # The page is read knowing only its site: whatever the reader's link carries after the host
        # (a token, a private document's id) must not reach the extractor's log lines.
        page, ranked = await (work or InlineWork()).run(
            read_and_rank,
            fetched.content,
            charset=fetched.charset,
            url=site_root(final_url),
            sentences=sentences,
            min_words=MIN_ARTICLE_WORDS,
        )
    except InputError as exc:
        logger.info("link not a page host=%s: %s", url_host(url), exc)
        raise LinkError("not_page", str(exc)) from exc
    except (WorkTimeout, WorkerLost) as exc:
        logger.warning("link page given up host=%s: %s", url_host(url), exc)
        if heavy is not None:
            heavy.add(url, final_url)
        raise LinkError("too_heavy", f"page processing failed: {exc}") from exc
    if not ranked:
        count = len(page.text.split())
        logger.info("link without article text: %d words", count)
        raise LinkError("no_text", f"{count} words of article text")
    ordered = [sentence for _, sentence in sorted(ranked)]
    title = page.title or outlet_of(final_url)
    image = picture_url(page.image, final_url)  # resolved here: the extractor saw only the site's root
    return LinkSummary(final_url, title, outlet_of(final_url), page.published, ordered, page.has_time, image)


@dataclass
class LinkReader:
    """Readers' links, on budgets apart from ingestion's: fetcher, worker processes, heavy pages."""

    fetcher: Fetcher  # its own per-host slots; the wait for one counts toward its deadline
    work: Work
    heavy: HeavyPages = field(default_factory=HeavyPages)

    def refusal(self, url: str) -> LinkError | None:
        """Why ``url`` is refused at once, without fetching it, or None."""
        return refusal(url, self.heavy)

    async def summarize(self, url: str, sentences: int = SUMMARY_SENTENCES) -> LinkSummary:
        """The summary of one page, on the readers' budgets; LinkError says why when it cannot."""
        return await summarize_url(self.fetcher, url, sentences, self.work, self.heavy)
