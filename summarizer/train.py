"""Training of the default ranker: ``python -m summarizer.train [--data FILE] [--out FILE]``.

Reads IndoSum articles with human summaries (by default ``<project>/../shared/data/
indosum-dev.jsonl``), runs them through the same cleaning and splitting as ``summarize``,
labels in every article the sentences a greedy ROUGE oracle picks against the reference
summary (IndoSum's own ``gold`` indices count its own sentence segmentation, not ours), and
fits gradient-boosted regression trees with logistic loss on the sentence features. Trees
are grown level by level as complete binary trees on quantile bins, which is what
``rank.TreeEnsemble`` evaluates. K-fold cross-validation (train on the other folds, score
the held-out one) gives the honest ROUGE figure; the shipped model is then fitted on all
articles. Folds are fixed by a seeded shuffle and the fit has no randomness, so a rerun
writes the same file.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from summarizer.clean import clean_page
from summarizer.evaluate import ROUGE_TYPES, greedy_oracle, mean_rouge
from summarizer.features import FEATURE_NAMES, Sentence, document_features, split_document
from summarizer.rank import MODEL_FILE, MODEL_FORMAT, LearnedRanker, TreeEnsemble

logger = logging.getLogger(__name__)

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "indosum-dev.jsonl"
DEFAULT_OUT = Path(__file__).resolve().parent / "data" / MODEL_FILE
SUMMARY_SENTENCES = 3
CREDIT = "Trained on IndoSum (Kurniawan & Louvan, IALP 2018), CC BY-SA 4.0."


@dataclass(frozen=True)
class Params:
    """Boosting settings; the defaults are the shipped ones."""

    trees: int = 100
    depth: int = 5
    learning_rate: float = 0.08
    min_leaf: int = 100  # sentences per side of a split: keeps the trees from memorising
    bins: int = 32
    l2: float = 1.0


@dataclass(frozen=True)
class Article:
    """One training article: its sentences, their features and oracle labels."""

    sentences: list[Sentence]
    features: list[list[float]]
    labels: list[float]
    summary: str


def load_articles(path: Path) -> list[Article]:
    """Read a JSON Lines file of {"text", "summary"} records into labelled articles."""
    articles = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            record = json.loads(line)
            if not isinstance(record.get("text"), str) or not isinstance(
                record.get("summary"), str
            ):
                logger.warning("%s:%d: no text or summary, skipped", path, number)
                continue
            sentences = split_document(clean_page(record["text"]).text)
            if not sentences:
                continue
            picked = set(
                greedy_oracle([s.text for s in sentences], record["summary"], SUMMARY_SENTENCES)
            )
            labels = [float(i in picked) for i in range(len(sentences))]
            features = document_features(sentences)[0]
            articles.append(Article(sentences, features, labels, record["summary"]))
    return articles


Tree = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _fit_tree(
    codes: np.ndarray, cuts: list[np.ndarray], g: np.ndarray, h: np.ndarray, p: Params
) -> Tree:
    """One complete tree fitted to gradients g and hessians h: features, cuts, leaves, leaf of each row."""
    n = len(g)
    inner = 2**p.depth - 1
    feature = np.zeros(inner, dtype=np.intp)
    threshold = np.full(inner, np.inf)  # unsplit nodes send everything left
    node = np.zeros(n, dtype=np.intp)
    for level in range(p.depth):
        width = 2**level
        total_g, total_h = np.bincount(node, g, width), np.bincount(node, h, width)
        count = np.bincount(node, minlength=width)
        parent = total_g**2 / (total_h + p.l2)
        best_gain, best_feature = np.zeros(width), np.full(width, -1)
        best_bin = np.full(width, np.iinfo(np.intp).max)
        for j, cut in enumerate(cuts):
            bins = len(cut) + 1
            if bins < 2:
                continue
            key = node * bins + codes[:, j]
            sums = [
                np.bincount(key, w, width * bins).reshape(width, bins).cumsum(1)[:, :-1]
                for w in (g, h, None)
            ]
            gl, hl, cl = sums
            gain = gl**2 / (hl + p.l2) + (total_g[:, None] - gl) ** 2 / (
                total_h[:, None] - hl + p.l2
            )
            gain -= parent[:, None]
            gain[(cl < p.min_leaf) | (count[:, None] - cl < p.min_leaf)] = -np.inf
            b = gain.argmax(1)
            found = gain[np.arange(width), b]
            better = found > best_gain
            best_gain[better], best_feature[better], best_bin[better] = found[better], j, b[better]
        for k in np.flatnonzero(best_feature >= 0):
            feature[width - 1 + k] = best_feature[k]
            threshold[width - 1 + k] = cuts[best_feature[k]][best_bin[k]]
        split_feature = np.maximum(best_feature, 0)[node]
        node = 2 * node + (codes[np.arange(n), split_feature] > best_bin[node])
    leaves = 2**p.depth
    value = -np.bincount(node, g, leaves) / (np.bincount(node, h, leaves) + p.l2)
    return feature, threshold, value, node


def fit(articles: Sequence[Article], p: Params) -> dict[str, Any]:
    """Fit boosted trees on the articles' sentences; return the model as JSON-ready data."""
    x = np.asarray([row for a in articles for row in a.features], dtype=float)
    y = np.asarray([label for a in articles for label in a.labels], dtype=float)
    quantiles = np.linspace(0, 1, p.bins + 1)[1:-1]
    cuts = [np.unique(np.quantile(x[:, j], quantiles)) for j in range(x.shape[1])]
    codes = np.stack([np.searchsorted(c, x[:, j], side="left") for j, c in enumerate(cuts)], axis=1)
    base = float(np.log(y.mean() / (1 - y.mean())))
    score = np.full(len(y), base)
    trees: dict[str, list[list[Any]]] = {"feature": [], "threshold": [], "value": []}
    for _ in range(p.trees):
        prob = 1 / (1 + np.exp(-score))
        feature, threshold, value, leaf = _fit_tree(codes, cuts, prob - y, prob * (1 - prob), p)
        value = np.round(value * p.learning_rate, 6)
        score += value[leaf]
        trees["feature"].append(feature.tolist())
        trees["threshold"].append([None if t == np.inf else float(t) for t in threshold])
        trees["value"].append(value.tolist())
    return {
        "format": MODEL_FORMAT,
        "features": list(FEATURE_NAMES),
        "depth": p.depth,
        "base": base,
        "trees": trees,
    }


