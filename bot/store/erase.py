"""Erasing a chat: every row stored about it, for /hapusdata.

A chat's subscriber rows (the chat itself and each of its forum topics) own everything else
about it (settings, followed topics, mute words, source choices, deliveries, alert matches)
through ``ON DELETE CASCADE``, so deleting them deletes it all. ``erase_chat_data`` also
checkpoints SQLite's write-ahead log, which would otherwise keep the rows' old pages on disk.
"""

from __future__ import annotations

import logging

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.db import Database
from bot.store.models import AlertMatch, Delivery, Follow, Mute, SourceFilter, Subscriber

logger = logging.getLogger(__name__)


async def erase_chat(session: AsyncSession, chat_id: int) -> int:
    """Delete everything stored about a chat; return how many subscriber rows it had."""
    ids = list((await session.scalars(select(Subscriber.id).where(Subscriber.chat_id == chat_id))).all())
    if not ids:
        return 0
    # Explicit deletes as well as the cascade: a SQLite connection opened without
    # foreign_keys=ON would otherwise leave the rows behind.
    for model in (AlertMatch, Delivery, Follow, Mute, SourceFilter):
        await session.execute(delete(model).where(model.subscriber_id.in_(ids)))
    await session.execute(delete(Subscriber).where(Subscriber.id.in_(ids)))
    logger.info("chat erased: %d subscriber rows", len(ids))
    return len(ids)


async def erase_chat_data(db: Database, chat_id: int) -> int:
    """Erase a chat in a transaction of its own, then checkpoint the log; return its subscriber rows."""
    async with db.sessionmaker.begin() as session:
        rows = await erase_chat(session, chat_id)
    await db.checkpoint()
    return rows
