"""Each subscriber's next digest time in UTC, indexed, so the digest clock asks SQL who is due.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from bot.store.digest_due import local_day, next_day_occurrence, scheduled_due

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

_subscribers = sa.table(
    "subscribers",
    sa.column("id", sa.Integer),
    sa.column("active", sa.Boolean),
    sa.column("subscribed", sa.Boolean),
    sa.column("digest_time", sa.String),
    sa.column("timezone", sa.String),
    sa.column("schedule_changed_at", sa.DateTime(timezone=True)),
    sa.column("last_digest_at", sa.DateTime(timezone=True)),
    sa.column("next_digest_at", sa.DateTime(timezone=True)),
)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive UTC; PostgreSQL an aware value."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _stored(moment: datetime | None, dialect: str) -> datetime | None:
    """The value as the ORM stores it: naive UTC on SQLite."""
    if moment is None or dialect != "sqlite":
        return moment
    return moment.replace(tzinfo=None)


def upgrade() -> None:
    """Add subscribers.next_digest_at with its index, computed for every existing subscriber."""
    with op.batch_alter_table("subscribers") as batch:
        batch.add_column(sa.Column("next_digest_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_subscribers_next_digest_at", ["next_digest_at"])
    bind = op.get_bind()
    now = datetime.now(UTC)
    rows = bind.execute(sa.select(_subscribers).where(_subscribers.c.active, _subscribers.c.subscribed)).all()
    values = []
    for row in rows:
        due = scheduled_due(
            active=True,
            subscribed=True,
            digest_time=row.digest_time,
            tz=row.timezone,
            changed_at=_aware(row.schedule_changed_at),
            now=now,
        )
        last = _aware(row.last_digest_at)
        if due is not None and last is not None and local_day(last, row.timezone) == local_day(now, row.timezone):
            due = max(due, next_day_occurrence(now, row.digest_time, row.timezone))  # today's is out
        values.append({"row_id": row.id, "due": _stored(due, bind.dialect.name)})
    if values:
        bind.execute(
            _subscribers.update()
            .where(_subscribers.c.id == sa.bindparam("row_id"))
            .values(next_digest_at=sa.bindparam("due")),
            values,
        )


def downgrade() -> None:
    """Drop the index and the column."""
    with op.batch_alter_table("subscribers") as batch:
        batch.drop_index("ix_subscribers_next_digest_at")
        batch.drop_column("next_digest_at")
