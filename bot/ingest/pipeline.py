"""The ingest flow, and the only module that knows all of it: feed -> fetch -> extract -> clean -> summarize -> store."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ingest.extract import Extracted, article_text, publication_time
from bot.ingest.feedparse import FeedItem, FeedParseError, parse_feed
from bot.ingest.fetch import Fetcher, FetchError
from bot.ingest.urls import canonical_url
from bot.store import stories
from bot.store.db import Database
from bot.store.models import Article, Feed
from bot.store.search import index_article
from summarizer import rank_sentences

logger = logging.getLogger(__name__)

MAX_CONSECUTIVE_FAILURES = 20
# Sentences stored per summary, best first; readers choose how many of them to see.
STORED_SENTENCES = 5
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
    new_story_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready fields (without the story ids)."""
        return {
            "feed_id": self.feed_id, "name": self.name, "new": self.new, "duplicate": self.duplicate,
            "not_modified": self.not_modified, "errors": self.errors, "error": self.error,
            "paused_now": self.paused_now,
        }


def backoff(interval_minutes: int, failures: int) -> timedelta:
    """Exponential back-off after ``failures`` failures in a row, capped."""
    return min(timedelta(minutes=interval_minutes) * (2 ** min(failures - 1, 10)), MAX_BACKOFF)


def _record_failure(feed: Feed, message: str, now: datetime, result: FeedResult) -> None:
    feed.consecutive_failures += 1
    feed.last_error = message[:500]
    feed.last_error_at = now
    feed.next_fetch_at = now + backoff(feed.interval_minutes, feed.consecutive_failures)
    result.error = message
    result.errors += 1
    if feed.consecutive_failures >= MAX_CONSECUTIVE_FAILURES and feed.enabled:
        feed.enabled = False
        feed.paused_reason = f"{feed.consecutive_failures} kegagalan berturut-turut; terakhir: {message}"[:500]
        result.paused_now = True
        logger.warning("feed paused id=%d failures=%d reason=%s", feed.id, feed.consecutive_failures, message)
    else:
        logger.warning("feed failed id=%d failures=%d error=%s", feed.id, feed.consecutive_failures, message)


async def _is_duplicate(session: AsyncSession, feed: Feed, item: FeedItem, canonical: str) -> bool:
    query = select(Article.id).where(Article.canonical_url == canonical)
    if await session.scalar(query.limit(1)) is not None:
        return True
    if item.guid:
        query = select(Article.id).where(Article.feed_id == feed.id, Article.guid == item.guid)
        return await session.scalar(query.limit(1)) is not None
    return False


async def _store_item(
    session: AsyncSession, feed: Feed, item: FeedItem, canonical: str, extracted: Extracted, now: datetime
) -> Article:
    article = Article(
        feed_id=feed.id, guid=item.guid, url=item.url, canonical_url=canonical,
        title=item.title[:500], author=item.author or extracted.author,
        published_at=publication_time(item, extracted),
        first_seen_at=now, source=feed.name, category=feed.category, text=extracted.text,
        summary=[[i, s] for i, s in rank_sentences(extracted.text, STORED_SENTENCES)],
        fulltext_status=extracted.status, image_url=item.image_url,
    )
    session.add(article)
    await session.flush()
    await stories.assign_story(session, article)
    await index_article(session, article)
    return article


async def ingest_feed(db: Database, fetcher: Fetcher, feed_id: int, *, now: datetime | None = None) -> FeedResult:
    """Fetch one feed and store its new items; every failure is recorded on the feed."""
    now = now or datetime.now(UTC)
    async with db.sessionmaker.begin() as session:
        feed = await session.get(Feed, feed_id)
        if feed is None:
            return FeedResult(feed_id, "?", error="no such feed", errors=1)
        result = FeedResult(feed.id, feed.name)
        url, etag, modified = feed.url, feed.etag, feed.last_modified
        feed.next_fetch_at = now + timedelta(minutes=feed.interval_minutes)
    try:
        fetched = await fetcher.get(url, etag=etag, last_modified=modified)
        parsed = None if fetched.not_modified else parse_feed(
            fetched.content, url=fetched.url, fetched_at=now, charset=fetched.charset
        )
    except (FetchError, FeedParseError) as exc:
        async with db.sessionmaker.begin() as session:
            feed = await session.get(Feed, feed_id)
            if feed is not None:
                _record_failure(feed, exc.message if isinstance(exc, FetchError) else str(exc), now, result)
        return result
    if parsed is not None:
        for warning in parsed.warnings:
            logger.info("feed id=%d warning: %s", feed_id, warning)
        for item in parsed.items:
            await _ingest_item(db, fetcher, feed_id, item, now, result)
    result.not_modified = fetched.not_modified
    async with db.sessionmaker.begin() as session:
        feed = await session.get(Feed, feed_id)
        if feed is not None:
            feed.last_success_at = now
            feed.consecutive_failures = 0
            feed.etag, feed.last_modified = fetched.etag, fetched.last_modified
            feed.items_total += result.new
    logger.info(
        "feed polled id=%d new=%d duplicate=%d not_modified=%s errors=%d",
        feed_id, result.new, result.duplicate, result.not_modified, result.errors,
    )
    return result


async def _ingest_item(
    db: Database, fetcher: Fetcher, feed_id: int, item: FeedItem, now: datetime, result: FeedResult
) -> None:
    canonical = canonical_url(item.url)
    try:
        async with db.sessionmaker() as session:
            feed = await session.get(Feed, feed_id)
            if feed is None or await _is_duplicate(session, feed, item, canonical):
                result.duplicate += feed is not None
                return
        # The article page is fetched outside any transaction: HTTP can take seconds.
        extracted = await article_text(fetcher, item)
        # Stores run one at a time so that grouping into stories sees every earlier article,
        # also on PostgreSQL where concurrent transactions would not see each other's rows.
        async with db.write_lock, db.sessionmaker.begin() as session:
            feed = await session.get(Feed, feed_id)
            if feed is None or await _is_duplicate(session, feed, item, canonical):
                result.duplicate += feed is not None
                return
            article = await _store_item(session, feed, item, canonical, extracted, now)
            if article.story_id is not None and article.story_id not in result.new_story_ids:
                result.new_story_ids.append(article.story_id)
        result.new += 1
    except IntegrityError:  # another feed stored the same article a moment ago
        result.duplicate += 1
        logger.info("duplicate on insert feed=%d url=%s", feed_id, canonical)
    except Exception:  # one bad item must not stop the feed; the traceback says why
        result.errors += 1
        logger.exception("item failed feed=%d url=%s", feed_id, item.url)


async def due_feed_ids(db: Database, now: datetime | None = None) -> list[int]:
    """Enabled feeds whose next fetch time has come, soonest first."""
    now = now or datetime.now(UTC)
    async with db.sessionmaker() as session:
        query = (
            select(Feed.id)
            .where(Feed.enabled.is_(True))
            .where((Feed.next_fetch_at.is_(None)) | (Feed.next_fetch_at <= now))
            .order_by(Feed.next_fetch_at)
        )
        return list((await session.scalars(query)).all())


async def ingest_feeds(db: Database, fetcher: Fetcher, feed_ids: Collection[int]) -> list[FeedResult]:
    """Run several feeds concurrently (the fetcher bounds the concurrency)."""
    return list(await asyncio.gather(*(ingest_feed(db, fetcher, fid) for fid in feed_ids)))


def new_story_ids(results: Sequence[FeedResult]) -> list[int]:
    """The stories that got a new article in these results."""
    return sorted({sid for r in results for sid in r.new_story_ids})
