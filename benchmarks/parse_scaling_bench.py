"""Parse time against input size for hostile documents, and the bot's answer time meanwhile.

Part 1 parses each hostile feed of ``tests/bot/ingest/hostile.py`` (unclosed ``<item`` in CDATA,
50,000-teaser feeds, deep nesting, entity storms, huge attributes, unclosed markup, bare item
images) at four sizes doubling up to 5 MB, and cleans each hostile page of
``tests/summarizer/page/test_clean_properties.py`` the same way; a linear parser shows a ratio near
2 per doubling (a quadratic one 4). Part 2 reads OPML files of 5,000 to 40,000 outlines.
Part 3 runs the real bot against the fake Bot API, ingests a 5 MB hostile feed through the
real ingest path (``ingest_one``: fetch, parse in a worker process, items stored), sends
``/start`` every 0.2 s meanwhile and prints how long the answers took; then the same with the
parse on the event loop (as before issue #8) for comparison.

    .venv/bin/python benchmarks/parse_scaling_bench.py [--max-mb 5] [--skip-bot]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.ingest.feedparse import FeedParseError, parse_feed  # noqa: E402
from bot.ingest.schedule import ingest_one  # noqa: E402
from bot.ingest.workers import InlineWork  # noqa: E402
from bot.store.feeds import parse_opml  # noqa: E402
from bot.store.models import Feed  # noqa: E402
from summarizer.page.clean import clean_page  # noqa: E402
from tests.bot.botharness import USER_ID, bot_settings, running_bot, runtime  # noqa: E402
from tests.bot.httpserver import LocalServer, respond  # noqa: E402
from tests.bot.ingest.hostile import FEEDS, many_teasers  # noqa: E402
from tests.fakes import FakeTelegram  # noqa: E402
from tests.summarizer.page.test_clean_properties import PAGES  # noqa: E402

FETCHED_AT = datetime(2026, 11, 30, tzinfo=UTC)
PROBE_INTERVAL = 0.2
ITEMS = 10


def timed(action: Callable[[], Any]) -> float:
    """Seconds one call of ``action`` takes (a FeedParseError counts as done)."""
    start = time.perf_counter()
    with contextlib.suppress(FeedParseError):
        action()
    return time.perf_counter() - start


def doubling_ratio(times: list[float]) -> float:
    """Geometric mean of t(2n)/t(n): about 2 when time grows linearly, 4 when quadratically."""
    ratios = [b / a for a, b in itertools.pairwise(times) if a > 0]
    return statistics.geometric_mean(ratios) if ratios else float("nan")


def scaling_table(
    title: str, cases: dict[str, Callable[[int], Any]], sizes: list[int], run: Callable[[Any], Any]
) -> None:
    """Print one Markdown row per case: seconds at each size and the ratio per doubling."""
    print(f"\n**{title}**\n")
    print("| input | " + " | ".join(f"{s / 1e6:.2f} MB" for s in sizes) + " | ratio per doubling |")
    print("|---|" + "---:|" * (len(sizes) + 1))
    for name, make in cases.items():
        times = []
        for size in sizes:
            document = make(size)
            times.append(timed(lambda document=document: run(document)))
        cells = " | ".join(f"{t:.3f} s" for t in times)
        print(f"| {name} | {cells} | {doubling_ratio(times):.2f} |", flush=True)


def opml(outlines: int) -> bytes:
    """An OPML file of ``outlines`` feeds in categories of 100."""
    groups = []
    for start in range(0, outlines, 100):
        inner = "".join(
            f'<outline type="rss" text="F{i}" xmlUrl="https://f{i}.example/rss"/>'
            for i in range(start, min(start + 100, outlines))
        )
        groups.append(f'<outline text="kategori{start // 100}">{inner}</outline>')
    return f'<opml version="2.0"><body>{"".join(groups)}</body></opml>'.encode()


def opml_table() -> None:
    """Print OPML read time for 5,000 to 40,000 outlines (82 s for 40,000 before issue #8)."""
    counts = [5_000, 10_000, 20_000, 40_000]
    times = [timed(lambda n=n: parse_opml(opml(n))) for n in counts]
    print("\n**OPML import (reading outlines)**\n")
    print("| outlines | " + " | ".join(f"{n:,}" for n in counts) + " | ratio per doubling |")
    print("|---|" + "---:|" * (len(counts) + 1))
    print("| seconds | " + " | ".join(f"{t:.3f}" for t in times) + f" | {doubling_ratio(times):.2f} |")


def probe(tg: FakeTelegram, stop: threading.Event, waits: list[float]) -> None:
    """Send /start every PROBE_INTERVAL s from outside the bot's event loop; record answer times."""
    while not stop.is_set():
        sent = time.perf_counter()
        tg.send_text(USER_ID, "/start", user_id=USER_ID)
        tg.wait_for_messages(USER_ID, len(waits) + 1, timeout=600)
        waits.append(time.perf_counter() - sent)
        stop.wait(PROBE_INTERVAL)


async def probe_while_ingesting(size: int, *, inline: bool) -> dict[str, Any]:
    """Ingest a hostile feed in the real bot while /start is sent every 0.2 s; answer times."""
    with tempfile.TemporaryDirectory() as tmp, FakeTelegram() as tg, LocalServer() as site:
        site.route("/rss", respond(many_teasers(size), headers={"Content-Type": "application/rss+xml"}))
        # A few items are enough: this measures the parse, not the page fetches after it.
        settings = bot_settings(tg, f"sqlite:///{Path(tmp) / 'bench.db'}", ringkas_max_items_per_poll=ITEMS)
        async with running_bot(settings) as app:
            services = runtime(app).services
            if inline:
                services.work = InlineWork()  # type: ignore[assignment]
            async with services.db.sessionmaker.begin() as session:
                feed = Feed(url=site.url("/rss"), name="Hostile")
                session.add(feed)
                await session.flush()
                feed_id = feed.id
            await services.work.run(len, b"")  # warm-up: the worker is started before timing
            waits: list[float] = []
            stop = threading.Event()
            # The prober is a thread of its own: on the bot's loop it would freeze with the bot.
            prober = threading.Thread(target=probe, args=(tg, stop, waits), daemon=True)
            started = time.perf_counter()
            prober.start()
            result = await ingest_one(services, feed_id)
            elapsed = time.perf_counter() - started
            stop.set()
            await asyncio.to_thread(prober.join, 600)
            return {
                "ingest": elapsed,
                "probes": len(waits),
                "max": max(waits),
                "median": statistics.median(waits),
                "new": result.new,
                "error": result.error or "-",
            }


def bot_table(size: int) -> None:
    """Print /start answer times while a hostile feed is ingested, worker pool vs on the loop."""
    print(
        f"\n**/start while a {size / 1e6:.0f} MB hostile feed is ingested** "
        f"({len(many_teasers(size)) / 1e6:.1f} MB, real app, fake Bot API, /start every {PROBE_INTERVAL} s)\n"
    )
    print(
        f"| parse runs | ingest s (≤{ITEMS} items stored) | /start answers | median s | max s | items stored | feed error |"
    )
    print("|---|---:|---:|---:|---:|---:|---|")
    for inline in (False, True):
        row = asyncio.run(probe_while_ingesting(size, inline=inline))
        where = "on the event loop (before #8)" if inline else "in a worker process"
        print(
            f"| {where} | {row['ingest']:.1f} | {row['probes']:.0f} | {row['median']:.3f} | "
            f"{row['max']:.3f} | {row['new']:.0f} | {row['error']} |",
            flush=True,
        )


def main() -> None:
    """Run the three parts and print their tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-mb", type=float, default=5.0, help="largest document (default 5 MB)")
    parser.add_argument("--skip-bot", action="store_true", help="only the parse tables")
    parser.add_argument("--only-bot", action="store_true", help="only the /start measurement")
    args = parser.parse_args()
    top = int(args.max_mb * 1_000_000)
    sizes = [top // 8, top // 4, top // 2, top]
    if args.only_bot:
        bot_table(top)
        return
    scaling_table(
        "Feed parsing (parse_feed)",
        dict(FEEDS),
        sizes,
        lambda data: parse_feed(data, url="https://kabar.example/rss", fetched_at=FETCHED_AT),
    )
    scaling_table("Page cleaning (clean_page)", dict(PAGES), [s // 4 for s in sizes], clean_page)
    opml_table()
    if not args.skip_bot:
        bot_table(top)


if __name__ == "__main__":
    main()
