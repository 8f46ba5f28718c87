"""The digest's ranking (bot.store.newsrank), on cases shaped like the ones readers met.

Each case is a story's coverage as the labelled days of June 2025 had it (outlets, outlets
with their own text, reports, marked reports, hours since the latest report); the digest is
made at 07:00 WIB.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.store.newsrank import Coverage, is_release, news_score

DIGEST = datetime(2025, 6, 11, 0, 0, tzinfo=UTC)  # 07:00 WIB


def story(outlets: int, independent: int, articles: int, promo: int = 0, hours: float = 0.0) -> Coverage:
    """A story's coverage, its latest report ``hours`` before the digest."""
    return Coverage(outlets, independent, articles, promo, DIGEST - timedelta(hours=hours))


def score(case: Coverage) -> float:
    return news_score(case, DIGEST)


def test_a_fresh_single_outlet_piece_does_not_outrank_a_several_outlet_story_of_the_day() -> None:
    filler = story(1, 1, 1, hours=0.1)  # stamped 06:54, one outlet
    yesterday_news = story(3, 3, 3, hours=13)  # three outlets' own reports, last one at 18:00
    assert score(yesterday_news) > score(filler)
    assert score(story(2, 2, 2, hours=22)) > score(filler)


def test_a_release_printed_by_several_outlets_counts_once_and_ranks_lower() -> None:
    airline_profit = story(4, 1, 4, hours=10)  # one release, four outlets, the same text
    moscow_talks = story(3, 3, 5, hours=12)  # the President's talks, each outlet its own report
    assert is_release(airline_profit) and not is_release(moscow_talks)
    assert score(moscow_talks) > score(airline_profit)
    assert score(airline_profit) < score(story(1, 1, 1, hours=10))  # below one outlet's own story


@pytest.mark.parametrize(
    ("case", "release"),
    [
        (story(2, 2, 2, promo=1), True),  # half the reports say "siaran pers" / "advertorial"
        (story(3, 3, 6, promo=1), False),  # one quoted release among six reports
        (story(2, 1, 2), True),  # two outlets, one text
        (story(1, 1, 3), False),  # one outlet's own series
    ],
)
def test_what_reads_as_a_release(case: Coverage, release: bool) -> None:
    assert is_release(case) is release


def test_more_reports_and_recency_raise_the_score() -> None:
    assert score(story(2, 2, 6)) > score(story(2, 2, 2))
    assert score(story(2, 2, 2, hours=1)) > score(story(2, 2, 2, hours=8))


def test_a_latest_report_in_the_future_counts_as_now_and_naive_times_as_utc() -> None:
    assert score(story(1, 1, 1, hours=-5)) == pytest.approx(1.0)
    naive = Coverage(1, 1, 1, 0, (DIGEST - timedelta(hours=20)).replace(tzinfo=None))
    assert score(naive) == pytest.approx(0.5)
