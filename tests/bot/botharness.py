"""Running the real Ringkas application against the fake Bot API, for the bot's tests.

``running_bot`` builds the application exactly as ``ringkas run`` does (same handlers, jobs,
rate limiter and HTTP layer), pointed at a ``FakeTelegram`` server and a test database, and
starts polling; leaving the context stops it cleanly. ``seed_news`` puts synthetic stories in
through the real ingest pipeline, from a feed served on 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import SecretStr
from telegram.ext import Application

from bot.clock import Clock
from bot.config import Settings
from bot.ingest.fetch import Fetcher
from bot.ingest.pipeline import ingest_feed
from bot.ingest.sources import add_feed
from bot.store.db import Database
from bot.telegram.app import build_application
from bot.telegram.jobs import Runtime
from tests.bot.httpserver import LocalServer, respond
from tests.bot.newsfeed import Item, rss
from tests.fakes import FakeTelegram

ADMIN_ID = 9001
USER_ID = 1001


def bot_settings(tg: FakeTelegram, database_url: str, **overrides: Any) -> Settings:
    """Settings for a bot under test: fake Bot API, test database, fast ticks, no seeding."""
    values: dict[str, Any] = {
        "telegram_bot_token": SecretStr(tg.token),
        "telegram_api_url": tg.api_url,
        "database_url": database_url,
        "ringkas_admin_ids": str(ADMIN_ID),
        "ringkas_seed_feeds": False,
        "ringkas_ingest": False,
        "ringkas_tick_seconds": 0.2,
        "ringkas_send_rate": 0,
        "ringkas_allow_private_urls": True,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@asynccontextmanager
async def running_bot(settings: Settings, *, clock: Clock | None = None) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """The application, initialized and polling, stopped on exit."""
    app = build_application(settings, clock=clock)
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    await app.start()
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)


def runtime(app: Application) -> Runtime:  # type: ignore[type-arg]
    """The bot's shared runtime (services, sender, clock)."""
    rt: Runtime = app.bot_data["runtime"]
    return rt


@dataclass
class NewsSite:
    """A feed served on 127.0.0.1 whose items tests can change."""

    server: LocalServer
    path: str = "/rss"

    def publish(self, items: Sequence[Item], title: str = "Kabar Uji") -> str:
        """Serve these items at the feed URL; return it."""
        self.server.route(
            self.path, respond(rss(list(items), title=title), headers={"Content-Type": "application/rss+xml"})
        )
        return self.server.url(self.path)


def news_item(n: int, title: str, lead: str, *, hours_ago: float = 1.0, now: datetime | None = None) -> Item:
    """A synthetic item with a unique link."""
    published = (now or datetime.now(UTC)) - timedelta(hours=hours_ago)
    return Item(
        title=title,
        link=f"https://kabar.example/berita/{n}",
        published=published,
        lead=lead,
        body=event_body(title, lead),
    )


def event_body(title: str, lead: str) -> str:
    """A body about this item's event: with one shared body, every item would be one story."""
    topic = title.lower()
    sentences = [
        f"Kabar tentang {topic} menjadi perbincangan warga sejak pagi.",
        f"Petugas di lokasi terus memantau perkembangan {topic} dan mendata dampaknya.",
        f"Pemerintah daerah menyatakan penanganan {topic} menjadi prioritas pekan ini.",
        f"Sejumlah warga yang ditemui mengaku baru pertama kali mengalami {topic} seperti ini.",
        f"Relawan dari berbagai lembaga ikut membantu setelah {topic} terjadi.",
        f"Aparat meminta warga tidak mudah percaya kabar bohong seputar {topic}.",
        f"Data lengkap mengenai {topic} akan diumumkan setelah pendataan selesai.",
    ]
    return f"{lead}\n\n" + "\n\n".join(" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2))


async def seed_news(
    db: Database, site: NewsSite, items: Sequence[Item], *, name: str = "Kabar Uji", category: str = "nasional"
) -> int:
    """Add a feed serving these items and ingest it through the real pipeline; return the feed id."""
    url = site.publish(items, title=name)
    async with Fetcher(allow_private=True) as fetcher:
        async with db.sessionmaker.begin() as session:
            feed, _ = await add_feed(session, fetcher, url, name=name, category=category)
            feed_id = feed.id
        await ingest_feed(db, fetcher, feed_id)
    return feed_id


async def insert_story(
    db: Database,
    title: str,
    sentences: Sequence[str],
    *,
    url: str,
    source: str = "Kabar Uji",
    category: str = "nasional",
) -> int:
    """Store one article and its story directly (for titles no feed parser would pass through)."""
    from bot.store.models import Article, Story

    now = datetime.now(UTC)
    async with db.sessionmaker.begin() as session:
        story = Story(
            title=title, category=category, first_seen_at=now, updated_at=now, article_count=1, source_count=1
        )
        session.add(story)
        await session.flush()
        article = Article(
            story_id=story.id,
            url=url,
            canonical_url=url,
            title=title,
            published_at=now,
            first_seen_at=now,
            source=source,
            category=category,
            text=" ".join(sentences),
            summary=[[i, s] for i, s in enumerate(sentences)],
        )
        session.add(article)
        await session.flush()
        story.lead_article_id = article.id
        return story.id
