"""Health checks on the database: reachable and migrated, feeds fresh, delivery queue moving.

``check_health`` runs every check in one place and returns a ``HealthReport``; ``ringkas
health`` prints it and the metrics port serves it as ``/healthz``. The checks only read: a
missing SQLite file is reported, not created, and no migration is applied.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from bot.store.base import utcnow
from bot.store.db import Database, alembic_config
from bot.store.models import Delivery, Feed

logger = logging.getLogger(__name__)

# A feed is fresh when it succeeded within this many of its own polling intervals.
FRESH_INTERVALS = 3
# The queue is stuck when deliveries have waited longer than this and none was sent in as long.
# Judged by progress, not age: a fan-out to 26,000 readers at 29.5 messages/s takes longer than
# 15 minutes, and its last readers' deliveries wait that long while others go out every second.
STUCK_AFTER = timedelta(minutes=15)
# The whole report, connection included, must answer within this (Docker allows 20 s).
TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Check:
    """One check's outcome: its name, whether it passed, and a sentence saying what was seen."""

    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        """'name: detail', as the command line prints it."""
        return f"{self.name}: {self.detail}"


@dataclass(frozen=True)
class HealthReport:
    """The outcome of every check; healthy when all passed."""

    checks: tuple[Check, ...]

    @property
    def healthy(self) -> bool:
        """True when every check passed."""
        return all(c.ok for c in self.checks)

    def failures(self) -> list[Check]:
        """The checks that failed, in order."""
        return [c for c in self.checks if not c.ok]

    def plus(self, check: Check) -> HealthReport:
        """This report with one more check (e.g. Telegram's getMe) appended."""
        return HealthReport((*self.checks, check))

    def as_dict(self) -> dict[str, Any]:
        """{"healthy": bool, "checks": {name: {"ok", "detail"}}} for JSON."""
        return {"healthy": self.healthy, "checks": {c.name: {"ok": c.ok, "detail": c.detail} for c in self.checks}}


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _missing_sqlite_file(db: Database) -> Path | None:
    """The SQLite file the URL names when it does not exist (connecting would create it)."""
    name = db.url.database
    if db.dialect != "sqlite" or not name or name == ":memory:" or name.startswith("file:"):
        return None
    path = Path(name).expanduser()
    return None if path.exists() else path


@cache
def latest_revisions() -> frozenset[str]:
    """The head revisions of the shipped migrations (read once: they do not change while running)."""
    from alembic.script import ScriptDirectory  # imported when asked: a running bot need not hold Alembic

    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


async def schema_check(db: Database) -> Check:
    """The database answers and is at the latest migration."""
    missing = _missing_sqlite_file(db)
    if missing is not None:
        return Check("database", False, f"no SQLite database at {missing} (the bot or `ringkas db upgrade` creates it)")
    try:
        current = await db.current_revision()
    except Exception as exc:  # any failure to connect or read means "unreachable"; the reason is shown
        reason = getattr(exc, "orig", None) or exc
        return Check("database", False, f"unreachable: {type(reason).__name__}: {reason}".strip())
    heads = latest_revisions()
    if current not in heads:
        latest = ", ".join(sorted(heads))
        return Check(
            "database", False, f"at migration {current or 'none'}, latest is {latest} (run `ringkas db upgrade`)"
        )
    return Check("database", True, f"reachable, at the latest migration ({current})")


async def feeds_check(db: Database, now: datetime) -> Check:
    """At least one enabled feed succeeded within FRESH_INTERVALS of its intervals, or none is enabled."""
    query = select(Feed.id, Feed.name, Feed.interval_minutes, Feed.last_success_at, Feed.created_at).where(Feed.enabled)
    async with db.sessionmaker() as session:
        rows = (await session.execute(query)).all()
    if not rows:
        return Check("feeds", True, "no enabled feed")
    # A feed added moments ago has not had its first poll yet; it counts from when it was added.
    fresh = [
        r
        for r in rows
        if (r.last_success_at or r.created_at) >= now - FRESH_INTERVALS * timedelta(minutes=max(1, r.interval_minutes))
    ]
    if fresh:
        return Check(
            "feeds", True, f"{len(fresh)} of {len(rows)} enabled feeds succeeded within {FRESH_INTERVALS} intervals"
        )
    polled = [r for r in rows if r.last_success_at is not None]
    if not polled:
        return Check("feeds", False, f"none of {len(rows)} enabled feeds has ever succeeded")
    last = max(polled, key=lambda r: r.last_success_at)
    return Check(
        "feeds",
        False,
        f"none of {len(rows)} enabled feeds succeeded within {FRESH_INTERVALS} intervals; "
        f"last success {_stamp(last.last_success_at)} (feed {last.id}, {last.name})",
    )


async def deliveries_check(db: Database, now: datetime) -> Check:
    """The queue moves: no delivery pending longer than STUCK_AFTER, or one was sent within STUCK_AFTER."""
    minutes = int(STUCK_AFTER.total_seconds() // 60)
    since = now - STUCK_AFTER
    waiting = select(func.count(Delivery.id), func.min(Delivery.created_at)).where(
        Delivery.status == "pending", Delivery.created_at < since
    )
    async with db.sessionmaker() as session:
        stuck, oldest = (await session.execute(waiting)).one()
        if not stuck:
            return Check("deliveries", True, f"no pending delivery older than {minutes} minutes")
        # Only read when something waits: sent_at has no index, and a healthy queue never gets here.
        last_sent = await session.scalar(select(func.max(Delivery.sent_at)))
    if last_sent is not None and last_sent >= since:
        return Check(
            "deliveries",
            True,
            f"{stuck} pending older than {minutes} minutes, still sending (last sent {_stamp(last_sent)})",
        )
    sent = f"last sent {_stamp(last_sent)}" if last_sent is not None else "none sent yet"
    return Check(
        "deliveries",
        False,
        f"no delivery sent in {minutes} minutes while {stuck} pending (oldest queued {_stamp(oldest)}; {sent})",
    )


async def _guarded(name: str, check: Awaitable[Check]) -> Check:
    """The check's outcome, or a failed check saying which query broke (the report must always come back)."""
    try:
        return await check
    except SQLAlchemyError as exc:
        reason = getattr(exc, "orig", None) or exc
        return Check(name, False, f"query failed: {type(reason).__name__}: {reason}")


async def check_health(db: Database, now: datetime | None = None) -> HealthReport:
    """Every database check; feeds and deliveries only once the schema check passed."""
    now = now or utcnow()
    try:
        async with asyncio.timeout(TIMEOUT_SECONDS):
            schema = await schema_check(db)
            checks = (
                (schema,)
                if not schema.ok
                else (
                    schema,
                    await _guarded("feeds", feeds_check(db, now)),
                    await _guarded("deliveries", deliveries_check(db, now)),
                )
            )
    except TimeoutError:
        checks = (Check("database", False, f"no answer within {TIMEOUT_SECONDS:g} s"),)
    report = HealthReport(checks)
    for failed in report.failures():
        logger.warning("health check failed check=%s detail=%r", failed.name, failed.detail)
    return report
