"""Sentences of an article and the numbers the learned ranker looks at for each of them.

An article is split at blank lines into paragraphs and each paragraph into sentences, keeping
where every sentence sits. Each sentence then gets a fixed vector of features: where it is
(sentence, paragraph and in-paragraph position), its shape (length, quotes, numbers,
unbalanced quotes, a lower-case start), its context (is the previous one a quote, how long is the first sentence) and its
content (tf-idf cosine of stemmed content words with the whole article, the first sentence and
the lead). Centrality-like features are also given relative to the article (z-score, rank,
share of the maximum), because whether a sentence is central only means something next to
the other sentences of the same article. Everything here is pure Python and linear in the
article's length.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from itertools import pairwise
from typing import NamedTuple

from summarizer.lang.datelines import strip_dateline
from summarizer.lang.sentences import split_sentences
from summarizer.lang.stemming import stem
from summarizer.lang.words import STOP_WORDS, words

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_QUOTE_START = re.compile(r"""^["'“‘«]""")
# A closing quote followed by a lower-case word: the attribution of a quote ("...," kata dia).
_ATTRIBUTION = re.compile(r"""[,.!?]\s*["'”’»]\s+[^\W\d_]*[a-z]""")
_OPEN_QUOTES = "“‘«"
_CLOSE_QUOTES = "”’»"
# Paragraphs whose first sentence may open with a dateline (pages put a title or byline first).
DATELINE_PARAGRAPHS = 3
_SENTENCE_END = (".", "!", "?", "…")
_TRAILING = "\"'”’»)] "
LEAD_SENTENCES = 3
_FIRST_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")

RELATIVE = ("cent", "simlead", "sumbasic", "len", "simfirst")
# The less obvious names: cent/simfirst/simlead/simprev = cosine with the whole article, the
# first sentence, the first three, the previous one; sumbasic = how widespread its terms are
# in the article; inq = starts inside an open quotation; attr = attributes a quote ("...,"
# kata dia); capsr = share of capitalised words; contentr = content words per word;
# newwords = share of its terms not seen earlier; s0_* = the first sentence's value;
# wordpos/wordend = words of the article before it / through it (a summary is a word budget);
# paralen = sentences in its paragraph, relidx = its place there; simnext = cosine with the next.
BASE_FEATURES = (
    "pos", "relpos", "para", "relpara", "idxpara", "len", "rellen", "chars",
    "qstart", "hasq", "inq", "attr", "digit", "question", "cent", "simfirst", "simlead",
    "simprev", "sumbasic", "nsent", "npara", "unbalanced", "lower", "endpunct", "capsr",
    "contentr", "prev_qstart", "prev_attr", "prev_len", "next_qstart", "s0_len",
    "s0_qstart", "newwords", "wordpos", "wordend", "paralen", "relidx", "simnext",
)  # fmt: skip
FEATURE_NAMES: tuple[str, ...] = BASE_FEATURES + tuple(
    f"{name}_{kind}" for name in RELATIVE for kind in ("z", "rk", "rel")
)


class Sentence(NamedTuple):
    """One sentence of an article and where it stands."""

    text: str
    paragraph: int
    index_in_paragraph: int


def split_document(text: str) -> list[Sentence]:
    """Split an article into sentences, remembering paragraph and in-paragraph position.

    The dateline or outlet tag opening one of the first paragraphs ("JAKARTA, KOMPAS.com -")
    is cut off its sentence, since a reader's summary never starts with it.
    """
    out: list[Sentence] = []
    paragraphs = (block for block in _PARAGRAPH_BREAK.split(text) if block.strip())
    for p, block in enumerate(paragraphs):
        sentences = split_sentences(block)
        if p < DATELINE_PARAGRAPHS and sentences:
            sentences[0] = strip_dateline(sentences[0])
        out.extend(Sentence(s, p, i) for i, s in enumerate(sentences))
    return out


def unbalanced_quotes(text: str) -> bool:
    """Whether the double quotation marks of a sentence do not pair up."""
    opened = sum(text.count(q) for q in "“«")
    closed = sum(text.count(q) for q in "”»")
    return opened != closed or text.count('"') % 2 == 1


def unfinished(text: str) -> bool:
    """Whether a sentence stops without closing punctuation: a subheading, or the title of a
    related article that page cleaning left between paragraphs ("Menjaga Kebugaran Tubuh
    dengan Multivitamin Gummy")."""
    text = text.rstrip()
    return bool(text) and text[-1] not in ".!?…\"”’')]"


def starts_lower(text: str) -> bool:
    """Whether a sentence opens with a lower-case letter (a fragment torn from the last one)."""
    found = _FIRST_LETTER.search(text)
    return found is not None and found.group().islower()


Vector = dict[str, float]


def _unit_vectors(token_lists: list[list[str]]) -> list[Vector]:
    terms = [[stem(w) for w in tokens if w not in STOP_WORDS and not w[0].isdigit()] for tokens in token_lists]
    df = Counter(w for ts in terms for w in set(ts))
    n = len(terms)
    idf = {w: math.log((n + 1) / c) + 1.0 for w, c in df.items()}
    return [unit({w: c * idf[w] for w, c in Counter(ts).items()}) for ts in terms]


def term_vectors(texts: list[str]) -> list[Vector]:
    """Unit-length tf-idf vectors of stemmed content words, idf over the given sentences."""
    return _unit_vectors([words(t) for t in texts])


