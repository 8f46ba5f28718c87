"""Several ``ringkas fetch`` processes at once on one database, against a slow loopback site.

Run through ``benchmarks/ingest_bench.py --processes 1 2 4 [--latency 0.25] [--feeds 1000]``.
For each number of processes: a fresh PostgreSQL database (SQLite when PostgreSQL does not
answer) with ``feeds`` feeds of ``items`` full-text items each, all due; a site on 127.0.0.1 that
answers every request after ``latency`` seconds; that many ``python -m bot fetch`` started at
once. Prints the requests the site saw, the feed URLs fetched more than once and the extra
fetches that made (two processes that do not share out the feeds fetch each one twice), the
articles stored, the tracebacks in the processes' logs, and the wall time until the last one
ended. Each process has the bot's fetch limits (8 requests at once) with the per-host politeness
lifted: every feed is on one host here.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from benchmarks.search_bench import drop_postgres_database, machine, postgres_database
from bot.store.db import Database
from bot.store.models import Article, Feed
from tests.bot.httpserver import LocalServer, Request, Response
from tests.bot.newsfeed import Item, rss

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("RINGKAS_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
# Connections the site queues before accepting them: the http.server default (5) would drop
# the SYNs of 4 processes x 8 requests at once, and each dropped SYN costs a 1 s retransmission.
BACKLOG = 1024
# The last line of a traceback: the exception's class (and its message).
ERROR_LINE = re.compile(r"^((?:\w+\.)*\w+(?:Error|Exception|Violation)):", re.MULTILINE)


def slow_site(server: LocalServer, feeds: int, items: int, latency: float, corpus: list[str]) -> list[str]:
    """Route ``feeds`` full-text feeds answered after ``latency`` s each; their URLs."""
    now = datetime.now(UTC)
    urls = []
    for f in range(feeds):
        entries = []
        for i in range(items):
            n = f * items + i
            text = f"{corpus[n % len(corpus)]}\n\n{corpus[(n + 1) % len(corpus)]}"
            lead, body = text.split("\n\n", 1)
            title = f"Berita {n}: " + " ".join(text.split()[:8])
            entries.append(Item(title, server.url(f"/artikel/{f}/{i}"), now - timedelta(minutes=n % 600), lead, body))
        document = rss(entries, title=f"Kabar {f}")

        def answer(_request: Request, document: bytes = document) -> Response:
            """The feed, after the site's latency."""
            time.sleep(latency)
            return Response(200, document, {"Content-Type": "application/rss+xml"})

        server.route(f"/feed/{f}.xml", answer)
        urls.append(server.url(f"/feed/{f}.xml"))
    return urls


async def prepare(url: str, feed_urls: list[str]) -> None:
    """Migrate the database and add the feeds, all due now."""
    db = Database(url)
    await db.upgrade()
    async with db.sessionmaker.begin() as session:
        session.add_all(Feed(url=u, name=f"Kabar {n}") for n, u in enumerate(feed_urls))
    await db.dispose()


async def stored(url: str) -> int:
    """How many articles the database holds."""
    db = Database(url)
    async with db.sessionmaker() as session:
        count = int(await session.scalar(select(func.count()).select_from(Article)) or 0)
    await db.dispose()
    return count


def one_run(url: str, count: int, feeds: int, items: int, latency: float, corpus: list[str]) -> dict[str, Any]:
    """Start ``count`` fetch processes at once on a fresh site and database; what the site saw and how long."""
    with LocalServer() as server, tempfile.TemporaryDirectory() as tmp:
        server._httpd.socket.listen(BACKLOG)  # a listening socket takes a new backlog in place
        asyncio.run(prepare(url, slow_site(server, feeds, items, latency, corpus)))
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "RINGKAS_SEED_FEEDS": "false",
            "RINGKAS_ALLOW_PRIVATE_URLS": "true",
            "RINGKAS_FETCH_HOST_DELAY": "0",
            "RINGKAS_FETCH_PER_HOST": "64",
            "PYTHONPATH": str(ROOT),
        }
        logs = [Path(tmp) / f"fetch-{n}.log" for n in range(count)]
        started = time.perf_counter()
        procs = []
        for log in logs:
            with log.open("w") as err:
                command = [sys.executable, "-m", "bot", "fetch"]
                procs.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=err))
        codes = [p.wait() for p in procs]
        wall = time.perf_counter() - started
        fetched = Counter(r.path for r in server.requests if r.path.startswith("/feed/"))
        text = "\n".join(log.read_text(errors="replace") for log in logs)
        errors = Counter(m.group(1) for m in ERROR_LINE.finditer(text))
    return {
        "requests": len(server.requests),
        "twice": sum(1 for c in fetched.values() if c > 1),
        "extra": sum(c - 1 for c in fetched.values() if c > 1),
        "articles": asyncio.run(stored(url)),
        "tracebacks": text.count("Traceback"),
        "errors": errors,
        "failed": sum(1 for c in codes if c != 0),
        "wall": wall,
    }


def processes(counts: list[int], feeds: int, items: int, latency: float, corpus: list[str]) -> None:
    """Measure each number of processes on a fresh database and print the table."""
    rows = []
    backend = "PostgreSQL"
    for count in counts:
        url, name, _version = postgres_database(PG_URL)
        with tempfile.TemporaryDirectory() as tmp:
            if url is None:
                backend, url = "SQLite", f"sqlite:///{tmp}/ingest.db"
            try:
                rows.append((count, one_run(url, count, feeds, items, latency, corpus)))
            finally:
                if backend == "PostgreSQL":
                    drop_postgres_database(PG_URL, name)
    print(f"\nMachine: {machine()}; load average {os.getloadavg()[0]:.1f} at the end")
    print(f"{backend}; {feeds} feeds x {items} full-text items on 127.0.0.1, {latency:g} s per answer.\n")
    print("| processes | requests | feeds fetched twice or more | extra fetches | articles stored | tracebacks "
          "| failed processes | wall s | feeds/s |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for count, r in rows:
        print(
            f"| {count} | {r['requests']:.0f} | {r['twice']:.0f} | {r['extra']:.0f} | {r['articles']:.0f} "
            f"| {r['tracebacks']:.0f} | {r['failed']:.0f} | {r['wall']:.1f} | {feeds / r['wall']:.1f} |"
        )
    for count, r in rows:
        if r["errors"]:
            common = ", ".join(f"{name} x{n}" for name, n in r["errors"].most_common(3))
            print(f"\n{count} processes, most common errors in the logs: {common}")
