"""Per-chat ordering of updates: one chat's updates run one at a time, in arrival order.

python-telegram-bot hands every update to an update processor. With plain concurrency a
``/start`` and the ``/langganan 06:39`` sent right after it can run at the same time, and the
later write may be lost. ``ChatOrderedProcessor`` keeps a lock per chat (per user where an
update has no chat, e.g. inline queries) so those run one after the other, while different
chats still run side by side, at most ``running`` handlers at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

logger = logging.getLogger(__name__)

# Updates admitted at once (running or waiting behind an earlier update of their chat). Kept
# far above ``running`` so a burst from one chat waits on its own lock, not in front of others.
ADMITTED_UPDATES = 4096
RUNNING_UPDATES = 64


def ordering_key(update: object) -> int | None:
    """The chat id an update belongs to, else its user's id; None for anything else."""
    if not isinstance(update, Update):
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


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Runs the updates of one chat in arrival order, one at a time; other chats concurrently."""

    def __init__(self, running: int = RUNNING_UPDATES, admitted: int = ADMITTED_UPDATES) -> None:
        """Allow running handlers at once and admitted updates in flight in all."""
        super().__init__(max(admitted, running))
        self._running = asyncio.BoundedSemaphore(running)
        self._chats: dict[int, _ChatLock] = {}

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
        entry = self._chats.get(key)
        if entry is None:
            entry = self._chats[key] = _ChatLock()
        entry.users += 1
        try:
            async with entry.lock, self._running:
                await coroutine
        finally:
            entry.users -= 1
            if entry.users == 0:
                del self._chats[key]

    async def initialize(self) -> None:
        """Nothing to allocate: locks are made on demand."""

    async def shutdown(self) -> None:
        """Forget the per-chat locks (no update is running once PTB shuts the processor down)."""
        if self._chats:
            logger.warning("update processor shut down with %d chats still busy", len(self._chats))
        self._chats.clear()
