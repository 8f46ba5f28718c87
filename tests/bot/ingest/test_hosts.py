"""Politeness per host: at most ``per_host`` requests to one host at once, starts spaced by the
delay, and a 429/503 with Retry-After pausing that host's fetches (other hosts untouched)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from bot.ingest import hosts
from bot.ingest.fetch import Fetcher, FetchError, FetchLimits
from bot.ingest.hosts import MAX_RETRY_AFTER, HostGate, retry_after_seconds
from tests.bot.httpserver import LocalServer, Request, Response, respond


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as s:
        yield s


def test_retry_after_reads_seconds_and_dates_and_ignores_junk() -> None:
    now = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds(format_datetime(now + timedelta(minutes=5), usegmt=True), now) == 300
    assert retry_after_seconds(format_datetime(now - timedelta(minutes=5), usegmt=True), now) == 0
    assert retry_after_seconds("99999999") == MAX_RETRY_AFTER
    assert retry_after_seconds("besok") is None and retry_after_seconds(None) is None


async def test_requests_to_one_host_start_at_least_the_delay_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(round(seconds))

    monkeypatch.setattr(hosts.asyncio, "sleep", sleep)
    gate = HostGate(per_host=3, delay=10.0, max_wait=30.0)

    async def use(host: str) -> None:
        async with gate.slot(host):
            pass

    await asyncio.gather(use("a.example"), use("a.example"), use("a.example"), use("b.example"))
    assert sorted(waits) == [10, 20]  # b.example did not wait for a.example


async def test_at_most_per_host_requests_at_once(server: LocalServer) -> None:
    active = peak = 0
    lock = threading.Lock()
    release = threading.Event()

    def slow(_request: Request) -> Response:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        release.wait(0.2)
        with lock:
            active -= 1
        return Response(200, b"ok", {"Content-Type": "text/plain"})

    server.route("/page", slow)
    async with Fetcher(FetchLimits(per_host=2), allow_private=True) as fetcher:
        await asyncio.gather(*(fetcher.get(server.url(f"/page?{i}")) for i in range(6)))
    assert peak == 2 and len(server.requests) == 6


async def test_a_long_retry_after_pauses_that_host_without_asking_it_again(server: LocalServer) -> None:
    server.route("/busy", respond(b"", status=429, headers={"Retry-After": "3600"}))
    server.route("/page", respond(b"ok", headers={"Content-Type": "text/plain"}))
    async with Fetcher(allow_private=True) as fetcher:
        with pytest.raises(FetchError) as first:
            await fetcher.get(server.url("/busy"))
        assert first.value.status == 429
        with pytest.raises(FetchError) as paused:
            await fetcher.get(server.url("/page"))
        # Another host name for the same server is another host.
        other = await fetcher.get(server.url("/page").replace("127.0.0.1", "localhost"))
    assert paused.value.kind == "retry_after" and "Retry-After" in paused.value.message
    assert other.status == 200
    assert [r.path for r in server.requests] == ["/busy", "/page"]


async def test_a_short_retry_after_is_waited_out(server: LocalServer) -> None:
    answers = iter([Response(503, b"", {"Retry-After": "1"}), Response(200, b"ok", {"Content-Type": "text/plain"})])
    server.route("/page", lambda _request: next(answers))
    async with Fetcher(allow_private=True) as fetcher:
        with pytest.raises(FetchError):
            await fetcher.get(server.url("/page"))
        assert (await fetcher.get(server.url("/page"))).status == 200
    assert len(server.requests) == 2


async def test_where_someone_waits_a_request_without_a_free_slot_fails_as_busy_unsent(server: LocalServer) -> None:
    server.route("/slow", server.hang())
    server.route("/page", respond(b"ok", headers={"Content-Type": "text/plain"}))
    readers = FetchLimits(per_host=1, total_timeout=1.0, wait_in_deadline=True)
    async with Fetcher(readers, allow_private=True) as fetcher:
        slow = asyncio.create_task(fetcher.get(server.url("/slow")))
        while not server.requests:
            await asyncio.sleep(0.01)
        with pytest.raises(FetchError) as busy:
            await fetcher.get(server.url("/page"))
        with pytest.raises(FetchError) as late:
            await slow
    assert busy.value.kind == "busy" and late.value.kind == "timeout"
    assert [r.path for r in server.requests] == ["/slow"]


async def test_ingestion_waits_its_turn_for_a_slot_outside_its_deadline(server: LocalServer) -> None:
    def held(_request: Request) -> Response:
        time.sleep(0.7)
        return Response(200, b"ok", {"Content-Type": "text/plain"})

    server.route("/held", held)
    async with Fetcher(FetchLimits(per_host=1, total_timeout=1.0), allow_private=True) as fetcher:
        # The second waits 0.7 s for the slot, then takes 0.7 s: past 1 s in all, within it once started.
        answers = await asyncio.gather(fetcher.get(server.url("/held?1")), fetcher.get(server.url("/held?2")))
    assert [a.status for a in answers] == [200, 200]
