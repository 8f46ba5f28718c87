"""Operating figures for admins: subscribers, stories, deliveries and troubled feeds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnExpressionArgument, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import Delivery, Feed, Story, Subscriber


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
