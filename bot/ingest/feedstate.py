"""A feed's row after a poll: its health, back-off, pause, validators and warning count.

``FeedResult`` is what one pass over one feed did; ``fail_feed`` and ``record_success`` are
the only places that change a feed's health, so every way a poll can end is counted alike.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.ingest.fetch import FetchResult
from bot.store.db import Database
from bot.store.models import Feed

logger = logging.getLogger(__name__)

MAX_CONSECUTIVE_FAILURES = 20
MAX_BACKOFF = timedelta(hours=6)


@dataclass
class FeedResult:
    """What one pass over one feed did."""

    feed_id: int
    name: str
    new: int = 0
    duplicate: int = 0
    not_modified: bool = False
    errors: int = 0
    error: str | None = None
    paused_now: bool = False
    warnings: int = 0  # repairs and dropped items
    backlog: int = 0  # new items left for the next poll by the per-poll cap
    new_story_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """Return the JSON-ready fields (without the story ids)."""
        return {
            "feed_id": self.feed_id,
            "name": self.name,
            "new": self.new,
            "duplicate": self.duplicate,
            "not_modified": self.not_modified,
            "errors": self.errors,
            "error": self.error,
            "paused_now": self.paused_now,
            "warnings": self.warnings,
            "backlog": self.backlog,
        }


def backoff(interval_minutes: int, failures: int) -> timedelta:
    """Return the exponential back-off after ``failures`` failures in a row, capped."""
    return min(timedelta(minutes=interval_minutes) * (2 ** min(failures - 1, 10)), MAX_BACKOFF)


async def fail_feed(db: Database, feed_id: int, message: str, now: datetime, result: FeedResult) -> None:
    """Record a failed poll on the feed: error, back-off, and the pause after too many."""
    result.error = message
    result.errors += 1
    async with db.sessionmaker.begin() as session:
        feed = await session.get(Feed, feed_id)
        if feed is None:
            return
        feed.consecutive_failures += 1
        feed.last_error = message[:500]
        feed.last_error_at = now
        feed.next_fetch_at = now + backoff(feed.interval_minutes, feed.consecutive_failures)
        if feed.consecutive_failures >= MAX_CONSECUTIVE_FAILURES and feed.enabled:
            feed.enabled = False
            feed.paused_reason = f"{feed.consecutive_failures} kegagalan berturut-turut; terakhir: {message}"[:500]
            result.paused_now = True
            logger.warning("feed paused id=%d failures=%d reason=%s", feed.id, feed.consecutive_failures, message)
        else:
            logger.warning("feed failed id=%d failures=%d error=%s", feed.id, feed.consecutive_failures, message)


def record_success(
    feed: Feed, fetched: FetchResult, read: bool, warnings: list[str], now: datetime, result: FeedResult
) -> None:
    """Mark a successful poll on the feed row: health, validators, warning count."""
    feed.last_success_at = now
    feed.consecutive_failures = 0
    feed.items_total += result.new
    # Validators are kept only once every item was taken: with a backlog a 304 would hide it.
    if result.backlog:
        feed.etag = feed.last_modified = None
    else:
        feed.etag, feed.last_modified = fetched.etag, fetched.last_modified
    if read:
        feed.warning_count = len(warnings)
        feed.last_warning = warnings[-1][:500] if warnings else None
