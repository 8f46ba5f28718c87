"""When a subscriber last set their digest schedule, so a new time takes effect from its next occurrence.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add subscribers.schedule_changed_at (NULL for existing rows: their schedule is old)."""
    with op.batch_alter_table("subscribers") as batch:
        batch.add_column(sa.Column("schedule_changed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Drop the column."""
    with op.batch_alter_table("subscribers") as batch:
        batch.drop_column("schedule_changed_at")
