"""The ingest flow, and the only module that knows all of it: feed -> fetch -> extract -> clean -> summarize -> store."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Collection, Iterable, Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot import metrics
from bot.ingest.extract import article_text
from bot.ingest.feedparse import FeedItem, FeedParseError, parse_feed
from bot.ingest.feedstate import MAX_CONSECUTIVE_FAILURES, FeedResult, backoff, fail_feed, record_success
from bot.ingest.fetch import Fetcher, FetchError
from bot.ingest.storing import BATCH_ITEMS, Ready, store_batch, worker_fingerprint
from bot.ingest.urls import canonical_url
from bot.ingest.workers import InlineWork, Work, WorkerLost, WorkTimeout
from bot.store.db import Database
from bot.store.known import stored_links
from bot.store.models import Feed

logger = logging.getLogger(__name__)

DEFAULT_MAX_ITEMS_PER_POLL = 100
# A feed's items being read at once (their pages fetched, or waiting for a worker): enough to keep
# the workers busy while a batch is stored, few enough that a feed of teasers holds a handful of
# pages in memory, not a batch of them.
EXTRACT_AT_ONCE = 4

__all__ = [
    "MAX_CONSECUTIVE_FAILURES",
    "FeedResult",
    "backoff",
    "due_feed_ids",
    "ingest_feed",
    "ingest_feeds",
    "new_story_ids",
]


async def ingest_feed(
    db: Database,
    fetcher: Fetcher,
    feed_id: int,
    *,
    now: datetime | None = None,
    work: Work | None = None,
    max_items: int = DEFAULT_MAX_ITEMS_PER_POLL,
) -> FeedResult:
    """Fetch one feed and store up to ``max_items`` new items, newest first; never raises.

    Every failure, an unexpected one included, is recorded on the feed (and counts toward
    its pause), so one feed can never stop a pass over the others.
    """
    now = now or datetime.now(UTC)
    result = FeedResult(feed_id, "?")
    try:
        await _poll(db, fetcher, work or InlineWork(), max_items, now, result)
    except Exception as exc:  # a bug or a database hiccup: recorded, never passed on
        logger.exception("feed pass failed id=%d", feed_id)
        message = f"unexpected error: {type(exc).__name__}: {exc}"
        try:
            await fail_feed(db, feed_id, message, now, result)
        except Exception:  # the database itself fails (no free connection): the next pass tries again
            logger.exception("feed failure not recorded id=%d", feed_id)
            result.error, result.errors = message, 1
    # Counted here, where every poll ends, whoever asked for it: the bot's job, /fetchnow or the CLI.
    metrics.FEEDS_POLLED.labels("error" if result.error else "ok").inc()
    if result.error:
        metrics.FEED_ERRORS.inc()
    return result


async def _poll(db: Database, fetcher: Fetcher, work: Work, max_items: int, now: datetime, result: FeedResult) -> None:
    """One pass over the feed ``result.feed_id``; fills ``result``."""
    feed_id = result.feed_id
    async with db.sessionmaker.begin() as session:
        feed = await session.get(Feed, feed_id)
        if feed is None:
            result.error, result.errors = "no such feed", 1
            return
        result.name = feed.name
        url, etag, modified = feed.url, feed.etag, feed.last_modified
        feed.next_fetch_at = now + timedelta(minutes=feed.interval_minutes)
    try:
        fetched = await fetcher.get(url, etag=etag, last_modified=modified)
        parsed = (
            None
            if fetched.not_modified
            else await work.run(parse_feed, fetched.content, url=fetched.url, fetched_at=now, charset=fetched.charset)
        )
    except (FetchError, FeedParseError, WorkTimeout, WorkerLost) as exc:
        await fail_feed(db, feed_id, _failure_message(exc), now, result)
        return
    warnings = list(parsed.warnings) if parsed is not None else []
    if parsed is not None:
        fresh = await _unseen(db, feed_id, _with_canonical(parsed.items, warnings))
        result.duplicate += len(parsed.items) - len(fresh)
        result.backlog = max(0, len(fresh) - max_items)
        if result.backlog:
            logger.info("feed id=%d: %d new items wait for the next poll", feed_id, result.backlog)
        await _store_new(db, fetcher, work, feed_id, fresh[:max_items], now, result, warnings)
    result.not_modified = fetched.not_modified
    result.warnings = len(warnings)
    for warning in warnings:
        logger.info("feed id=%d warning: %s", feed_id, warning)
    async with db.sessionmaker.begin() as session:
        feed = await session.get(Feed, feed_id)
        if feed is not None:
            record_success(feed, fetched, parsed is not None, warnings, now, result)
    logger.info(
        "feed polled id=%d new=%d duplicate=%d not_modified=%s warnings=%d backlog=%d",
        feed_id,
        result.new,
        result.duplicate,
        result.not_modified,
        result.warnings,
        result.backlog,
    )


def _failure_message(exc: Exception) -> str:
    """Return the one-line reason for a failed fetch or parse."""
    if isinstance(exc, FetchError):
        return exc.message
    if isinstance(exc, WorkTimeout | WorkerLost):
        return f"feed document not parsed: {exc}"
    return str(exc)


def _with_canonical(items: list[FeedItem], warnings: list[str]) -> list[tuple[FeedItem, str]]:
    """Pair each item with its canonical URL; an item whose URL has none is dropped with a warning."""
    paired = []
    for item in items:
        try:
            paired.append((item, canonical_url(item.url)))
        except ValueError as exc:
            warnings.append(f"item {item.url[:200]!r} dropped: bad link ({exc})")
    return paired


async def _unseen(db: Database, feed_id: int, items: list[tuple[FeedItem, str]]) -> list[tuple[FeedItem, str]]:
    """Return the items not stored yet, newest first."""
    guids = [item.guid for item, _ in items if item.guid]
    known_urls, known_guids = await stored_links(db, feed_id, [canonical for _, canonical in items], guids)
    fresh = [(i, c) for i, c in items if c not in known_urls and i.guid not in known_guids]
    return sorted(fresh, key=lambda pair: pair[0].published, reverse=True)


async def _store_new(
    db: Database,
    fetcher: Fetcher,
    work: Work,
    feed_id: int,
    fresh: list[tuple[FeedItem, str]],
    now: datetime,
    result: FeedResult,
    warnings: list[str],
) -> None:
    """Extract the new items a batch at a time (the next batch while this one is stored) and store each batch."""
    batches = [fresh[i : i + BATCH_ITEMS] for i in range(0, len(fresh), BATCH_ITEMS)]
    if not batches:
        return
    at_once = asyncio.Semaphore(EXTRACT_AT_ONCE)

    def extract(batch: list[tuple[FeedItem, str]]) -> asyncio.Future[list[Ready]]:
        """Start extracting the batch's items, in order; an item that fails is dropped with a warning."""
        jobs = (_extract(fetcher, work, feed_id, item, canonical, at_once, warnings) for item, canonical in batch)
        return asyncio.ensure_future(_gathered(jobs))

    extracting = extract(batches[0])
    try:
        for following in [*batches[1:], None]:
            ready = await extracting
            if following is not None:
                extracting = extract(following)
            await store_batch(db, feed_id, ready, now, result, warnings)
    finally:
        extracting.cancel()  # only when storing raised: the next batch is then not wanted


