"""Picking sentences under a word budget: best first, no repeats, stop nearest the budget.

A reader's summary has a length in words, not a count of sentences: three long sentences
make a wall of text, five short ones a fine digest item. ``pick`` walks the sentences in
order of their score, each discounted by its similarity to what is already taken (maximal
marginal relevance, so two sentences saying the same thing are not both shown), and keeps
adding while the summary ends closer to the word budget with the next sentence than
without it. Sentences a reader should not see out of context (unbalanced quotation marks,
a lower-case start, a lone paragraph with no closing punctuation) are passed over while anything else is left; near-copies of a taken
sentence are never taken.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from summarizer.lang.words import WORD_PATTERN
from summarizer.ranking.features import Vector, cosine


@dataclass(frozen=True)
class Budget:
    """How a summary is cut: at most ``sentences`` sentences, about ``words`` words."""

    sentences: int
    words: int | None = None  # None: exactly ``sentences`` sentences where there are enough
    # How much similarity to an already picked sentence costs, on the probability scale.
    redundancy_weight: float = 0.2
    # Cosine similarity from which a sentence counts as a copy of a picked one.
    duplicate_similarity: float = 0.9
    # A sentence is added while this share of it still fits the budget (0.5: while the
    # summary ends nearer the budget with it than without it).
    fit_share: float = 0.5


def pick(
    scores: Sequence[float],
    lengths: Sequence[int],
    vectors: Sequence[Vector],
    budget: Budget,
    avoid: Sequence[bool] | None = None,
) -> list[int]:
    """Indices of the picked sentences, in the order they were taken (best first).

    ``scores`` are probabilities, ``lengths`` words per sentence, ``vectors`` unit term
    vectors, ``avoid`` marks sentences to take only when nothing else is left.
    """
    n = len(scores)
    avoid = avoid or [False] * n
    chosen: list[int] = []
    left = set(range(n))
    closest = [0.0] * n  # highest similarity to any chosen sentence
    total = 0
    while left and len(chosen) < budget.sentences:
        fresh = [i for i in left if closest[i] < budget.duplicate_similarity]
        if not fresh:
            break  # only copies of what is taken are left: a summary never repeats itself
        fresh = [i for i in fresh if not avoid[i]] or fresh
        # Ties go to the earlier sentence.
        best = max(fresh, key=lambda i: (scores[i] - budget.redundancy_weight * closest[i], -i))
        too_long = total + budget.fit_share * lengths[best] > (budget.words or 0)
        if chosen and budget.words is not None and too_long:
            break  # the summary ends nearer the budget without it
        chosen.append(best)
        total += lengths[best]
        left.discard(best)
        for i in left:
            closest[i] = max(closest[i], cosine(vectors[i], vectors[best]))
    return chosen


def take_within(ranked: Sequence[str], sentences: int, words: int | None) -> list[str]:
    """The leading sentences of a best-first list that fit the budget (same stopping rule).

    For callers that stored a ranking (``rank_sentences``) and cut it per reader later, such
    as a digest with each subscriber's length. Returns them in the given order.
    """
    out: list[str] = []
    total = 0
    for text in ranked[:sentences]:
        length = len(WORD_PATTERN.findall(text))
        if out and words is not None and total + Budget.fit_share * length > words:
            break
        out.append(text)
        total += length
    return out
