"""A private chat's Telegram language, and the stories waiting for the alert scan.

``subscribers.language_code`` keeps the reader's Telegram app language, so a digest or alert
sent later is in the language their replies are in. ``story_updates`` holds one row per stored
article's story until the bot's alert scan has matched it against followed topics, whichever
process stored it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add the language column and the story_updates table."""
    with op.batch_alter_table("subscribers") as batch:
        batch.add_column(sa.Column("language_code", sa.String(), nullable=True))
    op.create_table(
        "story_updates",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("story_id", sa.Integer(), sa.ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_story_updates_story_id", "story_updates", ["story_id"])


def downgrade() -> None:
    """Drop them again."""
    op.drop_index("ix_story_updates_story_id", table_name="story_updates")
    op.drop_table("story_updates")
    # In place (SQLite 3.35+ drops a column itself): a batch copy of subscribers would drop the
    # table, and with it, through their foreign keys, every reader's deliveries, follows and mutes.
    op.drop_column("subscribers", "language_code")
