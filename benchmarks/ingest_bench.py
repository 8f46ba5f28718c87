"""Ingest throughput: N feeds x M items, each item a teaser whose article page must be fetched,
all served from 127.0.0.1, through the real pipeline (fetch, parse, extract, clean, summarize,
cluster, store, index). Parsing, extraction and summarizing run in 2 worker processes as in
the bot (``--inline``: in the benchmark's own process, as before issue #8). Every page is on
127.0.0.1, so the per-host politeness (2 at once, 1 s apart) is lifted here: with it, one host
gives at most one page a second. Prints items/second and peak memory (the benchmark process
and the largest worker) for SQLite and, when reachable, PostgreSQL. Article texts come from
../shared/data/indosum-dev.jsonl when present (else a synthetic text).

    .venv/bin/python benchmarks/ingest_bench.py [--feeds 200] [--items 20] [--inline]
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.ingest.fetch import Fetcher, FetchLimits  # noqa: E402
from bot.ingest.pipeline import ingest_feeds  # noqa: E402
from bot.ingest.workers import InlineWork, Work, WorkerPool  # noqa: E402
from bot.store.db import Database  # noqa: E402
from bot.store.models import Feed  # noqa: E402
from tests.bot.httpserver import LocalServer, Request, Response  # noqa: E402
from tests.bot.newsfeed import BODY, Item, rss  # noqa: E402

DEV = ROOT.parent / "shared" / "data" / "indosum-dev.jsonl"
PG_URL = os.environ.get("RINGKAS_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def texts() -> list[str]:
    """Article texts: IndoSum's when present, else one synthetic text."""
    if DEV.is_file():
        return [json.loads(line)["text"] for line in DEV.read_text(encoding="utf-8").splitlines()]
    return [BODY]


def page(title: str, text: str) -> bytes:
    """A small news page with navigation and footer around the article."""
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n"))
    return (
        f"<html><head><title>{html.escape(title)}</title></head><body><nav>Beranda | Nasional | Ekonomi</nav>"
        f"<article><h1>{html.escape(title)}</h1>{paragraphs}</article><footer>Hak Cipta</footer></body></html>"
    ).encode()


async def run(url: str, feeds: int, items: int, inline: bool) -> dict[str, float]:
    """Serve the feeds and pages, ingest them all once; return counts, seconds and memory."""
    corpus = texts()
    now = datetime.now(UTC)
    with LocalServer() as server:
        pages: dict[str, bytes] = {}
        for f in range(feeds):
            entries = []
            for i in range(items):
                n = f * items + i
                text = corpus[n % len(corpus)]
                title = f"Berita {n}: " + " ".join(text.split()[:8])
                path = f"/artikel/{f}/{i}"
                pages[path] = page(title, text)
                entries.append(
                    Item(title, server.url(path), now - timedelta(minutes=n % 600), text[:200] + "...", body="")
                )
            feed_bytes = rss(entries, title=f"Kabar {f}")
            server.route(
                f"/feed/{f}.xml", lambda _r, b=feed_bytes: Response(200, b, {"Content-Type": "application/rss+xml"})
            )

        def serve_page(request: Request) -> Response:
            """The article page at the request's path."""
            return Response(200, pages[request.path], {"Content-Type": "text/html; charset=utf-8"})

        for path in pages:
            server.route(path, serve_page)
        db = Database(url)
        await db.upgrade()
        async with db.sessionmaker.begin() as session:
            session.add_all(Feed(url=server.url(f"/feed/{f}.xml"), name=f"Kabar {f}") for f in range(feeds))
        async with db.sessionmaker() as session:
            from sqlalchemy import select

            ids = list((await session.scalars(select(Feed.id))).all())
        pool = None if inline else WorkerPool(2, 60.0)
        work: Work = pool or InlineWork()
        if pool is not None:
            await pool.run(len, b"")  # workers start before the clock does, as in a running bot
        started = time.perf_counter()
        async with Fetcher(FetchLimits(concurrency=16), allow_private=True) as fetcher:
            results = await ingest_feeds(db, fetcher, ids, work=work)
        elapsed = time.perf_counter() - started
        if pool is not None:
            await pool.aclose()
        await db.dispose()
    new = sum(r.new for r in results)
    return {
        "items": new,
        "errors": sum(r.errors for r in results),
        "warnings": sum(r.warnings for r in results),
        "seconds": elapsed,
        "rate": new / elapsed,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def child(args: argparse.Namespace) -> None:
    """Run one database's measurement and print it as JSON."""
    print(json.dumps(asyncio.run(run(args.child, args.feeds, args.items, args.inline))))


def main() -> None:
    """Measure on SQLite and PostgreSQL (each in a fresh process) and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--inline", action="store_true", help="parse in this process (before #8)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        targets = [("SQLite", f"sqlite:///{tmp}/ingest.db")]
        probe = subprocess.run(["psql", PG_URL, "-c", "select 1"], capture_output=True) if PG_URL else None
        if probe is not None and probe.returncode == 0:
            db_name = f"ringkas_bench_{os.getpid()}"
            subprocess.run(["psql", PG_URL, "-c", f"CREATE DATABASE {db_name}"], capture_output=True, check=True)
            targets.append(("PostgreSQL", PG_URL.rsplit("/", 1)[0] + f"/{db_name}"))
        try:
            for name, url in targets:
                out = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--child",
                        url,
                        "--feeds",
                        str(args.feeds),
                        "--items",
                        str(args.items),
                        *(["--inline"] if args.inline else []),
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                rows.append((name, json.loads(out.stdout.strip().splitlines()[-1])))
        finally:
            if len(targets) > 1:
                subprocess.run(
                    ["psql", PG_URL, "-c", f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)"], capture_output=True
                )
    print(
        f"\nMachine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{args.feeds} feeds x {args.items} items, each with an article page, served from 127.0.0.1\n"
    )
    where = "in the benchmark process" if args.inline else "in 2 worker processes"
    print(f"Parsing, extraction and summarizing {where}.\n")
    print("| database | items stored | errors | warnings | seconds | items/s | peak RSS (MB) | worker peak RSS (MB) |")
    print("|---|---|---|---|---|---|---|---|")
    for name, r in rows:
        print(
            f"| {name} | {r['items']:.0f} | {r['errors']:.0f} | {r['warnings']:.0f} | {r['seconds']:.1f} | {r['rate']:.1f} "
            f"| {r['peak_mb']:.0f} | {r['worker_mb']:.0f} |"
        )


if __name__ == "__main__":
    main()
