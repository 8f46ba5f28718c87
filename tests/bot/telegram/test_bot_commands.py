"""Every reader command, through the real application and PTB's HTTP layer against the fake Bot API."""

from __future__ import annotations

from sqlalchemy import select

from bot.store.models import Follow, SourceFilter, Subscriber
from tests.bot.botharness import (
    USER_ID,
    NewsSite,
    bot_settings,
    news_item,
    running_bot,
    runtime,
    seed_news,
)
from tests.fakes import FakeTelegram

CHAT = USER_ID
FLOOD = "Banjir setinggi satu meter merendam ratusan rumah warga di Kemang, Jakarta Selatan, sejak Senin pagi."
QUAKE = (
    "Gempa bermagnitudo 5,2 mengguncang Kabupaten Cianjur, Jawa Barat, pada Selasa siang dan merusak puluhan bangunan."
)


async def ask(
    tg: FakeTelegram,
    text: str,
    *,
    chat: int = CHAT,
    user: int = USER_ID,
    chat_type: str = "private",
    timeout: float = 15,
) -> str:
    """Send a message as a user and return the bot's (first) reply: its text, or a picture's caption."""
    before = len(tg.messages_to(chat))
    tg.send_text(chat, text, user_id=user, chat_type=chat_type)
    replies = await tg.wait_for_messages_async(chat, before + 1, timeout=timeout)
    return replies[before].text or replies[before].params.get("caption") or ""


async def subscriber(app, chat: int = CHAT) -> Subscriber:  # type: ignore[no-untyped-def]
    async with runtime(app).services.db.sessionmaker() as session:
        sub = await session.scalar(select(Subscriber).where(Subscriber.chat_id == chat))
        assert sub is not None
        return sub


async def test_start_help_and_command_menu(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)):
        text = await ask(tg, "/start")
        assert "Ringkas" in text and "/langganan" in text
        assert "/cari" in await ask(tg, "/bantuan")
        assert "/ikuti" in await ask(tg, "/help")
    menus = tg.calls("setMyCommands")
    assert menus and menus[-1].ok
    commands = {c["command"]: c["description"] for c in menus[-1].params["commands"]}
    assert commands["langganan"].startswith("Ringkasan harian")
    assert "cari" in commands and "sumber" in commands


