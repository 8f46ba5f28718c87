"""Splitting raw text into paragraphs and telling prose from everything else.

Text copied from a browser or extracted from HTML carries non-breaking and zero-width
spaces, control characters, CRLF line ends and sometimes hard-wrapped lines. Here it is
normalised into one string per paragraph, and each paragraph's shape is judged (real prose,
a sentence, or junk such as minified script) without looking at what it means; the page and
feed cleaners build on these judgements.
"""

from __future__ import annotations

import re
import unicodedata

# No news paragraph is this long; such a line is minified script, base64 or a data dump.
MAX_PARAGRAPH_CHARS = 20_000
# Longer than any real word; a "paragraph" of such tokens is an encoded blob, not prose.
MAX_MEAN_WORD_CHARS = 15
# A prose paragraph has at least this much text, most of it letters.
PROSE_MIN_CHARS = 100
PROSE_MIN_WORDS = 12
PROSE_MIN_LETTER_RATIO = 0.7
# Hard-wrapped lines are at least this long; shorter unfinished lines are headings or names.
WRAP_MIN_CHARS = 60
# Whole inputs with more unreadable characters than this are treated as binary.
MAX_BINARY_RATIO = 0.05

_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$")
_SENTENCE_INSIDE = re.compile(r"[.!?][\"'”’)]*(?:\s|$)")
_CONTINUES_AFTER = re.compile(r"[\w,\-–]$")


def looks_binary(text: str) -> bool:
    """Whether text has so many control or undecodable characters it cannot be prose."""
    if not text:
        return False
    sample = text[:100_000]
    return len(_CONTROL.findall(sample)) > MAX_BINARY_RATIO * len(sample)


def normalize_line(line: str) -> str:
    """Collapse odd spacing and drop invisible and control characters in one line."""
    line = _INVISIBLE.sub("", line)
    line = _CONTROL.sub(" ", line)
    return _SPACES.sub(" ", line).strip()


def split_paragraphs(text: str, *, unwrap: bool = True) -> list[str]:
    """Split text into normalised paragraphs, one per line; unwrap re-joins hard-wrapped lines."""
    text = unicodedata.normalize("NFC", _LINE_BREAKS.sub("\n", text))
    paragraphs: list[str] = []
    previous_blank = True
    for raw_line in text.split("\n"):
        line = normalize_line(raw_line)
        if not line:
            previous_blank = True
            continue
        if unwrap and not previous_blank and paragraphs and _is_wrapped(paragraphs[-1], line):
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
        previous_blank = False
    return paragraphs


def _is_wrapped(previous: str, line: str) -> bool:
    # A lower-case line right after a long unfinished one continues it; short lines above
    # (titles, names) are left alone because "oleh ..." may follow a title.
    return line[0].islower() and len(previous) >= WRAP_MIN_CHARS and bool(_CONTINUES_AFTER.search(previous))


def word_count(text: str) -> int:
    """Number of whitespace-separated words."""
    return len(text.split())


# Everything but letters and the plain space (\w without digits and "_" is a letter).
_NOT_LETTER_OR_SPACE = re.compile(r"[^\w ]|[\d_]")


def letter_ratio(text: str) -> float:
    """Share of letters and spaces among all characters."""
    if not text:
        return 0.0
    # One regex pass instead of a Python-level loop per character: this runs on every line.
    return len(_NOT_LETTER_OR_SPACE.sub("", text)) / len(text)


def is_junk(paragraph: str) -> bool:
    """Whether a paragraph is too long, word-less or letter-less to be text anyone wrote."""
    if len(paragraph) > MAX_PARAGRAPH_CHARS or not any(ch.isalnum() for ch in paragraph):
        return True
    words = word_count(paragraph)
    return words > 0 and len(paragraph) / words > MAX_MEAN_WORD_CHARS and len(paragraph) > 60


def ends_sentence(paragraph: str) -> bool:
    """Whether a paragraph ends like a sentence (or introduces a list with a colon)."""
    return bool(_SENTENCE_END.search(paragraph))


def is_prose(paragraph: str) -> bool:
    """Whether a paragraph is article prose: long, mostly letters, with sentence punctuation."""
    return (
        PROSE_MIN_CHARS <= len(paragraph) <= MAX_PARAGRAPH_CHARS
        and word_count(paragraph) >= PROSE_MIN_WORDS
        and not is_junk(paragraph)
        and letter_ratio(paragraph) >= PROSE_MIN_LETTER_RATIO
        and bool(_SENTENCE_INSIDE.search(paragraph))
    )


def is_sentence(paragraph: str, min_words: int = 3) -> bool:
    """Whether a short paragraph still reads as a sentence (a quote, a one-line paragraph)."""
    return (
        word_count(paragraph) >= min_words
        and ends_sentence(paragraph)
        and not paragraph.endswith(":")
        and letter_ratio(paragraph) >= PROSE_MIN_LETTER_RATIO
        and not is_junk(paragraph)
    )


def letters(text: str) -> str:
    """Text reduced to its letters and digits, case folded: for comparing headlines, names and
    site names however they are punctuated or spaced."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())
