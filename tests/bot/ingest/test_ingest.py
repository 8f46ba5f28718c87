"""The ingest pipeline end to end on a loopback news site: new items stored once, bad feeds recorded
with a clear status while the other feeds carry on, teasers completed from the article page."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.ingest.fetch import Fetcher, FetchLimits
from bot.ingest.pipeline import (
    MAX_CONSECUTIVE_FAILURES,
    backoff,
    due_feed_ids,
    ingest_feed,
    ingest_feeds,
)
from bot.ingest.schedule import spread
from bot.store.db import Database
from bot.store.models import Article, Feed, Story
from tests.bot.httpserver import LocalServer, Response, redirect, respond
from tests.bot.newsfeed import BODY, Item, rss

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"
NOW = datetime.now(UTC)
RSS = {"Content-Type": "application/rss+xml"}


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as s:
        yield s


def items(prefix: str, count: int = 2) -> list[Item]:
    return [
        Item(
            title=f"{prefix} berita {i} tentang pembangunan jembatan desa",
            link=f"https://kabar.example/{prefix}/{i}",
            published=NOW - timedelta(hours=i),
            lead=f"Warga {prefix} menyambut pembangunan jembatan baru nomor {i}.",
        )
        for i in range(count)
    ]


async def add(db: Database, url: str, name: str = "Uji") -> int:
    async with db.sessionmaker.begin() as session:
        feed = Feed(url=url, name=name, next_fetch_at=NOW - timedelta(minutes=1))
        session.add(feed)
        await session.flush()
        return feed.id


async def feed_row(db: Database, feed_id: int) -> Feed:
    async with db.sessionmaker() as session:
        feed = await session.get(Feed, feed_id)
        assert feed is not None
        return feed


async def count(db: Database, model: type) -> int:
    async with db.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_items_are_stored_summarized_and_indexed_once(database: Database, server: LocalServer) -> None:
    server.route("/rss", respond(rss(items("A", 3)), headers=RSS))
    feed_id = await add(database, server.url("/rss"))
    async with Fetcher(allow_private=True) as fetcher:
        first = await ingest_feed(database, fetcher, feed_id)
        second = await ingest_feed(database, fetcher, feed_id)
    assert (first.new, first.duplicate, first.error) == (3, 0, None)
    assert (second.new, second.duplicate) == (0, 3)
    async with database.sessionmaker() as session:
        articles = (await session.scalars(select(Article).order_by(Article.id))).all()
    assert all(a.summary and a.story_id and a.fulltext_status == "feed" for a in articles)
    assert all(a.published_at.tzinfo is not None for a in articles)
    feed = await feed_row(database, feed_id)
    assert feed.last_success_at and feed.consecutive_failures == 0 and feed.items_total == 3


async def test_conditional_get_costs_nothing_more(database: Database, server: LocalServer) -> None:
    body = rss(items("B"))

    def handler(request):  # type: ignore[no-untyped-def]
        if request.headers.get("if-none-match") == '"v1"':
            return Response(304)
        return Response(200, body, {"ETag": '"v1"', **RSS})

    server.route("/rss", handler)
    feed_id = await add(database, server.url("/rss"))
    async with Fetcher(allow_private=True) as fetcher:
        await ingest_feed(database, fetcher, feed_id)
        again = await ingest_feed(database, fetcher, feed_id)
    assert again.not_modified and again.new == 0 and again.duplicate == 0
    assert (await feed_row(database, feed_id)).etag == '"v1"'


async def test_tracking_and_amp_variants_are_the_same_article(database: Database, server: LocalServer) -> None:
    original = items("C", 1)
    variant = [
        Item(
            title=original[0].title,
            link=original[0].link + "/amp?utm_source=twitter&fbclid=x",
            published=NOW,
            lead=original[0].lead,
            guid="another-guid",
        )
    ]
    server.route("/one", respond(rss(original), headers=RSS))
    server.route("/two", respond(rss(variant), headers=RSS))
    ids = [await add(database, server.url("/one"), "Satu"), await add(database, server.url("/two"), "Dua")]
    async with Fetcher(allow_private=True) as fetcher:
        results = await ingest_feeds(database, fetcher, ids)
    # The two feeds run concurrently: either may store the article first, the other sees a duplicate.
    assert sorted(r.new for r in results) == [0, 1] and sum(r.duplicate for r in results) == 1
    assert await count(database, Article) == 1


# Another event needs its own body: the shared BODY would make every fixture article one story.
CHILI_BODY = (
    "Pedagang di Pasar Induk Kramat Jati menyebut pasokan dari Brebes dan Temanggung berkurang "
    "karena hujan. Harga cabai rawit merah kini Rp120.000 per kilogram, sedangkan bawang merah "
    "ikut naik menjadi Rp45.000.\n\nKementerian Perdagangan berjanji menggelar operasi pasar "
    "di tiga kota pekan depan untuk menahan kenaikan harga bahan pokok."
)


async def test_two_outlets_on_one_event_make_one_story(database: Database, server: LocalServer) -> None:
    lead_a = (
        "Banjir setinggi satu meter merendam ratusan rumah di Kemang, Jakarta Selatan, Senin pagi. "
        "Ribuan warga mengungsi ke masjid dan sekolah terdekat."
    )
    lead_b = (
        "Ratusan rumah warga Kemang, Jakarta Selatan, terendam banjir hingga satu meter pada Senin pagi. "
        "Warga mengungsi ke sekolah dan masjid."
    )
    server.route(
        "/a", respond(rss([Item("Banjir Satu Meter Rendam Kemang", "https://a.example/1", NOW, lead_a)]), headers=RSS)
    )
    server.route(
        "/b",
        respond(
            rss([Item("Ratusan Rumah di Kemang Terendam Banjir", "https://b.example/1", NOW, lead_b)]), headers=RSS
        ),
    )
    server.route(
        "/c",
        respond(
            rss(
                [
                    Item(
                        "Harga Cabai Naik Jelang Lebaran",
                        "https://c.example/1",
                        NOW,
                        "Harga cabai rawit di pasar induk naik dua kali lipat menjelang Lebaran.",
                        body=CHILI_BODY,
                    )
                ]
            ),
            headers=RSS,
        ),
    )
    ids = [await add(database, server.url(p), n) for p, n in (("/a", "Alpha"), ("/b", "Beta"), ("/c", "Gamma"))]
    async with Fetcher(allow_private=True) as fetcher:
        await ingest_feeds(database, fetcher, ids)
    async with database.sessionmaker() as session:
        stories = (await session.scalars(select(Story).order_by(Story.id))).all()
    assert sorted(s.source_count for s in stories) == [1, 2]


async def test_teaser_is_completed_from_the_article_page(database: Database, server: LocalServer) -> None:
    page = (
        "<html><head><title>Jembatan Baru</title></head><body><nav>Beranda | Nasional</nav><article>"
        "<h1>Jembatan Baru Diresmikan</h1>"
        + "".join(f"<p>{p}</p>" for p in BODY.split("\n\n"))
        + "<p>Baca juga: Berita lain yang tidak relevan</p></article><footer>Hak Cipta 2026</footer></body></html>"
    )
    server.route("/artikel", respond(page.encode(), headers={"Content-Type": "text/html; charset=utf-8"}))
    teaser = Item("Jembatan Baru Diresmikan", server.url("/artikel"), NOW, "Jembatan baru diresmikan...", body="")
    broken = Item("Halaman Hilang", server.url("/hilang"), NOW, "Teaser saja...", body="")
    server.route("/rss", respond(rss([teaser, broken]), headers=RSS))
    feed_id = await add(database, server.url("/rss"))
    async with Fetcher(allow_private=True) as fetcher:
        result = await ingest_feed(database, fetcher, feed_id)
    assert result.new == 2
    async with database.sessionmaker() as session:
        by_title = {a.title: a for a in (await session.scalars(select(Article))).all()}
    full = by_title["Jembatan Baru Diresmikan"]
    assert full.fulltext_status == "page" and "posko pengungsian" in full.text and "Baca juga" not in full.text
    kept = by_title["Halaman Hilang"]
    assert kept.fulltext_status is not None and kept.fulltext_status.startswith("feed: HTTP 404")
    assert kept.text.startswith("Teaser saja")


def bad(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


BAD_FEEDS = {
    "malformed XML": (lambda s: respond(bad("malformed-no-items.xml"), headers=RSS), "malformed XML"),
    "HTML page": (lambda s: respond(bad("html-page.xml"), headers={"Content-Type": "text/html"}), "not a feed"),
    "empty body": (lambda s: respond(b"", headers=RSS), "empty"),
    "404": (lambda s: respond(b"nope", status=404), "HTTP 404"),
    "500": (lambda s: respond(b"oops", status=500), "HTTP 500"),
    "never answers": (lambda s: s.hang(), "no data for 0.5 s"),
    "trickles forever": (lambda s: s.trickle(), "timed out"),
    "past the size cap": (lambda s: respond(b"<rss>" + b" " * 300_000, headers=RSS), "larger than"),
    "gzip bomb": (
        lambda s: respond(gzip.compress(b"\0" * 20_000_000), headers={"Content-Encoding": "gzip", **RSS}),
        "larger than",
    ),
    "redirect loop": (lambda s: redirect("/bad"), "redirect"),
}


@pytest.mark.parametrize("case", list(BAD_FEEDS))
async def test_a_bad_feed_gets_a_clear_status_and_the_others_carry_on(
    sqlite_database: Database, server: LocalServer, case: str
) -> None:
    handler, expected = BAD_FEEDS[case]
    server.route("/bad", handler(server))
    server.route("/good", respond(rss(items("G")), headers=RSS))
    good, broken = (
        await add(sqlite_database, server.url("/good"), "Baik"),
        await add(sqlite_database, server.url("/bad"), "Rusak"),
    )
    limits = FetchLimits(total_timeout=1.0, read_timeout=0.5, max_bytes=200_000)
    async with Fetcher(limits, allow_private=True) as fetcher:
        results = {r.feed_id: r for r in await ingest_feeds(sqlite_database, fetcher, [good, broken])}
    assert results[good].new == 2 and results[good].error is None
    assert results[broken].error and expected.lower() in results[broken].error.lower(), results[broken].error
    feed = await feed_row(sqlite_database, broken)
    assert feed.consecutive_failures == 1 and feed.last_error == results[broken].error and feed.enabled
    assert feed.next_fetch_at and feed.next_fetch_at > datetime.now(UTC)


async def test_connection_refused_and_unsafe_urls(sqlite_database: Database) -> None:
    ids = [
        await add(sqlite_database, u) for u in ("http://127.0.0.1:1/rss", "file:///etc/passwd", "javascript:alert(1)")
    ]
    async with Fetcher() as fetcher:  # the default: private addresses refused
        results = await ingest_feeds(sqlite_database, fetcher, ids)
    assert all(r.error for r in results), [r.error for r in results]


@pytest.mark.parametrize(
    "fixture",
    [
        "duplicate-guids.xml",
        "future-dates.xml",
        "missing-titles.xml",
        "missing-links.xml",
        "unsafe-link-schemes.xml",
        "charset-utf8-declared-cp1252-bytes.xml",
        "rss20-indonesian-dates.xml",
    ],
)
async def test_odd_but_usable_feeds_store_what_they_can(
    sqlite_database: Database, server: LocalServer, fixture: str
) -> None:
    server.route("/rss", respond(bad(fixture), headers=RSS))
    feed_id = await add(sqlite_database, server.url("/rss"))
    async with Fetcher(allow_private=True, limits=FetchLimits(total_timeout=2.0)) as fetcher:
        result = await ingest_feed(sqlite_database, fetcher, feed_id)
    assert result.error is None and result.new >= 1
    async with sqlite_database.sessionmaker() as session:
        articles = (await session.scalars(select(Article))).all()
    assert all(a.url.startswith(("http://", "https://")) and a.title for a in articles)
    assert all(a.published_at <= datetime.now(UTC) + timedelta(minutes=5) for a in articles)
    assert not any("\ufffd" in a.title or "Ã" in a.title for a in articles)


async def test_repeated_failures_back_off_then_pause(sqlite_database: Database) -> None:
    feed_id = await add(sqlite_database, "http://127.0.0.1:1/rss")
    async with Fetcher(allow_private=True) as fetcher:
        for _ in range(MAX_CONSECUTIVE_FAILURES - 1):
            result = await ingest_feed(sqlite_database, fetcher, feed_id)
            assert not result.paused_now
        result = await ingest_feed(sqlite_database, fetcher, feed_id)
    assert result.paused_now
    feed = await feed_row(sqlite_database, feed_id)
    assert not feed.enabled and feed.paused_reason and str(MAX_CONSECUTIVE_FAILURES) in feed.paused_reason
    assert await due_feed_ids(sqlite_database, datetime.now(UTC) + timedelta(days=1)) == []
    assert backoff(15, 1) == timedelta(minutes=15) and backoff(15, 3) == timedelta(minutes=60)
    assert backoff(15, 30) == timedelta(hours=6)


def test_due_feeds_are_spread_over_the_tick() -> None:
    assert spread([]) == []
    delays = [d for _, d in spread([1, 2, 3, 4], window=60)]
    assert delays == [0.0, 15.0, 30.0, 45.0]
