"""Digest fan-out through the real sender and ledger, against the fake Bot API in its own process.

Two measurements:

* the Telegram limit: one sender paced at RINGKAS_SEND_RATE (29.5/s by default) against a
  fake that answers 429 past 30 messages/s (``--limited``; it takes minutes);
* the ceiling, with the limit lifted, for 1, 2 and 4 sender processes (``--senders``): digests
  are queued once, then every process claims batches of pending deliveries and sends them
  through its own ``Sender`` (``send_pending``, as a ``deliver`` process does), each message
  paced by the send budget all senders share in the database, set high (1,000,000/s) so that
  it is drawn from but never waited on; the table gives the aggregate messages/s, each
  sender's CPU per message and the budget's round trips.

The database is PostgreSQL when reachable (several senders share one ledger and one budget),
else SQLite (one sender paced by itself).

    .venv/bin/python benchmarks/fanout_bench.py [--subscribers 10000] [--senders 1,2,4] [--limited] [--pictures]

``--pictures`` gives every story a lead picture, so each digest opens with a link preview.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import update

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.search_bench import drop_postgres_database, machine, postgres_database
from bot.store.db import Database
from bot.store.models import Article, Subscriber
from bot.telegram.schedule_digest import queue_due_digests
from tests.bot.botharness import insert_story

TOKEN = "123:ABC"
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
LIFTED = 1_000_000.0  # the shared budget set high: drawn from, never waited on


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_fake(rate_limit: int | None) -> tuple[subprocess.Popen[bytes], str]:
    """The fake Bot API in a process of its own; (process, base URL)."""
    port = free_port()
    cmd = [sys.executable, "-m", "tests.fakes.telegram_api", "--port", str(port), "--token", TOKEN]
    if rate_limit:
        cmd += ["--rate-limit", str(rate_limit)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/control/stats", timeout=1)
            return proc, base
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("fake Bot API did not start")


def fake_stats(base: str) -> dict[str, object]:
    """The fake's counters."""
    with urllib.request.urlopen(f"{base}/control/stats", timeout=10) as response:
        result: dict[str, object] = json.loads(response.read())["result"]
        return result


async def prepare(url: str, subscribers: int, pictures: bool = False) -> list[int]:
    """Migrate, add 8 stories (with pictures if asked) and the subscribers, queue everyone's digest; the pending ids."""
    db = Database(url)
    try:
        await db.upgrade()
        for i in range(8):
            await insert_story(
                db,
                f"Berita uji nomor {i} tentang pembangunan daerah",
                [f"Kalimat pertama berita {i}.", f"Kalimat kedua berita {i}.", f"Kalimat ketiga {i}."],
                url=f"https://kabar.example/{i}",
            )
        if pictures:
            async with db.sessionmaker.begin() as session:
                await session.execute(update(Article).values(image_url="https://img.kabar.example/utama.jpg"))
        async with db.sessionmaker.begin() as session:
            session.add_all(
                Subscriber(chat_id=10_000_000 + i, subscribed=True, digest_time="00:00") for i in range(subscribers)
            )
        return await queue_due_digests(db, datetime.now(UTC))
    finally:
        await db.dispose()


async def send_share(url: str, api: str, send_rate: float, go: object) -> dict[str, float]:
    """One sender process: wait for the start, claim and send until nothing is pending, report times and CPU."""
    from telegram.ext import ExtBot

    from bot.store.send_budget import LocalPacing, Pacing, SharedBudget
    from bot.telegram.delivery import Sender
    from bot.telegram.roles import rate_limiter

    db = Database(url)
    bot = ExtBot(TOKEN, base_url=f"{api}/bot", rate_limiter=rate_limiter(0))
    budget: Pacing | None = None
    if send_rate > 0:
        budget = SharedBudget(db, send_rate) if db.dialect == "postgresql" else LocalPacing(send_rate)
    sender = Sender(bot, db, budget=budget, limiter=rate_limiter(0))
    await sender.pending_ids()  # connect before the clock starts
    await asyncio.to_thread(go.wait)  # type: ignore[attr-defined]
    started, cpu = time.time(), time.process_time()
    sent = failed = after = 0
    while True:
        after, outcomes = await sender.send_pending(after=after)
        if not after:
            break
        sent += sum(o.parts for o in outcomes)
        failed += sum(o.status != "sent" for o in outcomes)
    finished, cpu = time.time(), time.process_time() - cpu
    await sender.close()
    await db.dispose()
    trips = float(getattr(budget, "round_trips", 0))
    return {"started": started, "finished": finished, "sent": sent, "failed": failed, "cpu": cpu, "trips": trips}


