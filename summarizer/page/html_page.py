"""Article body and metadata from a news page's HTML.

trafilatura finds the article body and a first guess at title, author and date. The page's
own structured data is more exact for the title: JSON-LD NewsArticle fields, then meta tags.
The page's visible text also goes through the plain-text extractor, which reads the printed
byline and date line; page_meta decides between the two for author and time (trafilatura and
htmldate keep only the day of publication, and the time matters for digests). When
trafilatura finds no body, the visible text's body is used instead.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from lxml import etree

from summarizer.page.html_tree import drop_embedded_posts, join_source_lines, parse, visible_text, writer_links
from summarizer.page.leading import drop_leading_header
from summarizer.page.metadata import Dated, choose_author, choose_published, first_date
from summarizer.page.text_page import extract_text_page
from summarizer.page.titles import choose_title

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
SITE_META_KEYS = ("og:site_name", "application-name")
# The picture a page offers for sharing, best first; the value is kept as written (maybe relative).
IMAGE_META_KEYS = ("og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src")
MAX_IMAGE_CHARS = 2048
# Host labels that are no outlet's name: "www", subdomains of sections, and the endings.
HOST_COMMON_LABELS = frozenset({"www", "m", "amp", "news", "com", "co", "id", "net", "org", "or", "go", "ac", "tv"})


@dataclass(frozen=True)
class HtmlPage:
    """What was found in an HTML page; body still needs clean_text."""

    title: str | None
    author: str | None
    published: datetime | None
    body: str
    has_time: bool = False  # whether the page gave the time of day, not only the date
    image: str | None = None  # og:image / twitter:image as the page writes it


def _json_ld_objects(tree: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in the page's JSON-LD scripts, @graph members included; broken JSON is skipped."""
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
    """The page's JSON-LD article; a bare WebPage only when no article block is given."""
    fallback: dict[str, Any] = {}
    for item in _json_ld_objects(tree):
        types = item.get("@type")
        types = {t for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)}
        # JPNN lists its WebPage block before the NewsArticle that names the writer.
        if types & (ARTICLE_TYPES - {"WebPage"}):
            return item
        if "WebPage" in types and not fallback:
            fallback = item
    return fallback


def _person_names(value: Any) -> Iterator[str]:
    """Names in a JSON-LD author or creator value; organisations are skipped."""
    if isinstance(value, list):
        for item in value:
            yield from _person_names(item)
    elif isinstance(value, dict):
        if value.get("@type") != "Organization":
            yield from _person_names(value.get("name"))
    elif isinstance(value, str) and value.strip():
        yield value.strip()


def _meta_content(tree: Any, keys: tuple[str, ...]) -> Iterator[str]:
    """The contents of the meta tags named by keys, in the order of keys."""
    wanted = {key.lower(): rank for rank, key in enumerate(keys)}
    found: list[tuple[int, str]] = []
    for meta in tree.xpath("//meta[@content]"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in wanted:
            found.append((wanted[key], meta.get("content").strip()))
    for _, content in sorted(found, key=lambda pair: pair[0]):
        if content:
            yield content


def _image(tree: Any, article: dict[str, Any]) -> str | None:
    """The page's sharing picture: og:image, twitter:image, then JSON-LD's image, the first absolute one
    first (a relative og:image is often a page saved by a browser); None when absent or too long."""
    found: list[str] = []
    for value in [*_meta_content(tree, IMAGE_META_KEYS), article.get("image")]:
        value = value[0] if isinstance(value, list) and value else value
        value = value.get("url") if isinstance(value, dict) else value
        if isinstance(value, str) and value.strip() and len(value.strip()) <= MAX_IMAGE_CHARS:
            found.append(value.strip())
    absolute = [value for value in found if value.lower().startswith(("http://", "https://", "//"))]
    return next(iter(absolute or found), None)


def _site_names(tree: Any, url: str | None) -> list[str]:
    """The names the page gives its site: og:site_name, and the host's own label ("metrotvnews"
    of news.metrotvnews.com) from the URL, og:url or the canonical link."""
    names = list(_meta_content(tree, SITE_META_KEYS))
    links = [url, *_meta_content(tree, ("og:url",)), *tree.xpath("//link[@rel='canonical']/@href")]
    for link in links:
        host = urlsplit(str(link or "")).hostname or ""
        labels = [part for part in host.split(".") if part not in HOST_COMMON_LABELS]
        if labels:
            names.append(labels[-1])
    return list(dict.fromkeys(names))


# htmldate (through trafilatura) reads the date from markup; its extensive search of visible text
# would fall back to dateparser, which costs seconds of set-up per process, guesses dates from
# body text and keeps only the day. The printed date line with its time is read by the
# plain-text extractor instead, and page_meta.choose_published weighs the two.
DATE_PARAMS = {"extensive_search": False, "original_date": True}


def _trafilatura(raw: str, url: str | None) -> dict[str, Any]:
    """trafilatura's metadata and main text as a dict, or an empty dict when it finds nothing."""
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
        tree = parse(raw)
    except (etree.ParserError, ValueError) as exc:
        logger.warning("unparsable HTML page (%s): %s", url or "(no url)", exc)
        return HtmlPage(None, None, None, "")
    article = _json_ld_article(tree)
    join_source_lines(tree)
    drop_embedded_posts(tree)
    extracted = _trafilatura(lxml.html.tostring(tree, encoding="unicode"), url)
    body = extracted.get("text") or ""
    titles = [v for v in (article.get("headline"), *_meta_content(tree, TITLE_META_KEYS), extracted.get("title"))
              if isinstance(v, str) and v.strip()]  # fmt: skip
    sites = _site_names(tree, url)  # read before visible_text drops <head>
    image = _image(tree, article)
    structured_authors = [
        # Antara's JSON-LD gives the writer as creator and the editor as author.
        *_person_names(article.get("creator")), *_person_names(article.get("author")),
        *_meta_content(tree, AUTHOR_META_KEYS), extracted.get("author"),
        # Last: a link to a writer's page names the writer where nothing else does (Brilio).
        *writer_links(tree),
    ]  # fmt: skip
    structured_date = first_date(
        [article.get("datePublished"), *_meta_content(tree, DATE_META_KEYS),
         article.get("dateCreated")], "metadata", default_tz,
    ) or first_date([extracted.get("date")], "htmldate", default_tz)  # fmt: skip
    printed = extract_text_page(visible_text(tree), default_tz)
    printed_date = Dated(printed.published, printed.has_time, "date line") if printed.published else None
    dated = choose_published(structured_date, printed_date)
    if not body.strip():
        logger.info("trafilatura found no body in %s; reading the visible text", url or "page")
        body = printed.body
        titles += [printed.title] if printed.title and not titles else []
    headings = [h1.text_content() for h1 in tree.iter("h1")]
    title = choose_title(titles, headings, sites)
    author = choose_author(printed.credits, structured_authors, printed.author, sites, title)
    return HtmlPage(
        title, author, dated.value if dated else None,
        drop_leading_header(body, title, default_tz), dated.has_time if dated else False, image,
    )  # fmt: skip
