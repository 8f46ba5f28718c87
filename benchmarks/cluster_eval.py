"""How well ``bot.store.cluster`` tells "same event" from "not" on hand-labelled pairs of real articles.

The pairs (``benchmarks/data/cluster_pairs.jsonl``, described in the README beside it) name
IndoSum articles by id; the articles are read from ``../shared/data/indosum-dev.jsonl``.
IndoSum has no headlines, so an article's title is its first sentence (dateline removed) and
its lead its first two sentences, as ``bot/stories.py`` takes them from a page; ``--title
slug`` uses the headline words kept in the id instead (lower-cased, cut at 50 characters).
An article's publication time is the Unix timestamp that starts its id.

Tables: precision/recall of ``similarity >= threshold`` over all pairs; of the whole
``pick_story`` rule (48-hour window, same outlet only when near-identical); a replay of all
1,465 articles in time order through ``pick_story``, counting the merges it makes by their
label; with ``--variants``, the exact Jaccard of other word sets at their best threshold.
Run: ``.venv/bin/python benchmarks/cluster_eval.py [--title slug] [--variants]``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.store.cluster import (
    KEY_PREFIX,
    SAME_STORY_THRESHOLD,
    STORY_WINDOW,
    Candidate,
    pick_story,
    shingles,
    signature,
    similarity,
    stemmed_words,
    strip_dateline,
)
from summarizer.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / ".." / "shared" / "data" / "indosum-dev.jsonl"
PAIRS = ROOT / "benchmarks" / "data" / "cluster_pairs.jsonl"
LEAD_SENTENCES = 2
TEXT_HEAD = 3000  # sentences are only needed from the top of the article
SLUG_START = 11  # an id is "<10-digit Unix time>-<headline slug>"
THRESHOLDS = (0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.50)
REPLAY_THRESHOLDS = (0.25, 0.30, 0.35)


@dataclass(frozen=True)
class Article:
    """One IndoSum article as the clusterer sees it."""

    id: str
    source: str
    title: str
    lead: str
    published_at: datetime


@dataclass(frozen=True)
class LabelledPair:
    """Two articles and the human judgement whether they report the same event."""

    a: Article
    b: Article
    same: bool
    kind: str
    note: str


@dataclass(frozen=True)
class Scores:
    """Precision, recall, F1 and F0.5 of a yes/no rule against the labels."""

    precision: float
    recall: float
    f1: float
    f05: float
    true_pos: int
    false_pos: int
    false_neg: int


def _title_and_lead(record: dict[str, str], title_from: str) -> tuple[str, str]:
    sentences = split_sentences(record["text"][:TEXT_HEAD])
    lead = " ".join(sentences[:LEAD_SENTENCES])
    if title_from == "slug":
        return record["id"][SLUG_START:].replace("-", " "), lead
    return (strip_dateline(sentences[0]) if sentences else ""), lead


def load_articles(path: Path = ARTICLES, title_from: str = "sentence") -> dict[str, Article]:
    """Every IndoSum article keyed by id, with title, lead and publication time."""
    articles = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            title, lead = _title_and_lead(record, title_from)
            stamp = datetime.fromtimestamp(int(record["id"].split("-", 1)[0]), tz=UTC)
            articles[record["id"]] = Article(record["id"], record["source"], title, lead, stamp)
    return articles


def load_pairs(articles: dict[str, Article], path: Path = PAIRS) -> list[LabelledPair]:
    """The labelled pairs, resolved against the articles (an unknown id is an error)."""
    pairs = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            row = json.loads(line)
            try:
                a, b = articles[row["a"]], articles[row["b"]]
            except KeyError as exc:
                raise ValueError(f"{path.name}:{number}: unknown article id {exc}") from None
            pairs.append(LabelledPair(a, b, bool(row["same"]), row["kind"], row["note"]))
    return pairs


def _f(precision: float, recall: float, beta: float) -> float:
    """F-beta; beta < 1 weighs precision more (F0.5: a wrong merge hides a story)."""
    weighted = beta * beta * precision + recall
    return (1 + beta * beta) * precision * recall / weighted if weighted else 0.0


def score(decisions: Iterable[tuple[bool, bool]]) -> Scores:
    """Score (predicted, labelled) pairs; precision is 1.0 when nothing was predicted."""
    tp = fp = fn = 0
    for predicted, same in decisions:
        tp += predicted and same
        fp += predicted and not same
        fn += same and not predicted
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return Scores(
        precision, recall, _f(precision, recall, 1), _f(precision, recall, 0.5), tp, fp, fn
    )


def signatures(articles: Iterable[Article]) -> dict[str, str]:
    """``signature`` of every article, keyed by id."""
    return {a.id: signature(a.title, a.lead) for a in articles}


def picked(pair: LabelledPair, sigs: dict[str, str], threshold: float) -> bool:
    """Whether ``pick_story`` puts b into a's story, with a as the only candidate."""
    a, b = pair.a, pair.b
    candidate = Candidate(1, sigs[a.id], a.published_at, a.source)
    return pick_story(sigs[b.id], b.published_at, b.source, [candidate], threshold=threshold) == 1


