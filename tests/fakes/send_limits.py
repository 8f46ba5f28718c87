"""Flood control and injected faults: what makes the fake Bot API say no.

``SendRateLimiter`` reproduces Telegram's broadcast limit (about 30 messages per second
overall, optionally 1 per second per chat) with a sliding window, so benchmarks measure a bot
that respects ``retry_after``.  ``FaultPlan`` queues one-off failures (5xx, 429) for tests of
retry logic.  Neither is thread-safe on its own; the fake calls them under its state lock.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from tests.fakes.api_errors import ApiError, too_many_requests

# Methods that put a new message into a chat; these are what Telegram's flood limits count.
SEND_METHODS = frozenset(
    {
        "sendMessage", "sendPhoto", "sendDocument", "sendAudio", "sendVideo", "sendAnimation",
        "sendVoice", "sendMediaGroup", "sendSticker", "sendLocation", "sendPoll",
        "copyMessage", "forwardMessage",
    }
)  # fmt: skip
ANY_METHOD = "*"


class SendRateLimiter:
    """Sliding-window limits: ``per_second`` sends overall, optionally one per chat per window."""

    window_seconds = 1.0
    per_chat_sends = 1

    def __init__(self, per_second: int | None, per_chat: bool = False) -> None:
        self.per_second = per_second
        self.per_chat = per_chat
        self._recent: deque[float] = deque()
        self._per_chat: dict[Any, deque[float]] = {}

    def admit(self, chat_id: Any, now: float) -> int | None:
        """Record a send at ``now`` and return ``None``, or return the ``retry_after`` seconds."""
        horizon = now - self.window_seconds
        if self.per_second is not None:
            while self._recent and self._recent[0] <= horizon:
                self._recent.popleft()
            if len(self._recent) >= self.per_second:
                return self._retry_after(self._recent[0], now)
        chat_recent = None
        if self.per_chat:
            chat_recent = self._per_chat.setdefault(chat_id, deque())
            while chat_recent and chat_recent[0] <= horizon:
                chat_recent.popleft()
            if len(chat_recent) >= self.per_chat_sends:
                return self._retry_after(chat_recent[0], now)
            chat_recent.append(now)
        if self.per_second is not None:
            self._recent.append(now)
        return None

    def _retry_after(self, oldest: float, now: float) -> int:
        """Whole seconds until the oldest send leaves the window (Telegram sends integers)."""
        return max(1, math.ceil(oldest + self.window_seconds - now))


@dataclass
class _Fault:
    status: int
    remaining: int
    retry_after: int | None = None
    description: str | None = None
    body: bytes | None = None


class FaultPlan:
    """One-off failures queued per method (``"*"`` matches every method)."""

    def __init__(self) -> None:
        self._faults: dict[str, list[_Fault]] = {}

    def add(
        self, method: str, status: int, count: int, retry_after: int | None = None, *,
        description: str | None = None, body: bytes | None = None,
    ) -> None:  # fmt: skip
        """Make the next ``count`` calls of ``method`` fail with ``status`` (or answer a raw ``body``)."""
        if count < 1:
            raise ValueError("count must be at least 1")
        self._faults.setdefault(method, []).append(_Fault(status, count, retry_after, description, body))

    def clear(self) -> None:
        """Forget every queued failure."""
        self._faults.clear()

    def take(self, method: str) -> ApiError | None:
        """The failure to answer this call with, if one is queued."""
        for key in (method, ANY_METHOD):
            queue = self._faults.get(key)
            if not queue:
                continue
            fault = queue[0]
            fault.remaining -= 1
            if fault.remaining == 0:
                queue.pop(0)
            if fault.retry_after is not None:
                return too_many_requests(fault.retry_after)
            error = ApiError(fault.status, fault.description or _describe(fault.status))
            error.raw_body = fault.body
            return error
        return None


def _describe(status: int) -> str:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return phrase if status >= 500 else f"{phrase}: failure injected by the fake"
