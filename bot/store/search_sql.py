"""The SQL behind ``bot.store.search``: safe match expressions and the per-dialect statements.

Only stemmed word tokens (letters and digits) ever reach a match expression, and each is
quoted again here (FTS5 string, tsquery lexeme), so FTS5 and tsquery operators typed by a
user are plain words. Everything else is bound as a parameter.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from functools import cache

from sqlalchemy import JSON, Integer, String, TextualSelect, bindparam, text

from bot.store.models import UTCDateTime

# bm25 column weights: title, body.
TITLE_WEIGHT, BODY_WEIGHT = 3.0, 1.0
# ts_rank_cd weights for D, C, B (body), A (title) and its normalization flag (1 = log length).
PG_RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
PG_RANK_NORMALIZATION = 1


def fts5_expression(terms: Collection[str], operator: str = "AND") -> str:
    """An FTS5 MATCH expression of quoted strings, one per term (AND or OR)."""
    quoted = ['"' + t.replace('"', '""') + '"' for t in terms]
    return f" {operator} ".join(quoted)


def tsquery_expression(terms: Collection[str], operator: str = "&") -> str:
    """A to_tsquery() input of quoted lexemes, one per term (& or |)."""
    quoted = ["'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in terms]
    return f" {operator} ".join(quoted)


def search_filters(since: datetime | None, feed_ids: Collection[int] | None) -> str:
    """SQL conditions on the joined article ``a``, with named parameters only."""
    clauses = []
    if since is not None:
        clauses.append("AND a.published_at >= :since")
    if feed_ids is not None:
        clauses.append("AND a.feed_id IN :feed_ids")
    return " ".join(clauses)


# Stage 1 (per dialect, "hits"): the newest CANDIDATE_WINDOW matches. Stage 2: score and keep
# each story's best. Stage 3: fetch display columns for the final rows only (on SQLite the
# summary sits behind the long text column, so reading it for every candidate is costly).
_SCORE_DEDUPE_FETCH = """
, scored AS (
    SELECT h.article_id, a.story_id,
           {relevance} * (1.0 + 1.0 / (1.0 + {age_days})) AS score
    FROM hits AS h JOIN articles AS a ON a.id = h.article_id
), ranked AS (
    SELECT article_id, score, row_number() OVER (
        PARTITION BY coalesce(story_id, -article_id) ORDER BY score DESC, article_id DESC
    ) AS story_rank FROM scored
), best AS (
    SELECT article_id, score FROM ranked WHERE story_rank = 1
    ORDER BY score DESC, article_id DESC LIMIT :limit
)
SELECT a.id AS article_id, a.story_id, a.title, a.url, a.source, a.published_at, a.summary,
       b.score
FROM best AS b JOIN articles AS a ON a.id = b.article_id
ORDER BY b.score DESC, b.article_id DESC
"""

# FTS5 walks its doclists newest rowid first and stops at the window.
_SQLITE_HITS = """
WITH hits AS (
    SELECT article_search.rowid AS article_id,
           -bm25(article_search, {title_weight}, {body_weight}) AS relevance
    FROM article_search {join}
    WHERE article_search MATCH :match {filters}
    ORDER BY article_search.rowid DESC LIMIT :window
)"""
_SQLITE_JOIN = "JOIN articles AS a ON a.id = article_search.rowid"
_SQLITE_AGE = "max(0.0, julianday(:now) - julianday(a.published_at))"

# PostgreSQL's planner prices a row check as cheap, but every tsvector is TOASTed: walking ids
# newest-first costs ~3 us a row, which its plans for common words ignore. So the GIN index
# finds the matches ("+ 0" keeps the planner off the id index) and they are sorted by id.
_PG_HITS_INDEX = """
WITH hits AS (
    SELECT s.article_id, s.document FROM article_search AS s {join_s}
    WHERE s.document @@ to_tsquery('simple', :match) {filters}
    ORDER BY s.article_id + 0 DESC LIMIT :window
)"""
# For one word or an OR, which may match most articles, first "probe" the newest :probe rows
# (enough for words in a fifth of all articles) and fall back to the index only if they hold
# fewer than a window of matches; an AND of several words leaves few rows to sort anyway.
_PG_HITS_PROBE = """
WITH probe AS MATERIALIZED (
    SELECT r.article_id, r.document FROM (
        SELECT article_id, document FROM article_search ORDER BY article_id DESC LIMIT :probe
    ) AS r {join_r}
    WHERE r.document @@ to_tsquery('simple', :match) {filters}
    ORDER BY r.article_id DESC LIMIT :window
), hits AS (
    SELECT article_id, document FROM probe WHERE (SELECT count(*) FROM probe) >= :window
    UNION ALL
    (SELECT s.article_id, s.document FROM article_search AS s {join_s}
     WHERE (SELECT count(*) FROM probe) < :window
       AND s.document @@ to_tsquery('simple', :match) {filters}
     ORDER BY s.article_id + 0 DESC LIMIT :window)
)"""
_PG_RELEVANCE = "ts_rank_cd('{weights}'::float4[], h.document, to_tsquery('simple', :match), {normalization})"
_PG_AGE = "greatest(0.0, extract(epoch FROM (:now - a.published_at)) / 86400.0)"


@cache
def search_statement(dialect: str, filters: str, with_feeds: bool, probe: bool = True) -> TextualSelect:
    """The search statement for a dialect; parameters match, window, probe, now, limit, ..."""
    if dialect == "sqlite":
        hits = _SQLITE_HITS.format(
            title_weight=TITLE_WEIGHT,
            body_weight=BODY_WEIGHT,
            join=_SQLITE_JOIN if filters else "",
            filters=filters,
        )
        tail = _SCORE_DEDUPE_FETCH.format(relevance="h.relevance", age_days=_SQLITE_AGE)
    else:
        hits = (_PG_HITS_PROBE if probe else _PG_HITS_INDEX).format(
            join_r="JOIN articles AS a ON a.id = r.article_id" if filters else "",
            join_s="JOIN articles AS a ON a.id = s.article_id" if filters else "",
            filters=filters,
        )
        relevance = _PG_RELEVANCE.format(weights=PG_RANK_WEIGHTS, normalization=PG_RANK_NORMALIZATION)
        tail = _SCORE_DEDUPE_FETCH.format(relevance=relevance, age_days=_PG_AGE)
    sql = hits + tail
    params = [bindparam("now", type_=UTCDateTime()), bindparam("since", type_=UTCDateTime())]
    if with_feeds:
        params.append(bindparam("feed_ids", expanding=True))
    return (
        text(sql)
        .bindparams(*(p for p in params if f":{p.key}" in sql))
        .columns(
            article_id=Integer(),
            story_id=Integer(),
            title=String(),
            url=String(),
            source=String(),
            published_at=UTCDateTime(),
            summary=JSON(),
        )
    )
