"""A link a reader sends goes through the same worker pool as ingestion: a page that takes too
long to read ends as a clear "no article text" outcome, and a normal page comes back summarized."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.ingest.fetch import Fetcher
from bot.ingest.linksummary import LinkError, summarize_url
from bot.ingest.workers import WorkerPool
from tests.bot.httpserver import LocalServer, respond
from tests.bot.newsfeed import BODY

HTML = {"Content-Type": "text/html; charset=utf-8"}


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A loopback web server for the pages."""
    with LocalServer() as running:
        yield running


def page(paragraphs: int) -> bytes:
    """An article page with ``paragraphs`` copies of the test article body."""
    body = "".join(f"<p>{BODY}</p>" for _ in range(paragraphs))
    return f"<html><head><title>Banjir Kemang</title></head><body><article><h1>Banjir Kemang</h1>{body}</article></body></html>".encode()


async def test_a_page_read_in_a_worker_is_summarized(server: LocalServer) -> None:
    server.route("/a", respond(page(3), headers=HTML))
    pool = WorkerPool(1, 60.0)
    try:
        async with Fetcher(allow_private=True) as fetcher:
            summary = await summarize_url(fetcher, server.url("/a"), work=pool)
    finally:
        await pool.aclose()
    assert summary.sentences and pool.started == 1


async def test_a_page_past_the_time_limit_is_refused_not_waited_for(server: LocalServer) -> None:
    # About 2.8 MB of article: seconds of cleaning, far past a 0.2 s limit on any machine.
    server.route("/big", respond(page(3_000), headers=HTML))
    pool = WorkerPool(1, 0.2)
    try:
        async with Fetcher(allow_private=True) as fetcher:
            with pytest.raises(LinkError) as err:
                await summarize_url(fetcher, server.url("/big"), work=pool)
    finally:
        await pool.aclose()
    assert err.value.kind == "no_text" and "longer than" in str(err.value)
