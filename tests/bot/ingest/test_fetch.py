"""The fetcher against real HTTP servers on 127.0.0.1: caching, errors, limits, redirects."""

from __future__ import annotations

import asyncio
import gzip
import logging
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from bot.ingest.fetch import Fetcher, FetchError, FetchLimits
from bot.ingest.responses import CappedInflater
from tests.bot.httpserver import LocalServer, Request, Response, closed_port, redirect, respond

# Small enough that the timeout tests finish in well under a second each.
SHORT = 0.3
FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
PUBLIC_NAME = "news.example.com"
PUBLIC_ADDRESS = "93.184.215.14"
INTRANET_NAME = "intranet.example.com"


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


async def fetch(url: str, limits: FetchLimits | None = None, **kwargs: Any) -> Any:
    async with Fetcher(limits or FetchLimits(), allow_private=True) as fetcher:
        return await fetcher.get(url, **kwargs)


async def fetch_error(url: str, limits: FetchLimits | None = None) -> FetchError:
    with pytest.raises(FetchError) as caught:
        await fetch(url, limits)
    return caught.value


async def test_200_with_etag_then_304(server: LocalServer) -> None:
    def handler(request: Request) -> Response:
        if request.headers.get("if-none-match") == '"v1"':
            return Response(304)
        headers = {
            "Content-Type": "application/rss+xml; charset=ISO-8859-1",
            "ETag": '"v1"',
            "Last-Modified": "Fri, 20 Apr 2018 08:17:00 GMT",
        }
        return Response(200, FEED, headers)

    server.route("/feed", handler)
    first = await fetch(server.url("/feed"))
    assert (first.status, first.content, first.not_modified) == (200, FEED, False)
    assert first.url == server.url("/feed")
    assert first.etag == '"v1"' and first.headers.etag == '"v1"'
    assert first.last_modified == "Fri, 20 Apr 2018 08:17:00 GMT"
    assert (first.content_type, first.charset) == ("application/rss+xml", "iso-8859-1")

    second = await fetch(server.url("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert (second.status, second.content, second.not_modified) == (304, b"", True)
    # The 304 sent no validators; the ones we hold still describe our copy.
    assert (second.etag, second.last_modified) == (first.etag, first.last_modified)
    sent = server.requests[-1].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Fri, 20 Apr 2018 08:17:00 GMT"


async def test_honest_headers(server: LocalServer) -> None:
    server.route("/feed", respond(FEED))
    await fetch(server.url("/feed"))
    sent = server.requests[0].headers
    assert sent["user-agent"] == FetchLimits().user_agent
    assert "application/rss+xml" in sent["accept"] and "text/html" in sent["accept"]
    assert sent["accept-encoding"] == "gzip, deflate"


@pytest.mark.parametrize(("status", "message"), [(404, "HTTP 404 Not Found"), (500, "HTTP 500 Internal Server Error")])
async def test_http_error_status(
    server: LocalServer, status: int, message: str, caplog: pytest.LogCaptureFixture
) -> None:
    server.route("/x", respond(b"oops", status=status))
    with caplog.at_level(logging.WARNING, logger="bot.ingest.fetch"):
        error = await fetch_error(server.url("/x"))
    assert (error.kind, error.message, error.status) == ("http_status", message, status)
    assert error.url == server.url("/x")
    assert [r.getMessage() for r in caplog.records if r.name == "bot.ingest.fetch"] == [
        f"GET {server.url('/x').split('/')[2]} failed (http_status): {message}"  # the host only
    ]


async def test_connection_refused() -> None:
    error = await fetch_error(f"http://127.0.0.1:{closed_port()}/feed")
    assert error.kind == "connect"
    assert error.message.startswith("cannot connect to 127.0.0.1")


async def test_server_that_never_answers_hits_the_total_deadline(server: LocalServer) -> None:
    server.route("/hang", server.hang())
    error = await fetch_error(server.url("/hang"), FetchLimits(total_timeout=SHORT))
    assert error.kind == "timeout"
    assert error.message == f"timed out after {SHORT:g} s waiting for the response"


async def test_server_that_never_answers_hits_the_read_timeout(server: LocalServer) -> None:
    server.route("/hang", server.hang())
    error = await fetch_error(server.url("/hang"), FetchLimits(read_timeout=SHORT))
    assert error.kind == "timeout"
    assert error.message == f"no data for {SHORT:g} s while waiting for the response"


async def test_trickling_server_hits_the_total_deadline(server: LocalServer) -> None:
    # A byte every 20 ms never trips the read timeout; only the deadline stops it.
    server.route("/slow", server.trickle(b"x", interval=0.02))
    error = await fetch_error(server.url("/slow"), FetchLimits(total_timeout=SHORT))
    assert error.kind == "timeout"
    assert error.message == f"timed out after {SHORT:g} s reading the body"


async def test_body_past_cap_with_content_length(server: LocalServer) -> None:
    server.route("/big", respond(b"x" * 2_000))
    error = await fetch_error(server.url("/big"), FetchLimits(max_bytes=1_000))
    assert error.kind == "too_large"
    assert error.message == "body larger than 1.0 kB (Content-Length 2.0 kB)"


async def test_body_past_cap_without_content_length(server: LocalServer) -> None:
    server.route("/big", lambda _r: Response(200, iter([b"x" * 600] * 4)))
    error = await fetch_error(server.url("/big"), FetchLimits(max_bytes=1_000))
    assert (error.kind, error.message) == ("too_large", "body larger than 1.0 kB")


async def test_body_exactly_at_cap_is_fine(server: LocalServer) -> None:
    server.route("/ok", lambda _r: Response(200, iter([b"x" * 500] * 2)))
    result = await fetch(server.url("/ok"), FetchLimits(max_bytes=1_000))
    assert result.content == b"x" * 1_000


def gzip_bomb(megabytes: int) -> bytes:
    """A gzip stream of ``megabytes`` MB of zeros, about 1 kB per MB, built in milliseconds.

    A full flush resets the compressor, so every 1 MB block compresses to the same bytes
    and the block is simply repeated. The stream has no trailer: nothing may read that far.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = compressor.compress(b"\0" * 1_000_000) + compressor.flush(zlib.Z_FULL_FLUSH)
    return b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + block * megabytes


async def test_gzip_bomb_stops_at_the_cap(server: LocalServer) -> None:
    bomb = gzip_bomb(1_000)  # 1 GB of zeros in about 1 MB
    small = gzip.compress(b"\0" * 10_000_000)  # 10 MB in about 10 kB
    server.route("/bomb", respond(bomb, headers={"Content-Encoding": "gzip"}))
    server.route("/small", respond(small, headers={"Content-Encoding": "gzip"}))
    server.route("/chunked", lambda _r: Response(200, iter([small]), {"Content-Encoding": "gzip"}))
    for path in ("/bomb", "/small", "/chunked"):
        error = await fetch_error(server.url(path), FetchLimits(max_bytes=1_000_000))
        assert (error.kind, error.message) == ("too_large", "body larger than 1.0 MB")


def test_inflater_memory_stays_near_the_cap() -> None:
    # A whole 1 GB bomb in one chunk: httpx's own decoder would inflate it in one piece
    # (a single 64 KiB network read of it already becomes ~66 MB there).
    bomb = gzip_bomb(1_000)
    inflater = CappedInflater("gzip", 1_000_000)
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match=r"body larger than 1\.0 MB"):
            inflater.feed(bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert inflater.size == 1_000_001
    assert peak < 5_000_000


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as some servers send
    ],
)
async def test_compressed_bodies_are_decoded(server: LocalServer, encoding: str, encode: Any) -> None:
    server.route("/z", respond(encode(FEED * 50), headers={"Content-Encoding": encoding}))
    result = await fetch(server.url("/z"))
    assert result.content == FEED * 50


async def test_corrupt_gzip_is_a_decode_error(server: LocalServer) -> None:
    server.route("/z", respond(b"this is not gzip at all", headers={"Content-Encoding": "gzip"}))
    error = await fetch_error(server.url("/z"))
    assert error.kind == "decode"
    assert error.message.startswith("corrupt gzip body")


async def test_redirect_loop(server: LocalServer) -> None:
    server.route("/a", redirect("/b"))
    server.route("/b", redirect("/a"))
    error = await fetch_error(server.url("/a"))
    assert error.kind == "too_many_redirects"
    assert error.message == f"redirect loop back to {server.url('/a').split('/')[2]}"


async def test_redirect_chain_longer_than_max(server: LocalServer) -> None:
    for n in range(6):
        server.route(f"/r{n}", redirect(f"/r{n + 1}", status=301))
    server.route("/r6", respond(FEED))
    error = await fetch_error(server.url("/r0"), FetchLimits(max_redirects=3))
    assert (error.kind, error.message) == ("too_many_redirects", "more than 3 redirects")
    result = await fetch(server.url("/r0"), FetchLimits(max_redirects=6))
    assert (result.url, result.content) == (server.url("/r6"), FEED)


async def test_relative_redirect(server: LocalServer) -> None:
    server.route("/old/feed", redirect("../new/feed?format=rss#top", status=308))
    server.route("/new/feed", respond(FEED))
    result = await fetch(server.url("/old/feed"))
    assert result.url == server.url("/new/feed?format=rss")
    assert result.content == FEED


async def test_redirect_without_location_is_an_error(server: LocalServer) -> None:
    server.route("/x", respond(status=302))
    error = await fetch_error(server.url("/x"))
    assert (error.kind, error.message) == (
        "http_status",
        "HTTP 302 Found without a Location header",
    )


@pytest.mark.parametrize("url", ["file:///etc/passwd", "javascript:alert(1)", "ftp://example.com/x"])
async def test_non_http_schemes_are_refused(url: str) -> None:
    error = await fetch_error(url)
    assert error.kind == "unsafe_url"
    assert "only http and https" in error.message


@pytest.mark.parametrize("url", ["not a url", "http://", "http://example.com:99999/"])
async def test_malformed_urls(url: str) -> None:
    error = await fetch_error(url)
    assert error.kind == "invalid_url"


async def test_fetcher_must_be_opened() -> None:
    with pytest.raises(RuntimeError, match="async with"):
        await Fetcher().get("http://127.0.0.1/")


async def test_concurrency_is_limited(server: LocalServer) -> None:
    active, peak, lock = 0, 0, threading.Lock()

    def handler(_request: Request) -> Response:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.05)  # holds the slot so overlapping requests would show
        with lock:
            active -= 1
        return Response(200, b"ok")

    server.route("/slot", handler)
    async with Fetcher(FetchLimits(concurrency=2), allow_private=True) as fetcher:
        results = await asyncio.gather(*(fetcher.get(server.url("/slot")) for _ in range(6)))
    assert [r.content for r in results] == [b"ok"] * 6
    assert peak <= 2


# --- the address guard, with made-up public names routed to the local server -------------


class HostMap(httpx.AsyncBaseTransport):
    """Sends requests for the named hosts to the local server instead of the internet."""

    def __init__(self, ports: dict[str, int]):
        self.ports = ports
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        port = self.ports.get(request.url.host)
        if port is None:
            raise AssertionError(f"the test tried to reach {request.url.host}")
        request.url = request.url.copy_with(host="127.0.0.1", port=port)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.fixture
async def fake_dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Resolve made-up names to chosen addresses; other names fail to resolve."""
    table = {PUBLIC_NAME: PUBLIC_ADDRESS, INTRANET_NAME: "10.0.0.7"}

    async def getaddrinfo(host: str, port: int, **_kwargs: Any) -> list[Any]:
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (table[host], port))]

    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", getaddrinfo)
    return table


