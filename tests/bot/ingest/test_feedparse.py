"""Feed parsing: every synthetic fixture against its own expectation, plus the real feeds.

Each file in ``fixtures/feeds`` starts (after any XML declaration) with a comment saying what it exercises and holding
``expect: {json}``. Keys: ``error`` (a part of the FeedParseError message), or ``title``,
``link``, ``items`` (one dict per parsed item, in order; only the keys given are compared,
``published`` as an ISO string) and ``warnings`` (one part-of-message per warning, in
order; their number must match). Optional inputs: ``url``, ``fetched_at``, ``charset``
(the charset an HTTP header would have named).
"""

from __future__ import annotations

import json
import re
from codecs import BOM_UTF16_BE, BOM_UTF16_LE
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from bot.ingest.feedparse import FeedParseError, ParsedFeed, html_to_text, parse_feed

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"
SHARED_FEEDS = Path(__file__).resolve().parents[3] / ".." / "shared" / "fixtures" / "feeds"
DEFAULT_URL = "https://berita.example/feed/rss"
DEFAULT_FETCHED_AT = "2018-04-21T00:00:00+00:00"
_EXPECT = re.compile(r"expect:\s*(\{.*?\})\s*-->", re.DOTALL)


def _fixture_files() -> list[Path]:
    return sorted(p for p in FIXTURES.iterdir() if p.is_file())


def _header_text(path: Path) -> str:
    """The file as text, enough to read its comment: UTF-16 by its mark, else byte for byte."""
    data = path.read_bytes()
    return data.decode("utf-16") if data.startswith((BOM_UTF16_LE, BOM_UTF16_BE)) else data.decode("latin-1")


def _expectation(path: Path) -> dict[str, Any]:
    match = _EXPECT.search(_header_text(path))
    assert match, f"{path.name} has no 'expect: {{...}}' comment"
    expected: dict[str, Any] = json.loads(match[1])
    return expected


def _item_view(item: Any, keys: list[str]) -> dict[str, Any]:
    view = {key: getattr(item, key) for key in keys}
    if "published" in view:
        view["published"] = view["published"].isoformat()
    return view


@pytest.mark.parametrize("path", _fixture_files(), ids=lambda p: p.name)
def test_fixture(path: Path) -> None:
    expected = _expectation(path)
    fetched_at = datetime.fromisoformat(expected.get("fetched_at", DEFAULT_FETCHED_AT))
    run = lambda: parse_feed(  # noqa: E731
        path.read_bytes(),
        url=expected.get("url", DEFAULT_URL),
        fetched_at=fetched_at,
        charset=expected.get("charset"),
    )
    if "error" in expected:
        with pytest.raises(FeedParseError) as caught:
            run()
        assert expected["error"] in str(caught.value)
        return
    parsed = run()
    for key in ("title", "link"):
        if key in expected:
            assert getattr(parsed, key) == expected[key]
    if "items" in expected:
        got = [_item_view(i, list(e)) for i, e in zip(parsed.items, expected["items"], strict=False)]
        assert got == expected["items"]
        assert len(parsed.items) == len(expected["items"])
    if "warnings" in expected:
        assert len(parsed.warnings) == len(expected["warnings"]), parsed.warnings
        for part, warning in zip(expected["warnings"], parsed.warnings, strict=True):
            assert part in warning


def test_every_fixture_documents_itself() -> None:
    for path in _fixture_files():
        head = _header_text(path)[:600]
        assert "Exercises:" in head and "Expected:" in head, path.name


@pytest.mark.parametrize("body", [b"", b"   \n\t  "])
def test_empty_body(body: bytes) -> None:
    with pytest.raises(FeedParseError, match="empty body"):
        parse_feed(body, url=DEFAULT_URL, fetched_at=datetime.now(UTC))


def test_naive_fetch_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_feed(b"<rss/>", url=DEFAULT_URL, fetched_at=datetime(2018, 4, 21))


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<p>Satu</p><p>Dua</p>", "Satu\n\nDua"),
        ("Satu<br><br>Dua<br>tiga", "Satu\n\nDua tiga"),
        ("A&nbsp;&nbsp;B &amp; C&#8212;D", "A B & C\u2014D"),
        ("<script>var x = 1;</script><style>p {}</style>Teks<img src='a.jpg'>", "Teks"),
        (
            "<div><h2>Judul</h2>Isi <b>tebal</b> dan <a href='#'>tautan</a>.</div>",
            "Judul\n\nIsi tebal dan tautan.",
        ),
        ("x < y dan y > z", "x < y dan y > z"),
        ("\u200bTanpa\u200b spasi lebar nol", "Tanpa spasi lebar nol"),
    ],
)
def test_html_to_text(markup: str, text: str) -> None:
    assert html_to_text(markup) == text


# --- the real feeds beside the project -----------------------------------------------------


def _real(name: str) -> ParsedFeed:
    path = SHARED_FEEDS / f"{name}.xml"
    if not path.exists():
        pytest.skip(f"real feed {path} is not present (shared data lives beside the project)")
    return parse_feed(path.read_bytes(), url=f"https://{name}.example/rss", fetched_at=datetime.now(UTC))


@pytest.mark.parametrize(
    ("name", "count"),
    [("tempo-terkini-2017", 30), ("detik-news-2017", 10), ("antara-jambi-2022", 20)],
)
def test_real_feed_parses_cleanly(name: str, count: int) -> None:
    parsed = _real(name)
    assert parsed.warnings == []
    assert len(parsed.items) == count
    for item in parsed.items:
        assert item.url.startswith(("http://", "https://"))
        assert item.title and "<" not in item.title and "&" not in item.title
        assert item.summary_text and "<" not in item.summary_text and "&nbsp;" not in item.summary_text
        assert item.published.tzinfo is not None and not item.date_missing
        assert item.image_url and item.image_url.startswith(("http://", "https://"))


def test_tempo_offsets_are_taken_as_given() -> None:
    # Tempo wrote WIB wall-clock times with "+0100"; no per-outlet correction is made.
    first = _real("tempo-terkini-2017").items[0]
    assert first.published.utcoffset() == timedelta(hours=1)
    assert first.published == datetime(2017, 4, 28, 1, 38, 2, tzinfo=timezone(timedelta(hours=1)))
    assert first.image_url == "http://image.tempointeraktif.com/?id=404308"


def test_detik_escaped_html_and_enclosure() -> None:
    first = _real("detik-news-2017").items[0]
    assert first.summary_text.startswith("Telkomsel langsung bereaksi")
    assert first.image_url == ("http://images.detik.com/visual/2017/03/07/9e15cd4d-6e23-4eb9-8ecf-04791112cfa9_169.jpg")
    assert first.published == datetime(2017, 4, 28, 0, 50, 21, tzinfo=UTC)


def test_antara_cdata_html() -> None:
    second = _real("antara-jambi-2022").items[1]
    assert second.content_text.startswith("Polda Jambi memperkuat pembinaan")
    assert second.title == ("Polda Jambi perkuat pembinaan sikap personel untuk responsif tolak paham radikal")


def test_a_news_page_is_not_a_feed() -> None:
    page = SHARED_FEEDS.parent / "seed" / "mediaindonesia-keamanan-siber-2018.txt"
    if not page.exists():
        pytest.skip(f"{page} is not present (shared data lives beside the project)")
    with pytest.raises(FeedParseError, match="not a feed"):
        parse_feed(page.read_bytes(), url=DEFAULT_URL, fetched_at=datetime.now(UTC))
