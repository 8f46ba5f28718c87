"""Topic alerts follow every way a story is stored, through the real application: the admin's
/fetchnow, and a ``ringkas fetch`` in another process while the bot runs without ingestion
(``RINGKAS_INGEST=false``, the split set-up); once per story and reader, within the daily cap.
Then the scan itself on both databases: each waiting story taken once, stale ones dropped, and
two scans at once (two bot processes) alerting once."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.ingest.fetch import Fetcher
from bot.ingest.pipeline import ingest_feed
from bot.ingest.sources import add_feed
from bot.store.db import Database
from bot.store.models import AlertMatch, Article, Delivery, Follow, Story, StoryUpdate, Subscriber
from bot.store.search import index_article
from bot.telegram.alerts import STALE_AFTER, scan_alerts
from tests.bot.botharness import (
    ADMIN_ID,
    USER_ID,
    NewsSite,
    bot_settings,
    news_item,
    running_bot,
    runtime,
    seed_news,
)
from tests.bot.telegram.conversation import ask
from tests.bot.telegram.test_bot_commands import FLOOD, QUAKE
from tests.fakes import FakeTelegram

ROOT = Path(__file__).resolve().parents[3]
NOW = datetime.now(UTC).replace(microsecond=0)
BEKASI = "Banjir setinggi lutut kembali melanda perumahan di Bekasi Timur pada Rabu dini hari setelah hujan deras."
ITEMS = [news_item(1, "Banjir Rendam Kemang", FLOOD), news_item(2, "Gempa Guncang Cianjur", QUAKE)]


def alerts_to(tg: FakeTelegram, chat: int = USER_ID) -> list[str]:
    """The alert messages a chat received."""
    return [m.text or "" for m in tg.messages_to(chat) if (m.text or "").startswith("🔔 Berita baru")]


async def add_site_feed(db: Database, site: NewsSite) -> int:
    """Add the site's feed (checked once, nothing stored); its id."""
    url = site.publish(ITEMS)
    async with Fetcher(allow_private=True) as fetcher, db.sessionmaker.begin() as session:
        feed, _ = await add_feed(session, fetcher, url, name="Kabar Uji")
        return feed.id


async def ringkas(*args: str, db_url: str, cwd: Path) -> tuple[int, str]:
    """Run the ``ringkas`` command line in a process of its own; its exit status and output."""
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "RINGKAS_SEED_FEEDS": "false",
        "RINGKAS_ALLOW_PRIVATE_URLS": "true",
        "PYTHONPATH": str(ROOT),
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, env=env, cwd=cwd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )  # fmt: skip
    output, _ = await asyncio.wait_for(proc.communicate(), timeout=60)
    return proc.returncode or 0, output.decode()


async def test_fetchnow_alerts_the_followers(tg: FakeTelegram, db_url: str, site: NewsSite) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        assert "banjir" in await ask(tg, "/ikuti banjir")
        await add_site_feed(runtime(app).services.db, site)
        assert "Mengambil 1 feed" in await ask(tg, "/fetchnow", chat=ADMIN_ID, user=ADMIN_ID)
        assert await tg.wait_until_async(lambda: bool(alerts_to(tg)), timeout=10)
        assert "Banjir Rendam Kemang" in alerts_to(tg)[0] and "Gempa" not in alerts_to(tg)[0]
        done = lambda: [m.text or "" for m in tg.messages_to(ADMIN_ID) if (m.text or "").startswith("Selesai")]  # noqa: E731
        assert await tg.wait_until_async(lambda: bool(done()), timeout=10)
        assert done() == ["Selesai: 2 artikel baru dari 1 feed."]
        assert alerts_to(tg, ADMIN_ID) == []  # the admin follows nothing


async def test_a_fetch_in_another_process_alerts_once(
    tg: FakeTelegram, db_url: str, site: NewsSite, tmp_path: Path
) -> None:
    async with running_bot(bot_settings(tg, db_url, ringkas_ingest=False)) as app:
        db = runtime(app).services.db
        assert "banjir" in await ask(tg, "/ikuti banjir")
        feed_id = await add_site_feed(db, site)
        status, output = await ringkas("fetch", db_url=db_url, cwd=tmp_path)
        assert status == 0, output
        assert await tg.wait_until_async(lambda: bool(alerts_to(tg)), timeout=10)
        assert "Banjir Rendam Kemang" in alerts_to(tg)[0]
        site.publish([*ITEMS, news_item(3, "Banjir Susulan Landa Bekasi", BEKASI)])
        status, output = await ringkas(
            "fetch", "--feed", str(feed_id), db_url=db_url, cwd=tmp_path
        )  # one new, two known
        assert status == 0, output
        assert await tg.wait_until_async(lambda: len(alerts_to(tg)) == 2, timeout=10)
        await tg.wait_until_async(lambda: False, timeout=1.0)  # several ticks: nothing more
        assert len(alerts_to(tg)) == 2
        assert "Banjir Susulan Landa Bekasi" in alerts_to(tg)[1] and "Kemang" not in alerts_to(tg)[1]
        async with db.sessionmaker() as session:  # every stored story was scanned
            assert await session.scalar(select(func.count()).select_from(StoryUpdate)) == 0


