"""Careful HTTP GETs of feeds and article pages from servers nobody vetted.

One ``Fetcher`` per budget (ingestion, readers' links: neither takes the other's slots) wraps an
``httpx.AsyncClient``. Every request is bounded: ``concurrency`` at once, ``per_host`` per host,
spaced and paused per host (``bot.ingest.hosts``), a deadline (the wait for a slot included where
someone waits for the answer), and a body cap that holds for compressed bodies too
(``bot.ingest.responses``). Redirects are followed by hand so every hop passes ``bot.ingest.netguard``.
Conditional GETs save bandwidth on unchanged feeds. Every failure is a ``FetchError`` whose ``kind``
says what went wrong, logged once, with the URL's host only (readers' paths and queries are theirs).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from types import TracebackType
from typing import Self

import httpx

from bot.ingest.hosts import HostGate, retry_after_seconds
from bot.ingest.netguard import HostLookupError, InvalidURLError, UnsafeURLError, check_url
from bot.ingest.responses import (
    DEFAULT_LIMITS,
    REDIRECT_STATUSES,
    FetchError,
    FetchHeaders,
    FetchLimits,
    FetchResult,
    read_body,
    redirect_target,
    response_headers,
    transport_error,
)
from bot.ingest.urls import url_host

logger = logging.getLogger(__name__)

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, application/xhtml+xml;q=0.8, "
    "*/*;q=0.5"
)
ACCEPT_LANGUAGE = "id, en;q=0.7"
# Only what can be inflated here with an output cap; brotli is not offered.
ACCEPT_ENCODING = "gzip, deflate"
# Statuses whose Retry-After pauses the host.
PAUSING_STATUSES = frozenset({429, 503})
# Where the wait for a slot counts toward the deadline, the most of it a request may spend
# waiting: the rest is left for the exchange itself.
SLOT_WAIT_SHARE = 0.5

__all__ = [
    "DEFAULT_LIMITS",
    "FetchError",
    "FetchHeaders",
    "FetchLimits",
    "FetchResult",
    "Fetcher",
]


@dataclass
class _Progress:
    """Where one GET is, for the timeout message."""

    url: str
    started: float
    phase: str = "connecting"


class Fetcher:
    """Async context manager owning the HTTP client; create one per budget and process."""

    def __init__(
        self,
        limits: FetchLimits = DEFAULT_LIMITS,
        *,
        allow_private: bool = False,
        transport: httpx.AsyncBaseTransport | None = None,
    ):
        """Keep the limits; the client is created on ``async with``."""
        self.limits = limits
        self.allow_private = allow_private
        self._transport = transport
        self._slots = asyncio.Semaphore(limits.concurrency)
        self.hosts = HostGate(limits.per_host, limits.host_delay, max_wait=limits.total_timeout)
        self._client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> Self:
        """Open the connection pool."""
        limits = self.limits
        self._client = httpx.AsyncClient(
            transport=self._transport,
            follow_redirects=False,
            timeout=httpx.Timeout(
                connect=limits.connect_timeout,
                read=limits.read_timeout,
                write=limits.read_timeout,
                pool=limits.total_timeout,
            ),
            limits=httpx.Limits(max_connections=limits.concurrency, max_keepalive_connections=limits.concurrency),
            headers={
                "User-Agent": limits.user_agent,
                "Accept": ACCEPT,
                "Accept-Language": ACCEPT_LANGUAGE,
                "Accept-Encoding": ACCEPT_ENCODING,
            },
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the connection pool."""
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """GET a URL within the limits; raise FetchError on any failure."""
        if self._client is None:
            raise RuntimeError("Fetcher is not open: use 'async with Fetcher() as fetcher'")
        conditional = {}
        if etag:
            conditional["If-None-Match"] = etag
        if last_modified:
            conditional["If-Modified-Since"] = last_modified
        url = url.strip()
        try:
            result = await self._bounded(self._client, conditional, url)
        except FetchError as error:
            error.url = error.url or url
            logger.warning("GET %s failed (%s): %s", url_host(url), error.kind, error.message)
            raise
        logger.debug("GET %s -> %d, %d bytes", url_host(result.url), result.status, len(result.content))
        return result

    async def _bounded(self, client: httpx.AsyncClient, conditional: dict[str, str], url: str) -> FetchResult:
        """Return one GET with its redirects, holding its slots, within the total deadline.

        With ``limits.wait_in_deadline`` the wait for the slots counts toward the deadline, and a
        request still waiting after ``SLOT_WAIT_SHARE`` of it fails as "busy" without being sent.
        """
        loop = asyncio.get_running_loop()
        total = self.limits.total_timeout
        wait = total * SLOT_WAIT_SHARE if self.limits.wait_in_deadline else None
        progress = _Progress(url=url, started=loop.time())
        async with contextlib.AsyncExitStack() as held:
            try:
                async with asyncio.timeout(wait):
                    await held.enter_async_context(self.hosts.slot(_host(url)))
                    await held.enter_async_context(self._slots)
            except TimeoutError:
                raise FetchError("busy", f"no free slot for {_host(url)} within {wait:g} s", url=url) from None
            waited, progress.started = loop.time() - progress.started, loop.time()
            left = total - waited if wait is not None else total
            try:
                async with asyncio.timeout(left):
                    return await self._follow(client, conditional, progress)
            except TimeoutError:
                message = f"timed out after {total:g} s {progress.phase}"
                raise FetchError("timeout", message, url=progress.url) from None

    async def _follow(self, client: httpx.AsyncClient, conditional: dict[str, str], progress: _Progress) -> FetchResult:
        """Return the final response's result, each redirect hop checked by the SSRF guard."""
        current = progress.url
        visited: set[str] = set()
        for _hop in range(self.limits.max_redirects + 1):
            await self._check(current)
            visited.add(current)
            progress.phase = "waiting for the response"
            response = await self._send(client, current, conditional)
            try:
                location = response.headers.get("location")
                if response.status_code in REDIRECT_STATUSES and location:
                    current = redirect_target(current, location)
                    if current in visited:
                        raise FetchError("too_many_redirects", f"redirect loop back to {url_host(current)}")
                    continue
                return await self._finish(response, current, conditional, progress)
            finally:
                await response.aclose()
        raise FetchError("too_many_redirects", f"more than {self.limits.max_redirects} redirects")

    async def _check(self, url: str) -> None:
        """Raise FetchError unless the SSRF guard lets ``url`` through."""
        try:
            await check_url(url, allow_private=self.allow_private)
        except InvalidURLError as exc:
            raise FetchError("invalid_url", f"invalid URL: {exc}", url=url) from exc
        except UnsafeURLError as exc:
            raise FetchError("unsafe_url", str(exc), url=url) from exc
        except HostLookupError as exc:
            raise FetchError("connect", str(exc), url=url) from exc

    async def _send(self, client: httpx.AsyncClient, url: str, headers: dict[str, str]) -> httpx.Response:
        """Return the streamed response to one GET; FetchError on a transport failure."""
        try:
            request = client.build_request("GET", url, headers=headers)
            return await client.send(request, stream=True)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise FetchError("invalid_url", f"invalid URL: {exc}", url=url) from exc
        except httpx.HTTPError as exc:
            raise transport_error(exc, url, self.limits, "waiting for the response") from exc

    async def _finish(
        self,
        response: httpx.Response,
        url: str,
        conditional: dict[str, str],
        progress: _Progress,
    ) -> FetchResult:
        """Return the result of a final (non-redirect) response; FetchError for a bad status."""
        status = response.status_code
        if status == httpx.codes.NOT_MODIFIED:
            headers = response_headers(response, conditional)
            return FetchResult(url, status, b"", headers, True, self._elapsed(progress))
        if status in PAUSING_STATUSES:
            wait = retry_after_seconds(response.headers.get("retry-after"))
            if wait:
                self.hosts.pause(_host(url), wait)
        if not 200 <= status < 300:
            reason = response.reason_phrase or httpx.codes.get_reason_phrase(status)
            extra = " without a Location header" if status in REDIRECT_STATUSES else ""
            raise FetchError("http_status", f"HTTP {status} {reason}{extra}", status=status)
        progress.phase = "reading the body"
        content = await read_body(response, url, self.limits)
        return FetchResult(url, status, content, response_headers(response, {}), False, self._elapsed(progress))

    def _elapsed(self, progress: _Progress) -> float:
        """Return the seconds since the GET started."""
        return asyncio.get_running_loop().time() - progress.started


def _host(url: str) -> str:
    """Return the host name a URL names, lower-cased ("" when it cannot be read)."""
    try:
        return httpx.URL(url).host.lower()
    except (httpx.InvalidURL, ValueError, TypeError):
        return ""
