"""How well Ringkas groups articles into stories, on hand-labelled cross-outlet pairs.

Labels: ``benchmarks/data/story_pairs.jsonl`` (guideline in ``STORY_LABELS.md``); articles:
``../shared/data/multi-outlet-2025-06-10.jsonl``. Every article of the file is grouped in
order of publication; a labelled pair counts as "same" when both land in one story. Printed:

1. a 5-fold cross-validation: on each fold, the grid setting with the best F1 on the other four
   folds is chosen and measured on this one (grid search runs on ``cluster_replay``, the
   in-memory replica of ``assign_story``);
2. the shipped default through ``ringkas cluster``'s own code (``bot.cli.cluster``, a real
   database): precision, recall, F1, the largest story;
3. with ``--compare``, other methods on all pairs (MinHash over title and lead, as before).

Run: ``.venv/bin/python benchmarks/cluster_eval.py [--compare] [--skip-db]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from bot.cli.cluster import Item, cluster_items, read_items
from bot.store.cluster import DEFAULT_SETTINGS, ClusterSettings

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cluster_replay import Vectors, replay, vectors

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT.parent / "shared" / "data" / "multi-outlet-2025-06-10.jsonl"
PAIRS = ROOT / "benchmarks" / "data" / "story_pairs.jsonl"
FOLDS = 5
SEED = 13
THRESHOLDS = (0.22, 0.25, 0.28, 0.31, 0.34, 0.37, 0.40)
TITLE_SHARES = (0.0, 0.33)
PENALTIES = (0.0, 0.1, 0.2)
NUMBER_CONFLICTS = (0.0, 0.1)

Pair = dict[str, object]


def load_pairs(path: Path = PAIRS) -> list[Pair]:
    """The labelled pairs."""
    return [json.loads(line) for line in path.read_text("utf-8").split("\n") if line.strip()]


def scores(stories: Mapping[str, int], pairs: Sequence[Pair]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of "same story" against the labels."""
    tp = fp = fn = 0
    for p in pairs:
        grouped = stories[str(p["a"])] == stories[str(p["b"])]
        tp += grouped and bool(p["same"])
        fp += grouped and not p["same"]
        fn += (not grouped) and bool(p["same"])
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def largest(stories: Mapping[str, int]) -> int:
    """Members of the largest story."""
    return Counter(stories.values()).most_common(1)[0][1]


def folds(pairs: Sequence[Pair], k: int = FOLDS, seed: int = SEED) -> list[list[Pair]]:
    """``k`` folds, each with its share of same and different pairs."""
    rng = random.Random(seed)
    out: list[list[Pair]] = [[] for _ in range(k)]
    for label in (True, False):
        group = [p for p in pairs if bool(p["same"]) is label]
        rng.shuffle(group)
        for n, p in enumerate(group):
            out[n % k].append(p)
    return out


def grid() -> list[ClusterSettings]:
    """The settings tried by cross-validation."""
    return [
        replace(DEFAULT_SETTINGS, threshold=t, title_share=s, penalty_per_day=d, number_conflict=n)
        for t in THRESHOLDS for s in TITLE_SHARES for d in PENALTIES for n in NUMBER_CONFLICTS
    ]


def describe(s: ClusterSettings) -> str:
    """A setting in a few characters."""
    return (
        f"th {s.threshold:.2f} title {s.title_share:.2f} day {s.penalty_per_day:.2f}"
        f" num {s.number_conflict:.2f}"
    )