def sender_process(url: str, api: str, send_rate: float, go: object, results: object) -> None:
    """Entry point of a sender process."""
    results.put(asyncio.run(send_share(url, api, send_rate, go)))  # type: ignore[attr-defined]


def fan_out(url: str, api: str, senders: int, send_rate: float) -> dict[str, Any]:
    """Send everything pending from ``senders`` processes started together; aggregate figures."""
    context = multiprocessing.get_context("spawn")
    go, results = context.Event(), context.Queue()
    procs = [context.Process(target=sender_process, args=(url, api, send_rate, go, results)) for _ in range(senders)]
    for proc in procs:
        proc.start()
    time.sleep(3.0)  # every sender imported and connected
    go.set()
    reports = [results.get(timeout=1800) for _ in procs]
    for proc in procs:
        proc.join(30)
    seconds = max(r["finished"] for r in reports) - min(r["started"] for r in reports)
    sent = sum(r["sent"] for r in reports)
    return {
        "senders": senders,
        "messages": sent,
        "seconds": seconds,
        "rate": sent / seconds,
        "per_sender": sent / seconds / senders,
        "cpu_ms": 1000 * sum(r["cpu"] for r in reports) / max(sent, 1),
        "failed": sum(r["failed"] for r in reports),
        "trips": sum(r["trips"] for r in reports),
        "shares": "/".join(f"{r['sent']:.0f}" for r in reports),
    }


def run(
    url: str, subscribers: int, senders: int, fake_limit: int | None, send_rate: float, pictures: bool = False
) -> dict[str, Any]:
    """One measurement on a fresh database and a fresh fake Bot API."""
    proc, api = start_fake(fake_limit)
    try:
        asyncio.run(prepare(url, subscribers, pictures))
        result = fan_out(url, api, senders, send_rate)
        result["429s"] = float(fake_stats(api)["too_many_requests"])  # type: ignore[arg-type]
        return result
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> None:
    """Run the measurements and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--senders", default="1,2,4", help="sender processes for the ceiling, comma-separated")
    parser.add_argument("--limited", action="store_true", help="also the run paced under Telegram's limit")
    parser.add_argument("--send-rate", type=float, default=29.5, help="the bot's pacing against the limited server")
    parser.add_argument("--postgres-url", default=os.environ.get("RINGKAS_TEST_POSTGRES_URL", DEFAULT_POSTGRES))
    parser.add_argument("--sqlite", action="store_true", help="use SQLite even when PostgreSQL is reachable")
    parser.add_argument("--pictures", action="store_true", help="every digest opens with a lead picture")
    args = parser.parse_args()
    runs: list[tuple[str, int, int | None, float]] = []
    if args.limited:
        runs.append(("server enforces 30 msg/s, bot paced", 1, 30, args.send_rate))
    runs += [("limit lifted (budget 1,000,000/s)", int(n), None, LIFTED) for n in args.senders.split(",")]
    rows, database = [], "SQLite"
    for name, senders, limit, rate in runs:
        with tempfile.TemporaryDirectory() as tmp:
            url, scratch, version = (None, "", "") if args.sqlite else postgres_database(args.postgres_url)
            if url is None:
                url = f"sqlite:///{tmp}/bench.db"
            else:
                database = f"PostgreSQL {version}"
            try:
                rows.append((name, run(url, args.subscribers, senders, limit, rate, args.pictures)))
            finally:
                if scratch and url.startswith("postgresql"):
                    drop_postgres_database(args.postgres_url, scratch)
    print(f"\nMachine: {machine()}; load average {os.getloadavg()[0]:.1f}")
    pictured = ", each opening with a lead picture" if args.pictures else ""
    print(f"{args.subscribers} subscribers, one digest message each{pictured}, {database}\n")
    print(
        "| run | sender processes | messages (each) | seconds | messages/s (all) | per sender | CPU ms/message "
        "| budget round trips | 429s | failed |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in rows:
        print(
            f"| {name} | {r['senders']:.0f} | {r['messages']:.0f} ({r['shares']}) | {r['seconds']:.1f} "
            f"| {r['rate']:.0f} | {r['per_sender']:.0f} | {r['cpu_ms']:.2f} | {r['trips']:.0f} "
            f"| {r['429s']:.0f} | {r['failed']:.0f} |"
        )


if __name__ == "__main__":
    main()
