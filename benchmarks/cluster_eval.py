"""How well Ringkas groups articles into stories (happenings) and threads, on labelled days.

Labels: ``benchmarks/data/event_labels.jsonl`` (every article of each happening two or more
outlets reported, with its thread; guideline in ``STORY_LABELS.md``) and the 400 pairs of
``story_pairs.jsonl``; articles: ``../shared/data/multi-outlet-2025-06-10.jsonl``. Every
article of the file is grouped in order of publication. Printed:

1. 5-fold cross-validation by thread (no thread in both a training and a test fold): on each
   fold both pair models are trained on the other folds' labels and the whole file is grouped
   with them; B-cubed precision and recall over the test fold's labelled articles (event level:
   articles with an event label; thread level: all labelled articles), pooled over the folds,
   for a range of thresholds: the table the shipped thresholds are chosen from;
2. the shipped models (trained on all labels, so in-sample) through ``ringkas cluster``'s own
   code (``bot.cli.cluster``, a real database): B-cubed at both levels, the largest story, and
   the labelled pairs' precision and recall ("same" = same-event or follow-up).

Run: ``.venv/bin/python benchmarks/cluster_eval.py [--skip-db] [--folds 5] [--cache /tmp/ringkas-eval]``
(about half an hour on two idle cores; with ``--cache`` the fingerprints and candidate pairs of a
previous run of the same code are reused).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import pickle
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from bot.cli.cluster import cluster_items, read_items
from bot.cli.grouping_train import Label, Pairs, candidate_pairs, fit, read_labels, read_pairs, targets
from bot.store.cluster import DEFAULT_SETTINGS
from bot.store.pairmodel import PairModels
from summarizer.ranking.ranker import TreeEnsemble

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cluster_replay import Corpus, corpus, replay

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT.parent / "shared" / "data" / "multi-outlet-2025-06-10.jsonl"
PAIRS = ROOT / "benchmarks" / "data" / "story_pairs.jsonl"
SEED = 13
EVENT_THRESHOLDS = (0.5, 0.55, 0.6, 0.65, 0.7)
THREAD_THRESHOLDS = (0.5, 0.6, 0.65, 0.7)

Pair = dict[str, object]


def load_pairs(path: Path = PAIRS) -> list[Pair]:
    """The labelled pairs."""
    return [json.loads(line) for line in path.read_text("utf-8").split("\n") if line.strip()]


def bcubed_terms(
    predicted: Mapping[str, int], gold: Mapping[str, str], scope: set[str]
) -> dict[str, tuple[float, float]]:
    """Each scoped article's B-cubed (precision, recall): its cluster restricted to labelled articles."""
    ids = [i for i in gold if i in predicted]
    by_cluster: dict[int, set[str]] = defaultdict(set)
    by_label: dict[str, set[str]] = defaultdict(set)
    for i in ids:
        by_cluster[predicted[i]].add(i)
        by_label[gold[i]].add(i)
    out = {}
    for i in ids:
        if i in scope:
            both = len(by_cluster[predicted[i]] & by_label[gold[i]])
            out[i] = (both / len(by_cluster[predicted[i]]), both / len(by_label[gold[i]]))
    return out


def mean_pr(terms: Mapping[str, tuple[float, float]]) -> tuple[float, float]:
    """Mean precision and recall of B-cubed terms."""
    if not terms:
        return 1.0, 1.0
    return sum(p for p, _ in terms.values()) / len(terms), sum(r for _, r in terms.values()) / len(terms)


def pair_scores(stories: Mapping[str, int], pairs: Sequence[Pair]) -> tuple[float, float]:
    """Pairwise precision and recall of "same story" against the labelled pairs."""
    tp = fp = fn = 0
    for p in pairs:
        grouped = stories[str(p["a"])] == stories[str(p["b"])]
        tp += grouped and bool(p["same"])
        fp += grouped and not p["same"]
        fn += (not grouped) and bool(p["same"])
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def largest(stories: Mapping[str, int]) -> int:
    """Members of the largest story."""
    return Counter(stories.values()).most_common(1)[0][1]


def thread_folds(labels: Mapping[str, Label], k: int) -> dict[str, int]:
    """Fold number by thread label (threads shuffled, dealt round-robin)."""
    threads = sorted({label.thread for label in labels.values()})
    random.Random(SEED).shuffle(threads)
    return {t: n % k for n, t in enumerate(threads)}


def _key(*paths: Path) -> str:
    """A digest of the files a cached result depends on."""
    return hashlib.sha256(b"".join(p.read_bytes() for p in paths)).hexdigest()[:16]


