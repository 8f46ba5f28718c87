"""Display text out of the HTML that feeds put in titles and descriptions.

Everything here is one pass of libxml2's HTML tokenizer (through lxml, event by event, no
tree kept), whose cost grows linearly with the input. The standard library's
``html.parser`` does not: its start-tag regular expression rescans to the end for every
unclosed ``<img src="`` (100 kB of them took 9 s, 200 kB 38 s). ``html_to_text`` keeps
paragraphs, ``plain`` gives one line, and both drop entity references nobody expanded (a
feed that declares ``&lol9;`` in its DTD gets it shown literally by a forgiving parser).
"""

from __future__ import annotations

import html
import logging
import re

logger = logging.getLogger(__name__)

BLOCK_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption"}
    | {"figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main"}
    | {"nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul"}
)
SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg", "head"})

_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_SPACES = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# What is left of an entity reference after every known one has been expanded.
_UNEXPANDED_ENTITY = re.compile(r"&[A-Za-z_][\w.-]{0,63};")
# C0 controls other than tab, newline and carriage return: lxml refuses strings holding them.
_CONTROLS = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32)])


class _TextTarget:
    """lxml parser target: collects text by block, and the ``src`` of the first image."""

    def __init__(self) -> None:
        """Start with no text, outside any skipped element."""
        self.parts: list[str] = []
        self.skipping = 0
        self.first_image: str | None = None

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        """Open a block, a skipped element or a line break; note the first image."""
        if tag == "img" and self.first_image is None:
            self.first_image = attrib.get("src") or None
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")  # two in a row separate paragraphs, as many sites use them
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n")

    def end(self, tag: str) -> None:
        """Close a block or a skipped element."""
        if tag in SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n")

    def data(self, data: str) -> None:
        """Keep text outside skipped elements."""
        if not self.skipping:
            self.parts.append(data)

    def close(self) -> None:
        """Nothing to build: the parts are read from the target."""


def _extract(markup: str) -> _TextTarget:
    """Return the target after reading all of ``markup`` (empty when it has no markup at all)."""
    target = _TextTarget()
    if not markup.strip():
        return target
    if "<" not in markup:
        # Plain text (most teasers): only character references to expand, no parser needed.
        target.parts = [html.unescape(markup.translate(_CONTROLS))]
        return target
    from lxml import etree  # here, not at the top: only the parse workers read markup (lean main process)

    parser = etree.HTMLParser(target=target, no_network=True, remove_comments=True, remove_pis=True)
    try:
        parser.feed(markup.translate(_CONTROLS))
        parser.close()
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        logger.debug("markup not read as HTML (%s); text kept as it was", exc)
        target.parts = [markup]
    return target


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
