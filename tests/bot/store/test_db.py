"""The database layer: URL normalization, connection settings, time zones, defaults, constraints."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import delete, make_url, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.db import (
    SQLITE_BUSY_TIMEOUT_MS,
    Database,
    DatabaseUnavailableError,
    DatabaseURLError,
    async_url,
)
from bot.store.models import (
    AlertMatch,
    Article,
    Delivery,
    Feed,
    Follow,
    SourceFilter,
    Story,
    Subscriber,
)
from tests.bot.store.revisions import head_revision

WIB = timezone(timedelta(hours=7))


@pytest.mark.parametrize(
    ("given", "driver"),
    [
        ("sqlite:///data/ringkas.db", "sqlite+aiosqlite"),
        ("sqlite+aiosqlite:///data/ringkas.db", "sqlite+aiosqlite"),
        ("sqlite+pysqlite:////var/lib/ringkas.db", "sqlite+aiosqlite"),
        ("sqlite://", "sqlite+aiosqlite"),
        ("postgresql://user@host/db", "postgresql+asyncpg"),
        ("postgres://user:pw@host:5433/db", "postgresql+asyncpg"),
        ("postgresql+asyncpg://user@host/db", "postgresql+asyncpg"),
        ("postgresql+psycopg2://user@host/db", "postgresql+asyncpg"),
        ("postgresql+psycopg://user@host/db", "postgresql+psycopg"),
    ],
)
def test_async_url_picks_the_async_driver(given: str, driver: str) -> None:
    url = async_url(given)
    assert url.drivername == driver
    assert url.database == make_url(given).database


def test_async_url_keeps_credentials_and_translates_sslmode() -> None:
    url = async_url("postgres://ringkas:rah%40sia@db.example:5433/berita?sslmode=require")
    assert (url.username, url.password, url.host, url.port) == (
        "ringkas",
        "rah@sia",
        "db.example",
        5433,
    )
    assert dict(url.query) == {"ssl": "require"}
    assert dict(async_url("postgresql+psycopg://h/db?sslmode=require").query) == {"sslmode": "require"}


@pytest.mark.parametrize("bad", ["mysql://root@localhost/db", "not a url", "", "oracle+cx://x"])
def test_bad_url_is_a_clear_error(bad: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="bot.store.db"), pytest.raises(DatabaseURLError) as err:
        async_url(bad)
    assert "database URL" in str(err.value) or "backend" in str(err.value)
    assert caplog.records, "the failure is logged"


def test_bad_url_error_hides_password(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR), pytest.raises(DatabaseURLError) as err:
        async_url("mysql://root:s3cret@localhost/db")
    assert "s3cret" not in str(err.value) and "s3cret" not in caplog.text


async def test_unreachable_server_is_a_clear_error(caplog: pytest.LogCaptureFixture) -> None:
    # Port 9 (discard) on loopback: nothing listens there in a test environment.
    db = Database("postgresql://ringkas:s3cret@127.0.0.1:9/berita")
    try:
        with caplog.at_level(logging.ERROR), pytest.raises(DatabaseUnavailableError) as err:
            await db.upgrade()
    finally:
        await db.dispose()
    assert "127.0.0.1:9/berita" in str(err.value) and "s3cret" not in str(err.value)
    assert "upgrade" in caplog.text and "s3cret" not in caplog.text


def test_uncreatable_sqlite_directory_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(DatabaseUnavailableError, match="cannot create the directory"):
        Database(f"sqlite:///{blocker}/data/ringkas.db")


async def test_relative_sqlite_path_gets_its_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    db = Database("sqlite:///data/ringkas.db")
    try:
        assert (tmp_path / "data").is_dir()
        assert db.dialect == "sqlite"
        await db.upgrade()
        assert (tmp_path / "data" / "ringkas.db").is_file()
    finally:
        await db.dispose()


async def test_in_memory_sqlite_keeps_one_database(tmp_path: Path) -> None:
    db = Database("sqlite://")
    try:
        await db.upgrade()
        async with db.sessionmaker() as session:
            session.add(Feed(url="https://a.test/rss", name="A"))
            await session.commit()
        async with db.sessionmaker() as session:
            assert len((await session.scalars(select(Feed))).all()) == 1
    finally:
        await db.dispose()


async def test_sqlite_connection_settings(sqlite_database: Database) -> None:
    async with sqlite_database.engine.connect() as conn:
        assert (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar() == "wal"
        assert (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1
        assert (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar() == SQLITE_BUSY_TIMEOUT_MS


async def test_dialect_names(database: Database) -> None:
    assert database.dialect in {"sqlite", "postgresql"}
    assert await database.current_revision() == head_revision()


async def test_times_come_back_aware_utc(db_session: AsyncSession) -> None:
    wib = datetime(2026, 11, 25, 7, 30, tzinfo=WIB)
    naive = datetime(2026, 11, 25, 0, 30)
    feed = Feed(url="https://a.test/rss", name="A", next_fetch_at=wib, last_success_at=naive)
    db_session.add(feed)
    await db_session.commit()
    db_session.expunge_all()
    stored = (await db_session.scalars(select(Feed))).one()
    assert stored.next_fetch_at == wib and stored.next_fetch_at is not None
    assert stored.next_fetch_at.tzinfo == UTC and stored.next_fetch_at.hour == 0
    assert stored.last_success_at == naive.replace(tzinfo=UTC)
    assert stored.created_at.tzinfo == UTC
    # Comparisons in SQL use the same instant whatever zone the parameter is in.
    found = await db_session.scalar(select(Feed.id).where(Feed.next_fetch_at <= wib))
    assert found == stored.id


async def test_server_defaults_match_python_defaults(db_session: AsyncSession) -> None:
    await db_session.execute(text("INSERT INTO feeds (url, name) VALUES ('https://b.test', 'B')"))
    await db_session.execute(text("INSERT INTO subscribers (chat_id) VALUES (:chat)"), {"chat": -1001234567890123})
    await db_session.commit()
    feed = (await db_session.scalars(select(Feed))).one()
    assert (feed.category, feed.interval_minutes, feed.enabled) == ("umum", 15, True)
    assert (feed.consecutive_failures, feed.items_total) == (0, 0)
    assert feed.created_at.tzinfo == UTC
    assert abs(feed.created_at - datetime.now(UTC)) < timedelta(hours=1)
    sub = (await db_session.scalars(select(Subscriber))).one()
    assert sub.chat_id == -1001234567890123
    assert (sub.active, sub.subscribed, sub.skip_empty_digest) == (True, True, False)
    assert (sub.digest_time, sub.timezone) == ("07:00", "Asia/Jakarta")
    assert (sub.stories_per_digest, sub.sentences_per_summary, sub.alerts_per_day) == (8, 3, 10)


async def test_objects_stay_readable_after_commit(db_session: AsyncSession) -> None:
    sub = Subscriber(chat_id=42, chat_type="private")
    db_session.add(sub)
    await db_session.commit()
    # expire_on_commit=False: no lazy refresh, which async sessions cannot do implicitly.
    assert sub.id is not None and sub.digest_time == "07:00"


def _article(n: int, **fields: object) -> Article:
    values: dict[str, object] = {
        "url": f"https://a.test/{n}",
        "canonical_url": f"https://a.test/{n}",
        "title": f"Judul {n}",
        "published_at": datetime.now(UTC),
        "source": "A",
        "summary": ["Kalimat pertama.", "Kalimat “kedua” — ü."],
    }
    values.update(fields)
    return Article(**values)


async def test_article_json_summary_round_trip(db_session: AsyncSession) -> None:
    db_session.add(_article(1))
    await db_session.commit()
    db_session.expunge_all()
    article = (await db_session.scalars(select(Article))).one()
    assert article.summary == ["Kalimat pertama.", "Kalimat “kedua” — ü."]
    assert (article.text, article.signature, article.category) == ("", "", "umum")


async def test_unique_canonical_url(db_session: AsyncSession) -> None:
    db_session.add_all([_article(1), _article(2, canonical_url="https://a.test/1")])
    with pytest.raises(IntegrityError):
        await db_session.commit()


async def test_unique_guid_per_feed(db_session: AsyncSession) -> None:
    feed = Feed(url="https://a.test/rss", name="A")
    db_session.add(feed)
    await db_session.flush()
    db_session.add_all([_article(1, feed_id=feed.id, guid="x"), _article(2, guid="x")])
    db_session.add_all([_article(3, feed_id=feed.id), _article(4, feed_id=feed.id)])
    await db_session.commit()  # no guid, or another feed: allowed
    db_session.add(_article(5, feed_id=feed.id, guid="x"))
    with pytest.raises(IntegrityError):
        await db_session.commit()


async def test_deletes_cascade_or_set_null(db_session: AsyncSession) -> None:
    feed = Feed(url="https://a.test/rss", name="A")
    story = Story(title="Cerita")
    sub = Subscriber(chat_id=7)
    db_session.add_all([feed, story, sub])
    await db_session.flush()
    article = _article(1, feed_id=feed.id, story_id=story.id)
    delivery = Delivery(subscriber_id=sub.id, kind="alert", key="alert:2026-11-25:1")
    db_session.add_all([article, delivery])
    db_session.add_all(
        [
            Follow(subscriber_id=sub.id, keyword="banjir"),
            SourceFilter(subscriber_id=sub.id, kind="category", value="olahraga"),
        ]
    )
    await db_session.flush()
    db_session.add(AlertMatch(subscriber_id=sub.id, story_id=story.id, keyword="banjir", delivery_id=delivery.id))
    await db_session.commit()

    await db_session.execute(delete(Feed))
    await db_session.execute(delete(Delivery))
    await db_session.commit()
    db_session.expunge_all()
    assert (await db_session.scalars(select(Article.feed_id))).one() is None
    assert (await db_session.scalars(select(AlertMatch.delivery_id))).one() is None

    await db_session.execute(delete(Story))
    await db_session.execute(delete(Subscriber))
    await db_session.commit()
    assert (await db_session.scalars(select(Article.story_id))).one() is None
    for model in (AlertMatch, Follow, SourceFilter, Delivery):
        assert (await db_session.scalars(select(model))).all() == []


async def test_alert_once_per_story(db_session: AsyncSession) -> None:
    story, sub = Story(title="Cerita"), Subscriber(chat_id=8)
    db_session.add_all([story, sub])
    await db_session.flush()
    db_session.add(AlertMatch(subscriber_id=sub.id, story_id=story.id, keyword="a"))
    await db_session.commit()
    db_session.add(AlertMatch(subscriber_id=sub.id, story_id=story.id, keyword="b"))
    with pytest.raises(IntegrityError):
        await db_session.commit()


async def test_delivery_key_unique_per_subscriber(db_session: AsyncSession) -> None:
    sub = Subscriber(chat_id=9)
    db_session.add(sub)
    await db_session.flush()
    db_session.add(Delivery(subscriber_id=sub.id, kind="digest", key="digest:2026-11-25"))
    await db_session.commit()
    delivery = (await db_session.scalars(select(Delivery))).one()
    assert (delivery.status, delivery.payload, delivery.parts_sent) == ("pending", [], 0)
    db_session.add(Delivery(subscriber_id=sub.id, kind="digest", key="digest:2026-11-25"))
    with pytest.raises(IntegrityError):
        await db_session.commit()


async def test_upgrade_in_a_child_process(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'child.db'}")
    try:
        await db.upgrade_in_child()
        assert await db.current_revision() == head_revision()
    finally:
        await db.dispose()
    unreachable = Database("postgresql://ringkas:s3cret@127.0.0.1:9/berita")  # nothing listens on port 9
    with pytest.raises(DatabaseUnavailableError) as err:
        await unreachable.upgrade_in_child()
    await unreachable.dispose()
    assert "127.0.0.1:9/berita" in str(err.value) and "s3cret" not in str(err.value)
