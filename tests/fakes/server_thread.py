"""Run an ``http_server`` handler on its own event loop in a daemon thread.

Tests keep their own event loop for the bot under test, and a bot subprocess may be killed
and restarted, so the fake server lives in a thread of the test process: it keeps serving
(and remembering) whatever happens to its clients.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable

from tests.fakes.http_server import Handler, HttpConnection

logger = logging.getLogger(__name__)


class ServerThread:
    """Bind ``host:port`` (0 = any free port) and serve ``handler`` until ``stop()``."""

    startup_timeout_seconds = 10.0

    def __init__(self, handler: Handler, host: str, port: int, name: str) -> None:
        self._handler = handler
        self.host, self.port, self._name = host, port, name
        self.loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[HttpConnection] = set()

    def start(self) -> None:
        """Return once the port accepts connections; raise ``RuntimeError`` if it cannot bind."""
        if self._thread is not None:
            raise RuntimeError(f"{self._name} is already running")
        ready, failure = threading.Event(), list[BaseException]()
        self._thread = threading.Thread(target=self._serve, args=(ready, failure), name=self._name, daemon=True)
        self._thread.start()
        if not ready.wait(self.startup_timeout_seconds) or failure:
            self._thread = None
            reason = failure[0] if failure else "timed out"
            raise RuntimeError(f"{self._name} could not listen on {self.host}:{self.port}: {reason}")

    def stop(self) -> None:
        """Close every connection and end the thread; a no-op when not running."""
        loop, thread = self.loop, self._thread
        if loop is None or thread is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(self.startup_timeout_seconds)
        self._thread = self.loop = None

    def cpu_seconds(self) -> float:
        """CPU time the server thread has used (0.0 when not running), for benchmarks."""
        thread = self._thread
        if thread is None or thread.ident is None:
            return 0.0
        return time.clock_gettime(time.pthread_getcpuclockid(thread.ident))

    def call_soon(self, callback: Callable[[], object]) -> None:
        """Schedule ``callback()`` on the server loop from any thread (dropped when stopped)."""
        loop = self.loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(callback)

    def _serve(self, ready: threading.Event, failure: list[BaseException]) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            server = loop.run_until_complete(
                loop.create_server(lambda: HttpConnection(self._handler, self._connections), self.host, self.port)
            )
        except OSError as exc:
            logger.error("%s could not bind %s:%s: %s", self._name, self.host, self.port, exc)
            failure.append(exc)
            loop.close()
            ready.set()
            return
        self.port = server.sockets[0].getsockname()[1]
        self.loop = loop
        ready.set()
        try:
            loop.run_forever()
        finally:
            server.close()
            for connection in list(self._connections):
                connection.close()
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.close()
