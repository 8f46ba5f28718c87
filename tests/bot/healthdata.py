"""Rows that make a database healthy or not, for the health check's tests (store, CLI, /healthz)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store.db import Database
from bot.store.models import Delivery, Feed, Subscriber


async def add_feed(
    db: Database,
    *,
    name: str = "Kabar Uji",
    succeeded_ago: timedelta | None,
    interval_minutes: int = 15,
    added_ago: timedelta = timedelta(days=2),
    enabled: bool = True,
) -> int:
    """A feed whose last success was this long ago (None: never), added this long ago; its id."""
    now = datetime.now(UTC)
    async with db.sessionmaker.begin() as session:
        feed = Feed(
            url=f"https://{name.lower().replace(' ', '-')}.example/rss",
            name=name,
            interval_minutes=interval_minutes,
            enabled=enabled,
            created_at=now - added_ago,
            last_success_at=None if succeeded_ago is None else now - succeeded_ago,
        )
        session.add(feed)
        await session.flush()
        return feed.id


async def add_delivery(
    db: Database,
    *,
    queued_ago: timedelta,
    status: str = "pending",
    chat_id: int = 1001,
    sent_ago: timedelta | None = None,
) -> int:
    """A delivery queued this long ago (and sent this long ago, if given) for a (new) subscriber; its id."""
    async with db.sessionmaker.begin() as session:
        sub = Subscriber(chat_id=chat_id)
        session.add(sub)
        await session.flush()
        delivery = Delivery(
            subscriber_id=sub.id,
            kind="digest",
            key=f"digest:{chat_id}",
            status=status,
            payload=["halo"],
            created_at=datetime.now(UTC) - queued_ago,
            sent_at=None if sent_ago is None else datetime.now(UTC) - sent_ago,
        )
        session.add(delivery)
        await session.flush()
        return delivery.id