async def _gathered(jobs: Iterable[Awaitable[Ready | None]]) -> list[Ready]:
    """The jobs' articles, in order, without the failed ones."""
    return [ready for ready in await asyncio.gather(*jobs) if ready is not None]


async def _extract(
    fetcher: Fetcher,
    work: Work,
    feed_id: int,
    item: FeedItem,
    canonical: str,
    at_once: asyncio.Semaphore,
    warnings: list[str],
) -> Ready | None:
    """The item with its cleaned, ranked article (a teaser's page fetched outside any transaction), or None."""
    try:
        async with at_once:
            extracted = await article_text(fetcher, item, work)
            return Ready(item, canonical, extracted, await worker_fingerprint(work, item, extracted.text))
    except Exception as exc:  # one bad item must not stop the feed; the traceback says why
        logger.exception("item dropped feed=%d url=%s", feed_id, item.url)
        warnings.append(f"item {item.url[:200]!r} dropped: {type(exc).__name__}: {exc}"[:500])
        return None


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


async def ingest_feeds(
    db: Database,
    fetcher: Fetcher,
    feed_ids: Collection[int],
    *,
    work: Work | None = None,
    max_items: int = DEFAULT_MAX_ITEMS_PER_POLL,
) -> list[FeedResult]:
    """Run several feeds concurrently (the fetcher bounds the concurrency); return each result.

    ``ingest_feed`` records its own failures and never raises, so one feed's trouble leaves
    the others' passes whole.
    """
    return list(
        await asyncio.gather(*(ingest_feed(db, fetcher, fid, work=work, max_items=max_items) for fid in feed_ids))
    )


def new_story_ids(results: Sequence[FeedResult]) -> list[int]:
    """The stories that got a new article in these results."""
    return sorted({sid for r in results for sid in r.new_story_ids})
