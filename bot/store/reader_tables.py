"""What each reader is sent and leaves out: deliveries and their bodies, alert matches and mute words.

Tables of the same schema as ``bot.store.models`` (which imports them), kept apart so each
module stays readable; every one hangs off ``subscribers`` by a foreign key.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.base import Base, utcnow


class Mute(Base):
    """A word whose stories are left out of one subscriber's digests, alerts and searches."""

    __tablename__ = "mutes"
    __table_args__ = (UniqueConstraint("subscriber_id", "word"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscribers.id", ondelete="CASCADE"))
    word: Mapped[str]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())


class DeliveryBody(Base):
    """The rendered messages of one digest, stored once for every reader with the same choices."""

    __tablename__ = "delivery_bodies"

    id: Mapped[int] = mapped_column(primary_key=True)
    payload: Mapped[list[str]]
    # Buttons under the last message, as [label, callback data] pairs, one per row ("Sumber lain").
    buttons: Mapped[list[Any] | None]
    # The lead story's picture (an http(s) URL), shown above the first message unless the reader turned pictures off.
    picture: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())


class Delivery(Base):
    """One digest or alert for one subscriber: the messages to send and how far sending got.

    The messages are the shared body's (``body_id``, digests) or the row's own (``payload``,
    alerts); once the delivery is no longer pending the retention pass drops them.
    """

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("subscriber_id", "kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscribers.id", ondelete="CASCADE"))
    kind: Mapped[str]  # one of DELIVERY_KINDS
    key: Mapped[str]  # e.g. "digest:2026-11-25" or "alert:2026-11-25:17"
    status: Mapped[str] = mapped_column(default="pending", server_default="pending", index=True)
    payload: Mapped[list[str]] = mapped_column(default=list)
    # Plain integer, no foreign key or index (like stories.lead_article_id): checking and indexing
    # it doubled the cost of queueing 100,000 digests on PostgreSQL; the retention pass clears it.
    body_id: Mapped[int | None]
    # Buttons under the last message, as [label, callback data] pairs, one per row ("Sumber lain").
    buttons: Mapped[list[Any] | None]
    picture: Mapped[str | None] = mapped_column(Text)  # an alert's lead picture (digests: the body's)
    parts_sent: Mapped[int] = mapped_column(default=0, server_default="0")
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    error: Mapped[str | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    sent_at: Mapped[datetime | None]
    # The sender holding it and until when (bot.store.claims); the part it had in flight, set
    # before the Bot API call and cleared with its outcome (bot.telegram.delivery).
    claimed_by: Mapped[str | None]
    lease_until: Mapped[datetime | None]
    sending_part: Mapped[int | None]


class SendBudget(Base):
    """When the bot's next message may go: one row every sender draws from (bot.store.send_budget)."""

    __tablename__ = "send_budget"

    name: Mapped[str] = mapped_column(primary_key=True)
    next_at: Mapped[datetime]


class AlertMatch(Base):
    """A story that matched a subscriber's followed keyword; the key makes alerts once per story."""

    __tablename__ = "alert_matches"
    __table_args__ = (Index(None, "subscriber_id", "matched_at"),)

    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscribers.id", ondelete="CASCADE"), primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True, index=True)
    keyword: Mapped[str]
    matched_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivery_id: Mapped[int | None] = mapped_column(ForeignKey("deliveries.id", ondelete="SET NULL"), index=True)
