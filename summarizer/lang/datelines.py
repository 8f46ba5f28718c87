"""Datelines and outlet tags at the start of a news sentence: find them and cut them off.

Articles open with "JAKARTA, KOMPAS.com -", "Jakarta, CNN Indonesia - -", "Jakarta (ANTARA
News) -", "Liputan6.com, Jakarta:", "Liputan6.com, Jakarta Polisi …" (no dash: the KLY sites'
common form) or "Dream -"; a reader's summary never does. The shapes are listed
in ``data/datelines.txt`` (one ``form`` a line, with ``{place}``, ``{PLACE}`` and
``{outlet}`` slots) together with outlet names that carry no domain; they are compiled once
into one anchored regex. Only a tag followed by a real sentence is cut: what is left must
start with a letter, digit, quote or bracket and hold a few words, so a heading such as
"Jakarta - Bandung" stays whole.
"""

from __future__ import annotations

import logging
import re

from summarizer.lang.langdata import read_entries

logger = logging.getLogger(__name__)

DATELINES_FILE = "datelines.txt"
FORM, OUTLET = "form", "outlet"
# What is left after the tag must have at least this many words to be a sentence.
MIN_WORDS_LEFT = 3

_WORD = r"[A-Z][\w'’.&-]*"
_SLOTS = {
    "{place}": rf"{_WORD}(?: {_WORD}){{0,3}}",
    "{PLACE}": r"[A-Z][A-Z'’.&-]+(?: [A-Z][A-Z'’.&-]+){0,2}",
    "{Place}": rf"{_WORD}(?=\s+[\"“'‘(]?[A-Z0-9])",
}
# A site name: "Kompas.com", "JUARA.net", "REPUBLIKA.CO.ID", "SURYA.co.id".
_DOMAIN = r"[A-Za-z][\w-]*(?:\.[A-Za-z]{2,4}){1,2}"
_DASH = r"\s*[-–—](?:\s*[-–—])*"
_REST = re.compile(r"""[\w"“'‘«(\[]""")


def _form_pattern(form: str, outlet: str) -> str:
    """The regex of one form line: slots filled in, dashes and spaces made flexible."""
    out = []
    for token in re.split(r"(\{place\}|\{PLACE\}|\{Place\}|\{outlet\}| -|:|, | \(|\) -)", form):
        if not token:
            continue
        if token in _SLOTS:
            out.append(_SLOTS[token])
        elif token == "{outlet}":
            out.append(outlet)
        elif token == " -":
            out.append(_DASH)
        elif token == ") -":
            out.append(r"\s*\)" + _DASH)
        elif token == " (":
            out.append(r"\s*\(\s*")
        elif token == ", ":
            out.append(r"\s*,\s*")
        else:
            out.append(re.escape(token))
    return "".join(out)


def _compile() -> re.Pattern[str]:
    """One anchored regex for every form in the data file."""
    forms, outlets = [], []
    for entry in read_entries(DATELINES_FILE):
        kind, _, value = entry.partition(" ")
        value = " ".join(value.split())
        if kind == FORM:
            forms.append(value)
        elif kind == OUTLET:
            outlets.append(re.escape(value).replace(r"\ ", " "))
        else:
            raise ValueError(f"{DATELINES_FILE}: unknown entry kind {kind!r}")
    names = "|".join(sorted(outlets, key=len, reverse=True))
    outlet = rf"(?:{_DOMAIN}|(?i:{names}))(?![\w.])"
    alternatives = "|".join(f"(?:{_form_pattern(f, outlet)})" for f in forms)
    return re.compile(rf"^(?:{alternatives})\s*")


DATELINE = _compile()


def dateline_length(sentence: str) -> int:
    """How many leading characters of ``sentence`` are a dateline or outlet tag (0 if none)."""
    found = DATELINE.match(sentence)
    if found is None:
        return 0
    rest = sentence[found.end() :]
    if not _REST.match(rest) or len(rest.split()) < MIN_WORDS_LEFT:
        return 0
    return found.end()


def strip_dateline(sentence: str) -> str:
    """The sentence without its leading dateline or outlet tag (unchanged if it has none)."""
    cut = dateline_length(sentence)
    return sentence[cut:] if cut else sentence
