"""Alembic environment: runs the migrations on a connection the application hands over.

``bot.store.db.Database.upgrade`` passes its own (sync-wrapped async) connection in
``config.attributes["connection"]``, so migrations run inside the bot's event loop via
``connection.run_sync``. Run without one (the ``alembic`` command with ``sqlalchemy.url`` set),
this builds an async engine itself; offline mode prints the SQL.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from alembic import context
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from bot.store.models import Base

logger = logging.getLogger(__name__)

config = context.config
target_metadata = Base.metadata

# Search-index objects live outside the ORM (see bot.store.search); autogenerate must ignore them.
SEARCH_INDEX_TABLES = frozenset({"article_search"})


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Leave the search index and the FTS5 shadow tables out of autogenerate."""
    if type_ == "table" and name is not None:
        return name not in SEARCH_INDEX_TABLES and not name.startswith("article_search_")
    table = getattr(obj, "table", None)
    return table is None or table.name not in SEARCH_INDEX_TABLES


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=include_object,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_own_engine(url: str) -> None:
    from bot.store.db import async_url

    engine = create_async_engine(async_url(url), poolclass=NullPool)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_configure_and_run)
    finally:
        await engine.dispose()


def run_migrations_offline() -> None:
    """Emit the migration SQL without a database."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        include_object=include_object,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate on the handed-over connection, or on a new engine from sqlalchemy.url."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no connection handed over and no sqlalchemy.url configured")
    asyncio.run(_run_with_own_engine(url))


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
