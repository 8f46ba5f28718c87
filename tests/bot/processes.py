"""Several real ``ringkas`` processes on one PostgreSQL database, for the tests of shared work.

``fresh_database`` (the ``fresh_postgres`` fixture) gives each test a migrated database of its own (processes that claim work
must not meet another test's rows); ``Ringkas`` starts ``python -m bot ...`` with the test's
environment, logs to a file, and is stopped (or killed) at the end; ``queue_digests`` puts
subscribers and a digest for each in the ledger, as the clock would.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import URL

from bot.store.db import Database
from bot.store.models import Subscriber
from bot.telegram.schedule_digest import queue_due_digests
from tests.bot.botharness import insert_story
from tests.conftest import PostgresServer, _migrate_blocking

ROOT = Path(__file__).resolve().parents[2]


def fresh_database(server: PostgresServer) -> Iterator[str]:
    """The URL of a migrated PostgreSQL database of its own, dropped afterwards."""
    url: URL = server.create_database()
    _migrate_blocking(url)
    yield url.render_as_string(hide_password=False)
    server.drop_database(url)


class Ringkas:
    """One ``python -m bot ARGS`` process; its log (stderr) goes to ``log``, its stdout beside it."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        """Start it at once."""
        self.log = log
        environment = {**os.environ, "PYTHONPATH": str(ROOT), "RINGKAS_SEED_FEEDS": "false", **env}
        self.out = log.with_suffix(".out")
        with log.open("ab") as err, self.out.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot", *args], cwd=log.parent, env=environment, stdout=out, stderr=err
            )

    def text(self) -> str:
        """What it has logged so far (stderr)."""
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def output(self) -> str:
        """What it has printed so far (stdout)."""
        return self.out.read_text(errors="replace") if self.out.exists() else ""

    def kill(self) -> None:
        """SIGKILL, as a crash or the OOM killer would."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> int | None:
        """SIGTERM, then SIGKILL if it lingers; its exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        return self.proc.returncode


def bot_env(api_url: str, database_url: str, roles: str, **extra: str) -> dict[str, str]:
    """The environment of a ``ringkas run`` process against a fake Bot API."""
    return {
        "TELEGRAM_BOT_TOKEN": "123:ABC",
        "TELEGRAM_API_URL": api_url,
        "DATABASE_URL": database_url,
        "RINGKAS_ROLES": roles,
        "RINGKAS_TICK_SECONDS": "0.5",
        **extra,
    }


async def _queue(url: str, count: int, first_chat: int) -> list[int]:
    db = Database(url)
    try:
        await insert_story(db, "Berita Uji Bersama", ["Kalimat ringkasan bersama."], url="https://kabar.example/b")
        async with db.sessionmaker.begin() as session:
            session.add_all(
                Subscriber(chat_id=first_chat + i, subscribed=True, digest_time="00:00") for i in range(count)
            )
        return await queue_due_digests(db, datetime.now(UTC))
    finally:
        await db.dispose()


def queue_digests(url: str, count: int, first_chat: int) -> list[int]:
    """``count`` subscribers with a digest each queued as pending; the delivery ids."""
    return asyncio.run(_queue(url, count, first_chat))
