"""What stands before an article's first sentence in an extracted body, and dropping it.

An extractor's body often starts with the page's header: the headline again, the byline and
date, a kicker, photo captions, share counters. A standfirst too: a sentence or two the page
prints above its byline or date line, or above the paragraph that opens with the outlet's
dateline ("TRIBUNNEWS.COM - ..."), which the article then tells again in full. None of it is
the article's first sentence.
"""

from __future__ import annotations

import re
from datetime import tzinfo

from summarizer.lang.datelines import dateline_length
from summarizer.page.lines import classify
from summarizer.page.paragraphs import letters, split_paragraphs, word_count
from summarizer.page.titles import strip_site_suffix

KICKER_MAX_WORDS = 8
LEADING_FURNITURE_KINDS = frozenset({"meta", "boiler", "junk", "footer", "short"})
# A photo credit marks a caption: "Foto: X", "(ANTARA FOTO/X)", "X/detikcom", "(Dok. X)".
_PHOTO_CREDIT = re.compile(
    r"\b(?:foto|photo|fotografer)\s*:|antara\s*foto\s*/|\((?:dok|ist|istimewa)\b|"
    r"/\s*(?:detikcom|detik|kompas\.com|liputan6\.com|tempo|antara|merdeka\.com)\b|"
    # CNN Indonesia's caption closing "(CNN Indonesia/Abi Sarwanto)" or "(REUTERS/Jung Yeon-Je/Pool)".
    r"\([A-Z][^\d()/]{1,30}/[^\d()/]{2,40}(?:/[^\d()/]{1,20})?\)\s*$",
    re.IGNORECASE,
)
# The Jawa Pos group's captions open with a word in capitals and a colon: "BERAGAM: Pemandangan …".
_CAPTION_KICKER = re.compile(r"^[A-Z]{3,}(?: [A-Z]{3,})?:\s+\S")
# A standfirst is short: at most this many words, in at most this many paragraphs above the
# byline, date line or dateline that opens the article.
STANDFIRST_MAX_WORDS = 60
STANDFIRST_MAX_PARAGRAPHS = 2


def _folded(text: str) -> str:
    """The text without site suffix, case or punctuation, for comparing headlines."""
    return letters(strip_site_suffix(text))


def is_leading_furniture(text: str) -> bool:
    """Whether a paragraph before the article's first is page furniture, not its prose.

    That is a section kicker in capitals ("MUDA DAN MENGINSPIRASI") or a photo caption,
    recognised by its credit ("Foto: ...", "ANTARA FOTO/...", ".../detikcom").
    """
    if text.isupper() and word_count(text) <= KICKER_MAX_WORDS and not text.endswith("."):
        return True
    return bool(_PHOTO_CREDIT.search(text) or _CAPTION_KICKER.match(text))


def _header_length(paragraphs: list[str], title: str | None, default_tz: tzinfo) -> int:
    """How many paragraphs at the start are the headline, byline, date, kicker, captions, counters
    and short lines."""
    folded_title = _folded(title) if title else None
    skip = 0
    for text in paragraphs:
        line = classify(text, default_tz)
        # Before the first sentence, short lines are share buttons, counters and kickers.
        furniture = line.kind in LEADING_FURNITURE_KINDS or is_leading_furniture(text)
        if _folded(text) != folded_title and not furniture:
            break
        skip += 1
    return skip


def _standfirst_length(paragraphs: list[str], default_tz: tzinfo) -> int:
    """How many paragraphs at the start are a standfirst: a short text above the byline or date
    line (counted in) or above the paragraph opening with the outlet's dateline; 0 if none."""
    words = 0
    for index, text in enumerate(paragraphs[: STANDFIRST_MAX_PARAGRAPHS + 1]):
        if index > 0 and dateline_length(text):
            return index
        if index > 0 and classify(text, default_tz).kind == "meta":
            return index + 1
        words += word_count(text)
        if words > STANDFIRST_MAX_WORDS or dateline_length(text):
            return 0  # long for a standfirst, or the article's own opening
    return 0


def drop_leading_header(body: str, title: str | None, default_tz: tzinfo) -> str:
    """Drop the title, byline, date, kicker, captions, counters, short lines and standfirst a body starts with."""
    paragraphs = split_paragraphs(body, unwrap=False)
    paragraphs = paragraphs[_header_length(paragraphs, title, default_tz) :]
    standfirst = _standfirst_length(paragraphs, default_tz)
    if standfirst:
        paragraphs = paragraphs[standfirst:]
        paragraphs = paragraphs[_header_length(paragraphs, title, default_tz) :]
    return "\n\n".join(paragraphs)
