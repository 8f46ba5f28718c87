"""Reach: mute words per chat, a subscription per forum topic (chat_id, thread_id), a chosen language.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add subscribers.thread_id (0 = the whole chat) keyed with chat_id, subscribers.language, and mutes."""
    with op.batch_alter_table("subscribers") as batch:
        batch.add_column(sa.Column("thread_id", sa.BigInteger(), server_default="0", nullable=False))
        batch.add_column(sa.Column("language", sa.String(), nullable=True))
        batch.drop_constraint("uq_subscribers_chat_id", type_="unique")
        batch.create_unique_constraint("uq_subscribers_chat_id_thread_id", ["chat_id", "thread_id"])
    op.create_table(
        "mutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscriber_id", sa.Integer(), nullable=False),
        sa.Column("word", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["subscriber_id"], ["subscribers.id"], name="fk_mutes_subscriber_id_subscribers", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_mutes"),
        sa.UniqueConstraint("subscriber_id", "word", name="uq_mutes_subscriber_id_word"),
    )


def downgrade() -> None:
    """Drop the mutes table and the per-topic rows (a chat keeps its whole-chat subscription)."""
    op.drop_table("mutes")
    op.execute("DELETE FROM subscribers WHERE thread_id <> 0")
    with op.batch_alter_table("subscribers") as batch:
        batch.drop_constraint("uq_subscribers_chat_id_thread_id", type_="unique")
        batch.create_unique_constraint("uq_subscribers_chat_id", ["chat_id"])
        batch.drop_column("language")
        batch.drop_column("thread_id")
