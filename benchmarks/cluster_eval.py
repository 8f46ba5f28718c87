"""How well Ringkas groups articles into stories, on hand-labelled cross-outlet pairs.

Labels: ``benchmarks/data/story_pairs.jsonl`` (guideline in ``STORY_LABELS.md``); articles:
``../shared/data/multi-outlet-2025-06-10.jsonl``. Every article of the file is grouped in
order of publication; a labelled pair counts as "same" when both land in one story. Printed:

1. a 5-fold cross-validation, precision first: on each fold, the grid setting with the best
   recall among those with precision >= 0.95 on the other four folds (else >= 0.90, else the
   most precise) is chosen and measured on this one, on all labelled pairs (follow-ups count as
   same) and on the strict pairs (same-event against every different pair) (grid search runs on ``cluster_replay``, the
   in-memory replica of ``assign_story``);
2. the shipped default through ``ringkas cluster``'s own code (``bot.cli.cluster``, a real
   database): precision, recall, F1, the largest story;
3. with ``--compare``, other methods on all pairs (MinHash over title and lead, as before), and
   the ceiling of pairwise similarity: the best recall any threshold on one pair's cosine reaches
   at precision >= 0.95, chosen on the labels themselves (so optimistic), which bounds what a
   grouping built on that similarity can reach.

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
from datetime import timedelta
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
THRESHOLDS = (0.31, 0.4, 0.5, 0.6, 0.7)
SEED_THRESHOLDS = (0.0, 0.35, 0.45, 0.55)
PRECISION_FLOORS = (0.95, 0.90)

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
    return [replace(DEFAULT_SETTINGS, threshold=t, seed_threshold=s) for t in THRESHOLDS for s in SEED_THRESHOLDS]


def strict(pairs: Sequence[Pair]) -> list[Pair]:
    """The pairs of one concrete happening (kind same-event) and every different pair."""
    return [p for p in pairs if p.get("kind") == "same-event" or not p["same"]]


def precision_first(
    runs: Sequence[tuple[ClusterSettings, dict[str, int]]], train: Sequence[Pair]
) -> tuple[ClusterSettings, dict[str, int]]:
    """The run with the best recall at precision >= 0.95 (else >= 0.90), else the most precise."""
    measured = [(scores(stories, train), setting, stories) for setting, stories in runs]
    for floor in PRECISION_FLOORS:
        fit = [m for m in measured if m[0][0] >= floor]
        if fit:
            best = max(fit, key=lambda m: (m[0][1], m[0][0]))
            return best[1], best[2]
    best = max(measured, key=lambda m: (m[0][0], m[0][1]))
    return best[1], best[2]


def describe(s: ClusterSettings) -> str:
    """A setting in a few characters."""
    return f"th {s.threshold:.2f} seed {s.seed_threshold:.2f} window {s.window.total_seconds() / 3600:.0f} h"


def _pooled(predicted: Mapping[str, bool], pairs: Sequence[Pair]) -> tuple[float, float, float]:
    """Precision, recall and F1 of pooled test-fold predictions (pair key to grouped)."""
    stories = {}
    for n, q in enumerate(pairs):  # fake story numbers that reproduce each prediction
        stories[f"{n}a"], stories[f"{n}b"] = 0, 0 if predicted[f"{q['a']}|{q['b']}"] else 1
    renamed = [{**q, "a": f"{n}a", "b": f"{n}b"} for n, q in enumerate(pairs)]
    return scores(stories, renamed)


def cross_validate(items: Sequence[Item], vecs: Vectors, pairs: Sequence[Pair]) -> None:
    """Print the per-fold table: setting chosen on four folds, measured on the fifth."""
    runs = [(s, replay(items, vecs, s)) for s in grid()]
    parts = folds(pairs)
    print("| fold | chosen on the other four folds | P | R | P strict | R strict | largest story |")
    print("|---|---|---:|---:|---:|---:|---:|")
    pooled: list[Pair] = []
    predicted: dict[str, bool] = {}
    for n, test in enumerate(parts, start=1):
        train = [p for m, part in enumerate(parts, start=1) if m != n for p in part]
        setting, stories = precision_first(runs, train)
        p, r, _ = scores(stories, test)
        ps, rs, _ = scores(stories, strict(test))
        print(f"| {n} | {describe(setting)} | {p:.3f} | {r:.3f} | {ps:.3f} | {rs:.3f} | {largest(stories)} |")
        for q in test:  # keep each test pair's prediction under the setting its fold chose
            predicted[f"{q['a']}|{q['b']}"] = stories[str(q["a"])] == stories[str(q["b"])]
        pooled += test
    p, r, _ = _pooled(predicted, pooled)
    ps, rs, _ = _pooled(predicted, strict(pooled))
    print(f"| all | (pooled test folds) | {p:.3f} | {r:.3f} | {ps:.3f} | {rs:.3f} | |\n")


def compare(items: Sequence[Item], vecs: Vectors, pairs: Sequence[Pair]) -> None:
    """Print other methods on all pairs, each at its best threshold (so optimistic)."""
    from minhash_baseline import Candidate, pick_story, signature

    from bot.cli.cluster import publication_order
    from summarizer.lang.sentences import split_sentences

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
    print("| centroid variant (all pairs) | P | R | F1 | P strict | R strict | largest story |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    variants: list[tuple[float, float, int]] = [
        (0.31, 0.0, 48),
        (0.31, 0.0, 36),
        (0.31, 0.35, 36),
        (0.31, 0.55, 36),
        (0.5, 0.45, 36),
        (0.6, 0.55, 36),
        (0.7, 0.0, 36),
        (0.7, 0.35, 36),
    ]
    for threshold, seed, hours in variants:
        setting = replace(DEFAULT_SETTINGS, threshold=threshold, seed_threshold=seed, window=timedelta(hours=hours))
        stories = replay(items, vecs, setting)
        p, r, f = scores(stories, pairs)
        ps, rs, _ = scores(stories, strict(pairs))
        print(f"| {describe(setting)} | {p:.3f} | {r:.3f} | {f:.3f} | {ps:.3f} | {rs:.3f} | {largest(stories)} |")
    print()


def best_recall(similarity: Sequence[float], pairs: Sequence[Pair], floor: float = 0.95) -> tuple[float, float, float]:
    """(threshold, precision, recall) of the threshold with the best recall at precision >= floor."""
    best = (1.0, 1.0, 0.0)
    positives = sum(bool(p["same"]) for p in pairs) or 1
    for cut in sorted(set(similarity)):
        taken = [p for p, s in zip(pairs, similarity, strict=True) if s >= cut]
        hits = sum(bool(p["same"]) for p in taken)
        if taken and hits / len(taken) >= floor and hits / positives > best[2]:
            best = (cut, hits / len(taken), hits / positives)
    return best


def ceiling(vecs: Vectors, pairs: Sequence[Pair]) -> None:
    """Print how far a threshold on one pair's similarity can go at precision >= 0.95."""
    from bot.store.storyvec import cosine

    print("| pairwise similarity (threshold chosen on the labels) | pairs | threshold | P | R |")
    print("|---|---:|---:|---:|---:|")
    for name, chosen in (("all pairs", list(pairs)), ("strict pairs", strict(pairs))):
        for kind, table in (("body+headline vector", vecs.body), ("headline vector", vecs.title)):
            similarity = [cosine(table[str(p["a"])], table[str(p["b"])]) for p in chosen]
            cut, p, r = best_recall(similarity, chosen)
            print(f"| {kind}, {name} | {len(chosen)} | {cut:.2f} | {p:.3f} | {r:.3f} |")
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
        ceiling(vecs, pairs)
    if not args.skip_db:
        stories = asyncio.run(cluster_items(items, database_url=args.database))
        p, r, f = scores(stories, pairs)
        ps, rs, _ = scores(stories, strict(pairs))
        print("| shipped default via `ringkas cluster` | P | R | F1 | P strict | R strict | largest story |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        print(
            f"| {describe(DEFAULT_SETTINGS)} | {p:.3f} | {r:.3f} | {f:.3f} | {ps:.3f} | {rs:.3f} | {largest(stories)} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
