"""Retention: articles older than the configured number of days are deleted, with their index rows."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from bot.store.db import Database
from bot.store.models import Article, Story
from bot.store.search import unindex_articles

logger = logging.getLogger(__name__)

BATCH = 1000


async def prune(db: Database, retention_days: int, *, now: datetime | None = None) -> int:
    """Delete articles first seen before the retention window, and stories left empty."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=retention_days)
    removed = 0
    while True:
        async with db.sessionmaker.begin() as session:
            ids = list(
                (await session.scalars(select(Article.id).where(Article.first_seen_at < cutoff).limit(BATCH))).all()
            )
            if not ids:
                break
            await unindex_articles(session, ids)
            await session.execute(delete(Article).where(Article.id.in_(ids)))
            removed += len(ids)
    async with db.sessionmaker.begin() as session:
        orphans = select(Article.id).where(Article.story_id == Story.id).exists()
        await session.execute(delete(Story).where(~orphans, Story.first_seen_at < cutoff))
    logger.info("retention pass removed=%d cutoff=%s", removed, cutoff.isoformat())
    return removed
