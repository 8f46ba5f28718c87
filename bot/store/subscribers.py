"""Subscribers and their choices: digest time, timezone, settings, followed topics, sources."""

from __future__ import annotations

import logging
import re

from sqlalchemy import and_, delete, exists, func, insert, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.idset import among
from bot.store.languages import MAX_LANGUAGE_CODE_CHARS
from bot.store.models import Feed, Follow, SourceFilter, Subscriber, utcnow
from bot.store.search import query_terms

logger = logging.getLogger(__name__)

MAX_FOLLOWS = 20
# A followed topic or a muted word, at most this long.
MAX_WORDS_CHARS = 60
STORIES_RANGE = range(1, 21)
SENTENCES_RANGE = range(1, 6)
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")


class ChoiceError(ValueError):
    """A subscriber's choice is not valid; the message (Indonesian) says what is expected.

    ``template`` and ``params`` let the bot translate the message before filling it in.
    """

    def __init__(self, template: str, **params: object) -> None:
        """Format the message from template and keep both, so a handler can translate it."""
        super().__init__(template.format(**params))
        self.template, self.params = template, params


def parse_time(text: str) -> str:
    """'7:30', '07.30' -> '07:30'; ChoiceError otherwise."""
    match = _TIME.match(text.strip())
    if not match:
        raise ChoiceError("Format jam tidak dikenal. Contoh: 07:00 atau 18.30")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise ChoiceError("Jam harus antara 00:00 dan 23:59.")
    return f"{hour:02d}:{minute:02d}"


async def get_subscriber(session: AsyncSession, chat_id: int, thread_id: int = 0) -> Subscriber | None:
    """The subscriber for a chat (thread 0) or one forum topic of it, if any."""
    return await session.scalar(
        select(Subscriber).where(Subscriber.chat_id == chat_id, Subscriber.thread_id == thread_id)
    )


async def ensure_subscriber(
    session: AsyncSession,
    chat_id: int,
    chat_type: str,
    title: str | None,
    *,
    default_time: str,
    timezone: str,
    thread_id: int = 0,
    language_code: str | None = None,
) -> Subscriber:
    """The chat's (or forum topic's) subscriber row, created (not subscribed) or reactivated as needed.

    ``language_code``, a private chat's Telegram language, is stored on a new row; later changes
    are kept by ``bot.store.languages.remember_language_code``.
    """
    sub = await get_subscriber(session, chat_id, thread_id)
    if sub is None:
        sub = Subscriber(
            chat_id=chat_id,
            thread_id=thread_id,
            chat_type=chat_type,
            title=title,
            subscribed=False,
            digest_time=default_time,
            timezone=timezone,
            language_code=language_code[:MAX_LANGUAGE_CODE_CHARS] if language_code else None,
        )
        session.add(sub)
        await session.flush()
    elif not sub.active:
        sub.active, sub.deactivated_reason = True, None
        logger.info("subscriber reactivated id=%d", sub.id)
    return sub


def topic_words(text: str) -> str:
    """A followed topic or a muted word as stored: collapsed whitespace, lower case, bounded, and
    holding a word search can match ('' for empty text; ChoiceError otherwise).

    /ikuti and /bisukan share it, so a topic of emoji or symbols, which no story can ever match,
    is refused by both instead of taking a place under the cap.
    """
    words = " ".join(text.split()).lower()
    if len(words) > MAX_WORDS_CHARS:
        raise ChoiceError("Kata terlalu panjang (maksimal {n} karakter).", n=MAX_WORDS_CHARS)
    if words and not query_terms(words):
        raise ChoiceError("Kata itu tidak berisi huruf atau angka yang bisa dicari.")
    return words


def normalize_keyword(text: str) -> str:
    """A keyword to follow (see ``topic_words``); ChoiceError when empty or unusable."""
    keyword = topic_words(text)
    if not keyword:
        raise ChoiceError("Tulis kata kuncinya, misalnya: /ikuti banjir")
    return keyword


async def follow(session: AsyncSession, sub: Subscriber, text: str) -> tuple[str, bool]:
    """Follow a keyword; return it and whether it is new (ChoiceError at the cap).

    The cap holds however many processes write: the subscriber's row is locked first (PostgreSQL;
    SQLite has one writer at a time anyway), and the insert itself only happens while fewer
    than ``MAX_FOLLOWS`` rows exist. Without the lock, two READ COMMITTED transactions could
    each count 19 and both insert.
    """
    keyword = normalize_keyword(text)
    await session.execute(select(Subscriber.id).where(Subscriber.id == sub.id).with_for_update())
    theirs = Follow.subscriber_id == sub.id
    room = select(func.count()).select_from(Follow).where(theirs).scalar_subquery() < MAX_FOLLOWS
    known = exists().where(and_(theirs, Follow.keyword == keyword))
    row = select(literal(sub.id), literal(keyword), literal(utcnow(), Follow.created_at.type)).where(room, ~known)
    result = await session.execute(
        insert(Follow).from_select([Follow.subscriber_id, Follow.keyword, Follow.created_at], row)
    )
    if getattr(result, "rowcount", 0) == 1:
        return keyword, True
    if await session.scalar(select(known)):
        return keyword, False
    logger.info("follow refused at the cap subscriber=%d", sub.id)
    raise ChoiceError("Maksimal {n} topik. Hapus salah satu dengan /unfollow.", n=MAX_FOLLOWS)


