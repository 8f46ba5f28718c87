"""Training of the default ranker: ``python -m summarizer.training.train [--data FILE] [--out FILE]``.

Needs the ``train`` extra (``pip install -e .[train]``, LightGBM); the bot itself never
imports it. Reads IndoSum articles with human summaries (by default ``<project>/../shared/
data/indosum-dev.jsonl``), labels their sentences with a greedy ROUGE oracle
(``summarizer.training.trainset``), fits LightGBM's gradient-boosted trees with logistic loss on the
sentence features and exports them to the numpy evaluator's JSON (``summarizer.ranking.export``).
K-fold cross-validation (train on the other folds, summarize the held-out one exactly as
``summarize`` does, word budget included) gives the honest ROUGE figure; the shipped model is
then fitted on all articles. Folds come from a seeded shuffle and LightGBM is asked to run
deterministically, yet two runs here gave slightly different trees (in-sample ROUGE-1 75.33
and 75.17 from the same settings), so a rerun may differ in the second decimal.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from summarizer.core import DEFAULT_SENTENCES, DEFAULT_WORDS
from summarizer.evaluate import ROUGE_TYPES, mean_rouge
from summarizer.lang.words import word_count
from summarizer.ranking.budget import Budget
from summarizer.ranking.export import export_lightgbm
from summarizer.ranking.features import FEATURE_NAMES
from summarizer.ranking.ranker import MODEL_FILE, LearnedRanker, TreeEnsemble
from summarizer.training.trainset import Article, load_articles

logger = logging.getLogger(__name__)

DEFAULT_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "indosum-dev.jsonl"
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "data" / MODEL_FILE
LEAD_SENTENCES = 3
CREDIT = "Trained on IndoSum (Kurniawan & Louvan, IALP 2018), CC BY-SA 4.0."


@dataclass(frozen=True)
class Params:
    """LightGBM settings; the defaults are the shipped ones."""

    trees: int = 600
    depth: int = 5
    leaves: int = 24
    learning_rate: float = 0.02
    min_leaf: int = 50  # sentences per leaf: keeps the trees from memorising articles
    l2: float = 0.0

    def lightgbm(self) -> dict[str, Any]:
        """The parameters as LightGBM names them (deterministic, 2 threads)."""
        return {
            "objective": "binary",
            "max_depth": self.depth,
            "num_leaves": min(self.leaves, 2**self.depth),
            "learning_rate": self.learning_rate,
            "min_data_in_leaf": self.min_leaf,
            "lambda_l2": self.l2,
            "deterministic": True,
            "num_threads": 2,
            "seed": 13,
            "verbose": -1,
        }


def fit_booster(articles: Sequence[Article], p: Params) -> Any:
    """A LightGBM Booster fitted on the articles' sentences."""
    import lightgbm
    import numpy as np

    x = np.asarray([row for a in articles for row in a.features], dtype=float)
    y = np.asarray([label for a in articles for label in a.labels], dtype=float)
    data = lightgbm.Dataset(x, y, feature_name=list(FEATURE_NAMES), free_raw_data=False)
    return lightgbm.train(p.lightgbm(), data, num_boost_round=p.trees)


def fit(articles: Sequence[Article], p: Params) -> dict[str, Any]:
    """Fit boosted trees on the articles' sentences; return the model as JSON-ready data."""
    booster = fit_booster(articles, p)
    return export_lightgbm(booster.dump_model(), list(FEATURE_NAMES), p.depth)


def rouge_of(articles: Sequence[Article], model: TreeEnsemble | None, budget: Budget) -> dict[str, float]:
    """Mean ROUGE F1 (x100) and words of the model's budgeted picks, or LEAD-3 without a model."""
    ranker = LearnedRanker(model) if model else None
    pairs, words = [], 0
    for a in articles:
        picked = ranker.pick(a.sentences, budget) if ranker else range(LEAD_SENTENCES)
        text = " ".join(a.sentences[i].text for i in sorted(picked) if i < len(a.sentences))
        pairs.append((a.summary, text))
        words += word_count(text)
    return {**mean_rouge(pairs), "words": words / max(len(articles), 1)}


def cross_validate(articles: list[Article], p: Params, budget: Budget, folds: int, seed: int) -> list[dict[str, Any]]:
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
                "lead3": rouge_of(held, None, budget),
                "default": rouge_of(held, model, budget),
            }
        )
        logger.info("fold %d/%d done", k + 1, folds)
    return results


def _mean(results: list[dict[str, Any]], method: str) -> dict[str, float]:
    total = sum(r["articles"] for r in results)
    keys = (*ROUGE_TYPES, "words")
    return {key: sum(r[method][key] * r["articles"] for r in results) / total for key in keys}


def _row(name: str, scores: dict[str, float], lead: dict[str, float]) -> str:
    cells = " | ".join(f"{scores[k]:.2f} ({scores[k] - lead[k]:+.2f})" for k in ROUGE_TYPES)
    return f"| {name} | {cells} | {scores['words']:.1f} |"


def main(argv: Sequence[str] | None = None) -> int:
    """Cross-validate, fit on all articles, write the model; print the ROUGE figures."""
    parser = argparse.ArgumentParser(prog="python -m summarizer.training.train", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="JSON Lines file")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the model")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (0: none)")
    parser.add_argument("--seed", type=int, default=13, help="seed of the fold shuffle")
    parser.add_argument("--trees", type=int, default=Params.trees)
    parser.add_argument("--words", type=int, default=DEFAULT_WORDS, help="word budget")
    parser.add_argument("-n", type=int, default=DEFAULT_SENTENCES, help="most sentences")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if not args.data.is_file():
        print(f"train: {args.data}: no such file", file=sys.stderr)
        return 2
    params, budget = Params(trees=args.trees), Budget(args.n, args.words)
    articles = load_articles(args.data)
    logger.info("%d articles, %d sentences", len(articles), sum(len(a.sentences) for a in articles))
    print("| model | ROUGE-1 (vs LEAD-3) | ROUGE-2 | ROUGE-L | words |\n|---|---|---|---|---:|")
    info: dict[str, Any] = {
        "data": args.data.name,
        "articles": len(articles),
        "params": asdict(params),
        "budget": {"sentences": budget.sentences, "words": budget.words},
    }
    if args.folds > 1:
        folds = cross_validate(articles, params, budget, args.folds, args.seed)
        lead, default = _mean(folds, "lead3"), _mean(folds, "default")
        for r in folds:
            print(_row(f"fold {r['fold']} ({r['articles']} articles)", r["default"], r["lead3"]))
        print(_row(f"{args.folds}-fold cross-validated", default, lead))
        info["cross_validation"] = {
            "folds": args.folds,
            "seed": args.seed,
            "lead3": lead,
            "default": default,
            "per_fold": [{"fold": r["fold"], **r["default"]} for r in folds],
        }
    model = fit(articles, params)
    lead = rouge_of(articles, None, budget)
    trained = rouge_of(articles, TreeEnsemble.from_dict(model), budget)
    print(_row("shipped model, on its own training data", trained, lead))
    info["in_sample"] = {"lead3": lead, "default": trained}
    model["training"] = {"credit": CREDIT, **info}
    args.out.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    logger.info("wrote %s", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
