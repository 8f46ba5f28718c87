"""The long-lived pieces of one process: database, HTTP fetcher and worker pool, opened and closed together."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.config import Settings
from bot.ingest.fetch import Fetcher, FetchLimits
from bot.ingest.workers import WorkerPool
from bot.store.db import Database
from bot.store.feeds import seed_default_feeds

logger = logging.getLogger(__name__)


@dataclass
class Services:
    """What handlers, jobs and CLI commands need, created once per process."""

    settings: Settings
    db: Database
    fetcher: Fetcher
    work: WorkerPool  # feed parsing, page extraction and summarizing, off the event loop


@asynccontextmanager
async def open_services(
    settings: Settings, *, seed: bool = True, migrate_in_child: bool = False
) -> AsyncIterator[Services]:
    """Open the database (migrated, seeded on first start), the fetcher and the worker pool.

    All three are closed on exit; the pool's processes start only when the first document
    needs one. ``migrate_in_child`` migrates in a process of its own (``ringkas run``: the
    long-running bot then never loads Alembic).
    """
    db = Database(settings.database_url)
    work = WorkerPool(settings.ringkas_parse_workers, settings.ringkas_parse_timeout)
    try:
        await (db.upgrade_in_child() if migrate_in_child else db.upgrade())
        if seed and settings.ringkas_seed_feeds:
            async with db.sessionmaker.begin() as session:
                await seed_default_feeds(session)
        limits = FetchLimits(
            user_agent=settings.ringkas_user_agent,
            per_host=settings.ringkas_fetch_per_host,
            host_delay=settings.ringkas_fetch_host_delay,
        )
        async with Fetcher(limits, allow_private=settings.ringkas_allow_private_urls) as fetcher:
            yield Services(settings, db, fetcher, work)
    finally:
        await work.aclose()
        await db.dispose()