async def unfollow(session: AsyncSession, sub: Subscriber, text: str) -> bool:
    """Stop following a keyword; whether it was followed.

    Only collapsed and lower-cased, not validated: a keyword stored before ``topic_words``
    refused unsearchable ones can still be removed.
    """
    keyword = " ".join(text.split()).lower()
    if not keyword:
        raise ChoiceError("Tulis kata kuncinya, misalnya: /ikuti banjir")
    result = await session.execute(delete(Follow).where(Follow.subscriber_id == sub.id, Follow.keyword == keyword))
    return bool(getattr(result, "rowcount", 0))


async def topics(session: AsyncSession, sub: Subscriber) -> list[str]:
    """The subscriber's followed keywords, alphabetically."""
    query = select(Follow.keyword).where(Follow.subscriber_id == sub.id).order_by(Follow.keyword)
    return list((await session.scalars(query)).all())


async def exclusions(session: AsyncSession, subscriber_id: int) -> tuple[set[int], set[str]]:
    """Excluded feed ids and categories of a subscriber."""
    rows = (
        await session.execute(
            select(SourceFilter.kind, SourceFilter.value).where(SourceFilter.subscriber_id == subscriber_id)
        )
    ).all()
    feeds = {int(v) for k, v in rows if k == "feed" and v.isdigit()}
    return feeds, {v for k, v in rows if k == "category"}


async def exclusions_of(
    session: AsyncSession, subscriber_ids: list[int]
) -> dict[int, tuple[frozenset[int], frozenset[str]]]:
    """Excluded feed ids and categories of many subscribers, in one query."""
    rows = (
        await session.execute(
            select(SourceFilter.subscriber_id, SourceFilter.kind, SourceFilter.value).where(
                among(session, SourceFilter.subscriber_id, subscriber_ids)
            )
        )
    ).all()
    found: dict[int, tuple[set[int], set[str]]] = {}
    for sid, kind, value in rows:
        feeds, cats = found.setdefault(sid, (set(), set()))
        if kind == "feed" and value.isdigit():
            feeds.add(int(value))
        elif kind == "category":
            cats.add(value)
    return {sid: (frozenset(f), frozenset(c)) for sid, (f, c) in found.items()}


async def toggle_exclusion(session: AsyncSession, sub: Subscriber, kind: str, value: str) -> bool:
    """Flip a feed or category in/out of the digest; True when it is now included."""
    where = (SourceFilter.subscriber_id == sub.id, SourceFilter.kind == kind, SourceFilter.value == value)
    if await session.scalar(select(SourceFilter.id).where(*where)):
        await session.execute(delete(SourceFilter).where(*where))
        return True
    session.add(SourceFilter(subscriber_id=sub.id, kind=kind, value=value))
    return False


async def categories(session: AsyncSession) -> list[str]:
    """Categories of enabled feeds, alphabetically."""
    query = select(Feed.category).where(Feed.enabled.is_(True)).distinct().order_by(Feed.category)
    return list((await session.scalars(query)).all())


# A summary's length in the reader's words: about this many words per story (the sentence
# count stays a maximum). "sedang" is the summarizer's default budget.
SUMMARY_LENGTHS = {"pendek": 35, "sedang": 60, "panjang": 100}
LENGTH_ALIASES = {"short": "pendek", "medium": "sedang", "long": "panjang"}


def length_name(words: int) -> str:
    """The name of the summary length nearest to ``words`` words."""
    return min(SUMMARY_LENGTHS, key=lambda name: abs(SUMMARY_LENGTHS[name] - words))


def set_length(sub: Subscriber, name: str) -> None:
    """Set the summary length by name (pendek, sedang, panjang or the English words)."""
    key = LENGTH_ALIASES.get(name.lower(), name.lower())
    if key not in SUMMARY_LENGTHS:
        raise ChoiceError("Pilih panjang: pendek, sedang atau panjang.")
    sub.summary_words = SUMMARY_LENGTHS[key]


def next_length(sub: Subscriber) -> None:
    """Step the summary length to the next one (pendek → sedang → panjang → pendek)."""
    names = list(SUMMARY_LENGTHS)
    sub.summary_words = SUMMARY_LENGTHS[names[(names.index(length_name(sub.summary_words)) + 1) % len(names)]]


def set_number(sub: Subscriber, field: str, value: int) -> None:
    """Set stories per digest or sentences per summary, within range."""
    allowed = STORIES_RANGE if field == "stories_per_digest" else SENTENCES_RANGE
    if value not in allowed:
        raise ChoiceError("Nilai harus antara {low} dan {high}.", low=allowed.start, high=allowed.stop - 1)
    setattr(sub, field, value)
