"""Job-queue callbacks: ingestion, digests, alerts, pending deliveries, retention and leases.

Which of them a process runs follows its roles (``bot.telegram.roles``); the clock's jobs
(digests due, alerts, retention) do their work only while this process holds the clock.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import cast

from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot import metrics
from bot.clock import Clock
from bot.ingest.schedule import FeedClaims, ingest_claimed, spread
from bot.ingest.services import Services
from bot.store.locks import ClockLock
from bot.store.retention import prune
from bot.telegram.alerts import scan_alerts
from bot.telegram.delivery import Sender
from bot.telegram.render import esc
from bot.telegram.schedule_digest import queue_due_digests

logger = logging.getLogger(__name__)


@dataclass
class Runtime:
    """What the jobs share, kept in ``application.bot_data["runtime"]``."""

    services: Services
    sender: Sender
    clock: Clock = field(default_factory=Clock)
    roles: frozenset[str] = frozenset({"updates", "schedule", "ingest", "deliver"})
    feeds: FeedClaims | None = None
    clock_lock: ClockLock | None = None
    delivering: asyncio.Lock = field(default_factory=asyncio.Lock)
    deliver_task: asyncio.Task[None] | None = None

    @property
    def runs_clock(self) -> bool:
        """Whether this process runs the clock now (always on SQLite)."""
        return "schedule" in self.roles and (self.clock_lock is None or self.clock_lock.held)


def runtime_of(context: ContextTypes.DEFAULT_TYPE) -> Runtime:
    """The shared runtime of the application."""
    runtime: Runtime = context.application.bot_data["runtime"]
    return runtime


async def ingest_tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Claim due feeds and schedule one job per feed, spread over the tick."""
    rt = runtime_of(context)
    job_queue = context.job_queue
    assert job_queue is not None and rt.feeds is not None
    for feed_id, delay in spread(await rt.feeds.claim_due(rt.clock.now())):
        name = f"feed-{feed_id}"
        if not job_queue.get_jobs_by_name(name):
            job_queue.run_once(ingest_feed_job, when=delay, data=feed_id, name=name)


async def ingest_feed_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Poll one feed, and tell the admins when it was paused (its stories alert through ``alert_tick``)."""
    rt = runtime_of(context)
    assert context.job is not None and rt.feeds is not None
    result = await ingest_claimed(rt.services, rt.feeds, cast(int, context.job.data))
    if result.paused_now:
        text = (
            f"⚠️ Feed <b>{esc(result.name)}</b> (id {result.feed_id}) dijeda setelah gagal berulang kali.\n"
            f"Alasan: {esc(result.error or '-')}\nAktifkan lagi dengan /resumefeed {result.feed_id}"
        )
        for admin in rt.services.settings.admin_ids:
            try:
                await context.bot.send_message(admin, text, parse_mode=ParseMode.HTML)
            except Exception as exc:  # an admin who never started the bot cannot be messaged
                logger.warning("admin %d not notified: %s", admin, exc)


async def digest_tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Queue due digests in the ledger (while this process runs the clock), and send what is pending here."""
    rt = runtime_of(context)
    if rt.runs_clock:
        await queue_due_digests(rt.services.db, rt.clock.now())
    if "deliver" in rt.roles:
        await deliver_pending(rt)


async def deliver_pending(rt: Runtime) -> None:
    """Claim and send pending deliveries until none is free; one pass at a time per process."""
    if rt.delivering.locked():
        return
    async with rt.delivering:
        metrics.PENDING_DELIVERIES.set(len(await rt.sender.pending_ids()))
        after = sent = other = 0
        while True:
            after, outcomes = await rt.sender.send_pending(after=after)
            if not after:
                break
            sent += sum(o.status == "sent" for o in outcomes)
            other += sum(o.status != "sent" for o in outcomes)
        if sent or other:
            logger.info("deliveries run sent=%d other=%d", sent, other)


async def deliver_tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Start a pass over pending deliveries in the background unless one is running."""
    rt = runtime_of(context)
    if rt.deliver_task is None or rt.deliver_task.done():
        rt.deliver_task = asyncio.create_task(_deliver_logged(rt), name="deliver")


async def _deliver_logged(rt: Runtime) -> None:
    """A background pass over deliveries; a failure (the database away) is logged, the next tick tries again."""
    try:
        await deliver_pending(rt)
    except Exception:
        logger.exception("delivery pass failed; the next tick tries again")


async def alert_tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Match the stories stored since the last tick, by any process, against followed topics and send the alerts."""
    rt = runtime_of(context)
    if not rt.runs_clock:
        return
    ids = await scan_alerts(rt.services.db, rt.clock.now())
    if ids and "deliver" in rt.roles:
        await rt.sender.send_many(ids)


async def prune_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Daily retention pass."""
    rt = runtime_of(context)
    if rt.runs_clock:
        await prune(rt.services.db, rt.services.settings.ringkas_retention_days)


async def clock_watch(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Take the clock when it is free, or check this process still holds it."""
    rt = runtime_of(context)
    if rt.clock_lock is not None:
        await rt.clock_lock.acquire()


async def renew_tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Renew the leases this process holds on feeds and deliveries."""
    rt = runtime_of(context)
    if rt.feeds is not None:
        try:
            await rt.feeds.renew()
        except Exception:  # the next renewal tries again; the lease is three times longer
            logger.warning("lease renewal failed", exc_info=True)
