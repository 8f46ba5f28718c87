"""What one ``ringkas run`` process does (``RINGKAS_ROLES``), and the jobs each role runs.

``updates`` receives Telegram updates (polling or a webhook) and answers them; ``schedule`` runs
the clock: digests due into the ledger, topic alerts, the daily retention pass; ``ingest``
polls feeds; ``deliver`` sends queued deliveries. One process with all four is the default
and the only way on SQLite. On PostgreSQL any number of ``ingest`` and ``deliver`` processes
share the work through claims with leases (``bot.store.claims``) and one send budget
(``bot.store.send_budget``); of the processes with ``schedule`` one holds the clock at a time
(``bot.store.locks``).
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import AsyncExitStack
from datetime import time

from telegram.ext import AIORateLimiter, Application

from bot.clock import Clock
from bot.config import ROLES, Settings
from bot.ingest.schedule import FeedClaims
from bot.ingest.services import Services
from bot.store.claims import free_delivery_leases
from bot.store.db import DatabaseURLError, async_url
from bot.store.locks import RETRY_SECONDS, ClockLock
from bot.store.send_budget import LocalPacing, Pacing, SharedBudget
from bot.telegram.delivery import Sender
from bot.telegram.jobs import (
    Runtime,
    alert_tick,
    clock_watch,
    deliver_tick,
    digest_tick,
    ingest_tick,
    prune_job,
    renew_tick,
)

logger = logging.getLogger(__name__)

INGEST_TICK_SECONDS = 60.0
PRUNE_AT = time(3, 0)
RATE_LIMIT_RETRIES = 3
DELIVER_POLL_SECONDS = 5.0  # a deliver process looks for queued deliveries at least this often
STOP_GRACE_SECONDS = 10.0


def rate_limiter(per_second: float) -> AIORateLimiter:
    """PTB's limiter, paced evenly: one message every 1/rate seconds, with no initial burst that
    could exceed Telegram's ~30 messages in any one second; 0 lifts the overall limit."""
    if per_second <= 0:
        return AIORateLimiter(overall_max_rate=0, max_retries=RATE_LIMIT_RETRIES)
    return AIORateLimiter(overall_max_rate=1, overall_time_period=1 / per_second, max_retries=RATE_LIMIT_RETRIES)


def split_refused(settings: Settings) -> str | None:
    """One line when RINGKAS_ROLES splits the work but the database is SQLite; None when the roles may run."""
    if settings.roles == frozenset(ROLES):
        return None
    try:
        backend = async_url(settings.database_url).get_backend_name()
    except DatabaseURLError:
        return None  # the database's own check reports it
    if backend != "sqlite":
        return None
    return (
        f"ringkas: RINGKAS_ROLES={settings.ringkas_roles} splits the work between processes, which needs "
        "PostgreSQL (DATABASE_URL=postgresql://...); on SQLite leave RINGKAS_ROLES unset: one process does everything"
    )


def make_sender(app: Application, services: Services, owner: str) -> Sender:
    """The process's sender, paced before each message is marked in flight: on PostgreSQL by the
    budget all senders share, on SQLite by itself; RINGKAS_SEND_RATE=0 lifts the pacing."""
    settings, db = services.settings, services.db
    rate = settings.ringkas_send_rate
    pacing: Pacing | None = None
    if rate > 0:
        pacing = SharedBudget(db, rate) if db.dialect == "postgresql" else LocalPacing(rate)
    return Sender(
        app.bot, db, owner=owner, budget=pacing, lease=settings.ringkas_lease_seconds, limiter=rate_limiter(0)
    )


async def start_roles(
    app: Application,
    services: Services,
    exit_stack: AsyncExitStack,
    clock: Clock | None = None,
) -> Runtime:
    """Build the runtime and schedule the jobs of this process's roles; the exit stack undoes it."""
    settings, db = services.settings, services.db
    roles = settings.roles
    feeds = FeedClaims(db, settings.ringkas_lease_seconds)
    if db.dialect == "sqlite" and "deliver" in roles:
        await free_delivery_leases(db)
    sender = make_sender(app, services, feeds.owner)
    exit_stack.push_async_callback(sender.close)
    lock = ClockLock(db) if "schedule" in roles else None
    rt = Runtime(services, sender, clock or Clock(), roles=roles, feeds=feeds, clock_lock=lock)
    app.bot_data["runtime"] = rt
    exit_stack.push_async_callback(_stop_delivering, rt)
    if lock is not None:
        exit_stack.push_async_callback(lock.close)
        await lock.acquire()
    jq = app.job_queue
    assert jq is not None
    tick = settings.ringkas_tick_seconds
    if "ingest" in roles and settings.ringkas_ingest:
        jq.run_repeating(ingest_tick, interval=INGEST_TICK_SECONDS, first=1, name="ingest-tick")
    if "schedule" in roles:
        jq.run_repeating(digest_tick, interval=tick, first=0.5, name="digest-tick")
        jq.run_repeating(alert_tick, interval=tick, first=0.5, name="alert-tick")
        jq.run_daily(prune_job, time=PRUNE_AT.replace(tzinfo=settings.timezone), name="prune")
        if lock is not None and lock.shared:
            jq.run_repeating(clock_watch, interval=RETRY_SECONDS, first=RETRY_SECONDS, name="clock-watch")
    if "deliver" in roles:
        jq.run_repeating(deliver_tick, interval=min(tick, DELIVER_POLL_SECONDS), first=0.5, name="deliver-tick")
    lease = settings.ringkas_lease_seconds
    jq.run_repeating(renew_tick, interval=lease / 3, first=lease / 3, name="renew-leases")
    logger.info("roles %s; claims as %s", ",".join(r for r in ROLES if r in roles), feeds.owner)
    return rt


async def _stop_delivering(rt: Runtime) -> None:
    """Let a background pass over deliveries finish its messages in flight, then stop it."""
    task = rt.deliver_task
    if task is None or task.done():
        return
    rt.sender.stopping = True
    try:
        await asyncio.wait_for(task, STOP_GRACE_SECONDS)
    except (TimeoutError, asyncio.CancelledError):
        logger.warning("delivery pass stopped before it finished; its deliveries stay pending")