def cross_validate(items: Sequence[Item], vecs: Vectors, pairs: Sequence[Pair]) -> None:
    """Print the per-fold table: setting chosen on four folds, measured on the fifth."""
    runs = [(s, replay(items, vecs, s)) for s in grid()]
    parts = folds(pairs)
    print("| fold | chosen on the other four folds | precision | recall | F1 |\n|---|---|---:|---:|---:|")
    pooled: list[Pair] = []
    chosen_runs: dict[str, int] = {}
    for n, test in enumerate(parts, start=1):
        train = [p for m, part in enumerate(parts, start=1) if m != n for p in part]
        setting, stories = max(runs, key=lambda r: (scores(r[1], train)[2], scores(r[1], train)[0]))
        p, r, f = scores(stories, test)
        print(f"| {n} | {describe(setting)} | {p:.3f} | {r:.3f} | {f:.3f} |")
        for q in test:  # keep each test pair's prediction under the setting its fold chose
            chosen_runs[f"{q['a']}|{q['b']}"] = int(stories[str(q["a"])] == stories[str(q["b"])])
        pooled += test
    tp = sum(chosen_runs[f"{q['a']}|{q['b']}"] and bool(q["same"]) for q in pooled)
    fp = sum(chosen_runs[f"{q['a']}|{q['b']}"] and not q["same"] for q in pooled)
    fn = sum((not chosen_runs[f"{q['a']}|{q['b']}"]) and bool(q["same"]) for q in pooled)
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    print(f"| all | (pooled test folds) | {p:.3f} | {r:.3f} | {2 * p * r / max(1e-9, p + r):.3f} |\n")


def compare(items: Sequence[Item], vecs: Vectors, pairs: Sequence[Pair]) -> None:
    """Print other methods on all pairs, each at its best threshold (so optimistic)."""
    from minhash_baseline import Candidate, pick_story, signature

    from bot.cli.cluster import publication_order
    from summarizer.sentences import split_sentences

    print("| method | best threshold | precision | recall | F1 | largest story |\n|---|---|---:|---:|---:|---:|")
    for t in (0.2, 0.25, 0.3, 0.35):
        stories: dict[str, int] = {}
        candidates: list[Candidate] = []
        for item, when in publication_order(items):
            sig = signature(item.title, " ".join(split_sentences(item.text[:3000])[:2]))
            sid = pick_story(sig, when, item.outlet, candidates, threshold=t)
            sid = len(candidates) + 1_000_000 if sid is None else sid
            candidates.append(Candidate(sid, sig, when, item.outlet))
            stories[item.id] = sid
        p, r, f = scores(stories, pairs)
        print(f"| MinHash title+lead (before) | {t:.2f} | {p:.3f} | {r:.3f} | {f:.3f} | {largest(stories)} |")
    variants = {
        "centroid, body": {"penalty_per_day": 0.0, "number_conflict": 0.0},
        "centroid, body + headline": {"title_share": 0.33, "penalty_per_day": 0.0, "number_conflict": 0.0},
        "centroid, body + time penalty": {"number_conflict": 0.0},
        "centroid, body + time + number clash (shipped)": {},
    }
    for name, change in variants.items():
        best = max(
            ((t, replay(items, vecs, replace(DEFAULT_SETTINGS, threshold=t, **change))) for t in THRESHOLDS),
            key=lambda r: scores(r[1], pairs)[2],
        )
        p, r, f = scores(best[1], pairs)
        print(f"| {name} | {best[0]:.2f} | {p:.3f} | {r:.3f} | {f:.3f} | {largest(best[1])} |")
    print()


def main(argv: Sequence[str] | None = None) -> int:
    """Print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--compare", action="store_true", help="also compare other methods")
    parser.add_argument("--skip-db", action="store_true", help="skip the run through the database")
    parser.add_argument("--database", help="run the default through this database URL")
    args = parser.parse_args(argv)
    if not ARTICLES.exists():
        print(f"needs {ARTICLES} (the developers' shared data)", file=sys.stderr)
        return 2
    items = read_items(str(ARTICLES))
    pairs = load_pairs()
    vecs = vectors(items)
    cross_validate(items, vecs, pairs)
    if args.compare:
        compare(items, vecs, pairs)
    if not args.skip_db:
        stories = asyncio.run(cluster_items(items, database_url=args.database))
        p, r, f = scores(stories, pairs)
        print("| shipped default via `ringkas cluster` | precision | recall | F1 | largest story |")
        print("|---|---:|---:|---:|---:|")
        print(f"| {describe(DEFAULT_SETTINGS)} | {p:.3f} | {r:.3f} | {f:.3f} | {largest(stories)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
