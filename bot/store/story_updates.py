"""Stories that gained an article and still wait for the alert scan, written with the article itself.

Ingestion adds a row in the transaction that stores an article (``bot.ingest.pipeline``), in
whatever process it runs: the bot's own polling, ``/fetchnow``, ``ringkas fetch`` or ``ringkas
ingest --watch``. The bot's alert scan (``bot.telegram.alerts``) takes the rows in order, matches
their stories against followed topics and deletes them in the transaction that records the
alerts, so every stored story is scanned once however many processes write. A time mark would
skip an article whose transaction committed after a later one's; a row committed late is
simply taken by the next scan. Re-exported by ``bot.store.models``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ForeignKey, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.base import Base, utcnow

logger = logging.getLogger(__name__)


class StoryUpdate(Base):
    """A story that gained an article, not yet matched against followed topics."""

    __tablename__ = "story_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    stored_at: Mapped[datetime] = mapped_column(default=utcnow)


async def note_story_update(session: AsyncSession, story_id: int) -> None:
    """Record, in the caller's transaction, that a story gained an article."""
    session.add(StoryUpdate(story_id=story_id))


async def waiting_updates(session: AsyncSession, limit: int) -> Sequence[tuple[int, int, datetime]]:
    """Up to ``limit`` waiting rows as (id, story id, stored at), oldest first.

    On PostgreSQL the rows stay locked until the caller's transaction ends, and rows another
    scan holds are skipped, so two scans never take the same row.
    """
    rows = await session.execute(
        select(StoryUpdate.id, StoryUpdate.story_id, StoryUpdate.stored_at)
        .order_by(StoryUpdate.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return [(row_id, story_id, stored_at) for row_id, story_id, stored_at in rows]


async def forget_updates(session: AsyncSession, ids: Sequence[int]) -> None:
    """Delete scanned rows (in the transaction that recorded what they led to)."""
    if ids:
        await session.execute(delete(StoryUpdate).where(StoryUpdate.id.in_(list(ids))))
