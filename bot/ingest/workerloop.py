"""The loop a parse worker process runs: import the job code, then answer jobs until told to stop.

Kept apart from ``bot.ingest.workers`` (the pool, which lives on the event loop) so a worker
imports neither asyncio nor the HTTP client: a worker imports this module and those of its
jobs' functions, and every module it imports is memory it holds for its life. The pool runs
``python -m bot.ingest.workerloop FD LOG_LEVEL MODULE...``: FD is the worker's end of a socket pair,
LOG_LEVEL the parent's (the records the worker keeps and hands back with each answer).
"""

from __future__ import annotations

import importlib
import logging
import signal
import sys
from multiprocessing.connection import Connection
from typing import Any

from bot.ingest.worklogs import keep_records

logger = logging.getLogger(__name__)


def serve(conn: Connection, preload: tuple[str, ...], log_level: int = logging.WARNING) -> None:
    """Worker main loop: import, say ready, then answer (fn, args, kwargs) jobs until None.

    Every answer is (status, value, log records since the last answer): the parent logs them
    through its own handlers (``bot.ingest.worklogs``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    keeper = keep_records(log_level)
    for name in preload:
        importlib.import_module(name)
    conn.send(("ready", None, keeper.take()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        fn, args, kwargs = job
        try:
            reply: tuple[str, Any] = ("ok", fn(*args, **kwargs))
        except Exception as exc:  # the parent re-raises it; the worker lives on
            reply = ("error", exc)
        records = keeper.take()
        try:
            conn.send((*reply, records))
        except Exception as exc:  # an unpicklable result or exception
            conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}"), records))


if __name__ == "__main__":
    serve(Connection(int(sys.argv[1])), tuple(sys.argv[3:]), int(sys.argv[2]))
