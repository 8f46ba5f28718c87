"""Mute words: stories whose title or summary holds a muted word are left out for that chat.

Words are compared by word family (``summarizer.lang.families``): "kebanjiran" mutes "banjir"
and "mudik" mutes "pemudik", but "pemilu" leaves "pilu" alone, which a search stem would not.
A chat holds at most ``MAX_MUTES`` words; the cap is enforced by one conditional INSERT run
while the subscriber's row is locked, so two concurrent ``/bisukan`` never pass it together.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from functools import lru_cache
from typing import Any, Literal

from sqlalchemy import and_, exists, func, insert, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.idset import among
from bot.store.models import Article, Mute, Story, Subscriber, utcnow
from bot.store.subscribers import ChoiceError, topic_words
from summarizer.lang.families import holds_any, text_words

logger = logging.getLogger(__name__)

MAX_MUTES = 50
AddResult = Literal["added", "exists", "full"]


def normalize_mute(text: str) -> str:
    """A mute word, validated as a followed topic is (``topic_words``); ChoiceError when empty or unusable."""
    word = topic_words(text)
    if not word:
        raise ChoiceError("Tulis katanya, misalnya: /bisukan sepak bola")
    return word


async def add_mute(session: AsyncSession, subscriber_id: int, word: str) -> AddResult:
    """Mute a word unless the chat has it already or holds MAX_MUTES; say which happened."""
    # PostgreSQL: lock the subscriber row so two transactions cannot both read the count
    # inside the INSERT before either commits. SQLite runs one writer at a time, and a read
    # first would only turn the INSERT's wait for the writer lock into a "database is locked".
    if session.get_bind().dialect.name != "sqlite":
        await session.execute(select(Subscriber.id).where(Subscriber.id == subscriber_id).with_for_update())
    same = and_(Mute.subscriber_id == subscriber_id, Mute.word == word)
    count = select(func.count()).select_from(Mute).where(Mute.subscriber_id == subscriber_id).scalar_subquery()
    source = select(literal(subscriber_id), literal(word), literal(utcnow(), Mute.created_at.type)).where(
        count < MAX_MUTES, ~exists().where(same)
    )
    result = await session.execute(insert(Mute).from_select(["subscriber_id", "word", "created_at"], source))
    if getattr(result, "rowcount", 0) == 1:
        return "added"
    return "exists" if await session.scalar(select(Mute.id).where(same)) else "full"


async def remove_mute(session: AsyncSession, subscriber_id: int, word: str) -> bool:
    """Unmute a word; whether it was muted."""
    found = await session.scalar(select(Mute).where(Mute.subscriber_id == subscriber_id, Mute.word == word))
    if found is None:
        return False
    await session.delete(found)
    return True


async def mute_words(session: AsyncSession, subscriber_id: int) -> list[str]:
    """The chat's muted words, alphabetically."""
    query = select(Mute.word).where(Mute.subscriber_id == subscriber_id).order_by(Mute.word)
    return list((await session.scalars(query)).all())


async def mutes_of(session: AsyncSession, subscriber_ids: Collection[int]) -> dict[int, frozenset[str]]:
    """Muted words of many subscribers, in one query (subscribers without any are left out)."""
    found: dict[int, set[str]] = {}
    rows = await session.execute(
        select(Mute.subscriber_id, Mute.word).where(among(session, Mute.subscriber_id, subscriber_ids))
    )
    for sid, word in rows:
        found.setdefault(sid, set()).add(word)
    return {sid: frozenset(words) for sid, words in found.items()}


@lru_cache(maxsize=4096)
def _text_words(text: str) -> frozenset[str]:
    """The words of a story's text (cached: a digest run checks the same stories for many chats)."""
    return text_words(text)


def is_muted(text: str, words: Collection[str]) -> bool:
    """Whether the text holds a word of the family of every word of any muted keyword."""
    if not words:
        return False
    return holds_any(_text_words(text), frozenset(words))


def _summary_text(summary: Sequence[Any] | None) -> str:
    """A stored summary (sentences, or [index, sentence] pairs) as one string."""
    parts = [p[1] if isinstance(p, list | tuple) and len(p) == 2 else p for p in summary or []]
    return " ".join(str(p) for p in parts)


async def muted_story_ids(
    session: AsyncSession, subscriber_id: int, story_ids: Sequence[int], words: Collection[str] | None = None
) -> set[int]:
    """Which of these stories the subscriber muted (by the story's title or its lead article's title and summary)."""
    if words is None:
        words = await mute_words(session, subscriber_id)
    if not words or not story_ids:
        return set()
    rows = await session.execute(
        select(Story.id, Story.title, Article.title, Article.summary)
        .outerjoin(Article, Article.id == Story.lead_article_id)
        .where(Story.id.in_(list(story_ids)))
    )
    muted = {
        sid
        for sid, title, lead_title, summary in rows
        if is_muted(f"{title} {lead_title or ''} {_summary_text(summary)}", words)
    }
    if muted:
        logger.debug("muted stories subscriber=%d count=%d", subscriber_id, len(muted))
    return muted
