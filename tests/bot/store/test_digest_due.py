"""Next-digest times: local wall-clock times turned into UTC instants with zoneinfo."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text

from bot.store.db import Database
from bot.store.digest_due import (
    first_after,
    local_day,
    next_day_occurrence,
    occurrence,
    scheduled_due,
)
from bot.store.models import Subscriber
from tests.bot.store.test_migrations import fresh  # noqa: F401  (the unmigrated-database fixture)


def test_wib_wita_wit_occurrences_in_utc() -> None:
    day = datetime(2026, 11, 30).date()
    assert occurrence(day, "07:00", "Asia/Jakarta") == datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
    assert occurrence(day, "07:00", "Asia/Makassar") == datetime(2026, 11, 29, 23, 0, tzinfo=UTC)
    assert occurrence(day, "07:00", "Asia/Jayapura") == datetime(2026, 11, 29, 22, 0, tzinfo=UTC)


def test_first_after_is_strict_and_rolls_to_the_next_local_day() -> None:
    at = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # 07:00 WIB
    assert first_after(at, "07:00", "Asia/Jakarta") == datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
    assert first_after(datetime(2026, 11, 29, 23, 59, tzinfo=UTC), "07:00", "Asia/Jakarta") == at
    # 23:30 UTC on the 29th is already the 30th in WIB: the next 07:00 WIB is that same morning.
    assert first_after(datetime(2026, 11, 29, 18, 0, tzinfo=UTC), "07:00", "Asia/Jakarta") == at
    assert next_day_occurrence(datetime(2026, 11, 30, 3, 0, tzinfo=UTC), "07:00", "Asia/Jakarta") == datetime(
        2026, 12, 1, 0, 0, tzinfo=UTC
    )


def test_daylight_saving_zones_keep_the_local_time() -> None:
    # Not an Indonesian zone, but the arithmetic must hold where clocks change.
    before = occurrence(datetime(2026, 3, 28).date(), "07:00", "Europe/Berlin")
    after = occurrence(datetime(2026, 3, 30).date(), "07:00", "Europe/Berlin")
    assert (before.hour, after.hour) == (6, 5)
    assert next_day_occurrence(datetime(2026, 3, 28, 12, tzinfo=UTC), "07:00", "Europe/Berlin").hour == 5


def test_scheduled_due_none_when_not_wanted_and_today_for_an_old_schedule() -> None:
    now = datetime(2026, 11, 30, 5, 0, tzinfo=UTC)  # 12:00 WIB
    common = {"digest_time": "07:00", "tz": "Asia/Jakarta", "now": now}
    assert scheduled_due(active=False, subscribed=True, changed_at=None, **common) is None
    assert scheduled_due(active=True, subscribed=False, changed_at=None, **common) is None
    assert scheduled_due(active=True, subscribed=True, changed_at=None, **common) == datetime(
        2026, 11, 30, 0, tzinfo=UTC
    )
    assert scheduled_due(active=True, subscribed=True, changed_at=now, **common) == datetime(2026, 12, 1, 0, tzinfo=UTC)


async def test_migration_fills_the_due_time_of_existing_subscribers(fresh: Database) -> None:  # noqa: F811
    await fresh.upgrade("0003")
    now = datetime.now(UTC)
    async with fresh.engine.begin() as conn:
        insert = text(
            "INSERT INTO subscribers (chat_id, active, subscribed, digest_time, timezone, last_digest_at) "
            "VALUES (:chat, :active, :subscribed, '07:00', 'Asia/Jakarta', :last)"
        )
        await conn.execute(
            insert,
            [
                {"chat": 1, "active": True, "subscribed": True, "last": None},
                {"chat": 2, "active": True, "subscribed": True, "last": now},  # today's digest is out
                {"chat": 3, "active": False, "subscribed": True, "last": None},
            ],
        )
    await fresh.upgrade()
    async with fresh.sessionmaker() as session:
        due = dict((await session.execute(select(Subscriber.chat_id, Subscriber.next_digest_at))).all())
    today = occurrence(local_day(now, "Asia/Jakarta"), "07:00", "Asia/Jakarta")
    assert due == {1: today, 2: today + timedelta(days=1), 3: None}
