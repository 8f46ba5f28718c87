"""A search with no result suggests the day's common topics, never the query itself (through the fake Bot API)."""

from __future__ import annotations

from bot.telegram.render import render_results
from tests.bot.botharness import (
    NewsSite,
    bot_settings,
    news_item,
    running_bot,
    runtime,
    seed_news,
)
from tests.bot.telegram.test_bot_commands import QUAKE, ask
from tests.fakes import FakeTelegram

AFTERSHOCK = "Gempa susulan kembali dirasakan warga Cianjur pada Rabu dini hari, dan ratusan warga masih mengungsi."
PRICES = "Harga beras di pasar induk naik untuk pekan ketiga berturut-turut, menurut para pedagang di Jakarta."


async def test_no_result_suggests_today_s_topics(tg: FakeTelegram, db_url: str, site: NewsSite) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        empty = await ask(tg, "banjir")  # nothing stored yet: no topics to suggest
        assert empty == "Tidak ada berita yang cocok dengan <b>banjir</b>.\nCoba kata kunci lain yang lebih umum."
        await seed_news(
            runtime(app).services.db,
            site,
            [
                news_item(1, "Gempa Guncang Cianjur", QUAKE),
                news_item(2, "Gempa Susulan Terasa di Cianjur", AFTERSHOCK),
                news_item(3, "Harga Beras Naik Lagi", PRICES),
            ],
        )
        text = await ask(tg, "/cari banjir")
        assert text.count("banjir") == 1  # only where it says what found nothing
        hint = text.splitlines()[1]  # two titles name Cianjur and Gempa; the third word is one of the single ones
        assert hint.startswith(
            "Topik yang banyak diberitakan hari ini: <code>cianjur</code>, <code>gempa</code>, <code>"
        )
        assert hint.count("<code>") == 3
        assert "Gempa Guncang Cianjur" in await ask(tg, "cianjur")  # a suggestion finds something


def test_suggestions_are_escaped() -> None:
    [text] = render_results("<x>", [], "Asia/Jakarta", ["a<b"])
    assert "&lt;x&gt;" in text and "<code>a&lt;b</code>" in text