def rouge_of(articles: Sequence[Article], model: TreeEnsemble | None) -> dict[str, float]:
    """Mean ROUGE F1 (x100) of the model's 3-sentence picks, or of LEAD-3 without a model."""
    ranker, k = (LearnedRanker(model) if model else None), SUMMARY_SENTENCES
    pairs = []
    for a in articles:
        picked = ranker.rank(a.sentences, k) if ranker else range(min(k, len(a.sentences)))
        pairs.append((a.summary, " ".join(a.sentences[i].text for i in sorted(picked))))
    return mean_rouge(pairs)


def cross_validate(
    articles: list[Article], p: Params, folds: int, seed: int
) -> list[dict[str, Any]]:
    """Per fold: ROUGE of LEAD-3 and of a model trained on the other folds."""
    order = list(range(len(articles)))
    random.Random(seed).shuffle(order)
    results = []
    for k in range(folds):
        held = [articles[i] for i in order[k::folds]]
        rest = [articles[i] for j in range(folds) if j != k for i in order[j::folds]]
        model = TreeEnsemble.from_dict(fit(rest, p))
        results.append(
            {
                "fold": k,
                "articles": len(held),
                "lead3": rouge_of(held, None),
                "default": rouge_of(held, model),
            }
        )
        logger.info("fold %d/%d done", k + 1, folds)
    return results


def _mean(results: list[dict[str, Any]], method: str) -> dict[str, float]:
    total = sum(r["articles"] for r in results)
    return {
        key: sum(r[method][key] * r["articles"] for r in results) / total for key in ROUGE_TYPES
    }


def _row(name: str, scores: dict[str, float], lead: dict[str, float]) -> str:
    cells = " | ".join(f"{scores[k]:.2f} ({scores[k] - lead[k]:+.2f})" for k in ROUGE_TYPES)
    return f"| {name} | {cells} |"


def main(argv: Sequence[str] | None = None) -> int:
    """Cross-validate, fit on all articles, write the model; print the ROUGE figures."""
    parser = argparse.ArgumentParser(
        prog="python -m summarizer.train", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="JSON Lines with text and summary"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the model")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (0: none)")
    parser.add_argument("--seed", type=int, default=13, help="seed of the fold shuffle")
    parser.add_argument("--trees", type=int, default=Params.trees)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if not args.data.is_file():
        logger.error("no training data at %s", args.data)
        print(f"train: {args.data}: no such file", file=sys.stderr)
        return 2
    params = Params(trees=args.trees)
    articles = load_articles(args.data)
    logger.info("%d articles, %d sentences", len(articles), sum(len(a.sentences) for a in articles))
    print("| model | ROUGE-1 (vs LEAD-3) | ROUGE-2 | ROUGE-L |\n|---|---|---|---|")
    info: dict[str, Any] = {
        "data": args.data.name,
        "articles": len(articles),
        "params": vars(params),
    }
    if args.folds > 1:
        folds = cross_validate(articles, params, args.folds, args.seed)
        lead, default = _mean(folds, "lead3"), _mean(folds, "default")
        for r in folds:
            print(_row(f"fold {r['fold']} ({r['articles']} articles)", r["default"], r["lead3"]))
        print(_row(f"{args.folds}-fold cross-validated", default, lead))
        info["cross_validation"] = {
            "folds": args.folds,
            "seed": args.seed,
            "lead3": lead,
            "default": default,
        }
    model = fit(articles, params)
    lead, trained = rouge_of(articles, None), rouge_of(articles, TreeEnsemble.from_dict(model))
    print(_row("shipped model, on its own training data", trained, lead))
    info["in_sample"] = {"lead3": lead, "default": trained}
    model["training"] = {"credit": CREDIT, **info}
    args.out.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    logger.info("wrote %s", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
