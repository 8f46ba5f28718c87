"""Threads over stories, pair-model fingerprints and the coverage the digest ranks by.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

A story is one happening; a thread the developing story its happenings belong to. Grouped
articles keep a fingerprint for the learned pair models in a narrow table of their own (stories
grouped before this revision have none: they attract no new articles, and new ones form new
stories), and whether they copy another outlet's text or carry a press-release marker; stories
count their independent outlets and marked members.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create threads and article_prints; add stories.thread_id, independent_count, promo_count; articles.syndicated, promo."""
    op.create_table(
        "threads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("story_count", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_threads")),
    )
    op.create_index(op.f("ix_threads_last_published_at"), "threads", ["last_published_at"])
    with op.batch_alter_table("stories") as batch:
        batch.add_column(sa.Column("thread_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("independent_count", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("promo_count", sa.Integer(), server_default="0", nullable=False))
        batch.create_foreign_key(
            op.f("fk_stories_thread_id_threads"), "threads", ["thread_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index(op.f("ix_stories_thread_id"), ["thread_id"])
    # Plain ADD COLUMN, not a batch copy: on SQLite a copied articles table loses the search
    # index's delete trigger (migration 0001).
    op.add_column("articles", sa.Column("syndicated", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("articles", sa.Column("promo", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "article_prints",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_article_prints_article_id_articles"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["story_id"], ["stories.id"], name=op.f("fk_article_prints_story_id_stories"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_prints")),
    )
    op.create_index("ix_article_prints_story_latest", "article_prints", ["story_id", "published_at"])


def downgrade() -> None:
    """Drop the columns and the table."""
    op.drop_index("ix_article_prints_story_latest", table_name="article_prints")
    op.drop_table("article_prints")
    for name in ("promo", "syndicated"):
        op.drop_column("articles", name)  # SQLite 3.35+ drops a column in place, keeping the trigger
    with op.batch_alter_table("stories") as batch:
        batch.drop_index(op.f("ix_stories_thread_id"))
        batch.drop_constraint(op.f("fk_stories_thread_id_threads"), type_="foreignkey")
        batch.drop_column("promo_count")
        batch.drop_column("independent_count")
        batch.drop_column("thread_id")
    op.drop_index(op.f("ix_threads_last_published_at"), table_name="threads")
    op.drop_table("threads")
