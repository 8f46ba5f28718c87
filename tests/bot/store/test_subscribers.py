"""Subscriber choices in the store: the follow cap holds under concurrent writers."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from bot.store.db import Database
from bot.store.models import Follow, Subscriber
from bot.store.subscribers import MAX_FOLLOWS, ChoiceError, follow

WRITERS = 60


async def test_follow_cap_holds_under_concurrent_sessions_and_engines(database: Database) -> None:
    async with database.sessionmaker.begin() as session:
        sub = Subscriber(chat_id=5, digest_time="07:00")
        session.add(sub)
    other = Database(database.url)  # a second engine: as if another process wrote too
    try:

        async def one(n: int) -> str:
            db = database if n % 2 else other
            try:
                async with db.sessionmaker.begin() as session:
                    _, new = await follow(session, sub, f"topik{n}")
                return "new" if new else "known"
            except ChoiceError:
                return "refused"

        outcomes = await asyncio.gather(*(one(n) for n in range(WRITERS)))
    finally:
        await other.dispose()
    async with database.sessionmaker() as session:
        stored = await session.scalar(select(func.count()).select_from(Follow))
    assert stored == MAX_FOLLOWS
    assert outcomes.count("new") == MAX_FOLLOWS and outcomes.count("refused") == WRITERS - MAX_FOLLOWS


async def test_following_a_known_keyword_at_the_cap_is_not_refused(database: Database) -> None:
    async with database.sessionmaker.begin() as session:
        sub = Subscriber(chat_id=6, digest_time="07:00")
        session.add(sub)
        await session.flush()
        for n in range(MAX_FOLLOWS):
            assert await follow(session, sub, f"Topik{n}") == (f"topik{n}", True)
        assert await follow(session, sub, "TOPIK3") == ("topik3", False)
        with pytest.raises(ChoiceError, match="Maksimal"):
            await follow(session, sub, "baru")
