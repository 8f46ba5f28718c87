"""Digest fan-out to many subscribers through the real sender, against the fake Bot API.

Two runs, each against a fake Bot API in its own process (so it does not share the bot's
interpreter): one that enforces Telegram's ~30 messages/s (answering 429 with retry_after
when exceeded), with the bot paced at RINGKAS_SEND_RATE (29.5/s by default); and one with the
limit lifted on both sides, for the bot's own ceiling. Prints a Markdown table.

    .venv/bin/python benchmarks/fanout_bench.py [--subscribers 10000] [--skip-limited]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from telegram.ext import ExtBot

from bot.store.db import Database
from bot.store.models import Subscriber
from bot.telegram.app import rate_limiter
from bot.telegram.delivery import Sender
from bot.telegram.schedule_digest import queue_due_digests
from tests.bot.botharness import insert_story

TOKEN = "123:ABC"
ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_fake(rate_limit: int | None) -> tuple[subprocess.Popen[bytes], str]:
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
    with urllib.request.urlopen(f"{base}/control/stats", timeout=10) as response:
        result: dict[str, object] = json.loads(response.read())["result"]
        return result


async def prepare(url: str, subscribers: int) -> Database:
    db = Database(url)
    await db.upgrade()
    for i in range(8):
        await insert_story(
            db,
            f"Berita uji nomor {i} tentang pembangunan daerah",
            [f"Kalimat pertama berita {i}.", f"Kalimat kedua berita {i}.", f"Kalimat ketiga {i}."],
            url=f"https://kabar.example/{i}",
        )
    async with db.sessionmaker.begin() as session:
        session.add_all(
            Subscriber(chat_id=10_000_000 + i, subscribed=True, digest_time="00:00") for i in range(subscribers)
        )
    return db


async def run(subscribers: int, fake_limit: int | None, send_rate: float) -> dict[str, float]:
    proc, base = start_fake(fake_limit)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = await prepare(f"sqlite:///{tmp}/bench.db", subscribers)
            bot = ExtBot(TOKEN, base_url=f"{base}/bot", rate_limiter=rate_limiter(send_rate))
            await bot.initialize()
            try:
                started = time.perf_counter()
                ids = await queue_due_digests(db, datetime.now(UTC))
                queued = time.perf_counter()
                outcomes = await Sender(bot, db).send_many(ids)
                done = time.perf_counter()
            finally:
                await bot.shutdown()
                await db.dispose()
        stats = fake_stats(base)
        sent = sum(o.parts for o in outcomes)
        return {
            "messages": sent,
            "queue_s": queued - started,
            "send_s": done - queued,
            "rate": sent / (done - queued),
            "429s": float(stats["too_many_requests"]),  # type: ignore[arg-type]
            "failed": float(sum(o.status != "sent" for o in outcomes)),
        }
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--send-rate", type=float, default=29.5, help="the bot's pacing against the limited server")
    parser.add_argument("--skip-limited", action="store_true", help="only measure the ceiling")
    parser.add_argument("--skip-ceiling", action="store_true", help="only measure the limited run")
    args = parser.parse_args()
    rows = []
    if not args.skip_limited:
        rows.append(("Telegram limit (server 30/s, bot paced)", asyncio.run(run(args.subscribers, 30, args.send_rate))))
    if not args.skip_ceiling:
        rows.append(("limit lifted (ceiling)", asyncio.run(run(args.subscribers, None, 0))))
    print(
        f"\nMachine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{args.subscribers} subscribers, SQLite\n"
    )
    print("| run | messages | queue (s) | send (s) | messages/s | 429s | failed |")
    print("|---|---|---|---|---|---|---|")
    for name, r in rows:
        print(
            f"| {name} | {r['messages']:.0f} | {r['queue_s']:.1f} | {r['send_s']:.1f} | {r['rate']:.1f} | "
            f"{r['429s']:.0f} | {r['failed']:.0f} |"
        )


if __name__ == "__main__":
    main()
