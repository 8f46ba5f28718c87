"""Finding the article, its title, byline and date in a news page copied as plain text.

The lines are classified and the article body found as the heaviest run of prose (see
page_lines), minus a question-style headline it may start with. The title is a heading line shortly before the body, a line shown twice being
the strongest sign; the byline and date come from the lines around the title, and a byline
printed after the article ("Pewarta: X") is used when the header has none.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, tzinfo

from summarizer.lang.dates import is_update_line
from summarizer.page.boilerplate import is_site
from summarizer.page.bylines import (
    Credit,
    caps_byline,
    is_name,
    join_split_bylines,
    without_place,
)
from summarizer.page.lines import Line, best_run, classify, join_split_dates, trim_run
from summarizer.page.paragraphs import (
    PROSE_MIN_LETTER_RATIO,
    letter_ratio,
    split_paragraphs,
    word_count,
)

logger = logging.getLogger(__name__)

# How far above the body the title, byline and date are looked for, in lines.
HEADER_LINES = 15
# Where no date line stands that close, a page's share buttons and captions may push it this far.
WIDE_HEADER_LINES = 40
# How far below the body a trailing byline ("Pewarta: X") is looked for, in lines.
TRAILER_LINES = 6
# Labelled credits ("Penulis: X | Editor: Y") may follow tags, share buttons and related links.
CREDIT_TRAILER_LINES = 16
TITLE_MIN_WORDS = 3
TITLE_MAX_WORDS = 30
TITLE_MAX_CHARS = 250

_NOT_IN_TITLE = re.compile(r"[>»›|]|^\W")


@dataclass(frozen=True)
class TextPage:
    """What was found in a plain-text page; body still needs clean_text."""

    title: str | None
    author: str | None
    published: datetime | None
    body: str
    has_time: bool = False  # whether the page wrote the time of day, not only the date
    credits: tuple[Credit, ...] = ()  # every labelled name around the article, with its role


def _is_heading(line: Line) -> bool:
    """True when a line has the length and shape of a headline."""
    text = line.text
    return (
        line.kind in ("short", "sentence")
        and TITLE_MIN_WORDS <= word_count(text) <= TITLE_MAX_WORDS
        and len(text) <= TITLE_MAX_CHARS
        and not text.endswith(".")
        and not _NOT_IN_TITLE.search(text)
        and letter_ratio(text) >= PROSE_MIN_LETTER_RATIO
        and not is_site(text)
    )


def _find_title(lines: list[Line], lo: int, start: int) -> int | None:
    """The index of the headline above the body (a heading printed more than once), or None."""
    header = range(start - 1, lo - 1, -1)  # nearest to the body first
    texts = [line.text for line in lines[lo:start]]
    for index in header:
        if _is_heading(lines[index]) and texts.count(lines[index].text) > 1:
            return index
    metas = [index for index in header if lines[index].kind == "meta"]
    if metas:
        for index in range(metas[0] - 1, lo - 1, -1):
            if _is_heading(lines[index]) and _bare_byline(lines, index) is None:
                return index
    for index in header:
        if _is_heading(lines[index]):
            return index
    return None


def _bare_byline(lines: list[Line], index: int) -> str | None:
    """The name on a bare byline line right beside the date line ("Irene Harty" / "20/4/2018")."""
    beside_date = any(0 <= near < len(lines) and lines[near].published is not None for near in (index - 1, index + 1))
    if not beside_date or lines[index].kind != "short":
        return None
    # Suara-style "Writer | Editor" names the writer first; VIVA's "Harry Siswoyo, Angkotasan
    # (Ambon)" puts a contributor's town in brackets.
    names = [without_place(part) for part in lines[index].text.split("|")]
    return names[0] if all(is_name(name, bare=True) for name in names) else None


def _find_author(lines: list[Line], lo: int, start: int, end: int, title: int | None) -> str | None:
    """The byline nearest the headline above the body, or a writer credit after it; None if neither."""
    pivot = title if title is not None else lo
    order = list(range(pivot, start)) + list(range(pivot - 1, lo - 1, -1))
    for index in order:
        if lines[index].author:
            return lines[index].author
    for index in order:
        name = _bare_byline(lines, index) if index != title else None
        if name:
            return name
    for line in lines[end + 1 : end + 1 + TRAILER_LINES]:
        if line.kind == "footer":
            break
        if line.author:
            return line.author
        if caps_byline(line.text):
            return caps_byline(line.text)
    return None


def _credits(lines: list[Line], lo: int, end: int) -> tuple[Credit, ...]:
    """Labelled names in the header above the body and the few lines after it; a name in
    capitals after the body (Tempo's "ANTON SEPTIAN") only where no label names a writer, since
    a tag in capitals ("SIDANG ISBAT") can sit there too."""
    found: list[Credit] = []
    capitals: list[Credit] = []
    for index, line in enumerate(lines[lo : end + 1 + CREDIT_TRAILER_LINES], start=lo):
        if line.kind == "meta":
            # After the body a "VIDEO : Bersihkan Saluran Air ..." is a related link, not a credit.
            found.extend(c for c in line.credits if index <= end or c.role != "photo")
        elif end < index <= end + TRAILER_LINES and caps_byline(line.text):
            capitals.append(Credit("writer", caps_byline(line.text) or ""))
    if not any(credit.role == "writer" for credit in found):
        found += capitals
    # An editor named anywhere on the page is no writer, even where the text run was misplaced
    # (Tempo prints "Editor: Yunia Pratiwi" and gives her as meta author).
    known = {credit.name for credit in found}
    found += [c for line in lines for c in line.credits if c.role == "editor" and c.name not in known]
    return tuple(found)


def _find_published(lines: list[Line], lo: int, start: int, title: int | None) -> Line | None:
    """The date line above the body, preferring a publication line to an update line; None if none."""
    dated = [index for index in range(lo, start) if lines[index].published is not None]
    fresh = [index for index in dated if not is_update_line(lines[index].text)]
    candidates = fresh or dated
    if not candidates:
        return None
    pivot = title if title is not None else start
    # A line with the time of day beats a bare date (a "today" stamp in the site header).
    nearest = min(candidates, key=lambda i: (not lines[i].has_time, abs(i - pivot), i))
    return lines[nearest]


def extract_text_page(raw: str, default_tz: tzinfo) -> TextPage:
    """Split a plain-text page into title, author, publication time and article body."""
    paragraphs = join_split_dates(join_split_bylines(split_paragraphs(raw, unwrap=False)), default_tz)
    lines = [classify(text, default_tz) for text in paragraphs]
    run = best_run(lines)
    if run is None:
        logger.info("no article prose found in a %d-line text page", len(lines))
        return TextPage(None, None, None, "")
    start, end = run
    start = trim_run(lines, start, end)
    lo = max(0, start - HEADER_LINES)
    title = _find_title(lines, lo, start)
    # Like the date line, a byline may stand above share buttons and captions, further up.
    author = _find_author(lines, lo, start, end, title) or _find_author(
        lines, max(0, start - WIDE_HEADER_LINES), start, end, title
    )
    dated = _find_published(lines, lo, start, title) or _find_published(
        lines, max(0, start - WIDE_HEADER_LINES), start, title
    )
    body = "\n\n".join(line.text for line in lines[start : end + 1])
    return TextPage(
        lines[title].text if title is not None else None, author,
        dated.published if dated else None, body, dated.has_time if dated else False,
        _credits(lines, max(0, start - WIDE_HEADER_LINES), end),
    )  # fmt: skip
