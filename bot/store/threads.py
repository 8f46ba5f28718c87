"""Threads for readers: one entry per thread in a list of stories, and a thread's earlier stories.

A digest or a page of search results shows each developing story once: the best-placed story
of a thread is the entry, and up to ``MAX_RELATED`` other stories of the same thread that
would have been listed fold under it ("Berita terkait"). An entry whose thread began earlier
offers its earlier stories ("Perkembangan"), listed by time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import Article, Story

MAX_RELATED = 2
MAX_DEVELOPMENTS = 10


@dataclass(frozen=True)
class Entry:
    """One listed story and the stories of its thread folded under it."""

    story_id: int
    related: tuple[int, ...] = ()


@dataclass(frozen=True)
class Development:
    """An earlier story of a thread, as its "Perkembangan" list shows it."""

    story_id: int
    title: str
    url: str
    source: str
    published: datetime


def fold(ranked: Sequence[int], thread_of: Mapping[int, int | None], limit: int) -> list[Entry]:
    """At most ``limit`` entries from stories in rank order, one per thread; a thread's later
    stories fold under its entry (at most ``MAX_RELATED``) until the list is full."""
    entries: list[Entry] = []
    where: dict[int, int] = {}
    for story_id in ranked:
        thread = thread_of.get(story_id)
        if thread is not None and thread in where:
            n = where[thread]
            if len(entries[n].related) < MAX_RELATED:
                entries[n] = Entry(entries[n].story_id, (*entries[n].related, story_id))
            continue
        if len(entries) == limit:
            break
        if thread is not None:
            where[thread] = len(entries)
        entries.append(Entry(story_id))
    return entries


async def threads_of(session: AsyncSession, story_ids: Sequence[int]) -> dict[int, int | None]:
    """Each story's thread."""
    if not story_ids:
        return {}
    rows = await session.execute(select(Story.id, Story.thread_id).where(Story.id.in_(story_ids)))
    return {story_id: thread_id for story_id, thread_id in rows}


async def earlier_counts(session: AsyncSession, story_ids: Sequence[int]) -> dict[int, int]:
    """How many stories of each story's thread were first seen before it."""
    if not story_ids:
        return {}
    later = Story.__table__.alias("later")
    query = (
        select(later.c.id, func.count(Story.id))
        .join(Story, (Story.thread_id == later.c.thread_id) & (Story.first_seen_at < later.c.first_seen_at))
        .where(later.c.id.in_(story_ids))
        .group_by(later.c.id)
    )
    return {story_id: count for story_id, count in await session.execute(query)}


async def developments(session: AsyncSession, story_id: int, limit: int = MAX_DEVELOPMENTS) -> list[Development]:
    """The stories of this story's thread first seen before it, oldest first (the latest ``limit``)."""
    story = await session.get(Story, story_id)
    if story is None or story.thread_id is None:
        return []
    query = (
        select(Story.id, Story.title, Article.url, Article.source, Article.published_at)
        .join(Article, Article.id == Story.lead_article_id)
        .where(Story.thread_id == story.thread_id, Story.first_seen_at < story.first_seen_at)
        .order_by(Story.first_seen_at.desc(), Story.id.desc())
        .limit(limit)
    )
    rows = (await session.execute(query)).all()
    return [Development(*row) for row in reversed(rows)]
