"""The day's most common topics: frequent meaningful words in recent article titles.

Search suggests them when a query finds nothing. Each article counts a word once; words are
compared by their search stem (so "banjir" and "kebanjiran" are one topic, and the query's own
words are left out), and a topic is shown as its most frequent spelling, which search finds.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import Article
from bot.store.search_index import query_words
from summarizer.lang.words import STOP_WORDS, words

logger = logging.getLogger(__name__)

TOPIC_WINDOW = timedelta(hours=24)
# Newest titles read: a busy day's worth, and a bound on the cost of a fruitless search.
MAX_TITLES = 1000
MIN_WORD_CHARS = 3
HEADLINE_WORDS_FILE = Path(__file__).with_name("data") / "topic_stopwords.txt"


@cache
def headline_words() -> frozenset[str]:
    """Words that say nothing about a topic ("video", "terkini", day names), read once."""
    lines = HEADLINE_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(w for w in (line.split("#", 1)[0].strip() for line in lines) if w)


@cache
def _skipped_words() -> frozenset[str]:
    """Stop words and headline fillers together, built once."""
    return STOP_WORDS | headline_words()


def _topic_words(title: str) -> list[str]:
    """The title's words that may name a topic: letters only, long enough, not filler."""
    skip = _skipped_words()
    return [w for w in words(title) if len(w) >= MIN_WORD_CHARS and w.isalpha() and w not in skip]


async def common_topics(session: AsyncSession, since: datetime, *, exclude: str = "", limit: int = 3) -> list[str]:
    """Up to ``limit`` words the most articles since ``since`` carry in their titles, most common first."""
    titles = (
        await session.scalars(
            select(Article.title).where(Article.first_seen_at >= since).order_by(Article.id.desc()).limit(MAX_TITLES)
        )
    ).all()
    excluded = set(query_words(exclude)) if exclude.strip() else set()
    articles: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    stem_of: dict[str, str | None] = {}  # headlines repeat words; stem each spelling once
    for title in titles:
        stems: dict[str, str] = {}
        for word in _topic_words(title):
            if word not in stem_of:
                found = query_words(word)
                stem_of[word] = found[0] if len(found) == 1 and found[0] not in excluded else None
            stem = stem_of[word]
            if stem is not None:
                stems.setdefault(stem, word)
        for stem, word in stems.items():
            articles[stem] += 1
            spellings.setdefault(stem, Counter())[word] += 1
    # Ties go alphabetically, so the same data always suggests the same words.
    ranked = sorted(articles, key=lambda stem: (-articles[stem], stem))[:limit]
    topics = [spellings[stem].most_common(1)[0][0] for stem in ranked]
    logger.debug("common topics titles=%d topics=%d", len(titles), len(topics))
    return topics