async def guarded_error(server: LocalServer, path: str) -> FetchError:
    transport = HostMap({PUBLIC_NAME: server.port})
    async with Fetcher(transport=transport) as fetcher:
        with pytest.raises(FetchError) as caught:
            await fetcher.get(f"http://{PUBLIC_NAME}:{server.port}{path}")
    return caught.value


async def test_public_host_passes_the_guard(server: LocalServer, fake_dns: dict[str, str]) -> None:
    server.route("/feed", respond(FEED))
    async with Fetcher(transport=HostMap({PUBLIC_NAME: server.port})) as fetcher:
        result = await fetcher.get(f"http://{PUBLIC_NAME}:{server.port}/feed")
    assert result.content == FEED
    assert server.requests[0].headers["host"] == f"{PUBLIC_NAME}:{server.port}"


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        (f"http://{INTRANET_NAME}/admin", "intranet.example.com resolves to a private address"),
        ("http://169.254.169.254/latest/meta-data/", "a cloud metadata address"),
        ("http://[::1]:8080/", "a loopback address"),
        ("http://metadata.google.internal/computeMetadata/v1/", "a cloud metadata service"),
    ],
)
async def test_redirect_to_private_address_is_refused(
    server: LocalServer, fake_dns: dict[str, str], target: str, reason: str
) -> None:
    server.route("/start", redirect(target))
    error = await guarded_error(server, "/start")
    assert error.kind == "unsafe_url"
    assert reason in error.message
    assert [r.path for r in server.requests] == ["/start"]


async def test_private_address_refused_on_first_hop(server: LocalServer) -> None:
    async with Fetcher() as fetcher:
        with pytest.raises(FetchError) as caught:
            await fetcher.get(server.url("/feed"))
    assert caught.value.kind == "unsafe_url"
    assert server.requests == []


async def test_unresolvable_host(server: LocalServer, fake_dns: dict[str, str]) -> None:
    server.route("/start", redirect("http://nowhere.example.com/"))
    error = await guarded_error(server, "/start")
    assert error.kind == "connect"
    assert error.message.startswith("cannot resolve host nowhere.example.com")
