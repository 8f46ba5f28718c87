"""The bot answers while a big hostile feed is parsed: the parse runs in a worker process, so
``/start`` is answered before ``/addfeed``'s parse of a 3 MB feed has finished (with the parse on
the event loop, as before issue #8, nothing was answered until it ended)."""

from __future__ import annotations

import asyncio

from tests.bot.botharness import ADMIN_ID, USER_ID, NewsSite, bot_settings, running_bot, runtime
from tests.bot.httpserver import respond
from tests.bot.ingest.hostile import many_teasers
from tests.fakes import FakeTelegram

RSS = {"Content-Type": "application/rss+xml"}


async def test_start_is_answered_while_a_hostile_feed_is_parsed(tg: FakeTelegram, db_url: str, site: NewsSite) -> None:
    site.server.route("/besar", respond(many_teasers(3_000_000), headers=RSS))
    async with running_bot(bot_settings(tg, db_url)) as app:
        work = runtime(app).services.work
        tg.send_text(ADMIN_ID, f"/addfeed {site.server.url('/besar')}", user_id=ADMIN_ID)
        for _ in range(3000):  # until the document is in a worker (started, fetched, sent)
            if work.busy:
                break
            await asyncio.sleep(0.01)
        assert work.busy, "the feed never reached a worker"
        tg.send_text(USER_ID, "/start", user_id=USER_ID)
        await tg.wait_for_messages_async(USER_ID, 1, timeout=30)
        # /start was answered while the parse was still running: /addfeed has not replied yet.
        assert tg.messages_to(ADMIN_ID) == [] and work.busy
        added = await tg.wait_for_messages_async(ADMIN_ID, 1, timeout=120)
    assert "ditambahkan" in (added[0].text or "")
