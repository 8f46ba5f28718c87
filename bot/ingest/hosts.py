"""Politeness per host: a cap on concurrent requests, a delay between them, and Retry-After.

A feed of 50,000 teasers must not become 50,000 simultaneous page fetches against whatever
host its links name. ``HostGate.slot(host)`` lets at most ``per_host`` requests to one host
run at once and starts them at least ``delay`` seconds apart. A 429 or 503 with
``Retry-After`` pauses the host (``pause``): a request that would wait no longer than
``max_wait`` waits; a longer pause fails at once with a ``FetchError`` of kind
``retry_after`` instead of holding a poll for hours.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from bot.ingest.responses import FetchError

logger = logging.getLogger(__name__)

# A Retry-After beyond this is a misconfiguration; the host is paused this long at most.
MAX_RETRY_AFTER = 6 * 3600.0
# Hosts remembered before idle ones are forgotten (their pause and spacing are over).
MAX_REMEMBERED_HOSTS = 1000


@dataclass
class _Host:
    """One host's slots, when its next request may start, and until when it is paused."""

    slots: asyncio.Semaphore | None
    next_start: float = 0.0
    paused_until: float = 0.0
    users: int = field(default=0)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Return the seconds a Retry-After header asks for (delta or HTTP date), or None if unreadable."""
    text = (value or "").strip()
    if not text:
        return None
    if text.isdigit():
        return min(float(text), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        logger.info("unreadable Retry-After %r ignored", text[:100])
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max(0.0, (when - (now or datetime.now(UTC))).total_seconds()), MAX_RETRY_AFTER)


class HostGate:
    """Per-host concurrency, spacing and Retry-After pauses for one fetcher."""

    def __init__(self, per_host: int, delay: float, max_wait: float) -> None:
        """``per_host`` 0 means no cap; ``delay`` 0 means no spacing."""
        self.per_host = per_host
        self.delay = delay
        self.max_wait = max_wait
        self._hosts: dict[str, _Host] = {}

    def _host(self, host: str) -> _Host:
        """Return the state for ``host``, forgetting idle hosts when too many are kept."""
        state = self._hosts.get(host)
        if state is None:
            if len(self._hosts) >= MAX_REMEMBERED_HOSTS:
                self._forget_idle()
            slots = asyncio.Semaphore(self.per_host) if self.per_host > 0 else None
            state = self._hosts[host] = _Host(slots)
        return state

    def _forget_idle(self) -> None:
        """Drop hosts nobody is using whose pause and spacing have passed."""
        now = asyncio.get_running_loop().time()
        for name, state in list(self._hosts.items()):
            if not state.users and state.paused_until <= now and state.next_start <= now:
                del self._hosts[name]

    def _check_pause(self, host: str, state: _Host) -> None:
        """Raise FetchError when the host is paused for longer than a request may wait."""
        left = state.paused_until - asyncio.get_running_loop().time()
        if left > self.max_wait:
            raise FetchError("retry_after", f"{host} asked to wait {left:.0f} s more (Retry-After); not asked now")

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Hold one of the host's request slots, started no sooner than politeness allows."""
        state = self._host(host)
        state.users += 1
        try:
            self._check_pause(host, state)
            if state.slots is not None:
                await state.slots.acquire()
            try:
                self._check_pause(host, state)
                loop = asyncio.get_running_loop()
                now = loop.time()
                start = max(now, state.next_start, state.paused_until)
                state.next_start = start + self.delay
                if start > now:
                    await asyncio.sleep(start - now)
                yield
            finally:
                if state.slots is not None:
                    state.slots.release()
        finally:
            state.users -= 1

    def pause(self, host: str, seconds: float) -> None:
        """Pause requests to ``host`` for ``seconds`` (a 429/503 said Retry-After)."""
        until = asyncio.get_running_loop().time() + min(seconds, MAX_RETRY_AFTER)
        state = self._host(host)
        if until > state.paused_until:
            state.paused_until = until
            logger.warning("host %s paused for %.0f s (Retry-After)", host, seconds)
