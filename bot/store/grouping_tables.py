"""The tables of two-tier grouping: threads, and the fingerprints grouping compares.

A thread is the developing story that stories (single happenings) belong to: an affair's steps on
different days, a tournament's matches, reactions and side pieces; ``bot.store.stories`` keeps it
up as stories arrive, and a thread without news for ``ClusterSettings.thread_idle`` takes no new
story. ``article_prints`` holds what the pair models compare of each grouped article, narrow and
indexed by story and time, so reading a candidate story's latest members never reads article
texts. Re-exported by ``bot.store.models``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text
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


class ArticlePrint(Base):
    """A grouped article's fingerprint (``bot.store.pairs``) beside its story, time and outlet."""

    __tablename__ = "article_prints"
    __table_args__ = (Index("ix_article_prints_story_latest", "story_id", "published_at"),)

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"))
    published_at: Mapped[datetime]
    source: Mapped[str]
    fingerprint: Mapped[str] = mapped_column(Text)
