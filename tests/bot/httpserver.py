"""A small threaded HTTP server on 127.0.0.1 for tests that need a real socket.

``LocalServer`` is a context manager; register a handler per path with ``route`` and
build addresses with ``url``. A handler takes the ``Request`` and returns a ``Response``
whose body is bytes or an iterable of byte chunks (streamed with a flush after each,
which is how a trickling or endless server is written). Every request is recorded in
``requests``. Handlers that should hang wait on ``stopping``, which is set when the
server stops, so no test leaves a thread behind. Unrouted paths answer 404.

    with LocalServer() as server:
        server.route("/feed", respond(b"<rss/>", headers={"Content-Type": "text/xml"}))
        fetch(server.url("/feed"))
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self
from urllib.parse import urlsplit

HOST = "127.0.0.1"
# Long enough for any test, short enough that a forgotten hang cannot stall a run.
HANG_LIMIT_SECONDS = 30.0
# How often serve_forever looks for a shutdown request; the default 0.5 s slows teardown.
POLL_INTERVAL_SECONDS = 0.01


@dataclass(frozen=True)
class Request:
    """What the client sent; header names are lower-cased."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Response:
    """What to answer; a bytes body gets a Content-Length unless ``content_length`` is False."""

    status: int = 200
    body: bytes | Iterable[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_length: bool = True


Handler = Callable[[Request], Response]


def respond(body: bytes = b"", status: int = 200, headers: dict[str, str] | None = None) -> Handler:
    """A handler that always gives the same answer."""
    return lambda _request: Response(status, body, dict(headers or {}))


def redirect(location: str, status: int = 302) -> Handler:
    """A handler that redirects to ``location`` (absolute or relative)."""
    return respond(status=status, headers={"Location": location})


def closed_port() -> int:
    """A port on 127.0.0.1 nobody listens on (connections to it are refused)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
    return port


class LocalServer:
    """A threaded HTTP/1.1 server on 127.0.0.1 with per-path handlers."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[Request] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer((HOST, 0), _make_handler_class(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(POLL_INTERVAL_SECONDS,), daemon=True)

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self._httpd.server_address[1])

    def url(self, path: str = "/") -> str:
        """The full http:// address of a path on this server."""
        return f"http://{HOST}:{self.port}{path}"

    def route(self, path: str, handler: Handler) -> None:
        """Answer requests for ``path`` (query string ignored) with ``handler``."""
        self.routes[path] = handler

    def hang(self) -> Handler:
        """A handler that accepts the request and never answers (until the server stops)."""

        def handler(_request: Request) -> Response:
            self.stopping.wait(HANG_LIMIT_SECONDS)
            return Response(204)

        return handler

    def trickle(self, chunk: bytes = b"x", interval: float = 0.05) -> Handler:
        """A handler that sends headers, then ``chunk`` every ``interval`` s, forever."""

        def body() -> Iterator[bytes]:
            while not self.stopping.wait(interval):
                yield chunk

        return lambda _request: Response(200, body(), {"Content-Type": "text/plain"})

    def start(self) -> None:
        """Start serving in a background thread."""
        self._thread.start()

    def stop(self) -> None:
        """Release hanging handlers and close the socket."""
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _record(self, request: Request) -> Handler | None:
        with self._lock:
            self.requests.append(request)
        return self.routes.get(request.path)


def _make_handler_class(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self._serve()

        def do_HEAD(self) -> None:
            self._serve()

        def do_POST(self) -> None:
            self._serve()

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output clean

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            request = Request(
                method=self.command,
                path=parts.path,
                query=parts.query,
                headers={k.lower(): v for k, v in self.headers.items()},
                body=self.rfile.read(length) if length else b"",
            )
            handler = server._record(request)
            response = handler(request) if handler else Response(404, b"not found")
            # The client giving up mid-answer is what several tests intend.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._send(response)
            self.close_connection = True

        def _send(self, response: Response) -> None:
            self.send_response(response.status)
            headers = {k.lower(): (k, v) for k, v in response.headers.items()}
            if isinstance(response.body, bytes) and response.content_length:
                headers.setdefault("content-length", ("Content-Length", str(len(response.body))))
            headers["connection"] = ("Connection", "close")
            for name, value in headers.values():
                self.send_header(name, value)
            self.end_headers()
            if self.command == "HEAD":
                return
            chunks = [response.body] if isinstance(response.body, bytes) else response.body
            for chunk in chunks:
                self.wfile.write(chunk)
                self.wfile.flush()

    return _Handler
