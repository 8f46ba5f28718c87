"""Which digests are due, and queueing them in the delivery ledger (rendered once, sent later)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import JSON, Integer, Row, Table, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.db import Database
from bot.store.digest_due import local_day, next_day_occurrence, occurrence
from bot.store.idset import among
from bot.store.models import Delivery, DeliveryBody, Subscriber, UTCDateTime
from bot.store.mutes import mutes_of
from bot.store.subscribers import exclusions_of
from bot.telegram.digest import digest_messages
from bot.telegram.i18n import choose_language, use_language

logger = logging.getLogger(__name__)

QUEUE_BATCH = 5000
# The plain tables, for set-based writes: the ORM's per-object flush cost 4x the rest of a run.
SUBSCRIBERS = cast(Table, Subscriber.__table__)
DELIVERIES = cast(Table, Delivery.__table__)
BODIES = cast(Table, DeliveryBody.__table__)


def digest_key(now: datetime, tz: str) -> str:
    """The ledger key of a subscriber's digest for their local day."""
    return f"digest:{now.astimezone(ZoneInfo(tz)):%Y-%m-%d}"


# What a due row needs, read as plain rows: building 100,000 ORM objects cost more than the
# rest of the run. A subscriber whose digest must be rendered is loaded whole (``session.get``).
# The order matters: rows are read by position (a tenth of the cost of reading them by name),
# and everything from the timezone on is what the digest's text depends on.
DUE_COLUMNS = (
    Subscriber.id,
    Subscriber.active,
    Subscriber.subscribed,
    Subscriber.digest_time,
    Subscriber.timezone,
    Subscriber.last_digest_at,
    Subscriber.stories_per_digest,
    Subscriber.sentences_per_summary,
    Subscriber.summary_words,
    Subscriber.skip_empty_digest,
    Subscriber.language,
    Subscriber.language_code,
    Subscriber.chat_type,
)
ID, TIMEZONE, LAST_DIGEST, CHAT_TYPE = 0, 4, 5, 12

DueRow = Row[*tuple[Any, ...]]


def _next_step(
    active: bool, subscribed: bool, digest_time: str, tz: str, now: datetime
) -> tuple[bool, datetime | None]:
    """For a subscriber whose due time has come: whether to queue today's digest, and the next due time.

    A due time left from an earlier day (the bot was down) means today's digest once today's
    time has come, and never yesterday's; an inactive or unsubscribed row is no longer due.
    """
    if not (active and subscribed):
        return False, None
    today_at = occurrence(local_day(now, tz), digest_time, tz)
    if now < today_at:
        return False, today_at
    return True, next_day_occurrence(now, digest_time, tz)


async def _due_batch(session: AsyncSession, now: datetime) -> Sequence[DueRow]:
    """Up to QUEUE_BATCH subscribers whose due time has come: one range scan of the index."""
    return (
        await session.execute(
            select(*DUE_COLUMNS)
            .where(Subscriber.next_digest_at <= now)
            .order_by(Subscriber.next_digest_at, Subscriber.id)
            .limit(QUEUE_BATCH)
        )
    ).all()


async def _store_body(session: AsyncSession, sub: Subscriber, now: datetime) -> int | None:
    """Render a subscriber's digest and store it as a body for everyone with the same choices; None if empty."""
    with use_language(choose_language(sub.language, sub.language_code)):
        messages, buttons, picture = await digest_messages(session, sub, now)
    if not messages:
        return None
    # The picture is kept whatever the reader chose: the sender leaves it out for those who turned it off.
    stored = await session.execute(
        insert(BODIES).returning(BODIES.c.id), {"payload": messages, "buttons": buttons or None, "picture": picture}
    )
    return int(stored.scalar_one())


@dataclass
class _Run:
    """What one digest run remembers across its batches: most subscribers share a zone and a time."""

    now: datetime
    bodies: dict[tuple[object, ...], int | None] = field(default_factory=dict)  # choices -> body (None: empty)
    steps: dict[tuple[bool, bool, str, str], tuple[bool, datetime | None]] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)  # timezone -> ledger key

    def step(self, row: DueRow) -> tuple[bool, datetime | None]:
        """``_next_step`` for this row's schedule, computed once per distinct schedule."""
        schedule: tuple[bool, bool, str, str] = row[1:5]
        if schedule not in self.steps:
            self.steps[schedule] = _next_step(*schedule, self.now)
        return self.steps[schedule]

    def key(self, tz: str) -> str:
        """``digest_key`` for this zone, computed once per zone."""
        if tz not in self.keys:
            self.keys[tz] = digest_key(self.now, tz)
        return self.keys[tz]


