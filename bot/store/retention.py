"""Retention: old articles are deleted with their index rows, and sent messages' text is dropped.

A delivery needs its messages only while it is pending (a crash-safe resend starts from its
first unsent part); once sent, failed or skipped, the ledger keeps the row (who got what key,
when) without the text, and a digest body no pending delivery refers to is deleted.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import Text, cast, delete, null, or_, select, update

from bot.store.db import Database
from bot.store.models import Article, Delivery, DeliveryBody, Story
from bot.store.search import unindex_articles

logger = logging.getLogger(__name__)

BATCH = 1000
# A body younger than this may belong to a digest run still queueing (later batches refer to
# the bodies of earlier ones): it is left for the next pass.
BODY_GRACE = timedelta(hours=1)


async def prune(db: Database, retention_days: int, *, now: datetime | None = None) -> int:
    """Delete articles first seen before the retention window, and stories left empty; drop sent messages' text."""
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=retention_days)
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
    cleared, bodies = await prune_delivery_text(db, now)
    logger.info(
        "retention pass removed=%d cutoff=%s delivery_texts=%d bodies=%d", removed, cutoff.isoformat(), cleared, bodies
    )
    return removed


# A row still holding text: its own messages, or a reference to a shared body.
_has_text = or_(Delivery.body_id.is_not(None), cast(Delivery.payload, Text) != "[]")


async def prune_delivery_text(db: Database, now: datetime) -> tuple[int, int]:
    """Drop the messages of deliveries no longer pending, and the bodies no pending delivery refers to.

    Returns (rows whose own text was dropped, bodies deleted). Rows are walked by id, a batch
    per transaction, so a first pass over a year of ledger stays linear and never holds a lock long.
    """
    cleared, last = 0, 0
    while True:
        async with db.sessionmaker.begin() as session:
            ids = list(
                (
                    await session.scalars(
                        select(Delivery.id)
                        .where(Delivery.id > last, Delivery.status != "pending", _has_text)
                        .order_by(Delivery.id)
                        .limit(BATCH)
                    )
                ).all()
            )
            if not ids:
                break
            await session.execute(
                update(Delivery)
                .where(Delivery.id.in_(ids))
                .values(payload=[], buttons=null(), body_id=None, picture=None)
            )
        cleared, last = cleared + len(ids), ids[-1]
    async with db.sessionmaker.begin() as session:
        pending = select(Delivery.id).where(Delivery.body_id == DeliveryBody.id, Delivery.status == "pending").exists()
        deleted = await session.execute(
            delete(DeliveryBody).where(DeliveryBody.created_at < now - BODY_GRACE, ~pending).returning(DeliveryBody.id)
        )
        bodies = len(deleted.all())
    return cleared, bodies
