"""A feed's new items are stored a batch per transaction: a bad item, or one another process stored
a moment earlier, is rolled back with its batch and the batch stored item by item, so no other
article is lost; batches keep the items' order, newest first, and the alert scan's stories."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, text

from bot.ingest import pipeline, storing
from bot.ingest.fetch import Fetcher
from bot.ingest.pipeline import ingest_feed
from bot.store.db import Database
from bot.store.models import Article, Story
from tests.bot.httpserver import LocalServer, respond
from tests.bot.ingest.test_ingest import RSS, add, feed_row
from tests.bot.newsfeed import Item, rss

NOW = datetime.now(UTC)
TOPICS = ["jembatan", "banjir", "pemilu", "vaksin", "gempa", "pajak"]


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as s:
        yield s


def news(count: int) -> list[Item]:
    """``count`` full-text items on different happenings, item 0 the newest."""
    return [
        Item(
            title=f"Berita {i}: {TOPICS[i % len(TOPICS)]} di kota nomor {i}",
            link=f"https://kabar.example/n/{i}",
            published=NOW - timedelta(hours=i),
            lead=f"Warga kota nomor {i} membicarakan {TOPICS[i % len(TOPICS)]} sejak pagi.",
        )
        for i in range(count)
    ]


async def stored_titles(db: Database) -> list[str]:
    async with db.sessionmaker() as session:
        return list((await session.scalars(select(Article.title).order_by(Article.id))).all())


async def test_a_failing_item_drops_only_itself_and_its_batch_is_stored_one_by_one(
    database: Database, server: LocalServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    items = news(5)
    real_store = storing._store_item

    async def store(session: Any, feed: Any, ready: storing.Ready, now: datetime) -> Article:
        if ready.item.url.endswith("/n/2"):
            raise ValueError("a value the database cannot take")
        return await real_store(session, feed, ready, now)

    monkeypatch.setattr(storing, "_store_item", store)
    server.route("/rss", respond(rss(items), headers=RSS))
    feed_id = await add(database, server.url("/rss"))
    async with Fetcher(allow_private=True) as fetcher:
        result = await ingest_feed(database, fetcher, feed_id)
    assert (result.new, result.warnings, result.errors) == (4, 1, 0)
    assert await stored_titles(database) == [items[i].title for i in (0, 1, 3, 4)]
    feed = await feed_row(database, feed_id)
    assert "n/2" in (feed.last_warning or "") and "ValueError" in (feed.last_warning or "")
    assert "batch of 5 items rolled back (ValueError" in caplog.text
    assert "item dropped feed=" in caplog.text and "feed polled id=" in caplog.text
    async with database.sessionmaker() as session:  # the rolled-back batch left no story or index row behind
        story_ids = set((await session.scalars(select(Article.story_id))).all())
        assert await session.scalar(select(func.count()).select_from(Story)) == len(story_ids)
        assert await session.scalar(text("SELECT count(*) FROM article_search")) == 4
    assert set(result.new_story_ids) == story_ids and None not in story_ids


@pytest.mark.parametrize("count", [4, 1])  # a batch of several is stored again one by one; of one, not
async def test_an_item_stored_meanwhile_by_another_process_is_a_duplicate_and_the_rest_are_stored(
    database: Database, server: LocalServer, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    items = news(4)
    server.route("/other", respond(rss(items[1:2]), headers=RSS))
    other = await add(database, server.url("/other"), "Lain")
    async with Fetcher(allow_private=True) as fetcher:
        assert (await ingest_feed(database, fetcher, other)).new == 1

    async def unaware(*_args: Any) -> tuple[set[str], set[str]]:
        return set(), set()  # both lookups miss it, as when another process stores it between them

    monkeypatch.setattr(pipeline, "stored_links", unaware)
    monkeypatch.setattr(storing, "stored_in", unaware)
    items = items[:count] if count > 1 else items[1:2]
    server.route("/rss", respond(rss(items), headers=RSS))
    feed_id = await add(database, server.url("/rss"))
    async with Fetcher(allow_private=True) as fetcher:
        result = await ingest_feed(database, fetcher, feed_id)
    assert (result.new, result.duplicate, result.warnings) == (count - 1, 1, 0)
    assert sorted(await stored_titles(database)) == sorted(item.title for item in items)


async def test_batches_keep_the_order_newest_first_and_every_story_for_the_alert_scan(
    database: Database, server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "BATCH_ITEMS", 2)
    items = news(7)
    server.route("/rss", respond(rss(list(reversed(items))), headers=RSS))
    feed_id = await add(database, server.url("/rss"))
    async with Fetcher(allow_private=True) as fetcher:
        result = await ingest_feed(database, fetcher, feed_id, max_items=5)
    assert (result.new, result.backlog) == (5, 2)
    assert await stored_titles(database) == [item.title for item in items[:5]]
    async with database.sessionmaker() as session:
        stories = set((await session.scalars(select(Article.story_id))).all())
    assert set(result.new_story_ids) == stories and None not in stories


async def test_a_pass_whose_failure_cannot_be_recorded_still_ends_with_that_feeds_error(
    sqlite_database: Database, server: LocalServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def poll(*_args: Any) -> None:
        raise TimeoutError("QueuePool limit reached")

    async def unrecorded(*_args: Any) -> None:
        raise TimeoutError("QueuePool limit reached")

    monkeypatch.setattr(pipeline, "_poll", poll)
    monkeypatch.setattr(pipeline, "fail_feed", unrecorded)
    async with Fetcher(allow_private=True) as fetcher:
        result = await ingest_feed(sqlite_database, fetcher, 1)  # no exception: the other feeds' passes go on
    assert result.errors == 1 and "TimeoutError: QueuePool limit reached" in (result.error or "")
    assert "feed pass failed id=1" in caplog.text and "feed failure not recorded id=1" in caplog.text
