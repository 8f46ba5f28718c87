"""Topic alerts: new stories matching a followed keyword, once per story, capped per day, batched.

``scan_alerts`` runs on the bot's clock (``bot.telegram.jobs.alert_tick``) and reads what to
match from the database (``bot.store.story_updates``), so a story alerts whichever process
stored it: the bot's polling, ``/fetchnow``, ``ringkas fetch`` or ``ringkas ingest --watch``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.db import Database
from bot.store.keywords import stories_matching
from bot.store.models import AlertMatch, Follow, Subscriber
from bot.store.mutes import muted_story_ids
from bot.store.story_updates import forget_updates, waiting_updates
from bot.telegram.digest import story_views
from bot.telegram.i18n import choose_language, use_language
from bot.telegram.ledger import create_delivery
from bot.telegram.render import render_alert

logger = logging.getLogger(__name__)

SCAN_BATCH = 500
# A story stored longer ago than this (the bot was down) is no news to alert about any more.
STALE_AFTER = timedelta(hours=24)


def local_midnight(now: datetime, tz: str) -> datetime:
    """Start of the subscriber's local day, as an aware datetime."""
    local = now.astimezone(ZoneInfo(tz))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


async def queue_alerts(session: AsyncSession, story_ids: Sequence[int], now: datetime) -> list[int]:
    """Record alert matches for new stories and one batched pending delivery per subscriber."""
    if not story_ids:
        return []
    follows = (
        await session.execute(
            select(Follow.keyword, Subscriber)
            .join(Subscriber, Subscriber.id == Follow.subscriber_id)
            .where(Subscriber.active.is_(True))
            .order_by(Subscriber.id, Follow.keyword)
        )
    ).all()
    matches_by_keyword = await stories_matching(session, {keyword for keyword, _ in follows}, story_ids)
    per_subscriber: dict[int, dict[int, str]] = defaultdict(dict)
    subscribers: dict[int, Subscriber] = {}
    for keyword, sub in follows:
        for story_id in sorted(matches_by_keyword[keyword]):
            per_subscriber[sub.id].setdefault(story_id, keyword)
        subscribers[sub.id] = sub
    delivery_ids = []
    for sub_id, found in per_subscriber.items():
        sub = subscribers[sub_id]
        already = set(
            (
                await session.scalars(
                    select(AlertMatch.story_id).where(
                        AlertMatch.subscriber_id == sub_id, AlertMatch.story_id.in_(found)
                    )
                )
            ).all()
        )
        today = local_midnight(now, sub.timezone)
        used = (
            await session.scalar(
                select(func.count())
                .select_from(AlertMatch)
                .where(
                    AlertMatch.subscriber_id == sub_id,
                    AlertMatch.matched_at >= today,
                    AlertMatch.delivery_id.is_not(None),
                )
            )
            or 0
        )
        muted = await muted_story_ids(session, sub_id, list(found))
        fresh = [sid for sid in found if sid not in already and sid not in muted][: max(0, sub.alerts_per_day - used)]
        if not fresh:
            continue
        views = await story_views(session, fresh, sub.sentences_per_summary, sub.summary_words)
        with use_language(choose_language(sub.language, sub.language_code)):
            messages = render_alert({sid: found[sid] for sid in fresh}, views, sub.timezone)
        key = f"alert:{now.astimezone(ZoneInfo(sub.timezone)):%Y-%m-%d}:{min(fresh)}:{len(fresh)}:{now.timestamp():.0f}"
        picture = views[0].picture if views else None  # kept whatever the reader chose, like a digest body's
        delivery = await create_delivery(session, sub_id, "alert", key, messages, picture)
        for sid in fresh:
            session.add(
                AlertMatch(
                    subscriber_id=sub_id,
                    story_id=sid,
                    keyword=found[sid],
                    matched_at=now,
                    delivery_id=delivery.id if delivery else None,
                )
            )
        if delivery:
            delivery_ids.append(delivery.id)
    logger.info("alerts queued stories=%d deliveries=%d", len(story_ids), len(delivery_ids))
    return delivery_ids


async def scan_alerts(db: Database, now: datetime) -> list[int]:
    """Match every story stored since the last scan against followed topics; the queued deliveries.

    Each batch of waiting rows is deleted in the transaction that records its alerts, so a
    story is scanned once even when the bot stops half-way. ``db.write_lock`` keeps the scan
    from meeting this process's ingestion mid-transaction (on SQLite a read-then-write
    transaction cannot wait for another writer); a clash with another process (its scan, or its
    ingestion on SQLite) rolls the batch back and leaves its rows for the next tick.
    """
    queued: list[int] = []
    while True:
        try:
            async with db.write_lock, db.sessionmaker.begin() as session:
                rows = await waiting_updates(session, SCAN_BATCH)
                if not rows:
                    break
                fresh = sorted({story_id for _, story_id, stored_at in rows if now - stored_at <= STALE_AFTER})
                batch = await queue_alerts(session, fresh, now)
                await forget_updates(session, [row_id for row_id, _, _ in rows])
            queued += batch  # committed
        except IntegrityError:  # another scan recorded the same (reader, story) a moment ago
            logger.info("alert scan met another scan; the rest waits for the next tick")
            break
        except OperationalError as exc:
            if "locked" not in str(exc.orig):
                raise
            # SQLite: another process wrote between this transaction's first read and its first write.
            logger.info("alert scan found the database busy; the rest waits for the next tick")
            break
    return queued
