"""Talking to the bot under test: send a message as a user and wait for its reply."""

from __future__ import annotations

from sqlalchemy import select
from telegram.ext import Application

from bot.store.models import Subscriber
from bot.telegram.ledger import create_delivery
from tests.bot.botharness import USER_ID, runtime
from tests.fakes import FakeTelegram


async def ask(
    tg: FakeTelegram, text: str, *, chat: int = USER_ID, user: int = USER_ID, chat_type: str = "private"
) -> str:
    """Send a message as a user and return the bot's (first) reply."""
    before = len(tg.messages_to(chat))
    tg.send_text(chat, text, user_id=user, chat_type=chat_type)
    replies = await tg.wait_for_messages_async(chat, before + 1, timeout=15)
    return replies[before].text or ""


async def ask_link(
    tg: FakeTelegram, text: str, *, chat: int = USER_ID, user: int = USER_ID, chat_type: str = "private"
) -> str:
    """Send a message with a link; check the bot says at once that its summary is coming; the answer after that."""
    before = len(tg.messages_to(chat))
    tg.send_text(chat, text, user_id=user, chat_type=chat_type)
    replies = await tg.wait_for_messages_async(chat, before + 2, timeout=15)
    assert "⏳" in (replies[before].text or ""), replies[before].text
    return replies[before + 1].text or ""


async def link_answer(tg: FakeTelegram, text: str, *, chat: int = USER_ID) -> str:
    """Send a message with a link; the bot's answer to it, past the "⏳" note where one comes first
    (a link refused at once gets its answer without the note)."""
    before = len(tg.messages_to(chat))
    tg.send_text(chat, text, user_id=chat)

    def answers() -> list[str]:
        return [m.text or "" for m in tg.messages_to(chat)[before:] if not (m.text or "").startswith("⏳")]

    assert await tg.wait_until_async(lambda: bool(answers()), timeout=15), "no answer to the link"
    return answers()[0]


async def subscriber_of(app: Application, chat: int = USER_ID, thread: int = 0) -> Subscriber:  # type: ignore[type-arg]
    """The stored subscriber of a chat (or of one forum topic)."""
    async with runtime(app).services.db.sessionmaker() as session:
        sub = await session.scalar(select(Subscriber).where(Subscriber.chat_id == chat, Subscriber.thread_id == thread))
        assert sub is not None
        return sub


async def ask_in(tg: FakeTelegram, text: str, language_code: str, *, chat: int = USER_ID) -> str:
    """Send a private message from a user whose Telegram app is set to ``language_code``; the reply."""
    before = len(tg.messages_to(chat))
    entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}] if text.startswith("/") else []
    user = {"id": chat, "is_bot": False, "first_name": "Reader", "language_code": language_code}
    tg.add_update(
        {
            "message": {
                "message_id": 10_000 + before,
                "date": 0,
                "chat": {"id": chat, "type": "private", "first_name": "Reader"},
                "from": user,
                "text": text,
                "entities": entities,
            }
        }
    )
    replies = await tg.wait_for_messages_async(chat, before + 1, timeout=15)
    return replies[before].text or ""


async def deliver_one(app: Application, subscriber_id: int, key: str, text: str = "📰 <b>Uji</b>") -> str:  # type: ignore[type-arg]
    """Record a one-message delivery for a subscriber, send it through the real sender; its status."""
    async with runtime(app).services.db.sessionmaker.begin() as session:
        delivery = await create_delivery(session, subscriber_id, "digest", key, [text])
        assert delivery is not None
        delivery_id = delivery.id
    [outcome] = await runtime(app).sender.send_many([delivery_id])
    return outcome.status
