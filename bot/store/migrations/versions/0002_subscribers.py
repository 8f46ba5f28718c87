"""Subscribers, their source filters and follows, deliveries and alert matches.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _subscriber_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["subscriber_id"],
        ["subscribers.id"],
        name=f"fk_{table}_subscriber_id_subscribers",
        ondelete="CASCADE",
    )


def upgrade() -> None:
    """Create the subscriber tables."""
    op.create_table(
        "subscribers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_type", sa.String(), server_default="private", nullable=False),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("subscribed", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("digest_time", sa.String(), server_default="07:00", nullable=False),
        sa.Column("timezone", sa.String(), server_default="Asia/Jakarta", nullable=False),
        sa.Column("stories_per_digest", sa.Integer(), server_default="8", nullable=False),
        sa.Column("sentences_per_summary", sa.Integer(), server_default="3", nullable=False),
        sa.Column("skip_empty_digest", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("last_digest_at", _utc(), nullable=True),
        sa.Column("alerts_per_day", sa.Integer(), server_default="10", nullable=False),
        sa.Column("created_at", _utc(), server_default=sa.func.now(), nullable=False),
        sa.Column("deactivated_reason", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_subscribers"),
        sa.UniqueConstraint("chat_id", name="uq_subscribers_chat_id"),
    )

    op.create_table(
        "subscriber_source_filters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscriber_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        _subscriber_fk("subscriber_source_filters"),
        sa.PrimaryKeyConstraint("id", name="pk_subscriber_source_filters"),
        sa.UniqueConstraint(
            "subscriber_id",
            "kind",
            "value",
            name="uq_subscriber_source_filters_subscriber_id_kind_value",
        ),
    )

    op.create_table(
        "follows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscriber_id", sa.Integer(), nullable=False),
        sa.Column("keyword", sa.String(), nullable=False),
        sa.Column("created_at", _utc(), server_default=sa.func.now(), nullable=False),
        _subscriber_fk("follows"),
        sa.PrimaryKeyConstraint("id", name="pk_follows"),
        sa.UniqueConstraint("subscriber_id", "keyword", name="uq_follows_subscriber_id_keyword"),
    )

    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscriber_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("status", sa.String(), server_default="pending", nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("parts_sent", sa.Integer(), server_default="0", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("error", sa.String(), nullable=True),
        sa.Column("created_at", _utc(), server_default=sa.func.now(), nullable=False),
        sa.Column("sent_at", _utc(), nullable=True),
        _subscriber_fk("deliveries"),
        sa.PrimaryKeyConstraint("id", name="pk_deliveries"),
        sa.UniqueConstraint("subscriber_id", "kind", "key", name="uq_deliveries_subscriber_id_kind_key"),
    )
    op.create_index("ix_deliveries_status", "deliveries", ["status"])

    op.create_table(
        "alert_matches",
        sa.Column("subscriber_id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("keyword", sa.String(), nullable=False),
        sa.Column("matched_at", _utc(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=True),
        _subscriber_fk("alert_matches"),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["stories.id"],
            name="fk_alert_matches_story_id_stories",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["deliveries.id"],
            name="fk_alert_matches_delivery_id_deliveries",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("subscriber_id", "story_id", name="pk_alert_matches"),
    )
    op.create_index("ix_alert_matches_story_id", "alert_matches", ["story_id"])
    op.create_index("ix_alert_matches_delivery_id", "alert_matches", ["delivery_id"])
    op.create_index(
        "ix_alert_matches_subscriber_id_matched_at",
        "alert_matches",
        ["subscriber_id", "matched_at"],
    )


def downgrade() -> None:
    """Drop the subscriber tables."""
    op.drop_table("alert_matches")
    op.drop_table("deliveries")
    op.drop_table("follows")
    op.drop_table("subscriber_source_filters")
    op.drop_table("subscribers")
