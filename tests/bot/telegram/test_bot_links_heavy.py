"""Heavy pages cost readers' links and ingestion nothing of each other's (issue 20, item 2).

Readers' links have worker processes of their own, so an ordinary link is summarized while
ingestion's workers are busy with a document that never ends; and a page that once ran past the
time limit is refused at once when it comes again, without a fetch or a worker.
"""

from __future__ import annotations

import asyncio
import contextlib

from bot.ingest.workers import WorkerPool
from tests.bot.botharness import USER_ID, NewsSite, bot_settings, running_bot, runtime
from tests.bot.httpserver import respond
from tests.bot.ingest.test_linksummary import page
from tests.bot.ingest.workjobs import spin_forever
from tests.bot.telegram.conversation import ask, ask_link
from tests.bot.telegram.test_bot_links import ARTICLE, HTML
from tests.fakes import FakeTelegram

OTHER_READER = 1002


async def test_a_link_is_summarized_while_ingestions_workers_are_busy(
    tg: FakeTelegram, db_url: str, site: NewsSite
) -> None:
    site.server.route("/berita/banjir", respond(ARTICLE, headers=HTML))
    settings = bot_settings(tg, db_url, ringkas_parse_workers=1, ringkas_link_workers=1, ringkas_parse_timeout=60)
    async with running_bot(settings) as app:
        work = runtime(app).services.work
        busy = asyncio.create_task(work.run(spin_forever))  # ingestion's only worker, for a minute
        try:
            for _ in range(3000):
                if work.busy:
                    break
                await asyncio.sleep(0.01)
            assert work.busy, "the endless document never reached a worker"
            assert "Banjir Rendam Kemang" in await ask_link(tg, site.server.url("/berita/banjir"))
            assert work.busy and not busy.done()
        finally:
            busy.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await busy


async def test_a_page_past_the_time_limit_is_refused_at_once_when_it_comes_again(
    tg: FakeTelegram, db_url: str, site: NewsSite
) -> None:
    # About 2.8 MB of article: over a second of cleaning, far past a 0.3 s limit.
    site.server.route("/berat", respond(page(3_000), headers=HTML))
    url = site.server.url("/berat")
    async with running_bot(bot_settings(tg, db_url, ringkas_parse_timeout=0.3)) as app:
        pool = runtime(app).services.links.work
        assert isinstance(pool, WorkerPool)
        assert "terlalu berat" in await ask_link(tg, url)
        started = pool.started
        # Another reader sends it: answered at once (no "summary is coming"), not fetched again.
        assert "terlalu berat" in await ask(tg, url, chat=OTHER_READER, user=OTHER_READER)
        assert "terlalu berat" in await ask(tg, f"lagi: {url}", chat=USER_ID)
    assert [r.path for r in site.server.requests].count("/berat") == 1
    assert pool.started == started
