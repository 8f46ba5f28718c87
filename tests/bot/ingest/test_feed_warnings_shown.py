"""Warnings counted on a feed (items dropped or repaired in its last poll) are shown to admins in
``/feeds``, next to its health."""

from __future__ import annotations

from bot.store.models import Feed
from tests.bot.botharness import ADMIN_ID, bot_settings, running_bot, runtime
from tests.bot.telegram.test_bot_commands import ask
from tests.fakes import FakeTelegram


async def test_feeds_listing_shows_the_warning_count_and_the_last_warning(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        async with runtime(app).services.db.sessionmaker.begin() as session:
            session.add(
                Feed(
                    url="https://kabar.example/rss",
                    name="Kabar",
                    warning_count=2,
                    last_warning="item 'http://example.com:99999/x' dropped: bad link (Port out of range 0-65535)",
                )
            )
            session.add(Feed(url="https://tenang.example/rss", name="Tenang"))
        listing = await ask(tg, "/feeds", chat=ADMIN_ID, user=ADMIN_ID)
    kabar, tenang = listing.split("Tenang")[0], listing.split("Tenang")[1]
    assert "peringatan 2×" in kabar and "example.com:99999" in kabar and "bad link" in kabar
    assert "peringatan" not in tenang
