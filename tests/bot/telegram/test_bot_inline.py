"""Inline mode through the real application: matches, top stories, pages, and bad queries."""

from __future__ import annotations

from typing import Any

import pytest

from bot.store.search import rebuild_index
from bot.telegram.inline import CACHE_SECONDS, PAGE, parse_offset
from tests.bot.botharness import USER_ID, bot_settings, insert_story, running_bot, runtime
from tests.bot.telegram.conversation import ask
from tests.fakes import FakeTelegram

FLOOD = ["Banjir setinggi satu meter merendam ratusan rumah warga di Kemang.", "Warga mengungsi ke masjid."]


async def inline(tg: FakeTelegram, query: str, offset: str = "") -> dict[str, Any]:
    """Type ``@bot query`` and return the bot's answer parameters."""
    query_id = tg.send_inline_query(USER_ID, query, offset)
    assert await tg.wait_until_async(lambda: tg.inline_answer(query_id) is not None, timeout=15)
    answer = tg.inline_answer(query_id)
    assert answer is not None
    return answer


async def test_matches_and_pages(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        db = runtime(app).services.db
        for n in range(PAGE + 3):
            await insert_story(db, f"Banjir <{n}> Rendam Kemang", FLOOD, url=f"https://kabar.example/b/{n}")
        await insert_story(db, "Gempa Guncang Cianjur", ["Gempa terasa kuat."], url="https://kabar.example/g")
        async with db.sessionmaker.begin() as session:
            await rebuild_index(session)
        first = await inline(tg, "banjir")
        assert len(first["results"]) == PAGE and first["next_offset"] == str(PAGE)
        assert first["cache_time"] == CACHE_SECONDS and first["is_personal"] is True
        result = first["results"][0]
        assert result["type"] == "article" and "Banjir" in result["title"]
        assert result["description"].startswith("Kabar Uji · ") and "Banjir setinggi" in result["description"]
        message = result["input_message_content"]["message_text"]
        assert message.startswith('<b><a href="https://kabar.example/b/') and "&lt;" in message
        second = await inline(tg, "banjir", first["next_offset"])
        assert len(second["results"]) == 3 and not second.get("next_offset")
        assert {r["id"] for r in first["results"]}.isdisjoint({r["id"] for r in second["results"]})
        assert all(call.ok for call in tg.calls("answerInlineQuery"))


async def test_empty_query_offers_top_stories_and_mutes_apply(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        db = runtime(app).services.db
        await insert_story(db, "Banjir Rendam Kemang", FLOOD, url="https://kabar.example/b")
        await insert_story(db, "Gempa Guncang Cianjur", ["Gempa terasa kuat."], url="https://kabar.example/g")
        titles = {r["title"] for r in (await inline(tg, ""))["results"]}
        assert titles == {"Banjir Rendam Kemang", "Gempa Guncang Cianjur"}
        await ask(tg, "/bisukan gempa")
        assert {r["title"] for r in (await inline(tg, ""))["results"]} == {"Banjir Rendam Kemang"}


@pytest.mark.parametrize(
    ("query", "offset"),
    [
        ("banjir " * 60, ""),
        ("x" * 5000, ""),
        ("<b>'\"; DROP TABLE stories; --", ""),
        ("banjir", "-10"),
        ("banjir", "abc"),
        ("banjir", "99999999999999999999"),
        ("banjir", "7"),
        ("banjir", "1000"),
    ],
)
async def test_bad_queries_get_a_valid_answer(tg: FakeTelegram, db_url: str, query: str, offset: str) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        await insert_story(runtime(app).services.db, "Banjir Rendam Kemang", FLOOD, url="https://kabar.example/b")
        answer = await inline(tg, query, offset)
        assert len(answer["results"]) <= PAGE
        if offset:
            assert answer["results"] == [] and not answer.get("next_offset")


def test_offsets() -> None:
    assert parse_offset("") == 0 and parse_offset("10") == 10
    assert parse_offset("5") is None and parse_offset("50") is None and parse_offset("-0") is None
