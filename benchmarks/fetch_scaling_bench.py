"""Fetch throughput of 1, 2 and 4 ``ringkas fetch`` processes started together on one PostgreSQL database.

1,000 feeds on a loopback site that answers each after 250 ms (``--items 0``: empty feeds, so the
figure is claiming, fetching and parsing, not storing articles; ``--items N`` adds N full-text
items per feed). Every process runs a real ``ringkas fetch`` (claims one due feed at a time in 8
lanes, ``bot.ingest.schedule.fetch_pass``); the site counts the requests per feed, so the table
shows that no feed was fetched twice. The per-host politeness is lifted (every feed is on
127.0.0.1 here; at the default 2 at once, 1 s apart, one host gives two feeds a second).

    .venv/bin/python benchmarks/fetch_scaling_bench.py [--feeds 1000] [--processes 1,2,4] [--delay 0.25]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.search_bench import drop_postgres_database, machine, postgres_database  # noqa: E402
from bot.store.db import Database  # noqa: E402
from bot.store.models import Feed  # noqa: E402
from tests.bot.botharness import news_item  # noqa: E402
from tests.bot.httpserver import LocalServer, Request, Response  # noqa: E402
from tests.bot.newsfeed import rss  # noqa: E402

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


def serve(site: LocalServer, feeds: int, items: int, delay: float) -> None:
    """Route every feed: its items (new ones each feed), after ``delay`` seconds."""
    for n in range(feeds):
        body = rss(
            [news_item(n * 100 + i, f"Peristiwa {n} nomor {i}", f"Laporan {n} nomor {i}.") for i in range(items)]
        )

        def handle(_request: Request, body: bytes = body) -> Response:
            time.sleep(delay)
            return Response(200, body, {"Content-Type": "application/rss+xml"})

        site.route(f"/feed/{n}", handle)


async def prepare(url: str, site: LocalServer, feeds: int) -> None:
    """Migrate and add the feeds, all due."""
    db = Database(url)
    try:
        await db.upgrade()
        async with db.sessionmaker.begin() as session:
            session.add_all(Feed(url=site.url(f"/feed/{n}"), name=f"Kabar {n}") for n in range(feeds))
    finally:
        await db.dispose()


def run(url: str, processes: int, feeds: int, items: int, delay: float, workdir: Path) -> dict[str, float]:
    """One measurement on a fresh database: start the processes together, wait for all."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": url,
        "RINGKAS_SEED_FEEDS": "false",
        "RINGKAS_ALLOW_PRIVATE_URLS": "true",
        "RINGKAS_FETCH_HOST_DELAY": "0",
        "RINGKAS_FETCH_PER_HOST": "64",
    }
    with LocalServer() as site:
        serve(site, feeds, items, delay)
        asyncio.run(prepare(url, site, feeds))
        started = time.monotonic()
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "bot", "fetch", "--json"],
                cwd=workdir,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=(workdir / f"fetch-{processes}-{k}.log").open("wb"),
            )
            for k in range(processes)
        ]
        codes = [p.wait(3600) for p in procs]
        seconds = time.monotonic() - started
        requests = Counter(r.path for r in site.requests)
    return {
        "processes": processes,
        "seconds": seconds,
        "feeds_per_s": feeds / seconds,
        "requests": sum(requests.values()),
        "twice": sum(1 for c in requests.values() if c > 1),
        "missed": feeds - len(requests),
        "failed": sum(c != 0 for c in codes),
    }


def main() -> None:
    """Run the measurements and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--items", type=int, default=0, help="full-text items per feed")
    parser.add_argument("--delay", type=float, default=0.25, help="seconds the site takes per answer")
    parser.add_argument("--processes", default="1,2,4", help="fetch processes started together, comma-separated")
    parser.add_argument("--postgres-url", default=os.environ.get("RINGKAS_TEST_POSTGRES_URL", DEFAULT_POSTGRES))
    args = parser.parse_args()
    rows, version = [], ""
    for count in (int(n) for n in args.processes.split(",")):
        url, scratch, version = postgres_database(args.postgres_url)
        if url is None:
            raise SystemExit(scratch)
        try:
            with tempfile.TemporaryDirectory() as tmp:
                rows.append(run(url, count, args.feeds, args.items, args.delay, Path(tmp)))
        finally:
            drop_postgres_database(args.postgres_url, scratch)
    print(f"\nMachine: {machine()}; load average {os.getloadavg()[0]:.1f}; PostgreSQL {version}")
    print(f"{args.feeds} feeds, {args.items} items each, {args.delay * 1000:.0f} ms per answer\n")
    print("| fetch processes | seconds (start to last exit) | feeds/s | requests | fetched twice | missed | failed |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['processes']:.0f} | {r['seconds']:.1f} | {r['feeds_per_s']:.1f} | {r['requests']:.0f} "
            f"| {r['twice']:.0f} | {r['missed']:.0f} | {r['failed']:.0f} |"
        )


if __name__ == "__main__":
    main()
