"""Recognising and removing boilerplate in Indonesian news text.

The patterns live in data/boilerplate.txt, one regular expression per line with a kind
saying where it applies: "line" paragraphs are never article text, "footer" paragraphs are
never article text and close the article on a page, "end" paragraphs are dropped only after
the article's last paragraph, "tail" fragments are cut from the end of a paragraph, and
"site" paragraphs name a news outlet (dropped, and never mistaken for an author or title).
They are loaded once at import; a broken pattern is a packaging bug and fails loudly.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from importlib import resources
from typing import Literal, cast

logger = logging.getLogger(__name__)

Kind = Literal["line", "footer", "end", "tail", "site"]
KINDS: frozenset[str] = frozenset({"line", "footer", "end", "tail", "site"})

# Boilerplate paragraphs are short; longer ones are prose that happens to start alike.
MAX_BOILERPLATE_CHARS = 300
# Tail fragments are looked for only in this many closing characters, which keeps the
# search linear on huge paragraphs.
TAIL_WINDOW_CHARS = 200
DATA_FILE = "boilerplate.txt"


@dataclass(frozen=True)
class BoilerplatePattern:
    """One pattern from data/boilerplate.txt."""

    kind: Kind
    regex: re.Pattern[str]
    line_number: int


def parse_patterns(text: str, source: str = DATA_FILE) -> frozenset[BoilerplatePattern]:
    """Parse the "KIND REGEX" lines of a boilerplate file, skipping blanks and comments."""
    patterns: set[BoilerplatePattern] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        kind, _, expression = line.partition(" ")
        expression = expression.strip()
        if kind not in KINDS or not expression:
            raise ValueError(f"{source}:{number}: expected 'KIND REGEX' with KIND in {KINDS}")
        try:
            regex = re.compile(expression, re.IGNORECASE)
        except re.error as exc:
            raise ValueError(f"{source}:{number}: bad regular expression: {exc}") from exc
        patterns.add(BoilerplatePattern(cast(Kind, kind), regex, number))
    return frozenset(patterns)


def _load() -> frozenset[BoilerplatePattern]:
    """The boilerplate patterns shipped in data/boilerplate.txt."""
    text = resources.files("summarizer").joinpath("data", DATA_FILE).read_text("utf-8")
    return parse_patterns(text)


PATTERNS: frozenset[BoilerplatePattern] = _load()
_BY_KIND: dict[str, tuple[re.Pattern[str], ...]] = {
    kind: tuple(p.regex for p in sorted(PATTERNS, key=lambda p: p.line_number) if p.kind == kind) for kind in KINDS
}


# One alternation per kind: a single regex call per paragraph instead of one per pattern.
# (Every pattern is compiled with the same flags and none uses groups by name or number.)
_ANY_OF_KIND: dict[str, re.Pattern[str] | None] = {
    kind: re.compile("|".join(f"(?:{r.pattern})" for r in regexes), re.IGNORECASE) if regexes else None
    for kind, regexes in _BY_KIND.items()
}


def _fullmatch_any(kind: str, paragraph: str) -> bool:
    """True when one of the patterns of kind matches the whole paragraph."""
    if len(paragraph) > MAX_BOILERPLATE_CHARS:
        return False
    combined = _ANY_OF_KIND[kind]
    return combined is not None and combined.fullmatch(paragraph) is not None


def is_boilerplate(paragraph: str) -> bool:
    """Whether a whole paragraph is boilerplate wherever it appears (line, footer, site)."""
    return any(_fullmatch_any(kind, paragraph) for kind in ("line", "footer", "site"))


def is_site(text: str) -> bool:
    """Whether a short text is a news outlet's name ("Kompas.com", "detikNews")."""
    return _fullmatch_any("site", text.strip())


def is_footer(paragraph: str) -> bool:
    """Whether a paragraph is a heading that closes the article (related, tags, copyright)."""
    return _fullmatch_any("footer", paragraph)


def is_end_boilerplate(paragraph: str) -> bool:
    """Whether a paragraph is boilerplate when it follows the article ("Sumber: ...")."""
    return _fullmatch_any("end", paragraph)


def strip_tail(paragraph: str) -> str:
    """Cut trailing editor codes and photo credits from a paragraph, repeatedly."""
    while True:
        head = paragraph[:-TAIL_WINDOW_CHARS] if len(paragraph) > TAIL_WINDOW_CHARS else ""
        window = paragraph[len(head) :]
        for regex in _BY_KIND["tail"]:
            match = regex.search(window)
            if match and match.end() > match.start():
                paragraph = (head + window[: match.start()]).rstrip()
                break
        else:
            return paragraph


def matching_patterns(paragraph: str) -> list[BoilerplatePattern]:
    """Every pattern that applies to a paragraph, for tests and for explaining a removal."""
    found = []
    for pattern in PATTERNS:
        if pattern.kind == "tail":
            hit = pattern.regex.search(paragraph[-TAIL_WINDOW_CHARS:]) is not None
        else:
            hit = len(paragraph) <= MAX_BOILERPLATE_CHARS and bool(pattern.regex.fullmatch(paragraph))
        if hit:
            found.append(pattern)
    return sorted(found, key=lambda p: p.line_number)