def rule_scores(
    pairs: list[LabelledPair], sigs: dict[str, str], threshold: float
) -> tuple[Scores, Scores]:
    """Scores of the ``pick_story`` rule over all pairs and over different-outlet pairs."""
    decided = [(picked(p, sigs, threshold), p) for p in pairs]
    return (
        score((d, p.same) for d, p in decided),
        score((d, p.same) for d, p in decided if p.a.source != p.b.source),
    )


def replay(
    articles: dict[str, Article], sigs: dict[str, str], threshold: float
) -> list[tuple[str, str]]:
    """Feed every article in time order through ``pick_story``; return (story opener, joiner) ids."""
    ordered = sorted(articles.values(), key=lambda a: a.published_at)
    story_of: dict[str, int] = {}
    first_of: dict[int, str] = {}
    merges = []
    start = 0
    for index, article in enumerate(ordered):
        while article.published_at - ordered[start].published_at > STORY_WINDOW:
            start += 1
        window = ordered[start:index]
        candidates = [
            Candidate(story_of[c.id], sigs[c.id], c.published_at, c.source) for c in window
        ]
        story = pick_story(
            sigs[article.id], article.published_at, article.source, candidates, threshold=threshold
        )
        if story is None:
            story = len(first_of)
            first_of[story] = article.id
        else:
            merges.append((first_of[story], article.id))
        story_of[article.id] = story
    return merges


def _table(title: str, rows: Iterable[tuple[str, Scores]]) -> None:
    print(f"\n{title}")
    print(
        f"{'rule':<28} {'precision':>9} {'recall':>7} {'F1':>6} {'F0.5':>6} {'TP':>4} {'FP':>4} {'FN':>4}"
    )
    for name, s in rows:
        print(
            f"{name:<28} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f} {s.f05:>6.3f}"
            f" {s.true_pos:>4} {s.false_pos:>4} {s.false_neg:>4}"
        )


def _name(threshold: float) -> str:
    return f"{threshold:.2f}" + ("*" if threshold == SAME_STORY_THRESHOLD else "")


def _unigrams(title: str, lead: str) -> frozenset[str]:
    return frozenset(w for w, _ in stemmed_words(title) + stemmed_words(strip_dateline(lead)))


def _bigrams(title: str, lead: str) -> frozenset[str]:
    out = set()
    for text in (title, strip_dateline(lead)):
        words = [w for w, _ in stemmed_words(text)]
        out |= {f"{x} {y}" for x, y in itertools.pairwise(words)}
    return frozenset(out)


