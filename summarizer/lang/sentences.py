"""Indonesian sentence splitting for news prose.

Every line break is a boundary (blank lines are paragraph breaks, and a line that stands
alone - a heading, a list line, "Baca juga: ..." - is its own sentence). Inside a line, one
regex pass finds each run of terminal punctuation (``.``, ``!``, ``?``, ``...``, ``…``) with
its closing quotes/brackets, and a small decision function looks at the word before it and
the token after it. A lower-case next word continues the sentence (``"Kami siap!" kata
dia.``, ``dll. dibawa``); a period after a known abbreviation (``Dr.``, ``Jl.``, ``S.H.``,
from ``data/abbreviations.txt``), a single initial (``Susilo B. Yudhoyono``) or a list
number opening the sentence (``1. Pertama``) does not end it, except for sentence-final
abbreviations (``dll.``, ``dsb.``, ``Tbk.``) before a capitalised word. Numbers, times, URLs
and e-mail addresses have no period followed by whitespace, so they need no special case;
the one glued boundary that real pages contain, a number then a period then a capitalised
word (``tahun 2017.Pertandingan``), is split. Sentences are verbatim spans of the input with
runs of whitespace collapsed to one space: removing all whitespace from the input and from
the joined sentences gives the same string.
"""

from __future__ import annotations

import logging
import re

from summarizer.lang.langdata import read_entries

logger = logging.getLogger(__name__)

ABBREVIATIONS_FILE = "abbreviations.txt"
END_MARK = "end"
LABEL_MARK = "label"

OPENERS = "\"'“‘«([{"
CLOSERS = "\"'”’»)]}"
# Quotes that can only close: IndoSum-style text spaces them off ("pergi. ” Lalu").
STRICT_CLOSERS = "”’»)]}"
BRACKET_OPENERS = "(["
# Double quotation marks by direction; the straight one opens or closes by turns.
_OPEN_DOUBLE = "“«"
_CLOSE_DOUBLE = "”»"
_ANY_DOUBLE_QUOTE = re.compile('[“«”»"]')

_CLOSE = "[" + re.escape(CLOSERS) + "]"
_STRICT_CLOSE = "[" + re.escape(STRICT_CLOSERS) + "]"
# A run of terminal punctuation with its closing quotes/brackets, then a space and the next
# token, or the end of the line, or (glued) a capitalised word right after "<digit>.".
# Lines are whitespace-normalized first, so a single space is the only separator here;
# possessive quantifiers keep long runs of dots or quotes linear.
_CANDIDATE = re.compile(
    rf"(?<![.!?…])(?P<punct>[.!?…]++)(?P<close>{_CLOSE}*+(?: {_STRICT_CLOSE}++(?= |\Z))*+)"
    r"(?:(?= (?P<next>\S+)|\Z)|(?<=\d\.)(?=(?P<glued>[A-Z][a-z]{2,})))"
)
_FIRST_ALNUM = re.compile(r"[^\W_]")
_UPPER_LATER = re.compile(r"[^\W_].*[A-Z]")
# Initials joined by periods: "S.Kom", "A.S", "Ph.D" (the final period is not part of it).
_DOTTED = re.compile(r"(?:[A-Z][a-z]{0,2}\.)+[A-Z][A-Za-z]{0,3}")
# What may number an item at the start of a sentence: "1.", "a.", "IV.".
_LIST_MARKER = re.compile(r"\d{1,3}|[A-Za-z]|[IVXivx]{1,5}")


def _load_abbreviations() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Read the abbreviation file: (abbreviations, sentence-final ones, letter-label words)."""
    known: set[str] = set()
    final: set[str] = set()
    labels: set[str] = set()
    for entry in read_entries(ABBREVIATIONS_FILE):
        head, *marks = entry.split()
        key = head.lower()
        if LABEL_MARK in marks:
            labels.add(key)
            continue
        if not key.endswith("."):
            raise ValueError(f"{ABBREVIATIONS_FILE}: entry {head!r} must end with a period")
        known.add(key)
        if END_MARK in marks:
            final.add(key)
    return frozenset(known), frozenset(final), frozenset(labels)


ABBREVIATIONS, FINAL_ABBREVIATIONS, LETTER_LABEL_WORDS = _load_abbreviations()


def _opening(token: str) -> tuple[bool, str]:
    """Whether ``token`` can open a sentence, and its first letter or digit ("" if none)."""
    if token[0] in BRACKET_OPENERS:
        # Editor codes and asides ("(end)", "[cob]", "(Baca juga: ...)") stand apart.
        return True, ""
    found = _FIRST_ALNUM.search(token)
    if found is None:
        return True, ""
    first = found.group()
    if not first.islower():
        return True, first
    # "iPhone", "e-KTP" and a lower-case title such as "dr." may open a sentence.
    lowered = token.rstrip(CLOSERS + ",;:").lower()
    camel = _UPPER_LATER.match(token, found.start()) is not None
    title = lowered in ABBREVIATIONS and lowered not in FINAL_ABBREVIATIONS
    return camel or title, first


def _is_initial(core: str, line: str, word_start: int, sentence_start: int) -> bool:
    """Whether a single capital letter before a period is a person's initial."""
    if len(core) != 1 or not core.isupper():
        return False
    if word_start <= sentence_start:
        return True
    space = line.rfind(" ", sentence_start, word_start - 1)
    before = line[max(space + 1, sentence_start) : word_start - 1]
    return before.lower() not in LETTER_LABEL_WORDS


