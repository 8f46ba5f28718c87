"""The database connection: URL normalization, the async engine and sessions, and migrations.

One ``Database`` per process owns an ``AsyncEngine`` and an ``async_sessionmaker``; the bot
creates it at start, runs ``upgrade()`` (Alembic ``upgrade head``), and disposes it at shutdown.
Users may write any usual SQLAlchemy URL (``sqlite:///path``, ``postgres://``,
``postgresql+psycopg2://`` ...); the project always picks an async driver itself. SQLite
connections get WAL mode, foreign keys and a busy timeout so that the ingest jobs and the
Telegram handlers can share one file.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import URL, Connection, event, make_url, text
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import StaticPool

if TYPE_CHECKING:
    from alembic.config import Config

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# The async driver chosen for each backend; psycopg (3) is kept when the user names it.
_SQLITE_DRIVER = "sqlite+aiosqlite"
_POSTGRES_DRIVER = "postgresql+asyncpg"
_POSTGRES_DRIVERS_KEPT = {"psycopg": "postgresql+psycopg", "psycopg_async": "postgresql+psycopg"}
_POSTGRES_ALIASES = frozenset({"postgresql", "postgres", "pgsql"})

# The advisory lock migrations hold on PostgreSQL (the clock's is bot.store.locks.LOCK_KEYS).
MIGRATION_LOCK = {"a": 0x526B6173, "b": 2}

# Milliseconds a writer waits for another connection's lock before SQLite reports "busy".
SQLITE_BUSY_TIMEOUT_MS = 15_000


class DatabaseURLError(ValueError):
    """The database URL cannot be used (unknown backend, unparsable)."""


class DatabaseUnavailableError(RuntimeError):
    """The database cannot be created, reached or migrated; the message says why."""


def async_url(url: str | URL) -> URL:
    """Normalize a SQLAlchemy URL to the async driver this project uses."""
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except ArgumentError as exc:
        # The URL may carry a password, so only its scheme is logged.
        scheme = str(url).split(":", 1)[0]
        logger.error("unparsable database URL (scheme %r)", scheme)
        raise DatabaseURLError(f"cannot parse the database URL (scheme {scheme!r})") from exc
    backend, _, driver = parsed.drivername.partition("+")
    if backend == "sqlite":
        return parsed.set(drivername=_SQLITE_DRIVER)
    if backend in _POSTGRES_ALIASES:
        name = _POSTGRES_DRIVERS_KEPT.get(driver, _POSTGRES_DRIVER)
        if name == _POSTGRES_DRIVER and "sslmode" in parsed.query:
            # asyncpg spells libpq's sslmode as "ssl" and rejects the libpq name.
            query = dict(parsed.query)
            query["ssl"] = query.pop("sslmode")
            parsed = parsed.set(query=query)
        return parsed.set(drivername=name)
    logger.error("unsupported database backend %r", parsed.drivername)
    raise DatabaseURLError(f"unsupported database backend {parsed.drivername!r}: use sqlite:/// or postgresql://")


def _is_memory_sqlite(url: URL) -> bool:
    """True for an in-memory SQLite URL (each connection would see its own empty database)."""
    return url.database in (None, "", ":memory:") or "mode=memory" in str(url.query)


def _prepare_sqlite_path(url: URL) -> None:
    """Create the parent directory of a SQLite database file."""
    if _is_memory_sqlite(url) or url.database is None or url.database.startswith("file:"):
        return
    parent = Path(url.database).expanduser().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        logger.error("cannot create the SQLite directory %s: %s", parent, exc)
        raise DatabaseUnavailableError(f"cannot create the directory {parent} for the SQLite database: {exc}") from exc


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    """Per-connection SQLite settings; foreign keys and busy timeout are not persistent."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_MS)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted rows are overwritten, not left in free space: /hapusdata's promise holds for
        # the file's bytes whatever the SQLite build's default (see Database.checkpoint).
        cursor.execute("PRAGMA secure_delete=ON")
    finally:
        cursor.close()


def _postgres_connect_args(url: URL) -> dict[str, Any]:
    """Session settings for every PostgreSQL connection, in each driver's spelling."""
    # Both drivers reuse server-side prepared statements; after five runs PostgreSQL may
    # switch to a generic plan, which for full-text search (selectivity unknown without the
    # query) walks the whole table: 1.2 ms became 300 ms in benchmarks/search_bench.py.
    settings = {"plan_cache_mode": "force_custom_plan"}
    if url.drivername == _POSTGRES_DRIVER:
        return {"server_settings": settings}
    return {"options": " ".join(f"-c {key}={value}" for key, value in settings.items())}


