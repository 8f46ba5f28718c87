"""Feed entries (as feedparser reads them) turned into usable items, or dropped with a reason.

An item needs an http(s) link, a title (else one made from its text) and an aware date
(else the fetch time). Duplicate guids, implausible or future dates and non-http links are
repaired or dropped; every repair is one warning string.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin

from bot.ingest.feedtext import plain, text_and_image
from bot.ingest.pictures import picture_url
from bot.ingest.urls import is_http_url
from summarizer.lang.dates import parse_feed_date

logger = logging.getLogger(__name__)

# Dates this far past the fetch time are clock errors, not scheduled news.
FUTURE_TOLERANCE = timedelta(hours=1)
# RSS is younger than this; older dates are placeholders such as the Unix epoch.
MIN_PLAUSIBLE_YEAR = 1995
TITLE_FALLBACK_WORDS = 12
DATE_KEYS = ("published", "updated", "created")
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp")


@dataclass
class FeedItem:
    """One usable item: an http(s) URL, a plain-text title and an aware date."""

    guid: str | None
    url: str
    title: str
    summary_html: str
    summary_text: str
    content_text: str
    author: str | None
    published: datetime
    image_url: str | None = None
    categories: list[str] = field(default_factory=list)
    date_missing: bool = False  # no usable date: ``published`` is the fetch time


def build_items(
    entries: list[Any],
    base: str,
    fetched_at: datetime,
    images: dict[str, str],
    warnings: list[str],
) -> list[FeedItem]:
    """Return the usable items of ``entries``; append one warning per repair or drop."""
    items: list[FeedItem] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        raw_title = plain(entry.get("title") or "")
        label = f"item {number} ({raw_title[:60] or 'untitled'})"
        entry_base = urljoin(base, entry.get("title_detail", {}).get("base") or "")
        url = _entry_url(entry, entry_base)
        if url is None:
            warnings.append(f"{label} dropped: no link")
            continue
        if not is_http_url(url):
            scheme = url.split(":", 1)[0] if ":" in url else "relative"
            warnings.append(f"{label} dropped: {scheme}: link is not http(s)")
            continue
        guid = (entry.get("id") or "").strip() or None
        key = guid or url
        if key in seen:
            warnings.append(f"{label} dropped: duplicate of an earlier item ({key})")
            continue
        seen.add(key)
        items.append(_item(entry, url, guid, raw_title, label, fetched_at, images, warnings))
    return items


def _item(
    entry: Any,
    url: str,
    guid: str | None,
    raw_title: str,
    label: str,
    fetched_at: datetime,
    images: dict[str, str],
    warnings: list[str],
) -> FeedItem:
    """Return the FeedItem for one entry that has a usable link."""
    summary_html = entry.get("summary") or ""
    contents = entry.get("content") or []
    content_html = contents[0].get("value", "") if contents else ""
    summary_text, summary_image = text_and_image(summary_html)
    content_text, content_image = text_and_image(content_html)
    title = raw_title or _title_from(content_text or summary_text, url)
    if not raw_title:
        warnings.append(f"{label} had no title; used {title!r}")
    published, missing = _published(entry, fetched_at, label, warnings)
    markup_images = [i for i in (summary_image, content_image) if i]
    return FeedItem(
        guid=guid,
        url=url,
        title=title,
        summary_html=summary_html,
        summary_text=summary_text,
        content_text=content_text,
        author=plain(entry.get("author") or "") or None,
        published=published,
        image_url=_image(entry, url, images, markup_images),
        categories=_categories(entry),
        date_missing=missing,
    )


def _entry_url(entry: Any, base: str) -> str | None:
    """Return the entry's absolute link (an http guid stands in for a missing one)."""
    link = (entry.get("link") or "").strip()
    guid = (entry.get("id") or "").strip()
    # feedparser copies any <guid> into link; only an absolute one is really a link.
    if link and entry.get("guidislink") and not is_http_url(link):
        link = ""
    if not link and is_http_url(guid):
        link = guid
    return urljoin(base, link) if link else None


def _title_from(text: str, url: str) -> str:
    """Return a title for an untitled item: its first words, else its URL's last segment."""
    words = text.split()
    if words:
        head = " ".join(words[:TITLE_FALLBACK_WORDS])
        return head + ("…" if len(words) > TITLE_FALLBACK_WORDS else "")
    slug = url.rstrip("/").rsplit("/", 1)[-1]
    return re.sub(r"[-_+]+", " ", slug.split("?", 1)[0]).strip() or url


def _published(entry: Any, fetched_at: datetime, label: str, warnings: list[str]) -> tuple[datetime, bool]:
    """Return (date, missing): the item's date, or the fetch time when it has none usable."""
    # dict.get: FeedParserDict.get maps "updated" to "published" with a DeprecationWarning.
    raw = next((dict.get(entry, k) for k in DATE_KEYS if dict.get(entry, k)), "")
    value = parse_feed_date(raw) if raw else None
    parsed = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    if value is None and parsed:
        year, month, day, hour, minute, second = parsed[:6]
        # feedparser reads a bare number such as "-1000000" as some date in 2009; a date
        # whose year is not written in the text was guessed, not read.
        if str(year) in str(raw):
            value = datetime(year, month, day, hour, minute, second, tzinfo=UTC)  # already UTC
        else:
            warnings.append(f"{label}: implausible date {raw!r}; using the fetch time")
            return fetched_at, True
    if value is None:
        if raw:
            warnings.append(f"{label}: unreadable date {raw!r}; using the fetch time")
        return fetched_at, True
    if value.year < MIN_PLAUSIBLE_YEAR:
        warnings.append(f"{label}: implausible date {raw!r}; using the fetch time")
        return fetched_at, True
    if value > fetched_at + FUTURE_TOLERANCE:
        warnings.append(f"{label}: date {raw!r} is in the future; clamped to the fetch time")
        return fetched_at, False
    return value, False


def _image(entry: Any, url: str, images: dict[str, str], markup_images: list[str]) -> str | None:
    """Return the item's first usable image URL (``picture_url``): media tags (media:content,
    media:thumbnail), image enclosures, a bare ``<image>``, then images inline in its text."""
    candidates: list[str] = []
    for media in entry.get("media_content") or []:
        kind = f"{media.get('medium') or ''} {media.get('type') or ''}".strip()
        if not kind or "image" in kind:
            candidates.append(media.get("url") or "")
    candidates += [m.get("url") or "" for m in entry.get("media_thumbnail") or []]
    for enclosure in entry.get("enclosures") or []:
        href = enclosure.get("href") or ""
        if (enclosure.get("type") or "").startswith("image/") or href.lower().endswith(IMAGE_EXTENSIONS):
            candidates.append(href)
    for key in (entry.get("link"), entry.get("id")):
        candidates.append(images.get(key or "") or "")
    candidates += markup_images
    for candidate in candidates:
        absolute = picture_url(html.unescape(candidate), url)
        if absolute is not None:
            return absolute
    return None


def _categories(entry: Any) -> list[str]:
    """Return the entry's category names, in order, without repeats."""
    names = (plain(tag.get("label") or tag.get("term") or "") for tag in entry.get("tags") or [])
    return list(dict.fromkeys(name for name in names if name))
