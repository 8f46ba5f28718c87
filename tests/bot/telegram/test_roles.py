"""RINGKAS_ROLES: what one ``ringkas run`` does; one clock among several ``schedule`` processes.

On SQLite a split is refused at start with one line (exit status 2). On PostgreSQL two
``schedule`` processes start, exactly one runs the clock (it queues the digests due); after it
is killed with SIGKILL the other takes the clock over within a few seconds and queues the
digest of a reader who subscribed after the kill.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from bot.config import Settings
from bot.store.db import Database
from bot.store.models import Delivery, Subscriber
from tests.bot.processes import ROOT, Ringkas, bot_env
from tests.fakes import FakeTelegram

CLOCK_LINE = "this process runs the clock"


def run_once(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``ringkas run`` with this environment, expected to stop at once."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "TELEGRAM_BOT_TOKEN": "123:ABC", **env}
    return subprocess.run(
        [sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("roles", ["deliver", "updates,schedule", "ingest"])
def test_a_role_split_on_sqlite_stops_with_one_line(tmp_path: Path, roles: str) -> None:
    result = run_once({"DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}", "RINGKAS_ROLES": roles}, tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "needs PostgreSQL" in lines[0] and roles in lines[0], result.stderr
    assert not (tmp_path / "r.db").exists()  # refused before anything was opened


def test_an_unknown_role_is_a_configuration_error(tmp_path: Path) -> None:
    result = run_once({"DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}", "RINGKAS_ROLES": "deliver,cook"}, tmp_path)
    assert result.returncode == 2
    assert "RINGKAS_ROLES" in result.stderr and "'cook'" in result.stderr


def test_roles_are_normalized_and_all_by_default() -> None:
    assert Settings(_env_file=None).roles == {"updates", "schedule", "ingest", "deliver"}  # type: ignore[call-arg]
    settings = Settings(_env_file=None, ringkas_roles=" Deliver, ingest ,")  # type: ignore[call-arg]
    assert settings.ringkas_roles == "ingest,deliver"
    with pytest.raises(ValidationError):
        Settings(_env_file=None, ringkas_roles=" , ")  # type: ignore[call-arg]


async def _digests_queued(url: str, new_chat: int | None = None) -> int:
    db = Database(url)
    try:
        if new_chat is not None:
            async with db.sessionmaker.begin() as session:
                session.add(Subscriber(chat_id=new_chat, subscribed=True, digest_time="00:00"))
        async with db.sessionmaker() as session:
            return int(await session.scalar(select(func.count()).select_from(Delivery)) or 0)
    finally:
        await db.dispose()


def wait_for(predicate: Callable[[], bool], timeout: float) -> bool:
    """Poll ``predicate`` every 0.2 s until it holds or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


def test_one_of_two_schedule_processes_runs_the_clock_and_the_other_takes_over(
    fresh_postgres: str, tmp_path: Path
) -> None:
    asyncio.run(_digests_queued(fresh_postgres, new_chat=81_000))
    with FakeTelegram() as tg:
        env = bot_env(tg.api_url, fresh_postgres, "schedule")
        clocks = [Ringkas(["run"], env, tmp_path / f"{n}.log") for n in "ab"]
        try:
            assert wait_for(lambda: any(CLOCK_LINE in c.text() for c in clocks), 60), clocks[0].text()
            time.sleep(4.0)  # more than one retry of the other: it must not get the clock too
            holders = [c for c in clocks if CLOCK_LINE in c.text()]
            assert len(holders) == 1, [c.text() for c in clocks]
            assert wait_for(lambda: asyncio.run(_digests_queued(fresh_postgres)) == 1, 30)
            holder, other = holders[0], next(c for c in clocks if c is not holders[0])
            holder.kill()
            assert wait_for(lambda: CLOCK_LINE in other.text(), 30), other.text()
            # The new holder runs the clock: a reader who subscribed after the kill gets a digest queued.
            asyncio.run(_digests_queued(fresh_postgres, new_chat=81_001))
            assert wait_for(lambda: asyncio.run(_digests_queued(fresh_postgres)) == 2, 30), other.text()
            assert not tg.calls("getUpdates") and not tg.sent  # schedule only: no updates, nothing sent
        finally:
            for process in clocks:
                process.stop()
