"""Training the pair models of story grouping: ``python -m bot.cli.grouping_train``.

Reads the multi-outlet articles (``../shared/data/multi-outlet-2025-06-10.jsonl``) and their
event and thread labels (``benchmarks/data/event_labels.jsonl``, guideline in
``benchmarks/data/STORY_LABELS.md``) and the labelled pairs (``story_pairs.jsonl``), draws the pairs grouping would compare (an article and
an earlier one within the window that shares one of its key terms, as the candidate lookup
finds them), and fits two LightGBM models (the ``train`` extra): one happening (event) and one
developing story (thread). A pair is positive when both articles carry the same label,
negative when they carry different ones or only one of them is labelled (labels cover every
article of each happening two outlets reported); when neither is, the labelled pairs decide
where they cover the pair, else it is left out. The
trees are exported to ``bot/store/data`` as plain JSON the bot reads with numpy.
"""

from __future__ import annotations

import argparse
import json
import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np

from bot.cli.cluster import Item, publication_order, read_items
from bot.store.cluster import DEFAULT_SETTINGS, key_terms
from bot.store.pairmodel import EVENT_MODEL, THREAD_MODEL
from bot.store.pairs import FEATURES, Fingerprint, fingerprint, pair_features
from summarizer.ranking.export import export_lightgbm

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = ROOT.parent / "shared" / "data" / "multi-outlet-2025-06-10.jsonl"
LABELS = ROOT / "benchmarks" / "data" / "event_labels.jsonl"
PAIRS = ROOT / "benchmarks" / "data" / "story_pairs.jsonl"
SAME_EVENT = {"same-event", "follow-up"}
MODELS = ROOT / "bot" / "store" / "data"
DEPTH = 4
TREES = 120
LEARNING_RATE = 0.08
PAIR_WINDOW = timedelta(days=4)


@dataclass(frozen=True)
class Label:
    """An article's labels: its happening (None where only its thread is labelled) and thread."""

    event: str | None
    thread: str


@dataclass
class Pairs:
    """Candidate pairs (indices into the ordered items) and their feature rows."""

    left: list[int]
    right: list[int]
    rows: np.ndarray


def read_labels(path: Path = LABELS) -> dict[str, Label]:
    """Event and thread labels by article id."""
    out = {}
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out[row["id"]] = Label(row["event"], row["thread"])
    return out


def ordered(items: Sequence[Item]) -> tuple[list[Item], list[Any], list[Fingerprint]]:
    """Items in publication order, their times and fingerprints."""
    pairs = publication_order(items)
    return [i for i, _ in pairs], [w for _, w in pairs], [fingerprint(i.title, i.text) for i, _ in pairs]


def candidate_pairs(items: Sequence[Item], times: Sequence[Any], prints: Sequence[Fingerprint]) -> Pairs:
    """Each article with the earlier ones within ``PAIR_WINDOW`` that share one of its key terms."""
    settings = DEFAULT_SETTINGS
    index: dict[str, list[int]] = defaultdict(list)
    left: list[int] = []
    right: list[int] = []
    rows: list[list[float]] = []
    for i, print_ in enumerate(prints):
        seen: set[int] = set()
        for term in key_terms(print_.body, settings.key_terms):
            for j in index[term]:
                if j not in seen and times[i] - times[j] <= PAIR_WINDOW:
                    seen.add(j)
        for j in sorted(seen):
            left.append(i)
            right.append(j)
            rows.append(pair_features(print_, times[i], items[i].outlet, prints[j], times[j], items[j].outlet))
        for term in key_terms(print_.body, settings.story_keys):
            index[term].append(i)
    return Pairs(left, right, np.asarray(rows, dtype=float).reshape(-1, len(FEATURES)))


def read_pairs(path: Path = PAIRS) -> dict[frozenset[str], str]:
    """The labelled pairs' kinds by the pair of ids."""
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return {frozenset((row["a"], row["b"])): row["kind"] for row in rows}


def targets(
    items: Sequence[Item], pairs: Pairs, labels: Mapping[str, Label], tier: str, kinds: Mapping[frozenset[str], str]
) -> np.ndarray:
    """1 (same), 0 (different) or -1 (unknown) for each pair at the ``event`` or ``thread`` tier.

    Event and thread labels decide; a pair neither article of which is labelled takes the
    labelled pairs' kind where it is one of them (same-event and follow-up: one happening;
    related: one thread)."""
    out = np.full(len(pairs.left), -1, dtype=int)
    for k, (i, j) in enumerate(zip(pairs.left, pairs.right, strict=True)):
        a, b = labels.get(items[i].id), labels.get(items[j].id)
        if a is None and b is None:
            kind = kinds.get(frozenset((items[i].id, items[j].id)))
            if kind is not None:
                out[k] = int(kind in SAME_EVENT or (tier == "thread" and kind == "related"))
            continue
        if tier == "thread":
            out[k] = int(a is not None and b is not None and a.thread == b.thread)
        elif a is not None and b is not None and a.event is None and b.event is None:
            continue  # two thread-only articles: one single-outlet happening, or two; unknown
        else:
            out[k] = int(a is not None and b is not None and a.event is not None and a.event == b.event)
    return out


def fit(rows: np.ndarray, y: np.ndarray, trees: int = TREES) -> dict[str, Any]:
    """A LightGBM binary model on the known pairs, exported as the runtime JSON."""
    import lightgbm

    known = y >= 0
    booster = lightgbm.train(
        {
            "objective": "binary",
            "max_depth": DEPTH,
            "num_leaves": 2**DEPTH,
            "learning_rate": LEARNING_RATE,
            "min_data_in_leaf": 20,
            "feature_fraction": 1.0,
            "bagging_fraction": 1.0,
            "use_missing": False,
            "verbose": -1,
            "seed": 13,
            "deterministic": True,
            "num_threads": 1,
        },
        lightgbm.Dataset(rows[known], label=y[known], feature_name=list(FEATURES)),
        num_boost_round=trees,
    )
    return export_lightgbm(booster.dump_model(), list(FEATURES), DEPTH)


def main(argv: Sequence[str] | None = None) -> int:
    """Train both pair models on the labelled days and write them beside the bot."""
    parser = argparse.ArgumentParser(prog="python -m bot.cli.grouping_train", description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=ARTICLES)
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    parser.add_argument("--out", type=Path, default=MODELS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    items, times, prints = ordered(read_items(str(args.articles)))
    labels = read_labels(args.labels)
    kinds = read_pairs(args.pairs)
    pairs = candidate_pairs(items, times, prints)
    for tier, name in (("event", EVENT_MODEL), ("thread", THREAD_MODEL)):
        y = targets(items, pairs, labels, tier, kinds)
        model = fit(pairs.rows, y)
        (args.out / name).write_text(json.dumps(model, separators=(",", ":")) + "\n", "utf-8")
        logger.info("%s: %d pairs (%d same), written to %s", tier, int((y >= 0).sum()), int((y == 1).sum()), name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
