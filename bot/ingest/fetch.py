"""Careful HTTP GETs of feeds and article pages from servers nobody vetted.

One ``Fetcher`` per process wraps an ``httpx.AsyncClient``. Every request is bounded:
at most ``concurrency`` at once, a deadline for the whole exchange, and a body-size cap
that also holds for compressed bodies (decompression is done here with a limit on the
output, because httpx inflates each network chunk whole, up to ~1000x its size).
Redirects are followed by hand so that every hop passes ``bot.ingest.netguard``. Conditional
GETs (ETag / Last-Modified) save bandwidth on feeds that did not change. Every failure
is a ``FetchError`` whose ``kind`` says what went wrong, logged once.
"""

from __future__ import annotations

import asyncio
import logging
import zlib
from dataclasses import dataclass
from types import TracebackType
from typing import Self

import httpx

from bot.ingest.netguard import HostLookupError, InvalidURLError, UnsafeURLError, check_url

logger = logging.getLogger(__name__)

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, application/xhtml+xml;q=0.8, "
    "*/*;q=0.5"
)
ACCEPT_LANGUAGE = "id, en;q=0.7"
# Only what can be inflated here with an output cap; brotli is not offered.
ACCEPT_ENCODING = "gzip, deflate"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class FetchLimits:
    """Bounds on one request; the defaults suit news feeds and article pages."""

    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 30.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    concurrency: int = 8
    user_agent: str = "Ringkas/0.1 (+https://github.com/ringkas/ringkas)"


DEFAULT_LIMITS = FetchLimits()


@dataclass(frozen=True)
class FetchHeaders:
    """The response headers the rest of the bot uses."""

    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None  # the media type only, lower-cased
    charset: str | None = None


@dataclass(frozen=True)
class FetchResult:
    """A successful GET (or 304): final URL, status and the decoded body bytes."""

    url: str
    status: int
    content: bytes
    headers: FetchHeaders
    not_modified: bool = False
    elapsed: float = 0.0

    @property
    def etag(self) -> str | None:
        """The response's ETag, to send back next time."""
        return self.headers.etag

    @property
    def last_modified(self) -> str | None:
        """The response's Last-Modified, to send back next time."""
        return self.headers.last_modified

    @property
    def content_type(self) -> str | None:
        """The media type, e.g. "application/rss+xml"."""
        return self.headers.content_type

    @property
    def charset(self) -> str | None:
        """The charset named in Content-Type, if any."""
        return self.headers.charset


class FetchError(Exception):
    """A GET that failed; ``kind`` is machine-readable, the message is for people."""

    def __init__(self, kind: str, message: str, *, url: str = "", status: int | None = None):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.url = url
        self.status = status


@dataclass
class _Progress:
    url: str
    started: float
    phase: str = "connecting"


