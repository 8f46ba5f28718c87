"""Sending through the delivery ledger: every digest and alert is recorded before sending and marked after.

A delivery holds the exact messages to send and how many were sent. A sender claims pending
deliveries with a lease (``bot.store.claims``), so any number of sender processes share one
queue without sending anything twice, and a killed sender's deliveries are taken over once its
lease runs out.

Before each message goes to the Bot API the sender commits which part is in flight
(``sending_part``), and it commits the part as sent (checking the delivery is still its own)
once Telegram confirms. If the sender dies in between, the Bot API offers no way to ask whether
that message arrived. The part is then counted as sent and not repeated
(``bot.telegram.delivery_load``): after a ``kill -9`` no reader gets a message twice, and at
most the messages that were in flight at that instant (one per concurrent send, up to
``SEND_CONCURRENCY``) can be missing, and only if the kill landed between the commit and the
request leaving the process. We chose that over the opposite (resend what is unconfirmed) because
a duplicated digest is visible to every reader it hits, while a request already written to the
socket almost always arrives.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter
from telegram.ext import BaseRateLimiter

from bot import metrics
from bot.store.claims import DEFAULT_LEASE_SECONDS, claim_deliveries, process_name, release_deliveries
from bot.store.db import Database
from bot.store.models import Delivery
from bot.store.send_budget import Pacing
from bot.telegram.delivery_fixes import deactivate, move_chat, postpone
from bot.telegram.delivery_load import load_jobs
from bot.telegram.forum import topic_gone
from bot.telegram.keepalive import bulk_bot
from bot.telegram.ledger import DeliveryJob, Ledger, Outcome
from bot.telegram.marks import Marks
from bot.telegram.pictures import NO_PREVIEW, note_refusal, preview
from bot.telegram.render import keyboard

logger = logging.getLogger(__name__)

SEND_CONCURRENCY = 16
NETWORK_RETRIES = 3
RETRY_AFTER_ROUNDS = 5
__all__ = ["NO_PREVIEW", "Sender"]


class Sender:
    """Sends the deliveries it claims through a bot, never the same delivery twice at once."""

    CLAIM_BATCH = 500
    # Paced, a sender claims about this many seconds of sending at a time, so that several
    # senders share even a small fan-out instead of the first one taking it all.
    CLAIM_SECONDS = 2.0

    def __init__(
        self,
        bot: Bot,
        db: Database,
        *,
        owner: str | None = None,
        budget: Pacing | None = None,
        lease: float = DEFAULT_LEASE_SECONDS,
        limiter: BaseRateLimiter[Any] | None = None,
    ) -> None:
        """Send as bot (through its lean twin, ``bulk_bot``), recording progress in db's delivery ledger.

        ``owner`` names this process in the claims. ``budget`` paces every message before it is
        marked in flight (the budget all senders share, or this sender's own pacing), so no
        message waits for its turn with its mark already committed; ``limiter`` replaces the
        bot's own limiter for these sends (``bot.telegram.roles.make_sender`` lifts its overall rate).
        """
        self.bot = bot
        self.api = bulk_bot(bot, limiter)
        self.db = db
        self.owner = owner or process_name()
        self.budget = budget
        self.lease = lease
        self.ledger = Ledger(db, self.owner)
        self.marks = Marks(db, self.owner)
        self._in_flight: set[int] = set()
        self._limit = asyncio.Semaphore(SEND_CONCURRENCY)
        self.stopping = False  # set at shutdown: no new message starts, the rest stays pending

    @property
    def claim_size(self) -> int:
        """How many deliveries one claim takes: a few seconds' worth when paced."""
        if self.budget is None:
            return self.CLAIM_BATCH
        return max(SEND_CONCURRENCY, min(self.CLAIM_BATCH, int(self.budget.rate * self.CLAIM_SECONDS)))

    async def close(self) -> None:
        """Close the lean transport's connections."""
        await self.api.request.shutdown()

    async def pending_ids(self, kind: str | None = None) -> list[int]:
        """Deliveries waiting to be sent, oldest first."""
        query = select(Delivery.id).where(Delivery.status == "pending").order_by(Delivery.id)
        if kind:
            query = query.where(Delivery.kind == kind)
        async with self.db.sessionmaker() as session:
            return list((await session.scalars(query)).all())

    async def send_many(self, delivery_ids: Iterable[int]) -> list[Outcome]:
        """Claim and send these deliveries (those no other sender holds); returns when the ledger has recorded them."""
        ids = [i for i in delivery_ids if i not in self._in_flight]
        claimed = await claim_deliveries(self.db, self.owner, limit=max(1, len(ids)), lease=self.lease, ids=ids)
        return await self._send_claimed(claimed)

    async def send_pending(self, *, after: int = 0, limit: int | None = None) -> tuple[int, list[Outcome]]:
        """Claim up to ``limit`` free pending deliveries with ids above ``after``, oldest first, and send
        them; (the highest id claimed, or 0 when none was free; the outcomes)."""
        if self.stopping:
            return 0, []
        claimed = await claim_deliveries(
            self.db, self.owner, limit=limit or self.claim_size, lease=self.lease, after=after
        )
        return (claimed[-1] if claimed else 0), await self._send_claimed(claimed)

    async def _send_claimed(self, ids: list[int]) -> list[Outcome]:
        """Send claimed deliveries concurrently, then give back those still pending."""
        self._in_flight.update(ids)
        try:
            jobs = await load_jobs(self.db, self.ledger, ids)
            outcomes = list(await asyncio.gather(*(self._guarded(job) for job in jobs)))
        finally:
            await self.marks.close()
            await self.ledger.flush()
            try:
                await release_deliveries(self.db, self.owner, ids)
            finally:
                self._in_flight.difference_update(ids)
        return outcomes

    async def _guarded(self, job: DeliveryJob) -> Outcome:
        """Send one delivery under the concurrency limit; an unexpected error is logged and becomes an "error" outcome."""
        async with self._limit:
            try:
                return await self.send(job)
            except Exception:  # one broken delivery must not stop a fan-out
                logger.exception("delivery crashed id=%d", job.delivery_id)
                return Outcome(job.delivery_id, "error")

    async def send(self, job: DeliveryJob) -> Outcome:
        """Send the unsent parts of one delivery, recording each part as it goes."""
        part, chat_id = job.parts_sent, job.chat_id
        while part < len(job.payload):
            last = part == len(job.payload) - 1
            if self.budget is not None:
                await self.budget.take()
            if self.stopping:
                return Outcome(job.delivery_id, "stopped", part)
            if not await self.marks.mark(job.delivery_id, part):
                return Outcome(job.delivery_id, "lost", part)
            status, chat_id = await self._send_part(
                job,
                chat_id,
                job.payload[part],
                keyboard(job.buttons) if last else None,
                job.picture if part == 0 else None,
            )
            if status != "ok":
                self.ledger.record(job.delivery_id, sending_part=None)  # an answer came: nothing is in doubt
                return Outcome(job.delivery_id, status, part)
            part += 1
            done = part == len(job.payload)
            values: dict[str, object] = {"parts_sent": part}
            if done:  # the delivery's last mark is behind it: nothing of it is in doubt now
                values.update(status="sent", sent_at=datetime.now(UTC), error=None, sending_part=None)
            self.ledger.record(job.delivery_id, **values)
            metrics.MESSAGES_SENT.labels(job.kind).inc()
        metrics.DELIVERY_LAG.observe((datetime.now(UTC) - job.created_at).total_seconds())
        return Outcome(job.delivery_id, "sent", part)

    async def _send_part(
        self,
        delivery: DeliveryJob,
        chat_id: int,
        text: str,
        markup: InlineKeyboardMarkup | None = None,
        picture: str | None = None,
    ) -> tuple[str, int]:
        """Send one message (with ``picture`` above it, else as text alone if Telegram refuses the picture);
        returns ("ok" | a final status, the chat id in effect)."""
        network_failures = 0
        retry_rounds = 0
        params: dict[str, object] = {"text": text, "parse_mode": "HTML", "link_preview_options": preview(picture)}
        if delivery.thread_id:
            params["message_thread_id"] = delivery.thread_id
        if markup is not None:
            params["reply_markup"] = markup
        while True:
            try:
                await self.api.call("sendMessage", {**params, "chat_id": chat_id})
                return "ok", chat_id
            except Forbidden as exc:
                metrics.SEND_FAILURES.labels("forbidden").inc()
                await deactivate(self.db, delivery.subscriber_id, f"forbidden: {exc.message}")
                self.ledger.record(delivery.delivery_id, status="failed", error=f"forbidden: {exc.message}")
                return "failed", chat_id
            except ChatMigrated as exc:
                logger.info("chat migrated subscriber=%d to %d", delivery.subscriber_id, exc.new_chat_id)
                chat_id = int(exc.new_chat_id)
                if not await move_chat(self.db, self.ledger, delivery, chat_id):
                    return "failed", chat_id
            except RetryAfter as exc:
                metrics.RETRY_AFTER.inc()
                retry_rounds += 1
                wait = exc.retry_after if isinstance(exc.retry_after, int | float) else exc.retry_after.total_seconds()
                logger.warning("telegram 429 delivery=%d retry_after=%s", delivery.delivery_id, wait)
                if retry_rounds > RETRY_AFTER_ROUNDS:
                    return await postpone(self.db, self.owner, delivery, "too many 429 answers"), chat_id
                await asyncio.sleep(float(wait))
            except BadRequest as exc:
                if picture and not (delivery.thread_id and topic_gone(exc.message)):
                    # A 400 delivered nothing: the same part goes once more, as text alone.
                    note_refusal(exc.message, f"delivery={delivery.delivery_id}")
                    picture, params["link_preview_options"] = None, NO_PREVIEW
                    continue
                metrics.SEND_FAILURES.labels("bad_request").inc()
                if delivery.thread_id and topic_gone(exc.message):
                    await deactivate(self.db, delivery.subscriber_id, f"topic gone: {exc.message}")
                    self.ledger.record(delivery.delivery_id, status="failed", error=f"topic gone: {exc.message}")
                    return "failed", chat_id
                logger.error("telegram rejected delivery=%d part: %s", delivery.delivery_id, exc.message)
                self.ledger.record(delivery.delivery_id, status="failed", error=f"bad request: {exc.message}")
                return "failed", chat_id
            except NetworkError as exc:  # includes TimedOut and 5xx answers
                network_failures += 1
                logger.warning(
                    "telegram network error delivery=%d try=%d: %s", delivery.delivery_id, network_failures, exc.message
                )
                if network_failures > NETWORK_RETRIES:
                    return await postpone(self.db, self.owner, delivery, f"network: {exc.message}"), chat_id
                await asyncio.sleep(0.5 * 2**network_failures)