VARIANTS: dict[str, Callable[[str, str], frozenset[str]]] = {
    "unigrams": _unigrams,
    "bigrams": _bigrams,
    "unigrams+bigrams": lambda t, lead: _unigrams(t, lead) | _bigrams(t, lead),
    "unigrams+title words": lambda t, lead: (
        _unigrams(t, lead) | frozenset(KEY_PREFIX + w for w, _ in stemmed_words(t))
    ),
    "unigrams+names (shipped)": shingles,
}


def _best_threshold(values: list[float], labels: list[bool]) -> tuple[float, Scores]:
    """The observed value that, as a threshold, gives the highest F1."""
    best = (1.0, score((False, y) for y in labels))
    for t in sorted(set(values)):
        s = score((v >= t, y) for v, y in zip(values, labels, strict=True))
        if s.f1 > best[1].f1:
            best = (t, s)
    return best


def _variants_table(pairs: list[LabelledPair]) -> None:
    labels = [p.same for p in pairs]
    rows = []
    for name, build in VARIANTS.items():
        sets = [(build(p.a.title, p.a.lead), build(p.b.title, p.b.lead)) for p in pairs]
        values = [len(x & y) / len(x | y) if x | y else 0.0 for x, y in sets]
        t, s = _best_threshold(values, labels)
        rows.append((f"{name} @{t:.2f}", s))
    _table("exact Jaccard of word-set variants, each at its best-F1 threshold", rows)


def _replay_table(
    articles: dict[str, Article], pairs: list[LabelledPair], sigs: dict[str, str]
) -> None:
    label = {frozenset((p.a.id, p.b.id)): p for p in pairs}
    print(f"\nreplay of all {len(articles)} articles in time order: merges by their label")
    for t in REPLAY_THRESHOLDS:
        merges = replay(articles, sigs, t)
        kinds = Counter(
            (label[frozenset(m)].kind if frozenset(m) in label else "unlabelled") for m in merges
        )
        print(f"  {_name(t)}: {len(merges)} merges {dict(sorted(kinds.items()))}")


def main(argv: list[str] | None = None) -> int:
    """Print the evaluation tables (or a note that ../shared is absent)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--title", choices=("sentence", "slug"), default="sentence")
    parser.add_argument("--variants", action="store_true", help="compare word-set variants")
    args = parser.parse_args(argv)
    if not ARTICLES.is_file():
        print(f"skipped: {ARTICLES} is absent (it comes with ../shared beside the project)")
        return 0
    articles = load_articles(title_from=args.title)
    pairs = load_pairs(articles)
    start = time.perf_counter()
    sigs = signatures(articles.values())
    rate = len(sigs) / (time.perf_counter() - start)
    labels = [p.same for p in pairs]
    print(f"{len(pairs)} labelled pairs, {sum(labels)} same-event; titles from {args.title}s")

    thresholds = sorted({*THRESHOLDS, SAME_STORY_THRESHOLD})
    sims = [similarity(sigs[p.a.id], sigs[p.b.id]) for p in pairs]
    _table(
        "similarity >= threshold, all pairs",
        (
            (_name(t), score((v >= t, y) for v, y in zip(sims, labels, strict=True)))
            for t in thresholds
        ),
    )
    rows = []
    for t in thresholds:
        every, other_outlet = rule_scores(pairs, sigs, t)
        rows += [(f"{_name(t)} all pairs", every), (f"{_name(t)} other outlet", other_outlet)]
    _table("pick_story rule: 48 h window, same outlet only if near-identical", rows)
    print(f"\nmistakes of the shipped rule ({SAME_STORY_THRESHOLD}): similarity, label, kind, note")
    for value, pair in zip(sims, pairs, strict=True):
        if picked(pair, sigs, SAME_STORY_THRESHOLD) != pair.same:
            print(f"  {value:.2f} {'same' if pair.same else 'diff'} {pair.kind:<10} {pair.note}")
    _replay_table(articles, pairs, sigs)
    if args.variants:
        _variants_table(pairs)
    print(f"\nsignature(): {rate:,.0f} signatures/second over {len(sigs)} articles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
