"""The bot's send rate shared by every sender process through one row of the database.

Telegram allows a bot about 30 messages a second, whatever number of processes send them. The
row ``send_budget`` ("telegram") holds the time at which the bot's next message may go: a token
bucket with no burst, kept as the time its next token falls due (GCRA). A sender takes ``batch``
tokens at once with ``SELECT … FOR UPDATE``: they are the ``batch`` slots from
``max(now, next_at)`` on, ``1/rate`` apart, and ``next_at`` moves past them. Senders' slots never
overlap, so together they send at most ``rate`` messages a second, one round trip per batch.
Slots a sender took but did not use (its queue ran dry, or it was killed) are simply lost: at
most one batch each, a fraction of a second.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from datetime import timedelta
from typing import Protocol

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from bot.store.base import utcnow
from bot.store.db import Database
from bot.store.models import SendBudget

logger = logging.getLogger(__name__)

BUDGET_NAME = "telegram"


class Pacing(Protocol):
    """Something a sender waits on before each message."""

    rate: float  # messages per second

    async def take(self) -> None:
        """Return when the next message may go."""


class LocalPacing:
    """The same pacing for a sender alone (SQLite: one process sends): slots 1/rate apart, no database."""

    def __init__(self, rate: float) -> None:
        """Pace at ``rate`` messages per second (> 0)."""
        if rate <= 0:
            raise ValueError("pacing needs a positive rate")
        self.rate = rate
        self._next = 0.0

    async def take(self) -> None:
        """Wait until this process's next slot; one per message."""
        now = time.monotonic()
        slot = max(now, self._next)
        self._next = slot + 1 / self.rate
        if slot > now:
            await asyncio.sleep(slot - now)


class SharedBudget:
    """Slots to send at, drawn from the shared row in batches; ``take`` waits for the next one."""

    BATCH_SECONDS = 0.25  # a batch holds about this much of the rate...
    MAX_BATCH = 100  # ...and at most this many slots
    # A slot this late (the process was stalled) is dropped: sent now it would bunch with later ones.
    LATE_SECONDS = 1.0

    def __init__(self, db: Database, rate: float, name: str = BUDGET_NAME) -> None:
        """Share ``rate`` messages per second (> 0) through the row ``name``."""
        if rate <= 0:
            raise ValueError("a shared budget needs a positive rate")
        self.db = db
        self.rate = rate
        self.name = name
        self.batch = max(1, min(self.MAX_BATCH, int(rate * self.BATCH_SECONDS)))
        self._slots: deque[float] = deque()
        self._lock = asyncio.Lock()
        self.round_trips = 0

    async def take(self) -> None:
        """Wait until this process's next slot; one per message."""
        async with self._lock:
            while True:
                while not self._slots:
                    await self._refill()
                slot = self._slots.popleft()
                if slot >= time.monotonic() - self.LATE_SECONDS:
                    break
        delay = slot - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)

    async def _refill(self) -> None:
        """Take the next ``batch`` slots from the shared row."""
        count = self.batch
        for attempt in (1, 2):
            try:
                async with self.db.sessionmaker.begin() as session:
                    now, clock = utcnow(), time.monotonic()  # the same instant on both clocks
                    next_at = await session.scalar(
                        select(SendBudget.next_at).where(SendBudget.name == self.name).with_for_update()
                    )
                    start = now if next_at is None or next_at < now else next_at
                    end = start + timedelta(seconds=count / self.rate)
                    if next_at is None:
                        session.add(SendBudget(name=self.name, next_at=end))
                    else:
                        await session.execute(
                            update(SendBudget).where(SendBudget.name == self.name).values(next_at=end)
                        )
                break
            except IntegrityError:  # another process created the row first: take from it
                if attempt == 2:
                    raise
        self.round_trips += 1
        first = clock + (start - now).total_seconds()
        self._slots.extend(first + i / self.rate for i in range(count))
