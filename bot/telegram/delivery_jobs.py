"""Reading pending deliveries for the sender: chat, messages, buttons and lead picture, a batch at a time.

A digest's messages, buttons and picture are its shared body's (read once however many rows
refer to it); an alert's are the row's own. The picture is dropped here for readers who turned
pictures off (``/atur gambar mati``), so a change takes effect even for a delivery already queued.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.db import Database
from bot.store.models import Delivery, DeliveryBody, Subscriber
from bot.telegram.ledger import DeliveryJob, Ledger

logger = logging.getLogger(__name__)

LOAD_BATCH = 500
Body = tuple[list[str], list[list[str]] | None, str | None]  # messages, buttons, picture


async def load_jobs(db: Database, ledger: Ledger, ids: list[int]) -> list[DeliveryJob]:
    """The pending deliveries among ids with their chats and messages; those of inactive subscribers
    (or whose body was pruned) are marked failed in the ledger."""
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
                    ledger.record(row.id, status="failed", error="subscriber inactive")
                elif not job.payload:  # its body pruned from under it: nothing left to send
                    ledger.record(row.id, status="failed", error="messages missing")
                else:
                    jobs.append(job)
    return jobs


def _job(row: Any, bodies: dict[int, Body]) -> DeliveryJob:
    """The job of one loaded row: its own messages, or its body's."""
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


async def _read_bodies(session: AsyncSession, wanted: set[int], into: dict[int, Body]) -> None:
    """Add the messages, buttons and picture of the wanted bodies to ``into``."""
    if wanted:
        found = await session.execute(
            select(DeliveryBody.id, DeliveryBody.payload, DeliveryBody.buttons, DeliveryBody.picture).where(
                DeliveryBody.id.in_(wanted)
            )
        )
        into.update((body_id, (payload, buttons, picture)) for body_id, payload, buttons, picture in found)
