"""The ingestion schedule: one job per due feed, spread over the tick, plus daily pruning.

``ringkas ingest --watch`` runs it on an APScheduler ``AsyncIOScheduler``; the bot runs the same
functions inside python-telegram-bot's job queue (APScheduler underneath).
"""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.ingest.pipeline import FeedResult, due_feed_ids, ingest_feed, ingest_feeds
from bot.ingest.services import Services
from bot.store.retention import prune

logger = logging.getLogger(__name__)

TICK_SECONDS = 60.0
PRUNE_HOUR = 3  # local time of the daily retention pass


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

    async def tick() -> None:
        """Schedule one job per due feed, spread over the tick."""
        now = datetime.now(UTC)
        for feed_id, delay in spread(await due_feed_ids(services.db, now)):
            scheduler.add_job(
                ingest_one,
                "date",
                args=[services, feed_id],
                id=f"feed-{feed_id}",
                run_date=now + timedelta(seconds=delay),
                replace_existing=True,
                misfire_grace_time=300,
            )

    async def prune_job() -> None:
        """Delete articles past the retention period."""
        await prune(services.db, services.settings.ringkas_retention_days)

    scheduler.add_job(tick, "interval", seconds=TICK_SECONDS, next_run_time=datetime.now(UTC), id="tick")
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
