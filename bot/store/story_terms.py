"""The index behind story grouping: each story's strongest terms with its latest publication time.

A new article looks up its candidate stories here (``bot.store.stories``), with the statement
below; one row per story and term, rewritten when the story's centroid changes. Re-exported by
``bot.store.models``.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    Text,
    TextClause,
    TextualSelect,
    bindparam,
    column,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.base import Base, UTCDateTime


class StoryTerm(Base):
    """One of a story's strongest terms, indexed so a new article finds its candidate stories."""

    __tablename__ = "story_terms"
    __table_args__ = (Index("ix_story_terms_lookup", "term", "last_published_at", "story_id"),)

    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True)
    term: Mapped[str] = mapped_column(Text, primary_key=True)
    last_published_at: Mapped[datetime]


@lru_cache(maxsize=64)
def candidates_statement(count: int) -> TextualSelect:
    """The candidate lookup for ``count`` key terms (``:t0`` …) as SQL text, built once per count:
    each term's ``:per_term`` most recently active stories, the ``:candidates`` sharing most
    terms, and of each its ``:members`` latest members (fingerprint, time, outlet, from the narrow
    ``article_prints``: no article text is read), its first member's time, its thread and that thread's
    latest time, and, on its latest member's row only, its centroid and headline article's
    vector (the one a joining article must beat to become the headline). One statement: the
    same built with SQLAlchemy's constructs spent more time in Python than the database spent
    answering it."""
    per_term = " UNION ALL ".join(
        f"SELECT story_id FROM (SELECT story_id FROM story_terms WHERE term = :t{n} AND last_published_at >= :since"
        f" ORDER BY last_published_at DESC LIMIT :per_term) AS k{n}"
        for n in range(count)
    )
    statement = text(
        f"WITH shared AS (SELECT story_id FROM ({per_term}) AS hits GROUP BY story_id"
        " ORDER BY count(*) DESC, story_id DESC LIMIT :candidates),"
        " ranked AS (SELECT p.story_id, p.published_at, p.source, p.fingerprint,"
        " row_number() OVER (PARTITION BY p.story_id ORDER BY p.published_at DESC, p.article_id DESC) AS rn,"
        " min(p.published_at) OVER (PARTITION BY p.story_id) AS first"
        " FROM article_prints AS p JOIN shared ON p.story_id = shared.story_id)"
        " SELECT ranked.story_id, ranked.published_at, ranked.source, ranked.fingerprint, ranked.first,"
        " stories.thread_id, threads.last_published_at AS thread_last,"
        " CASE WHEN ranked.rn = 1 THEN stories.centroid END AS centroid, stories.lead_article_id,"
        " CASE WHEN ranked.rn = 1 THEN lead.signature END AS lead_signature"
        " FROM ranked JOIN stories ON stories.id = ranked.story_id"
        " LEFT JOIN threads ON threads.id = stories.thread_id"
        " LEFT JOIN articles AS lead ON lead.id = stories.lead_article_id"
        " WHERE ranked.rn <= :members"
    )
    return statement.bindparams(bindparam("since", type_=UTCDateTime())).columns(
        column("story_id", Integer),
        column("published_at", UTCDateTime()),
        column("source", Text),
        column("fingerprint", Text),
        column("first", UTCDateTime()),
        column("thread_id", Integer),
        column("thread_last", UTCDateTime()),
        column("centroid", Text),
        column("lead_article_id", Integer),
        column("lead_signature", Text),
    )


def term_params(terms: list[str]) -> dict[str, str]:
    """The values of the statements' ``:t0`` … parameters for these terms."""
    return {f"t{n}": term for n, term in enumerate(terms)}


@lru_cache(maxsize=64)
def insert_statement(count: int) -> TextClause:
    """One INSERT of ``count`` key terms (``:t0`` …) of story ``:story_id`` with time ``:at``,
    built once per count: a single multi-row statement, where the ORM's bulk insert of a list
    of rows cost more than the database's work (``benchmarks/cluster_bench.py``)."""
    rows = ", ".join(f"(:story_id, :t{n}, :at)" for n in range(count))
    statement = text(f"INSERT INTO story_terms (story_id, term, last_published_at) VALUES {rows}")
    return statement.bindparams(bindparam("at", type_=UTCDateTime()))
