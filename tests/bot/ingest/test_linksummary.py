"""A link a reader sends is read in a worker process: a page that takes too long to read ends as
a clear "too heavy" outcome and is refused at once after that, and a normal page comes back
summarized."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.ingest.fetch import Fetcher
from bot.ingest.linksummary import HeavyPages, LinkError, summarize_url
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
    heavy = HeavyPages()
    try:
        async with Fetcher(allow_private=True) as fetcher:
            with pytest.raises(LinkError) as err:
                await summarize_url(fetcher, server.url("/big"), work=pool, heavy=heavy)
            with pytest.raises(LinkError) as again:
                await summarize_url(fetcher, server.url("/big"), work=pool, heavy=heavy)
    finally:
        await pool.aclose()
    assert err.value.kind == "too_heavy" and "longer than" in str(err.value)
    assert again.value.kind == "too_heavy" and len(server.requests) == 1 and pool.started == 1


def test_heavy_pages_are_remembered_up_to_their_bound_oldest_forgotten_first() -> None:
    heavy = HeavyPages(size=3)
    heavy.add("https://a.id/1", "https://a.id/2", "https://a.id/3")
    heavy.add("https://a.id/1")  # seen again: now the most recent
    heavy.add("https://a.id/4")
    assert len(heavy) == 3 and "https://a.id/2" not in heavy
    assert all(f"https://a.id/{n}" in heavy for n in (1, 3, 4))
