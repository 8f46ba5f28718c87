"""Shared database fixtures: migrated SQLite and PostgreSQL databases for any test.

``database`` runs a test twice, on a fresh SQLite file and on PostgreSQL; ``sqlite_database``
runs it on SQLite only; ``db_session`` is an ``AsyncSession`` on ``database``. PostgreSQL is
the server named by ``RINGKAS_TEST_POSTGRES_URL`` (the Makefile sets it): a throwaway
``ringkas_test_<random>`` database is created once per test session, migrated, emptied before
each test (ids restart at 1) and dropped at the end. When the server is unreachable the
PostgreSQL cases are skipped with the reason, except under ``CI=true``, where they fail: CI
must exercise both.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NoReturn

import psycopg
import pytest
from sqlalchemy import URL, make_url, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.db import Database
from bot.store.models import Base

POSTGRES_ENV = "RINGKAS_TEST_POSTGRES_URL"
# Telegram's retry_after as a timedelta, as the bot runs it (bot.cli.main sets the same).
os.environ.setdefault("PTB_TIMEDELTA", "1")
CONNECT_TIMEOUT_SECONDS = 5
SQLITE_SUFFIXES = ("", "-wal", "-shm")


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the PostgreSQL tests must run)", pytrace=False)
    pytest.skip(reason)


class PostgresServer:
    """Creates and drops throwaway databases on the test PostgreSQL server."""

    def __init__(self, admin_url: URL) -> None:
        self.admin_url = admin_url
        self.created: list[str] = []

    def _conninfo(self, url: URL) -> str:
        return url.set(drivername="postgresql").render_as_string(hide_password=False)

    def execute(self, sql: str) -> None:
        """Run one statement on the admin database, outside a transaction."""
        with psycopg.connect(
            self._conninfo(self.admin_url), autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS
        ) as conn:
            conn.execute(sql.encode())

    def create_database(self) -> URL:
        """A new empty database; its URL keeps the server's user and host."""
        name = f"ringkas_test_{secrets.token_hex(6)}"
        self.execute(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return self.admin_url.set(database=name)

    def drop_database(self, url: URL) -> None:
        """Drop a database made by create_database, closing its connections."""
        self.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
        if url.database in self.created:
            self.created.remove(url.database)

    def drop_all(self) -> None:
        """Drop every database this server object created."""
        for name in list(self.created):
            self.drop_database(self.admin_url.set(database=name))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The PostgreSQL server for tests, or a skip (a failure under CI) with the reason."""
    raw = os.environ.get(POSTGRES_ENV)
    if not raw:
        _unavailable(f"PostgreSQL tests need {POSTGRES_ENV} (e.g. postgresql://postgres@127.0.0.1/test)")
    url = make_url(raw)
    shown = url.render_as_string(hide_password=True)
    server = PostgresServer(url)
    try:
        server.execute("SELECT 1")
    except Exception as exc:  # any failure to connect means "not reachable"
        _unavailable(f"PostgreSQL not reachable at {shown}: {exc}".strip())
    yield server
    server.drop_all()


async def _migrate(url: URL | str) -> None:
    db = Database(url)
    try:
        await db.upgrade()
    finally:
        await db.dispose()


def _migrate_blocking(url: URL | str) -> None:
    """Migrate from sync code, even when called while the test's event loop runs."""
    # Session fixtures may first be requested from inside an async fixture.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, _migrate(url)).result()


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PostgresServer) -> URL:
    """A migrated PostgreSQL database for this test session."""
    url = postgres_server.create_database()
    _migrate_blocking(url)
    return url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that each test copies (faster than migrating every time)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "ringkas.db"
    _migrate_blocking(f"sqlite:///{path}")
    return path


def _copy_sqlite(template: Path, target: Path) -> None:
    for suffix in SQLITE_SUFFIXES:
        source = template.with_name(template.name + suffix)
        if source.exists():
            shutil.copyfile(source, target.with_name(target.name + suffix))


_RESET_SEQUENCES = text(
    "SELECT setval(pg_get_serial_sequence(c.table_name, c.column_name), 1, false) "
    "FROM information_schema.columns AS c "
    "WHERE c.table_schema = current_schema() AND c.column_default LIKE 'nextval%'"
)


async def _empty_all(db: Database) -> None:
    """Delete every row and restart the id sequences (much faster than TRUNCATE here)."""
    async with db.engine.begin() as conn:
        await conn.execute(text("DELETE FROM article_search"))
        for table in reversed(Base.metadata.sorted_tables):
            await conn.execute(table.delete())
        await conn.execute(_RESET_SEQUENCES)


@pytest.fixture
async def sqlite_database(sqlite_template: Path, tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated, empty SQLite database in a file of its own."""
    path = tmp_path / "ringkas.db"
    _copy_sqlite(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    yield db
    await db.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated, empty database: once on SQLite, once on PostgreSQL."""
    if request.param == "sqlite":
        _copy_sqlite(request.getfixturevalue("sqlite_template"), tmp_path / "ringkas.db")
        db = Database(f"sqlite:///{tmp_path / 'ringkas.db'}")
    else:
        db = Database(request.getfixturevalue("postgres_url"))
        await _empty_all(db)
    yield db
    await db.dispose()


@pytest.fixture
async def db_session(database: Database) -> AsyncIterator[AsyncSession]:
    """A session on ``database`` (both backends); commit or roll back as the test needs."""
    async with database.sessionmaker() as session:
        yield session
