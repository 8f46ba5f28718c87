"""Article body and metadata from a news page's HTML.

trafilatura finds the article body and a first guess at title, author and date. The page's
own structured data is more exact, so it wins where present: JSON-LD NewsArticle fields,
then meta tags such as article:published_time (trafilatura keeps only the day of the
publication, and the time matters for digests). When trafilatura finds no body, the page's
visible text goes through the plain-text extractor instead.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

import lxml.html
import trafilatura
from lxml import etree

from summarizer.meta import is_name, parse_date, strip_site_suffix
from summarizer.page_text import drop_leading_header, extract_text_page

logger = logging.getLogger(__name__)

ARTICLE_TYPES = frozenset(
    {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting",
     "OpinionNewsArticle", "WebPage"}
)  # fmt: skip
DATE_META_KEYS = (
    "article:published_time", "og:published_time", "datepublished", "publishdate",
    "pubdate", "content_publisheddate", "dc.date.issued", "dc.date", "date",
)  # fmt: skip
AUTHOR_META_KEYS = ("author", "article:author", "content_author", "dc.creator", "twitter:creator")
TITLE_META_KEYS = ("og:title", "twitter:title", "title")
BLOCK_TAGS = ("br", "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
              "article", "blockquote", "figcaption", "header", "footer", "ul", "ol", "table")  # fmt: skip
# Tags whose text is never visible article text.
INVISIBLE_TAGS = ("script", "style", "noscript", "template", "svg", "iframe")


@dataclass(frozen=True)
class HtmlPage:
    """What was found in an HTML page; body still needs clean_text."""

    title: str | None
    author: str | None
    published: datetime | None
    body: str


def _json_ld_objects(tree: Any) -> Iterator[dict[str, Any]]:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            logger.debug("skipping unparsable JSON-LD block")
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                stack.extend(item.get("@graph", []) if isinstance(item.get("@graph"), list) else [])
                yield item


def _json_ld_article(tree: Any) -> dict[str, Any]:
    for item in _json_ld_objects(tree):
        types = item.get("@type")
        types = types if isinstance(types, list) else [types]
        if any(t in ARTICLE_TYPES for t in types if isinstance(t, str)):
            return item
    return {}


def _person_name(value: Any) -> str | None:
    if isinstance(value, list):
        names = [name for name in (_person_name(v) for v in value) if name]
        return ", ".join(names) or None
    if isinstance(value, dict):
        if value.get("@type") == "Organization":
            return None  # the outlet itself, not a writer
        value = value.get("name")
    if isinstance(value, str) and is_name(value.strip()):
        return value.strip()
    return None


def _meta_content(tree: Any, keys: tuple[str, ...]) -> Iterator[str]:
    wanted = {key.lower(): rank for rank, key in enumerate(keys)}
    found: list[tuple[int, str]] = []
    for meta in tree.xpath("//meta[@content]"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in wanted:
            found.append((wanted[key], meta.get("content").strip()))
    for _, content in sorted(found, key=lambda pair: pair[0]):
        if content:
            yield content


def _first_date(values: Iterator[Any], default_tz: tzinfo) -> datetime | None:
    for value in values:
        if isinstance(value, str):
            parsed = parse_date(value, default_tz)
            if parsed is not None:
                return parsed
    return None


def _visible_text(tree: Any) -> str:
    for element in tree.xpath("|".join(f"//{tag}" for tag in INVISIBLE_TAGS)):
        element.drop_tree()
    for element in tree.iter(*BLOCK_TAGS):
        # A line break before and after each block keeps paragraphs apart in the text.
        element.text = "\n" + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    return str(tree.text_content())


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment (a feed description), one block per line."""
    try:
        return _visible_text(_parse(f"<div>{fragment}</div>"))
    except (etree.ParserError, ValueError) as exc:
        logger.warning("unparsable HTML fragment (%d characters): %s", len(fragment), exc)
        return ""


def _parse(raw: str) -> Any:
    try:
        return lxml.html.fromstring(raw)
    except ValueError:
        # lxml refuses str input that carries an XML encoding declaration.
        return lxml.html.fromstring(raw.encode("utf-8"))


# Meta tags and JSON-LD give the time (see meta.py); htmldate's extensive search would fall back
# to dateparser, which costs seconds of set-up per process and guesses dates from body text.
DATE_PARAMS = {"extensive_search": False, "original_date": True}


def _trafilatura(raw: str, url: str | None) -> dict[str, Any]:
    try:
        document = trafilatura.bare_extraction(
            raw, url=url, with_metadata=True, include_comments=False, include_tables=False,
            favor_precision=True, date_extraction_params=DATE_PARAMS,
        )  # fmt: skip
    except Exception:  # a third-party parser failing on odd markup must not lose the page
        logger.warning("trafilatura failed on %s", url or "a page", exc_info=True)
        return {}
    if document is None:
        return {}
    return document if isinstance(document, dict) else document.as_dict()


def extract_html_page(raw: str, url: str | None, default_tz: tzinfo) -> HtmlPage:
    """Extract title, author, publication time and article body from an HTML page."""
    try:
        tree = _parse(raw)
    except (etree.ParserError, ValueError) as exc:
        logger.warning("unparsable HTML page (%s): %s", url or "(no url)", exc)
        return HtmlPage(None, None, None, "")
    article = _json_ld_article(tree)
    extracted = _trafilatura(raw, url)
    body = extracted.get("text") or ""
    title = next(
        (v for v in (article.get("headline"), *_meta_content(tree, TITLE_META_KEYS),
                     extracted.get("title")) if isinstance(v, str) and v.strip()),
        None,
    )  # fmt: skip
    author = (
        _person_name(article.get("author"))
        or next(
            (name for name in map(_person_name, _meta_content(tree, AUTHOR_META_KEYS)) if name),
            None,
        )
        or _person_name(extracted.get("author"))
    )
    published = _first_date(
        iter([article.get("datePublished"), *_meta_content(tree, DATE_META_KEYS),
              article.get("dateCreated"), extracted.get("date")]),
        default_tz,
    )  # fmt: skip
    if not body.strip():
        logger.info("trafilatura found no body in %s; reading the visible text", url or "page")
        fallback = extract_text_page(_visible_text(tree), default_tz)
        body = fallback.body
        title = title or fallback.title
        author = author or fallback.author
        published = published or fallback.published
    title = strip_site_suffix(title.strip()) if title else None
    return HtmlPage(title, author, published, drop_leading_header(body, title, default_tz))
