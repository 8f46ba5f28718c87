"""Reading claimed deliveries for the sender: chats, messages (a shared body read once), progress.

A delivery whose ``sending_part`` is set was claimed from a sender that stopped (killed, or its
lease ran out) with that part in flight: Telegram may or may not have it, and the Bot API cannot
say. It counts as sent and is not sent again: a reader may miss that one message, but no reader
gets a message twice (``bot.telegram.delivery`` explains the choice).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.db import Database
from bot.store.models import Delivery, DeliveryBody, Subscriber
from bot.telegram.ledger import DeliveryJob, Ledger

logger = logging.getLogger(__name__)

LOAD_BATCH = 500
UNCONFIRMED = "last part unconfirmed: its sender stopped while sending it"

Body = tuple[list[str], list[list[str]] | None, str | None]  # messages, buttons, picture


async def load_jobs(db: Database, ledger: Ledger, ids: list[int]) -> list[DeliveryJob]:
    """The pending deliveries among ids with their chats and messages; those of inactive subscribers
    (or whose body was pruned) are marked failed. A body shared by many deliveries is read once."""
    jobs: list[DeliveryJob] = []
    bodies: dict[int, Body] = {}
    async with db.sessionmaker() as session:
        for start in range(0, len(ids), LOAD_BATCH):
            rows = (
                await session.execute(
                    select(
                        Delivery.id,
                        Delivery.subscriber_id,
                        Delivery.kind,
                        Subscriber.chat_id,
                        Delivery.payload,
                        Delivery.parts_sent,
                        Delivery.attempts,
                        Delivery.created_at,
                        Subscriber.active,
                        Subscriber.thread_id,
                        Delivery.buttons,
                        Delivery.body_id,
                        Delivery.sending_part,
                        Delivery.picture,
                        Subscriber.pictures,
                    )
                    .join(Subscriber, Subscriber.id == Delivery.subscriber_id)
                    .where(Delivery.id.in_(ids[start : start + LOAD_BATCH]), Delivery.status == "pending")
                    .order_by(Delivery.id)
                )
            ).all()
            await _read_bodies(session, {row.body_id for row in rows} - set(bodies) - {None}, bodies)
            for row in rows:
                job = _job(row, bodies)
                if not row.active:
                    ledger.record(row.id, status="failed", error="subscriber inactive", sending_part=None)
                elif not job.payload:  # its body pruned from under it: nothing left to send
                    ledger.record(row.id, status="failed", error="messages missing", sending_part=None)
                else:
                    if row.sending_part is not None and row.sending_part >= job.parts_sent:  # marked, not recorded
                        job.parts_sent = _after_interrupted(ledger, row.id, row.sending_part, len(job.payload))
                    if job.parts_sent < len(job.payload):
                        jobs.append(job)
    return jobs


def _job(row: Any, bodies: dict[int, Body]) -> DeliveryJob:
    """The job of one loaded row: its own messages, or its body's; no picture for a reader who said no."""
    payload, buttons, picture = row.payload, row.buttons, row.picture
    if row.body_id is not None:
        payload, buttons, picture = bodies.get(row.body_id, ([], None, None))
    return DeliveryJob(
        row.id,
        row.subscriber_id,
        row.kind,
        row.chat_id,
        payload,
        row.parts_sent,
        row.attempts,
        row.created_at,
        row.thread_id,
        buttons,
        picture if row.pictures else None,
    )


def _after_interrupted(ledger: Ledger, delivery_id: int, part: int, parts: int) -> int:
    """Count the part a stopped sender had in flight as sent; the parts sent now."""
    sent = part + 1
    logger.warning(
        "delivery %d: part %d of %d was in flight when its sender stopped; not sent again", delivery_id, sent, parts
    )
    values: dict[str, object] = {"parts_sent": sent, "sending_part": None}
    if sent >= parts:
        values.update(status="sent", sent_at=datetime.now(UTC), error=UNCONFIRMED)
    ledger.record(delivery_id, **values)
    return sent


async def _read_bodies(session: AsyncSession, wanted: set[int], into: dict[int, Body]) -> None:
    """Add the messages, buttons and picture of the wanted bodies to ``into``."""
    if wanted:
        found = await session.execute(
            select(DeliveryBody.id, DeliveryBody.payload, DeliveryBody.buttons, DeliveryBody.picture).where(
                DeliveryBody.id.in_(wanted)
            )
        )
        into.update((body_id, (payload, buttons, picture)) for body_id, payload, buttons, picture in found)
