"""Alembic migrations: fresh upgrade, agreement with the ORM models, downgrade, re-upgrade."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Connection, Integer, MetaData, inspect, text

from bot.store.db import Database, alembic_config, async_url
from bot.store.models import Base
from tests.bot.store.revisions import head_revision
from tests.conftest import PostgresServer

SEARCH_TABLE = "article_search"


def _outside_orm(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Skip the search index (and FTS5's shadow tables), which the ORM does not model."""
    if type_ == "table" and name is not None:
        return not name.startswith(SEARCH_TABLE)
    table = getattr(obj, "table", None)
    return table is None or not table.name.startswith(SEARCH_TABLE)


def _differences(metadata: MetaData) -> Callable[[Connection], list[Any]]:
    def compare(conn: Connection) -> list[Any]:
        context = MigrationContext.configure(conn, opts={"include_object": _outside_orm, "compare_type": True})
        return list(compare_metadata(context, metadata))

    return compare


def _tables(conn: Connection) -> set[str]:
    return set(inspect(conn).get_table_names())


@pytest.fixture(params=["sqlite", "postgresql"])
async def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """An empty, unmigrated database on each backend."""
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'fresh.db'}")
        yield db
        await db.dispose()
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.create_database()
    db = Database(url)
    yield db
    await db.dispose()
    server.drop_database(url)


def test_one_linear_history() -> None:
    """One head, and the revisions numbered 0001, 0002, ... from the base without gaps."""
    script = ScriptDirectory.from_config(alembic_config())
    revisions = [r.revision for r in script.walk_revisions("base", "heads")]
    assert script.get_heads() == [revisions[0]]
    assert revisions == [f"{n:04d}" for n in range(len(revisions), 0, -1)]


async def test_models_and_migrations_agree(fresh: Database) -> None:
    assert await fresh.current_revision() is None
    await fresh.upgrade()
    assert await fresh.current_revision() == head_revision()
    async with fresh.engine.connect() as conn:
        assert await conn.run_sync(_differences(Base.metadata)) == []
        assert SEARCH_TABLE in await conn.run_sync(_tables)


async def test_comparison_would_notice_a_difference(fresh: Database) -> None:
    await fresh.upgrade()
    changed = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["feeds"].append_column(Column("extra", Integer(), nullable=True))
    async with fresh.engine.connect() as conn:
        diff = await conn.run_sync(_differences(changed))
    assert [d[0] for d in diff] == ["add_column"]


async def test_upgrade_is_idempotent_and_stepwise(fresh: Database) -> None:
    await fresh.upgrade("0001")
    async with fresh.engine.connect() as conn:
        tables = await conn.run_sync(_tables)
    assert {"feeds", "stories", "articles"} <= tables and "subscribers" not in tables
    await fresh.upgrade()
    await fresh.upgrade()
    assert await fresh.current_revision() == head_revision()


async def test_downgrade_to_base_and_back(fresh: Database) -> None:
    await fresh.upgrade()
    await fresh.downgrade("0003")
    async with fresh.engine.connect() as conn:
        assert "mutes" not in await conn.run_sync(_tables)
    await fresh.downgrade("0001")
    async with fresh.engine.connect() as conn:
        assert "subscribers" not in await conn.run_sync(_tables)
    await fresh.downgrade("base")
    async with fresh.engine.connect() as conn:
        assert await conn.run_sync(_tables) <= {"alembic_version"}
    await fresh.upgrade()
    async with fresh.engine.connect() as conn:
        assert await conn.run_sync(_differences(Base.metadata)) == []


async def test_downgrade_puts_shared_digest_text_back_in_each_row(fresh: Database) -> None:
    """Below the delivery bodies, a pending digest still has its messages to send."""
    await fresh.upgrade()
    async with fresh.engine.begin() as conn:
        await conn.execute(text("INSERT INTO subscribers (id, chat_id) VALUES (1, 100), (2, 200)"))
        await conn.execute(
            text("INSERT INTO delivery_bodies (id, payload, buttons) VALUES (7, :payload, :buttons)"),
            {"payload": '["bagian 1", "bagian 2"]', "buttons": '[["Sumber lain (2)", "lain:1"]]'},
        )
        await conn.execute(
            text(
                "INSERT INTO deliveries (subscriber_id, kind, key, payload, body_id) "
                "VALUES (1, 'digest', 'digest:x', '[]', 7), (2, 'alert', 'alert:x', '[\"halo\"]', NULL)"
            )
        )
    await fresh.downgrade("0010")
    async with fresh.engine.connect() as conn:
        rows = (await conn.execute(text("SELECT payload, buttons FROM deliveries ORDER BY id"))).all()
    decoded = [[json.loads(v) if isinstance(v, str) else v for v in row] for row in rows]
    assert decoded == [[["bagian 1", "bagian 2"], [["Sumber lain (2)", "lain:1"]]], [["halo"], None]]


def test_alembic_command_with_its_own_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The plain ``alembic`` route (no connection handed over) works from any directory."""
    monkeypatch.chdir(tmp_path)
    cfg = alembic_config(async_url(f"sqlite:///{tmp_path / 'cli.db'}"))
    command.upgrade(cfg, "head")
    command.downgrade(cfg, "base")
    command.upgrade(cfg, "head")
    assert (tmp_path / "cli.db").is_file()
    command.check(cfg)  # autogenerate finds nothing to add: models and migrations agree
