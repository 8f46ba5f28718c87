"""Headlines as Indonesian news pages give them: which of the page's titles, and without the
outlet and section around it ("X - Kompas.com Bola", "KapanLagi.com: X", "Musik - X";
section names in data/title_sections.txt)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from summarizer.lang.langdata import load_wordlist
from summarizer.page.boilerplate import is_site
from summarizer.page.paragraphs import letters

_SECTIONS = load_wordlist("title_sections.txt")
_TITLE_SEPARATOR = re.compile(r"\s+[|–—-]\s+|\s*:\s+")
MAX_SECTION_WORDS = 2
MIN_SITE_PART_LETTERS = 5  # a shorter part ("Bola") is too likely a word of the headline itself
MIN_TRUNCATED_LETTERS = 12  # a cut headline must keep this much to be matched to its <h1>


def _is_affix(text: str, sites: Sequence[str] = ()) -> bool:
    """Whether a title part is the outlet, a section, or the outlet with its section; ``sites``
    are the names the page itself gives its site (og:site_name: "Poskota News")."""
    text = text.strip()
    if is_site(text) or text.casefold() in _SECTIONS or _in_site_name(text, sites):
        return True
    words = text.split()
    for cut in range(1, len(words)):
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        if is_site(head) and len(words) - cut <= MAX_SECTION_WORDS and tail.casefold() in _SECTIONS:
            return True
        # KLY's "X | Today Merdeka.com": the section before the outlet.
        if is_site(tail) and cut <= MAX_SECTION_WORDS and head.casefold() in _SECTIONS:
            return True
    return False


def _in_site_name(text: str, sites: Sequence[str]) -> bool:
    """Whether a title part is the site's name as the page gives it: og:site_name "Poskota News",
    or its letters within "radarkaltim.prokal.co" ("Radar Kaltim")."""
    part = letters(text)
    return len(part) >= MIN_SITE_PART_LETTERS and any(part in letters(site) for site in sites)


def strip_site_suffix(title: str, sites: Sequence[str] = ()) -> str:
    """Drop the outlet and section around a title ("X - Kompas.com Bola", "Musik - X"), and the
    site's own name where the page gives it (``sites``)."""
    while True:
        separators = list(_TITLE_SEPARATOR.finditer(title))
        if not separators:
            return title
        last, first = separators[-1], separators[0]
        if ":" not in last.group() and _is_affix(title[last.end() :], sites):
            title = title[: last.start()].rstrip()
        elif _is_affix(title[: first.start()], sites):
            title = title[first.end() :].lstrip()
        else:
            return title


def choose_title(candidates: Sequence[str], headings: Sequence[str], sites: Sequence[str] = ()) -> str | None:
    """The headline among the page's titles (JSON-LD, og:title, <title>, … in that order), each
    without outlet and section: the first the page prints as an <h1>, else the first.

    Tirto's pages carry a site-wide og:title ("Tirto.ID - Jernih Mengalir Mencerahkan") before
    the article's own; the printed headline tells them apart.
    """
    cleaned = [
        printed_headline(strip_site_suffix(" ".join(c.split()), sites), headings) for c in candidates if c.strip()
    ]
    printed = {letters(h) for h in headings if h.strip()}
    found = next((c for c in cleaned if letters(c) in printed), None)
    if found is None:  # "X | Kaltim Post": a site name no list knows, after the printed headline
        cut = [c[: m.start()] for c in cleaned for m in list(_TITLE_SEPARATOR.finditer(c))[-1:]]
        found = next((c.rstrip() for c in cut if letters(c) in printed), None)
    return found or (cleaned[0] if cleaned else None)


def printed_headline(title: str, headings: Sequence[str]) -> str:
    """The printed headline where metadata gives the same words without its punctuation.

    Media Indonesia's JSON-LD and og:title drop the colon and question mark its <h1> prints
    ("… Raja Ampat Apa Iya Betul Dicabut" for "… Raja Ampat: Apa Iya Betul Dicabut?"), and
    SINDOnews' cuts a long one short with "..." where the <h1> prints it whole.
    """
    folded = letters(title)
    exact = next((" ".join(h.split()) for h in headings if h.strip() and letters(h) == folded), None)
    if exact or len(folded) < MIN_TRUNCATED_LETTERS:
        return exact or title
    # SINDOnews' metadata cuts a long headline with "...", and a quotation mark inside an
    # attribute cuts Republika's ("… Perkataan 'Dibohongi Al-Maidah'" ends at "Perkataan"):
    # the <h1> that goes on, and is not much longer, is the headline.
    cut = title.rstrip().endswith(("...", "…"))
    return next(
        (
            " ".join(h.split())
            for h in headings
            if letters(h).startswith(folded) and len(folded) < len(letters(h)) <= (2 if cut else 1.5) * len(folded)
        ),
        title,
    )
