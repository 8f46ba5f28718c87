"""/stats at scale, and what the media-group byline costs.

Fills a week of articles (from ``--outlets`` outlets) and deliveries (sent and failed) on SQLite
and (when reachable) PostgreSQL, then times the real ``bot.store.stats.week_series`` (median and
worst of several runs) and ``bot.telegram.chart.draw_week`` (the first call in a fresh process,
which imports matplotlib, and warm calls). Also times ``render_story`` for a story reported by
three outlets of known groups against the same story with outlets the groups file does not know.

Prints Markdown tables with a description of the machine.

    .venv/bin/python benchmarks/stats_chart_bench.py [--articles 100000] [--deliveries 200000] [--no-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.search_bench import drop_postgres_database, machine, postgres_database
from bot.store.db import Database
from bot.store.models import Article, Delivery, Subscriber
from bot.store.stats import week_series
from bot.telegram.render import StoryView, render_story

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
NOW = datetime(2026, 12, 8, 5, 0, tzinfo=UTC)
BATCH = 5_000
RUNS = 5
COLD_DRAW = (
    "import time; t = time.perf_counter();"
    "from datetime import date, timedelta; from bot.store.stats import WeekSeries;"
    "from bot.telegram.chart import chart_words, draw_week;"
    "days = [date(2026, 12, 2) + timedelta(days=n) for n in range(7)];"
    "draw_week(WeekSeries(days, {f'O{n}': [n] * 7 for n in range(12)}, [9] * 7, [1] * 7), chart_words());"
    "print(time.perf_counter() - t)"
)


async def fill(db: Database, articles: int, deliveries: int, outlets: int) -> None:
    """A week of articles spread over the outlets, and deliveries (one in fifty failed)."""
    async with db.sessionmaker.begin() as session:
        sub = Subscriber(chat_id=1)
        session.add(sub)
        await session.flush()
        sub_id = sub.id
    step = timedelta(days=7) / max(articles, 1)
    for start in range(0, articles, BATCH):
        rows = []
        for n in range(start, min(start + BATCH, articles)):
            when, url = NOW - step * n, f"https://o{n % outlets}.example/{n}"
            rows.append(dict(url=url, canonical_url=url, title=f"Berita {n}", published_at=when, first_seen_at=when,
                             source=f"Outlet {n % outlets}"))  # fmt: skip
        async with db.sessionmaker.begin() as session:
            await session.execute(insert(Article), rows)
    step = timedelta(days=7) / max(deliveries, 1)
    for start in range(0, deliveries, BATCH):
        rows = []
        for n in range(start, min(start + BATCH, deliveries)):
            when, failed = NOW - step * n, n % 50 == 0
            rows.append(dict(subscriber_id=sub_id, kind="digest", key=f"digest:{n}", status="failed" if failed else "sent",
                             payload=[], created_at=when, sent_at=None if failed else when))  # fmt: skip
        async with db.sessionmaker.begin() as session:
            await session.execute(insert(Delivery), rows)


async def time_week(url: str, args: argparse.Namespace) -> list[float]:
    """Seconds of each ``week_series`` run on a filled database."""
    db = Database(url)
    await db.upgrade()
    try:
        await fill(db, args.articles, args.deliveries, args.outlets)
        times = []
        for _ in range(RUNS):
            async with db.sessionmaker() as session:
                started = time.perf_counter()
                await week_series(session, NOW, "Asia/Jakarta")
                times.append(time.perf_counter() - started)
        return times
    finally:
        await db.dispose()


def warm_draws(runs: int) -> list[float]:
    """Seconds of each ``draw_week`` once matplotlib is loaded (12 outlets, so the rest is summed)."""
    from datetime import date

    from bot.store.stats import WeekSeries
    from bot.telegram.chart import chart_words, draw_week

    days = [date(2026, 12, 2) + timedelta(days=n) for n in range(7)]
    series = WeekSeries(days, {f"O{n}": [n] * 7 for n in range(12)}, [9] * 7, [1] * 7)
    draw_week(series, chart_words())
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        draw_week(series, chart_words())
        times.append(time.perf_counter() - started)
    return times


def byline_cost(repeat: int = 2_000) -> tuple[float, float]:
    """Microseconds per ``render_story``: three outlets of known groups, and three unknown ones."""

    def per_call(links: list[tuple[str, str]]) -> float:
        view = StoryView(1, "Banjir", links[0][1], [n for n, _ in links], NOW, ["Kalimat."], "nasional", links)
        started = time.perf_counter()
        for _ in range(repeat):
            render_story(view, "Asia/Jakarta")
        return (time.perf_counter() - started) / repeat * 1e6

    known = [
        ("detik", "https://news.detik.com/1"),
        ("Kompas", "https://kompas.com/1"),
        ("L6", "https://liputan6.com/1"),
    ]
    return per_call(known), per_call([(n, f"https://{n.lower()}.example/1") for n, _ in known])


def main() -> int:
    """Run the benchmark and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--deliveries", type=int, default=200_000)
    parser.add_argument("--outlets", type=int, default=40)
    parser.add_argument("--postgres-url", default=os.environ.get("RINGKAS_TEST_POSTGRES_URL", DEFAULT_POSTGRES))
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(("SQLite", asyncio.run(time_week(f"sqlite:///{tmp}/bench.db", args))))
    if not args.no_postgres:
        url, name, version = postgres_database(args.postgres_url)
        if url is None:
            print(name, file=sys.stderr)
        else:
            try:
                rows.append((f"PostgreSQL {version}", asyncio.run(time_week(url, args))))
            finally:
                drop_postgres_database(args.postgres_url, name)
    cold = [float(subprocess.run([sys.executable, "-c", COLD_DRAW], capture_output=True, text=True, check=True,
                                 cwd=Path(__file__).resolve().parents[1]).stdout) for _ in range(3)]  # fmt: skip
    warm = warm_draws(RUNS)
    known, unknown = byline_cost()
    print(f"Machine: {machine()}; load average {os.getloadavg()[0]:.1f}\n")
    print(f"{args.articles} articles from {args.outlets} outlets and {args.deliveries} deliveries over 7 days.\n")
    print("| database | week_series p50 ms | max ms |\n| --- | ---: | ---: |")
    for label, times in rows:
        print(f"| {label} | {statistics.median(times) * 1000:.0f} | {max(times) * 1000:.0f} |")
    print("\n| step | median ms | max ms |\n| --- | ---: | ---: |")
    print(f"| draw_week, first call of a process (imports matplotlib) | {statistics.median(cold) * 1000:.0f} | "
          f"{max(cold) * 1000:.0f} |")  # fmt: skip
    print(f"| draw_week, warm | {statistics.median(warm) * 1000:.0f} | {max(warm) * 1000:.0f} |")
    print(f"\nrender_story, 3 outlets: {known:.1f} µs with known groups, {unknown:.1f} µs without")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
