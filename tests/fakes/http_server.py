"""A minimal keep-alive HTTP/1.1 server on an asyncio ``Protocol``, fast enough for benchmarks.

The fake Bot API needs thousands of small request/response round trips per second from one
httpx pool, so it avoids ``http.server`` (a thread per connection, slow header parsing) and
parses just what clients send: a request line, headers, and a body framed by
``Content-Length`` or chunked transfer encoding.  A handler returns either a response or an
awaitable of one; requests on one connection are answered strictly in order.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http import HTTPStatus

logger = logging.getLogger(__name__)

MAX_HEAD_BYTES = 64 * 1024
MAX_BODY_BYTES = 64 * 1024 * 1024


class HttpParseError(Exception):
    """The bytes on the wire are not an HTTP/1.1 request we can answer."""


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """One parsed request; header names are lower-cased."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes

    @property
    def path(self) -> str:
        """The target without its query string."""
        return self.target.partition("?")[0]

    @property
    def query(self) -> str:
        """The raw query string (may be empty)."""
        return self.target.partition("?")[2]

    @property
    def keep_alive(self) -> bool:
        """HTTP/1.1 keeps the connection open unless the client says otherwise."""
        return self.headers.get("connection", "").lower() != "close"


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """A complete response body with its status."""

    status: int
    body: bytes
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)

    def encode(self, keep_alive: bool) -> bytes:
        """Serialise status line, headers and body."""
        extra = "".join(f"{name}: {value}\r\n" for name, value in self.headers.items())
        head = (
            f"HTTP/1.1 {self.status} {_reason(self.status)}\r\n"
            f"Content-Type: {self.content_type}\r\n"
            f"Content-Length: {len(self.body)}\r\n"
            f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n"
            f"{extra}\r\n"
        )
        return head.encode("latin-1") + self.body


Handler = Callable[[HttpRequest], "HttpResponse | Awaitable[HttpResponse]"]


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def parse_request(buf: bytearray) -> tuple[HttpRequest, int] | None:
    """Parse one request from the front of ``buf``; ``None`` while it is incomplete."""
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        if len(buf) > MAX_HEAD_BYTES:
            raise HttpParseError("request head too large")
        return None
    lines = bytes(buf[:end]).decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        # The line itself is not echoed: it may carry a bot token in its path.
        raise HttpParseError(f"malformed request line ({len(parts)} space-separated parts)")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if not sep:
            raise HttpParseError("malformed header line (no colon)")
        headers[name.strip().lower()] = value.strip()
    start = end + 4
    if "chunked" in headers.get("transfer-encoding", "").lower():
        dechunked = _dechunk(buf, start)
        if dechunked is None:
            return None
        body, consumed = dechunked
    else:
        try:
            length = int(headers.get("content-length", "0"))
        except ValueError as exc:
            raise HttpParseError("Content-Length is not a number") from exc
        if length < 0 or length > MAX_BODY_BYTES:
            raise HttpParseError(f"Content-Length {length} out of range")
        if len(buf) - start < length:
            return None
        body, consumed = bytes(buf[start : start + length]), start + length
    return HttpRequest(parts[0].upper(), parts[1], headers, body), consumed


def _dechunk(buf: bytearray, pos: int) -> tuple[bytes, int] | None:
    """Decode a chunked body starting at ``pos``; ``None`` while it is incomplete."""
    body = bytearray()
    while True:
        line_end = buf.find(b"\r\n", pos)
        if line_end < 0:
            return None
        try:
            size = int(bytes(buf[pos:line_end]).split(b";")[0], 16)
        except ValueError as exc:
            raise HttpParseError("bad chunk size") from exc
        if len(body) + size > MAX_BODY_BYTES:
            raise HttpParseError("chunked body too large")
        pos = line_end + 2
        if size == 0:
            trailer_end = buf.find(b"\r\n\r\n", pos - 2)
            if trailer_end < 0:
                return None
            return bytes(body), trailer_end + 4
        if len(buf) < pos + size + 2:
            return None
        body += buf[pos : pos + size]
        pos += size + 2


class HttpConnection(asyncio.Protocol):
    """One client connection: buffer bytes, parse requests, answer them in order."""

    def __init__(self, handler: Handler, live: set[HttpConnection]) -> None:
        self._handler = handler
        self._live = live
        self._buffer = bytearray()
        self._transport: asyncio.Transport | None = None
        self._task: asyncio.Task[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Remember the transport so the server can close it on shutdown."""
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self._live.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        """Drop a pending slow answer (e.g. a long poll) when the client goes away."""
        self._live.discard(self)
        if self._task is not None:
            self._task.cancel()
        self._transport = None

    def close(self) -> None:
        """Close the connection from the server side."""
        if self._transport is not None:
            self._transport.close()

    def data_received(self, data: bytes) -> None:
        """Buffer the bytes and answer every complete request not waiting behind a slow one."""
        self._buffer += data
        if self._task is None:
            self._drain()

    def _drain(self) -> None:
        while self._transport is not None and not self._transport.is_closing():
            try:
                parsed = parse_request(self._buffer)
            except HttpParseError as exc:
                logger.warning("Closing connection after a malformed HTTP request: %s", exc)
                body = json.dumps({"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"}).encode()
                self._transport.write(HttpResponse(400, body).encode(keep_alive=False))
                self._transport.close()
                return
            if parsed is None:
                return
            request, consumed = parsed
            del self._buffer[:consumed]
            try:
                result = self._handler(request)
            except Exception:
                logger.exception("Fake server handler failed for %s %s", request.method, request.path)
                result = HttpResponse(500, b'{"ok": false, "error_code": 500}')
            if isinstance(result, HttpResponse):
                self._write(result, request.keep_alive)
            else:
                self._task = asyncio.ensure_future(self._finish(result, request.keep_alive))
                return

    async def _finish(self, pending: Awaitable[HttpResponse], keep_alive: bool) -> None:
        try:
            response = await pending
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("Fake server handler failed")
            response = HttpResponse(500, b'{"ok": false, "error_code": 500}')
        self._task = None
        self._write(response, keep_alive)
        self._drain()

    def _write(self, response: HttpResponse, keep_alive: bool) -> None:
        if self._transport is None or self._transport.is_closing():
            return
        self._transport.write(response.encode(keep_alive))
        if not keep_alive:
            self._transport.close()