async def test_alerts_once_per_story_with_a_daily_cap(tg: FakeTelegram, db_url: str, site: NewsSite) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        await ask(tg, "/ikuti banjir")
        db = runtime(app).services.db
        async with db.sessionmaker.begin() as session:
            sub = await session.scalar(select(Subscriber))
            assert sub is not None
            sub.alerts_per_day = 2
        feed_id = await seed_news(db, site, ITEMS)
        assert await tg.wait_until_async(lambda: bool(alerts_to(tg)), timeout=10)
        assert "Banjir Rendam Kemang" in alerts_to(tg)[0] and "Gempa" not in alerts_to(tg)[0]
        more = [
            news_item(i, f"Banjir Susulan Nomor {i} di Wilayah Berbeda", f"Banjir kembali melanda wilayah {i}. {QUAKE}")
            for i in range(3, 6)
        ]
        site.publish(ITEMS + more)
        async with Fetcher(allow_private=True) as fetcher:
            await ingest_feed(db, fetcher, feed_id)
        assert await tg.wait_until_async(lambda: len(alerts_to(tg)) == 2, timeout=10)
        await tg.wait_until_async(lambda: False, timeout=1.0)  # several ticks: the cap holds
        assert len(alerts_to(tg)) == 2
        assert sum(alerts_to(tg)[1].count(f"Banjir Susulan Nomor {i}") for i in range(3, 6)) == 1  # cap of 2 a day


async def stored_story(db: Database, n: int, title: str, *, stored_at: datetime | None = None) -> int:
    """Store a one-article story, indexed, and leave it for the alert scan as ingestion does; its id."""
    async with db.sessionmaker.begin() as session:
        story = Story(title=title, article_count=1, source_count=1)
        session.add(story)
        await session.flush()
        article = Article(
            story_id=story.id,
            url=f"https://kabar.example/{n}",
            canonical_url=f"https://kabar.example/{n}",
            title=title,
            published_at=NOW,
            source="Kabar Uji",
            text=f"{title}. Warga diminta waspada.",
        )
        session.add(article)
        await session.flush()
        story.lead_article_id = article.id
        await index_article(session, article)
        session.add(StoryUpdate(story_id=story.id, stored_at=stored_at or NOW))
        return story.id


async def test_the_scan_takes_each_stored_story_once(database: Database) -> None:
    async with database.sessionmaker.begin() as session:
        sub = Subscriber(chat_id=77)
        session.add(sub)
        await session.flush()
        session.add(Follow(subscriber_id=sub.id, keyword="banjir"))
    kemang = await stored_story(database, 1, "Banjir Rendam Kemang")
    await stored_story(database, 2, "Gempa Guncang Cianjur")
    await stored_story(database, 3, "Banjir Lama di Bekasi", stored_at=NOW - STALE_AFTER - timedelta(minutes=1))
    assert len(await scan_alerts(database, NOW)) == 1
    assert await scan_alerts(database, NOW) == []  # nothing waits any more
    async with database.sessionmaker.begin() as session:  # the story grows: scanned again, not alerted again
        session.add(StoryUpdate(story_id=kemang, stored_at=NOW))
    assert await scan_alerts(database, NOW + timedelta(minutes=1)) == []
    async with database.sessionmaker() as session:
        assert (await session.scalars(select(AlertMatch.story_id))).all() == [kemang]  # the stale one: no alert
        assert await session.scalar(select(func.count()).select_from(StoryUpdate)) == 0


async def test_two_scans_at_once_alert_once(database: Database) -> None:
    async with database.sessionmaker.begin() as session:
        sub = Subscriber(chat_id=77)
        session.add(sub)
        await session.flush()
        session.add(Follow(subscriber_id=sub.id, keyword="banjir"))
    for n in range(1, 6):
        await stored_story(database, n, f"Banjir Rendam Kampung Nomor {n}")
    other = Database(database.url)  # a second bot process, with its own engine and lock
    try:
        first, second = await asyncio.gather(scan_alerts(database, NOW), scan_alerts(other, NOW))
    finally:
        await other.dispose()
    async with database.sessionmaker() as session:
        matched = (await session.scalars(select(AlertMatch.story_id).order_by(AlertMatch.story_id))).all()
        deliveries = (await session.scalars(select(Delivery.id))).all()
    assert len(first) + len(second) == len(deliveries) and matched == list(range(1, 6))
