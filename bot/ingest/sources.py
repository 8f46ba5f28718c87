"""Adding a feed: a trial fetch and parse first, then the stored row."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ingest.feedparse import FeedParseError, parse_feed
from bot.ingest.fetch import Fetcher, FetchError
from bot.store.feeds import (
    DEFAULT_CATEGORY,
    DEFAULT_INTERVAL_MINUTES,
    MIN_INTERVAL_MINUTES,
    FeedError,
)
from bot.store.models import Feed

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FeedCheck:
    """What a trial fetch found."""

    title: str | None
    item_count: int


async def check_feed(fetcher: Fetcher, url: str) -> FeedCheck:
    """Fetch and parse a feed once; raise FeedError with the exact reason when it fails."""
    try:
        result = await fetcher.get(url)
        parsed = parse_feed(result.content, url=result.url, fetched_at=datetime.now(UTC), charset=result.charset)
    except FetchError as exc:
        raise FeedError(f"{url}: {exc.message}") from exc
    except FeedParseError as exc:
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
) -> tuple[Feed, FeedCheck]:
    """Check a feed by fetching it, then store it; raise FeedError if either fails."""
    url = url.strip()
    if await session.scalar(select(Feed).where(Feed.url == url)):
        raise FeedError(f"{url}: feed sudah ada (already in the list)")
    if interval is not None and interval < MIN_INTERVAL_MINUTES:
        raise FeedError(f"interval must be at least {MIN_INTERVAL_MINUTES} minute")
    check = await check_feed(fetcher, url)
    feed = Feed(
        url=url,
        name=(name or check.title or url)[:200],
        category=(category or DEFAULT_CATEGORY).strip().lower()[:50] or DEFAULT_CATEGORY,
        interval_minutes=interval or DEFAULT_INTERVAL_MINUTES,
        next_fetch_at=datetime.now(UTC),
    )
    session.add(feed)
    await session.flush()
    logger.info("feed added id=%d url=%s items=%d", feed.id, url, check.item_count)
    return feed, check
