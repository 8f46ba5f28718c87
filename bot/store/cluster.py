"""Which stored story a new article belongs to, if any: the grouping rule, as pure logic.

An article joins the story whose **centroid** it resembles most, if the resemblance clears a
threshold **and** the article also resembles the story's first member (its seed) enough.
A story's centroid is the running sum of its members' TF-IDF vectors
(``bot.store.storyvec``), and its headline centroid the sum of their headline vectors. The
score mixes the two cosines (body and headline) and subtracts a penalty for every day between
the article and the story's latest member; ``window`` after its first member a story is
closed. The centroid alone let a story drift: each preview of a football match moved the
centroid a little towards "Jepang, Indonesia, Timnas" until 202 articles of a week's coverage
(previews, streaming links, tables, reactions) were one story. The seed gate and a window
counted from the first member, not the latest, anchor a story to the happening it began with. Thresholds and weights were chosen by
cross-validation on hand-labelled pairs (``benchmarks/cluster_eval.py``, docs/grouping.md "Story
grouping"). No database, no network: ``bot.store.stories`` feeds it candidates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.store.storyvec import Vector, cosine


@dataclass(frozen=True)
class ClusterSettings:
    """The tuning of story grouping; the defaults are the cross-validated choice."""

    threshold: float = 0.60  # precision first: best CV recall at precision >= 0.95
    title_share: float = 0.0  # weight of the headline cosine in the score (0.33 measured worse)
    penalty_per_day: float = 0.10  # subtracted per day between article and story
    number_conflict: float = 0.10  # subtracted when headlines carry numbers and share none
    window: timedelta = timedelta(hours=36)  # counted from the story's first member
    centroid_terms: int = 120  # terms kept in a story's centroid
    key_terms: int = 10  # an article's strongest terms, used to look up candidate stories
    story_keys: int = 16  # a story's strongest terms, indexed for that lookup
    candidates: int = 10  # stories scored per article at most (40 measured the same P/R, 4x the work)
    per_term: int = 50  # open stories looked at per key term, the most recently active first (200: same P/R, more work)
    seed_threshold: float = 0.55  # least cosine with the story's first member (anti-drift gate)


DEFAULT_SETTINGS = ClusterSettings()


@dataclass(frozen=True)
class StoryCandidate:
    """A recent story a new article may join: its centroids, its latest member's time and,
    where known, its first member's vector and time (the anchor against drift)."""

    story_id: int
    centroid: Vector
    title_centroid: Vector
    last_published_at: datetime
    seed: Vector | None = None
    first_published_at: datetime | None = None


def utc(moment: datetime) -> datetime:
    """Make a datetime comparable: naive ones (as SQLite may return them) are taken as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def score(
    vector: Vector,
    title: Vector,
    published_at: datetime,
    story: StoryCandidate,
    settings: ClusterSettings = DEFAULT_SETTINGS,
) -> float:
    """How well an article fits a story (higher is better; compare with the threshold)."""
    body = cosine(vector, story.centroid)
    headline = cosine(title, story.title_centroid)
    days = abs(utc(published_at) - utc(story.last_published_at)).total_seconds() / 86400
    mixed = (1 - settings.title_share) * body + settings.title_share * headline
    conflict = settings.number_conflict if _numbers_clash(title, story.title_centroid) else 0.0
    return mixed - settings.penalty_per_day * days - conflict


def _numbers_clash(title: Vector, story_titles: Vector) -> bool:
    """Whether the headline has numbers and the story's headlines have others, none in common
    ("Gempa M 6,1" against "Gempa M 5,2"; "Zodiak 11 Juni" against "Zodiak 10 Juni")."""
    mine = {t for t in title if any(c.isdigit() for c in t)}
    theirs = {t for t in story_titles if any(c.isdigit() for c in t)}
    return bool(mine) and bool(theirs) and not mine & theirs


def choose_story(
    vector: Vector,
    title: Vector,
    published_at: datetime,
    candidates: Iterable[StoryCandidate],
    settings: ClusterSettings = DEFAULT_SETTINGS,
) -> int | None:
    """The id of the best-fitting open story that clears the threshold, or None for a new one."""
    best: tuple[float, int] | None = None
    when = utc(published_at)
    for story in candidates:
        if abs(when - utc(story.first_published_at or story.last_published_at)) > settings.window:
            continue
        if story.seed is not None and cosine(vector, story.seed) < settings.seed_threshold:
            continue
        fit = score(vector, title, when, story, settings)
        if fit >= settings.threshold and (best is None or fit > best[0]):
            best = (fit, story.story_id)
    return None if best is None else best[1]


def key_terms(vector: Vector, count: int) -> list[str]:
    """The ``count`` strongest terms of a vector, the keys its candidates are found by."""
    return [t for t, _ in sorted(vector.items(), key=lambda kv: (-kv[1], kv[0]))[:count]]
