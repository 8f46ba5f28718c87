"""Cost of the health report and of the search suggestions, on SQLite and (when reachable) PostgreSQL.

A database gets 200 feeds (all stale, so every feed row is read: the slowest path),
20,000 deliveries (all but 50 sent, those 50 stuck) and 5,000 articles seen in the last 24 hours
with synthetic headlines; then ``check_health`` (what ``ringkas health`` and
``/healthz`` run) and ``common_topics`` (what a search with no result runs) are timed 30 times
each and p50/max are printed as a Markdown table.

    .venv/bin/python benchmarks/health_bench.py [--articles 5000] [--runs 30]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from sqlalchemy import insert, make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.store.db import Database
from bot.store.health import check_health
from bot.store.models import Article, Delivery, Feed, Subscriber
from bot.store.topics import TOPIC_WINDOW, common_topics

# Headline vocabulary: topics, places and institutions an Indonesian news day mixes.
_VOCABULARY = """banjir gempa pemilu harga beras cabai jalan tol macet presiden menteri polisi korupsi sekolah
guru rumah sakit pasien vaksin kereta bandara pesawat kapal nelayan petani pupuk listrik bensin pajak bank
rupiah saham ekspor impor timnas liga sepak bola jakarta bandung surabaya medan makassar"""
WORDS = tuple(_VOCABULARY.split())


async def fill(db: Database, articles: int) -> None:
    """Feeds, subscribers with deliveries, and today's articles, in bulk."""
    rng, now = random.Random(7), datetime.now(UTC)
    await db.upgrade()
    async with db.sessionmaker.begin() as s:
        await s.execute(
            insert(Feed),
            [
                {
                    "url": f"https://f{i}.example/rss",
                    "name": f"F{i}",
                    "created_at": now,
                    "last_success_at": now - timedelta(hours=2),
                }
                for i in range(200)
            ],
        )
        await s.execute(insert(Subscriber), [{"chat_id": i} for i in range(1, 20_001)])
        await s.execute(
            insert(Delivery),
            [
                {
                    "subscriber_id": i,
                    "kind": "digest",
                    "key": "digest:x",
                    "payload": ["x"],
                    "created_at": now - timedelta(hours=1),
                    "status": "pending" if i <= 50 else "sent",
                }
                for i in range(1, 20_001)
            ],
        )
        await s.execute(
            insert(Article),
            [
                {
                    "url": f"https://a.example/{i}",
                    "canonical_url": f"https://a.example/{i}",
                    "source": "A",
                    "title": " ".join(rng.choice(WORDS).capitalize() for _ in range(6)),
                    "published_at": now,
                    "first_seen_at": now - timedelta(minutes=rng.randrange(1440)),
                }
                for i in range(articles)
            ],
        )


async def timed(action: Callable[[], Awaitable[object]], runs: int) -> tuple[float, float]:
    """p50 and max milliseconds over the runs (after one warm-up)."""
    await action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        await action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


async def measure(name: str, url: str, args: argparse.Namespace) -> None:
    """Fill the database and print its two table rows."""
    db = Database(url)
    try:
        await fill(db, args.articles)

        async def topics() -> object:
            async with db.sessionmaker() as session:
                return await common_topics(session, datetime.now(UTC) - TOPIC_WINDOW, exclude="zzz")

        for label, action in (("check_health", lambda: check_health(db)), ("common_topics", topics)):
            p50, worst = await timed(action, args.runs)
            print(f"| {name} | {label} | {p50:.1f} | {worst:.1f} |", flush=True)
    finally:
        await db.dispose()


async def main() -> None:
    """Both databases, one table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    # Every report here fails on purpose (the slowest path); its warnings would drown the table.
    logging.getLogger("bot").setLevel(logging.ERROR)
    print("| database | call | p50 ms | max ms |\n|---|---|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        await measure("SQLite", f"sqlite:///{tmp}/bench.db", args)
    raw = os.environ.get("RINGKAS_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    admin = make_url(raw).set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"ringkas_bench_{secrets.token_hex(4)}"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"'.encode())
    except psycopg.Error as exc:
        print(f"(PostgreSQL skipped: {exc})")
        return
    try:
        await measure("PostgreSQL", make_url(raw).set(database=name).render_as_string(hide_password=False), args)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())


if __name__ == "__main__":
    asyncio.run(main())
