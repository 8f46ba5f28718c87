"""Story grouping on real articles: the labelled cross-outlet pairs (benchmarks/data).

Every article of ``../shared/data/multi-outlet-2025-06-10.jsonl`` is grouped in publication
order, and the 400 hand-labelled pairs are scored (skipped where the file is absent). The
issue's floors, precision 0.95 and recall 0.85, are not reached by this method: that test is
an expected failure, kept so the gap stays visible; the regression test holds the measured
precision-first level and the size of the largest story (docs/grouping.md).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

from bot.cli.cluster import cluster_items, read_items
from bot.store.cluster import DEFAULT_SETTINGS
from tests.shared_data import MULTI_OUTLET

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
from cluster_eval import largest, load_pairs, scores, strict
from cluster_replay import replay, vectors

pytestmark = pytest.mark.skipif(not MULTI_OUTLET.exists(), reason=f"needs the developers' shared data: {MULTI_OUTLET}")


@pytest.fixture(scope="module")
def grouped() -> tuple[dict[str, int], list[dict[str, object]]]:
    """Story by article id with the shipped settings, and the labelled pairs."""
    items = read_items(str(MULTI_OUTLET))
    return replay(items, vectors(items), DEFAULT_SETTINGS), load_pairs()


def test_precision_floor_holds(grouped: tuple[dict[str, int], list[dict[str, object]]]) -> None:
    stories, pairs = grouped
    assert scores(stories, pairs)[0] >= 0.95
    assert scores(stories, strict(pairs))[0] >= 0.95


@pytest.mark.xfail(
    strict=True,
    reason="measured (shipped) R 0.17 on all pairs, 0.32 on strict same-event pairs: lexical similarity"
    " at precision >= 0.95 cannot reach 0.85 (pooled CV P 0.97 / R 0.17; strict P 0.96 / R 0.32)",
)
def test_issue_recall_floor(grouped: tuple[dict[str, int], list[dict[str, object]]]) -> None:
    stories, pairs = grouped
    assert scores(stories, strict(pairs))[1] >= 0.85


def test_measured_level_holds(grouped: tuple[dict[str, int], list[dict[str, object]]]) -> None:
    stories, pairs = grouped
    assert scores(stories, pairs)[1] >= 0.15
    assert scores(stories, strict(pairs))[1] >= 0.30
    assert largest(stories) <= 40  # chaining shows here: 4,149 articles, no runaway story (was 202)


def test_the_database_path_groups_like_the_replica() -> None:
    items = read_items(str(MULTI_OUTLET))
    items = sorted(items, key=lambda i: i.published.isoformat() if i.published else "~")[:400]
    fast = replay(items, vectors(items), DEFAULT_SETTINGS)
    real = asyncio.run(cluster_items(items))
    pairs = [(a.id, b.id) for a in items for b in items if a.id < b.id]
    agree = sum((fast[a] == fast[b]) == (real[a] == real[b]) for a, b in pairs)
    assert agree / len(pairs) > 0.999
