"""Keyword search over stored articles, one interface over SQLite FTS5 and PostgreSQL full text.

User text never reaches query syntax: it is cut into stemmed word tokens without stop words
(see ``bot.store.search_index``), at most ``MAX_QUERY_TERMS`` of them, and each token becomes a
quoted FTS5 string or a quoted tsquery lexeme. All terms must match (AND); when that finds
nothing and there are several terms, any term may match (OR).

Score: ``relevance * (1 + 1 / (1 + age_days))``, where relevance is ``-bm25(article_search,
3.0, 1.0)`` on SQLite (title weighs three times the body) and ``ts_rank_cd`` with weights
A (title) = 1.0, B (body) = 0.4 and log-length normalization on PostgreSQL, and ``age_days``
is the age of ``published_at`` (never negative). A story published today counts up to twice an
equally relevant old one. Only the ``CANDIDATE_WINDOW`` newest matching articles (by id, that
is by arrival) are scored, which bounds the cost of very common words; then one hit per story
(its best article) is returned, best first. Scores compare within one database only.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.search_index import (
    index_article,
    index_articles,
    query_words,
    rebuild_index,
    unindex_articles,
)
from bot.store.search_sql import (
    fts5_expression,
    search_filters,
    search_statement,
    tsquery_expression,
)

__all__ = [
    "SearchHit",
    "index_article",
    "index_articles",
    "query_terms",
    "rebuild_index",
    "search",
    "unindex_articles",
]

logger = logging.getLogger(__name__)

MAX_QUERY_TERMS = 16
# Characters of a query read at all; 16 terms never need more.
MAX_QUERY_CHARS = 2_000
# Newest matching articles scored per query (the cost bound for words in every article).
CANDIDATE_WINDOW = 300
# PostgreSQL: newest index rows checked before asking the GIN index (see _PG_HITS).
PG_PROBE_ROWS = 1_500
MAX_LIMIT = 100


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result: the best-scoring article of a story."""

    article_id: int
    story_id: int | None
    title: str
    url: str
    source: str
    published_at: datetime
    summary: list[str]
    score: float


def query_terms(query: str) -> list[str]:
    """The distinct stemmed non-stop-word terms of a user query, capped at MAX_QUERY_TERMS."""
    seen: dict[str, None] = {}
    for term in query_words(query[:MAX_QUERY_CHARS]):
        seen.setdefault(term, None)
        if len(seen) == MAX_QUERY_TERMS:
            break
    return list(seen)


async def search(
    session: AsyncSession,
    query: str,
    *,
    limit: int = 10,
    since: datetime | None = None,
    feed_ids: Collection[int] | None = None,
) -> list[SearchHit]:
    """Articles matching the query's words, one per story, best first (at most MAX_LIMIT)."""
    terms = query_terms(query)
    limit = max(0, min(limit, MAX_LIMIT))
    if not terms or limit == 0 or (feed_ids is not None and not feed_ids):
        return []
    dialect = session.get_bind().dialect.name
    filters = search_filters(since, feed_ids)
    params: dict[str, object] = {
        "limit": limit,
        "window": CANDIDATE_WINDOW,
        "probe": PG_PROBE_ROWS,
        "now": datetime.now(UTC),
    }
    if since is not None:
        params["since"] = since
    if feed_ids is not None:
        params["feed_ids"] = list(feed_ids)
    operators = ["AND", "OR"] if len(terms) > 1 else ["AND"]
    rows: list[Row[Any]] = []
    for operator in operators:
        if dialect == "sqlite":
            params["match"] = fts5_expression(terms, operator)
        else:
            params["match"] = tsquery_expression(terms, "&" if operator == "AND" else "|")
        probe = operator == "OR" or len(terms) == 1
        statement = search_statement(dialect, filters, feed_ids is not None, probe)
        rows = list((await session.execute(statement, params)).all())
        if rows:
            break
    logger.debug("search terms=%d hits=%d", len(terms), len(rows))
    return [
        SearchHit(
            article_id=r.article_id,
            story_id=r.story_id,
            title=r.title,
            url=r.url,
            source=r.source,
            published_at=r.published_at,
            summary=list(r.summary or []),
            score=float(r.score),
        )
        for r in rows
    ]
