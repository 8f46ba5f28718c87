"""Cleaning news pages and feed texts down to the article itself.

clean_page takes a whole news page, plain text copied from a browser or HTML, and returns
the article body with its title, author and publication time; clean_text cleans text that
is already only the body, such as a feed item's description. Both drop the boilerplate
listed in data/boilerplate.txt (related links, ads, share buttons, photo credits, editor
codes, footers). Neither raises on odd input: empty, binary or unreadable input gives an
empty text and a log line.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, tzinfo

from summarizer.lang.dates import JAKARTA
from summarizer.page.boilerplate import is_boilerplate, is_end_boilerplate, is_footer, strip_tail
from summarizer.page.bylines import caps_byline, is_name
from summarizer.page.html_page import HtmlPage, extract_html_page
from summarizer.page.html_tree import html_to_text
from summarizer.page.leading import drop_leading_header
from summarizer.page.lines import looks_like_headline
from summarizer.page.paragraphs import (
    ends_sentence,
    is_junk,
    is_prose,
    looks_binary,
    normalize_line,
    split_paragraphs,
    word_count,
)
from summarizer.page.text_page import TextPage, extract_text_page
from summarizer.page.titles import strip_site_suffix

logger = logging.getLogger(__name__)

# Larger inputs are cut to this size; no news page is anywhere near it.
MAX_INPUT_CHARS = 5_000_000
# What is left of a caption once its photo credit is cut: a few words, no full stop.
CAPTION_MAX_WORDS = 12
# Related-article titles after the text are at most this long.
HEADLINE_MAX_WORDS = 20
# HTML is recognised from this many leading characters.
HTML_SNIFF_CHARS = 5_000
MIN_HTML_TAGS = 3

_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]{0,200}>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAG = re.compile(
    r"</?(?:html|head|body|div|p|span|a|article|section|script|meta|title|br|h[1-6]|ul|li|img)"
    r"\b[^<>]{0,500}>",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CleanPage:
    """A news article as found on a page."""

    title: str | None
    author: str | None
    published: datetime | None  # timezone-aware; naive page times are Asia/Jakarta (WIB)
    text: str  # the article body: paragraphs separated by one blank line
    # False when the page gave only the day: published then holds midnight, not a real time.
    has_time: bool = False
    # The page's sharing picture (og:image, twitter:image) as written: maybe relative to the page's URL.
    image: str | None = None


EMPTY_PAGE = CleanPage(None, None, None, "")


def is_html(raw: str) -> bool:
    """Whether raw page content is HTML rather than plain text."""
    head = raw[:HTML_SNIFF_CHARS].lstrip("\ufeff")
    if _HTML_START.match(head):
        return True
    return len(_HTML_TAG.findall(head)) >= MIN_HTML_TAGS


def clean_text(text: str) -> str:
    """Drop boilerplate lines and fragments from body-only text (plain or HTML), keep paragraphs."""
    if not text or looks_binary(text):
        return ""
    if _HTML_TAG.search(text[:HTML_SNIFF_CHARS]):
        text = html_to_text(text)
    kept: list[str] = []
    footers: list[int] = []
    for paragraph in split_paragraphs(text):
        if is_junk(paragraph):
            logger.debug("dropping a %d-character non-text paragraph", len(paragraph))
            continue
        if is_footer(paragraph):
            footers.append(len(kept))
            continue
        if is_boilerplate(paragraph) or _is_credit(paragraph):
            continue
        trimmed = strip_tail(paragraph)
        if trimmed != paragraph and _is_bare_caption(trimmed):
            continue
        kept.append(trimmed)
    for position in footers:
        # After "Berita Terkait" and the like only headlines follow, unless prose comes back.
        if not any(is_prose(paragraph) for paragraph in kept[position:]):
            del kept[position:]
            break
    # A capitalised name closing the article is its byline (Tempo's "ANTON SEPTIAN"); headlines
    # after the last sentence are related articles (an article ends with a sentence).
    while kept and (is_end_boilerplate(kept[-1]) or caps_byline(kept[-1]) or _is_trailing_headline(kept)):
        kept.pop()
    return "\n\n".join(kept)


def _is_trailing_headline(kept: list[str]) -> bool:
    """Whether the last paragraph is a headline-like line after the article's prose."""
    last = kept[-1]
    return (
        not ends_sentence(last)
        and "(" not in last  # a caption's "(20/4)" or credit, kept as the writer left it
        and word_count(last) <= HEADLINE_MAX_WORDS
        and looks_like_headline(last)
        and any(is_prose(paragraph) for paragraph in kept[:-1])
    )


def _is_credit(text: str) -> bool:
    """A contributor's name alone in brackets after the article: "(Luh Wayanti)"."""
    return text.startswith("(") and text.endswith(")") and is_name(text[1:-1], bare=True)


def _is_bare_caption(text: str) -> bool:
    return not text or (not ends_sentence(text) and word_count(text) <= CAPTION_MAX_WORDS)


def clean_page(raw: str, *, url: str | None = None, default_tz: tzinfo = JAKARTA) -> CleanPage:
    """Find the article in a news page (HTML or plain text): title, author, time, body."""
    if isinstance(raw, bytes):
        logger.info("clean_page got bytes for %s; decoding as UTF-8", url or "(no url)")
        raw = raw.decode("utf-8", errors="replace")
    if not isinstance(raw, str):
        raise TypeError(f"clean_page expects the page as str, not {type(raw).__name__}")
    if not raw.strip():
        return EMPTY_PAGE
    if looks_binary(raw):
        logger.warning("page %s looks binary (%d characters); no text kept", url or "(no url)", len(raw))
        return EMPTY_PAGE
    if len(raw) > MAX_INPUT_CHARS:
        logger.warning("page %s has %d characters; reading the first %d", url or "(no url)", len(raw),
                       MAX_INPUT_CHARS)  # fmt: skip
        raw = raw[:MAX_INPUT_CHARS]
    found: HtmlPage | TextPage
    try:
        found = extract_html_page(raw, url, default_tz) if is_html(raw) else extract_text_page(raw, default_tz)
        title = strip_site_suffix(normalize_line(found.title)) if found.title else None
        text = clean_text(drop_leading_header(found.body, title, default_tz))
    except Exception:  # a page that breaks the cleaner must not break the feed poller
        logger.exception("could not clean page %s (%d characters)", url or "(no url)", len(raw))
        return EMPTY_PAGE
    author = normalize_line(found.author) if found.author else None
    has_time = found.has_time and found.published is not None
    image = found.image if isinstance(found, HtmlPage) else None
    return CleanPage(title or None, author or None, found.published, text, has_time, image)
