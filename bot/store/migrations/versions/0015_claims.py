"""Shared work between processes: leases on feeds and deliveries, and one send budget.

``claimed_by``/``lease_until`` on ``feeds`` and ``deliveries`` say which process holds a row and
until when (``bot.store.claims``); ``deliveries.sending_part`` is the part a sender had in flight
when it stopped (``bot.telegram.delivery``). ``send_budget`` holds the time the bot's next
message may go, shared by every sender (``bot.store.send_budget``).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | None = None
depends_on: str | None = None

LEASED = ("feeds", "deliveries")


def upgrade() -> None:
    """Add the lease columns (plain ALTER TABLE ADD COLUMN, on SQLite too) and the budget row."""
    for table in LEASED:
        op.add_column(table, sa.Column("claimed_by", sa.String(), nullable=True))
        op.add_column(table, sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
    op.add_column("deliveries", sa.Column("sending_part", sa.Integer(), nullable=True))
    budget = op.create_table(
        "send_budget",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("next_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_send_budget"),
    )
    # Long past: the first sender starts at once.
    op.bulk_insert(budget, [{"name": "telegram", "next_at": datetime(2000, 1, 1, tzinfo=UTC)}])


def downgrade() -> None:
    """Drop them in place (SQLite 3.35+ drops a column itself; a batch copy of a table would
    drop it, and with it, through their foreign keys, the rows that refer to it)."""
    op.drop_table("send_budget")
    op.drop_column("deliveries", "sending_part")
    for table in LEASED:
        op.drop_column(table, "lease_until")
        op.drop_column(table, "claimed_by")
