"""Operating figures for admins: subscribers, stories, deliveries and troubled feeds, and the
week's articles per outlet and deliveries per day that /stats draws."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnExpressionArgument, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import Article, Delivery, Feed, Story, Subscriber


@dataclass(frozen=True)
class Stats:
    """What /stats reports."""

    active_subscribers: int
    inactive_subscribers: int
    stories_last_day: int
    stories_per_day_week: float
    digests_sent: int
    alerts_sent: int
    deliveries_failed: int
    deliveries_pending: int
    troubled_feeds: int


async def _count(
    session: AsyncSession, column: ColumnExpressionArgument[int], *where: ColumnExpressionArgument[bool]
) -> int:
    """The number of rows counted by column that match where."""
    return int(await session.scalar(select(func.count(column)).where(*where)) or 0)


async def collect_stats(session: AsyncSession, now: datetime) -> Stats:
    """Count subscribers, recent stories, deliveries by outcome and feeds with failures."""
    sent = dict(
        (
            await session.execute(
                select(Delivery.kind, func.count()).where(Delivery.status == "sent").group_by(Delivery.kind)
            )
        ).all()
    )
    week = await _count(session, Story.id, Story.first_seen_at >= now - timedelta(days=7))
    return Stats(
        active_subscribers=await _count(
            session, Subscriber.id, Subscriber.active.is_(True), Subscriber.subscribed.is_(True)
        ),
        inactive_subscribers=await _count(session, Subscriber.id, Subscriber.active.is_(False)),
        stories_last_day=await _count(session, Story.id, Story.first_seen_at >= now - timedelta(days=1)),
        stories_per_day_week=week / 7,
        digests_sent=int(sent.get("digest", 0)),
        alerts_sent=int(sent.get("alert", 0)),
        deliveries_failed=await _count(session, Delivery.id, Delivery.status == "failed"),
        deliveries_pending=await _count(session, Delivery.id, Delivery.status == "pending"),
        troubled_feeds=await _count(session, Feed.id, (Feed.consecutive_failures > 0) | Feed.enabled.is_(False)),
    )


@dataclass(frozen=True)
class WeekSeries:
    """What the /stats chart draws: local days (oldest first), articles per outlet and deliveries per day."""

    days: list[date]
    articles: dict[str, list[int]]  # outlet → articles first seen on each day, busiest outlet first
    sent: list[int]
    failed: list[int]


def _day_of(column: Any, starts: list[datetime]) -> Any:
    """A portable SQL expression numbering the day a moment falls in (0 = the first of ``starts``),
    labelled so GROUP BY names it (PostgreSQL would see two copies' parameters as different)."""
    return case(*((column < start, n - 1) for n, start in enumerate(starts[1:], 1)), else_=len(starts) - 1).label("day")


async def week_series(session: AsyncSession, now: datetime, tz: str, days: int = 7) -> WeekSeries:
    """Articles per outlet and deliveries sent or failed per local day, the last ``days`` days up to now."""
    today = now.astimezone(ZoneInfo(tz)).date()
    local_days = [today - timedelta(days=days - 1 - n) for n in range(days)]
    starts = [datetime.combine(d, time(), ZoneInfo(tz)).astimezone(UTC) for d in local_days]
    day = _day_of(Article.first_seen_at, starts)
    rows = await session.execute(
        select(Article.source, day, func.count())
        .where(Article.first_seen_at >= starts[0], Article.first_seen_at <= now)
        .group_by(Article.source, day)
    )
    articles: dict[str, list[int]] = {}
    for source, n, count in rows:
        articles.setdefault(source, [0] * days)[int(n)] += int(count)
    sent, failed = [0] * days, [0] * days
    for column, status, into in ((Delivery.sent_at, "sent", sent), (Delivery.created_at, "failed", failed)):
        day = _day_of(column, starts)
        query = select(day, func.count()).where(Delivery.status == status, column >= starts[0], column <= now)
        for n, count in await session.execute(query.group_by(day)):
            into[int(n)] += int(count)
    busiest = dict(sorted(articles.items(), key=lambda item: (-sum(item[1]), item[0])))
    return WeekSeries(local_days, busiest, sent, failed)
