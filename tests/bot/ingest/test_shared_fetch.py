"""Two ``ringkas fetch`` passes at once on one PostgreSQL database share the due feeds.

Each feed on the loopback site answers after 0.3 s with one full-text item of its own. Both
processes start together; the site must see each feed requested exactly once, every feed must
be polled by one of them, and every article stored once. (Before claims, each process polled
every feed.)
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from bot.store.db import Database
from bot.store.models import Article, Feed
from tests.bot.botharness import news_item
from tests.bot.httpserver import LocalServer, Request, Response
from tests.bot.newsfeed import rss
from tests.bot.processes import Ringkas

FEEDS = 40
ANSWER_SECONDS = 0.3


def feed_handler(n: int) -> object:
    """Feed n: one item of its own, answered after a pause."""
    body = rss([news_item(n, f"Peristiwa nomor {n} di daerah", f"Laporan nomor {n} dari daerah.")])

    def handle(_request: Request) -> Response:
        time.sleep(ANSWER_SECONDS)
        return Response(200, body, {"Content-Type": "application/rss+xml"})

    return handle


async def _add_feeds(url: str, site: LocalServer) -> None:
    db = Database(url)
    try:
        async with db.sessionmaker.begin() as session:
            session.add_all(Feed(url=site.url(f"/feed/{n}"), name=f"Kabar {n}") for n in range(FEEDS))
    finally:
        await db.dispose()


async def _stored(url: str) -> tuple[int, int]:
    """(articles stored, feeds whose next fetch lies in the future)."""
    db = Database(url)
    try:
        async with db.sessionmaker() as session:
            articles = await session.scalar(select(func.count()).select_from(Article))
            polled = await session.scalar(select(func.count()).where(Feed.next_fetch_at > datetime.now(UTC)))
        return int(articles or 0), int(polled or 0)
    finally:
        await db.dispose()


def test_two_fetch_passes_poll_each_feed_once(fresh_postgres: str, tmp_path: Path) -> None:
    env = {
        "DATABASE_URL": fresh_postgres,
        "RINGKAS_ALLOW_PRIVATE_URLS": "true",
        "RINGKAS_FETCH_HOST_DELAY": "0",
        "RINGKAS_FETCH_PER_HOST": "8",
        "RINGKAS_PARSE_WORKERS": "1",
    }
    with LocalServer() as site:
        for n in range(FEEDS):
            site.route(f"/feed/{n}", feed_handler(n))  # type: ignore[arg-type]
        asyncio.run(_add_feeds(fresh_postgres, site))
        passes = [Ringkas(["fetch", "--json"], env, tmp_path / f"{n}.log") for n in "ab"]
        for process in passes:
            assert process.proc.wait(240) == 0, process.text()
        requested = Counter(r.path for r in site.requests)
    assert requested == Counter({f"/feed/{n}": 1 for n in range(FEEDS)}), {p: c for p, c in requested.items() if c != 1}
    polled = [json.loads(p.output()) for p in passes]
    ids = [row["feed_id"] for rows in polled for row in rows]
    assert len(ids) == len(set(ids)) == FEEDS
    assert all(row["new"] == 1 and not row["error"] for rows in polled for row in rows)
    assert asyncio.run(_stored(fresh_postgres)) == (FEEDS, FEEDS)
