"""RSS 0.91/2.0, RSS 1.0 (RDF) and Atom feeds turned into clean, trustworthy items.

feedparser does the XML; this module repairs what real feeds get wrong and decides what
is usable: bytes in another charset than declared, dates feedparser misreads (see
``summarizer.dates``), relative or ``javascript:`` links, HTML and entities in titles, items
without a link, title or date, duplicate guids, dates in the future. Each repair is
reported in ``ParsedFeed.warnings``; a body that is no feed at all raises
``FeedParseError``. Item text keeps its paragraphs (separated by blank lines).
"""

from __future__ import annotations

import codecs
import html
import io
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any, NoReturn
from urllib.parse import urljoin

import feedparser

from bot.ingest.urls import is_http_url
from summarizer.dates import parse_feed_date

logger = logging.getLogger(__name__)

# Dates this far past the fetch time are clock errors, not scheduled news.
FUTURE_TOLERANCE = timedelta(hours=1)
# RSS is younger than this; older dates are placeholders such as the Unix epoch.
MIN_PLAUSIBLE_YEAR = 1995
TITLE_FALLBACK_WORDS = 12
DATE_KEYS = ("published", "updated", "created")
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

BLOCK_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption"}
    | {"figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main"}
    | {"nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul"}
)
SKIPPED_TAGS = frozenset(
    {"script", "style", "noscript", "template", "iframe", "object", "svg", "head"}
)
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp")

_DECLARATION = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])([\w.:-]+)\2""")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_SPACES = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_IMG_SRC = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ITEM = re.compile(r"<item\b.*?</item>", re.IGNORECASE | re.DOTALL)
_ITEM_FIELD = r"<{0}\b[^>]*>\s*(?:<!\[CDATA\[)?\s*(?:<url>)?\s*([^<\s\]]+)"
_ITEM_IMAGE = re.compile(_ITEM_FIELD.format("image"), re.IGNORECASE)
_ITEM_KEYS = [re.compile(_ITEM_FIELD.format(tag), re.IGNORECASE) for tag in ("link", "guid")]


class FeedParseError(ValueError):
    """The body is not a feed, or too broken for any item to be recovered."""


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


@dataclass
class ParsedFeed:
    """The feed's own title and link, its usable items, and what had to be repaired."""

    title: str | None
    link: str | None
    items: list[FeedItem]
    warnings: list[str]


