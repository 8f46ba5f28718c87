"""Display text out of the HTML that feeds put in titles and descriptions.

Everything here is one pass of the standard library's HTML tokenizer (linear in the input),
so no regular expression ever scans a feed's markup: ``html_to_text`` keeps paragraphs,
``plain`` gives one line, and both drop entity references nobody expanded (a feed that
declares ``&lol9;`` in its DTD gets it shown literally by a forgiving parser otherwise).
"""

from __future__ import annotations

import html
import logging
import re
from html.parser import HTMLParser

logger = logging.getLogger(__name__)

BLOCK_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption"}
    | {"figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main"}
    | {"nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul"}
)
SKIPPED_TAGS = frozenset(
    {"script", "style", "noscript", "template", "iframe", "object", "svg", "head"}
)

_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_SPACES = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# What is left of an entity reference after every known one has been expanded.
_UNEXPANDED_ENTITY = re.compile(r"&[A-Za-z_][\w.-]{0,63};")


class _TextExtractor(HTMLParser):
    """Collects text by block, and the ``src`` of the first image, in one pass."""

    def __init__(self) -> None:
        """Start with no text, outside any skipped element."""
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.first_image: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open a block, a skipped element or a line break; note the first image."""
        if tag == "img" and self.first_image is None:
            self.first_image = next((v for k, v in attrs if k == "src" and v), None)
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")  # two in a row separate paragraphs, as many sites use them
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        """Close a block or a skipped element."""
        if tag in SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        """Keep text outside skipped elements."""
        if not self.skipping:
            self.parts.append(data)


def _extract(markup: str) -> _TextExtractor:
    """The tokenizer after reading all of ``markup``."""
    extractor = _TextExtractor()
    extractor.feed(markup)
    extractor.close()
    return extractor


def _paragraphs(raw: str) -> str:
    """Paragraphs with collapsed spaces, blank lines between, unexpanded entities dropped."""
    text = _UNEXPANDED_ENTITY.sub("", _INVISIBLE.sub("", raw))
    paragraphs = (_SPACES.sub(" ", p).strip() for p in _PARAGRAPH_BREAK.split(text))
    return "\n\n".join(p for p in paragraphs if p)


def html_to_text(markup: str) -> str:
    """Return the plain text of an HTML fragment, one paragraph per block, blank lines between."""
    return _paragraphs("".join(_extract(markup).parts))


def text_and_image(markup: str) -> tuple[str, str | None]:
    """Return ``html_to_text(markup)`` and the ``src`` of its first ``<img>``, from one pass."""
    extractor = _extract(markup)
    return _paragraphs("".join(extractor.parts)), extractor.first_image


def plain(value: str) -> str:
    """Return one line of display text for a title, author or category."""
    # Titles arrive escaped once too often ("&amp;amp;") as often as not.
    text = _UNEXPANDED_ENTITY.sub("", html.unescape(html_to_text(value)))
    return _SPACES.sub(" ", text).strip()
