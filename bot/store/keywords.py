"""Followed keywords against new stories, by word family rather than by search stem.

Search compares stems for recall; a filter that sends a reader alerts must not reach words that
only share an over-stemmed stem ("acara" is no part of "pengacara") and must reach the affixed
forms a stem misses ("terbang" in "penerbangan"). See ``summarizer.lang.families``. A story
matches a keyword when one of its articles holds it, in the title or the text (or, without
text, the feed's summary), as search indexes them.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import Article
from summarizer.lang.families import holds, text_words

logger = logging.getLogger(__name__)

# Longest text read per article, as the search index reads it; beyond this a page is a data dump.
MAX_TEXT_CHARS = 60_000
# Story ids per statement, below SQLite's bound-variable limit.
STORY_BATCH = 500


def _article_text(title: str | None, text: str | None, summary: Sequence[Any] | None) -> str:
    """An article's title and text (its feed summary when it has no text), bounded."""
    body = text or " ".join(str(part) for part in summary or [])
    return f"{title or ''}\n{body[:MAX_TEXT_CHARS]}"


async def stories_matching(
    session: AsyncSession, keywords: Collection[str], story_ids: Collection[int]
) -> dict[str, set[int]]:
    """For each keyword, which of these stories have an article holding every word of it."""
    ids = sorted(set(story_ids))
    found: dict[str, set[int]] = {keyword: set() for keyword in keywords}
    if not ids or not found:
        return found
    articles = 0
    for start in range(0, len(ids), STORY_BATCH):
        rows = await session.execute(
            select(Article.story_id, Article.title, Article.text, Article.summary).where(
                Article.story_id.in_(ids[start : start + STORY_BATCH])
            )
        )
        for story_id, title, text, summary in rows:
            articles += 1
            words = text_words(_article_text(title, text, summary))
            for keyword, stories in found.items():
                if story_id is not None and story_id not in stories and holds(words, keyword):
                    stories.add(story_id)
    logger.debug("keywords matched keywords=%d articles=%d", len(found), articles)
    return found
