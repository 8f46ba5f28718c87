"""A lean HTTP transport for bulk sends: keep-alive HTTP/1.1 connections on asyncio streams.

python-telegram-bot's httpx transport costs 1–2.5 ms of CPU per request on a 2-core machine,
most of it in httpcore's pool bookkeeping (every idle connection polled on every request),
which caps one process at a few hundred messages a second. Digests and alerts are many small
POSTs to one host, so this transport keeps a few connections open and writes each request in
one piece (≈0.1 ms). It is a ``BaseRequest``: python-telegram-bot still builds the request and
turns every answer into its exceptions (``RetryAfter``, ``Forbidden``, ``ChatMigrated``, …),
so the sender handles Telegram's errors exactly as before. Files are not supported (bulk sends
carry text, and a lead picture only as a link preview's URL); a proxy in the environment keeps
the ordinary transport (``bulk_request``).
"""

from __future__ import annotations

import asyncio
import logging
import ssl
import time
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from telegram import Bot
from telegram.error import NetworkError, TimedOut
from telegram.ext import BaseRateLimiter, ExtBot
from telegram.request import BaseRequest, RequestData

from bot.telegram.request import BotApiRequest

logger = logging.getLogger(__name__)

CONNECTIONS = 16  # as many as the sender keeps in flight (bot.telegram.delivery.SEND_CONCURRENCY)
CONNECT_TIMEOUT = READ_TIMEOUT = WRITE_TIMEOUT = 5.0
POOL_TIMEOUT = 1.0
# An idle connection older than this is closed rather than reused: servers drop idle
# keep-alive connections after a minute or so, and a request written into one is lost.
IDLE_SECONDS = 20.0
MAX_HEADER_LINES = 100
MAX_BODY = 2**20

Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter, float]  # reader, writer, idle since


class StaleConnection(Exception):
    """A reused connection closed before answering: the request was not read, send it again."""


