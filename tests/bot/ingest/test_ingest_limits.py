"""What one feed may cost and break: a bad item is dropped with a warning counted on the feed, an
unexpected error is that feed's recorded failure only, at most ``max_items`` new items per poll
(newest first; the rest come with the next poll, even behind ETags), and a feed document that
runs past the worker's time limit is a recorded failure."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.ingest import pipeline
from bot.ingest.fetch import Fetcher
from bot.ingest.pipeline import ingest_feed, ingest_feeds
from bot.ingest.workers import WorkerPool
from bot.store.db import Database
from bot.store.feeds import list_feeds
from bot.store.models import Article
from tests.bot.httpserver import LocalServer, Request, Response, respond
from tests.bot.ingest.hostile import many_teasers
from tests.bot.ingest.test_ingest import RSS, add, feed_row
from tests.bot.newsfeed import Item, rss

NOW = datetime.now(UTC)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as s:
        yield s


def news(count: int, *, prefix: str = "n") -> list[Item]:
    """``count`` full-text items, item 0 the newest."""
    return [
        Item(
            title=f"Berita {prefix}{i} tentang jembatan desa",
            link=f"https://kabar.example/{prefix}/{i}",
            published=NOW - timedelta(hours=i),
            lead=f"Warga menyambut jembatan baru nomor {i}.",
        )
        for i in range(count)
    ]


async def stored_links(db: Database) -> set[str]:
    async with db.sessionmaker() as session:
        return set((await session.scalars(select(Article.url))).all())


async def test_an_item_with_an_impossible_port_is_dropped_with_a_warning(
    database: Database, server: LocalServer
) -> None:
    items = news(3)
    items[1].link = "http://example.com:99999/x"
    server.route("/rss", respond(rss(items), headers=RSS))
    feed_id = await add(database, server.url("/rss"))
    async with Fetcher(allow_private=True) as fetcher:
        result = await ingest_feed(database, fetcher, feed_id)
    assert (result.new, result.error, result.warnings) == (2, None, 1)
    assert await stored_links(database) == {items[0].link, items[2].link}
    feed = await feed_row(database, feed_id)
    assert feed.consecutive_failures == 0 and feed.warning_count == 1
    assert "example.com:99999" in (feed.last_warning or "") and "bad link" in (feed.last_warning or "")
    async with database.sessionmaker() as session:
        listed = [h.as_dict() for h in await list_feeds(session)]
    assert listed[0]["warning_count"] == 1 and "bad link" in str(listed[0]["last_warning"])


async def test_an_unexpected_error_is_that_feeds_recorded_failure_only(
    database: Database, server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_parse = pipeline.parse_feed

    def parse(content: bytes, **kwargs: Any) -> Any:
        if kwargs["url"].endswith("/broken"):
            raise RuntimeError("a bug in the parser")
        return real_parse(content, **kwargs)

    monkeypatch.setattr(pipeline, "parse_feed", parse)
    server.route("/good", respond(rss(news(2, prefix="g")), headers=RSS))
    server.route("/broken", respond(rss(news(2, prefix="b")), headers=RSS))
    good, broken = await add(database, server.url("/good"), "Baik"), await add(database, server.url("/broken"), "Rusak")
    async with Fetcher(allow_private=True) as fetcher:
        results = {r.feed_id: r for r in await ingest_feeds(database, fetcher, [good, broken])}
    assert results[good].new == 2 and results[good].error is None
    assert results[broken].errors == 1 and "a bug in the parser" in (results[broken].error or "")
    row = await feed_row(database, broken)
    assert row.consecutive_failures == 1 and "unexpected error: RuntimeError" in (row.last_error or "")
    assert row.next_fetch_at is not None


async def test_at_most_max_items_per_poll_newest_first_and_the_rest_next_time(
    database: Database, server: LocalServer
) -> None:
    body = rss(news(7))

    def handler(request: Request) -> Response:
        if request.headers.get("if-none-match") == '"v1"':
            return Response(304)
        return Response(200, body, {"ETag": '"v1"', **RSS})

    server.route("/rss", handler)
    feed_id = await add(database, server.url("/rss"))
    async with Fetcher(allow_private=True) as fetcher:
        first = await ingest_feed(database, fetcher, feed_id, max_items=3)
        assert (first.new, first.backlog) == (3, 4)
        assert await stored_links(database) == {f"https://kabar.example/n/{i}" for i in range(3)}
        # The validators are not kept while items wait: a 304 would hide them.
        assert (await feed_row(database, feed_id)).etag is None
        second = await ingest_feed(database, fetcher, feed_id, max_items=3)
        third = await ingest_feed(database, fetcher, feed_id, max_items=3)
        assert (second.new, second.backlog, third.new, third.backlog) == (3, 1, 1, 0)
        assert (await feed_row(database, feed_id)).etag == '"v1"'
        fourth = await ingest_feed(database, fetcher, feed_id, max_items=3)
    assert fourth.not_modified and fourth.new == 0
    assert len(await stored_links(database)) == 7


async def test_a_feed_document_past_the_time_limit_is_a_recorded_failure(
    database: Database, server: LocalServer
) -> None:
    # 15,000 teaser items: seconds of parsing, far past a 0.5 s limit even on a fast machine.
    server.route("/rss", respond(many_teasers(3_000_000), headers=RSS))
    feed_id = await add(database, server.url("/rss"))
    work = WorkerPool(1, 0.5)
    try:
        async with Fetcher(allow_private=True) as fetcher:
            result = await ingest_feed(database, fetcher, feed_id, work=work)
    finally:
        await work.aclose()
    assert result.errors == 1 and "longer than 0.5 s" in (result.error or "")
    row = await feed_row(database, feed_id)
    assert row.consecutive_failures == 1 and "feed document not parsed" in (row.last_error or "")