def unit(vector: Vector) -> Vector:
    """The vector scaled to length 1 (an empty vector stays empty)."""
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {k: v / norm for k, v in vector.items()} if norm else {}


def cosine(a: Vector, b: Vector) -> float:
    """Cosine similarity of two unit-length sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    # Only shared terms contribute; walking them in ``a``'s order keeps the sum's order.
    return sum(v * b[k] for k, v in a.items() if k in b)


def _summed(vectors: list[Vector]) -> Vector:
    total: Counter[str] = Counter()
    for v in vectors:
        total.update(v)
    return unit(dict(total))


def _inside_quote(sentences: list[Sentence]) -> list[bool]:
    """Whether each sentence starts inside a quotation opened by an earlier sentence."""
    out, inside, paragraph = [], False, -1
    for s in sentences:
        if s.paragraph != paragraph:
            inside, paragraph = False, s.paragraph
        out.append(inside)
        opened = sum(s.text.count(q) for q in _OPEN_QUOTES)
        closed = sum(s.text.count(q) for q in _CLOSE_QUOTES)
        if s.text.count('"') % 2:
            inside = not inside
        if opened != closed:
            inside = opened > closed
    return out


def _shape(text: str, tokens: list[str]) -> dict[str, float]:
    """Features of one sentence on its own."""
    stripped = text.rstrip(_TRAILING)
    capitals = sum(1 for w in text.split()[1:] if w[:1].isupper())
    return {
        "len": float(len(tokens)),
        "chars": float(len(text)),
        "qstart": float(bool(_QUOTE_START.match(text))),
        "hasq": float(any(q in text for q in '"“”')),
        "attr": float(bool(_ATTRIBUTION.search(text))),
        "digit": float(_DIGIT.search(text) is not None),
        "question": float(stripped.endswith("?")),
        "unbalanced": float(unbalanced_quotes(text)),
        "lower": float(starts_lower(text)),
        "endpunct": float(stripped.endswith(_SENTENCE_END)),
        "capsr": capitals / max(len(tokens), 1),
    }


def _relative(rows: list[dict[str, float]]) -> None:
    """Add each RELATIVE feature as z-score, rank and share of the article's maximum."""
    n = len(rows)
    for name in RELATIVE:
        values = [r[name] for r in rows]
        mean = sum(values) / n
        spread = math.sqrt(sum((v - mean) ** 2 for v in values) / n) or 1.0
        top = max(values)
        order = sorted(range(n), key=lambda i: -values[i])
        for rank, i in enumerate(order):
            rows[i][f"{name}_z"] = (values[i] - mean) / spread
            rows[i][f"{name}_rk"] = float(rank)
            rows[i][f"{name}_rel"] = values[i] / top if top > 0 else 0.0


def document_features(sentences: list[Sentence]) -> tuple[list[list[float]], list[Vector]]:
    """One feature row (in FEATURE_NAMES order) per sentence, and the sentences' term vectors."""
    n = len(sentences)
    if not n:
        return [], []
    texts = [s.text for s in sentences]
    tokens = [words(t) for t in texts]
    vectors = _unit_vectors(tokens)
    centroid, first = _summed(vectors), vectors[0]
    lead = _summed(vectors[:LEAD_SENTENCES])
    tf = Counter(w for v in vectors for w in v)
    total_tf = sum(tf.values()) or 1
    paragraphs = sentences[-1].paragraph + 1
    mean_len = sum(map(len, tokens)) / n
    inside = _inside_quote(sentences)
    rows = [_shape(t, toks) for t, toks in zip(texts, tokens, strict=True)]
    para_sizes = Counter(s.paragraph for s in sentences)
    next_sim = [cosine(a, b) for a, b in pairwise(vectors)]
    seen: set[str] = set()
    words_before = 0
    for i, (s, row, vec) in enumerate(zip(sentences, rows, vectors, strict=True)):
        prev = rows[i - 1] if i else None
        row.update(
            pos=float(i),
            relpos=i / max(n - 1, 1),
            para=float(s.paragraph),
            relpara=s.paragraph / max(paragraphs - 1, 1),
            idxpara=float(s.index_in_paragraph),
            rellen=row["len"] / max(mean_len, 1.0),
            inq=float(inside[i]),
            cent=cosine(vec, centroid),
            simfirst=cosine(vec, first) if i else 1.0,
            simlead=cosine(vec, lead),
            simprev=next_sim[i - 1] if i else 0.0,
            sumbasic=100.0 * sum(tf[w] for w in vec) / total_tf / max(len(vec), 1),
            nsent=float(n),
            npara=float(paragraphs),
            contentr=len(vec) / max(row["len"], 1.0),
            prev_qstart=prev["qstart"] if prev else -1.0,
            prev_attr=prev["attr"] if prev else -1.0,
            prev_len=prev["len"] if prev else -1.0,
            s0_len=rows[0]["len"],
            s0_qstart=rows[0]["qstart"],
            newwords=len(vec.keys() - seen) / max(len(vec), 1),
            wordpos=float(words_before),
            wordend=float(words_before + len(tokens[i])),
            paralen=float(para_sizes[s.paragraph]),
            relidx=s.index_in_paragraph / para_sizes[s.paragraph],
            simnext=next_sim[i] if i + 1 < n else 0.0,
        )
        words_before += len(tokens[i])
        row["next_qstart"] = rows[i + 1]["qstart"] if i + 1 < n else -1.0
        seen.update(vec)
    _relative(rows)
    return [[row[name] for name in FEATURE_NAMES] for row in rows], vectors
