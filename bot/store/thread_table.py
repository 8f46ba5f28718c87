"""The threads table: the developing story that stories (single happenings) belong to.

A thread gathers an affair's steps on different days, a tournament's matches, reactions and
side pieces; ``bot.store.stories`` keeps it up as stories arrive, and a thread without news for
``ClusterSettings.thread_idle`` takes no new story. Re-exported by ``bot.store.models``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from bot.store.base import Base, utcnow


class Thread(Base):
    """A developing story: one or more stories of one storyline."""

    __tablename__ = "threads"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_published_at: Mapped[datetime] = mapped_column(index=True)
    story_count: Mapped[int] = mapped_column(default=1, server_default="1")
