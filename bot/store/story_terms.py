"""The index behind story grouping: each story's strongest terms with its latest publication time.

A new article looks up its candidate stories here (``bot.store.stories``); one row per story and
term, rewritten when the story's centroid changes. Re-exported by ``bot.store.models``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.base import Base


class StoryTerm(Base):
    """One of a story's strongest terms, indexed so a new article finds its candidate stories."""

    __tablename__ = "story_terms"
    __table_args__ = (Index("ix_story_terms_lookup", "term", "last_published_at", "story_id"),)

    story_id: Mapped[int] = mapped_column(
        ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    term: Mapped[str] = mapped_column(Text, primary_key=True)
    last_published_at: Mapped[datetime]
