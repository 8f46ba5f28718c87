"""Ingest throughput on a loopback news site, through the real pipeline (fetch, parse, extract,
clean, summarize, group, store, index), on SQLite and (when reachable) PostgreSQL.

Two passes on each database, each over a fresh set of feeds on 127.0.0.1 (served by a process
of its own): full-text feeds, whose items carry the whole article (no page fetched), then teaser
feeds, whose items carry a lead and whose article pages are fetched and extracted. Parsing,
extraction and summarizing run in 2 worker processes as in the bot (``--inline``: in the
benchmark's own process). Every page is on one host, so the per-host politeness (2 at once, 1 s
apart) is lifted here. Prints articles/second, the CPU seconds of the ingesting process and of
its workers, and peak memory. Article texts come from ../shared/data/indosum-dev.jsonl when
present (else a synthetic text).

Several ``ringkas fetch`` processes sharing one database: ``benchmarks/fetch_scaling_bench.py``.

    .venv/bin/python benchmarks/ingest_bench.py [--feeds 100] [--items 5] [--inline]
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.search_bench import drop_postgres_database, machine, postgres_database  # noqa: E402
from bot.ingest.fetch import Fetcher, FetchLimits  # noqa: E402
from bot.ingest.pipeline import ingest_feeds  # noqa: E402
from bot.ingest.workers import InlineWork, Work, WorkerPool  # noqa: E402
from bot.store.db import Database  # noqa: E402
from bot.store.models import Feed  # noqa: E402
from tests.bot.httpserver import LocalServer, Request, Response  # noqa: E402
from tests.bot.newsfeed import BODY, Item, rss  # noqa: E402

DEV = ROOT.parent / "shared" / "data" / "indosum-dev.jsonl"
PG_URL = os.environ.get("RINGKAS_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
FULL_TEXT_WORDS = 150  # a feed text at least this long is the whole article (the teaser cut is 120)
RSS_TYPE = {"Content-Type": "application/rss+xml"}


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


def serve_site(server: LocalServer, kind: str, feeds: int, items: int, corpus: list[str], first: int) -> list[str]:
    """Route ``feeds`` feeds of ``items`` items (``kind`` "teaser", else full text) and their pages; their URLs."""
    now = datetime.now(UTC)
    pages: dict[str, bytes] = {}
    urls = []
    for f in range(feeds):
        entries = []
        for i in range(items):
            n = first + f * items + i
            text = corpus[n % len(corpus)]
            if kind != "teaser" and len(text.split()) < FULL_TEXT_WORDS:  # two short texts make one long one
                text = f"{text}\n\n{corpus[(n + 1) % len(corpus)]}"
            title = f"Berita {n}: " + " ".join(text.split()[:8])
            path = f"/{kind}/artikel/{f}/{i}"
            published = now - timedelta(minutes=n % 600)
            if kind != "teaser":
                lead, body = text.split("\n\n", 1) if "\n\n" in text else (text, "")
                entries.append(Item(title, server.url(path), published, lead, body=body))
            else:
                pages[path] = page(title, text)
                entries.append(Item(title, server.url(path), published, text[:200] + "...", body=""))
        body_bytes = rss(entries, title=f"Kabar {kind} {f}")
        server.route(f"/{kind}/{f}.xml", lambda _r, b=body_bytes: Response(200, b, RSS_TYPE))
        urls.append(server.url(f"/{kind}/{f}.xml"))

    def serve_page(request: Request) -> Response:
        """The article page at the request's path."""
        return Response(200, pages[request.path], {"Content-Type": "text/html; charset=utf-8"})

    for path in pages:
        server.route(path, serve_page)
    return urls


