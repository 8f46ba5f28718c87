"""Per-chat ordering of updates: one chat's updates run one at a time, in arrival order.

python-telegram-bot hands every update to an update processor. With plain concurrency a
``/start`` and the ``/langganan 06:39`` sent right after it can run at the same time, and the
later write may be lost. ``ChatOrderedProcessor`` keeps a lock per chat (per user where an
update has no chat, e.g. a button under an inline message) so those run one after the other,
while different chats still run side by side, at most ``running`` handlers at once. Inline
queries are not queued behind their sender's chat: they write nothing, and Telegram drops an
answer that comes later than about ten seconds. ``KeyedLocks`` is the lock-per-key part, also
used to keep a chat's link summaries in order in the background (``bot.telegram.links``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

logger = logging.getLogger(__name__)

# Updates admitted at once (running or waiting behind an earlier update of their chat). Kept
# far above ``running`` so a burst from one chat waits on its own lock, not in front of others.
ADMITTED_UPDATES = 4096
RUNNING_UPDATES = 64


def ordering_key(update: object) -> int | None:
    """The chat id an update belongs to, else its user's id; None for inline queries and anything else."""
    if not isinstance(update, Update) or update.inline_query is not None:
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


class _ChatLock:
    """A chat's lock and how many of its updates hold or wait for it."""

    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        """A free lock with nobody waiting on it."""
        self.lock = asyncio.Lock()
        self.users = 0


class KeyedLocks:
    """One lock per key, made on demand and forgotten once nobody holds or waits for it."""

    def __init__(self) -> None:
        """No locks yet."""
        self._locks: dict[int, _ChatLock] = {}

    def __len__(self) -> int:
        """How many keys have a holder or a waiter."""
        return len(self._locks)

    @asynccontextmanager
    async def hold(self, key: int) -> AsyncIterator[None]:
        """Hold ``key``'s lock; waiters get it first-in first-out (asyncio.Lock's order)."""
        entry = self._locks.get(key)
        if entry is None:
            entry = self._locks[key] = _ChatLock()
        entry.users += 1
        try:
            async with entry.lock:
                yield
        finally:
            entry.users -= 1
            if entry.users == 0:
                del self._locks[key]

    def clear(self) -> None:
        """Forget every lock."""
        self._locks.clear()


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Runs the updates of one chat in arrival order, one at a time; other chats concurrently."""

    def __init__(self, running: int = RUNNING_UPDATES, admitted: int = ADMITTED_UPDATES) -> None:
        """Allow running handlers at once and admitted updates in flight in all."""
        super().__init__(max(admitted, running))
        self._running = asyncio.BoundedSemaphore(running)
        self._chats = KeyedLocks()

    @property
    def chats_tracked(self) -> int:
        """How many chats have an update running or waiting (idle chats hold no memory)."""
        return len(self._chats)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the chat's earlier updates, then run this one within the overall bound."""
        key = ordering_key(update)
        if key is None:
            async with self._running:
                await coroutine
            return
        # asyncio.Lock wakes waiters first-in first-out, and PTB starts updates in arrival order.
        async with self._chats.hold(key), self._running:
            await coroutine

    async def initialize(self) -> None:
        """Nothing to allocate: locks are made on demand."""

    async def shutdown(self) -> None:
        """Forget the per-chat locks (no update is running once PTB shuts the processor down)."""
        if len(self._chats):
            logger.warning("update processor shut down with %d chats still busy", len(self._chats))
        self._chats.clear()
