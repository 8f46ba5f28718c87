"""Cost of assigning one article to a story with 20,000 articles in the window.

The window is filled in bulk with the state ``assign_story`` would have left: articles from
``../shared/data/multi-outlet-2025-06-10.jsonl`` with their fingerprints, grouped into stories
and threads as the shipped grouping groups that file (copied with shifted times until there are
``--window`` of them), each story with its centroid and indexed key terms. Then
``--articles`` further real articles are assigned one by one through
``bot.store.stories.assign_story``, each in its own transaction as ingestion does, and the
time of the call (fingerprint, candidate lookup with members, pair models, updates) is printed as p50/p95/max per
database in a Markdown table with the machine and its load.

    .venv/bin/python benchmarks/cluster_bench.py [--window 20000] [--articles 300] [--no-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select, update

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster_replay import corpus, replay
from search_bench import (
    DEFAULT_POSTGRES,
    drop_postgres_database,
    machine,
    percentile,
    postgres_database,
)

from bot.cli.cluster import Item, read_items
from bot.store.cluster import DEFAULT_SETTINGS, key_terms
from bot.store.db import Database
from bot.store.models import Article, ArticlePrint, Story, StoryTerm, Thread
from bot.store.pairs import dumps
from bot.store.stories import assign_story
from bot.store.storyvec import add, encode

ARTICLES = Path(__file__).resolve().parents[2] / "shared" / "data" / "multi-outlet-2025-06-10.jsonl"
NOW = datetime(2025, 6, 10, 12, 0, tzinfo=UTC)
BATCH = 1000


async def fill(db: Database, items: list[Item], count: int) -> float:
    """Insert ``count`` articles spread over the last 30 hours (inside the window), grouped into
    stories and threads as the shipped grouping leaves them (the file's own grouping, copied with
    shifted times and new ids until there are ``count``); seconds taken."""
    started = time.perf_counter()
    data = corpus(items)
    story_of, thread_of = replay(data, DEFAULT_SETTINGS)
    stories_per_copy = max(story_of.values()) + 1
    threads_per_copy = max(thread_of.values()) + 1
    prints = [dumps(p) for p in data.prints]
    centroids: dict[int, dict[str, float]] = {}
    last_at: dict[int, datetime] = {}
    for start in range(0, count, BATCH):
        stories: dict[int, dict[str, object]] = {}
        threads: dict[int, dict[str, object]] = {}
        articles = []
        article_prints = []
        for n in range(start, min(count, start + BATCH)):
            k, copy = n % len(data.items), n // len(data.items)
            item, when = data.items[k], NOW - timedelta(hours=30 * (count - n) / count)
            sid = copy * stories_per_copy + story_of[item.id] + 1
            tid = copy * threads_per_copy + thread_of[item.id] + 1
            last_at[sid] = when
            centroids[sid] = add(centroids.get(sid, {}), data.prints[k].body, DEFAULT_SETTINGS.centroid_terms)
            stories[sid] = {"id": sid, "title": item.title, "first_seen_at": when, "updated_at": when,
                            "article_count": 1, "source_count": 1, "independent_count": 1, "lead_article_id": n + 1,
                            "centroid": encode(centroids[sid]), "last_published_at": when, "category": "umum",
                            "thread_id": tid}  # fmt: skip
            threads[tid] = {"id": tid, "title": item.title, "first_seen_at": when, "last_published_at": when}
            articles.append(
                {"id": n + 1, "story_id": sid, "url": f"https://bench.example/{n}",
                 "canonical_url": f"https://bench.example/{n}", "title": item.title, "published_at": when,
                 "first_seen_at": when, "source": item.outlet, "text": item.text, "summary": [],
                 "signature": encode(data.prints[k].body), "category": "umum"}
            )  # fmt: skip
            article_prints.append({"article_id": n + 1, "story_id": sid, "published_at": when, "source": item.outlet,
                                   "fingerprint": prints[k]})  # fmt: skip
        async with db.sessionmaker.begin() as session:
            known = set(await session.scalars(select(Story.id).where(Story.id.in_(list(stories)))))
            known_threads = set(await session.scalars(select(Thread.id).where(Thread.id.in_(list(threads)))))
            if new_threads := [t for tid, t in threads.items() if tid not in known_threads]:
                await session.execute(insert(Thread), new_threads)
            for tid in known_threads:
                await session.execute(
                    update(Thread).where(Thread.id == tid).values(last_published_at=threads[tid]["last_published_at"])
                )
            if new_stories := [s for sid, s in stories.items() if sid not in known]:
                await session.execute(insert(Story), new_stories)
            for sid in known:
                values = {k: stories[sid][k] for k in ("centroid", "last_published_at", "updated_at")}
                await session.execute(update(Story).where(Story.id == sid).values(values))
            await session.execute(insert(Article), articles)
            await session.execute(insert(ArticlePrint), article_prints)
    async with db.sessionmaker.begin() as session:
        terms = [
            {"story_id": sid, "term": t, "last_published_at": last_at[sid]}
            for sid, centroid in centroids.items()
            for t in key_terms(centroid, DEFAULT_SETTINGS.story_keys)
        ]
        for start in range(0, len(terms), BATCH):
            await session.execute(insert(StoryTerm), terms[start : start + BATCH])
    if db.dialect == "postgresql":
        async with db.engine.begin() as conn:
            for table in ("stories", "articles", "threads"):
                await conn.exec_driver_sql(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
            await conn.exec_driver_sql("ANALYZE")
    return time.perf_counter() - started


async def time_assignments(db: Database, items: list[Item]) -> list[float]:
    """Milliseconds per ``assign_story`` call for each new article."""
    out = []
    for n, item in enumerate(items):
        async with db.sessionmaker.begin() as session:
            article = Article(
                url=f"https://new.example/{n}",
                canonical_url=f"https://new.example/{n}",
                title=item.title,
                published_at=NOW,
                first_seen_at=NOW,
                source=item.outlet,
                text=item.text,
            )
            session.add(article)
            await session.flush()
            started = time.perf_counter()
            await assign_story(session, article)
            out.append((time.perf_counter() - started) * 1000)
    return out


async def bench(url: str, window: list[Item], new: list[Item], count: int) -> tuple[float, list[float], int]:
    """Fill, then time; returns fill seconds, timings and the stories joined rather than started."""
    db = Database(url)
    try:
        await db.upgrade()
        fill_seconds = await fill(db, window, count)
        timings = await time_assignments(db, new)
        return fill_seconds, timings, 0
    finally:
        await db.dispose()


def main() -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--window", type=int, default=20_000, help="articles already in the window")
    parser.add_argument("--articles", type=int, default=300, help="articles to assign and time")
    parser.add_argument("--postgres-url", default=os.environ.get("RINGKAS_TEST_POSTGRES_URL", DEFAULT_POSTGRES))
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    if not ARTICLES.exists():
        print(f"needs {ARTICLES} (the developers' shared data)", file=sys.stderr)
        return 2
    items = read_items(str(ARTICLES))
    new, window = items[: args.articles], items[args.articles :]
    results: list[tuple[str, float, list[float]]] = []
    with tempfile.TemporaryDirectory(prefix="ringkas-cluster-bench-") as tmp:
        fill_s, timings, _ = asyncio.run(bench(f"sqlite:///{tmp}/bench.db", window, new, args.window))
        results.append(("SQLite", fill_s, timings))
    if not args.no_postgres:
        url, name, version = postgres_database(args.postgres_url)
        if url is not None:
            try:
                fill_s, timings, _ = asyncio.run(bench(url, window, new, args.window))
                results.append((f"PostgreSQL {version}", fill_s, timings))
            finally:
                drop_postgres_database(args.postgres_url, name)
        else:
            print(name, file=sys.stderr)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"## Assigning one article, {args.window:,} articles in the window, {args.articles} assigned\n")
    print(f"Machine: {machine()}; load average {load:.1f} when it finished\n")
    print("| database | fill (s) | p50 ms | p95 ms | max ms | mean ms |\n|---|---:|---:|---:|---:|---:|")
    for name_, fill_s, t in results:
        print(
            f"| {name_} | {fill_s:.1f} | {percentile(t, 50):.2f} | {percentile(t, 95):.2f} | "
            f"{max(t):.2f} | {statistics.fmean(t):.2f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
