"""Forum topics through the real application: a subscription per topic, replies and deliveries in
the topic, a closed or deleted topic deactivating only itself, group migration onto a taken id, and
the "Sumber lain" listing answered in the button's topic."""

from __future__ import annotations

import logging

import pytest
from telegram.ext import Application

from tests.bot.botharness import bot_settings, running_bot, runtime
from tests.bot.telegram.conversation import ask, deliver_one, subscriber_of
from tests.bot.telegram.test_story_sources import store_reports
from tests.fakes import FakeTelegram

FORUM, ADMIN = -1008000000001, 42


async def in_topic(tg: FakeTelegram, thread: int, text: str) -> tuple[str, int | None]:
    """Write in a topic as the group's admin; the bot's reply text and the topic it went to."""
    before = len(tg.messages_to(FORUM))
    tg.send_in_topic(FORUM, thread, text, user_id=ADMIN)
    answer = (await tg.wait_for_messages_async(FORUM, before + 1, timeout=15))[before]
    return answer.text or "", answer.params.get("message_thread_id")


async def deliver(app: Application, thread: int, key: str) -> str:  # type: ignore[type-arg]
    """Record and send a one-message digest to a topic's subscriber; the outcome's status."""
    return await deliver_one(app, (await subscriber_of(app, FORUM, thread)).id, key)


async def test_each_topic_holds_its_own_subscription(tg: FakeTelegram, db_url: str) -> None:
    tg.make_forum(FORUM, [10, 20])
    tg.set_chat_admins(FORUM, [ADMIN])
    async with running_bot(bot_settings(tg, db_url)) as app:
        assert await in_topic(tg, 10, "/langganan@ringkas_test_bot 07:00") == (
            "✅ Berlangganan. Ringkasan harian dikirim setiap pukul <b>07:00 WIB</b>.",
            10,
        )
        text, thread = await in_topic(tg, 20, "/zona WIT")
        assert "WIT" in text and thread == 20
        assert (await subscriber_of(app, FORUM, 10)).timezone == "Asia/Jakarta"
        assert (await subscriber_of(app, FORUM, 20)).timezone == "Asia/Jayapura"
        assert not (await subscriber_of(app, FORUM, 20)).subscribed
        assert await deliver(app, 10, "digest:a") == "sent"
        assert tg.messages_to(FORUM)[-1].params["message_thread_id"] == 10


async def test_a_closed_or_deleted_topic_deactivates_only_itself(
    tg: FakeTelegram, db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    tg.make_forum(FORUM, [10, 20])
    tg.set_chat_admins(FORUM, [ADMIN])
    async with running_bot(bot_settings(tg, db_url)) as app:
        await in_topic(tg, 10, "/langganan")
        await in_topic(tg, 20, "/langganan")
        assert "07:00" in await ask(tg, "/langganan", chat=FORUM, user=ADMIN, chat_type="supergroup")
        tg.close_topic(FORUM, 10)
        tg.delete_topic(FORUM, 20)
        with caplog.at_level(logging.INFO, logger="bot.telegram.delivery_fixes"):
            assert await deliver(app, 10, "digest:a") == "failed"
            assert await deliver(app, 20, "digest:b") == "failed"
        assert [r.getMessage() for r in caplog.records if "deactivated" in r.getMessage()] == [
            f"subscriber deactivated id={(await subscriber_of(app, FORUM, 10)).id} reason=topic gone: Topic_closed",
            f"subscriber deactivated id={(await subscriber_of(app, FORUM, 20)).id} reason=topic gone: Message thread not found",
        ]
        assert not (await subscriber_of(app, FORUM, 10)).active
        assert not (await subscriber_of(app, FORUM, 20)).active
        whole_chat = await subscriber_of(app, FORUM, 0)
        assert whole_chat.active and whole_chat.subscribed
        assert await deliver(app, 0, "digest:c") == "sent"


async def test_a_group_migrating_onto_a_subscribed_supergroup(tg: FakeTelegram, db_url: str) -> None:
    group, supergroup = -500, -100500
    tg.set_chat_admins(group, [ADMIN])
    tg.set_chat_admins(supergroup, [ADMIN])
    async with running_bot(bot_settings(tg, db_url)) as app:
        await ask(tg, "/langganan", chat=group, user=ADMIN, chat_type="group")
        await ask(tg, "/langganan", chat=supergroup, user=ADMIN, chat_type="supergroup")
        tg.migrate(group, supergroup)
        assert await deliver_one(app, (await subscriber_of(app, group)).id, "digest:a") == "failed"
        assert not (await subscriber_of(app, group)).active
        assert (await subscriber_of(app, supergroup)).active


async def test_other_sources_pressed_in_a_topic_never_land_in_general(tg: FakeTelegram, db_url: str) -> None:
    """A press in a forum topic is a press in a group: the list goes to the presser's private chat
    (no message per press in the group), never to the group's General."""
    tg.make_forum(FORUM, [10])
    async with running_bot(bot_settings(tg, db_url)) as app:
        story_id = await store_reports(runtime(app).services.db)
        text, thread = await in_topic(tg, 10, "/cari banjir kemang")
        assert "juga diberitakan oleh" in text and thread == 10
        results = tg.messages_to(FORUM)[-1]
        before = len(tg.messages_to(FORUM))
        tg.press_button(FORUM, ADMIN, f"lain:{story_id}", results.message_id or 0)
        listing = (await tg.wait_for_messages_async(ADMIN, 1, timeout=15))[-1]
        assert "Diberitakan oleh" in (listing.text or "")
        assert len(tg.messages_to(FORUM)) == before  # nothing posted in the group, General included
