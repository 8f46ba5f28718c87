"""Story grouping on real articles: the labelled days of ``../shared`` (benchmarks/data).

Every article of ``../shared/data/multi-outlet-2025-06-10.jsonl`` is grouped in publication
order with the shipped models, and measured against the event and thread labels
(``event_labels.jsonl``) and the 400 labelled pairs; then the digest's ranking and fold are
applied to the grouped days. The shipped models were trained on these labels, so these are
in-sample floors that hold the level (regressions show here); the cross-validated figures are
in docs/grouping.md (``benchmarks/cluster_eval.py``). Skipped where the file is absent.
"""

from __future__ import annotations

import asyncio
import sys
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.cli.cluster import Item, cluster_items, read_items
from bot.cli.grouping_train import Label, read_labels
from bot.store.cluster import DEFAULT_SETTINGS
from bot.store.newsrank import Coverage, news_score
from bot.store.pairs import is_copy
from bot.store.threads import fold
from tests.shared_data import MULTI_OUTLET

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
from cluster_eval import bcubed_terms, largest, load_pairs, mean_pr, pair_scores
from cluster_replay import Corpus, corpus, replay
from digest_eval import repeats, story_events

pytestmark = pytest.mark.skipif(not MULTI_OUTLET.exists(), reason=f"needs the developers' shared data: {MULTI_OUTLET}")
WIB = timezone(timedelta(hours=7))

Grouped = tuple[Corpus, dict[str, int], dict[str, int], dict[str, Label]]


@pytest.fixture(scope="module")
def grouped() -> Grouped:
    """The corpus, story and thread by article id with the shipped settings, and the labels."""
    data = corpus(read_items(str(MULTI_OUTLET)))
    stories, threads = replay(data, DEFAULT_SETTINGS)
    return data, stories, threads, read_labels()


def test_events_hold_their_level(grouped: Grouped) -> None:
    _, stories, _, labels = grouped
    events = {i: label.event for i, label in labels.items() if label.event}
    precision, recall = mean_pr(bcubed_terms(stories, events, set(events)))
    assert precision >= 0.94 and recall >= 0.50
    assert largest(stories) <= 120  # the 177-article match is the largest labelled happening


def test_threads_hold_their_level(grouped: Grouped) -> None:
    _, _, threads, labels = grouped
    gold = {i: label.thread for i, label in labels.items()}
    precision, recall = mean_pr(bcubed_terms(threads, gold, set(gold)))
    assert precision >= 0.88 and recall >= 0.78


def test_labelled_pairs(grouped: Grouped) -> None:
    _, stories, threads, _ = grouped
    pairs = load_pairs()
    precision, recall = pair_scores(stories, pairs)
    # The pairs' readers drew "one happening" a little tighter than the event labels' (a preview
    # and a post-match reaction are one match there, two pieces here): in-sample P 0.80, R 0.30.
    assert precision >= 0.78 and recall >= 0.28
    related = [p for p in pairs if p["kind"] == "related"]
    beat = [p for p in pairs if p["kind"] == "same-beat"]
    together = sum(threads[str(p["a"])] == threads[str(p["b"])] for p in related) / len(related)
    apart = sum(threads[str(p["a"])] != threads[str(p["b"])] for p in beat) / len(beat)
    # Threads keep related steps together (0.84) but join same-beat pairs too often (0.37 apart):
    # two days' horoscopes, two earthquakes. Held here so it gets no worse; docs/grouping.md.
    assert together >= 0.8 and apart >= 0.35


def _digest(data: Corpus, stories: dict[str, int], threads: dict[str, int], now: datetime) -> list[int]:
    """The story ids of a 20-entry digest at ``now`` for a reader whose last digest was a day earlier,
    ranked and folded as ``bot.telegram.digest.digest_entries`` does."""
    members: dict[int, list[int]] = defaultdict(list)
    for n, item in enumerate(data.items):
        members[stories[item.id]].append(n)
    scores: dict[int, float] = {}
    for sid, ns in members.items():
        first = min(data.times[n] for n in ns)
        if not now - timedelta(days=1) < first <= now:
            continue
        seen: list[int] = []
        independent: set[str] = set()
        for n in sorted(ns, key=lambda n: data.times[n]):
            item: Item = data.items[n]
            if not any(data.items[m].outlet != item.outlet and is_copy(data.prints[n], data.prints[m]) for m in seen):
                independent.add(item.outlet)
            seen.append(n)
        outlets = {data.items[n].outlet for n in ns}
        promo = sum(data.prints[n].promo for n in ns)
        latest = max(data.times[n] for n in ns)
        scores[sid] = news_score(Coverage(len(outlets), len(independent), len(ns), promo, latest), now)
    ranked = sorted(scores, key=lambda sid: (-scores[sid], -sid))
    thread_of = {sid: threads[data.items[ns[0]].id] for sid, ns in members.items()}
    return [e.story_id for e in fold(ranked, thread_of, 20)]


def test_digests_tell_each_happening_once(grouped: Grouped) -> None:
    data, stories, threads, labels = grouped
    by_story: dict[int, list[str]] = defaultdict(list)
    for item_id, sid in stories.items():
        by_story[sid].append(item_id)
    event_of = story_events(by_story, {i: label.event for i, label in labels.items()})
    digests = [_digest(data, stories, threads, datetime(2025, 6, day, 7, tzinfo=WIB)) for day in (9, 10, 11)]
    assert [len(d) for d in digests] == [20, 20, 20]
    assert sum(repeats(d, event_of) for d in digests) <= 1
    top = Counter(event_of.get(sid) for d in digests for sid in d[:3])
    assert top["2025-06-10-raja-ampat-four-permits-revoked"] >= 1 and top["2025-06-10-japan-vs-indonesia-wcq"] >= 1


def test_the_database_path_groups_like_the_replica() -> None:
    items = read_items(str(MULTI_OUTLET))
    items = sorted(items, key=lambda i: i.published.isoformat() if i.published else "~")[:400]
    fast, fast_threads = replay(corpus(items), DEFAULT_SETTINGS)
    real, real_threads = asyncio.run(cluster_items(items))
    pairs = [(a.id, b.id) for a in items for b in items if a.id < b.id]
    assert all((fast[a] == fast[b]) == (real[a] == real[b]) for a, b in pairs)
    assert all((fast_threads[a] == fast_threads[b]) == (real_threads[a] == real_threads[b]) for a, b in pairs)
