"""The part of each delivery that is in flight, committed before the Bot API call (``deliveries.sending_part``).

A send waits for its mark, so marks go by their own path, not behind the ledger's batched
progress: the marks queued while one is written go together in one ``UPDATE … RETURNING`` on a
connection of their own in autocommit mode (one round trip per batch). The statement checks the
delivery is still this sender's; the ids it returns are the sends that may go.

A mark names the part explicitly, and the progress records never clear it while more parts
follow: the ledger's records and these marks are written by different tasks, so a record of
part k could land after the mark of part k+1. The part in doubt after a crash is
``sending_part`` when it is not below ``parts_sent`` (``bot.telegram.delivery_load``).
"""

from __future__ import annotations

import asyncio
import logging
from typing import cast

from sqlalchemy import Table, bindparam, case, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.store.db import Database
from bot.store.models import Delivery

logger = logging.getLogger(__name__)

DELIVERIES = cast(Table, Delivery.__table__)

Mark = tuple[int, int, "asyncio.Future[bool]"]  # delivery, part, whether it may go


class Marks:
    """Commits "part N of this delivery is in flight" for one sender, in batches."""

    def __init__(self, db: Database, owner: str) -> None:
        """Mark in ``db`` as ``owner``; the writer task and its connection start with the first mark."""
        self.db = db
        self.owner = owner
        self._queue: asyncio.Queue[Mark | None] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    async def mark(self, delivery_id: int, part: int) -> bool:
        """Commit that ``part`` of this delivery is about to go; False when the delivery is no longer ours."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())
        decided: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait((delivery_id, part, decided))
        return await decided

    async def close(self) -> None:
        """Stop the writer and give its connection back."""
        if self._task is not None and not self._task.done():
            self._queue.put_nowait(None)
            await self._task

    async def _run(self) -> None:
        """Write the queued marks, a batch per round trip, until ``close``."""
        conn: AsyncConnection | None = None
        stop = False
        try:
            # A mark queued after ``close`` (another pass of the same sender) is still written.
            while not (stop and self._queue.empty()):
                first = await self._queue.get()
                batch = [first]
                while not self._queue.empty():
                    batch.append(self._queue.get_nowait())
                marks = [m for m in batch if m is not None]
                if marks:
                    conn = await self._write(conn, marks)
                stop = stop or None in batch
        finally:
            if conn is not None:
                await conn.close()

    async def _write(self, conn: AsyncConnection | None, marks: list[Mark]) -> AsyncConnection | None:
        """One UPDATE for the batch; resolve every waiting send. Returns the connection to reuse."""
        parts = {delivery_id: part for delivery_id, part, _ in marks}
        ours: set[int] = set()
        try:
            if conn is None:
                conn = await (await self.db.engine.connect()).execution_options(isolation_level="AUTOCOMMIT")
                if self.db.dialect == "postgresql":
                    # A killed sender loses nothing the server has; only a crash of the database
                    # host could forget a mark, and then one message per lane could repeat.
                    await conn.execute(text("SET synchronous_commit TO OFF"))
            result = await conn.execute(
                update(DELIVERIES)
                .where(DELIVERIES.c.id.in_(list(parts)), DELIVERIES.c.claimed_by == bindparam("owner"))
                .values(sending_part=case(parts, value=DELIVERIES.c.id))
                .returning(DELIVERIES.c.id),
                {"owner": self.owner},
            )
            ours = set(result.scalars().all())
        except Exception:  # nothing marked: no send goes; the deliveries stay pending
            logger.exception("marking %d deliveries in flight failed", len(parts))
            if conn is not None:
                await conn.invalidate()
                conn = None
        for delivery_id, _, decided in marks:
            if delivery_id not in ours:
                logger.warning("delivery %d is no longer this sender's; not sent", delivery_id)
            if not decided.done():
                decided.set_result(delivery_id in ours)
        return conn
