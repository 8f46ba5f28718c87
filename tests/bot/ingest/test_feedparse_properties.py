"""Property tests for the feed parser: any bytes give a ParsedFeed or a FeedParseError (nothing
else), every item kept is usable, and hostile documents (unclosed ``<item `` in CDATA, deep
nesting, entity storms, huge attributes, unclosed markup) parse within a time bound per input
that a quadratic scan over a few hundred kilobytes would blow."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.ingest.feedparse import FeedParseError, ParsedFeed, parse_feed
from bot.ingest.urls import is_http_url
from tests.bot.ingest.hostile import FEEDS

DEADLINE_MS = 5000  # generous, so a loaded CI machine does not flake
BOUNDED = settings(
    deadline=DEADLINE_MS,
    max_examples=15,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FETCHED_AT = datetime(2026, 11, 30, tzinfo=UTC)
UNEXPANDED = re.compile(r"&[A-Za-z_][\w.-]*;")


def parse(data: bytes) -> ParsedFeed | None:
    """The parsed feed, or None for a FeedParseError; any other exception fails the test."""
    try:
        return parse_feed(data, url="https://kabar.example/rss", fetched_at=FETCHED_AT)
    except FeedParseError:
        return None


def assert_usable(parsed: ParsedFeed | None) -> None:
    """Every item kept has an http(s) URL, a one-line title and an aware date."""
    if parsed is None:
        return
    for item in parsed.items:
        assert is_http_url(item.url)
        assert item.title and "\n" not in item.title and not UNEXPANDED.search(item.title)
        assert item.published.tzinfo is not None


FRAGMENTS = st.sampled_from(
    [
        "<item>",
        "</item>",
        "<item ",
        "<title>",
        "</title>",
        "<link>https://kabar.example/x</link>",
        "<![CDATA[",
        "]]>",
        "<!--",
        "-->",
        "&amp;",
        "&lol;",
        "<image>",
        "</image>",
        "<pubDate>-1</pubDate>",
        "<guid>",
        "</guid>",
        "<",
        ">",
        "\x00",
        "\ufeff",
    ]
)
ANY_TEXT = st.lists(st.one_of(FRAGMENTS, st.text(max_size=30)), max_size=150).map("".join)


@BOUNDED
@given(data=st.one_of(st.binary(max_size=4000), ANY_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_any_bytes_are_a_feed_or_a_feed_parse_error(data: bytes) -> None:
    assert_usable(parse(data))


ITEM_TEXT = st.one_of(st.text(max_size=60), ANY_TEXT)


@BOUNDED
@given(items=st.lists(st.tuples(ITEM_TEXT, ITEM_TEXT, ITEM_TEXT, ITEM_TEXT), min_size=1, max_size=20))
def test_generated_feeds_keep_only_usable_items(items: list[tuple[str, str, str, str]]) -> None:
    body = "".join(
        f"<item><title>{escape(title)}</title><link>{escape(link)}</link>"
        f"<pubDate>{escape(date)}</pubDate><description>{escape(text)}</description></item>"
        for title, link, date, text in items
    )
    data = f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{body}</channel></rss>'
    parsed = parse(data.encode("utf-8", "surrogatepass"))
    assert_usable(parsed)
    assert parsed is None or len(parsed.items) <= len(items)


@pytest.mark.parametrize("kind", sorted(FEEDS))
@settings(BOUNDED, max_examples=5)
@given(size=st.integers(min_value=20_000, max_value=400_000))
def test_hostile_feeds_parse_within_the_bound(kind: str, size: int) -> None:
    assert_usable(parse(FEEDS[kind](size)))
