"""Buttons recorded with a delivery: the "Sumber lain (N)" buttons under a digest's last message.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add deliveries.buttons (NULL: no buttons, as every delivery before had)."""
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("buttons", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Drop the column."""
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("buttons")
