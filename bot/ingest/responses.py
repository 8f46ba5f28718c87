"""What a fetch is allowed and what it gives back: limits, results, errors, the body's decoding.

``FetchLimits`` bounds one request; ``FetchResult`` and ``FetchHeaders`` are what a GET gives
the rest of the bot; every failure is a ``FetchError`` with a machine-readable ``kind``.
``CappedInflater`` undoes Content-Encoding with a cap on the output (httpx would inflate
each network chunk whole, up to ~1000x its size), and ``redirect_target`` resolves a
redirect's Location. The client that uses them is ``bot.ingest.fetch``.
"""

from __future__ import annotations

import logging
import zlib
from dataclasses import dataclass

import httpx

logger = logging.getLogger(__name__)

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
    # Per host: requests at once (0: no limit) and seconds between their starts (politeness).
    per_host: int = 0
    host_delay: float = 0.0
    # Whether the wait for a free slot counts toward total_timeout. True for readers' links,
    # where someone waits for the answer: a request still waiting after half of it fails with
    # kind "busy". False for ingestion, whose queue per host is the design: the deadline starts
    # once the request holds its slots.
    wait_in_deadline: bool = False


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
        """Keep the kind, message, URL and HTTP status (if any)."""
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.url = url
        self.status = status


class CappedInflater:
    """Undoes Content-Encoding while counting output, so a zip bomb stops at the cap."""

    def __init__(self, encoding: str, limit: int):
        """Prepare to undo ``encoding``; FetchError for one that cannot be undone here."""
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
        """Return ``data`` after adding it to the output size; FetchError past the cap."""
        self.size += len(data)
        if self.size > self.limit:
            raise FetchError("too_large", f"body larger than {size_text(self.limit)}")
        return data


def redirect_target(current: str, location: str) -> str:
    """Return the absolute URL a redirect's Location points to; FetchError if it is malformed."""
    try:
        return str(httpx.URL(current).join(location.strip()).copy_with(fragment=None))
    except (httpx.InvalidURL, ValueError) as exc:
        raise FetchError("invalid_url", f"bad redirect Location: {exc}") from exc


def response_headers(response: httpx.Response, conditional: dict[str, str]) -> FetchHeaders:
    """Return the headers the bot keeps from a response (a 304 keeps the validators sent)."""
    # A 304 may omit the validators; the ones sent still describe the cached copy.
    content_type = response.headers.get("content-type")
    return FetchHeaders(
        etag=response.headers.get("etag") or conditional.get("If-None-Match"),
        last_modified=response.headers.get("last-modified") or conditional.get("If-Modified-Since"),
        content_type=content_type.split(";", 1)[0].strip().lower() if content_type else None,
        charset=response.charset_encoding,
    )


def size_text(n: int) -> str:
    """Return a byte count for people: "1.5 MB", "12.0 kB", "80 bytes"."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.1f} kB"
    return f"{n} bytes"


def transport_error(exc: httpx.HTTPError, url: str, limits: FetchLimits, phase: str) -> FetchError:
    """Return the FetchError that says in words what the transport failure was."""
    host = httpx.URL(url).host
    if isinstance(exc, httpx.ConnectTimeout):
        message = f"could not connect to {host} within {limits.connect_timeout:g} s"
        return FetchError("timeout", message)
    if isinstance(exc, httpx.TimeoutException):
        message = f"no data for {limits.read_timeout:g} s while {phase}"
        return FetchError("timeout", message)
    if isinstance(exc, httpx.ConnectError):
        return FetchError("connect", f"cannot connect to {host}: {exc or type(exc).__name__}")
    return FetchError("network", f"network error while {phase}: {exc or type(exc).__name__}")


async def read_body(response: httpx.Response, url: str, limits: FetchLimits) -> bytes:
    """Return the decoded body; FetchError past the size cap or on a transport failure."""
    limit = limits.max_bytes
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(
            "too_large",
            f"body larger than {size_text(limit)} (Content-Length {size_text(int(declared))})",
        )
    inflater = CappedInflater(response.headers.get("content-encoding", ""), limit)
    parts: list[bytes] = []
    try:
        async for chunk in response.aiter_raw():
            parts.append(inflater.feed(chunk))
    except httpx.HTTPError as exc:
        raise transport_error(exc, url, limits, "reading the body") from exc
    parts.append(inflater.flush())
    return b"".join(parts)
