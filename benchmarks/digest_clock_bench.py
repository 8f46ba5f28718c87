"""The digest clock at scale: 100,000 subscribers on SQLite and (when reachable) PostgreSQL.

Fills the subscribers table (digest at 07:00 local, 70 % WIB, 20 % WITA, 10 % WIT; one in
twenty with a source filter, so digests differ) and 20 stories, then times the real
``bot.telegram.schedule_digest.queue_due_digests``:

* the tick when nobody is due (before the first 07:00, and again once every digest is
  queued): median and worst of many ticks; target under 10 ms;
* finding and queueing every due digest at once (everyone's 07:00 has passed): seconds and
  the process's peak RSS while it runs; target 6 s (each distinct digest is stored once, the
  ledger rows refer to it).

Prints a Markdown table with a description of the machine.

    .venv/bin/python benchmarks/digest_clock_bench.py [--subscribers 100000] [--no-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.search_bench import drop_postgres_database, machine, postgres_database
from bot.store.db import Database
from bot.store.digest_due import scheduled_due
from bot.store.models import Article, Delivery, SourceFilter, Story, Subscriber
from bot.telegram.schedule_digest import queue_due_digests

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
ZONES = (("Asia/Jakarta", 7), ("Asia/Makassar", 2), ("Asia/Jayapura", 1))
FILL_BATCH = 5_000
STORIES = 20
IDLE_TICKS = 200
# 07:00 WIT (the earliest) on the benchmark's day is 22:00 UTC the day before.
DAY = datetime(2026, 11, 30, tzinfo=UTC)
BEFORE_ANYONE = DAY - timedelta(hours=2, minutes=1)
AFTER_EVERYONE = DAY + timedelta(hours=1)
TARGET_QUEUE_S, TARGET_IDLE_MS = 6.0, 10.0


def zone_of(n: int) -> str:
    """70 % WIB, 20 % WITA, 10 % WIT, interleaved."""
    slot = n % 10
    return ZONES[0][0] if slot < 7 else ZONES[1][0] if slot < 9 else ZONES[2][0]


async def fill(db: Database, count: int) -> float:
    """Subscribers (schedule set a day earlier), a few source filters, and stories; seconds taken."""
    started = time.perf_counter()
    changed = DAY - timedelta(days=1)
    async with db.sessionmaker.begin() as session:
        for start in range(0, count, FILL_BATCH):
            rows = [
                {
                    "chat_id": 1_000_000 + n,
                    "chat_type": "private",
                    "subscribed": True,
                    "active": True,
                    "digest_time": "07:00",
                    "timezone": zone_of(n),
                    "schedule_changed_at": changed,
                    "next_digest_at": scheduled_due(
                        active=True,
                        subscribed=True,
                        digest_time="07:00",
                        tz=zone_of(n),
                        changed_at=changed,
                        now=changed,
                    ),
                }
                for n in range(start, min(start + FILL_BATCH, count))
            ]
            await session.execute(insert(Subscriber), rows)
        ids = (await session.scalars(select(Subscriber.id).where(Subscriber.id % 20 == 0))).all()
        await session.execute(
            insert(SourceFilter),
            [{"subscriber_id": sid, "kind": "category", "value": f"kategori{sid % 5}"} for sid in ids],
        )
        for n in range(STORIES):
            story = Story(
                title=f"Berita Uji Nomor {n}",
                category=f"kategori{n % 5}",
                first_seen_at=DAY - timedelta(hours=5),
                updated_at=DAY - timedelta(hours=5),
                article_count=1,
                source_count=1,
            )
            session.add(story)
            await session.flush()
            article = Article(
                story_id=story.id,
                url=f"https://kabar.example/{n}",
                canonical_url=f"https://kabar.example/{n}",
                title=story.title,
                published_at=story.first_seen_at,
                first_seen_at=story.first_seen_at,
                source="Kabar Uji",
                category=story.category,
                text="Isi berita.",
                summary=[[0, f"Kalimat ringkasan berita nomor {n}."]],
            )
            session.add(article)
            await session.flush()
            story.lead_article_id = article.id
    return time.perf_counter() - started


class PeakRss:
    """Samples the process's resident memory from a thread while a block runs."""

    def __init__(self) -> None:
        self.peak = self.start = _rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, _rss_mb())

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_mb())


