"""Grouping stored articles into stories: the database side of ``bot.store.cluster``.

A new article's strongest terms look up the open stories that index any of them
(``story_terms``, one row per story and key term with the story's latest publication time),
the ten sharing most keys come back with their first member's and headline article's vectors
in the same statement, are scored against their centroids and seeds, and the article joins
the winner or starts a story. Then the story's centroids, key terms, counts and headline are
updated in one UPDATE: the headline is the member closest to the story's centroid (its most
representative report), not merely the latest one. The same function serves ingestion and
``ringkas cluster``, so the offline evaluation measures exactly what the bot does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.util import identity_key

from bot.store.cluster import DEFAULT_SETTINGS, ClusterSettings, StoryCandidate, choose_story, key_terms, utc
from bot.store.models import Article, Story, StoryTerm
from bot.store.story_terms import candidates_statement, insert_statement, term_params
from bot.store.storyvec import TITLE_TERMS, add, article_vector, cosine, decode, encode, title_vector

logger = logging.getLogger(__name__)


def _decode(text: str, story_id: int) -> dict[str, float]:
    """A stored centroid, or an empty one (logged) if it cannot be read. The same text gives
    the same dict, shared: callers never change it (``add`` makes a new one)."""
    try:
        return _decoded(text)
    except ValueError as exc:
        logger.warning("story %s has an unreadable centroid: %s", story_id, exc)
        return {}


@lru_cache(maxsize=1024)  # about 15 MB at most: a centroid is a dict of 120 terms
def _decoded(text: str) -> dict[str, float]:
    """``decode``, remembered: the open stories of the day are the candidates of article after
    article, and reading their centroids again was a tenth of an assignment's cost."""
    return decode(text)


async def _insert_terms(session: AsyncSession, story_id: int, terms: list[str], when: datetime | None) -> None:
    """Index the story under its key terms, in one statement."""
    if terms:
        await session.execute(
            insert_statement(len(terms)),
            {"story_id": story_id, "at": when, **term_params(terms)},
        )


# The grouping's statements differ only in their values, article after article; PostgreSQL
# otherwise plans each execution afresh for its values (a "custom plan"), which for the
# candidate lookup's ten-way UNION took longer than running it. Transaction-local, PostgreSQL 12+.
_GENERIC_PLANS = text("SET LOCAL plan_cache_mode = force_generic_plan")


async def _generic_plans(session: AsyncSession) -> None:
    """On PostgreSQL, plan the rest of this transaction's statements once, not per execution
    (p50 of an assignment 5.7 -> 4.1 ms, ``benchmarks/cluster_bench.py``)."""
    dialect = session.get_bind().dialect
    if dialect.name == "postgresql" and (dialect.server_version_info or (0,)) >= (12,):
        await session.execute(_GENERIC_PLANS)


@dataclass(frozen=True)
class _Headline:
    """A candidate story's headline article: its id and its vector text."""

    article_id: int | None
    signature: str


async def _candidates(
    session: AsyncSession, article: Article, keys: list[str], settings: ClusterSettings
) -> tuple[list[StoryCandidate], dict[int, _Headline]]:
    """Open stories sharing the most key terms with the article, with their centroids, their
    first member's vector and time (the seed) and their headline article, in one statement.

    Each key term looks at most ``settings.per_term`` open stories, the most recently active
    first: a term that dozens of open stories share says little about which one an article
    belongs to, and reading every story that indexes "indonesia" was most of the cost of an
    assignment with 20,000 articles in the window (``benchmarks/cluster_bench.py``).
    """
    if not keys:
        return [], {}
    await _generic_plans(session)
    rows = (
        await session.execute(
            candidates_statement(len(keys)),
            {
                **term_params(keys),
                "since": article.published_at - settings.window,
                "per_term": settings.per_term,
                "candidates": settings.candidates,
            },
        )
    ).all()
    candidates = [c for c in (_as_candidate(*row[:6]) for row in rows) if c is not None]
    return candidates, {row[0]: _Headline(row[6], row[7] or "") for row in rows}


def _as_candidate(
    story_id: int, centroid: str, title_centroid: str, last: datetime | None, seed: str | None, first: datetime
) -> StoryCandidate | None:
    """What ``choose_story`` needs of a stored story (None for one without a centroid)."""
    if last is None or not centroid:
        return None
    return StoryCandidate(
        story_id,
        _decode(centroid, story_id),
        _decode(title_centroid, story_id),
        last,
        _decode(seed, story_id) if seed else None,
        first,
    )


