"""The long-lived pieces of one process: database, HTTP fetchers and worker pools, opened and closed together.

Ingestion and readers' links each get a fetcher and a worker pool of their own, so a slow site
or a heavy page on one side never takes the other's per-host slots or worker processes.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, replace

from bot.config import Settings
from bot.ingest.fetch import Fetcher, FetchLimits
from bot.ingest.linksummary import LinkReader
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
    links: LinkReader  # readers' links: their own fetcher and worker pool


@asynccontextmanager
async def open_services(
    settings: Settings, *, seed: bool = True, migrate_in_child: bool = False
) -> AsyncIterator[Services]:
    """Open the database (migrated, seeded on first start), the fetchers and the worker pools.

    All are closed on exit; the pools' processes start only when the first document
    needs one. ``migrate_in_child`` migrates in a process of its own (``ringkas run``: the
    long-running bot then never loads Alembic).
    """
    db = Database(settings.database_url)
    work = WorkerPool(settings.ringkas_parse_workers, settings.ringkas_parse_timeout)
    link_work = WorkerPool(settings.ringkas_link_workers, settings.ringkas_parse_timeout)
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
        link_limits = replace(limits, total_timeout=settings.ringkas_link_timeout, wait_in_deadline=True)
        private = settings.ringkas_allow_private_urls
        async with AsyncExitStack() as stack:
            fetcher = await stack.enter_async_context(Fetcher(limits, allow_private=private))
            link_fetcher = await stack.enter_async_context(Fetcher(link_limits, allow_private=private))
            yield Services(settings, db, fetcher, work, LinkReader(link_fetcher, link_work))
    finally:
        await work.aclose()
        await link_work.aclose()
        await db.dispose()
