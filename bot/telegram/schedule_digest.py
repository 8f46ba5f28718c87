"""Which digests are due, and queueing them in the delivery ledger (rendered once, sent later)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.db import Database
from bot.store.models import Delivery, Subscriber
from bot.store.subscribers import digest_clock, exclusions_of
from bot.telegram.digest import digest_story_ids, story_views
from bot.telegram.render import render_digest

logger = logging.getLogger(__name__)

QUEUE_BATCH = 500
EMPTY_DIGEST = "📭 Belum ada berita baru sejak ringkasan terakhir. Sampai besok!"


def digest_key(now: datetime, tz: str) -> str:
    """The ledger key of a subscriber's digest for their local day."""
    return f"digest:{now.astimezone(ZoneInfo(tz)):%Y-%m-%d}"


def is_due(sub: Subscriber, now: datetime) -> bool:
    """Whether the subscriber's digest time has come today, in their timezone, under a schedule
    set before that time (a digest missed while the bot was down is still due the same day)."""
    local = now.astimezone(ZoneInfo(sub.timezone))
    today_at = datetime.combine(local.date(), digest_clock(sub), tzinfo=local.tzinfo)
    return local >= today_at and (sub.schedule_changed_at is None or sub.schedule_changed_at < today_at)


async def due_subscribers(session: AsyncSession, now: datetime) -> list[Subscriber]:
    """Active subscribers whose digest time has passed today and who have no digest for today."""
    subs = (await session.scalars(
        select(Subscriber).where(Subscriber.active.is_(True), Subscriber.subscribed.is_(True)).order_by(Subscriber.id)
    )).all()
    recent = set((await session.execute(
        select(Delivery.subscriber_id, Delivery.key)
        .where(Delivery.kind == "digest", Delivery.created_at >= now - timedelta(days=2))
    )).all())
    return [s for s in subs if is_due(s, now) and (s.id, digest_key(now, s.timezone)) not in recent]


async def digest_messages(
    session: AsyncSession, sub: Subscriber, now: datetime, *, on_request: bool = False
) -> list[str]:
    """The rendered digest for one subscriber (empty list: nothing new and they skip empty days;
    a digest asked for with /ringkasan always answers)."""
    ids = await digest_story_ids(session, sub, now)
    if not ids:
        return [] if sub.skip_empty_digest and not on_request else [EMPTY_DIGEST]
    views = await story_views(session, ids, sub.sentences_per_summary)
    return render_digest(views, sub.timezone, now)


async def queue_due_digests(db: Database, now: datetime) -> list[int]:
    """Render and record every due digest as a pending delivery; return their ids.

    Subscribers with the same choices get the same digest, rendered once; the ledger rows and
    the subscribers' ``last_digest_at`` are written together, in batches.
    """
    async with db.sessionmaker() as session:
        due_ids = [s.id for s in await due_subscribers(session, now)]
    queued: list[int] = []
    cache: dict[tuple[object, ...], list[str]] = {}
    for start in range(0, len(due_ids), QUEUE_BATCH):
        batch = due_ids[start:start + QUEUE_BATCH]
        async with db.sessionmaker.begin() as session:
            subs = (await session.scalars(select(Subscriber).where(Subscriber.id.in_(batch)))).all()
            excluded = await exclusions_of(session, batch)
            rows = []
            for sub in subs:
                feeds, cats = excluded.get(sub.id, (frozenset(), frozenset()))
                key = (feeds, cats, sub.last_digest_at, sub.stories_per_digest, sub.sentences_per_summary,
                       sub.timezone, sub.skip_empty_digest)
                if key not in cache:
                    cache[key] = await digest_messages(session, sub, now)
                messages = cache[key]
                rows.append({"subscriber_id": sub.id, "kind": "digest", "key": digest_key(now, sub.timezone),
                             "payload": messages, "status": "pending" if messages else "skipped", "created_at": now})
            if rows:
                inserted = await session.execute(insert(Delivery).returning(Delivery.id, Delivery.status), rows)
                queued += [did for did, status in inserted if status == "pending"]
                await session.execute(update(Subscriber).where(Subscriber.id.in_(batch)).values(last_digest_at=now))
    if due_ids:
        logger.info("digest run due=%d queued=%d distinct=%d", len(due_ids), len(queued), len(cache))
    return queued
