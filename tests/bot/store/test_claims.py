"""Claims with leases, the shared send budget and the clock lock, in one process on both databases.

Two owners (as two processes would) claim from one database: they never get the same row, a
lease that ran out lets the other take the row, and a sender whose delivery was taken over can
neither mark it in flight nor record it as sent. The budget's slots of two senders never come
closer than one interval. (The same with real processes: tests/bot/telegram/test_shared_senders.py,
tests/bot/telegram/test_roles.py, tests/bot/ingest/test_shared_fetch.py.)
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from itertools import pairwise

import pytest
from sqlalchemy import select

from bot.store.base import utcnow
from bot.store.claims import (
    claim_deliveries,
    claim_due_feeds,
    free_delivery_leases,
    release_deliveries,
    release_feeds,
    renew_leases,
)
from bot.store.db import Database
from bot.store.locks import ClockLock
from bot.store.models import Delivery, Feed, Subscriber
from bot.store.send_budget import SharedBudget
from bot.telegram.ledger import Ledger
from bot.telegram.marks import Marks


async def add_feeds(db: Database, count: int) -> list[int]:
    async with db.sessionmaker.begin() as session:
        feeds = [Feed(url=f"https://kabar.example/{n}.xml", name=f"Kabar {n}") for n in range(count)]
        session.add_all(feeds)
        await session.flush()
        return [f.id for f in feeds]


async def add_deliveries(db: Database, count: int) -> list[int]:
    async with db.sessionmaker.begin() as session:
        subscriber = Subscriber(chat_id=4242)
        session.add(subscriber)
        await session.flush()
        rows = [Delivery(subscriber_id=subscriber.id, kind="alert", key=f"k{n}", payload=["x"]) for n in range(count)]
        session.add_all(rows)
        await session.flush()
        return [d.id for d in rows]


async def test_two_owners_split_the_due_feeds_and_a_lapsed_lease_frees_them(database: Database) -> None:
    ids = await add_feeds(database, 10)
    first = await claim_due_feeds(database, "a", limit=6, lease=60)
    second = await claim_due_feeds(database, "b", limit=6, lease=600)
    assert len(first) == 6 and len(second) == 4 and not set(first) & set(second)
    assert sorted(first + second) == ids
    assert await claim_due_feeds(database, "c", limit=10, lease=60) == []
    # "a" was killed: once its leases run out, "c" gets its feeds, and only those.
    later = utcnow() + timedelta(seconds=61)
    assert await claim_due_feeds(database, "c", limit=10, lease=60, now=later) == first
    await release_feeds(database, "b", second)
    assert await claim_due_feeds(database, "d", limit=10, lease=60) == second  # still due: not polled yet


async def test_a_polled_feed_is_not_due_for_anyone_after_its_release(database: Database) -> None:
    [feed_id] = await add_feeds(database, 1)
    assert await claim_due_feeds(database, "a", limit=5, lease=60) == [feed_id]
    async with database.sessionmaker.begin() as session:
        feed = await session.get(Feed, feed_id)
        assert feed is not None and feed.claimed_by == "a"
        feed.next_fetch_at = utcnow() + timedelta(minutes=15)  # what a poll does first
    await release_feeds(database, "a", [feed_id])
    assert await claim_due_feeds(database, "b", limit=5, lease=60) == []
    assert await claim_due_feeds(database, "b", limit=5, lease=60, exclude=[feed_id]) == []


async def test_deliveries_claimed_once_renewed_and_released_while_pending(database: Database) -> None:
    ids = await add_deliveries(database, 5)
    assert await claim_deliveries(database, "a", limit=3, lease=1) == ids[:3]
    assert await claim_deliveries(database, "b", limit=9, lease=1, ids=ids[:4]) == [ids[3]]
    assert await claim_deliveries(database, "b", limit=9, lease=1, after=ids[3]) == [ids[4]]
    assert await renew_leases(database, "a", lease=600) == 3
    later = utcnow() + timedelta(seconds=30)  # b's one-second leases lapsed, a's renewed ones did not
    assert await claim_deliveries(database, "c", limit=9, lease=60, now=later) == ids[3:]
    await release_deliveries(database, "a", ids)
    assert await claim_deliveries(database, "d", limit=9, lease=60) == ids[:3]
    await free_delivery_leases(database)  # SQLite's restart: the one process takes everything at once
    assert await claim_deliveries(database, "e", limit=9, lease=60) == ids


async def test_a_sender_that_lost_its_claim_neither_marks_nor_records(database: Database) -> None:
    [did] = await add_deliveries(database, 1)
    assert await claim_deliveries(database, "a", limit=1, lease=1) == [did]
    late = utcnow() + timedelta(seconds=5)
    assert await claim_deliveries(database, "b", limit=1, lease=60, now=late) == [did]
    stale = Ledger(database, "a")
    stale_marks, fresh_marks = Marks(database, "a"), Marks(database, "b")
    assert not await stale_marks.mark(did, 0)
    stale.record(did, status="sent", parts_sent=1)
    await stale.flush()
    assert await fresh_marks.mark(did, 0)
    await stale_marks.close()
    await fresh_marks.close()
    async with database.sessionmaker() as session:
        row = (await session.execute(select(Delivery.status, Delivery.sending_part).where(Delivery.id == did))).one()
    assert tuple(row) == ("pending", 0)  # b's mark stands; a's "sent" was refused


async def test_two_budgets_share_one_rate(database: Database) -> None:
    rate = 10.0
    one, two = SharedBudget(database, rate), SharedBudget(database, rate)
    for _ in range(3):
        await one._refill()
        await two._refill()
    slots = sorted([*one._slots, *two._slots])
    assert len(slots) == 6 * one.batch
    gaps = [b - a for a, b in pairwise(slots)]
    assert min(gaps) >= 1 / rate - 0.02  # never two messages closer than the shared rate allows


async def test_only_one_clock_lock_holder_and_the_next_takes_over(database: Database) -> None:
    if database.dialect != "postgresql":
        lock = ClockLock(database)
        assert await lock.acquire() and lock.held  # SQLite: one process, its clock
        return
    other = Database(database.url)
    first, second = ClockLock(database), ClockLock(other)
    try:
        assert await first.acquire()
        assert not await second.acquire()
        assert await first.acquire()  # still held: its connection answers
        await first.close()
        assert await second.acquire()
    finally:
        await second.close()
        await other.dispose()


@pytest.mark.parametrize("rate", [0.0, -1.0])
def test_a_budget_needs_a_rate(sqlite_database: Database, rate: float) -> None:
    with pytest.raises(ValueError):
        SharedBudget(sqlite_database, rate)


async def test_marks_queued_around_a_close_are_all_written(database: Database) -> None:
    ids = await add_deliveries(database, 3)
    assert await claim_deliveries(database, "a", limit=3, lease=60) == ids
    marks = Marks(database, "a")
    assert await marks.mark(ids[0], 0)
    closing = asyncio.create_task(marks.close())  # one pass of the sender ends...
    another = asyncio.create_task(marks.mark(ids[1], 0))  # ...while another still sends
    assert await asyncio.wait_for(another, 30)
    await asyncio.wait_for(closing, 30)
    assert await asyncio.wait_for(marks.mark(ids[2], 0), 30)
    await asyncio.wait_for(marks.close(), 30)
    async with database.sessionmaker() as session:
        assert set((await session.scalars(select(Delivery.sending_part))).all()) == {0}
