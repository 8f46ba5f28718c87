"""Exactly one process runs the clock: a PostgreSQL advisory lock held for the process's life.

The clock (digests due, topic alerts, retention) must run in one process at a time, or two
processes would queue and prune the same work. On PostgreSQL the process that gets
``pg_try_advisory_lock`` on a connection of its own runs it; the lock lives as long as that
connection's session, so when the process dies (``kill -9`` included) the server drops it and
the next process that tries gets it. Others try again every few seconds (``ClockLock.acquire``).
On SQLite there is one process: it always holds the clock.
"""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.store.db import Database

logger = logging.getLogger(__name__)

# Two 32-bit keys ("Rkas", 1): advisory locks are per database, so this names the clock of this database.
LOCK_KEYS = (0x526B6173, 1)
RETRY_SECONDS = 3.0


class ClockLock:
    """Whether this process runs the clock; ``acquire`` tries (or checks) and says."""

    def __init__(self, db: Database) -> None:
        """Nothing is taken yet; on SQLite the clock is this process's at once."""
        self.db = db
        self.shared = db.dialect == "postgresql"
        self.held = not self.shared
        self._conn: AsyncConnection | None = None

    async def acquire(self) -> bool:
        """Take the lock if free; when held, check its connection is still alive. Whether it is ours."""
        if not self.shared:
            return True
        try:
            if self._conn is None:
                conn = await self.db.engine.connect()
                self._conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            if self.held:
                await self._conn.execute(text("SELECT 1"))
                return True
            got = await self._conn.scalar(
                text("SELECT pg_try_advisory_lock(:a, :b)"), {"a": LOCK_KEYS[0], "b": LOCK_KEYS[1]}
            )
        except Exception as exc:  # the server or the connection went away: the lock went with it
            if self.held:
                logger.warning("clock lock lost (%s); trying again every %.0f s", exc, RETRY_SECONDS)
            else:
                logger.warning("clock lock not checked: %s", exc)
            self.held = False
            await self._drop()
            return False
        if got:
            self.held = True
            logger.info("this process runs the clock (digests, alerts, retention)")
        return self.held

    async def _drop(self) -> None:
        """Throw the connection away (never back to the pool: it could still hold the lock)."""
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                await conn.invalidate()
                await conn.close()
            except Exception:  # already broken: nothing left to close
                logger.debug("clock connection already gone")

    async def close(self) -> None:
        """Let the clock go (another process takes it within a few seconds)."""
        if self._conn is not None and self.held:
            logger.info("clock released")
        self.held = not self.shared
        await self._drop()
