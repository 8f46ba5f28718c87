"""``ringkas health`` on both databases: exit 0 when healthy, else 1 with one line per failing check."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.config import DEFAULT_DATABASE_URL, get_settings
from bot.store.db import Database
from tests.bot.healthdata import add_delivery, add_feed
from tests.bot.httpserver import closed_port
from tests.fakes import FakeTelegram

ROOT = Path(__file__).resolve().parents[3]


async def health(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], url: str, *args: str, **env: str
) -> tuple[int, list[str], list[str]]:
    """Run `ringkas health ARGS` in this process against the URL; exit status, stdout and stderr lines."""
    for name in [n for n in os.environ if n.startswith(("TELEGRAM_", "RINGKAS_", "DATABASE_"))]:
        monkeypatch.delenv(name)
    for name, value in {"DATABASE_URL": url, **env}.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        status = await asyncio.to_thread(main, ["health", *args])
    finally:
        get_settings.cache_clear()
    out = capsys.readouterr()
    return status, out.out.splitlines(), out.err.splitlines()


def url_of(db: Database) -> str:
    """The database's URL with its password, as DATABASE_URL takes it."""
    return db.url.render_as_string(hide_password=False)


@pytest.fixture(autouse=True)
def _own_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's


async def test_healthy_database_exits_0(
    database: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    await add_feed(database, succeeded_ago=timedelta(minutes=3))
    status, out, err = await health(monkeypatch, capsys, url_of(database))
    assert (status, err) == (0, [])
    assert out[0].startswith("ok database: reachable, at the latest migration (")
    assert out[1:] == [
        "ok feeds: 1 of 1 enabled feeds succeeded within 3 intervals",
        "ok deliveries: no pending delivery older than 15 minutes",
    ]
    status, out, _ = await health(monkeypatch, capsys, url_of(database), "--json")
    report = json.loads("\n".join(out))
    assert status == 0 and report["healthy"] is True and set(report["checks"]) == {"database", "feeds", "deliveries"}


async def test_a_stale_feed_exits_1_with_one_line(
    database: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    await add_feed(database, succeeded_ago=timedelta(hours=2))
    status, out, err = await health(monkeypatch, capsys, url_of(database))
    assert status == 1 and out == []
    assert len(err) == 1 and err[0].startswith(
        "ringkas health: feeds: none of 1 enabled feeds succeeded within 3 intervals"
    )


async def test_a_stuck_delivery_exits_1_with_one_line(
    database: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    await add_delivery(database, queued_ago=timedelta(minutes=30))
    status, out, err = await health(monkeypatch, capsys, url_of(database), "--json")
    report = json.loads("\n".join(out))
    assert status == 1 and err == [] and report["healthy"] is False
    assert report["checks"]["deliveries"]["ok"] is False and report["checks"]["feeds"]["ok"] is True
    await add_feed(database, succeeded_ago=None, added_ago=timedelta(days=1))
    status, _, err = await health(monkeypatch, capsys, url_of(database))
    assert status == 1 and [line.split(":")[1].strip() for line in err] == ["feeds", "deliveries"]


async def test_an_unreachable_database_exits_1(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if database.dialect == "sqlite":
        url = f"sqlite:///{tmp_path / 'missing' / 'ringkas.db'}"
        expected = "ringkas health: database: no SQLite database at "
    else:
        url = database.url.set(host="127.0.0.1", port=closed_port()).render_as_string(hide_password=False)
        expected = "ringkas health: database: unreachable: "
    status, out, err = await health(monkeypatch, capsys, url)
    assert status == 1 and out == [] and len(err) == 1 and err[0].startswith(expected)


async def test_the_default_database_is_reported_missing_and_nothing_is_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = await health(monkeypatch, capsys, DEFAULT_DATABASE_URL)  # sqlite:///data/ringkas.db
    assert status == 1 and out == [] and err[0].startswith("ringkas health: database: no SQLite database at data/")
    assert list(tmp_path.iterdir()) == []  # read-only: not even the data/ folder


async def test_telegram_getme_is_checked_on_request(
    sqlite_database: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = url_of(sqlite_database)
    with FakeTelegram(token="123:right") as tg:
        status, out, _ = await health(
            monkeypatch, capsys, url, "--telegram", TELEGRAM_BOT_TOKEN=tg.token, TELEGRAM_API_URL=tg.api_url
        )
        assert status == 0 and out[-1].startswith("ok telegram: getMe answers (@")
        status, _, err = await health(
            monkeypatch, capsys, url, "--telegram", TELEGRAM_BOT_TOKEN="123:wrong", TELEGRAM_API_URL=tg.api_url
        )
        assert status == 1 and err == ["ringkas health: telegram: getMe: the token was rejected"]
    api = f"http://127.0.0.1:{closed_port()}/bot"
    status, _, err = await health(
        monkeypatch, capsys, url, "--telegram", TELEGRAM_BOT_TOKEN="123:abc", TELEGRAM_API_URL=api
    )
    assert status == 1 and len(err) == 1 and err[0].startswith(f"ringkas health: telegram: getMe failed at {api}")
    assert "123:abc" not in err[0]
    status, _, err = await health(monkeypatch, capsys, url, "--telegram")
    assert status == 1 and err == ["ringkas health: telegram: TELEGRAM_BOT_TOKEN is not set"]
    status, out, _ = await health(monkeypatch, capsys, url)
    assert status == 0 and not any("telegram" in line for line in out)  # not asked: not checked


def test_the_installed_command_exits_1_on_a_bad_url(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "RINGKAS_", "DATABASE_"))}
    out = subprocess.run(
        [sys.executable, "-m", "bot", "health"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        env={**env, "PYTHONPATH": str(ROOT), "DATABASE_URL": "mysql://u@127.0.0.1/x"},
    )
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr.splitlines()[-1] == (
        "ringkas health: database: unsupported database backend 'mysql': use sqlite:/// or postgresql://"
    )
