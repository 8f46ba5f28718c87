"""Feeds, stories, articles, and the keyword-search index.

Revision ID: 0001
Revises:
Create Date: 2026-11-25

The search index is dialect-specific and outside the ORM: on SQLite an FTS5 table keyed by
rowid = article id (plus a trigger that drops index rows with their article); on PostgreSQL a
table of tsvectors with a GIN index, removed by ON DELETE CASCADE.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create feeds, stories, articles and the search index."""
    op.create_table(
        "feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("category", sa.String(), server_default="umum", nullable=False),
        sa.Column("interval_minutes", sa.Integer(), server_default="15", nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("paused_reason", sa.String(), nullable=True),
        sa.Column("last_success_at", _utc(), nullable=True),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.Column("last_error_at", _utc(), nullable=True),
        sa.Column("consecutive_failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("etag", sa.String(), nullable=True),
        sa.Column("last_modified", sa.String(), nullable=True),
        sa.Column("next_fetch_at", _utc(), nullable=True),
        sa.Column("items_total", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", _utc(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_feeds"),
        sa.UniqueConstraint("url", name="uq_feeds_url"),
    )
    op.create_index("ix_feeds_next_fetch_at", "feeds", ["next_fetch_at"])

    op.create_table(
        "stories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("category", sa.String(), server_default="umum", nullable=False),
        sa.Column("first_seen_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.Column("article_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("source_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("lead_article_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_stories"),
    )
    op.create_index("ix_stories_first_seen_at", "stories", ["first_seen_at"])
    op.create_index("ix_stories_updated_at", "stories", ["updated_at"])

    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=True),
        sa.Column("story_id", sa.Integer(), nullable=True),
        sa.Column("guid", sa.String(), nullable=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("canonical_url", sa.Text(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("author", sa.String(), nullable=True),
        sa.Column("published_at", _utc(), nullable=False),
        sa.Column("first_seen_at", _utc(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("category", sa.String(), server_default="umum", nullable=False),
        sa.Column("text", sa.Text(), server_default="", nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("fulltext_status", sa.String(), nullable=True),
        sa.Column("image_url", sa.Text(), nullable=True),
        sa.Column("signature", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(["feed_id"], ["feeds.id"], name="fk_articles_feed_id_feeds", ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["story_id"], ["stories.id"], name="fk_articles_story_id_stories", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
        sa.UniqueConstraint("canonical_url", name="uq_articles_canonical_url"),
        sa.UniqueConstraint("feed_id", "guid", name="uq_articles_feed_id_guid"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_articles_story_id", "articles", ["story_id"])
    op.create_index("ix_articles_published_at", "articles", ["published_at"])
    op.create_index("ix_articles_first_seen_at", "articles", ["first_seen_at"])

    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE article_search USING fts5(title, body, tokenize='unicode61')")
        # Pruning calls bot.store.search.unindex_articles; the trigger covers any other delete.
        op.execute(
            "CREATE TRIGGER article_search_on_delete AFTER DELETE ON articles BEGIN "
            "DELETE FROM article_search WHERE rowid = old.id; END"
        )
    else:
        op.create_table(
            "article_search",
            sa.Column("article_id", sa.Integer(), nullable=False),
            sa.Column("document", sa.dialects.postgresql.TSVECTOR(), nullable=False),
            sa.ForeignKeyConstraint(
                ["article_id"],
                ["articles.id"],
                name="fk_article_search_article_id_articles",
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("article_id", name="pk_article_search"),
        )
        op.create_index("ix_article_search_document", "article_search", ["document"], postgresql_using="gin")


def downgrade() -> None:
    """Drop the search index, articles, stories and feeds."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS article_search_on_delete")
        op.execute("DROP TABLE IF EXISTS article_search")
    else:
        op.drop_table("article_search")
    op.drop_table("articles")
    op.drop_table("stories")
    op.drop_table("feeds")
