"""An experiment the bot does not run: merging two open stories when their members fit each other.

A big happening (a qualifier from previews to the coaches' words, a mining-permit affair) ends
in many stories because a preview, a live score and a transfer aside share names but little
else, and lowering the join threshold merges other matches first. Tried here in the replay
only (``cluster_replay.MergeRule``): after an article is placed, another candidate story it
fits with mean event probability ``floor`` or more is merged into its story when the four latest
members of each fit each other with mean probability ``threshold`` or more. Same 5-fold
cross-validation by thread as ``cluster_eval.py``; the frontier is in ``docs/grouping.md``.

Run: ``.venv/bin/python benchmarks/cluster_merge.py [--cache /tmp/ringkas-eval]``.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cluster_eval import ARTICLES, bcubed_terms, cached_corpus, fold_models, mean_pr
from cluster_replay import MergeRule, replay

from bot.cli.cluster import read_items
from bot.cli.grouping_train import read_labels
from bot.store.cluster import DEFAULT_SETTINGS

# (event threshold, merge rule or None for the shipped rule)
RUNS = [(t, None) for t in (0.55, 0.6)] + [(t, MergeRule(threshold=m)) for t in (0.6, 0.65) for m in (0.6, 0.7, 0.75)]


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, help="as cluster_eval.py's")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    if not ARTICLES.exists():
        print(f"needs {ARTICLES} (the developers' shared data)", file=sys.stderr)
        return 2
    labels = read_labels()
    data, pairs, keep = cached_corpus(read_items(str(ARTICLES)), args.cache)
    events = {i: label.event for i, label in labels.items() if label.event}
    threads = {i: label.thread for i, label in labels.items()}
    results: dict[int, tuple[dict, dict]] = defaultdict(lambda: ({}, {}))
    for test, models in fold_models(data, pairs, labels, args.folds):
        for n, (threshold, rule) in enumerate(RUNS):
            stories, chains = replay(data, replace(DEFAULT_SETTINGS, event_threshold=threshold), models, rule)
            results[n][0].update(bcubed_terms(stories, events, test))
            results[n][1].update(bcubed_terms(chains, threads, test))
    if keep is not None:
        keep.write_bytes(pickle.dumps((data, pairs)))
    print(f"{args.folds}-fold cross-validation by thread, B-cubed pooled over the test folds\n")
    print("| event threshold | merge at | event P | event R | thread P | thread R |\n|---:|---:|---:|---:|---:|---:|")
    for n, (threshold, rule) in enumerate(RUNS):
        (pe, re_), (pt, rt) = mean_pr(results[n][0]), mean_pr(results[n][1])
        merge = "—" if rule is None else f"{rule.threshold:.2f}"
        print(f"| {threshold:.2f} | {merge} | {pe:.3f} | {re_:.3f} | {pt:.3f} | {rt:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
