"""Lead pictures: the reader's switch for them, and the picture a digest or alert opens with.

``subscribers.pictures`` (on by default) is ``/atur gambar mati|nyala``; ``delivery_bodies.picture``
(digests) and ``deliveries.picture`` (alerts) hold the http(s) URL of the lead story's picture,
which the sender shows as a large link preview above the first message. Existing deliveries
have no picture and are sent as before.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add subscribers.pictures (true for everyone) and the picture columns of bodies and deliveries."""
    with op.batch_alter_table("subscribers") as batch:
        batch.add_column(sa.Column("pictures", sa.Boolean(), server_default=sa.true(), nullable=False))
    with op.batch_alter_table("delivery_bodies") as batch:
        batch.add_column(sa.Column("picture", sa.Text(), nullable=True))
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("picture", sa.Text(), nullable=True))


def downgrade() -> None:
    """Drop the three columns (pictures not yet sent are then sent as text).

    In place (SQLite 3.35+ drops a column itself): a batch copy of subscribers or deliveries would
    drop the table, and with it, through their foreign keys, every reader's rows that refer to it.
    """
    op.drop_column("deliveries", "picture")
    op.drop_column("delivery_bodies", "picture")
    op.drop_column("subscribers", "pictures")
