"""RSS 0.91/2.0, RSS 1.0 (RDF) and Atom feeds turned into clean, trustworthy items.

This module reads the document: it repairs bytes in another charset than declared, hands
them to feedparser, and decides whether they are a feed at all (else ``FeedParseError``).
The stages after it are ``bot.ingest.feeditems`` (entries into usable items: links, titles,
dates, images), ``bot.ingest.feedtext`` (HTML into display text) and
``bot.ingest.feedimages`` (the item images feedparser drops). Each repair is reported in
``ParsedFeed.warnings``. Every pass over the document is linear in its size; the CPU-bound
whole runs in a worker process with a time limit (``bot.ingest.workers``).
"""

from __future__ import annotations

import codecs
import io
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn
from urllib.parse import urljoin

from bot.ingest.feedimages import item_images
from bot.ingest.feeditems import FeedItem, build_items
from bot.ingest.feedtext import html_to_text, plain
from bot.ingest.urls import is_http_url

__all__ = ["FeedItem", "FeedParseError", "ParsedFeed", "html_to_text", "parse_feed"]

logger = logging.getLogger(__name__)

# Only this much of the document is searched for an XML declaration.
DECLARATION_WINDOW = 512
HTML_SNIFF_WINDOW = 2048
NUL_SNIFF_WINDOW = 64
UTF8_XML = "application/xml; charset=utf-8"
# UTF-32 first: its little-endian mark begins with UTF-16's.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Labels read as windows-1252, its superset, as browsers do (Python codec names).
LATIN1_LABELS = frozenset({"ascii", "iso8859-1"})

_DECLARATION = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])([\w.:-]+)\2""")


class FeedParseError(ValueError):
    """The body is not a feed, or too broken for any item to be recovered."""


@dataclass
class ParsedFeed:
    """The feed's own title and link, its usable items, and what had to be repaired."""

    title: str | None
    link: str | None
    items: list[FeedItem]
    warnings: list[str]


def parse_feed(content: bytes, *, url: str, fetched_at: datetime, charset: str | None = None) -> ParsedFeed:
    """Parse feed bytes fetched from ``url``; raise FeedParseError if it is not a feed."""
    if fetched_at.tzinfo is None:
        raise ValueError("fetched_at must be timezone-aware")
    warnings: list[str] = []
    if not content.strip():
        _fail(url, "empty body: the server sent no feed")
    data, content_type = _as_utf8(content, charset, warnings)
    # feedparser's HTML sanitizer and URI resolver are pure Python and slow (seconds per MB of
    # markup); item HTML is only ever read as text here (feedtext), never shown as HTML.
    import feedparser  # here, not at the top: only the parse workers parse (lean main process)

    parsed = feedparser.parse(
        io.BytesIO(data),
        response_headers={"content-type": content_type},
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    entries = parsed.get("entries", [])
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not entries and not parsed.get("version"):
        if re.search(rb"<html|<!doctype html", data[:HTML_SNIFF_WINDOW], re.IGNORECASE):
            _fail(url, "not a feed: the server sent an HTML page")
        if problem:
            _fail(url, f"not a feed: the body is not XML ({problem})")
        _fail(url, "not a feed: no RSS, RDF or Atom document found")
    if problem:
        warnings.append(f"malformed XML ({problem}); recovered {len(entries)} entries")
    feed = parsed.get("feed", {})
    base = urljoin(url, feed.get("title_detail", {}).get("base") or "")
    link = urljoin(base, feed.get("link") or "") if feed.get("link") else None
    items = build_items(entries, base, fetched_at, item_images(data), warnings)
    if problem and not items:
        _fail(url, f"malformed XML and no recoverable items: {problem}")
    if warnings:
        logger.info("feed %s: %d items, %d warnings, first: %s", url, len(items), len(warnings), warnings[0])
    return ParsedFeed(
        title=plain(feed.get("title") or "") or None,
        link=link if link and is_http_url(link) else None,
        items=items,
        warnings=warnings,
    )


def _fail(url: str, message: str) -> NoReturn:
    """Log why ``url`` is no feed and raise FeedParseError with that reason."""
    logger.warning("cannot parse feed %s: %s", url, message)
    raise FeedParseError(message)


def _as_utf8(content: bytes, charset: str | None, warnings: list[str]) -> tuple[bytes, str]:
    """The document re-encoded as UTF-8 whatever it declared, and the type to tell feedparser."""
    for bom, codec in BYTE_ORDER_MARKS:
        if content.startswith(bom):
            return _declare_utf8(content.decode(codec, errors="replace").encode()), UTF8_XML
    if b"\0" in content[:NUL_SNIFF_WINDOW]:
        return content, "application/xml"  # UTF-16/32 without a mark: feedparser sniffs it
    content = content.removeprefix(codecs.BOM_UTF8)
    if content.isascii():
        return _declare_utf8(content), UTF8_XML  # the same bytes in any charset a feed uses
    match = _DECLARATION.match(content[:DECLARATION_WINDOW])
    declared = charset or (match[3].decode("ascii") if match else None)
    declared_codec = _codec(declared)
    try:
        # Non-ASCII bytes that form valid UTF-8 are UTF-8, whatever the label says.
        text, actual = content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # As browsers do: latin-1, and UTF-8 that is not, are read as windows-1252.
        actual = declared_codec or "cp1252"
        if actual in LATIN1_LABELS or actual == "utf-8":
            actual = "cp1252"
        text = content.decode(actual, errors="replace")
    upgraded = actual == "cp1252" and declared_codec in LATIN1_LABELS
    if declared and declared_codec != actual and not upgraded:
        warnings.append(f"declared charset {declared} but the bytes are {actual}; read as {actual}")
    return _declare_utf8(text.encode()), UTF8_XML


def _declare_utf8(data: bytes) -> bytes:
    """Return the document with its XML declaration (if any) naming UTF-8."""
    match = _DECLARATION.match(data[:DECLARATION_WINDOW])
    if match is None:
        return data
    return match[1] + match[2] + b"utf-8" + match[2] + data[match.end() :]


def _codec(name: str | None) -> str | None:
    """Return Python's canonical codec name for a charset label, or None if unknown."""
    try:
        return codecs.lookup(name).name if name else None
    except LookupError:
        return None
