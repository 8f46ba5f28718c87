"""Indonesian tokenizer and stemmer in the shapes sumy expects.

sumy ships no Indonesian tokenizer, and its generic one needs NLTK's punkt data, which is
not available offline. ``IndonesianTokenizer`` is duck-typed for sumy (``language``,
``to_sentences``, ``to_words``) and uses this package's splitter and word pattern, so
``PlaintextParser.from_string(text, IndonesianTokenizer())`` and every sumy summarizer
work without any NLTK data. Note that ``PlaintextParser`` glues the lines of a paragraph
together with spaces before splitting (a lone line such as "Baca juga: ..." then merges
with the next sentence) and treats all-upper-case lines as headings, which summarizers
never pick; ``build_document`` builds sumy's document model from our own splitting
instead, where every line break stays a sentence boundary and no line is a heading.
"""

from __future__ import annotations

import re

from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

from summarizer.lang.sentences import split_sentences
from summarizer.lang.stemming import stem
from summarizer.lang.words import WORD_PATTERN

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_HAS_LETTER = re.compile(r"[^\W\d_]")


class IndonesianTokenizer:
    """Sentence and word tokenizer for Indonesian, usable wherever sumy wants a tokenizer."""

    language = "indonesian"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        """Split a paragraph into sentences (verbatim, whitespace normalized)."""
        return tuple(split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        """Return the words of a sentence as written; like sumy, tokens without a letter go."""
        return tuple(w for w in WORD_PATTERN.findall(sentence) if _HAS_LETTER.search(w))


def sumy_stemmer(word: str) -> str:
    """Stem one word for sumy summarizers (Snowball Indonesian plus reduplication folding)."""
    return stem(word.lower())


def build_document(text: str, tokenizer: IndonesianTokenizer | None = None) -> ObjectDocumentModel:
    """Build sumy's document model: paragraphs at blank lines, sentences from split_sentences."""
    tokenizer = tokenizer or IndonesianTokenizer()
    paragraphs = []
    for block in _PARAGRAPH_BREAK.split(text.strip()):
        sentences = [Sentence(s, tokenizer) for s in split_sentences(block)]
        if sentences:
            paragraphs.append(Paragraph(sentences))
    return ObjectDocumentModel(paragraphs)
