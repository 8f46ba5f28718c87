"""The delivery ledger's rows: a delivery recorded before sending, its progress written in batches.

``create_delivery`` records the exact messages as pending; ``Ledger`` commits each confirmed
part in small batched transactions, so the ledger costs far less than the Telegram calls.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.db import Database
from bot.store.models import Delivery

logger = logging.getLogger(__name__)

DELIVERIES = cast(Table, Delivery.__table__)


@dataclass
class Outcome:
    """What happened to one delivery."""

    delivery_id: int
    status: str
    parts: int = 0


async def create_delivery(
    session: AsyncSession, subscriber_id: int, kind: str, key: str, messages: list[str], picture: str | None = None
) -> Delivery | None:
    """Record a delivery as pending (with the lead picture to show above it); None when one with this key exists."""
    exists = await session.scalar(
        select(Delivery.id).where(Delivery.subscriber_id == subscriber_id, Delivery.kind == kind, Delivery.key == key)
    )
    if exists is not None:
        return None
    status = "pending" if messages else "skipped"
    delivery = Delivery(
        subscriber_id=subscriber_id, kind=kind, key=key, payload=messages, status=status, picture=picture
    )
    session.add(delivery)
    await session.flush()
    return delivery


@dataclass
class DeliveryJob:
    """One delivery being sent: what the ledger said when it was loaded."""

    delivery_id: int
    subscriber_id: int
    kind: str
    chat_id: int
    payload: list[str]
    parts_sent: int
    attempts: int
    created_at: datetime
    thread_id: int = 0  # the forum topic, 0 for the chat itself
    buttons: list[list[str]] | None = None  # [label, callback data] rows under the last part
    picture: str | None = None  # shown above the first part; None when there is none or the reader said no


class Ledger:
    """Writes sending progress in small batched transactions (one writer, so SQLite never waits).

    A confirmed part is committed within ``FLUSH_SECONDS``; the batch keeps the cost of the
    ledger far below the cost of a Telegram call even at a thousand messages a second. Every
    write checks that the row is still this sender's (``owner``, its ``claimed_by``): a sender
    whose lease ran out and was taken over changes nothing. (The marks of parts in flight,
    which a send waits for, go through ``bot.telegram.marks`` instead.)
    """

    FLUSH_SECONDS = 0.005
    MAX_BATCH = 500

    def __init__(self, db: Database, owner: str) -> None:
        """Prepare an empty update queue; the writer task starts on the first record."""
        self.db = db
        self.owner = owner
        self._queue: asyncio.Queue[tuple[int, dict[str, object]] | None] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    def record(self, delivery_id: int, **values: object) -> None:
        """Queue an update of one delivery row."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())
        self._queue.put_nowait((delivery_id, values))

    async def flush(self) -> None:
        """Wait until every queued update is committed."""
        if self._task is not None and not self._task.done():
            self._queue.put_nowait(None)
            await self._task

    async def _run(self) -> None:
        """Write queued updates in batches until a flush marker arrives and the queue is empty."""
        while True:
            first = await self._queue.get()
            batch = [] if first is None else [first]
            stop = first is None
            await asyncio.sleep(self.FLUSH_SECONDS)
            while not self._queue.empty() and len(batch) < self.MAX_BATCH:
                item = self._queue.get_nowait()
                if item is None:
                    stop = True
                else:
                    batch.append(item)
            if batch:
                await self._write(batch)
            if stop and self._queue.empty():
                return

    async def _write(self, batch: list[tuple[int, dict[str, object]]]) -> None:
        """Commit one batch, merging updates of the same delivery; a failure is logged and the rows stay pending.

        Rows with the same columns to set go in one executemany: a statement per row cost
        more than the Telegram calls at a thousand messages a second.
        """
        merged: dict[int, dict[str, object]] = {}
        for delivery_id, values in batch:
            merged.setdefault(delivery_id, {}).update(values)
        shapes: dict[tuple[str, ...], list[dict[str, object]]] = {}
        for delivery_id, values in merged.items():
            shapes.setdefault(tuple(sorted(values)), []).append({"row_id": delivery_id, "owner": self.owner, **values})
        try:
            async with self.db.sessionmaker.begin() as session:
                for columns, rows in shapes.items():
                    statement = (
                        update(DELIVERIES)
                        .where(DELIVERIES.c.id == bindparam("row_id"), DELIVERIES.c.claimed_by == bindparam("owner"))
                        .values({name: bindparam(name) for name in columns})
                    )
                    await session.execute(statement, rows)
        except Exception:  # the rows stay pending and are sent again: logged, never silent
            logger.exception("ledger write failed for %d deliveries", len(merged))