def cached_corpus(items: Sequence, cache: Path | None) -> tuple[Corpus, Pairs, Path | None]:
    """The corpus and its candidate pairs, read from ``cache`` when the grouping code and the
    articles are those they were computed from (a minute or more of fingerprints and features),
    and the file to keep them in (with the pair features the replays add) after a run."""
    if cache is None:
        data = corpus(items)
        return data, candidate_pairs(data.items, data.times, data.prints), None
    sources = [ROOT / "bot" / "store" / name for name in ("pairs.py", "storyvec.py", "pairrows.py", "cluster.py")]
    path = cache / f"corpus-{_key(ARTICLES, *sources, ROOT / 'bot' / 'cli' / 'grouping_train.py')}.pickle"
    if path.exists():
        data, pairs = pickle.loads(path.read_bytes())  # our own file, written below
        return data, pairs, path
    data = corpus(items)
    cache.mkdir(parents=True, exist_ok=True)
    return data, candidate_pairs(data.items, data.times, data.prints), path


def fold_models(
    data: Corpus, pairs: Pairs, labels: Mapping[str, Label], k: int
) -> Iterator[tuple[set[str], PairModels]]:
    """For each of k folds by thread: its test articles and both models trained on the other folds' labels."""
    fold_of = thread_folds(labels, k)
    article_fold = {i: fold_of[label.thread] for i, label in labels.items()}
    kinds = read_pairs()
    y_event = targets(data.items, pairs, labels, "event", kinds)
    y_thread = targets(data.items, pairs, labels, "thread", kinds)
    for fold in range(k):
        test = {i for i, f in article_fold.items() if f == fold}
        held = np.array(
            [data.items[a].id in test or data.items[b].id in test for a, b in zip(pairs.left, pairs.right, strict=True)]
        )
        yield (
            test,
            PairModels(
                TreeEnsemble.from_dict(fit(pairs.rows, np.where(held, -1, y_event))),
                TreeEnsemble.from_dict(fit(pairs.rows, np.where(held, -1, y_thread))),
            ),
        )
        print(f"fold {fold + 1}/{k} trained", file=sys.stderr)


def cross_validate(data: Corpus, pairs: Pairs, labels: Mapping[str, Label], k: int) -> None:
    """Print pooled B-cubed of k folds by thread for each threshold."""
    events = {i: label.event for i, label in labels.items() if label.event}
    threads = {i: label.thread for i, label in labels.items()}
    results: dict[tuple[str, float], dict[str, tuple[float, float]]] = defaultdict(dict)
    for test, models in fold_models(data, pairs, labels, k):
        for t in EVENT_THRESHOLDS:
            stories, _ = replay(data, replace(DEFAULT_SETTINGS, event_threshold=t), models)
            results[("event", t)] |= bcubed_terms(stories, events, test)
        for t in THREAD_THRESHOLDS:
            _, chains = replay(data, replace(DEFAULT_SETTINGS, thread_threshold=t), models)
            results[("thread", t)] |= bcubed_terms(chains, threads, test)
    print(f"{k}-fold cross-validation by thread, B-cubed pooled over the test folds\n")
    print("| level | threshold | precision | recall |\n|---|---:|---:|---:|")
    for (level, t), terms in sorted(results.items()):
        p, r = mean_pr(terms)
        print(f"| {level} | {t:.2f} | {p:.3f} | {r:.3f} |")
    print()


def shipped(items: Sequence, labels: Mapping[str, Label], database: str | None) -> None:
    """Print the shipped models' figures through the database path (in-sample)."""
    stories, chains = asyncio.run(cluster_items(items, database_url=database))
    events = {i: label.event for i, label in labels.items() if label.event}
    threads = {i: label.thread for i, label in labels.items()}
    pe, re_ = mean_pr(bcubed_terms(stories, events, set(events)))
    pt, rt = mean_pr(bcubed_terms(chains, threads, set(threads)))
    pp, rp = pair_scores(stories, load_pairs())
    print("Shipped models through `ringkas cluster` (trained on all labels: in-sample)\n")
    print(
        "| event P | event R | thread P | thread R | pairs P | pairs R | largest story |\n|---:|---:|---:|---:|---:|---:|---:|"
    )
    print(f"| {pe:.3f} | {re_:.3f} | {pt:.3f} | {rt:.3f} | {pp:.3f} | {rp:.3f} | {largest(stories)} |\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-db", action="store_true", help="skip the run through the database")
    parser.add_argument("--skip-cv", action="store_true", help="skip the cross-validation")
    parser.add_argument("--database", help="run the shipped models through this database URL")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--cache", type=Path, help="keep fingerprints and candidate pairs in this folder (e.g. /tmp)")
    args = parser.parse_args(argv)
    if not ARTICLES.exists():
        print(f"needs {ARTICLES} (the developers' shared data)", file=sys.stderr)
        return 2
    items = read_items(str(ARTICLES))
    labels = read_labels()
    if not args.skip_cv:
        data, pairs, keep = cached_corpus(items, args.cache)
        cross_validate(data, pairs, labels, args.folds)
        if keep is not None:
            keep.write_bytes(pickle.dumps((data, pairs)))
    if not args.skip_db:
        shipped(items, labels, args.database)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
