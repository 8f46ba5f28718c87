"""ROUGE evaluation of summarization methods against reference summaries.

``evaluate`` runs each method over records with a ``text`` and a reference ``summary`` and
scores the predicted sentences, joined by a space, with the ``rouge-score`` package
(ROUGE-1/2/L F1, no stemming, its default tokenizer, which keeps only [a-z0-9] and suits
Indonesian). It also times the summarizing and counts the words, so the table shows mean words per
summary beside ROUGE (F1 rewards a summary as long as the reference) and articles per
second.
``rouge_tokens`` tokenizes the way rouge-score does, for the training oracle
(``summarizer.training.trainset``), which scores candidate sets itself since going through
``rouge-score`` for each would be far slower.
"""

from __future__ import annotations

import logging
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tqdm import tqdm

from summarizer.core import DEFAULT_SENTENCES, DEFAULT_WORDS, summarize_page
from summarizer.lang.words import word_count

logger = logging.getLogger(__name__)

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")
PERCENT = 100.0
# Same tokenization as rouge_score.tokenize without a stemmer.
_NON_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class MethodScore:
    """Mean ROUGE F1 (x100) of one method over the articles, and its speed."""

    method: str
    rouge1: float
    rouge2: float
    rougeL: float
    articles: int
    seconds: float
    words: float = 0.0  # mean words per summary

    @property
    def articles_per_second(self) -> float:
        """Articles summarized per second of summarizing (scoring not counted)."""
        return self.articles / self.seconds if self.seconds > 0 else float("inf")


def _usable(records: Iterable[dict]) -> list[dict]:
    kept, skipped = [], 0
    for record in records:
        if isinstance(record.get("text"), str) and isinstance(record.get("summary"), str):
            kept.append(record)
        else:
            skipped += 1
    if skipped:
        logger.warning("skipped %d records without a text and a summary string", skipped)
    if not kept:
        raise ValueError('no records with both a "text" and a "summary" string to evaluate')
    return kept


def mean_rouge(pairs: Iterable[tuple[str, str]]) -> dict[str, float]:
    """Mean ROUGE-1/2/L F1 (x100) over (reference, prediction) pairs of plain text."""
    from rouge_score.rouge_scorer import RougeScorer

    scorer = RougeScorer(list(ROUGE_TYPES), use_stemmer=False)
    totals, count = dict.fromkeys(ROUGE_TYPES, 0.0), 0
    for reference, prediction in pairs:
        scores = scorer.score(reference, prediction)
        for key in ROUGE_TYPES:
            totals[key] += scores[key].fmeasure
        count += 1
    return {key: PERCENT * total / max(count, 1) for key, total in totals.items()}


def evaluate(
    records: Iterable[dict],
    methods: list[str],
    n: int = DEFAULT_SENTENCES,
    progress: bool = True,
    words: int | None = DEFAULT_WORDS,
) -> list[MethodScore]:
    """Score each method's summaries (at most n sentences, about ``words`` words) against the records' "summary" fields."""
    usable = _usable(records)
    results = []
    for method in methods:
        predictions, seconds = [], 0.0
        for record in tqdm(usable, desc=method, file=sys.stderr, disable=not progress):
            start = time.perf_counter()
            summary = summarize_page(record["text"], n=n, method=method, words=words)
            seconds += time.perf_counter() - start
            predictions.append(" ".join(summary.sentences))
        mean = mean_rouge((r["summary"], p) for r, p in zip(usable, predictions, strict=True))
        r1, r2, rl = (mean[key] for key in ROUGE_TYPES)
        mean_words = sum(map(word_count, predictions)) / len(predictions)
        results.append(MethodScore(method, r1, r2, rl, len(usable), seconds=seconds, words=mean_words))
        logger.info("evaluated %s on %d articles", method, len(usable))
    return results


def format_table(scores: Sequence[MethodScore]) -> str:
    """A Markdown table: method, ROUGE-1/2/L F1 (x100), mean words, articles, articles per second."""
    lines = [
        "| method | ROUGE-1 | ROUGE-2 | ROUGE-L | words | articles | articles/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for s in scores:
        lines.append(
            f"| {s.method} | {s.rouge1:.2f} | {s.rouge2:.2f} | {s.rougeL:.2f} | {s.words:.1f} "
            f"| {s.articles} | {s.articles_per_second:.1f} |"
        )
    return "\n".join(lines)


def rouge_tokens(text: str) -> list[str]:
    """Tokens as rouge-score sees them without stemming: lower-case [a-z0-9] runs."""
    return [t for t in _NON_ALPHANUMERIC.sub(" ", text.lower()).split() if t]
