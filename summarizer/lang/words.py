"""Indonesian word tokens and stop words.

A word is a run of letters and digits; a hyphen or apostrophe between two such runs stays
inside it ("kota-kota", "e-KTP", "Jum'at"), and so does a period or comma between digits
("1.000", "3,5", "15.17") so that numbers survive as one token. Everything else is
punctuation and is dropped. Tokens are lower-cased. ``STOP_WORDS`` holds the Indonesian
function words from ``data/stopwords.txt`` (lower-case, one per line).
"""

from __future__ import annotations

import re

from summarizer.lang.langdata import load_wordlist

STOPWORDS_FILE = "stopwords.txt"

STOP_WORDS: frozenset[str] = load_wordlist(STOPWORDS_FILE)

WORD_PATTERN = re.compile(r"[^\W_]+(?:['’\-][^\W_]+|(?<=\d)[.,](?=\d)[^\W_]+)*")


def raw_words(text: str) -> list[str]:
    """Return the word tokens of ``text`` as written (case kept)."""
    return WORD_PATTERN.findall(text)


def words(text: str) -> list[str]:
    """Return the lower-cased word tokens of ``text``, punctuation dropped."""
    return WORD_PATTERN.findall(text.lower())


def content_words(text: str) -> list[str]:
    """Return the lower-cased word tokens of ``text`` that are not stop words."""
    return [w for w in WORD_PATTERN.findall(text.lower()) if w not in STOP_WORDS]


def word_count(text: str) -> int:
    """How many words ``text`` has, as a reader counts them (punctuation is no word)."""
    return len(WORD_PATTERN.findall(text))
