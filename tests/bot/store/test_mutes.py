"""Mute words in storage: normalization, stemmed matching, and the atomic per-chat cap."""

from __future__ import annotations

import asyncio

import pytest

from bot.store.db import Database
from bot.store.models import Subscriber
from bot.store.mutes import (
    MAX_MUTES,
    add_mute,
    is_muted,
    mute_words,
    normalize_mute,
    remove_mute,
)
from bot.store.subscribers import ChoiceError


async def _subscriber(db: Database) -> int:
    async with db.sessionmaker.begin() as session:
        sub = Subscriber(chat_id=77, chat_type="private")
        session.add(sub)
        await session.flush()
        return sub.id


def test_matching_is_stemmed_like_search() -> None:
    assert is_muted("Warga Kemang kebanjiran lagi", ["banjir"])
    assert is_muted("Timnas menang di laga sepak bola", ["Sepak Bola"])
    assert not is_muted("Bola voli putri juara", ["sepak bola"])
    assert not is_muted("Apa saja", [])


@pytest.mark.parametrize("text", ["", "   ", "x" * 61, "!!! ???"])
def test_unusable_words_are_refused(text: str) -> None:
    with pytest.raises(ChoiceError):
        normalize_mute(text)


async def test_add_list_remove(database: Database) -> None:
    sid = await _subscriber(database)
    async with database.sessionmaker.begin() as session:
        assert await add_mute(session, sid, "banjir") == "added"
        assert await add_mute(session, sid, "banjir") == "exists"
        assert await add_mute(session, sid, "gempa") == "added"
        assert await mute_words(session, sid) == ["banjir", "gempa"]
        assert await remove_mute(session, sid, "banjir")
        assert not await remove_mute(session, sid, "banjir")


async def test_cap_holds_under_concurrent_inserts(database: Database) -> None:
    sid = await _subscriber(database)
    async with database.sessionmaker.begin() as session:
        for n in range(MAX_MUTES - 3):
            assert await add_mute(session, sid, f"kata{n}") == "added"

    async def one(n: int) -> str:
        async with database.sessionmaker.begin() as session:
            return await add_mute(session, sid, f"baru{n}")

    outcomes = await asyncio.gather(*(one(n) for n in range(8)))
    assert sorted(outcomes).count("added") == 3 and outcomes.count("full") == 5
    async with database.sessionmaker() as session:
        assert len(await mute_words(session, sid)) == MAX_MUTES
