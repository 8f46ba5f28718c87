"""Choosing stories for a reader: digest selection, and story views for search results and alerts."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import Article, Story, Subscriber
from bot.store.mutes import muted_story_ids
from bot.store.storylist import story_sources
from bot.store.subscribers import exclusions
from bot.telegram.render import StoryView
from summarizer.ranking.budget import take_within

logger = logging.getLogger(__name__)

FIRST_DIGEST_LOOKBACK = timedelta(hours=24)
MAX_DIGEST_LOOKBACK = timedelta(days=3)
# A story carried by one more outlet outranks one this many hours newer.
HOURS_PER_SOURCE = 6.0
CANDIDATE_STORIES = 400


def summary_sentences(summary: Sequence[Any], count: int, words: int | None = None) -> list[str]:
    """At most ``count`` of a stored summary's best sentences within about ``words`` words, in article order.

    A stored summary is a list of ``[position, sentence]`` pairs, best first; the word budget
    cuts it with the summarizer's own stopping rule (``summarizer.ranking.budget.take_within``).
    """
    pairs = [(p[0], p[1]) for p in summary if isinstance(p, list | tuple) and len(p) == 2]
    if not pairs:  # a plain list of sentences, already in order
        return take_within([s for s in summary if isinstance(s, str)], count, words)
    kept = take_within([sentence for _, sentence in pairs], count, words)
    return [sentence for _, sentence in sorted(pairs[: len(kept)])]


async def story_views(
    session: AsyncSession, story_ids: Sequence[int], sentences: int, words: int | None = None
) -> list[StoryView]:
    """Views of the given stories, in the given order: lead article, all sources, summary.

    Each summary keeps at most ``sentences`` sentences within about ``words`` words.
    """
    if not story_ids:
        return []
    rows = (
        await session.execute(
            select(
                Article.story_id,
                Article.id,
                Article.title,
                Article.url,
                Article.source,
                Article.published_at,
                Article.summary,
                Article.category,
            )
            .where(Article.story_id.in_(story_ids))
            .order_by(Article.published_at)
        )
    ).all()
    by_story: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        if row[0] is not None:
            by_story[row[0]].append(row)
    leads = dict((await session.execute(select(Story.id, Story.lead_article_id).where(Story.id.in_(story_ids)))).all())
    links = await story_sources(session, story_ids)
    views = []
    for sid in story_ids:
        articles = by_story.get(sid)
        if not articles:
            continue
        lead = next((a for a in articles if a[1] == leads.get(sid)), articles[0])
        sources = [lead[4], *dict.fromkeys(a[4] for a in articles if a[4] != lead[4])]
        views.append(
            StoryView(
                sid,
                lead[2],
                lead[3],
                sources,
                lead[5],
                summary_sentences(lead[6] or [], sentences, words),
                lead[7],
                links.get(sid, []),
            )
        )
    return views


def _rank(stories: Sequence[tuple[int, int, datetime, str]], now: datetime) -> list[tuple[int, int, datetime, str]]:
    def score(row: tuple[int, int, datetime, str]) -> float:
        age_hours = (now - row[2]).total_seconds() / 3600
        return row[1] - age_hours / HOURS_PER_SOURCE

    return sorted(stories, key=score, reverse=True)


async def digest_story_ids(session: AsyncSession, sub: Subscriber, now: datetime) -> list[int]:
    """Stories for a subscriber's digest: new since the last one, chosen sources only, no muted words,
    best first, then grouped by category in the order of each category's best story."""
    since = sub.last_digest_at or now - FIRST_DIGEST_LOOKBACK
    since = max(since, now - MAX_DIGEST_LOOKBACK)
    excluded_feeds, excluded_categories = await exclusions(session, sub.id)
    query = (
        select(Story.id, Story.source_count, Story.updated_at, Story.category, Article.feed_id, Article.category)
        .join(Article, Article.story_id == Story.id)
        .where(Story.first_seen_at > since, Story.first_seen_at <= now)
        .order_by(Story.first_seen_at.desc())
        .limit(CANDIDATE_STORIES * 4)
    )
    allowed: dict[int, tuple[int, int, datetime, str]] = {}
    for sid, count, updated, category, feed_id, art_category in await session.execute(query):
        if feed_id in excluded_feeds or art_category in excluded_categories:
            continue
        allowed.setdefault(sid, (sid, count, updated, category))
    ranked = _rank(list(allowed.values()), now)
    # Only as many candidates as could fill the digest are checked against the mute words.
    muted = await muted_story_ids(session, sub.id, [r[0] for r in ranked[: sub.stories_per_digest * 4]])
    best = [row for row in ranked if row[0] not in muted][: sub.stories_per_digest]
    order: list[str] = list(dict.fromkeys(row[3] for row in best))
    return [row[0] for cat in order for row in best if row[3] == cat]
