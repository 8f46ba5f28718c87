"""Which story and thread a new article belongs to: the grouping rule, as pure logic.

Two tiers. A **story** is one happening; a **thread** the developing story its happenings
belong to (an affair's steps on different days, a tournament's matches, reactions). A learned
pair model (``bot.store.pairmodel``) scores the new article against a bounded number of the
latest members of each open candidate story; the article joins the story with the highest
**mean** probability over the members compared, if that mean clears ``event_threshold``. An
article that starts a story joins, the same way, the open thread whose members it fits best
by the thread model (``thread_threshold``), or starts one. A mean over members rather than a
centroid keeps a story anchored: an article has to fit the story's reports, not an average
that drifts with each preview of a match. A story takes no article ``window`` after its first
member; a thread closes after ``thread_idle`` without news. Thresholds were chosen by
cross-validation on labelled days (``benchmarks/cluster_eval.py``, ``docs/grouping.md``).
No database, no network: ``bot.store.stories`` feeds it candidates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.store.pairmodel import PairModels, packaged, probabilities
from bot.store.pairrows import PackedPrint, pack, pair_rows
from bot.store.pairs import Fingerprint, is_copy
from bot.store.storyvec import Vector

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class ClusterSettings:
    """The tuning of story grouping; the defaults are the cross-validated choice."""

    event_threshold: float = 0.6  # mean probability over a story's members compared (CV: P 0.95)
    thread_threshold: float = 0.6  # the same for a thread, by the thread model (CV: P 0.90)
    window: timedelta = timedelta(hours=36)  # a story takes articles this long after its first member
    thread_idle: timedelta = timedelta(days=4)  # a thread without news this long takes no new story
    members: int = 8  # a candidate story's latest members compared with the article
    event_best_of: int = 0  # a story's mean is over this many best-fitting members compared (0: all)
    thread_best_of: int = 3  # a thread's over its three best: a storyline's steps differ more
    centroid_terms: int = 120  # terms kept in a story's centroid (its key terms come from it)
    key_terms: int = 10  # an article's strongest terms, used to look up candidate stories
    story_keys: int = 16  # a story's strongest terms, indexed for that lookup
    candidates: int = 12  # open stories compared per article at most
    per_term: int = 50  # open stories looked at per key term, the most recently active first


DEFAULT_SETTINGS = ClusterSettings()


@dataclass(frozen=True)
class OpenStory:
    """A recent story an article may join (or whose thread it may join)."""

    story_id: int
    thread_id: int | None
    first_published_at: datetime
    thread_last_published_at: datetime | None


@dataclass(frozen=True)
class Member:
    """One of a candidate story's latest members, as the pair models compare it."""

    story_id: int
    fingerprint: Fingerprint
    published_at: datetime
    outlet: str
    packed: PackedPrint | None = None  # the fingerprint packed for comparing, if already done


@dataclass(frozen=True)
class Choice:
    """Where an article goes: a story to join (None: start one), the thread for a story it
    starts (None: start one), and whether it copies the text of another outlet's member."""

    story_id: int | None
    thread_id: int | None
    syndicated: bool


def utc(moment: datetime) -> datetime:
    """Make a datetime comparable: naive ones (as SQLite may return them) are taken as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _best(means: dict[int, list[float]], threshold: float, best_of: int = 0) -> int | None:
    """The key with the highest mean that clears the threshold (ties: the lowest key)."""
    scored = []
    for key, p in means.items():
        if p:
            top = sorted(p, reverse=True)[:best_of] if best_of else p
            scored.append((sum(top) / len(top), -key))
    best = max(scored, default=None)
    return None if best is None or best[0] < threshold else -best[1]


def choose(
    article: Fingerprint,
    published_at: datetime,
    outlet: str,
    stories: Sequence[OpenStory],
    members: Sequence[Member],
    settings: ClusterSettings = DEFAULT_SETTINGS,
    models: PairModels | None = None,
) -> Choice:
    """The story and thread the article belongs to, among the open candidates (scored by the
    packaged pair models unless ``models`` are given, as cross-validation does)."""
    when = utc(published_at)
    open_ids = {s.story_id for s in stories}
    members = [m for m in members if m.story_id in open_ids]
    others = [(m.packed or pack(m.fingerprint), utc(m.published_at), m.outlet) for m in members]
    rows = pair_rows(pack(article), when, outlet, others)
    return decide(article, when, outlet, stories, members, rows, settings, models)


def decide(
    article: Fingerprint,
    when: datetime,
    outlet: str,
    stories: Sequence[OpenStory],
    members: Sequence[Member],
    rows: Sequence[Sequence[float]] | np.ndarray,
    settings: ClusterSettings = DEFAULT_SETTINGS,
    models: PairModels | None = None,
) -> Choice:
    """``choose`` once the pair features of the article with each member are computed."""
    if not members:
        return Choice(None, None, False)
    models = models or packaged()
    by_id = {s.story_id: s for s in stories}
    same_event = probabilities(models.event, rows)
    events: dict[int, list[float]] = defaultdict(list)
    for member, p in zip(members, same_event, strict=True):
        if abs(when - utc(by_id[member.story_id].first_published_at)) <= settings.window:
            events[member.story_id].append(float(p))
    story_id = _best(events, settings.event_threshold, settings.event_best_of)
    if story_id is not None:
        copies = any(m.story_id == story_id and m.outlet != outlet and is_copy(article, m.fingerprint) for m in members)
        return Choice(story_id, by_id[story_id].thread_id, copies)
    same_thread = probabilities(models.thread, rows)
    threads: dict[int, list[float]] = defaultdict(list)
    for member, p in zip(members, same_thread, strict=True):
        story = by_id[member.story_id]
        last = story.thread_last_published_at
        if story.thread_id is not None and last is not None and utc(last) >= when - settings.thread_idle:
            threads[story.thread_id].append(float(p))
    return Choice(None, _best(threads, settings.thread_threshold, settings.thread_best_of), False)


def key_terms(vector: Vector, count: int) -> list[str]:
    """The ``count`` strongest terms of a vector, the keys its candidates are found by."""
    return [t for t, _ in sorted(vector.items(), key=lambda kv: (-kv[1], kv[0]))[:count]]
