"""The default ranker: boosted regression trees over sentence features, then a redundancy-aware pick.

The model in ``data/ranker.json`` is written by ``python -m summarizer.training.train`` (trained on
IndoSum, see docs/data.md for credit). Each tree is stored as a complete binary tree of fixed
depth in breadth-first arrays, which lets the whole ensemble be evaluated for all sentences of
an article in ``depth`` vectorised numpy steps. The pick under a word budget, with its
redundancy penalty, is ``summarizer.ranking.budget``.
"""

from __future__ import annotations

import json
import logging
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from summarizer.lang.words import word_count
from summarizer.ranking.budget import Budget, pick
from summarizer.ranking.features import (
    FEATURE_NAMES,
    Sentence,
    Vector,
    document_features,
    starts_lower,
    unbalanced_quotes,
    unfinished,
)

logger = logging.getLogger(__name__)

MODEL_FILE = "ranker.json"
MODEL_FORMAT = 1


@dataclass(frozen=True)
class TreeEnsemble:
    """Boosted trees: score = base + sum over trees of the leaf reached."""

    features: tuple[str, ...]
    depth: int
    base: float
    feature: np.ndarray  # (trees, 2**depth - 1) feature index of each inner node
    threshold: np.ndarray  # (trees, 2**depth - 1) go right when value > threshold
    value: np.ndarray  # (trees, 2**depth) leaf values, learning rate included

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TreeEnsemble:
        """Build the ensemble from the JSON written by summarizer.training.train."""
        if data.get("format") != MODEL_FORMAT:
            raise ValueError(f"ranker model format {data.get('format')!r}, expected {MODEL_FORMAT}")
        trees = data["trees"]
        # JSON has no infinity; a padded node (always go left) stores null.
        thresholds = [[math.inf if t is None else t for t in row] for row in trees["threshold"]]
        model = cls(
            features=tuple(data["features"]),
            depth=int(data["depth"]),
            base=float(data["base"]),
            feature=np.asarray(trees["feature"], dtype=np.intp),
            threshold=np.asarray(thresholds, dtype=float),
            value=np.asarray(trees["value"], dtype=float),
        )
        inner, leaves = 2**model.depth - 1, 2**model.depth
        if model.feature.shape[1:] != (inner,) or model.value.shape[1:] != (leaves,):
            raise ValueError("ranker model trees do not match their depth")
        return model

    def predict(self, rows: Sequence[Sequence[float]]) -> np.ndarray:
        """Scores for feature rows (in self.features order)."""
        x = np.asarray(rows, dtype=float)
        if not len(x):
            return np.zeros(0)
        count, inner = self.feature.shape
        # Flat indices: one take per level instead of 2-D fancy indexing.
        columns = x.T.ravel()
        tree_start = (np.arange(count) * inner)[:, None]
        row_start = np.arange(len(x))[None, :]
        feature, threshold = self.feature.ravel(), self.threshold.ravel()
        node = np.zeros((count, len(x)), dtype=np.intp)
        for _ in range(self.depth):
            at = tree_start + node
            values = columns.take(feature.take(at) * len(x) + row_start)
            node = 2 * node + 1 + (values > threshold.take(at))
        leaf = node - inner + (np.arange(count) * (inner + 1))[:, None]
        return self.base + self.value.ravel().take(leaf).sum(axis=0)


def load_model(path: Path | None = None) -> TreeEnsemble:
    """Read a ranker model, by default the one shipped in the package."""
    if path is None:
        text = resources.files("summarizer").joinpath("data", MODEL_FILE).read_text("utf-8")
    else:
        text = path.read_text("utf-8")
    model = TreeEnsemble.from_dict(json.loads(text))
    if model.features != FEATURE_NAMES:
        raise ValueError("ranker model was trained on other features; run python -m summarizer.training.train")
    return model


@lru_cache(maxsize=1)
def default_model() -> TreeEnsemble:
    """The packaged model, loaded once per process."""
    return load_model()


# Below this cosine with the rest of the article, a sentence standing alone as a paragraph is
# off its topic: a teaser of another story or a caption that the page cleaning left in.
OFF_TOPIC_SIMILARITY = 0.025


def _similarity_to_rest(vectors: list[Vector]) -> list[float]:
    """Each unit vector's cosine with the sum of all the others, in one pass over the terms."""
    total: Counter[str] = Counter()
    for vector in vectors:
        total.update(vector)
    total_norm2 = sum(x * x for x in total.values())
    out = []
    for vector in vectors:
        dot_total = sum(total[k] * x for k, x in vector.items())
        self_norm2 = sum(x * x for x in vector.values())
        rest_norm2 = total_norm2 - 2 * dot_total + self_norm2
        dot_rest = dot_total - self_norm2
        out.append(dot_rest / math.sqrt(rest_norm2) if rest_norm2 > 1e-12 and vector else 1.0)
    return out


class LearnedRanker:
    """Scores sentences with a tree ensemble and picks them under a budget (summarizer.ranking.budget)."""

    def __init__(self, model: TreeEnsemble | None = None) -> None:
        self.model = model or default_model()

    def probabilities(self, sentences: list[Sentence]) -> tuple[list[float], list[Vector]]:
        """Each sentence's summary-worthiness on a 0-1 scale, and its term vector."""
        rows, vectors = document_features(sentences)
        scores = self.model.predict(rows) if rows else np.zeros(0)
        return (1.0 / (1.0 + np.exp(-scores))).tolist(), vectors

    def pick(self, sentences: list[Sentence], budget: Budget) -> list[int]:
        """Indices of the sentences that fit the budget, best first."""
        if not sentences or budget.sentences < 1:
            return []
        probability, vectors = self.probabilities(sentences)
        texts = [s.text for s in sentences]
        related = _similarity_to_rest(vectors)
        sizes = Counter(s.paragraph for s in sentences)
        avoid = [
            unbalanced_quotes(t) or starts_lower(t) or (alone and (r < OFF_TOPIC_SIMILARITY or unfinished(t)))
            for t, r, alone in zip(texts, related, (sizes[s.paragraph] == 1 for s in sentences), strict=True)
        ]
        return pick(probability, [word_count(t) for t in texts], vectors, budget, avoid)

    def rank(self, sentences: list[Sentence], n: int) -> list[int]:
        """Indices of up to n sentences, best first (no word budget)."""
        return self.pick(sentences, Budget(n))
