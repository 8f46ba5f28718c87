"""``ringkas run`` killed with SIGKILL in the middle of a digest fan-out, then restarted.

The bot runs as a real subprocess against the fake Bot API. Every subscriber must end up
with exactly one digest: none lost to the crash, none sent twice after the restart. The kill
lands between two sends (the sender is paced at 10 messages/s); the narrow window in which
Telegram has accepted a message but the ledger has not yet recorded it is documented in
``bot/delivery.py``.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from bot.store.db import Database
from bot.store.models import Subscriber
from tests.bot.botharness import insert_story
from tests.fakes import FakeTelegram

SUBSCRIBERS = 40
FIRST_CHAT = 50_000
ROOT = Path(__file__).resolve().parents[3]


async def prepare(url: str) -> None:
    db = Database(url)
    try:
        await db.upgrade()
        for i in range(3):
            await insert_story(
                db, f"Berita Uji Nomor {i}", [f"Kalimat ringkasan nomor {i}."], url=f"https://kabar.example/{i}"
            )
        async with db.sessionmaker.begin() as session:
            session.add_all(
                Subscriber(chat_id=FIRST_CHAT + i, subscribed=True, digest_time="00:00") for i in range(SUBSCRIBERS)
            )
    finally:
        await db.dispose()


def start_bot(tg: FakeTelegram, url: str, workdir: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TELEGRAM_BOT_TOKEN": tg.token,
        "TELEGRAM_API_URL": tg.api_url,
        "DATABASE_URL": url,
        "RINGKAS_SEED_FEEDS": "false",
        "RINGKAS_INGEST": "false",
        "RINGKAS_TICK_SECONDS": "0.5",
        "RINGKAS_SEND_RATE": "10",
    }
    log = (workdir / "bot.log").open("ab")
    return subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=workdir, env=env, stdout=log, stderr=log)


def digest_counts(tg: FakeTelegram) -> Counter[int]:
    return Counter(int(m.chat_id) for m in tg.sent if m.chat_id and (m.text or "").startswith("📰"))  # type: ignore[arg-type]


def kill_between_sends(tg: FakeTelegram, proc: subprocess.Popen[bytes], after: int) -> int:
    """SIGKILL the bot once `after` digests are out, at a moment just after a send was recorded."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        seen = sum(digest_counts(tg).values())
        if seen >= after:
            time.sleep(0.04)  # its ledger commit is done; the next send is ~60 ms away
            if sum(digest_counts(tg).values()) == seen:
                proc.send_signal(signal.SIGKILL)
                proc.wait(10)
                return seen
        time.sleep(0.002)
    raise AssertionError("the fan-out never reached the kill point")


def test_kill_mid_fan_out_then_restart_delivers_each_digest_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ringkas.db'}"
    asyncio.run(prepare(url))
    with FakeTelegram() as tg:
        proc = start_bot(tg, url, tmp_path)
        try:
            killed_at = kill_between_sends(tg, proc, after=SUBSCRIBERS // 3)
            assert 0 < killed_at < SUBSCRIBERS, "the kill must land mid fan-out"
            proc = start_bot(tg, url, tmp_path)
            assert tg.wait_until(lambda: len(digest_counts(tg)) == SUBSCRIBERS, timeout=60), (
                tmp_path / "bot.log"
            ).read_text()
            time.sleep(1.5)  # a few more ticks: nothing more may be sent
            counts = digest_counts(tg)
            assert sorted(counts) == [FIRST_CHAT + i for i in range(SUBSCRIBERS)]
            assert set(counts.values()) == {1}, {c: n for c, n in counts.items() if n != 1}
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
    log = (tmp_path / "bot.log").read_text()
    assert tg.token not in log