class KeepAliveRequest(BaseRequest):
    """PTB's request interface over a small pool of keep-alive HTTP/1.1 connections to one host."""

    parse_json_payload = staticmethod(BotApiRequest.parse_json_payload)  # a proxy's HTML page: one clear line

    def __init__(self, connections: int = CONNECTIONS) -> None:
        """Allow up to ``connections`` requests in flight, each on a connection of its own."""
        self._slots = asyncio.Semaphore(connections)
        self._idle: dict[tuple[str, str, int], list[Connection]] = {}
        self._ssl: ssl.SSLContext | None = None

    @property
    def read_timeout(self) -> float:
        """Seconds to wait for an answer."""
        return READ_TIMEOUT

    async def initialize(self) -> None:
        """Nothing to open: connections are made on first use."""

    async def shutdown(self) -> None:
        """Close every idle connection."""
        for pool in self._idle.values():
            for _, writer, _ in pool:
                writer.close()
        self._idle.clear()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        """POST the parameters as JSON; (status, body). Timeouts are this transport's own."""
        if request_data is not None and request_data.contains_files:
            raise NetworkError("the keep-alive transport sends no files")
        parts = urlsplit(url)
        origin = (parts.scheme, parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
        body = request_data.json_payload if request_data else b""
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        head = (
            f"{method} {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nUser-Agent: {self.USER_AGENT}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        try:
            async with asyncio.timeout(POOL_TIMEOUT):
                await self._slots.acquire()
        except TimeoutError as exc:
            raise TimedOut("Pool timeout: every keep-alive connection is busy; the request was not sent") from exc
        try:
            for _ in range(2):  # a stale reused connection is replaced once
                conn, reused = await self._connection(origin)
                try:
                    return await self._exchange(origin, conn, head + body, reused)
                except StaleConnection:
                    continue
            raise NetworkError("the Bot API closed two connections without answering")
        finally:
            self._slots.release()

    async def _connection(self, origin: tuple[str, str, int]) -> tuple[Connection, bool]:
        """An idle connection to the origin that is still open, or a new one; and whether it was reused."""
        pool = self._idle.setdefault(origin, [])
        now = time.monotonic()
        while pool:
            reader, writer, since = pool.pop()
            if now - since < IDLE_SECONDS and not reader.at_eof() and not writer.is_closing():
                return (reader, writer, since), True
            writer.close()
        scheme, host, port = origin
        if scheme == "https" and self._ssl is None:
            self._ssl = _tls_context()
        try:
            async with asyncio.timeout(CONNECT_TIMEOUT):
                reader, writer = await asyncio.open_connection(
                    host, port, ssl=self._ssl if scheme == "https" else None, limit=2**20
                )
        except TimeoutError as exc:
            raise TimedOut("connecting to the Bot API timed out") from exc
        except OSError as exc:
            raise NetworkError(f"cannot connect to the Bot API: {exc}") from exc
        return (reader, writer, now), False

    async def _exchange(
        self, origin: tuple[str, str, int], conn: Connection, request: bytes, reused: bool
    ) -> tuple[int, bytes]:
        """Write one request and read its answer; the connection goes back to the pool if it may be kept."""
        reader, writer, _ = conn
        keep = False
        try:
            async with asyncio.timeout(WRITE_TIMEOUT):
                writer.write(request)
                await writer.drain()
            async with asyncio.timeout(READ_TIMEOUT):
                status_line = await reader.readline()
                if not status_line:
                    if reused:
                        raise StaleConnection
                    raise NetworkError("the Bot API closed the connection without answering")
                status, keep, body = await _read_answer(status_line, reader)
            return status, body
        except TimeoutError as exc:
            raise TimedOut("the Bot API did not answer in time") from exc
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
            if reused and isinstance(exc, ConnectionResetError):
                raise StaleConnection from exc
            raise NetworkError(f"HTTP exchange with the Bot API failed: {exc!r}") from exc
        finally:
            if keep:
                self._idle[origin].append((reader, writer, time.monotonic()))
            else:
                writer.close()


async def _read_answer(status_line: bytes, reader: asyncio.StreamReader) -> tuple[int, bool, bytes]:
    """(status, whether the connection may be kept, body) of one HTTP/1.1 answer."""
    version, status, *_ = status_line.decode("latin-1").split(" ", 2)
    headers: dict[str, str] = {}
    for _ in range(MAX_HEADER_LINES):
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    else:
        raise ValueError("too many header lines")
    keep = version == "HTTP/1.1" and headers.get("connection", "").lower() != "close"
    if "chunked" in headers.get("transfer-encoding", "").lower():
        chunks = []
        while size := int((await reader.readline()).split(b";")[0], 16):
            chunks.append(await reader.readexactly(size))
            await reader.readline()
        while (await reader.readline()) not in (b"\r\n", b"\n", b""):  # trailers
            pass
        return int(status), keep, b"".join(chunks)
    if "content-length" in headers:
        return int(status), keep, await reader.readexactly(int(headers["content-length"]))
    body = b""
    while len(body) < MAX_BODY and (chunk := await reader.read(MAX_BODY - len(body))):
        body += chunk
    return int(status), False, body


def _tls_context() -> ssl.SSLContext:
    """The certificate store httpx uses (certifi's), so TLS trusts what the ordinary transport trusts."""
    try:
        import certifi
    except ImportError:  # certifi comes with httpx; the system store is the fallback
        return ssl.create_default_context()
    return ssl.create_default_context(cafile=certifi.where())


def bulk_request(api_url: str) -> BaseRequest:
    """The transport for bulk sends to this Bot API URL: keep-alive, or PTB's own behind a proxy."""
    parts = urlsplit(api_url)
    if parts.scheme in urllib.request.getproxies() and not urllib.request.proxy_bypass(parts.hostname or ""):
        logger.info("a %s proxy is configured: bulk sends use the ordinary transport", parts.scheme)
        return BotApiRequest(connection_pool_size=CONNECTIONS)
    return KeepAliveRequest()


class BulkBot(ExtBot[None]):
    """A bot whose calls answer plain JSON: no Message, User or Chat objects built for a bulk send."""

    async def call(self, method: str, params: dict[str, Any]) -> Any:
        """One Bot API call through the rate limiter; its result as decoded JSON, errors as PTB raises them."""
        # Bot._post is the step below every typed method (PTB documents _do_post beneath it as
        # the override point); do_api_request would warn on every call to a method PTB types.
        return await self._post(method, dict(params))


def bulk_bot(bot: Bot, limiter: BaseRateLimiter[Any] | None = None) -> BulkBot:
    """A twin of ``bot`` for bulk sends: same token and URL, the lean transport, and the bot's
    rate limiter unless another is given (senders paced by a shared budget lift the bot's own)."""
    if limiter is None:
        limiter = bot.rate_limiter if isinstance(bot, ExtBot) else None
    url = bot.base_url
    return BulkBot(bot.token, base_url=lambda _token: url, request=bulk_request(url), rate_limiter=limiter)
