"""A chat's languages: the one chosen with /bahasa, and a private chat's Telegram app language.

The bot answers each update in the chosen language, else in the sender's Telegram language;
digests and alerts are sent later, with no update to read it from, so a private chat's
Telegram language is stored as well and kept current (``bot.telegram.handlers.lang``).
"""

from __future__ import annotations

import logging

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import Subscriber

logger = logging.getLogger(__name__)

# An IETF language tag is at most this long.
MAX_LANGUAGE_CODE_CHARS = 35


async def chat_languages(
    session: AsyncSession, chat_id: int, thread_id: int = 0
) -> tuple[str | None, str | None] | None:
    """A chat's (or forum topic's) /bahasa choice and stored Telegram language; None when it has no row."""
    row = (
        await session.execute(
            select(Subscriber.language, Subscriber.language_code).where(
                Subscriber.chat_id == chat_id, Subscriber.thread_id == thread_id
            )
        )
    ).first()
    return None if row is None else (row[0], row[1])


async def remember_language_code(session: AsyncSession, chat_id: int, thread_id: int, code: str) -> None:
    """Store a chat's new Telegram language."""
    await session.execute(
        update(Subscriber)
        .where(Subscriber.chat_id == chat_id, Subscriber.thread_id == thread_id)
        .values(language_code=code[:MAX_LANGUAGE_CODE_CHARS])
    )
    logger.debug("a chat's Telegram language changed")
