"""Updates the bot did not ask for: forged button presses, and channel posts (ignored for now)."""

from __future__ import annotations

import logging
import time

import pytest
from sqlalchemy import select

from bot.store.models import SourceFilter
from tests.bot.botharness import (
    USER_ID,
    NewsSite,
    bot_settings,
    news_item,
    running_bot,
    runtime,
    seed_news,
)
from tests.bot.telegram.test_bot_commands import CHAT, FLOOD, ask, subscriber
from tests.fakes import FakeTelegram

INTRUDER = 6666
CHANNEL = -1001234567890


def callback_answers(tg: FakeTelegram) -> list[str]:
    return [str(c.params.get("text", "")) for c in tg.calls("answerCallbackQuery")]


async def test_a_button_pressed_by_someone_else_in_a_private_chat_changes_nothing(
    tg: FakeTelegram, db_url: str
) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        await ask(tg, "/atur")
        message_id = tg.messages_to(CHAT)[-1].message_id or 0
        tg.press_button(CHAT, INTRUDER, "set:b:1", message_id)  # forged: not the chat's owner
        assert await tg.wait_until_async(lambda: len(tg.calls("answerCallbackQuery")) == 1, timeout=10)
        assert callback_answers(tg) == ["Tombol ini bukan milik Anda."]
        assert (await subscriber(app)).stories_per_digest == 8
        assert not tg.calls("editMessageText")
        tg.press_button(CHAT, USER_ID, "set:b:1", message_id)  # the owner still can
        assert await tg.wait_until_async(lambda: bool(tg.calls("editMessageText")), timeout=10)
        assert (await subscriber(app)).stories_per_digest == 9


async def test_a_source_button_for_a_feed_that_does_not_exist_stores_nothing(
    tg: FakeTelegram, db_url: str, site: NewsSite
) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        feed_id = await seed_news(runtime(app).services.db, site, [news_item(1, "Banjir Rendam Kemang", FLOOD)])
        await ask(tg, "/sumber")
        message_id = tg.messages_to(CHAT)[-1].message_id or 0
        for forged in (f"src:f:{feed_id + 1}", "src:f:99999999999999999999999", "src:f:-1", "src:x:1", "src:c:zzzz"):
            tg.press_button(CHAT, USER_ID, forged, message_id)
        assert await tg.wait_until_async(lambda: len(tg.calls("answerCallbackQuery")) == 5, timeout=10)
        assert set(callback_answers(tg)) == {"Pilihan ini sudah tidak tersedia."}
        async with runtime(app).services.db.sessionmaker() as session:
            assert (await session.scalars(select(SourceFilter))).all() == []


def channel_message(message_id: int, text: str) -> dict[str, object]:
    chat = {"id": CHANNEL, "type": "channel", "title": "Kanal Berita"}
    return {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": chat,
        "text": text,
        "sender_chat": chat,
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
    }


async def test_channel_posts_and_membership_changes_are_ignored_without_errors(
    tg: FakeTelegram, db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    async with running_bot(bot_settings(tg, db_url)):
        tg.add_update({"channel_post": channel_message(1, "/start")})
        tg.add_update({"edited_channel_post": {**channel_message(1, "/start"), "edit_date": int(time.time())}})
        tg.add_update(
            {
                "my_chat_member": {
                    "chat": {"id": CHANNEL, "type": "channel", "title": "Kanal Berita"},
                    "from": {"id": USER_ID, "is_bot": False, "first_name": "Penguji"},
                    "date": int(time.time()),
                    "old_chat_member": {"status": "left", "user": {"id": 1, "is_bot": True, "first_name": "Ringkas"}},
                    "new_chat_member": {
                        "status": "administrator",
                        "user": {"id": 1, "is_bot": True, "first_name": "Ringkas"},
                        "can_be_edited": False,
                        "can_manage_chat": True,
                        "can_change_info": True,
                        "can_post_messages": True,
                        "can_edit_messages": True,
                        "can_delete_messages": True,
                        "can_invite_users": True,
                        "can_restrict_members": True,
                        "can_promote_members": False,
                        "can_manage_video_chats": True,
                        "is_anonymous": False,
                        "can_post_stories": True,
                        "can_edit_stories": True,
                        "can_delete_stories": True,
                    },
                }
            }
        )
        assert "Halo" in await ask(tg, "/start")  # queued after them: they have been handled
    assert tg.messages_to(CHANNEL) == []
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING and r.name.startswith(("bot", "telegram"))]
    assert problems == [], [r.getMessage() for r in problems]


async def test_a_non_admin_pressing_a_group_s_keyboard_gets_popups_not_messages(tg: FakeTelegram, db_url: str) -> None:
    group, admin, member = -100555, 42, 43
    tg.set_chat_admins(group, [admin])
    async with running_bot(bot_settings(tg, db_url)) as app:
        assert "Pengaturan ringkasan" in await ask(tg, "/atur", chat=group, user=admin, chat_type="supergroup")
        keyboard = tg.messages_to(group)[-1].message_id or 0
        for _ in range(3):
            tg.press_button(group, member, "set:b:1", keyboard)
        assert await tg.wait_until_async(lambda: len(tg.calls("answerCallbackQuery")) == 3, timeout=10)
        assert (
            callback_answers(tg) == ["Maaf, hanya admin grup yang dapat mengubah pengaturan Ringkas di grup ini."] * 3
        )
        assert all(c.params.get("show_alert") is True for c in tg.calls("answerCallbackQuery"))
        assert len(tg.messages_to(group)) == 1  # only the keyboard itself
        assert (await subscriber(app, group)).stories_per_digest == 8


async def test_every_press_is_answered_even_one_no_keyboard_of_the_bot_has(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)):
        tg.press_button(CHAT, USER_ID, "zzz:1", 1)
        assert await tg.wait_until_async(lambda: len(tg.calls("answerCallbackQuery")) == 1, timeout=10)
        assert callback_answers(tg) == ["Pilihan ini sudah tidak tersedia."] and tg.messages_to(CHAT) == []
