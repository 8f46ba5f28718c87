"""Training data for the ranker: IndoSum articles as sentences, features and oracle labels.

Every article runs through the same cleaning and splitting as ``summarize`` (IndoSum's own
``gold`` indices count its own segmentation, not ours). A sentence is labelled 1 when a
greedy ROUGE oracle takes it: sentences are added one at a time, each the one that raises
ROUGE-1 + ROUGE-2 F1 against the reference most, until no sentence raises it. So the labels
already carry the reference's length: a short reference gets few sentences, a long one more.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from summarizer.evaluate import rouge_tokens
from summarizer.page.clean import clean_page
from summarizer.ranking.features import Sentence, document_features, split_document

logger = logging.getLogger(__name__)

# The oracle takes at most this many sentences (human summaries have 3.4 on average).
ORACLE_LIMIT = 8


@dataclass(frozen=True)
class Article:
    """One training article: its sentences, their features and oracle labels."""

    sentences: list[Sentence]
    features: list[list[float]]
    labels: list[float]
    summary: str


def _f1(overlap: int, predicted: int, reference: int) -> float:
    return 2.0 * overlap / (predicted + reference) if overlap else 0.0


def oracle(sentences: Sequence[str], reference: str, limit: int = ORACLE_LIMIT) -> list[int]:
    """Indices a greedy search for the best ROUGE-1 + ROUGE-2 F1 takes, until none helps."""
    ref = rouge_tokens(reference)
    ref1, ref2 = Counter(ref), Counter(pairwise(ref))
    tokens = [rouge_tokens(s) for s in sentences]
    chosen: list[int] = []
    best = 0.0
    while len(chosen) < min(limit, len(sentences)):
        found, found_index = best, -1
        for i in range(len(sentences)):
            if i in chosen:
                continue
            # rouge-score joins the summary into one text, so bigrams cross sentence ends.
            picked = [t for j in sorted([*chosen, i]) for t in tokens[j]]
            score = _f1(sum((Counter(picked) & ref1).values()), len(picked), len(ref)) + _f1(
                sum((Counter(pairwise(picked)) & ref2).values()),
                max(len(picked) - 1, 0),
                max(len(ref) - 1, 0),
            )
            if score > found:
                found, found_index = score, i
        if found_index < 0:
            break
        chosen.append(found_index)
        best = found
    return chosen


def make_article(text: str, summary: str) -> Article | None:
    """An article labelled against its reference summary (None when it has no sentences)."""
    sentences = split_document(clean_page(text).text)
    if not sentences:
        return None
    picked = set(oracle([s.text for s in sentences], summary))
    labels = [float(i in picked) for i in range(len(sentences))]
    return Article(sentences, document_features(sentences)[0], labels, summary)


def load_articles(path: Path) -> list[Article]:
    """Read a JSON Lines file of {"text", "summary"} records into labelled articles."""
    articles = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            record = json.loads(line)
            text, summary = record.get("text"), record.get("summary")
            if not isinstance(text, str) or not isinstance(summary, str):
                logger.warning("%s:%d: no text or summary, skipped", path, number)
                continue
            article = make_article(text, summary)
            if article is not None:
                articles.append(article)
    return articles
