"""Each distinct digest stored once: deliveries refer to a shared body instead of carrying its text.

Readers with the same choices get the same digest; 100,000 of them used to be 100,000 copies of
its text in ``deliveries.payload``. ``delivery_bodies`` holds each rendered digest once and
``deliveries.body_id`` points at it (alerts, one per reader, keep their own ``payload``).
Existing rows keep their text where it is.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create delivery_bodies and deliveries.body_id (a plain integer: see ``bot.store.reader_tables``)."""
    op.create_table(
        "delivery_bodies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("buttons", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_delivery_bodies"),
    )
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("body_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    """Copy each body back into the rows that refer to it, then drop the column and the table."""
    op.execute(
        "UPDATE deliveries SET "
        "payload = COALESCE((SELECT b.payload FROM delivery_bodies AS b WHERE b.id = deliveries.body_id), payload), "
        "buttons = (SELECT b.buttons FROM delivery_bodies AS b WHERE b.id = deliveries.body_id) "
        "WHERE body_id IS NOT NULL"
    )
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("body_id")
    op.drop_table("delivery_bodies")
