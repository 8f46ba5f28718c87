"""CPU-bound documents (feeds, article pages, summaries) handled off the event loop, with a time limit.

Parsing is pure Python and holds the GIL, so a thread would still freeze the bot: the work
runs in worker processes instead. ``WorkerPool`` starts them as new interpreters
(``python -m bot.ingest.workerloop``; never a fork of a process that has threads and an event
loop), lazily and at most ``size`` of them, and reuses each for job after job. A job past ``timeout`` seconds gets its worker killed
and raises ``WorkTimeout``; the next job starts a fresh worker in its place. A worker that
dies raises ``WorkerLost`` and is replaced the same way. ``aclose`` stops them all; the
process's services (``bot.ingest.services``) own one pool and close it with the database.
What a worker logs comes back with each answer and is logged by the parent
(``bot.ingest.worklogs``), in the parent's format.

``InlineWork`` runs the same jobs in the calling process, for tests and callers that have
no event loop to protect.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol, TypeVar

from bot.ingest.worklogs import replay

logger = logging.getLogger(__name__)

T = TypeVar("T")

# A fresh worker imports the parsing and summarizing code before it takes a job; that time
# (seconds on a busy machine) is not charged to the first document. These modules import
# neither asyncio nor the HTTP client, which a worker never uses (``bot.ingest.workerloop``).
PRELOAD = ("bot.ingest.feedparse", "bot.ingest.fulltext", "feedparser", "lxml.etree", "summarizer.core")
STARTUP_TIMEOUT = 120.0
CODE_ROOT = str(Path(__file__).resolve().parents[2])  # where ``bot`` is, for the worker's imports
STOP_GRACE = 2.0


class WorkTimeout(Exception):
    """A job ran past its time limit; its worker was killed."""


class WorkerLost(Exception):
    """The worker process died before answering (killed, crashed, out of memory)."""


class Work(Protocol):
    """Somewhere to run a CPU-bound function: a pool of processes, or this process."""

    timeout: float

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Return ``fn(*args, **kwargs)``, raising what it raises."""
        ...


class InlineWork:
    """Runs jobs in this process, on the event loop's thread, with no time limit."""

    timeout = float("inf")

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Return ``fn(*args, **kwargs)`` called right here."""
        return fn(*args, **kwargs)


class _Worker:
    """One worker process and the parent's end of its connection."""

    def __init__(self) -> None:
        """Start the process; it is usable once ``ready`` has returned."""
        # The worker logs at the parent's level; the parent's handlers write what it sends back.
        log_level = logging.getLogger().getEffectiveLevel()
        parent, child = socket.socketpair()
        self.conn = Connection(parent.detach())
        # A plain child process, not multiprocessing's: that would start a resource-tracker
        # process beside the workers and import this program's main module in each of them.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.ingest.workerloop", str(child.fileno()), str(log_level), *PRELOAD],
            pass_fds=[child.fileno()],
            stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [CODE_ROOT, os.environ.get("PYTHONPATH")]))},
        )
        child.close()

    async def receive(self, timeout: float) -> tuple[str, Any]:
        """Wait (without blocking the loop) up to ``timeout`` s for the next answer; log its records."""
        loop = asyncio.get_running_loop()
        readable: asyncio.Future[None] = loop.create_future()
        fd = self.conn.fileno()

        def wake() -> None:
            """Resolve the wait once the connection has data (or was closed)."""
            if not readable.done():
                readable.set_result(None)

        loop.add_reader(fd, wake)
        try:
            async with asyncio.timeout(timeout):
                await readable
        finally:
            loop.remove_reader(fd)
        try:
            status, value, records = self.conn.recv()
        except (EOFError, OSError) as exc:
            raise WorkerLost(f"worker {self.process.pid} died (exit code {self.process.poll()})") from exc
        replay(records)
        return status, value

    async def kill(self) -> None:
        """End the process at once and reap it."""
        with contextlib.suppress(OSError):
            self.process.kill()
        await asyncio.to_thread(self._reap)
        self.conn.close()

    async def stop(self) -> None:
        """Ask the process to finish; kill it if it does not within the grace time."""
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(None)
        if not await asyncio.to_thread(self._reap):
            self.process.kill()
            await asyncio.to_thread(self._reap)
        self.conn.close()

    def _reap(self) -> bool:
        """Wait up to the grace time for the process to end; whether it did."""
        try:
            self.process.wait(STOP_GRACE)
        except subprocess.TimeoutExpired:
            return False
        return True


class WorkerPool:
    """Up to ``size`` reusable worker processes; each job may run ``timeout`` seconds."""

    def __init__(self, size: int, timeout: float) -> None:
        """Remember the limits; no process starts before the first job."""
        self.size = size
        self.timeout = timeout
        self._free = asyncio.Semaphore(size)
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._closed = False
        self.started = 0  # worker processes started so far (replacements included)

    @property
    def busy(self) -> int:
        """Return how many jobs are running in workers right now."""
        return len(self._busy)

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Return ``fn(*args, **kwargs)`` computed in a worker; WorkTimeout past the limit."""
        async with self._free:
            if self._closed:
                raise RuntimeError("the worker pool is closed")
            worker = self._idle.pop() if self._idle else await self._start()
            self._busy.add(worker)
            healthy = False
            try:
                try:
                    worker.conn.send((fn, args, kwargs))
                except (OSError, EOFError) as exc:  # it died while idle
                    raise WorkerLost(f"worker {worker.process.pid} died while idle") from exc
                try:
                    status, value = await worker.receive(self.timeout)
                except TimeoutError:
                    name = getattr(fn, "__name__", "job")
                    logger.warning("%s ran past %g s; worker %s killed", name, self.timeout, worker.process.pid)
                    raise WorkTimeout(f"processing took longer than {self.timeout:g} s") from None
                healthy = True
            finally:
                self._busy.discard(worker)
                if healthy and not self._closed:
                    self._idle.append(worker)
                else:
                    await worker.kill()
        if status == "error":
            raise value
        result: T = value
        return result

    async def _start(self) -> _Worker:
        """Start a worker and wait until it has imported the job code."""
        worker = _Worker()
        self.started += 1
        try:
            await worker.receive(STARTUP_TIMEOUT)
        except BaseException:
            await worker.kill()
            raise
        logger.info("worker %s started (%d so far)", worker.process.pid, self.started)
        return worker

    async def aclose(self) -> None:
        """Stop every worker; jobs still running are killed."""
        self._closed = True
        idle, self._idle = self._idle, []
        await asyncio.gather(*(w.stop() for w in idle), *(w.kill() for w in list(self._busy)))
        if self.started:
            logger.info("worker pool closed (%d workers started in all)", self.started)
