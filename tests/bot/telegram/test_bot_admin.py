"""Admin commands: feed management, fetch now, statistics, and the refusal everyone else gets."""

from __future__ import annotations

from prometheus_client import REGISTRY
from sqlalchemy import select

from bot.ingest.pipeline import MAX_CONSECUTIVE_FAILURES
from bot.store.models import Feed
from tests.bot.botharness import ADMIN_ID, NewsSite, bot_settings, news_item, running_bot, runtime
from tests.bot.httpserver import respond
from tests.bot.telegram.test_bot_commands import FLOOD, QUAKE, ask
from tests.fakes import FakeTelegram

ADMIN_COMMANDS = [
    "/addfeed http://127.0.0.1:1/rss",
    "/removefeed 1",
    "/pausefeed 1",
    "/resumefeed 1",
    "/feeds",
    "/fetchnow",
    "/stats",
]


async def feeds(app) -> list[Feed]:  # type: ignore[no-untyped-def]
    async with runtime(app).services.db.sessionmaker() as session:
        return list((await session.scalars(select(Feed).order_by(Feed.id))).all())


async def test_non_admins_are_refused_and_nothing_changes(tg: FakeTelegram, db_url: str, site: NewsSite) -> None:
    url = site.publish([news_item(1, "Banjir Rendam Kemang", FLOOD)])
    async with running_bot(bot_settings(tg, db_url)) as app:
        for command in [*ADMIN_COMMANDS, f"/addfeed {url}"]:
            assert "hanya untuk admin" in await ask(tg, command), command
        assert await feeds(app) == []


async def test_add_list_pause_resume_remove_feed(tg: FakeTelegram, db_url: str, site: NewsSite) -> None:
    url = site.publish([news_item(1, "Banjir Rendam Kemang", FLOOD), news_item(2, "Gempa Guncang Cianjur", QUAKE)])
    async with running_bot(bot_settings(tg, db_url)) as app:
        added = await ask(tg, f"/addfeed {url} bencana", chat=ADMIN_ID, user=ADMIN_ID)
        assert "ditambahkan" in added and "Kabar Uji" in added and "2 item" in added and "bencana" in added
        again = await ask(tg, f"/addfeed {url}", chat=ADMIN_ID, user=ADMIN_ID)
        assert "sudah ada" in again
        broken = await ask(tg, "/addfeed http://127.0.0.1:1/rss", chat=ADMIN_ID, user=ADMIN_ID)
        assert "tidak ditambahkan" in broken and "127.0.0.1:1" in broken
        fetched = await ask(tg, "/fetchnow", chat=ADMIN_ID, user=ADMIN_ID)
        assert "Mengambil 1 feed" in fetched
        await tg.wait_for_messages_async(ADMIN_ID, 5, timeout=20)
        assert "2 artikel baru" in (tg.messages_to(ADMIN_ID)[4].text or "")
        listing = await ask(tg, "/feeds", chat=ADMIN_ID, user=ADMIN_ID)
        assert "Kabar Uji" in listing and "2 artikel" in listing
        feed_id = (await feeds(app))[0].id
        assert "dijeda" in await ask(tg, f"/pausefeed {feed_id}", chat=ADMIN_ID, user=ADMIN_ID)
        assert not (await feeds(app))[0].enabled
        assert "diaktifkan" in await ask(tg, f"/resumefeed {feed_id}", chat=ADMIN_ID, user=ADMIN_ID)
        assert (await feeds(app))[0].enabled
        stats = await ask(tg, "/stats", chat=ADMIN_ID, user=ADMIN_ID, timeout=60)  # the chart's first import
        assert "Berita 24 jam terakhir: 2" in stats
        assert "Tidak ada feed" in await ask(tg, "/removefeed 999", chat=ADMIN_ID, user=ADMIN_ID)
        assert "Contoh" in await ask(tg, "/removefeed", chat=ADMIN_ID, user=ADMIN_ID)
        assert "dihapus" in await ask(tg, f"/removefeed {feed_id}", chat=ADMIN_ID, user=ADMIN_ID)
        assert await feeds(app) == []


async def test_admins_are_told_once_when_a_feed_is_paused(tg: FakeTelegram, db_url: str, site: NewsSite) -> None:
    site.server.route("/broken", respond(b"oops", status=500))
    settings = bot_settings(tg, db_url, ringkas_ingest=True)
    async with running_bot(settings) as app:
        async with runtime(app).services.db.sessionmaker.begin() as session:
            session.add(
                Feed(url=site.server.url("/broken"), name="Rusak", consecutive_failures=MAX_CONSECUTIVE_FAILURES - 1)
            )
        messages = await tg.wait_for_messages_async(ADMIN_ID, 1, timeout=20)
        assert "Rusak" in (messages[0].text or "") and "dijeda" in (messages[0].text or "")
        assert "HTTP 500" in (messages[0].text or "")
        feed = (await feeds(app))[0]
        assert not feed.enabled and feed.paused_reason
    assert len(tg.messages_to(ADMIN_ID)) == 1


def _counted() -> tuple[float, float]:
    """(articles stored, feed polls that went well) so far in this process, from the Prometheus registry."""
    stored = REGISTRY.get_sample_value("ringkas_articles_stored_total") or 0.0
    polled = REGISTRY.get_sample_value("ringkas_feeds_polled_total", {"outcome": "ok"}) or 0.0
    return stored, polled


async def test_fetchnow_counts_the_articles_it_stores(tg: FakeTelegram, db_url: str, site: NewsSite) -> None:
    url = site.publish([news_item(1, "Banjir Rendam Kemang", FLOOD), news_item(2, "Gempa Guncang Cianjur", QUAKE)])
    async with running_bot(bot_settings(tg, db_url)):
        assert "ditambahkan" in await ask(tg, f"/addfeed {url}", chat=ADMIN_ID, user=ADMIN_ID)
        stored, polled = _counted()
        assert "Mengambil 1 feed" in await ask(tg, "/fetchnow", chat=ADMIN_ID, user=ADMIN_ID)
        done = await tg.wait_for_messages_async(ADMIN_ID, 3, timeout=20)
        assert "2 artikel baru" in (done[2].text or "")
        assert _counted() == (stored + 2, polled + 1)
