"""Grouping articles from different outlets into stories (near-duplicate detection over title and lead)."""

from __future__ import annotations

import logging

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.cluster import STORY_WINDOW, Candidate, pick_story, signature
from bot.store.models import Article, Story
from summarizer.sentences import split_sentences

logger = logging.getLogger(__name__)

LEAD_SENTENCES = 2
# Comparing against every article of the window is linear; cap it at the most recent ones.
MAX_CANDIDATES = 3000


def lead_of(text: str) -> str:
    """The first sentences of an article, for its fingerprint."""
    return " ".join(split_sentences(text[:3000])[:LEAD_SENTENCES])


async def assign_story(session: AsyncSession, article: Article) -> Story:
    """Attach a freshly flushed article to a matching recent story, or start a new one."""
    article.signature = signature(article.title, lead_of(article.text))
    published = article.published_at
    query = (
        select(Article.story_id, Article.signature, Article.published_at, Article.source)
        .where(Article.id != article.id, Article.story_id.is_not(None))
        .where(Article.published_at.between(published - STORY_WINDOW, published + STORY_WINDOW))
        .order_by(Article.published_at.desc())
        .limit(MAX_CANDIDATES)
    )
    rows = (await session.execute(query)).all()
    candidates = [Candidate(sid, sig, at, src) for sid, sig, at, src in rows if sid is not None and sig]
    story_id = pick_story(article.signature, published, article.source, candidates)
    story = await session.get(Story, story_id) if story_id is not None else None
    if story is None:
        story = Story(
            title=article.title, category=article.category, first_seen_at=article.first_seen_at,
            updated_at=article.first_seen_at, article_count=0, source_count=0, lead_article_id=article.id,
        )
        session.add(story)
        await session.flush()
    article.story_id = story.id
    await session.flush()
    counts = select(func.count(Article.id), func.count(func.distinct(Article.source))).where(Article.story_id == story.id)
    story.article_count, story.source_count = (await session.execute(counts)).one()
    story.updated_at = article.first_seen_at
    return story