async def test_subscribe_time_timezone_and_unsubscribe(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        assert "07:00 WIB" in await ask(tg, "/langganan")
        assert "06:30" in await ask(tg, "/subscribe 6.30")
        assert "tidak dikenal" in await ask(tg, "/langganan pagi")
        assert "antara 00:00 dan 23:59" in await ask(tg, "/langganan 25:00")
        sub = await subscriber(app)
        assert sub.subscribed and sub.digest_time == "06:30"
        assert "WITA" in await ask(tg, "/zona wita")
        assert "Pilih salah satu" in await ask(tg, "/timezone Mars")
        assert (await subscriber(app)).timezone == "Asia/Makassar"
        assert "dihentikan" in await ask(tg, "/berhenti")
        assert not (await subscriber(app)).subscribed


async def test_search_by_command_and_plain_text(tg: FakeTelegram, db_url: str, site: NewsSite) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        await seed_news(
            runtime(app).services.db,
            site,
            [
                news_item(1, "Banjir Rendam Kemang", FLOOD),
                news_item(2, "Gempa Guncang Cianjur", QUAKE),
            ],
        )
        text = await ask(tg, "/cari banjir")
        assert "Banjir Rendam Kemang" in text and "Gempa" not in text
        assert 'href="https://kabar.example/berita/1"' in text
        assert "Kabar Uji" in text and "WIB" in text
        # Stemming: "kebanjiran" finds "banjir"; any plain text is a search.
        assert "Banjir Rendam Kemang" in await ask(tg, "kebanjiran")
        nothing = await ask(tg, "/cari zzzyzx")
        assert "Tidak ada berita" in nothing
        assert "Tulis kata kuncinya" in await ask(tg, "/cari")


async def test_hostile_and_huge_queries_get_answers(tg: FakeTelegram, db_url: str, site: NewsSite) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        await seed_news(runtime(app).services.db, site, [news_item(1, "Banjir <b>Rendam</b> & Kemang", FLOOD)])
        for query in [
            '"banjir',
            "kota-kota",
            "banjir*",
            "NEAR(a b)",
            "'; DROP TABLE articles; --",
            "<script>alert(1)</script>",
            "🌊🌧️ banjir 🙏",
            "banjir " * 700,
        ]:
            text = await ask(tg, query)
            assert text, query
        assert all(call.ok for call in tg.calls("sendMessage")), [c.description for c in tg.calls("sendMessage")]


async def test_digest_now(tg: FakeTelegram, db_url: str, site: NewsSite) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        assert "Belum ada berita baru" in await ask(tg, "/ringkasan")
        await seed_news(
            runtime(app).services.db,
            site,
            [
                news_item(1, "Banjir Rendam Kemang", FLOOD),
                news_item(2, "Gempa Guncang Cianjur", QUAKE),
            ],
        )
        text = await ask(tg, "/digest")
        assert "Ringkas —" in text and "Banjir Rendam Kemang" in text and "Gempa Guncang Cianjur" in text
        assert "NASIONAL" in text


async def test_follow_topics_unfollow(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        assert "banjir" in await ask(tg, "/ikuti Banjir")
        assert "sudah mengikuti" in await ask(tg, "/follow banjir")
        assert "Tulis kata kuncinya" in await ask(tg, "/ikuti")
        assert "terlalu panjang" in await ask(tg, "/ikuti " + "x" * 100)
        assert "• banjir" in await ask(tg, "/topik")
        assert "dihapus" in await ask(tg, "/unfollow banjir")
        assert "tidak sedang diikuti" in await ask(tg, "/unfollow banjir")
        assert "Belum ada topik" in await ask(tg, "/topics")
        async with runtime(app).services.db.sessionmaker() as session:
            assert not (await session.scalars(select(Follow))).all()


async def test_follow_refuses_what_no_story_can_match_as_mute_does(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        for topic in ("🌊", "∑∑∑", "!!! ???"):
            refused = await ask(tg, f"/ikuti {topic}")
            assert "tidak berisi huruf atau angka" in refused
            assert await ask(tg, f"/bisukan {topic}") == refused  # one validation, one answer
        assert "Belum ada topik" in await ask(tg, "/topik")
        async with runtime(app).services.db.sessionmaker.begin() as session:
            assert not (await session.scalars(select(Follow))).all()  # nothing counts toward the cap
            # A topic stored before the check can still be removed.
            session.add(Follow(subscriber_id=(await subscriber(app)).id, keyword="🌊"))
        assert "dihapus" in await ask(tg, "/unfollow 🌊")


async def test_settings_by_arguments_and_buttons(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        assert "Berita per ringkasan: <b>8</b>" in await ask(tg, "/atur")
        assert "Berita per ringkasan: <b>5</b>" in await ask(tg, "/atur berita 5")
        assert "Kalimat per berita: <b>2</b>" in await ask(tg, "/settings kalimat 2")
        assert "antara 1 dan 5" in await ask(tg, "/atur kalimat 9")
        await ask(tg, "/atur")
        reply = tg.messages_to(CHAT)[-1]
        assert reply.reply_markup is not None
        tg.press_button(CHAT, USER_ID, "set:k:1", reply.message_id or 0)
        await tg.wait_until_async(lambda: bool(tg.calls("editMessageText")), timeout=10)
        assert "Kalimat per berita: <b>3</b>" in (tg.calls("editMessageText")[-1].text or "")
        sub = await subscriber(app)
        assert (sub.stories_per_digest, sub.sentences_per_summary) == (5, 3)


async def test_sources_keyboard_toggles_a_feed(tg: FakeTelegram, db_url: str, site: NewsSite) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        feed_id = await seed_news(runtime(app).services.db, site, [news_item(1, "Banjir Rendam Kemang", FLOOD)])
        await ask(tg, "/sumber")
        keyboard = tg.messages_to(CHAT)[-1].reply_markup
        assert keyboard is not None
        buttons = [b for row in keyboard["inline_keyboard"] for b in row]
        assert all(len(b["callback_data"].encode()) <= 64 for b in buttons)
        feed_button = next(b for b in buttons if b["callback_data"] == f"src:f:{feed_id}")
        assert feed_button["text"].startswith("☑")
        tg.press_button(CHAT, USER_ID, f"src:f:{feed_id}", tg.messages_to(CHAT)[-1].message_id or 0)
        await tg.wait_until_async(lambda: bool(tg.calls("editMessageReplyMarkup")), timeout=10)
        async with runtime(app).services.db.sessionmaker() as session:
            filters = (await session.scalars(select(SourceFilter))).all()
        assert [(f.kind, f.value) for f in filters] == [("feed", str(feed_id))]
        # The excluded source no longer reaches the digest.
        assert "Belum ada berita baru" in await ask(tg, "/ringkasan")


async def test_group_admins_only_change_the_group(tg: FakeTelegram, db_url: str) -> None:
    group, admin, member = -100123, 42, 43
    tg.set_chat_admins(group, [admin])
    async with running_bot(bot_settings(tg, db_url)):
        refusal = await ask(tg, "/langganan@ringkas_test_bot 08:00", chat=group, user=member, chat_type="supergroup")
        assert "hanya admin grup" in refusal
        ok = await ask(tg, "/langganan@ringkas_test_bot 08:00", chat=group, user=admin, chat_type="supergroup")
        assert "08:00" in ok


async def test_unknown_command_is_answered(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)):
        assert "tidak dikenal" in await ask(tg, "/entahlah")


async def test_summary_length_is_a_word_budget(tg: FakeTelegram, db_url: str) -> None:
    """/atur panjang sets the words per summary; the button steps through the three lengths."""
    async with running_bot(bot_settings(tg, db_url)) as app:
        assert "Panjang ringkasan: <b>sedang</b> (±60 kata)" in await ask(tg, "/atur")
        assert "Panjang ringkasan: <b>pendek</b> (±35 kata)" in await ask(tg, "/atur panjang pendek")
        assert "Pilih panjang" in await ask(tg, "/atur panjang sangat")
        await ask(tg, "/atur")
        reply = tg.messages_to(CHAT)[-1]
        tg.press_button(CHAT, USER_ID, "set:p:0", reply.message_id or 0)
        await tg.wait_until_async(lambda: bool(tg.calls("editMessageText")), timeout=10)
        assert "Panjang ringkasan: <b>sedang</b>" in (tg.calls("editMessageText")[-1].text or "")
        assert (await subscriber(app)).summary_words == 60
        await ask(tg, "/settings length long")
        assert (await subscriber(app)).summary_words == 100
