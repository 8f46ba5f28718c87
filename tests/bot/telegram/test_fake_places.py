"""The fake Bot API's channels, forum topics and inline queries, checked directly through PTB's Bot."""

from __future__ import annotations

import pytest
from telegram import Bot, InlineQueryResultArticle, InputTextMessageContent
from telegram.error import BadRequest, Forbidden

from tests.fakes import FakeTelegram

CHANNEL, FORUM = -1001000000001, -1002000000002


async def test_channels_need_the_bot_as_admin(tg: FakeTelegram) -> None:
    tg.make_channel(CHANNEL, bot_is_admin=False)
    async with Bot(tg.token, base_url=tg.api_url) as bot:
        with pytest.raises(BadRequest, match="administrator rights"):
            await bot.send_message(CHANNEL, "halo")
        tg.make_channel(CHANNEL)
        sent = await bot.send_message(CHANNEL, "halo")
        assert sent.sender_chat is not None and sent.sender_chat.id == CHANNEL and sent.from_user is None
        member = await bot.get_chat_member(CHANNEL, bot.id)
        assert member.status == "administrator" and getattr(member, "can_post_messages", None) is True
        tg.forbid(CHANNEL)
        with pytest.raises(Forbidden):
            await bot.send_message(CHANNEL, "halo")


async def test_topics_refuse_closed_and_deleted_threads(tg: FakeTelegram) -> None:
    tg.make_forum(FORUM, [5, 6])
    async with Bot(tg.token, base_url=tg.api_url) as bot:
        sent = await bot.send_message(FORUM, "di topik", message_thread_id=5)
        assert sent.message_thread_id == 5 and sent.is_topic_message
        assert (await bot.send_message(FORUM, "di General")).message_thread_id is None
        tg.close_topic(FORUM, 5)
        with pytest.raises(BadRequest, match="Topic_closed"):
            await bot.send_message(FORUM, "x", message_thread_id=5)
        tg.delete_topic(FORUM, 6)
        with pytest.raises(BadRequest, match="thread not found"):
            await bot.send_message(FORUM, "x", message_thread_id=6)
        with pytest.raises(BadRequest, match="thread not found"):
            await bot.send_message(FORUM, "x", message_thread_id=99)


async def test_inline_answers_are_validated(tg: FakeTelegram) -> None:
    def article(n: int, text: str = "<b>ok</b>") -> InlineQueryResultArticle:
        return InlineQueryResultArticle(f"r{n}", f"Judul {n}", InputTextMessageContent(text, parse_mode="HTML"))

    async with Bot(tg.token, base_url=tg.api_url) as bot:
        with pytest.raises(BadRequest, match=r"(?i)query id is invalid"):
            await bot.answer_inline_query("nope", [article(1)])
        query = tg.send_inline_query(7, "banjir")
        with pytest.raises(BadRequest, match=r"(?i)result_id_duplicate"):
            await bot.answer_inline_query(query, [article(1), article(1)])
        with pytest.raises(BadRequest, match=r"(?i)parse"):
            await bot.answer_inline_query(query, [article(1, "<b>unclosed")])
        with pytest.raises(BadRequest, match=r"(?i)results_too_much"):
            await bot.answer_inline_query(query, [article(n) for n in range(51)])
        assert await bot.answer_inline_query(query, [article(1)], next_offset="10")
        assert tg.inline_answer(query) is not None
        with pytest.raises(BadRequest, match=r"(?i)query id is invalid"):
            await bot.answer_inline_query(query, [article(1)])