def _rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


async def idle_ticks(db: Database, now: datetime) -> list[float]:
    """Milliseconds per tick when nobody is due."""
    timings = []
    for _ in range(IDLE_TICKS):
        started = time.perf_counter()
        assert await queue_due_digests(db, now) == []
        timings.append((time.perf_counter() - started) * 1000)
    return timings


async def bench(url: str, count: int) -> dict[str, float]:
    """Fill, then time idle ticks, the full queueing run, and idle ticks again."""
    db = Database(url)
    try:
        await db.upgrade()
        fill_s = await fill(db, count)
        before = await idle_ticks(db, BEFORE_ANYONE)
        load = os.getloadavg()[0]
        with PeakRss() as rss:
            started, cpu = time.perf_counter(), time.process_time()
            queued = await queue_due_digests(db, AFTER_EVERYONE)
            queue_s, cpu_s = time.perf_counter() - started, time.process_time() - cpu
        after = await idle_ticks(db, AFTER_EVERYONE + timedelta(minutes=1))
        async with db.sessionmaker() as session:
            rows = await session.scalar(select(func.count()).select_from(Delivery))
        assert len(queued) == count == rows, (len(queued), count, rows)
        idle = before + after
        return {
            "fill_s": fill_s,
            "queued": len(queued),
            "queue_s": queue_s,
            "cpu_s": cpu_s,
            "load": load,
            "peak_mb": rss.peak,
            "rss_growth_mb": rss.peak - rss.start,
            "idle_p50": statistics.median(idle),
            "idle_max": max(idle),
            "idle_p95": sorted(idle)[int(len(idle) * 0.95)],
        }
    finally:
        await db.dispose()


def main() -> int:
    """Run on each database and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--postgres-url", default=os.environ.get("RINGKAS_TEST_POSTGRES_URL", DEFAULT_POSTGRES))
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    results: list[tuple[str, dict[str, float]]] = []
    notes = []
    with tempfile.TemporaryDirectory(prefix="ringkas-bench-") as tmp:
        results.append(("SQLite", asyncio.run(bench(f"sqlite:///{tmp}/bench.db", args.subscribers))))
    if not args.no_postgres:
        url, name, version = postgres_database(args.postgres_url)
        if url is None:
            notes.append(name)
        else:
            try:
                results.append((f"PostgreSQL {version}", asyncio.run(bench(url, args.subscribers))))
            finally:
                drop_postgres_database(args.postgres_url, name)
    print(f"## Digest clock, {args.subscribers:,} subscribers all due at once\n")
    print(f"Machine: {machine()}\n")
    print(
        "| database | queued | find + queue all (s) | of which bot CPU (s) | peak RSS (MB) | RSS growth (MB) "
        "| idle tick p50 ms | p95 ms | max ms | load avg |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, r in results:
        print(
            f"| {name} | {r['queued']:.0f} | {r['queue_s']:.1f} | {r['cpu_s']:.1f} | {r['peak_mb']:.0f} "
            f"| {r['rss_growth_mb']:.0f} | {r['idle_p50']:.2f} | {r['idle_p95']:.2f} | {r['idle_max']:.2f} "
            f"| {r['load']:.1f} |"
        )
    print(
        f"\nTargets: find + queue within {TARGET_QUEUE_S:.0f} s; idle tick under {TARGET_IDLE_MS:.0f} ms "
        f"({IDLE_TICKS * 2} idle ticks per database, half before and half after the run)."
    )
    for note in notes:
        print(f"\nNote: {note}")
    met = all(r["queue_s"] <= TARGET_QUEUE_S and r["idle_p95"] < TARGET_IDLE_MS for _, r in results)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
