"""Fixtures for the bot's tests: a fake Bot API, a loopback news site, a database URL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bot.botharness import NewsSite
from tests.bot.httpserver import LocalServer
from tests.bot.processes import fresh_database
from tests.conftest import PostgresServer
from tests.fakes import FakeTelegram


@pytest.fixture
def tg() -> Iterator[FakeTelegram]:
    """A fake Telegram Bot API on 127.0.0.1."""
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def site() -> Iterator[NewsSite]:
    """A news site with one feed on 127.0.0.1."""
    with LocalServer() as server:
        yield NewsSite(server)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A fresh SQLite database file for the bot under test."""
    return f"sqlite:///{tmp_path / 'bot.db'}"


@pytest.fixture
def fresh_postgres(postgres_server: PostgresServer) -> Iterator[str]:
    """A migrated PostgreSQL database for this test alone (several processes share it), dropped after it."""
    yield from fresh_database(postgres_server)
