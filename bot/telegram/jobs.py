"""Job-queue callbacks: ingestion, digests, alerts, pending deliveries and retention."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import cast

from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot import metrics
from bot.clock import Clock
from bot.ingest.pipeline import due_feed_ids
from bot.ingest.schedule import ingest_one, spread
from bot.ingest.services import Services
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


def runtime_of(context: ContextTypes.DEFAULT_TYPE) -> Runtime:
    """The shared runtime of the application."""
    runtime: Runtime = context.application.bot_data["runtime"]
    return runtime


async def ingest_tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Schedule one job per due feed, spread over the tick."""
    rt = runtime_of(context)
    job_queue = context.job_queue
    assert job_queue is not None
    for feed_id, delay in spread(await due_feed_ids(rt.services.db, rt.clock.now())):
        name = f"feed-{feed_id}"
        if not job_queue.get_jobs_by_name(name):
            job_queue.run_once(ingest_feed_job, when=delay, data=feed_id, name=name)


async def ingest_feed_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Poll one feed, and tell the admins when it was paused (its stories alert through ``alert_tick``)."""
    rt = runtime_of(context)
    assert context.job is not None
    result = await ingest_one(rt.services, cast(int, context.job.data))
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
    """Queue due digests in the ledger and send everything pending."""
    rt = runtime_of(context)
    await queue_due_digests(rt.services.db, rt.clock.now())
    pending = await rt.sender.pending_ids()
    metrics.PENDING_DELIVERIES.set(len(pending))
    if pending:
        outcomes = await rt.sender.send_many(pending)
        sent = sum(o.status == "sent" for o in outcomes)
        logger.info("deliveries run pending=%d sent=%d other=%d", len(pending), sent, len(outcomes) - sent)


async def alert_tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Match the stories stored since the last tick, by any process, against followed topics and send the alerts."""
    rt = runtime_of(context)
    ids = await scan_alerts(rt.services.db, rt.clock.now())
    if ids:
        await rt.sender.send_many(ids)


async def prune_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Daily retention pass."""
    rt = runtime_of(context)
    await prune(rt.services.db, rt.services.settings.ringkas_retention_days)
