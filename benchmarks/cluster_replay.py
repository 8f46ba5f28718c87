"""An in-memory replay of ``bot.store.stories.assign_story`` for fast parameter search.

Same vectors, same seed (first member), same candidate lookup (a story's key terms with its latest publication time, each term's
``per_term`` most recently active stories,
the stories sharing most keys with the article first), same ``choose_story``, same centroid
and key-term updates; only the database is a few dicts. ``benchmarks/cluster_eval.py`` uses it
to try many settings in seconds, then checks the chosen one through ``ringkas cluster`` (the
database path) and reports that.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.cli.cluster import Item, publication_order
from bot.store.cluster import ClusterSettings, StoryCandidate, choose_story, key_terms, utc
from bot.store.storyvec import TITLE_TERMS, Vector, add, article_vector, title_vector


@dataclass
class _Story:
    last: datetime
    seed: Vector
    first: datetime
    centroid: Vector = field(default_factory=dict)
    title_centroid: Vector = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)


@dataclass
class Vectors:
    """Article vectors computed once and reused across settings."""

    body: dict[str, Vector]
    title: dict[str, Vector]


def vectors(items: Sequence[Item]) -> Vectors:
    """The body and headline vectors of every item."""
    return Vectors(
        {i.id: article_vector(i.title, i.text) for i in items},
        {i.id: title_vector(i.title) for i in items},
    )


def replay(items: Sequence[Item], vecs: Vectors, settings: ClusterSettings) -> dict[str, int]:
    """Story number by article id, grouping in publication order as ``assign_story`` does."""
    stories: list[_Story] = []
    index: dict[str, set[int]] = defaultdict(set)
    out: dict[str, int] = {}
    for item, when in publication_order(items):
        vector, title = vecs.body[item.id], vecs.title[item.id]
        shared: dict[int, int] = defaultdict(int)
        for term in key_terms(vector, settings.key_terms):
            open_ = [sid for sid in index[term] if utc(stories[sid].last) >= utc(when) - settings.window]
            if len(open_) > settings.per_term:  # each term's most recently active stories only
                open_ = sorted(open_, key=lambda sid: utc(stories[sid].last), reverse=True)[: settings.per_term]
            for sid in open_:
                shared[sid] += 1
        best = sorted(shared.items(), key=lambda kv: (-kv[1], -kv[0]))[: settings.candidates]
        candidates = [
            StoryCandidate(
                sid,
                stories[sid].centroid,
                stories[sid].title_centroid,
                stories[sid].last,
                stories[sid].seed,
                stories[sid].first,
            )
            for sid, _ in best
        ]
        chosen = choose_story(vector, title, when, candidates, settings)
        if chosen is None:
            chosen = len(stories)
            stories.append(_Story(last=when, seed=vector, first=when))
        story = stories[chosen]
        story.centroid = add(story.centroid, vector, settings.centroid_terms)
        story.title_centroid = add(story.title_centroid, title, TITLE_TERMS * 3)
        if utc(when) > utc(story.last):
            story.last = when
        for term in story.keys:
            index[term].discard(chosen)
        story.keys = key_terms(story.centroid, settings.story_keys)
        for term in story.keys:
            index[term].add(chosen)
        out[item.id] = chosen
    return out
