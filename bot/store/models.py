"""The ORM schema: feeds, articles grouped into stories, subscribers and what they receive.

Every table here is created by an Alembic migration in ``bot/store/migrations/versions``; a test
checks that the migrations and these classes agree. Times are stored in UTC and always come
back timezone-aware (``UTCDateTime``), on SQLite as on PostgreSQL. The keyword-search index
(``article_search``) lives outside the ORM, in the migrations and ``bot.store.search``.
Relationships load lazily only on request (``lazy="raise"``): in async code an implicit
load would fail anyway, so the error says so at once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Text, UniqueConstraint, event, false, func, true
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship
from sqlalchemy.orm.attributes import get_history

from bot.store.base import (
    CHAT_TYPES,
    DEFAULT_CATEGORY,
    DEFAULT_DIGEST_TIME,
    DEFAULT_TIMEZONE,
    DELIVERY_KINDS,
    DELIVERY_STATUSES,
    FILTER_KINDS,
    Base,
    UTCDateTime,
    utcnow,
)
from bot.store.digest_due import scheduled_due
from bot.store.grouping_tables import ArticlePrint, Thread
from bot.store.reader_tables import AlertMatch, Delivery, DeliveryBody, Mute, SendBudget
from bot.store.story_terms import StoryTerm
from bot.store.story_updates import StoryUpdate

__all__ = [
    "CHAT_TYPES",
    "DEFAULT_CATEGORY",
    "DEFAULT_DIGEST_TIME",
    "DEFAULT_TIMEZONE",
    "DELIVERY_KINDS",
    "DELIVERY_STATUSES",
    "FILTER_KINDS",
    "AlertMatch",
    "Article",
    "ArticlePrint",
    "Base",
    "Delivery",
    "DeliveryBody",
    "Feed",
    "Follow",
    "Mute",
    "SendBudget",
    "SourceFilter",
    "Story",
    "StoryTerm",
    "StoryUpdate",
    "Subscriber",
    "Thread",
    "UTCDateTime",
    "utcnow",
]


class Feed(Base):
    """An RSS/Atom feed polled on its own interval."""

    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    name: Mapped[str]
    category: Mapped[str] = mapped_column(default=DEFAULT_CATEGORY, server_default=DEFAULT_CATEGORY)
    interval_minutes: Mapped[int] = mapped_column(default=15, server_default="15")
    enabled: Mapped[bool] = mapped_column(default=True, server_default=true())
    paused_reason: Mapped[str | None]
    last_success_at: Mapped[datetime | None]
    last_error: Mapped[str | None]
    last_error_at: Mapped[datetime | None]
    consecutive_failures: Mapped[int] = mapped_column(default=0, server_default="0")
    etag: Mapped[str | None]
    last_modified: Mapped[str | None]
    next_fetch_at: Mapped[datetime | None] = mapped_column(index=True)
    items_total: Mapped[int] = mapped_column(default=0, server_default="0")
    # Repairs and dropped items in the last poll that read the feed, and the latest of them.
    warning_count: Mapped[int] = mapped_column(default=0, server_default="0")
    last_warning: Mapped[str | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    claimed_by: Mapped[str | None]  # the process polling it (bot.store.claims): no feed polled twice at once
    lease_until: Mapped[datetime | None]  # until when that claim holds


class Story(Base):
    """A news event: near-duplicate articles from one or more outlets grouped together."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    category: Mapped[str] = mapped_column(default=DEFAULT_CATEGORY, server_default=DEFAULT_CATEGORY)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    article_count: Mapped[int] = mapped_column(default=0, server_default="0")
    source_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # Plain integer, no foreign key: articles already point here, and a cycle would need ALTER.
    lead_article_id: Mapped[int | None]
    # The grouping state (bot.store.cluster): running sums of the members' vectors, as text.
    centroid: Mapped[str] = mapped_column(Text, default="", server_default="")
    title_centroid: Mapped[str] = mapped_column(Text, default="", server_default="")
    last_published_at: Mapped[datetime | None]
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="SET NULL"), index=True)
    # Outlets with their own text and members marked as releases: the digest's ranking (bot.store.newsrank).
    independent_count: Mapped[int] = mapped_column(default=0, server_default="0")
    promo_count: Mapped[int] = mapped_column(default=0, server_default="0")

    articles: Mapped[list[Article]] = relationship(back_populates="story", lazy="raise", passive_deletes=True)


