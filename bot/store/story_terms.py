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
    terms, each with its centroids, its first member (the seed: ingestion assigns each
    article right after storing it, so the member stored first) and its headline article's
    vector (the one a joining article must beat to become the headline). The same statement built with
    SQLAlchemy's constructs spent more time in Python than the database spent answering it."""
    per_term = " UNION ALL ".join(
        f"SELECT story_id FROM (SELECT story_id FROM story_terms WHERE term = :t{n} AND last_published_at >= :since"
        f" ORDER BY last_published_at DESC LIMIT :per_term) AS k{n}"
        for n in range(count)
    )
    statement = text(
        f"WITH shared AS (SELECT story_id FROM ({per_term}) AS hits GROUP BY story_id"
        " ORDER BY count(*) DESC, story_id DESC LIMIT :candidates),"
        " seeds AS (SELECT min(articles.id) AS id FROM articles JOIN shared ON articles.story_id = shared.story_id"
        " GROUP BY articles.story_id)"
        " SELECT stories.id, stories.centroid, stories.title_centroid, stories.last_published_at,"
        " articles.signature, articles.published_at, stories.lead_article_id, lead.signature"
        " FROM seeds JOIN articles ON articles.id = seeds.id JOIN stories ON stories.id = articles.story_id"
        " LEFT JOIN articles AS lead ON lead.id = stories.lead_article_id"
    )
    return statement.bindparams(bindparam("since", type_=UTCDateTime())).columns(
        column("id", Integer),
        column("centroid", Text),
        column("title_centroid", Text),
        column("last_published_at", UTCDateTime()),
        column("signature", Text),
        column("published_at", UTCDateTime()),
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
