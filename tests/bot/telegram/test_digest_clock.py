"""The digest clock: who is due comes from the indexed next-digest time, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text, update

from bot.store.db import Database
from bot.store.models import Delivery, DeliveryBody, Subscriber
from bot.telegram.schedule_digest import queue_due_digests

# 12:00 WIB on a Monday; 07:00 WIB is 00:00 UTC.
NOON = datetime(2026, 11, 30, 5, 0, tzinfo=UTC)
SEVEN = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)


async def add(db: Database, chat: int, **values: object) -> int:
    async with db.sessionmaker.begin() as session:
        sub = Subscriber(chat_id=chat, subscribed=True, digest_time="07:00", **values)
        session.add(sub)
        await session.flush()
        return sub.id


async def due_at(db: Database, sub_id: int) -> datetime | None:
    async with db.sessionmaker() as session:
        return await session.scalar(select(Subscriber.next_digest_at).where(Subscriber.id == sub_id))


async def digest_keys(db: Database) -> list[tuple[int, str]]:
    async with db.sessionmaker() as session:
        return [
            tuple(r)
            for r in (
                await session.execute(  # type: ignore[misc]
                    select(Delivery.subscriber_id, Delivery.key).order_by(Delivery.id)
                )
            ).all()
        ]


async def test_schedule_changes_move_the_due_time(database: Database) -> None:
    sid = await add(database, 1, schedule_changed_at=NOON)
    assert await due_at(database, sid) == SEVEN + timedelta(days=1)  # past today: tomorrow
    async with database.sessionmaker.begin() as session:
        sub = await session.get_one(Subscriber, sid)
        sub.digest_time, sub.schedule_changed_at = "18:30", NOON
    assert await due_at(database, sid) == datetime(2026, 11, 30, 11, 30, tzinfo=UTC)
    async with database.sessionmaker.begin() as session:
        sub = await session.get_one(Subscriber, sid)
        sub.timezone, sub.schedule_changed_at = "Asia/Jayapura", NOON  # WIT: 18:30 is 09:30 UTC
    assert await due_at(database, sid) == datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
    async with database.sessionmaker.begin() as session:
        (await session.get_one(Subscriber, sid)).subscribed = False
    assert await due_at(database, sid) is None
    async with database.sessionmaker.begin() as session:
        (await session.get_one(Subscriber, sid)).subscribed = True
    assert await due_at(database, sid) == datetime(2026, 11, 30, 9, 30, tzinfo=UTC)


async def test_queue_once_then_tomorrow(database: Database) -> None:
    sid = await add(database, 1, schedule_changed_at=SEVEN - timedelta(hours=1))
    assert await queue_due_digests(database, SEVEN - timedelta(minutes=1)) == []
    assert len(await queue_due_digests(database, SEVEN)) == 1
    assert await queue_due_digests(database, SEVEN + timedelta(hours=3)) == []
    assert await due_at(database, sid) == SEVEN + timedelta(days=1)
    assert await digest_keys(database) == [(sid, "digest:2026-11-30")]


async def test_missed_while_down_is_sent_the_same_day_only(database: Database) -> None:
    today = await add(database, 1, schedule_changed_at=SEVEN - timedelta(days=3))
    assert len(await queue_due_digests(database, NOON)) == 1  # bot was down at 07:00: sent at start
    assert await digest_keys(database) == [(today, "digest:2026-11-30")]
    # Down from before yesterday's 07:00 until 06:00 today: yesterday's is not sent late,
    # today's goes at 07:00.
    early = SEVEN + timedelta(days=1) - timedelta(hours=1)
    assert await queue_due_digests(database, early) == []
    assert await due_at(database, today) == SEVEN + timedelta(days=1)


async def test_rows_no_longer_wanted_leave_the_index_and_a_sent_day_is_not_repeated(database: Database) -> None:
    gone = await add(database, 1, schedule_changed_at=SEVEN - timedelta(hours=1))
    again = await add(database, 2, schedule_changed_at=SEVEN - timedelta(hours=1))
    async with database.sessionmaker.begin() as session:  # as the sender does on Forbidden
        await session.execute(update(Subscriber).where(Subscriber.id == gone).values(active=False))
    assert len(await queue_due_digests(database, SEVEN)) == 1
    assert await due_at(database, gone) is None
    async with database.sessionmaker.begin() as session:  # a new time later the same day
        sub = await session.get_one(Subscriber, again)
        sub.digest_time, sub.schedule_changed_at = "09:00", SEVEN + timedelta(minutes=5)
    assert await queue_due_digests(database, SEVEN + timedelta(hours=3)) == []  # today's is out already
    assert await due_at(database, again) == SEVEN + timedelta(days=1, hours=2)


async def test_an_unreadable_schedule_is_dropped_not_retried_forever(database: Database) -> None:
    bad = await add(database, 1, schedule_changed_at=SEVEN - timedelta(hours=1))
    good = await add(database, 2, schedule_changed_at=SEVEN - timedelta(hours=1))
    async with database.sessionmaker.begin() as session:
        await session.execute(update(Subscriber).where(Subscriber.id == bad).values(timezone="Mars/Olympus"))
    assert len(await queue_due_digests(database, SEVEN)) == 1
    assert await due_at(database, bad) is None and await due_at(database, good) is not None


async def test_the_due_query_uses_the_index(sqlite_database: Database) -> None:
    async with sqlite_database.engine.connect() as conn:
        plan = (
            await conn.execute(
                text(
                    "EXPLAIN QUERY PLAN SELECT * FROM subscribers WHERE next_digest_at <= '2026-11-30' "
                    "ORDER BY next_digest_at, id LIMIT 500"
                )
            )
        ).all()
    assert any("ix_subscribers_next_digest_at" in str(row) for row in plan), plan


async def test_each_distinct_digest_is_stored_once(database: Database) -> None:
    same = [await add(database, 10 + i, schedule_changed_at=SEVEN - timedelta(hours=1)) for i in range(5)]
    other = await add(database, 20, schedule_changed_at=SEVEN - timedelta(hours=1), stories_per_digest=3)
    assert len(await queue_due_digests(database, SEVEN)) == 6
    async with database.sessionmaker() as session:
        rows = dict((await session.execute(select(Delivery.subscriber_id, Delivery.body_id))).all())
        bodies = dict((await session.execute(select(DeliveryBody.id, DeliveryBody.payload))).all())
        own_text = (await session.scalars(select(Delivery.payload))).all()
    assert {rows[s] for s in same} == {rows[same[0]]} and rows[other] != rows[same[0]]
    assert set(bodies) == {rows[same[0]], rows[other]} and all(bodies.values())
    assert own_text == [[]] * 6  # the text lives in the body, once
