"""Warnings counted on a feed: repairs and dropped items in its last poll, and the latest one.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add feeds.warning_count (0 for existing feeds) and feeds.last_warning."""
    with op.batch_alter_table("feeds") as batch:
        batch.add_column(sa.Column("warning_count", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("last_warning", sa.String(), nullable=True))


def downgrade() -> None:
    """Drop the two columns."""
    with op.batch_alter_table("feeds") as batch:
        batch.drop_column("last_warning")
        batch.drop_column("warning_count")
