"""The stored list of feeds: list, pause, remove, OPML, defaults (adding or importing one, with its URL checked, is ``bot.ingest.sources``)."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import Article, Feed

logger = logging.getLogger(__name__)

DEFAULT_FEEDS_FILE = Path(__file__).with_name("data") / "default_feeds.txt"
DEFAULT_CATEGORY = "umum"
DEFAULT_INTERVAL_MINUTES = 15
MIN_INTERVAL_MINUTES = 1


class FeedError(Exception):
    """A feed operation failed; the message is fit to show a user."""


@dataclass(frozen=True)
class FeedHealth:
    """A feed with its health and stored item count, as the CLI and /feeds show it."""

    feed: Feed
    articles: int

    def as_dict(self) -> dict[str, object]:
        """Plain JSON-ready fields."""
        f = self.feed

        def iso(value: datetime | None) -> str | None:
            """Return an ISO time, or None."""
            return value.isoformat() if value else None

        return {
            "id": f.id,
            "name": f.name,
            "url": f.url,
            "category": f.category,
            "interval_minutes": f.interval_minutes,
            "enabled": f.enabled,
            "paused_reason": f.paused_reason,
            "last_success_at": iso(f.last_success_at),
            "last_error": f.last_error,
            "last_error_at": iso(f.last_error_at),
            "consecutive_failures": f.consecutive_failures,
            "etag": f.etag,
            "last_modified": f.last_modified,
            "next_fetch_at": iso(f.next_fetch_at),
            "warning_count": f.warning_count,
            "last_warning": f.last_warning,
            "articles": self.articles,
        }


def default_feeds(path: Path = DEFAULT_FEEDS_FILE) -> list[tuple[str, str, str]]:
    """Return the seeded (url, name, category) list from the package data file."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            url, name, category = (part.strip() for part in line.split("|"))
            rows.append((url, name, category))
    return rows


async def seed_default_feeds(session: AsyncSession) -> int:
    """Insert the default feeds when the feed table is empty; return how many were added."""
    if await session.scalar(select(func.count()).select_from(Feed)):
        return 0
    now = datetime.now(UTC)
    for url, name, category in default_feeds():
        session.add(Feed(url=url, name=name, category=category, next_fetch_at=now))
    logger.info("seeded %d default feeds", len(default_feeds()))
    return len(default_feeds())


async def get_feed(session: AsyncSession, feed_id: int) -> Feed:
    """The feed with this id, or FeedError."""
    feed = await session.get(Feed, feed_id)
    if feed is None:
        raise FeedError(f"no feed with id {feed_id}")
    return feed


async def remove_feed(session: AsyncSession, feed_id: int) -> Feed:
    """Delete a feed (its stored articles stay, detached)."""
    feed = await get_feed(session, feed_id)
    await session.delete(feed)
    return feed


async def set_enabled(session: AsyncSession, feed_id: int, enabled: bool, *, reason: str | None = None) -> Feed:
    """Pause or resume a feed; resuming clears the failure count and makes it due now."""
    feed = await get_feed(session, feed_id)
    feed.enabled = enabled
    feed.paused_reason = None if enabled else (reason or "paused by an admin")
    if enabled:
        feed.consecutive_failures = 0
        feed.next_fetch_at = datetime.now(UTC)
    return feed


async def enabled_feeds(session: AsyncSession) -> list[Feed]:
    """Enabled feeds, by name."""
    return list((await session.scalars(select(Feed).where(Feed.enabled.is_(True)).order_by(Feed.name, Feed.id))).all())


async def list_feeds(session: AsyncSession) -> list[FeedHealth]:
    """Every feed with its stored article count, by id."""
    counts = dict((await session.execute(select(Article.feed_id, func.count()).group_by(Article.feed_id))).all())
    feeds = (await session.scalars(select(Feed).order_by(Feed.id))).all()
    return [FeedHealth(f, counts.get(f.id, 0)) for f in feeds]


def export_opml(feeds: list[Feed]) -> str:
    """The feeds as an OPML 2.0 document."""
    root = ET.Element("opml", version="2.0")
    ET.SubElement(ET.SubElement(root, "head"), "title").text = "Ringkas feeds"
    body = ET.SubElement(root, "body")
    for feed in feeds:
        ET.SubElement(
            body, "outline", type="rss", text=feed.name, title=feed.name, xmlUrl=feed.url, category=feed.category
        )
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def parse_opml(data: bytes) -> list[tuple[str, str | None, str | None]]:
    """Return (url, name, category) for every outline with an xmlUrl, first one per URL; FeedError on bad OPML.

    One pass over the outlines with a set of URLs seen (a list scan made 40,000 outlines take
    82 s). An outline's category is its own, else the text of the outline holding it.
    """
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise FeedError(f"not valid OPML: {exc}") from exc
    rows: list[tuple[str, str | None, str | None]] = []
    seen: set[str] = set()
    for parent in root.iter("outline"):
        for outline in [parent, *parent.findall("outline")]:
            url = (outline.get("xmlUrl") or "").strip()
            if url and url not in seen:
                seen.add(url)
                category = outline.get("category") or (parent.get("text") if outline is not parent else None)
                rows.append((url, outline.get("title") or outline.get("text"), category))
    return rows
