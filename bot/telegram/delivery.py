"""Sending through the delivery ledger: every digest and alert is recorded before sending and marked after.

A delivery holds the exact messages to send and how many were sent. After a crash the pending
ones are sent again from the first unsent part, so nothing is lost and nothing already
confirmed is sent twice. (A part Telegram accepted in the few milliseconds before its
confirmation was committed is the one case that can repeat: the Bot API offers no way to ask
whether a message was delivered.)
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter

from bot import metrics
from bot.store.db import Database
from bot.store.models import Delivery, Subscriber
from bot.telegram.delivery_jobs import load_jobs
from bot.telegram.forum import topic_gone
from bot.telegram.keepalive import bulk_bot
from bot.telegram.ledger import DeliveryJob, Ledger, Outcome
from bot.telegram.pictures import NO_PREVIEW, note_refusal, preview
from bot.telegram.render import keyboard

logger = logging.getLogger(__name__)

SEND_CONCURRENCY = 16
NETWORK_RETRIES = 3
RETRY_AFTER_ROUNDS = 5
MAX_ATTEMPTS = 5
__all__ = ["NO_PREVIEW", "Sender"]


class Sender:
    """Sends pending deliveries through a bot, never the same delivery twice at once."""

    def __init__(self, bot: Bot, db: Database) -> None:
        """Send as bot (through its lean twin, ``bulk_bot``), recording progress in db's delivery ledger."""
        self.bot = bot
        self.api = bulk_bot(bot)
        self.db = db
        self.ledger = Ledger(db)
        self._in_flight: set[int] = set()
        self._limit = asyncio.Semaphore(SEND_CONCURRENCY)

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
        """Send several deliveries concurrently; returns when the ledger has recorded them."""
        ids = [i for i in delivery_ids if i not in self._in_flight]
        self._in_flight.update(ids)
        try:
            jobs = await load_jobs(self.db, self.ledger, ids)
            outcomes = list(await asyncio.gather(*(self._guarded(job) for job in jobs)))
        finally:
            await self.ledger.flush()
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

    async def _deactivate(self, subscriber_id: int, reason: str) -> None:
        """Mark a subscriber inactive with the reason (Telegram refused the chat)."""
        async with self.db.sessionmaker.begin() as session:
            await session.execute(
                update(Subscriber).where(Subscriber.id == subscriber_id).values(active=False, deactivated_reason=reason)
            )
        logger.info("subscriber deactivated id=%d reason=%s", subscriber_id, reason)

    async def send(self, job: DeliveryJob) -> Outcome:
        """Send the unsent parts of one delivery, recording each part as it goes."""
        part, chat_id = job.parts_sent, job.chat_id
        while part < len(job.payload):
            last = part == len(job.payload) - 1
            status, chat_id = await self._send_part(
                job,
                chat_id,
                job.payload[part],
                keyboard(job.buttons) if last else None,
                job.picture if part == 0 else None,
            )
            if status != "ok":
                return Outcome(job.delivery_id, status, part)
            part += 1
            done = part == len(job.payload)
            values: dict[str, object] = {"parts_sent": part}
            if done:
                values.update(status="sent", sent_at=datetime.now(UTC), error=None)
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
                await self._deactivate(delivery.subscriber_id, f"forbidden: {exc.message}")
                self.ledger.record(delivery.delivery_id, status="failed", error=f"forbidden: {exc.message}")
                return "failed", chat_id
            except ChatMigrated as exc:
                logger.info("chat migrated subscriber=%d to %d", delivery.subscriber_id, exc.new_chat_id)
                chat_id = int(exc.new_chat_id)
                if not await self._move_chat(delivery, chat_id):
                    return "failed", chat_id
            except RetryAfter as exc:
                metrics.RETRY_AFTER.inc()
                retry_rounds += 1
                wait = exc.retry_after if isinstance(exc.retry_after, int | float) else exc.retry_after.total_seconds()
                logger.warning("telegram 429 delivery=%d retry_after=%s", delivery.delivery_id, wait)
                if retry_rounds > RETRY_AFTER_ROUNDS:
                    return await self._postpone(delivery, "too many 429 answers"), chat_id
                await asyncio.sleep(float(wait))
            except BadRequest as exc:
                if picture and not (delivery.thread_id and topic_gone(exc.message)):
                    # A 400 delivered nothing: the same part goes once more, as text alone.
                    note_refusal(exc.message, f"delivery={delivery.delivery_id}")
                    picture, params["link_preview_options"] = None, NO_PREVIEW
                    continue
                metrics.SEND_FAILURES.labels("bad_request").inc()
                if delivery.thread_id and topic_gone(exc.message):
                    await self._deactivate(delivery.subscriber_id, f"topic gone: {exc.message}")
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
                    return await self._postpone(delivery, f"network: {exc.message}"), chat_id
                await asyncio.sleep(0.5 * 2**network_failures)

    async def _move_chat(self, delivery: DeliveryJob, chat_id: int) -> bool:
        """Point the subscriber at its group's new supergroup id; False when that chat (and topic)
        already has a subscriber of its own, which then takes over and this row is deactivated."""
        try:
            async with self.db.sessionmaker.begin() as session:
                await session.execute(
                    update(Subscriber).where(Subscriber.id == delivery.subscriber_id).values(chat_id=chat_id)
                )
        except IntegrityError:
            await self._deactivate(delivery.subscriber_id, f"migrated to {chat_id}, which has its own subscription")
            self.ledger.record(delivery.delivery_id, status="failed", error="chat migrated to a subscribed chat")
            return False
        return True

    async def _postpone(self, delivery: DeliveryJob, error: str) -> str:
        """Leave the delivery pending for a later tick, or give up after enough attempts."""
        attempts = delivery.attempts + 1
        status = "failed" if attempts >= MAX_ATTEMPTS else "pending"
        async with self.db.sessionmaker.begin() as session:
            await session.execute(
                update(Delivery)
                .where(Delivery.id == delivery.delivery_id)
                .values(attempts=attempts, error=error, status=status)
            )
        metrics.SEND_FAILURES.labels("postponed").inc()
        logger.warning(
            "delivery postponed id=%d attempts=%d status=%s: %s", delivery.delivery_id, attempts, status, error
        )
        return "postponed" if status == "pending" else "failed"
