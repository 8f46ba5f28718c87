"""Reading a page's HTML tree: parsing it, as a browser would show it, and its visible text.

A browser collapses a line break inside a paragraph into a space and shows no embedded post's
markup as the article's prose; the tree is brought to that reading before either extractor
(trafilatura, or the plain-text reader of the visible text) sees it.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import lxml.html
from lxml import etree

logger = logging.getLogger(__name__)

BLOCK_TAGS = ("br", "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
              "article", "blockquote", "figcaption", "header", "footer", "ul", "ol", "table")  # fmt: skip
# Tags whose text is never visible article text.
INVISIBLE_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "head", "title")


# Elements that hold one paragraph of running text: a line break in their source is a space.
PARAGRAPH_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6")
_SOURCE_BREAK = re.compile(r"[ \t]*(?:\r\n?|\n)\s*")


def join_source_lines(tree: Any) -> None:
    """Read line breaks in a paragraph's source as the spaces a browser shows (changes the tree).

    Akurat's CMS wraps each paragraph at 80 columns inside one <p>; taken as line breaks, the
    wraps cut every sentence into fragments that a summary then picks up. Only paragraphs are
    joined: between the blocks of a layout, the source's line breaks are a useful hint."""
    for paragraph in tree.iter(*PARAGRAPH_TAGS):
        for node in paragraph.iter():
            if node.text and isinstance(node.tag, str):
                node.text = _SOURCE_BREAK.sub(" ", node.text)
            if node.tail and node is not paragraph:
                node.tail = _SOURCE_BREAK.sub(" ", node.tail)


# Posts embedded from social networks: a blockquote of the post's text (hashtags, a
# "pic.twitter.com/..." link, "— Account (@handle) date") that the network's script turns into a
# card. The article quotes or retells what matters; the post's raw text is no article prose.
EMBEDDED_POST_CLASSES = ("twitter-tweet", "twitter-video", "instagram-media", "tiktok-embed")
_EMBEDDED_POSTS = "|".join(
    f"//blockquote[contains(concat(' ', @class, ' '), ' {name} ')]" for name in EMBEDDED_POST_CLASSES
)


def drop_embedded_posts(tree: Any) -> None:
    """Remove the social-network posts a page embeds in its article (changes the tree)."""
    for post in tree.xpath(_EMBEDDED_POSTS):
        post.drop_tree()


# A writer's page on the outlet's site: Brilio's and Merdeka's "/reporter/<slug>", WordPress's
# "/author/<slug>", "/penulis/<slug>". Editors' pages ("/editor/") and Kompas's "/profile/",
# which serves editors as well, are no writer's.
_WRITER_PAGE = re.compile(
    r"/(?:reporter|penulis|author|wartawan|kontributor|jurnalis)/[\w.%-]+/?(?:[?#].*)?$", re.IGNORECASE
)


def writer_links(tree: Any) -> list[str]:
    """The texts of links to writers' pages, in page order, each once."""
    names = []
    for link in tree.iter("a"):
        text = " ".join((link.text_content() or "").split())
        if text and _WRITER_PAGE.search(link.get("href") or ""):
            names.append(text)
    return list(dict.fromkeys(names))


def visible_text(tree: Any) -> str:
    """The page's visible text with one block per line (scripts, styles and hidden parts dropped; changes the tree)."""
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
        return visible_text(parse(f"<div>{fragment}</div>"))
    except (etree.ParserError, ValueError) as exc:
        logger.warning("unparsable HTML fragment (%d characters): %s", len(fragment), exc)
        return ""


def parse(raw: str) -> Any:
    """The lxml tree of a page (an XML encoding declaration is tolerated)."""
    try:
        return lxml.html.fromstring(raw)
    except ValueError:
        # lxml refuses str input that carries an XML encoding declaration.
        return lxml.html.fromstring(raw.encode("utf-8"))