async def queue_due_digests(db: Database, now: datetime) -> list[int]:
    """Render and record every due digest as a pending delivery; return their ids.

    Who is due comes from the indexed ``next_digest_at``, a batch at a time; each batch's
    ledger rows and the subscribers' next due times are written in one transaction, so a
    digest is queued once however often this runs. Subscribers with the same choices get
    the same digest, rendered and stored once (``delivery_bodies``); their rows refer to it.
    """
    queued: list[int] = []
    run = _Run(now)
    due = 0
    while True:
        async with db.sessionmaker.begin() as session:
            subs = await _due_batch(session, now)
            if not subs:
                break
            due += len(subs)
            queued += await _queue_batch(session, subs, run)
    if due:
        logger.info("digest run due=%d queued=%d distinct=%d", due, len(queued), len(run.bodies))
    return queued


async def _queue_batch(session: AsyncSession, subs: Sequence[DueRow], run: _Run) -> list[int]:
    """Queue the digests of one batch and move every subscriber in it to its next due time."""
    wanted: list[DueRow] = []
    moves: dict[int, tuple[datetime | None, datetime | None]] = {}  # id -> next due, last digest
    for sub in subs:
        try:
            send, due = run.step(sub)
        except (ValueError, ZoneInfoNotFoundError) as exc:  # a schedule no code path should store
            logger.warning(
                "digest schedule unreadable subscriber=%d: %s; no digest until it is set again", sub[ID], exc
            )
            send, due = False, None
        moves[sub[ID]] = (due, sub[LAST_DIGEST])
        if send:
            wanted.append(sub)
    keys = {sub[ID]: run.key(sub[TIMEZONE]) for sub in wanted}
    if wanted:  # a digest already queued today (the time was changed after it) is not repeated
        done = set(
            (
                await session.execute(
                    select(Delivery.subscriber_id, Delivery.key).where(
                        Delivery.kind == "digest",
                        among(session, Delivery.subscriber_id, keys),
                        Delivery.key.in_(set(keys.values())),
                    )
                )
            ).all()
        )
        wanted = [s for s in wanted if (s[ID], keys[s[ID]]) not in done]
    ids = [sub[ID] for sub in wanted]
    excluded = await exclusions_of(session, ids) if ids else {}
    muted = await mutes_of(session, ids) if ids else {}
    nothing: tuple[frozenset[int], frozenset[str]] = (frozenset(), frozenset())
    together: dict[tuple[str, int | None], list[int]] = {}  # (ledger key, body) -> subscribers
    for sub in wanted:
        sid = sub[ID]
        # Same choices, same digest: sources, mute words, and every column from the timezone on
        # (only a channel's chat type changes the text: no buttons there).
        choices = (*excluded.get(sid, nothing), muted.get(sid), *sub[TIMEZONE:CHAT_TYPE], sub[CHAT_TYPE] == "channel")
        if choices not in run.bodies:
            run.bodies[choices] = await _store_body(session, await session.get_one(Subscriber, sid), run.now)
        together.setdefault((keys[sid], run.bodies[choices]), []).append(sid)
        moves[sid] = (moves[sid][0], run.now)
    # Subscribers due together mostly share their next time: one UPDATE per distinct pair.
    groups: dict[tuple[datetime | None, datetime | None], list[int]] = {}
    for sid, (due, last) in moves.items():
        groups.setdefault((due, last), []).append(sid)
    for (due, last), ids in groups.items():
        await session.execute(
            update(SUBSCRIBERS)
            .where(among(session, SUBSCRIBERS.c.id, ids))
            .values(next_digest_at=due, last_digest_at=last)
        )
    queued: list[int] = []
    for (key, body_id), ids in together.items():
        queued += await _insert_deliveries(session, ids, key, body_id, run.now)
    return queued


async def _insert_deliveries(
    session: AsyncSession, subscriber_ids: list[int], key: str, body_id: int | None, now: datetime
) -> list[int]:
    """One ledger row per subscriber, all with this key and body, in one INSERT … SELECT; the pending ids.

    The rows differ only in their subscriber, so the database builds them: binding a row of
    parameters per subscriber cost more than the insert itself.
    """
    status = "pending" if body_id else "skipped"
    rows = select(
        SUBSCRIBERS.c.id,
        literal("digest"),
        literal(key),
        literal([], JSON()),
        literal(body_id, Integer()),
        literal(status),
        literal(now, UTCDateTime()),
    ).where(among(session, SUBSCRIBERS.c.id, subscriber_ids))
    columns = ["subscriber_id", "kind", "key", "payload", "body_id", "status", "created_at"]
    inserted = await session.execute(
        insert(DELIVERIES).from_select(columns, rows, include_defaults=False).returning(DELIVERIES.c.id)
    )
    return list(inserted.scalars()) if status == "pending" else []
