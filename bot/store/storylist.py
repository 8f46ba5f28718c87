"""Stories as readers are shown them: each story's outlets with their links, the day's top stories."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import Article, Story


async def story_sources(session: AsyncSession, story_ids: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
    """Each story's outlets with the link of their first article, earliest report first."""
    out: dict[int, list[tuple[str, str]]] = {sid: [] for sid in story_ids}
    if not story_ids:
        return out
    rows = await session.execute(
        select(Article.story_id, Article.source, Article.url)
        .where(Article.story_id.in_(story_ids))
        .order_by(Article.published_at, Article.id)
    )
    for sid, source, url in rows:
        links = out[sid or 0] if sid in out else []
        if all(source != seen for seen, _ in links):
            links.append((source, url))
    return out


async def top_story_ids(session: AsyncSession, since: datetime, until: datetime, limit: int) -> list[int]:
    """Stories first seen in (since, until], most outlets first, then most recently updated."""
    query = (
        select(Story.id)
        .where(Story.first_seen_at > since, Story.first_seen_at <= until)
        .order_by(Story.source_count.desc(), Story.updated_at.desc())
        .limit(limit)
    )
    return list((await session.scalars(query)).all())
