"""Grouping stored articles into stories: the database side of ``bot.store.cluster``.

A new article's strongest terms look up the open stories that index any of them
(``story_terms``, one row per story and key term with the story's latest publication time),
the best few dozen by shared keys come back with their first member's vector in the same
statement, are scored against their centroids and seeds, and the article joins
the winner or starts a story. Then the story's centroids, key terms, counts and headline are
updated: the headline is the member closest to the story's centroid (its most representative
report), not merely the latest one. The same function serves ingestion and
``ringkas cluster``, so the offline evaluation measures exactly what the bot does.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import case, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.cluster import (
    DEFAULT_SETTINGS,
    ClusterSettings,
    StoryCandidate,
    choose_story,
    key_terms,
    utc,
)
from bot.store.models import Article, Story, StoryTerm
from bot.store.story_terms import candidates_statement
from bot.store.storyvec import (
    TITLE_TERMS,
    add,
    article_vector,
    cosine,
    decode,
    encode,
    title_vector,
)

logger = logging.getLogger(__name__)


def _decode(text: str, story_id: int) -> dict[str, float]:
    """A stored centroid, or an empty one (logged) if it cannot be read."""
    try:
        return decode(text)
    except ValueError as exc:
        logger.warning("story %s has an unreadable centroid: %s", story_id, exc)
        return {}


async def _candidates(
    session: AsyncSession, article: Article, keys: list[str], settings: ClusterSettings
) -> list[StoryCandidate]:
    """Open stories sharing the most key terms with the article, with their centroids and their
    first member's vector and time (the seed), in one statement.

    Each key term looks at most ``settings.per_term`` open stories, the most recently active
    first: a term that dozens of open stories share says little about which one an article
    belongs to, and reading every story that indexes "indonesia" was most of the cost of an
    assignment with 20,000 articles in the window (``benchmarks/cluster_bench.py``). Only the
    columns scoring needs are read; the story an article joins is loaded whole afterwards.
    """
    if not keys:
        return []
    rows = await session.execute(
        candidates_statement(len(keys)),
        {**{f"t{n}": term for n, term in enumerate(keys)}, "since": article.published_at - settings.window,
         "per_term": settings.per_term, "candidates": settings.candidates},
    )
    return [c for c in (_as_candidate(*row) for row in rows) if c is not None]


def _as_candidate(
    story_id: int, centroid: str, title_centroid: str, last: datetime | None, seed: str | None, first: datetime
) -> StoryCandidate | None:
    """What ``choose_story`` needs of a stored story (None for one without a centroid)."""
    if last is None or not centroid:
        return None
    return StoryCandidate(
        story_id, _decode(centroid, story_id), _decode(title_centroid, story_id), last,
        _decode(seed, story_id) if seed else None, first,
    )


async def _index_terms(
    session: AsyncSession, story: Story, before: list[str], after: list[str], moved: bool
) -> None:
    """Keep the story's indexed key terms (and their time) in step with its centroid."""
    when = story.last_published_at
    if before != after:
        await session.execute(delete(StoryTerm).where(StoryTerm.story_id == story.id))
        if after:
            await session.execute(
                insert(StoryTerm), [{"story_id": story.id, "term": t, "last_published_at": when} for t in after]
            )
    elif moved and after:
        await session.execute(
            update(StoryTerm).where(StoryTerm.story_id == story.id).values(last_published_at=when)
        )


async def _members(session: AsyncSession, story: Story, article: Article) -> tuple[int, int, bool, str]:
    """Before the article joins: the story's articles, outlets, whether the article's outlet is
    among them, and the headline article's vector text, in one round trip."""
    members = select(Article).where(Article.story_id == story.id).subquery()
    same = func.coalesce(func.sum(case((members.c.source == article.source, 1), else_=0)), 0)
    lead = select(Article.signature).where(Article.id == story.lead_article_id).scalar_subquery()
    with session.no_autoflush:
        count, sources, mine, lead_sig = (await session.execute(
            select(func.count(), func.count(func.distinct(members.c.source)), same, lead)
        )).one()
    return count, sources, bool(mine), lead_sig or ""


def _update_headline(story: Story, article: Article, lead_sig: str, centroid: dict[str, float]) -> None:
    """Make the article the story's headline if it is closer to the centroid than the current one."""
    current = _decode(lead_sig, story.id) if lead_sig else {}
    if story.lead_article_id not in (None, article.id) and current and (
        cosine(current, centroid) >= cosine(decode(article.signature), centroid)
    ):
        return
    story.lead_article_id = article.id
    story.title = article.title


async def _start_story(
    session: AsyncSession, article: Article, vector: dict[str, float], title: dict[str, float],
    settings: ClusterSettings,
) -> Story:
    """Insert a story made of the article alone, complete in one INSERT (no UPDATE after it),
    with its key terms; returns it. Changes the article's ``story_id`` in the same flush."""
    story = Story(
        title=article.title, category=article.category, first_seen_at=article.first_seen_at,
        updated_at=article.first_seen_at, article_count=1, source_count=1, lead_article_id=article.id,
        last_published_at=article.published_at,
        centroid=encode(add({}, vector, settings.centroid_terms)), title_centroid=encode(add({}, title, TITLE_TERMS * 3)),
    )
    article.story = story  # one flush inserts the story and points the article at it
    await session.flush()
    keys = key_terms(vector, settings.story_keys)
    if keys:
        await session.execute(
            insert(StoryTerm), [{"story_id": story.id, "term": t, "last_published_at": story.last_published_at} for t in keys]
        )
    return story


async def assign_story(
    session: AsyncSession, article: Article, settings: ClusterSettings = DEFAULT_SETTINGS
) -> Story:
    """Attach a freshly flushed article to the best open story, or start one; returns the story.

    Changes: the article's ``signature`` (its vector) and ``story_id``; the story's centroids,
    key terms, counts, ``updated_at``, ``last_published_at`` and headline.
    """
    # One flush at the end: the article and story updates go out together, not between reads.
    with session.no_autoflush:
        vector = article_vector(article.title, article.text)
        title = title_vector(article.title)
        article.signature = encode(vector)
        candidates = await _candidates(session, article, key_terms(vector, settings.key_terms), settings)
        story_id = choose_story(vector, title, article.published_at, candidates, settings)
        story = await session.get(Story, story_id) if story_id is not None else None
        if story is None:
            story = await _start_story(session, article, vector, title, settings)
            await session.flush()
            return story
        count, sources, known_source, lead_sig = await _members(session, story, article)
        article.story_id = story.id
        old = _decode(story.centroid, story.id)
        centroid = add(old, vector, settings.centroid_terms)
        story.centroid = encode(centroid)
        story.title_centroid = encode(add(_decode(story.title_centroid, story.id), title, TITLE_TERMS * 3))
        last = story.last_published_at
        moved = last is None or utc(article.published_at) > utc(last)
        if moved:
            story.last_published_at = article.published_at
        before = key_terms(old, settings.story_keys) if old else []
        await _index_terms(session, story, before, key_terms(centroid, settings.story_keys), moved or not old)
        _update_headline(story, article, lead_sig, centroid)
        story.article_count = count + 1
        story.source_count = sources + (0 if known_source else 1)
        story.updated_at = article.first_seen_at
    await session.flush()
    return story


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
    query = (select(Story.id).where(Story.first_seen_at > since, Story.first_seen_at <= until)
             .order_by(Story.source_count.desc(), Story.updated_at.desc()).limit(limit))
    return list((await session.scalars(query)).all())