def workers_cpu(pool: WorkerPool | None) -> float:
    """CPU seconds the pool's live worker processes have used so far (Linux /proc; 0 inline)."""
    total = 0
    for worker in [*pool._idle, *pool._busy] if pool is not None else []:
        stat = Path(f"/proc/{worker.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(stat[11]) + int(stat[12])  # utime and stime, in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def workers_peak_mb(pool: WorkerPool | None) -> float:
    """The largest peak resident memory of the pool's live workers, MB (Linux /proc; 0 inline)."""
    peaks = [0.0]
    for worker in [*pool._idle, *pool._busy] if pool is not None else []:
        for line in Path(f"/proc/{worker.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks)


async def add_feeds(db: Database, urls: list[str]) -> list[int]:
    """Add the feeds; their ids."""
    async with db.sessionmaker.begin() as session:
        rows = [Feed(url=url, name=f"Kabar {n}") for n, url in enumerate(urls)]
        session.add_all(rows)
        await session.flush()
        return [row.id for row in rows]


def site(conn: Connection, feeds: int, items: int) -> None:
    """Serve the warm-up feed and both kinds of feeds from this process until told to stop; send their URLs."""
    corpus = texts()
    with LocalServer() as server:
        urls = {"warm": serve_site(server, "warm", 1, 2, corpus, len(corpus) // 2)}
        for n, kind in enumerate(("full", "teaser")):
            urls[kind] = serve_site(server, kind, feeds, items, corpus, n * feeds * items)
        conn.send(urls)
        conn.recv()


async def run(url: str, feeds: int, items: int, inline: bool) -> dict[str, dict[str, float]]:
    """Serve both kinds of feeds and ingest each kind once; per kind: counts, seconds, CPU and memory."""
    out: dict[str, dict[str, float]] = {}
    # The site runs in a process of its own, as a real one would: its threads take no CPU or
    # GIL from the process measured. Forked now, before this process has an event loop.
    ours, theirs = multiprocessing.Pipe()
    server = multiprocessing.get_context("fork").Process(target=site, args=(theirs, feeds, items), daemon=True)
    server.start()
    urls: dict[str, list[str]] = ours.recv()
    db = Database(url)
    await db.upgrade()
    pool = None if inline else WorkerPool(2, 60.0)
    work: Work = pool or InlineWork()
    if pool is not None:  # workers start before the clock does, as in a running bot
        await asyncio.gather(pool.run(len, b""), pool.run(len, b""))
    async with Fetcher(FetchLimits(concurrency=16), allow_private=True) as fetcher:
        # Grouping loads numpy and its trees with the first article, once per process: before the clock too.
        await ingest_feeds(db, fetcher, await add_feeds(db, urls["warm"]), work=work)
        for kind in ("full", "teaser"):
            ids = await add_feeds(db, urls[kind])
            started, cpu, workers = time.perf_counter(), time.process_time(), workers_cpu(pool)
            results = await ingest_feeds(db, fetcher, ids, work=work)
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            out[kind] = {
                "items": sum(r.new for r in results),
                "errors": sum(r.errors for r in results),
                "warnings": sum(r.warnings for r in results),
                "seconds": elapsed,
                "rate": sum(r.new for r in results) / elapsed,
                "cpu": cpu,
                "worker_cpu": workers_cpu(pool) - workers,
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "worker_mb": workers_peak_mb(pool),
            }
    if pool is not None:
        await pool.aclose()
    await db.dispose()
    ours.send(None)
    server.join()
    return out


def throughput(args: argparse.Namespace) -> None:
    """Measure on SQLite and PostgreSQL (each in a fresh process) and print the table."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        targets: list[tuple[str, str]] = [("SQLite", f"sqlite:///{tmp}/ingest.db")]
        pg_url, pg_name, _version = postgres_database(PG_URL)
        if pg_url is not None:
            targets.append(("PostgreSQL", pg_url))
        try:
            for name, url in targets:
                command = [sys.executable, __file__, "--child", url, "--feeds", str(args.feeds), "--items"]
                command += [str(args.items), *(["--inline"] if args.inline else [])]
                out = subprocess.run(command, capture_output=True, text=True, check=True)
                rows.append((name, json.loads(out.stdout.strip().splitlines()[-1])))
        finally:
            if pg_url is not None:
                drop_postgres_database(PG_URL, pg_name)
    print(f"\nMachine: {machine()}; load average {os.getloadavg()[0]:.1f} at the end")
    where = "in the benchmark process" if args.inline else "in 2 worker processes"
    print(f"{args.feeds} feeds x {args.items} items of each kind, served from 127.0.0.1; parsing {where}.\n")
    print(
        "| database | feeds | articles stored | errors | seconds | articles/s | CPU s (main / workers) | peak RSS MB |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name, kinds in rows:
        for kind, r in kinds.items():
            label = "full text" if kind == "full" else "teasers (page fetched)"
            print(
                f"| {name} | {label} | {r['items']:.0f} | {r['errors']:.0f} | {r['seconds']:.1f} | {r['rate']:.1f} "
                f"| {r['cpu']:.1f} / {r['worker_cpu']:.1f} | {r['peak_mb']:.0f} / {r['worker_mb']:.0f} |"
            )


def main() -> None:
    """Parse the arguments and run the chosen measurement."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=100, help="feeds of each kind")
    parser.add_argument("--items", type=int, default=5, help="items per feed")
    parser.add_argument("--inline", action="store_true", help="parse in this process (before #8)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(run(args.child, args.feeds, args.items, args.inline))))
        return
    throughput(args)


if __name__ == "__main__":
    main()
