"""Classifying the lines of a plain-text news page and finding the article's run of prose.

Each line is judged on its own: prose paragraph, shorter sentence, short line (heading,
teaser, label), metadata (a date or byline), boilerplate, a footer heading, or junk. The
article body is then the heaviest run of prose paragraphs and sentences, where short lines
such as sub-headings may sit between them, but metadata, footers, junk and long stretches of
short lines end the run; boilerplate inside a run is skipped over (clean_text drops it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, tzinfo

from summarizer.lang.dates import FoundDate, find_date
from summarizer.page.boilerplate import is_boilerplate, is_end_boilerplate, is_footer
from summarizer.page.bylines import Credit, author_from_line, credits_in_line, is_name
from summarizer.page.paragraphs import is_junk, is_prose, is_sentence, word_count

# Consecutive short lines (sub-headings, captions) allowed inside the article body.
MAX_GAP_LINES = 3
# A date line is short, and little of it is anything but the date.
DATE_LINE_MAX_CHARS = 150
DATE_LINE_MAX_OTHER_WORDS = 8

# Headlines capitalise most words; only words this long count, to skip "di", "dan", "ke".
HEADLINE_WORD_CHARS = 4
HEADLINE_CAPITALISED_SHARE = 0.6


@dataclass(frozen=True)
class Line:
    """One line of a page and what it was judged to be."""

    text: str
    kind: str  # prose, sentence, short, meta, boiler, footer or junk
    published: datetime | None = None
    author: str | None = None
    has_time: bool = False  # whether the date line writes a time of day
    credits: tuple[Credit, ...] = ()  # labelled names on a byline line ("Penulis: X | Editor: Y")


def _date_of(line: str, default_tz: tzinfo) -> FoundDate | None:
    """The date a short line states, or None (long lines and sentences are not date lines)."""
    if len(line) > DATE_LINE_MAX_CHARS or line.endswith("."):
        return None
    found = find_date(line, default_tz)
    if found is None:
        return None
    rest = line[: found.start] + " " + line[found.end :]
    return found if word_count(rest) <= DATE_LINE_MAX_OTHER_WORDS else None


_BESIDE_DATE = re.compile(r"\s*[•|·,–—-]\s*")


def _name_beside_date(text: str, found: FoundDate) -> str | None:
    """The one name sharing a line with the date ("Gervin Nathaniel Purba • 11 Februari 2016
    06:58 WIB", Metrotvnews), or None."""
    rest = f"{text[: found.start]} • {text[found.end :]}"
    names = [part for part in _BESIDE_DATE.split(rest) if "," not in part and is_name(part, bare=True)]
    return names[0] if len(names) == 1 else None


SPLIT_DATE_PIECES = 4  # "Februari" / "07" / "/ 2017" / "11:58 WIB": a date printed in pieces
SPLIT_DATE_PIECE_WORDS = 2


def join_split_dates(paragraphs: list[str], default_tz: tzinfo) -> list[str]:
    """Rejoin a date line a page prints in pieces, one element each (Bisnis.com): the pieces
    are tiny, none is a date with a time alone, and together they are one."""
    out: list[str] = []
    for text in paragraphs:
        out.append(text)
        if word_count(text) > SPLIT_DATE_PIECE_WORDS or _date_of(text, default_tz) is not None:
            continue
        for size in range(2, SPLIT_DATE_PIECES + 1):
            pieces = out[-size:]
            if len(pieces) < size or any(word_count(p) > SPLIT_DATE_PIECE_WORDS for p in pieces):
                break
            joined = " ".join(piece.strip(" /|·•,") for piece in pieces)
            found = _date_of(joined, default_tz)
            if found is not None and found.has_time:
                out[-size:] = [joined]
                break
    return out


def classify(text: str, default_tz: tzinfo) -> Line:
    """Judge one normalised line: prose, sentence, short, meta, boiler, footer or junk."""
    if is_junk(text):
        return Line(text, "junk")
    if is_footer(text):
        return Line(text, "footer")
    found = _date_of(text, default_tz)
    credits = tuple(credits_in_line(text))
    author = author_from_line(text, credits) or (_name_beside_date(text, found) if found else None)
    if found is not None or author is not None or credits:
        published = found.value if found else None
        return Line(text, "meta", published, author, found.has_time if found else False, credits)
    if is_boilerplate(text) or is_end_boilerplate(text):
        return Line(text, "boiler")
    if is_prose(text):
        return Line(text, "prose")
    if is_sentence(text):
        return Line(text, "sentence")
    return Line(text, "short")


def best_run(lines: list[Line]) -> tuple[int, int] | None:
    """Indexes of the first and last line of the heaviest run of prose and sentences."""
    best: tuple[int, int] | None = None
    best_weight = 0
    start = end = -1
    weight = gap = 0

    def close() -> None:
        """Keep the run that just ended if it outweighs the best so far."""
        nonlocal best, best_weight
        if start >= 0 and weight > best_weight:
            best, best_weight = (start, end), weight

    for index, line in enumerate(lines):
        if line.kind in ("prose", "sentence"):
            if start < 0:
                start, weight = index, 0
            end, gap = index, 0
            weight += len(line.text)
        elif line.kind == "boiler":
            continue
        elif line.kind == "short" and start >= 0 and gap < MAX_GAP_LINES:
            gap += 1
        else:
            close()
            start, weight, gap = -1, 0, 0
    close()
    return best


def looks_like_headline(text: str) -> bool:
    """Whether a line is capitalised like a headline ("Apa Kabar Ibu Kota Baru?")."""
    words = [word for word in text.split() if len(word) >= HEADLINE_WORD_CHARS and word[0].isalpha()]
    if not words:
        return False
    capitalised = sum(1 for word in words if word[0].isupper())
    return capitalised >= HEADLINE_CAPITALISED_SHARE * len(words)


def trim_run(lines: list[Line], start: int, end: int) -> int:
    """Move a run's start past headline-like questions or exclamations it begins with."""
    while start < end and lines[start].kind == "sentence":
        text = lines[start].text.rstrip("\"'”’")
        if not (text.endswith(("?", "!")) and looks_like_headline(text)):
            break
        start += 1
    return start