class Fetcher:
    """Async context manager owning the HTTP client; create one per process."""

    def __init__(
        self,
        limits: FetchLimits = DEFAULT_LIMITS,
        *,
        allow_private: bool = False,
        transport: httpx.AsyncBaseTransport | None = None,
    ):
        self.limits = limits
        self.allow_private = allow_private
        self._transport = transport
        self._slots = asyncio.Semaphore(limits.concurrency)
        self._client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> Self:
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
            limits=httpx.Limits(
                max_connections=limits.concurrency, max_keepalive_connections=limits.concurrency
            ),
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
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET a URL within the limits; raise FetchError on any failure."""
        if self._client is None:
            raise RuntimeError("Fetcher is not open: use 'async with Fetcher() as fetcher'")
        conditional = {}
        if etag:
            conditional["If-None-Match"] = etag
        if last_modified:
            conditional["If-Modified-Since"] = last_modified
        async with self._slots:
            loop = asyncio.get_running_loop()
            progress = _Progress(url=url.strip(), started=loop.time())
            try:
                async with asyncio.timeout(self.limits.total_timeout):
                    result = await self._follow(self._client, conditional, progress)
            except TimeoutError:
                error = FetchError(
                    "timeout",
                    f"timed out after {self.limits.total_timeout:g} s {progress.phase}",
                    url=progress.url,
                )
            except FetchError as exc:
                error = exc
            else:
                logger.debug(
                    "GET %s -> %d, %d bytes", result.url, result.status, len(result.content)
                )
                return result
        error.url = error.url or progress.url
        logger.warning("GET %.300s failed (%s): %s", progress.url, error.kind, error.message)
        raise error

    async def _follow(
        self, client: httpx.AsyncClient, conditional: dict[str, str], progress: _Progress
    ) -> FetchResult:
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
                    current = _redirect_target(current, location)
                    if current in visited:
                        raise FetchError("too_many_redirects", f"redirect loop back to {current}")
                    continue
                return await self._finish(response, current, conditional, progress)
            finally:
                await response.aclose()
        raise FetchError("too_many_redirects", f"more than {self.limits.max_redirects} redirects")

    async def _check(self, url: str) -> None:
        try:
            await check_url(url, allow_private=self.allow_private)
        except InvalidURLError as exc:
            raise FetchError("invalid_url", f"invalid URL: {exc}", url=url) from exc
        except UnsafeURLError as exc:
            raise FetchError("unsafe_url", str(exc), url=url) from exc
        except HostLookupError as exc:
            raise FetchError("connect", str(exc), url=url) from exc

    async def _send(
        self, client: httpx.AsyncClient, url: str, headers: dict[str, str]
    ) -> httpx.Response:
        try:
            request = client.build_request("GET", url, headers=headers)
            return await client.send(request, stream=True)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise FetchError("invalid_url", f"invalid URL: {exc}", url=url) from exc
        except httpx.HTTPError as exc:
            raise self._transport_error(exc, url, "waiting for the response") from exc

    async def _finish(
        self,
        response: httpx.Response,
        url: str,
        conditional: dict[str, str],
        progress: _Progress,
    ) -> FetchResult:
        status = response.status_code
        if status == httpx.codes.NOT_MODIFIED:
            headers = _headers(response, conditional)
            return FetchResult(url, status, b"", headers, True, self._elapsed(progress))
        if not 200 <= status < 300:
            reason = response.reason_phrase or httpx.codes.get_reason_phrase(status)
            extra = " without a Location header" if status in REDIRECT_STATUSES else ""
            raise FetchError("http_status", f"HTTP {status} {reason}{extra}", status=status)
        progress.phase = "reading the body"
        content = await self._read_body(response, url)
        return FetchResult(
            url, status, content, _headers(response, {}), False, self._elapsed(progress)
        )

    async def _read_body(self, response: httpx.Response, url: str) -> bytes:
        limit = self.limits.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(
                "too_large",
                f"body larger than {_size(limit)} (Content-Length {_size(int(declared))})",
            )
        inflater = _CappedInflater(response.headers.get("content-encoding", ""), limit)
        parts: list[bytes] = []
        try:
            async for chunk in response.aiter_raw():
                parts.append(inflater.feed(chunk))
        except httpx.HTTPError as exc:
            raise self._transport_error(exc, url, "reading the body") from exc
        parts.append(inflater.flush())
        return b"".join(parts)

    def _transport_error(self, exc: httpx.HTTPError, url: str, phase: str) -> FetchError:
        host = httpx.URL(url).host
        if isinstance(exc, httpx.ConnectTimeout):
            message = f"could not connect to {host} within {self.limits.connect_timeout:g} s"
            return FetchError("timeout", message)
        if isinstance(exc, httpx.TimeoutException):
            message = f"no data for {self.limits.read_timeout:g} s while {phase}"
            return FetchError("timeout", message)
        if isinstance(exc, httpx.ConnectError):
            return FetchError("connect", f"cannot connect to {host}: {exc or type(exc).__name__}")
        return FetchError("network", f"network error while {phase}: {exc or type(exc).__name__}")

    def _elapsed(self, progress: _Progress) -> float:
        return asyncio.get_running_loop().time() - progress.started


class _CappedInflater:
    """Undoes Content-Encoding while counting output, so a zip bomb stops at the cap."""

    def __init__(self, encoding: str, limit: int):
        self.encoding = encoding.strip().lower()
        self.limit = limit
        self.size = 0
        self._zlib: zlib._Decompress | None = None
        if self.encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.encoding not in ("", "identity", "deflate"):
            raise FetchError("decode", f"unsupported Content-Encoding {encoding!r}")

    def feed(self, data: bytes) -> bytes:
        """Decoded bytes for the next raw chunk."""
        if not data:
            return b""
        if self.encoding == "deflate" and self._zlib is None:
            # "deflate" should be zlib-wrapped, but many servers send raw deflate.
            wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and int.from_bytes(data[:2]) % 31 == 0
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        if self._zlib is None:
            return self._count(data)
        try:
            # One byte past the remaining budget is enough to know the cap is exceeded.
            return self._count(self._zlib.decompress(data, self.limit - self.size + 1))
        except zlib.error as exc:
            raise FetchError("decode", f"corrupt {self.encoding} body: {exc}") from exc

    def flush(self) -> bytes:
        """Whatever the decompressor still holds."""
        return self._count(self._zlib.flush()) if self._zlib is not None else b""

    def _count(self, data: bytes) -> bytes:
        self.size += len(data)
        if self.size > self.limit:
            raise FetchError("too_large", f"body larger than {_size(self.limit)}")
        return data


def _redirect_target(current: str, location: str) -> str:
    try:
        return str(httpx.URL(current).join(location.strip()).copy_with(fragment=None))
    except (httpx.InvalidURL, ValueError) as exc:
        raise FetchError("invalid_url", f"bad redirect Location {location!r}: {exc}") from exc


def _headers(response: httpx.Response, conditional: dict[str, str]) -> FetchHeaders:
    # A 304 may omit the validators; the ones sent still describe the cached copy.
    content_type = response.headers.get("content-type")
    return FetchHeaders(
        etag=response.headers.get("etag") or conditional.get("If-None-Match"),
        last_modified=response.headers.get("last-modified") or conditional.get("If-Modified-Since"),
        content_type=content_type.split(";", 1)[0].strip().lower() if content_type else None,
        charset=response.charset_encoding,
    )


def _size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.1f} kB"
    return f"{n} bytes"
