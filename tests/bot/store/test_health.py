"""The health checks on both databases: healthy, a stale feed, a stuck delivery, an old schema, no database."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import URL

from bot.store.db import Database
from bot.store.health import check_health
from tests.bot.healthdata import add_delivery, add_feed
from tests.bot.httpserver import closed_port


async def test_an_empty_database_is_healthy(database: Database) -> None:
    report = await check_health(database)
    assert report.healthy, report.failures()
    assert [c.name for c in report.checks] == ["database", "feeds", "deliveries"]
    assert report.as_dict()["checks"]["feeds"] == {"ok": True, "detail": "no enabled feed"}


async def test_one_fresh_feed_and_a_recent_delivery_are_healthy(database: Database) -> None:
    await add_feed(database, name="Lama", succeeded_ago=timedelta(days=1))
    await add_feed(database, name="Segar", succeeded_ago=timedelta(minutes=20))  # within 3 × 15 minutes
    await add_delivery(database, queued_ago=timedelta(minutes=5))
    await add_delivery(database, queued_ago=timedelta(hours=3), status="sent", chat_id=1002)
    report = await check_health(database)
    assert report.healthy, report.failures()
    assert "1 of 2 enabled feeds" in report.checks[1].detail


async def test_stale_feeds_fail_with_the_last_success(database: Database) -> None:
    feed_id = await add_feed(database, name="Lama", succeeded_ago=timedelta(minutes=50))  # beyond 3 × 15 minutes
    await add_feed(database, name="Dijeda", succeeded_ago=timedelta(minutes=1), enabled=False)  # paused: not counted
    report = await check_health(database)
    assert not report.healthy
    [failed] = report.failures()
    assert failed.name == "feeds" and f"feed {feed_id}, Lama" in failed.detail and "none of 1 enabled" in failed.detail


async def test_a_feed_counts_from_when_it_was_added_until_its_first_poll(database: Database) -> None:
    await add_feed(database, name="Baru", succeeded_ago=None, added_ago=timedelta(minutes=2))
    assert (await check_health(database)).healthy
    await add_feed(database, name="Rusak", succeeded_ago=None, interval_minutes=5, added_ago=timedelta(minutes=16))
    await add_feed(database, name="Jarang", succeeded_ago=timedelta(hours=2), interval_minutes=60)  # 3 hours allowed
    assert (await check_health(database)).healthy


async def test_feeds_that_never_succeeded_say_so(database: Database) -> None:
    await add_feed(database, name="Rusak", succeeded_ago=None, added_ago=timedelta(hours=1))
    [failed] = (await check_health(database)).failures()
    assert failed.detail == "none of 1 enabled feeds has ever succeeded"


async def test_a_pending_delivery_older_than_15_minutes_is_stuck(database: Database) -> None:
    await add_delivery(database, queued_ago=timedelta(minutes=16))
    await add_delivery(database, queued_ago=timedelta(minutes=40), chat_id=1002)
    await add_delivery(database, queued_ago=timedelta(minutes=1), chat_id=1003)
    [failed] = (await check_health(database)).failures()
    assert failed.name == "deliveries"
    assert failed.detail.startswith("no delivery sent in 15 minutes while 2 pending (oldest queued ")
    assert failed.detail.endswith("; none sent yet)")


async def test_a_long_fan_out_that_keeps_sending_is_healthy(database: Database) -> None:
    # 26,000 readers at 29.5 messages/s take ~15 minutes: the last ones wait, others go out meanwhile.
    await add_delivery(database, queued_ago=timedelta(minutes=40), chat_id=1001)
    await add_delivery(
        database, queued_ago=timedelta(minutes=40), chat_id=1002, status="sent", sent_ago=timedelta(seconds=5)
    )
    report = await check_health(database)
    assert report.healthy, report.failures()
    assert report.checks[2].detail.startswith("1 pending older than 15 minutes, still sending (last sent ")


async def test_a_queue_with_no_delivery_sent_in_15_minutes_is_stuck(database: Database) -> None:
    await add_delivery(database, queued_ago=timedelta(minutes=40), chat_id=1001)
    await add_delivery(
        database, queued_ago=timedelta(hours=2), chat_id=1002, status="sent", sent_ago=timedelta(minutes=20)
    )
    [failed] = (await check_health(database)).failures()
    assert failed.name == "deliveries" and failed.detail.startswith("no delivery sent in 15 minutes while 1 pending")
    assert "; last sent " in failed.detail


async def test_a_database_behind_the_latest_migration_fails(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        await db.upgrade("0002")
        [failed] = (await check_health(db)).failures()
        assert await db.current_revision() == "0002"  # reported, not migrated
    finally:
        await db.dispose()
    assert failed.name == "database" and failed.detail.startswith("at migration 0002, latest is ")


async def test_a_missing_sqlite_file_is_reported_not_created(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.db"
    db = Database(f"sqlite:///{path}")
    try:
        report = await check_health(db)
    finally:
        await db.dispose()
    assert [c.name for c in report.failures()] == ["database"] and "no SQLite database at" in report.checks[0].detail
    assert not path.exists()


async def test_a_file_that_is_not_a_database_is_unreachable(tmp_path: Path) -> None:
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 200)
    db = Database(f"sqlite:///{tmp_path / 'junk.db'}")
    try:
        [failed] = (await check_health(db)).failures()
    finally:
        await db.dispose()
    assert failed.name == "database" and failed.detail.startswith("unreachable: ")


async def test_an_unreachable_postgresql_fails_with_the_reason(postgres_url: URL) -> None:
    db = Database(postgres_url.set(host="127.0.0.1", port=closed_port()))
    try:
        report = await check_health(db)
    finally:
        await db.dispose()
    assert [c.name for c in report.checks] == ["database"]
    assert not report.healthy and report.checks[0].detail.startswith("unreachable: ")


async def test_a_broken_query_is_a_failed_check_not_a_crash(sqlite_database: Database) -> None:
    from sqlalchemy import text

    async with sqlite_database.engine.begin() as conn:  # a file of this test's own
        await conn.execute(text("DROP TABLE alert_matches"))
        await conn.execute(text("DROP TABLE deliveries"))
    [failed] = (await check_health(sqlite_database)).failures()
    assert failed.name == "deliveries" and failed.detail.startswith("query failed: OperationalError: no such table")