def alembic_config(url: URL | None = None) -> Config:
    """An Alembic configuration built in code, pointing at ``bot/migrations``."""
    # Alembic (with Mako) is imported only to migrate: about 10 MB a running bot need not hold.
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        # ConfigParser interpolates "%", which URL-encoded passwords contain.
        rendered = url.render_as_string(hide_password=False).replace("%", "%%")
        cfg.set_main_option("sqlalchemy.url", rendered)
    return cfg


def _run_alembic(connection: Connection, action: str, revision: str) -> None:
    """Run one Alembic command (upgrade or downgrade to revision) on an open sync connection."""
    from alembic import command

    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    if action == "upgrade":
        command.upgrade(cfg, revision)
    else:
        command.downgrade(cfg, revision)


class Database:
    """The process-wide engine and session factory; dispose it on shutdown."""

    def __init__(self, url: str | URL, *, echo: bool = False, create_directory: bool = True) -> None:
        """Create the async engine and sessionmaker for url (SQLite gets WAL, a busy timeout and foreign keys).

        ``create_directory=False`` leaves a missing SQLite directory missing, for callers that only read.
        """
        self.url = async_url(url)
        kwargs: dict[str, Any] = {"echo": echo}
        if self.url.get_backend_name() == "sqlite":
            if create_directory:
                _prepare_sqlite_path(self.url)
            if _is_memory_sqlite(self.url):
                # Each new connection to ":memory:" is a new, empty database.
                kwargs["poolclass"] = StaticPool
        else:
            kwargs["pool_pre_ping"] = True
            kwargs["connect_args"] = _postgres_connect_args(self.url)
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        if self.dialect == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_on_connect)
        self.sessionmaker: async_sessionmaker[AsyncSession] = async_sessionmaker(self.engine, expire_on_commit=False)
        # For write steps that must not interleave within this process (see bot.ingest.pipeline).
        self.write_lock = asyncio.Lock()
        logger.info("database %s", self.url.render_as_string(hide_password=True))

    @property
    def dialect(self) -> str:
        """The backend name: "sqlite" or "postgresql"."""
        return self.engine.dialect.name

    async def upgrade(self, revision: str = "head") -> None:
        """Apply the Alembic migrations up to ``revision`` (normally head)."""
        await self._migrate("upgrade", revision)
        logger.info("database schema at %s", await self.current_revision())

    async def upgrade_in_child(self) -> None:
        """``upgrade()`` in a short-lived ``python -m bot.store.migrate``, so this process never loads Alembic.

        For the long-running bot. An in-memory SQLite database, which a child cannot see, is
        upgraded here; a failure raises the error the child reported.
        """
        if _is_memory_sqlite(self.url) and self.dialect == "sqlite":
            await self.upgrade()
            return
        from bot.store.migrate import upgrade_in_child

        await upgrade_in_child(self.url)

    async def downgrade(self, revision: str) -> None:
        """Revert the Alembic migrations down to ``revision`` ("base" drops everything)."""
        await self._migrate("downgrade", revision)
        logger.info("database schema downgraded to %s", revision)

    async def _migrate(self, action: str, revision: str) -> None:
        """Run an Alembic action inside one transaction; raise DatabaseUnavailableError when the server cannot be reached."""
        try:
            async with self.engine.begin() as conn:
                if self.dialect == "postgresql":
                    # Processes started together (compose, several roles) migrate one at a time;
                    # the later ones find the schema current. Released with the transaction.
                    await conn.execute(text("SELECT pg_advisory_xact_lock(:a, :b)"), MIGRATION_LOCK)
                await conn.run_sync(_run_alembic, action, revision)
        except (OSError, DBAPIError) as exc:
            shown = self.url.render_as_string(hide_password=True)
            reason = getattr(exc, "orig", None) or exc
            logger.error("database %s to %s failed on %s: %s", action, revision, shown, reason)
            raise DatabaseUnavailableError(f"database {action} failed on {shown}: {reason}") from exc

    async def current_revision(self) -> str | None:
        """The Alembic revision the database is at, or None before the first migration."""
        from alembic.runtime.migration import MigrationContext

        async with self.engine.connect() as conn:
            return await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_revision())

    async def checkpoint(self) -> None:
        """SQLite: copy the write-ahead log into the database file and truncate it; elsewhere nothing.

        Until then the ``-wal`` file keeps the pages as they were before a delete, so a chat's
        erased rows would stay on disk until SQLite's own checkpoint came round.
        """
        if self.dialect != "sqlite" or _is_memory_sqlite(self.url):
            return
        async with self.engine.connect() as conn:
            # One row: (busy, log frames, frames checkpointed).
            busy = (await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")).one()[0]
        if busy:  # a reader held on past the busy timeout; the next checkpoint completes it
            logger.warning("WAL checkpoint incomplete: another connection was still reading")

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()
