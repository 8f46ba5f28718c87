"""The ingestion schedule: due feeds claimed, one job per feed spread over the tick, plus daily pruning.

``ringkas ingest --watch`` runs it on an APScheduler ``AsyncIOScheduler``; the bot runs the same
functions inside python-telegram-bot's job queue (APScheduler underneath). Every way of polling
due feeds (these two, and ``ringkas fetch``) claims them first (``FeedClaims``, over
``bot.store.claims``), so processes sharing a database never poll one feed at once, and a
feed polled by one is not due for the others until its interval has passed.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Collection
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.ingest.pipeline import FeedResult, ingest_feed, ingest_feeds
from bot.ingest.services import Services
from bot.store.claims import claim_due_feeds, process_name, release_feeds, renew_leases
from bot.store.db import Database
from bot.store.retention import prune

logger = logging.getLogger(__name__)

TICK_SECONDS = 60.0
PRUNE_HOUR = 3  # local time of the daily retention pass
# Feeds one process holds at most (claimed, waiting or being polled): a busy process claims
# fewer, so the due feeds spread over the processes that have room.
FEEDS_IN_HAND = 100
FETCH_LANES = 8  # ``ringkas fetch``: feeds polled at once (the fetcher's own concurrency)


class FeedClaims:
    """The feeds this process holds: claimed when due, given back after their poll."""

    def __init__(self, db: Database, lease: float, owner: str | None = None) -> None:
        """Claim in ``db`` under ``owner`` (this process by default) with leases of ``lease`` seconds."""
        self.db = db
        self.lease = lease
        self.owner = owner or process_name()
        self.held: set[int] = set()

    async def claim_due(
        self, now: datetime | None = None, limit: int | None = None, exclude: Collection[int] = ()
    ) -> list[int]:
        """Claim due feeds nobody holds: ``limit``, or as many as the hand has room for."""
        room = FEEDS_IN_HAND - len(self.held) if limit is None else limit
        if room <= 0:
            return []
        ids = await claim_due_feeds(self.db, self.owner, limit=room, lease=self.lease, now=now, exclude=exclude)
        self.held.update(ids)
        return ids

    async def release(self, feed_id: int) -> None:
        """Give a polled feed back (its next fetch time keeps every process away until it is due)."""
        self.held.discard(feed_id)
        await release_feeds(self.db, self.owner, [feed_id])

    async def renew(self) -> None:
        """Extend the leases of everything this process holds (feeds, and deliveries it is sending)."""
        await renew_leases(self.db, self.owner, lease=self.lease)


async def ingest_claimed(services: Services, claims: FeedClaims, feed_id: int) -> FeedResult:
    """Poll a claimed feed, then give it back; never raises."""
    try:
        return await ingest_one(services, feed_id)
    finally:
        await claims.release(feed_id)


async def fetch_pass(services: Services, claims: FeedClaims, lanes: int = FETCH_LANES) -> list[FeedResult]:
    """One pass over the due feeds, claimed one at a time by ``lanes`` lanes; the results in the order polled.

    Another process running a pass at the same time claims the feeds this one does not, so
    the two share the pass.
    """
    results: list[FeedResult] = []
    seen: set[int] = set()

    async def lane() -> None:
        """Claim and poll due feeds one by one until none is left."""
        while ids := await claims.claim_due(limit=1, exclude=seen):
            seen.update(ids)
            results.append(await ingest_claimed(services, claims, ids[0]))

    renewing = asyncio.create_task(_renew_every(claims))
    try:
        await asyncio.gather(*(lane() for _ in range(lanes)))
    finally:
        renewing.cancel()
    return results


async def _renew_every(claims: FeedClaims) -> None:
    """Renew the leases every third of a lease until cancelled."""
    while True:
        await asyncio.sleep(claims.lease / 3)
        try:
            await claims.renew()
        except Exception:  # the next renewal tries again; the lease is three times longer
            logger.warning("lease renewal failed", exc_info=True)


def spread(feed_ids: list[int], window: float = TICK_SECONDS) -> list[tuple[int, float]]:
    """Delays that spread due feeds evenly over a window instead of fetching all at once."""
    if not feed_ids:
        return []
    step = window / len(feed_ids)
    return [(fid, round(i * step, 3)) for i, fid in enumerate(feed_ids)]


async def ingest_one(services: Services, feed_id: int) -> FeedResult:
    """Run one feed with the process's workers and limits; return its result, never raise."""
    return await ingest_feed(
        services.db,
        services.fetcher,
        feed_id,
        work=services.work,
        max_items=services.settings.ringkas_max_items_per_poll,
    )


async def ingest_many(services: Services, feed_ids: list[int]) -> list[FeedResult]:
    """Run several feeds at once with the process's workers and limits; return each result."""
    return await ingest_feeds(
        services.db,
        services.fetcher,
        feed_ids,
        work=services.work,
        max_items=services.settings.ringkas_max_items_per_poll,
    )


async def watch(services: Services) -> int:
    """Run the ingestion schedule until SIGINT/SIGTERM."""
    scheduler = AsyncIOScheduler(timezone=services.settings.timezone)
    claims = FeedClaims(services.db, services.settings.ringkas_lease_seconds)

    async def tick() -> None:
        """Claim due feeds and schedule one job per feed, spread over the tick."""
        now = datetime.now(UTC)
        for feed_id, delay in spread(await claims.claim_due(now)):
            scheduler.add_job(
                ingest_claimed,
                "date",
                args=[services, claims, feed_id],
                id=f"feed-{feed_id}",
                run_date=now + timedelta(seconds=delay),
                replace_existing=True,
                misfire_grace_time=300,
            )

    async def prune_job() -> None:
        """Delete articles past the retention period."""
        await prune(services.db, services.settings.ringkas_retention_days)

    scheduler.add_job(tick, "interval", seconds=TICK_SECONDS, next_run_time=datetime.now(UTC), id="tick")
    scheduler.add_job(claims.renew, "interval", seconds=claims.lease / 3, id="renew")
    scheduler.add_job(prune_job, "cron", hour=PRUNE_HOUR, id="prune")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    scheduler.start()
    logger.info("ingest schedule running (tick %.0f s); Ctrl-C stops", TICK_SECONDS)
    await stop.wait()
    scheduler.shutdown(wait=False)
    return 0