def _is_boundary(line: str, match: re.Match[str], word_start: int, sentence_start: int) -> bool:
    """Decide whether the punctuation run in ``match`` ends a sentence."""
    if match.group("glued"):
        return True
    punct, close = match.group("punct", "close")
    word = line[word_start : match.start()]
    opens, first = _opening(match.group("next"))
    if "!" in punct or "?" in punct:
        # Only a closing quote ties a lower-case word to the sentence ("Siap!" kata dia.).
        return opens or not close
    if not opens:
        return False
    core = word.lstrip(OPENERS)
    if len(punct) > 1 or "…" in punct:
        if word and not core and close:
            return False  # an elision mark such as "[...]" or "(…)"
        # An ellipsis before a number or symbol is a pause, before a capital a full stop.
        return first.isupper()
    if close or not core:
        return True
    if word_start == sentence_start and _LIST_MARKER.fullmatch(core):
        return False
    if _is_initial(core, line, word_start, sentence_start):
        return False
    key = core.lower() + "."
    if key in ABBREVIATIONS:
        return key in FINAL_ABBREVIATIONS and first.isupper()
    return _DOTTED.fullmatch(core) is None


def _quote_depth(text: str, depth: int) -> int:
    """How many double quotations are open after ``text``, given ``depth`` open before it."""
    if not _ANY_DOUBLE_QUOTE.search(text):  # most sentences: skip the character loop
        return depth
    for char in text:
        if char in _OPEN_DOUBLE:
            depth += 1
        elif char in _CLOSE_DOUBLE:
            depth = max(depth - 1, 0)
        elif char == '"':
            depth = depth - 1 if depth else 1
    return depth


def _join_quotations(pieces: list[str]) -> list[str]:
    """Join the pieces of a line that lie inside one quotation, up to the one closing it.

    A quotation that is still open at the end of the line (news often runs a quote over
    several paragraphs) joins nothing, so one stray mark cannot swallow the paragraph.
    """
    out: list[str] = []
    i = 0
    while i < len(pieces):
        depth, j = _quote_depth(pieces[i], 0), i
        while depth and j + 1 < len(pieces):
            j += 1
            depth = _quote_depth(pieces[j], depth)
        if depth:
            j = i
        out.append(" ".join(pieces[i : j + 1]))
        i = j + 1
    return out


def _split_line(line: str, out: list[str]) -> None:
    """Append the sentences of one whitespace-normalized, non-empty line to ``out``."""
    pieces: list[str] = []
    _cut_line(line, pieces)
    out.extend(_join_quotations(pieces))


def _cut_line(line: str, out: list[str]) -> None:
    """Append the pieces of one line between sentence-ending punctuation to ``out``."""
    start = 0
    for match in _CANDIDATE.finditer(line):
        glued = match.group("glued")
        if match.group("next") is None and glued is None:
            break
        space = line.rfind(" ", start, match.start())
        word_start = space + 1 if space >= 0 else start
        if _is_boundary(line, match, word_start, start):
            out.append(line[start : match.end()])
            start = match.start("glued") if glued else match.end() + 1
    out.append(line[start:])


def split_sentences(text: str) -> list[str]:
    """Split Indonesian text into sentences: verbatim spans with whitespace normalized."""
    if not isinstance(text, str):
        logger.warning("split_sentences got %s instead of str", type(text).__name__)
        raise TypeError(f"split_sentences expects str, got {type(text).__name__}")
    sentences: list[str] = []
    for raw_line in text.splitlines():
        line = " ".join(raw_line.split())
        if line:
            _split_line(line, sentences)
    return sentences
