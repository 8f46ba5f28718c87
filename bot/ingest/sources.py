"""Adding feeds: one with a trial fetch and parse first, or many from OPML with the same URL checks.

Both refuse what the fetcher would refuse (not http(s), credentials in the URL, loopback,
private or metadata addresses unless ``RINGKAS_ALLOW_PRIVATE_URLS``) before storing a row.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ingest.feedparse import FeedParseError, parse_feed
from bot.ingest.fetch import Fetcher, FetchError
from bot.ingest.netguard import UnsafeURLError, check_url_form
from bot.ingest.workers import InlineWork, Work, WorkerLost, WorkTimeout
from bot.store.feeds import (
    DEFAULT_CATEGORY,
    DEFAULT_INTERVAL_MINUTES,
    MIN_INTERVAL_MINUTES,
    FeedError,
)
from bot.store.models import Feed

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to one OPML outline: "added", "exists" or "refused" (with the reason)."""

    url: str
    status: str
    reason: str = ""


@dataclass(frozen=True)
class FeedCheck:
    """What a trial fetch found."""

    title: str | None
    item_count: int


async def check_feed(fetcher: Fetcher, url: str, work: Work | None = None) -> FeedCheck:
    """Fetch and parse a feed once (the parse in ``work``); raise FeedError with the reason when it fails."""
    try:
        result = await fetcher.get(url)
        parsed = await (work or InlineWork()).run(
            parse_feed, result.content, url=result.url, fetched_at=datetime.now(UTC), charset=result.charset
        )
    except FetchError as exc:
        raise FeedError(f"{url}: {exc.message}") from exc
    except (FeedParseError, WorkTimeout, WorkerLost) as exc:
        raise FeedError(f"{url}: {exc}") from exc
    return FeedCheck(parsed.title, len(parsed.items))


async def add_feed(
    session: AsyncSession,
    fetcher: Fetcher,
    url: str,
    *,
    name: str | None = None,
    category: str | None = None,
    interval: int | None = None,
    work: Work | None = None,
) -> tuple[Feed, FeedCheck]:
    """Check a feed by fetching it, then store it; raise FeedError if either fails."""
    url = url.strip()
    if await session.scalar(select(Feed).where(Feed.url == url)):
        raise FeedError(f"{url}: feed sudah ada (already in the list)")
    if interval is not None and interval < MIN_INTERVAL_MINUTES:
        raise FeedError(f"interval must be at least {MIN_INTERVAL_MINUTES} minute")
    _check_form(url, fetcher.allow_private)
    check = await check_feed(fetcher, url, work)
    feed = _new_feed(url, name or check.title, category, interval)
    session.add(feed)
    await session.flush()
    logger.info("feed added id=%d url=%s items=%d", feed.id, url, check.item_count)
    return feed, check


def _check_form(url: str, allow_private: bool) -> None:
    """Raise FeedError when the URL is one the fetcher would refuse by its form."""
    try:
        check_url_form(url, allow_private=allow_private)
    except UnsafeURLError as exc:
        raise FeedError(f"{url}: {exc}") from exc


def _new_feed(url: str, name: str | None, category: str | None, interval: int | None) -> Feed:
    """Return a new feed row, due now, with the name, category and interval cleaned up."""
    return Feed(
        url=url,
        name=(name or url)[:200],
        category=(category or DEFAULT_CATEGORY).strip().lower()[:50] or DEFAULT_CATEGORY,
        interval_minutes=interval or DEFAULT_INTERVAL_MINUTES,
        next_fetch_at=datetime.now(UTC),
    )


async def import_feeds(
    session: AsyncSession, rows: list[tuple[str, str | None, str | None]], *, allow_private: bool
) -> list[ImportOutcome]:
    """Add OPML rows with the checks of ``add_feed`` but no trial fetch; return one outcome per row."""
    existing = set((await session.scalars(select(Feed.url))).all())
    outcomes = []
    for url, name, category in rows:
        url = url.strip()
        if url in existing:
            outcomes.append(ImportOutcome(url, "exists"))
            continue
        try:
            _check_form(url, allow_private)
        except FeedError as exc:
            outcomes.append(ImportOutcome(url, "refused", str(exc).removeprefix(f"{url}: ")))
            continue
        existing.add(url)
        session.add(_new_feed(url, name, category, None))
        outcomes.append(ImportOutcome(url, "added"))
    refused = sum(o.status == "refused" for o in outcomes)
    logger.info(
        "OPML import: %d rows, %d added, %d refused", len(rows), sum(o.status == "added" for o in outcomes), refused
    )
    return outcomes
