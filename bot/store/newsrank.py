"""How newsworthy a story is for a digest: independent coverage, recency, press releases lower.

    score = coverage × freshness × release
    coverage  = outlets that wrote their own text + 0.5 × log2(articles)
    freshness = 0.5 ^ (hours since the story's latest report / 20)
    release   = 0.35 for a story that reads as a press release or paid content, else 1

Outlets that printed one text (a syndicated release, a wire story copied whole) count once
(``Article.syndicated``, found by ``bot.store.pairs.is_copy``). A story reads as a release when
half or more of its reports carry a marker ("advertorial", "konten kerja sama", "siaran pers",
"dalam rilisnya" …) or when several outlets carried it and none wrote its own text. With a
20-hour half-life a fresh single-outlet piece (1.0) stays below a story two outlets wrote
themselves until that story is a day old (2.5 × 0.44 = 1.09 at 24 hours), and below a
three-outlet story updated 13 hours earlier (3.8 × 0.64 = 2.4). Pure logic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

HALF_LIFE_HOURS = 20.0
ARTICLE_WEIGHT = 0.5
RELEASE_FACTOR = 0.35


@dataclass(frozen=True)
class Coverage:
    """What the ranking weighs of one story."""

    outlets: int
    independent: int
    articles: int
    promo: int
    latest: datetime


def is_release(story: Coverage) -> bool:
    """Whether the story reads as a press release or paid content."""
    marked = story.promo * 2 >= max(story.articles, 1) and story.promo > 0
    copied = story.outlets > 1 and story.independent <= 1
    return marked or copied


def news_score(story: Coverage, now: datetime) -> float:
    """The story's place in a digest: higher first."""
    latest = story.latest if story.latest.tzinfo else story.latest.replace(tzinfo=UTC)
    hours = max((now - latest).total_seconds() / 3600, 0.0)
    coverage = max(story.independent, 1) + ARTICLE_WEIGHT * math.log2(max(story.articles, 1))
    freshness = 0.5 ** (hours / HALF_LIFE_HOURS)
    return coverage * freshness * (RELEASE_FACTOR if is_release(story) else 1.0)