async def _index_terms(
    session: AsyncSession, story_id: int, before: list[str], after: list[str], when: datetime, moved: bool
) -> None:
    """Keep the story's indexed key terms, and their time ``when``, in step with its centroid:
    rewritten when the set of terms changed, else their time updated if it ``moved``."""
    if set(before) != set(after):
        await session.execute(delete(StoryTerm).where(StoryTerm.story_id == story_id))
        await _insert_terms(session, story_id, after, when)
    elif moved and after:
        await session.execute(update(StoryTerm).where(StoryTerm.story_id == story_id).values(last_published_at=when))


def _is_headline(article: Article, story_id: int, lead: _Headline, centroid: dict[str, float]) -> bool:
    """Whether the article should become the story's headline: it is closer to the centroid
    than the current headline article (or there is none to compare with)."""
    current = _decode(lead.signature, story_id) if lead.signature else {}
    if lead.article_id in (None, article.id) or not current:
        return True
    return cosine(decode(article.signature), centroid) > cosine(current, centroid)


async def _start_story(
    session: AsyncSession,
    article: Article,
    vector: dict[str, float],
    title: dict[str, float],
    settings: ClusterSettings,
) -> int:
    """Insert a story made of the article alone, complete in one INSERT (no UPDATE after it),
    with its key terms; returns its id. Changes the article's ``story_id`` in the same flush."""
    story = Story(
        title=article.title,
        category=article.category,
        first_seen_at=article.first_seen_at,
        updated_at=article.first_seen_at,
        article_count=1,
        source_count=1,
        lead_article_id=article.id,
        last_published_at=article.published_at,
        centroid=encode(add({}, vector, settings.centroid_terms)),
        title_centroid=encode(add({}, title, TITLE_TERMS * 3)),
    )
    article.story = story  # one flush inserts the story and points the article at it
    await session.flush()
    await _insert_terms(session, story.id, key_terms(vector, settings.story_keys), story.last_published_at)
    return story.id


async def _join_story(
    session: AsyncSession,
    article: Article,
    story: StoryCandidate,
    lead: _Headline,
    vector: dict[str, float],
    title: dict[str, float],
    settings: ClusterSettings,
) -> None:
    """Make the article a member of ``story`` (read by the candidate lookup): one UPDATE of the
    story, whose counts the database takes from its members, the article among them."""
    article.story_id = story.story_id
    await session.flush()  # the article must be a member when the counts are taken
    centroid = add(story.centroid, vector, settings.centroid_terms)
    members = select(func.count()).where(Article.story_id == story.story_id).scalar_subquery()
    outlets = select(func.count(func.distinct(Article.source))).where(Article.story_id == story.story_id)
    values: dict[str, object] = {
        "centroid": encode(centroid),
        "updated_at": article.first_seen_at,
        "title_centroid": encode(add(story.title_centroid, title, TITLE_TERMS * 3)),
        "article_count": members,
        "source_count": outlets.scalar_subquery(),
    }
    moved = utc(article.published_at) > utc(story.last_published_at)
    if moved:
        values["last_published_at"] = article.published_at
    if _is_headline(article, story.story_id, lead, centroid):
        values |= {"lead_article_id": article.id, "title": article.title}
    await session.execute(
        update(Story).where(Story.id == story.story_id).values(values).execution_options(synchronize_session=False)
    )
    loaded = session.identity_map.get(identity_key(Story, story.story_id))
    if loaded is not None:  # a Story this session holds would be out of date
        session.expire(loaded)
    before = key_terms(story.centroid, settings.story_keys)
    await _index_terms(
        session,
        story.story_id,
        before,
        key_terms(centroid, settings.story_keys),
        article.published_at if moved else story.last_published_at,
        moved,
    )


async def assign_story(session: AsyncSession, article: Article, settings: ClusterSettings = DEFAULT_SETTINGS) -> int:
    """Attach a freshly flushed article to the best open story, or start one; returns the
    story's id.

    Changes: the article's ``signature`` (its vector) and ``story_id``; the story's centroids,
    key terms, counts, ``updated_at``, ``last_published_at`` and headline. The candidate lookup
    (after a ``SET LOCAL`` on PostgreSQL), then for a new story three statements (its INSERT,
    the article's UPDATE, its key terms), for a joined one two to four (the article's UPDATE,
    the story's, its key terms' DELETE and INSERT, or their time, where they changed).
    """
    with session.no_autoflush:
        vector = article_vector(article.title, article.text)
        title = title_vector(article.title)
        article.signature = encode(vector)
        candidates, headlines = await _candidates(session, article, key_terms(vector, settings.key_terms), settings)
        story_id = choose_story(vector, title, article.published_at, candidates, settings)
        if story_id is None:
            return await _start_story(session, article, vector, title, settings)
        chosen = next(c for c in candidates if c.story_id == story_id)
        await _join_story(session, article, chosen, headlines[story_id], vector, title, settings)
        return story_id
