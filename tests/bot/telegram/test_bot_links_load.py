"""A slow site a reader links to holds up nobody else, not even a stopping bot (issue 20, items 1, 3 and 21).

A link's summary is made in the background on the readers' own budgets: the bot answers at once
that it is coming, other chats and the same reader's inline queries, buttons and commands are
answered while it is pending, ingestion keeps its own slots for the site, and a link that cannot
get a slot on its host within the link deadline is answered as busy instead of waiting its turn
for minutes. The slow site drips its page a byte at a time for as long as each test needs.
"""

from __future__ import annotations

import asyncio
import threading

from tests.bot.botharness import USER_ID, NewsSite, bot_settings, insert_story, running_bot, runtime
from tests.bot.httpserver import respond
from tests.bot.ingest.hostile import drip
from tests.bot.telegram.conversation import ask
from tests.bot.telegram.test_bot_links import ARTICLE, HTML
from tests.fakes import FakeTelegram

READERS = 70  # more than the update processor runs at once (64)
FIRST_READER = 30_000
# Generous bounds that show "not blocked": the slow things below last 5 s to minutes.
PROMPT = 5.0
BUSY = "sibuk"
FLOOD = ["Banjir setinggi satu meter merendam ratusan rumah warga di Kemang.", "Warga mengungsi ke masjid."]


def texts(tg: FakeTelegram, chat: int) -> list[str]:
    """The texts of the bot's messages to a chat, in order."""
    return [m.text or "" for m in tg.messages_to(chat)]


async def test_seventy_links_to_a_dripping_site_leave_other_chats_and_ingestion_free(
    tg: FakeTelegram, db_url: str, site: NewsSite
) -> None:
    release = threading.Event()
    site.server.route("/lambat", drip(ARTICLE, release))
    site.server.route("/cepat", respond(ARTICLE, headers=HTML))
    slow = site.server.url("/lambat")
    settings = bot_settings(tg, db_url, ringkas_fetch_per_host=1, ringkas_fetch_host_delay=0, ringkas_link_timeout=5.0)
    readers = [FIRST_READER + n for n in range(READERS)]
    async with running_bot(settings) as app:
        try:
            for chat in readers:
                tg.send_text(chat, slow)
            assert await tg.wait_until_async(lambda: any(r.path == "/lambat" for r in site.server.requests), 10)
            # One reader's link holds the readers' only slot on the host; ingestion has its own.
            fetched = await asyncio.wait_for(runtime(app).services.fetcher.get(site.server.url("/cepat")), PROMPT)
            assert fetched.status == 200
            assert all(len(tg.messages_to(c)) <= 1 for c in readers), "a link was answered before its deadline"
            # Another chat is answered at once, and every reader hears that the summary is coming.
            tg.send_text(USER_ID, "/start")
            await tg.wait_for_messages_async(USER_ID, 1, timeout=PROMPT)
            assert await tg.wait_until_async(lambda: all(tg.messages_to(c) for c in readers), PROMPT)
            assert all("⏳" in texts(tg, c)[0] for c in readers)
            # Every link is answered within its deadline (5 s): too slow for the one that got the
            # slot, busy for those that found it taken; none waits behind the others for minutes.
            assert await tg.wait_until_async(lambda: all(len(tg.messages_to(c)) >= 2 for c in readers), 20)
            answers = [texts(tg, c)[1] for c in readers]
            assert all(BUSY in a or "tidak bisa diambil" in a for a in answers), set(answers)
            assert sum(BUSY in a for a in answers) > READERS // 2
        finally:
            release.set()  # a failing test's links end at once, and the bot stops promptly


async def test_a_readers_inline_queries_buttons_and_commands_are_answered_while_their_link_is_pending(
    tg: FakeTelegram, db_url: str, site: NewsSite
) -> None:
    release = threading.Event()
    site.server.route("/lambat", drip(ARTICLE, release))
    async with running_bot(bot_settings(tg, db_url)) as app:
        try:
            await insert_story(runtime(app).services.db, "Banjir Rendam Kemang", FLOOD, url="https://kabar.example/b")
            tg.send_text(USER_ID, site.server.url("/lambat"))
            assert await tg.wait_until_async(lambda: any(r.path == "/lambat" for r in site.server.requests), 10)
            # Telegram drops an inline answer later than about 10 s.
            query = tg.send_inline_query(USER_ID, "")
            assert await tg.wait_until_async(lambda: tg.inline_answer(query) is not None, PROMPT)
            assert "⏳" in texts(tg, USER_ID)[0]
            await ask(tg, "/atur")
            keyboard = tg.messages_to(USER_ID)[-1]
            tg.press_button(USER_ID, USER_ID, "set:k:1", keyboard.message_id or 0)
            assert await tg.wait_until_async(lambda: bool(tg.calls("answerCallbackQuery")), PROMPT)
            # Five rapid commands are answered, in the order they were sent.
            before = len(tg.messages_to(USER_ID))
            for n in range(5):
                tg.send_text(USER_ID, f"/ikuti topik{n}")
            replies = await tg.wait_for_messages_async(USER_ID, before + 5, timeout=PROMPT)
            assert [f"topik{n}" in (m.text or "") for n, m in enumerate(replies[before:])] == [True] * 5
            assert not any("🔗" in t for t in texts(tg, USER_ID)), "the link was answered before its page came"
            release.set()
            assert await tg.wait_until_async(lambda: any("🔗" in t for t in texts(tg, USER_ID)), 15)
            assert "Banjir Rendam Kemang" in texts(tg, USER_ID)[-1]
        finally:
            release.set()  # a failing test's links end at once, and the bot stops promptly


async def test_stopping_the_bot_waits_for_the_running_link_only_not_the_chats_queue(
    tg: FakeTelegram, db_url: str, site: NewsSite
) -> None:
    release = threading.Event()
    site.server.route("/lambat", drip(ARTICLE, release))
    try:
        async with running_bot(bot_settings(tg, db_url, ringkas_link_timeout=2.0)):
            for n in range(3):
                tg.send_text(USER_ID, site.server.url(f"/lambat?{n}"))
            assert await tg.wait_until_async(lambda: len(tg.messages_to(USER_ID)) >= 3, PROMPT)
            assert await tg.wait_until_async(lambda: any(r.path == "/lambat" for r in site.server.requests), 10)
    finally:
        release.set()
    # The first link ran to its deadline; the two queued behind it were dropped, not fetched.
    assert [r.query for r in site.server.requests if r.path == "/lambat"] == ["0"]
