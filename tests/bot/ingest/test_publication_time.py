"""The feed's date against the page's: which one an article is stored with."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.ingest.extract import Extracted, publication_time
from bot.ingest.feedparse import FeedItem

WIB = timezone(timedelta(hours=7))
PAGE = datetime(2015, 6, 16, 14, 5, tzinfo=WIB)


def _item(published: datetime, *, missing: bool = False) -> FeedItem:
    return FeedItem(None, "https://example.com/a", "Judul", "", "", "", None, published,
                    date_missing=missing)  # fmt: skip


def _page(published: datetime | None, has_time: bool = True) -> Extracted:
    return Extracted("teks", "page", None, published, has_time)


def test_the_feed_date_wins() -> None:
    feed = datetime(2015, 6, 16, 14, 6, tzinfo=WIB)
    assert publication_time(_item(feed), _page(PAGE)) == feed
    assert publication_time(_item(feed), Extracted("teks", "feed")) == feed


def test_a_missing_feed_date_gives_way_to_the_page() -> None:
    fetched = datetime(2015, 6, 20, 8, 0, tzinfo=WIB)
    assert publication_time(_item(fetched, missing=True), _page(PAGE)) == PAGE


def test_a_page_day_without_time_does_not_replace_a_fetch_time_that_day() -> None:
    fetched = datetime(2015, 6, 16, 18, 0, tzinfo=WIB)
    day = datetime(2015, 6, 16, tzinfo=WIB)
    assert publication_time(_item(fetched, missing=True), _page(day, False)) == fetched


def test_a_bare_feed_day_gives_way_to_the_printed_time_that_day() -> None:
    midnight = datetime(2015, 6, 16, tzinfo=WIB)
    assert publication_time(_item(midnight), _page(PAGE)) == PAGE


def test_an_implausible_feed_date_gives_way_to_the_page() -> None:
    typo = datetime(2016, 6, 16, 14, 5, tzinfo=WIB)
    assert publication_time(_item(typo), _page(PAGE)) == PAGE
