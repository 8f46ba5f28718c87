"""Loading of the package's language data files (stop words, abbreviations, ...).

Language data lives as plain UTF-8 text in ``summarizer/data/``: one entry per line, blank
lines ignored, and ``#`` starting a comment that runs to the end of the line. Files are read
once per process and handed out as immutable collections so that callers can keep them as
module-level constants.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

DATA_PACKAGE = "summarizer"
DATA_DIR = "data"
COMMENT = "#"


@cache
def read_entries(filename: str) -> tuple[str, ...]:
    """Return the non-empty, comment-stripped, whitespace-trimmed lines of a data file."""
    path = resources.files(DATA_PACKAGE).joinpath(DATA_DIR, filename)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise FileNotFoundError(f"language data file {filename!r} is missing from {path}") from exc
    entries = []
    for line in text.splitlines():
        entry = line.split(COMMENT, 1)[0].strip()
        if entry:
            entries.append(entry)
    return tuple(entries)


@cache
def load_wordlist(filename: str, *, lower: bool = True) -> frozenset[str]:
    """Return the entries of a data file as a frozenset, lower-cased unless ``lower=False``."""
    entries = read_entries(filename)
    return frozenset(e.lower() for e in entries) if lower else frozenset(entries)
