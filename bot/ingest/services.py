"""The long-lived pieces of one process: database and HTTP fetcher, opened and closed together."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.config import Settings
from bot.ingest.fetch import Fetcher, FetchLimits
from bot.store.db import Database
from bot.store.feeds import seed_default_feeds

logger = logging.getLogger(__name__)


@dataclass
class Services:
    """What handlers, jobs and CLI commands need, created once per process."""

    settings: Settings
    db: Database
    fetcher: Fetcher


@asynccontextmanager
async def open_services(settings: Settings, *, seed: bool = True) -> AsyncIterator[Services]:
    """Open the database (migrated, seeded on first start) and the fetcher; close both on exit."""
    db = Database(settings.database_url)
    try:
        await db.upgrade()
        if seed and settings.ringkas_seed_feeds:
            async with db.sessionmaker.begin() as session:
                await seed_default_feeds(session)
        limits = FetchLimits(user_agent=settings.ringkas_user_agent)
        async with Fetcher(limits, allow_private=settings.ringkas_allow_private_urls) as fetcher:
            yield Services(settings, db, fetcher)
    finally:
        await db.dispose()
