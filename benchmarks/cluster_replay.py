"""An in-memory replay of ``bot.store.stories.assign_story`` for fast evaluation and tuning.

Same fingerprints, same candidate lookup (each story's key terms with its latest publication
time, each term's ``per_term`` most recently active stories, the ``candidates`` sharing most
keys first), the same latest ``members`` of each candidate, the same ``bot.store.cluster``
decision and the same centroid, key-term and thread updates; only the database is a few dicts,
and pair features are remembered across replays (they do not depend on the settings).
``benchmarks/cluster_eval.py`` uses it to cross-validate models and thresholds in minutes, then
checks the shipped ones through ``ringkas cluster`` (the database path).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.cli.cluster import Item, publication_order
from bot.store.cluster import ClusterSettings, Member, OpenStory, decide, key_terms, utc
from bot.store.pairmodel import PairModels, packaged, probabilities
from bot.store.pairrows import PackedPrint, pack, pair_rows
from bot.store.pairs import Fingerprint, fingerprint
from bot.store.storyvec import Vector, add


@dataclass
class _Story:
    thread: int
    first: datetime
    last: datetime
    centroid: Vector = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)
    members: list[int] = field(default_factory=list)


@dataclass
class Corpus:
    """Items in publication order with their times and fingerprints, computed once."""

    items: list[Item]
    times: list[datetime]
    prints: list[Fingerprint]
    features: dict[tuple[int, int], list[float]] = field(default_factory=dict)

    packs: list[PackedPrint] = field(default_factory=list)

    def rows(self, i: int, others: Sequence[int]) -> list[list[float]]:
        """The pair features of item i with each of ``others`` (remembered; the new ones computed at once)."""
        missing = [j for j in others if (i, j) not in self.features]
        if missing:
            if not self.packs:
                self.packs = [pack(p) for p in self.prints]
            found = pair_rows(
                self.packs[i],
                self.times[i],
                self.items[i].outlet,
                [(self.packs[j], self.times[j], self.items[j].outlet) for j in missing],
            )
            self.features.update({(i, j): row for j, row in zip(missing, found.tolist(), strict=True)})
        return [self.features[(i, j)] for j in others]


def corpus(items: Sequence[Item]) -> Corpus:
    """The items in the order grouping sees them, fingerprinted."""
    ordered = publication_order(items)
    return Corpus(
        [i for i, _ in ordered], [utc(w) for _, w in ordered], [fingerprint(i.title, i.text) for i, _ in ordered]
    )


@dataclass(frozen=True)
class MergeRule:
    """An experiment the bot does not run (``benchmarks/cluster_merge.py``): after an article is
    placed, another candidate story whose members it fits with mean probability ``floor`` or more
    is merged into its story when the ``cross`` latest members of each fit each other with mean
    probability ``threshold`` or more (and it began within the story window)."""

    floor: float = 0.3
    threshold: float = 0.7
    cross: int = 4


def _merge(data: Corpus, stories: list[_Story], sid: int, near: dict[int, list[float]], rule: MergeRule,
           settings: ClusterSettings, models: PairModels, when: datetime) -> list[int]:  # fmt: skip
    """Merge the near stories ``rule`` accepts into story ``sid`` (an article of time ``when`` just
    placed there); the merged stories' numbers."""
    story, merged = stories[sid], []

    def latest(s: _Story) -> list[int]:
        return sorted(s.members, key=lambda j: (data.times[j], j), reverse=True)[: rule.cross]

    for other_id in sorted(near, key=lambda o: (-sum(near[o]) / len(near[o]), o)):
        other = stories[other_id]
        if other_id == sid or not other.members or sum(near[other_id]) / len(near[other_id]) < rule.floor:
            continue
        if abs(when - other.first) > settings.window:
            continue
        rows = [data.rows(max(a, b), [min(a, b)])[0] for a in latest(story) for b in latest(other)]
        if float(probabilities(models.event, rows).mean()) >= rule.threshold:
            story.members = sorted(story.members + other.members)
            story.first, story.last = min(story.first, other.first), max(story.last, other.last)
            story.centroid = add(story.centroid, other.centroid, settings.centroid_terms)
            other.members, merged = [], [*merged, other_id]
    return merged


def replay(
    data: Corpus, settings: ClusterSettings, models: PairModels | None = None, merge: MergeRule | None = None
) -> tuple[dict[str, int], dict[str, int]]:
    """(story number, thread number) by article id, grouping in publication order as ``assign_story`` does
    (with ``merge``, as the bot does not: an experiment)."""
    stories: list[_Story] = []
    thread_last: list[datetime] = []
    index: dict[str, set[int]] = defaultdict(set)
    story_of: dict[str, int] = {}
    thread_of: dict[str, int] = {}
    for i, (item, when, print_) in enumerate(zip(data.items, data.times, data.prints, strict=True)):
        since = when - settings.thread_idle
        shared: dict[int, int] = defaultdict(int)
        for term in key_terms(print_.body, settings.key_terms):
            open_ = [sid for sid in index[term] if stories[sid].last >= since]
            if len(open_) > settings.per_term:
                open_ = sorted(open_, key=lambda sid: (stories[sid].last, sid), reverse=True)[: settings.per_term]
            for sid in open_:
                shared[sid] += 1
        chosen = sorted(shared, key=lambda sid: (-shared[sid], -sid))[: settings.candidates]
        candidates = [
            OpenStory(sid, stories[sid].thread, stories[sid].first, thread_last[stories[sid].thread]) for sid in chosen
        ]
        members = [
            (sid, j)
            for sid in chosen
            for j in sorted(stories[sid].members, key=lambda j: (data.times[j], j), reverse=True)[: settings.members]
        ]
        as_members = [Member(sid, data.prints[j], data.times[j], data.items[j].outlet) for sid, j in members]
        rows = data.rows(i, [j for _, j in members])
        choice = decide(print_, when, item.outlet, candidates, as_members, rows, settings, models)
        if choice.story_id is None:
            thread = choice.thread_id
            if thread is None:
                thread = len(thread_last)
                thread_last.append(when)
            story = _Story(thread, when, when)
            stories.append(story)
            sid = len(stories) - 1
        else:
            sid = choice.story_id
            story = stories[sid]
            story.last = max(story.last, when)
        thread_last[story.thread] = max(thread_last[story.thread], when)
        story.members.append(i)
        story.centroid = add(story.centroid, print_.body, settings.centroid_terms)
        if merge is not None and rows:
            near: dict[int, list[float]] = defaultdict(list)
            for (other_id, _), p in zip(members, probabilities((models or packaged()).event, rows), strict=True):
                near[other_id].append(float(p))
            for other_id in _merge(data, stories, sid, near, merge, settings, models or packaged(), when):
                for term in stories[other_id].keys:
                    index[term].discard(other_id)
                stories[other_id].keys = []
            for j in story.members:
                story_of[data.items[j].id], thread_of[data.items[j].id] = sid, story.thread
        keys = key_terms(story.centroid, settings.story_keys)
        for term in set(story.keys) - set(keys):
            index[term].discard(sid)
        for term in keys:
            index[term].add(sid)
        story.keys = keys
        story_of[item.id] = sid
        thread_of[item.id] = story.thread
    return story_of, thread_of
