"""Cross-validated choice of the summary length policy: word budget and most sentences.

Trains one model per fold (``summarizer.training.train``'s settings, the other four fifths of the
IndoSum dev set) and scores the held-out fifth under every budget of the grid, so the
budget is chosen on held-out articles only. Prints a Markdown table with ROUGE-1/2/L F1
(x100), mean words and per-fold ROUGE-1. Needs the ``train`` extra (LightGBM). Run from the
project root: ``.venv/bin/python benchmarks/length_policy.py [--words 50 55 60 65]
[--sentences 4 5 6]``.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summarizer.ranking.budget import Budget  # noqa: E402
from summarizer.ranking.ranker import TreeEnsemble  # noqa: E402
from summarizer.training.train import DEFAULT_DATA, Params, fit, rouge_of  # noqa: E402
from summarizer.training.trainset import load_articles  # noqa: E402

FOLDS = 5
SEED = 13


def main() -> int:
    """Run the grid and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--words", type=int, nargs="+", default=[50, 55, 60, 65])
    parser.add_argument("--sentences", type=int, nargs="+", default=[4, 5, 6])
    parser.add_argument("--redundancy", type=float, nargs="+", default=[0.2])
    args = parser.parse_args()
    if not args.data.is_file():
        print(f"no data at {args.data} (it lives in ../shared beside the project)", file=sys.stderr)
        return 2
    articles = load_articles(args.data)
    order = list(range(len(articles)))
    random.Random(SEED).shuffle(order)
    held_out = [[articles[i] for i in order[k::FOLDS]] for k in range(FOLDS)]
    models = []
    for k in range(FOLDS):
        rest = [a for j in range(FOLDS) if j != k for a in held_out[j]]
        models.append(TreeEnsemble.from_dict(fit(rest, Params())))
    print(f"## Length policy, {FOLDS}-fold cross-validated on {args.data.name}\n")
    print("| words | most sentences | redundancy | ROUGE-1 | ROUGE-2 | ROUGE-L | mean words | ROUGE-1 per fold |")
    print("|---:|---:|---:|---:|---:|---:|---:|---|")
    for words in args.words:
        for sentences in args.sentences:
            for weight in args.redundancy:
                budget = Budget(sentences, words, redundancy_weight=weight)
                folds = [rouge_of(h, m, budget) for h, m in zip(held_out, models, strict=True)]
                sizes = [len(h) for h in held_out]
                mean = {
                    key: sum(f[key] * n for f, n in zip(folds, sizes, strict=True)) / sum(sizes)
                    for key in ("rouge1", "rouge2", "rougeL", "words")
                }
                per_fold = ", ".join(f"{f['rouge1']:.2f}" for f in folds)
                print(
                    f"| {words} | {sentences} | {weight} | {mean['rouge1']:.2f} "
                    f"| {mean['rouge2']:.2f} | {mean['rougeL']:.2f} | {mean['words']:.1f} "
                    f"| {per_fold} |",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
