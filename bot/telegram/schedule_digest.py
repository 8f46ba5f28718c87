"""Which digests are due, and queueing them in the delivery ledger (rendered once, sent later)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Table, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.db import Database
from bot.store.digest_due import local_day, next_day_occurrence, occurrence
from bot.store.models import Delivery, Subscriber
from bot.store.mutes import mutes_of
from bot.store.subscribers import exclusions_of
from bot.telegram.digest import digest_entries, entry_views
from bot.telegram.i18n import N_, _, choose_language, use_language
from bot.telegram.render import render_digest, source_buttons

logger = logging.getLogger(__name__)

QUEUE_BATCH = 1000
# The plain tables, for set-based writes: the ORM's per-object flush cost 4x the rest of a run.
SUBSCRIBERS = cast(Table, Subscriber.__table__)
DELIVERIES = cast(Table, Delivery.__table__)
EMPTY_DIGEST = N_("📭 Belum ada berita baru sejak ringkasan terakhir. Sampai besok!")


def digest_key(now: datetime, tz: str) -> str:
    """The ledger key of a subscriber's digest for their local day."""
    return f"digest:{now.astimezone(ZoneInfo(tz)):%Y-%m-%d}"


def _next_step(sub: Subscriber, now: datetime) -> tuple[bool, datetime | None]:
    """For a subscriber whose due time has come: whether to queue today's digest, and the next due time.

    A due time left from an earlier day (the bot was down) means today's digest once today's
    time has come, and never yesterday's; an inactive or unsubscribed row is no longer due.
    """
    if not (sub.active and sub.subscribed):
        return False, None
    today_at = occurrence(local_day(now, sub.timezone), sub.digest_time, sub.timezone)
    if now < today_at:
        return False, today_at
    return True, next_day_occurrence(now, sub.digest_time, sub.timezone)


async def _due_batch(session: AsyncSession, now: datetime) -> Sequence[Subscriber]:
    """Up to QUEUE_BATCH subscribers whose due time has come: one range scan of the index."""
    return (
        await session.scalars(
            select(Subscriber)
            .where(Subscriber.next_digest_at <= now)
            .order_by(Subscriber.next_digest_at, Subscriber.id)
            .limit(QUEUE_BATCH)
        )
    ).all()


async def digest_messages(
    session: AsyncSession, sub: Subscriber, now: datetime, *, on_request: bool = False
) -> tuple[list[str], list[list[str]]]:
    """The rendered digest for one subscriber and the buttons under its last message.

    Messages: empty when nothing is new and they skip empty days (a digest asked for with
    /ringkasan always answers); one entry per thread, its other stories folded under it.
    Buttons: one "Sumber lain (N)" per story several outlets reported and one "Perkembangan (N)"
    per entry whose thread began earlier, as ``[label, callback data]``; none in a channel,
    where a press would post the list for every reader.
    """
    entries = await digest_entries(session, sub, now)
    if not entries:
        return ([] if sub.skip_empty_digest and not on_request else [_(EMPTY_DIGEST)]), []
    views = await entry_views(session, entries, sub.sentences_per_summary, sub.summary_words)
    buttons = [] if sub.chat_type == "channel" else source_buttons(views)
    return render_digest(views, sub.timezone, now), buttons


async def queue_due_digests(db: Database, now: datetime) -> list[int]:
    """Render and record every due digest as a pending delivery; return their ids.

    Who is due comes from the indexed ``next_digest_at``, a batch at a time; each batch's
    ledger rows and the subscribers' next due times are written in one transaction, so a
    digest is queued once however often this runs. Subscribers with the same choices get
    the same digest, rendered once.
    """
    queued: list[int] = []
    cache: dict[tuple[object, ...], tuple[list[str], list[list[str]]]] = {}
    due = 0
    while True:
        async with db.sessionmaker.begin() as session:
            subs = await _due_batch(session, now)
            if not subs:
                break
            due += len(subs)
            queued += await _queue_batch(session, subs, now, cache)
    if due:
        logger.info("digest run due=%d queued=%d distinct=%d", due, len(queued), len(cache))
    return queued


async def _queue_batch(
    session: AsyncSession,
    subs: Sequence[Subscriber],
    now: datetime,
    cache: dict[tuple[object, ...], tuple[list[str], list[list[str]]]],
) -> list[int]:
    """Queue the digests of one batch and move every subscriber in it to its next due time."""
    wanted: list[Subscriber] = []
    moves: dict[int, tuple[datetime | None, datetime | None]] = {}  # id -> next due, last digest
    for sub in subs:
        try:
            send, due = _next_step(sub, now)
        except (ValueError, ZoneInfoNotFoundError) as exc:  # a schedule no code path should store
            logger.warning("digest schedule unreadable subscriber=%d: %s; no digest until it is set again", sub.id, exc)
            send, due = False, None
        moves[sub.id] = (due, sub.last_digest_at)
        if send:
            wanted.append(sub)
    keys = {sub.id: digest_key(now, sub.timezone) for sub in wanted}
    if wanted:  # a digest already queued today (the time was changed after it) is not repeated
        done = set(
            (
                await session.execute(
                    select(Delivery.subscriber_id, Delivery.key).where(
                        Delivery.kind == "digest",
                        Delivery.subscriber_id.in_(list(keys)),
                        Delivery.key.in_(set(keys.values())),
                    )
                )
            ).all()
        )
        wanted = [s for s in wanted if (s.id, keys[s.id]) not in done]
    excluded = await exclusions_of(session, [s.id for s in wanted]) if wanted else {}
    muted = await mutes_of(session, [s.id for s in wanted]) if wanted else {}
    rows = []
    for sub in wanted:
        feeds, cats = excluded.get(sub.id, (frozenset(), frozenset()))
        language = choose_language(sub.language, sub.language_code)
        key = (
            feeds,
            cats,
            sub.last_digest_at,
            sub.stories_per_digest,
            sub.sentences_per_summary,
            sub.summary_words,
            sub.timezone,
            sub.skip_empty_digest,
            muted.get(sub.id, frozenset()),
            language,
            sub.chat_type == "channel",
        )
        if key not in cache:
            with use_language(language):
                cache[key] = await digest_messages(session, sub, now)
        messages, buttons = cache[key]
        rows.append(
            {
                "subscriber_id": sub.id,
                "kind": "digest",
                "key": keys[sub.id],
                "payload": messages,
                "buttons": buttons or None,
                "status": "pending" if messages else "skipped",
                "created_at": now,
            }
        )
        moves[sub.id] = (moves[sub.id][0], now)
    # Subscribers due together mostly share their next time: one UPDATE per distinct pair.
    groups: dict[tuple[datetime | None, datetime | None], list[int]] = {}
    for sid, (due, last) in moves.items():
        groups.setdefault((due, last), []).append(sid)
    for (due, last), ids in groups.items():
        await session.execute(
            update(SUBSCRIBERS).where(SUBSCRIBERS.c.id.in_(ids)).values(next_digest_at=due, last_digest_at=last)
        )
    if not rows:
        return []
    inserted = await session.execute(insert(DELIVERIES).returning(DELIVERIES.c.id, DELIVERIES.c.status), rows)
    return [did for did, status in inserted if status == "pending"]
