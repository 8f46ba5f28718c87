"""What the reach paths cost: mute words in the digest run, the mute matcher, and a link summarized.

1. ``queue_due_digests`` for N due subscribers on SQLite: without mute words (one shared
   rendering), with the same 5 mute words for all (still one rendering), with 5 source filters
   of their own each (every digest rendered separately, the cost before mute words), and with 5
   mute words of their own each (rendered separately and filtered).
2. ``is_muted`` on a story's title and summary against 50 mute words (the per-chat cap).
3. ``summarize_url`` (fetch through the ingestion fetcher, extract, summarize) of a news page
   served on 127.0.0.1.

Prints a Markdown table.

    .venv/bin/python benchmarks/reach_bench.py [--subscribers 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.ingest.fetch import Fetcher
from bot.ingest.linksummary import summarize_url
from bot.store.db import Database
from bot.store.models import Mute, SourceFilter, Subscriber
from bot.store.mutes import MAX_MUTES, is_muted
from bot.telegram.schedule_digest import queue_due_digests
from tests.bot.botharness import insert_story
from tests.bot.httpserver import LocalServer, respond
from tests.bot.telegram.test_bot_links import ARTICLE

STORY = (
    "Banjir setinggi satu meter merendam ratusan rumah warga di Kemang, Jakarta Selatan. "
    "Petugas mengevakuasi warga lanjut usia ke masjid terdekat. Hujan deras membuat kali meluap."
)


async def digest_run(subscribers: int, mutes: str) -> tuple[float, int]:
    """Seconds for one queue_due_digests over fresh subscribers with the given setup, and digests queued."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/bench.db")
        await db.upgrade()
        for i in range(40):
            await insert_story(
                db,
                f"Berita uji {i} tentang kota {i % 7}",
                [f"Kalimat {i} pertama.", STORY],
                url=f"https://kabar.example/{i}",
            )
        async with db.sessionmaker.begin() as session:
            subs = [
                Subscriber(chat_id=10_000_000 + i, subscribed=True, digest_time="00:00") for i in range(subscribers)
            ]
            session.add_all(subs)
            await session.flush()
            if mutes == "filters":
                session.add_all(
                    SourceFilter(subscriber_id=s.id, kind="category", value=f"x{s.id}y{n}")
                    for s in subs
                    for n in range(5)
                )
            elif mutes != "none":
                session.add_all(
                    Mute(subscriber_id=s.id, word=f"kota {n}" if mutes == "shared" else f"kata{s.id}x{n}")
                    for s in subs
                    for n in range(5)
                )
        started = time.perf_counter()
        queued = await queue_due_digests(db, datetime.now(UTC))
        elapsed = time.perf_counter() - started
        await db.dispose()
        return elapsed, len(queued)


def matcher_rate() -> float:
    """is_muted calls per second against a full list of mute words, once their families are built."""
    words = [f"kata{n}" for n in range(MAX_MUTES - 1)] + ["sepak bola"]
    runs = 2_000
    is_muted(STORY, words)  # the words' families are built once per process; time the checks
    started = time.perf_counter()
    for _ in range(runs):
        is_muted(STORY, words)
    return runs / (time.perf_counter() - started)


async def link_latency(runs: int = 20) -> tuple[float, float]:
    """Median and worst seconds to summarize a local article page."""
    times = []
    with LocalServer() as server:
        server.route("/berita", respond(ARTICLE, headers={"Content-Type": "text/html; charset=utf-8"}))
        async with Fetcher(allow_private=True) as fetcher:
            for _ in range(runs):
                started = time.perf_counter()
                await summarize_url(fetcher, server.url("/berita"))
                times.append(time.perf_counter() - started)
    times.sort()
    return times[len(times) // 2], times[-1]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=2000)
    args = parser.parse_args()
    print("| measurement | value |\n|---|---|")
    for mutes, label in (
        ("none", "no mute words"),
        ("shared", "5 shared mute words"),
        ("filters", "5 own source filters each, no mute words"),
        ("own", "5 own mute words each"),
    ):
        seconds, queued = await digest_run(args.subscribers, mutes)
        print(f"| queue_due_digests, {args.subscribers} subscribers, {label} | {seconds:.2f} s ({queued} queued) |")
    print(f"| is_muted, title+summary vs {MAX_MUTES} words | {matcher_rate():,.0f} calls/s |")
    median, worst = await link_latency()
    print(f"| summarize_url, local page, 20 runs | median {median * 1000:.0f} ms, worst {worst * 1000:.0f} ms |")


if __name__ == "__main__":
    asyncio.run(main())
