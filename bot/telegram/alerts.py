"""Topic alerts: new stories matching a followed keyword, once per story, capped per day, batched."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.keywords import stories_matching
from bot.store.models import AlertMatch, Follow, Subscriber
from bot.store.mutes import muted_story_ids
from bot.telegram.digest import story_views
from bot.telegram.i18n import use_language
from bot.telegram.ledger import create_delivery
from bot.telegram.render import render_alert

logger = logging.getLogger(__name__)


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
        with use_language(sub.language):
            messages = render_alert({sid: found[sid] for sid in fresh}, views, sub.timezone)
        key = f"alert:{now.astimezone(ZoneInfo(sub.timezone)):%Y-%m-%d}:{min(fresh)}:{len(fresh)}:{now.timestamp():.0f}"
        delivery = await create_delivery(session, sub_id, "alert", key, messages)
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
