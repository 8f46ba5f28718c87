"""Each subscriber's summary length in words (/atur panjang pendek|sedang|panjang).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add subscribers.summary_words, 60 (sedang) for everyone."""
    with op.batch_alter_table("subscribers") as batch:
        batch.add_column(sa.Column("summary_words", sa.Integer(), server_default="60", nullable=False))


def downgrade() -> None:
    """Drop subscribers.summary_words."""
    with op.batch_alter_table("subscribers") as batch:
        batch.drop_column("summary_words")