def parse_feed(
    content: bytes, *, url: str, fetched_at: datetime, charset: str | None = None
) -> ParsedFeed:
    """Parse feed bytes fetched from ``url``; raise FeedParseError if it is not a feed."""
    if fetched_at.tzinfo is None:
        raise ValueError("fetched_at must be timezone-aware")
    warnings: list[str] = []
    if not content.strip():
        _fail(url, "empty body: the server sent no feed")
    data, content_type = _as_utf8(content, charset, warnings)
    parsed = feedparser.parse(io.BytesIO(data), response_headers={"content-type": content_type})
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
    images = _item_images(data.decode("utf-8", "replace"))
    items = _items(entries, base, fetched_at, images, warnings)
    if problem and not items:
        _fail(url, f"malformed XML and no recoverable items: {problem}")
    if warnings:
        logger.info(
            "feed %s: %d items, %d warnings, first: %s", url, len(items), len(warnings), warnings[0]
        )
    return ParsedFeed(
        title=_plain(feed.get("title") or "") or None,
        link=link if link and is_http_url(link) else None,
        items=items,
        warnings=warnings,
    )


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment, one paragraph per block, blank lines between."""
    extractor = _TextExtractor()
    extractor.feed(markup)
    extractor.close()
    text = _INVISIBLE.sub("", "".join(extractor.parts))
    paragraphs = (_SPACES.sub(" ", p).strip() for p in _PARAGRAPH_BREAK.split(text))
    return "\n\n".join(p for p in paragraphs if p)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")  # two in a row separate paragraphs, as many sites use them
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def _plain(value: str) -> str:
    # Titles arrive escaped once too often ("&amp;amp;") as often as not.
    return _SPACES.sub(" ", html.unescape(html_to_text(value))).strip()


def _fail(url: str, message: str) -> NoReturn:
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
    match = _DECLARATION.match(data[:DECLARATION_WINDOW])
    if match is None:
        return data
    return match[1] + match[2] + b"utf-8" + match[2] + data[match.end() :]


def _codec(name: str | None) -> str | None:
    try:
        return codecs.lookup(name).name if name else None
    except LookupError:
        return None


def _item_images(text: str) -> dict[str, str]:
    # A bare <image> inside <item> (Tempo) is not exposed by feedparser; map link -> image.
    images: dict[str, str] = {}
    if text.lower().count("<image") < 2:
        return images
    for block in _ITEM.findall(_COMMENT.sub("", text)):
        image = _ITEM_IMAGE.search(block)
        if image:
            for pattern in _ITEM_KEYS:
                key = pattern.search(block)
                if key:
                    images.setdefault(html.unescape(key[1]), html.unescape(image[1]))
    return images


def _items(
    entries: list[Any],
    base: str,
    fetched_at: datetime,
    images: dict[str, str],
    warnings: list[str],
) -> list[FeedItem]:
    items: list[FeedItem] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        raw_title = _plain(entry.get("title") or "")
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
        summary_html = entry.get("summary") or ""
        contents = entry.get("content") or []
        content_html = contents[0].get("value", "") if contents else ""
        summary_text, content_text = html_to_text(summary_html), html_to_text(content_html)
        title = raw_title or _title_from(content_text or summary_text, url)
        if not raw_title:
            warnings.append(f"{label} had no title; used {title!r}")
        published, missing = _published(entry, fetched_at, label, warnings)
        items.append(
            FeedItem(
                guid=guid,
                url=url,
                title=title,
                summary_html=summary_html,
                summary_text=summary_text,
                content_text=content_text,
                author=_plain(entry.get("author") or "") or None,
                published=published,
                image_url=_image(entry, url, images, summary_html + content_html),
                categories=_categories(entry),
                date_missing=missing,
            )
        )
    return items


def _entry_url(entry: Any, base: str) -> str | None:
    link = (entry.get("link") or "").strip()
    guid = (entry.get("id") or "").strip()
    # feedparser copies any <guid> into link; only an absolute one is really a link.
    if link and entry.get("guidislink") and not is_http_url(link):
        link = ""
    if not link and is_http_url(guid):
        link = guid
    return urljoin(base, link) if link else None


def _title_from(text: str, url: str) -> str:
    words = text.split()
    if words:
        head = " ".join(words[:TITLE_FALLBACK_WORDS])
        return head + ("…" if len(words) > TITLE_FALLBACK_WORDS else "")
    slug = url.rstrip("/").rsplit("/", 1)[-1]
    return re.sub(r"[-_+]+", " ", slug.split("?", 1)[0]).strip() or url


def _published(
    entry: Any, fetched_at: datetime, label: str, warnings: list[str]
) -> tuple[datetime, bool]:
    # dict.get: FeedParserDict.get maps "updated" to "published" with a DeprecationWarning.
    raw = next((dict.get(entry, k) for k in DATE_KEYS if dict.get(entry, k)), "")
    value = parse_feed_date(raw) if raw else None
    parsed = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    if value is None and parsed:
        year, month, day, hour, minute, second = parsed[:6]
        value = datetime(year, month, day, hour, minute, second, tzinfo=UTC)  # already UTC
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


def _image(entry: Any, url: str, images: dict[str, str], markup: str) -> str | None:
    candidates: list[str] = []
    for media in entry.get("media_content") or []:
        kind = f"{media.get('medium') or ''} {media.get('type') or ''}".strip()
        if not kind or "image" in kind:
            candidates.append(media.get("url") or "")
    candidates += [m.get("url") or "" for m in entry.get("media_thumbnail") or []]
    for enclosure in entry.get("enclosures") or []:
        href = enclosure.get("href") or ""
        if (enclosure.get("type") or "").startswith("image/") or href.lower().endswith(
            IMAGE_EXTENSIONS
        ):
            candidates.append(href)
    for key in (entry.get("link"), entry.get("id")):
        candidates.append(images.get(key or "") or "")
    candidates += _IMG_SRC.findall(markup)
    for candidate in candidates:
        absolute = urljoin(url, html.unescape(candidate.strip())) if candidate else ""
        if is_http_url(absolute):
            return absolute
    return None


def _categories(entry: Any) -> list[str]:
    names = (_plain(tag.get("label") or tag.get("term") or "") for tag in entry.get("tags") or [])
    return list(dict.fromkeys(name for name in names if name))