class Article(Base):
    """One fetched news article, its cleaned full text and its summary."""

    __tablename__ = "articles"
    __table_args__ = (
        UniqueConstraint("feed_id", "guid"),
        # Monotonic ids: the search index is keyed by id and scans newest-first by id.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("feeds.id", ondelete="SET NULL"))
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id", ondelete="SET NULL"), index=True)
    guid: Mapped[str | None]
    url: Mapped[str] = mapped_column(Text)
    canonical_url: Mapped[str] = mapped_column(Text, unique=True)
    title: Mapped[str]
    author: Mapped[str | None]
    published_at: Mapped[datetime] = mapped_column(index=True)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    source: Mapped[str]
    category: Mapped[str] = mapped_column(default=DEFAULT_CATEGORY, server_default=DEFAULT_CATEGORY)
    text: Mapped[str] = mapped_column(Text, default="", server_default="")
    summary: Mapped[list[str]] = mapped_column(default=list)
    fulltext_status: Mapped[str | None]
    image_url: Mapped[str | None] = mapped_column(Text)
    signature: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Grouping found a copy of another outlet's text / a release marker (bot.store.pairs).
    syndicated: Mapped[bool] = mapped_column(default=False, server_default=false())
    promo: Mapped[bool] = mapped_column(default=False, server_default=false())

    feed: Mapped[Feed | None] = relationship(lazy="raise")
    story: Mapped[Story | None] = relationship(back_populates="articles", lazy="raise")


class Subscriber(Base):
    """A Telegram chat (user, group or channel), or one forum topic of a group, that receives digests and alerts."""

    __tablename__ = "subscribers"
    __table_args__ = (UniqueConstraint("chat_id", "thread_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    # The forum topic's message_thread_id; 0 is the chat itself (NULLs would not be unique).
    thread_id: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # The reader's choice from /bahasa ("id" or "en"); NULL follows the user's Telegram language.
    language: Mapped[str | None]
    # A private chat's Telegram app language, kept current from its updates: what digests and alerts follow without /bahasa.
    language_code: Mapped[str | None]
    chat_type: Mapped[str] = mapped_column(default="private", server_default="private")
    title: Mapped[str | None]
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    subscribed: Mapped[bool] = mapped_column(default=True, server_default=true())
    digest_time: Mapped[str] = mapped_column(default=DEFAULT_DIGEST_TIME, server_default=DEFAULT_DIGEST_TIME)
    timezone: Mapped[str] = mapped_column(default=DEFAULT_TIMEZONE, server_default=DEFAULT_TIMEZONE)
    stories_per_digest: Mapped[int] = mapped_column(default=8, server_default="8")
    sentences_per_summary: Mapped[int] = mapped_column(default=3, server_default="3")
    # About how many words each story's summary may take (pendek 35, sedang 60, panjang 100).
    summary_words: Mapped[int] = mapped_column(default=60, server_default="60")
    skip_empty_digest: Mapped[bool] = mapped_column(default=False, server_default=false())
    last_digest_at: Mapped[datetime | None]
    # When the digest time, timezone or subscription last changed: a new schedule starts with
    # its next occurrence instead of sending at once because today's time has already passed.
    schedule_changed_at: Mapped[datetime | None]
    # When the next digest is due (NULL: none wanted), for the digest clock's indexed query. The
    # listeners below keep it in step on ORM writes; a Core UPDATE reactivating a row must set it.
    next_digest_at: Mapped[datetime | None] = mapped_column(index=True)
    alerts_per_day: Mapped[int] = mapped_column(default=10, server_default="10")
    # Whether digests, alerts and link summaries open with the lead story's picture (/atur gambar).
    pictures: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    deactivated_reason: Mapped[str | None]

    source_filters: Mapped[list[SourceFilter]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )
    follows: Mapped[list[Follow]] = relationship(lazy="raise", cascade="all, delete-orphan", passive_deletes=True)


class SourceFilter(Base):
    """A feed or category excluded from one subscriber's digest."""

    __tablename__ = "subscriber_source_filters"
    __table_args__ = (UniqueConstraint("subscriber_id", "kind", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscribers.id", ondelete="CASCADE"))
    kind: Mapped[str]  # one of FILTER_KINDS
    value: Mapped[str]


class Follow(Base):
    """A keyword a subscriber follows for topic alerts."""

    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("subscriber_id", "keyword"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscribers.id", ondelete="CASCADE"))
    keyword: Mapped[str]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())


SCHEDULE_FIELDS = ("active", "subscribed", "digest_time", "timezone", "schedule_changed_at")


@event.listens_for(Subscriber, "before_insert")
def _schedule_new_subscriber(_mapper: Mapper[Subscriber], _connection: object, sub: Subscriber) -> None:
    """Give a new subscriber its first due time (unless the caller set one)."""
    if not get_history(sub, "next_digest_at").has_changes():
        _reschedule(sub)


@event.listens_for(Subscriber, "before_update")
def _schedule_changed_subscriber(_mapper: Mapper[Subscriber], _connection: object, sub: Subscriber) -> None:
    """Recompute the due time when the ORM writes a changed schedule (unless it set the time)."""
    changed = any(get_history(sub, name).has_changes() for name in SCHEDULE_FIELDS)
    if changed and not get_history(sub, "next_digest_at").has_changes():
        _reschedule(sub)


def _reschedule(sub: Subscriber) -> None:
    # Python-side column defaults are applied after this hook, so None means "the default".
    sub.next_digest_at = scheduled_due(
        active=sub.active is not False,
        subscribed=sub.subscribed is not False,
        digest_time=sub.digest_time or DEFAULT_DIGEST_TIME,
        tz=sub.timezone or DEFAULT_TIMEZONE,
        changed_at=sub.schedule_changed_at,
        now=utcnow(),
    )
