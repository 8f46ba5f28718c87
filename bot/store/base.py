"""The declarative base: naming convention, UTC-aware datetimes and the value sets of the schema.

Every model in ``bot.store.models`` derives from ``Base``; ``UTCDateTime`` makes SQLite and
PostgreSQL both hand back timezone-aware UTC datetimes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    DateTime,
    Dialect,
    MetaData,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase

DEFAULT_CATEGORY = "umum"
DEFAULT_TIMEZONE = "Asia/Jakarta"
DEFAULT_DIGEST_TIME = "07:00"

# Allowed values of the plain string columns that act as enums.
CHAT_TYPES = frozenset({"private", "group", "supergroup", "channel"})
FILTER_KINDS = frozenset({"feed", "category"})
DELIVERY_KINDS = frozenset({"digest", "alert"})
DELIVERY_STATUSES = frozenset({"pending", "sent", "failed", "skipped"})

# Deterministic constraint names, so later migrations (and SQLite batch mode) can find them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned timezone-aware (naive input counts as UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert to UTC; SQLite stores no offset, so it gets the naive UTC wall time."""
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Attach UTC to what SQLite returns naive; normalize PostgreSQL's offset to UTC."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base with the project's naming convention and type map."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        list[str]: JSON(),
        list[Any]: JSON(),
    }
