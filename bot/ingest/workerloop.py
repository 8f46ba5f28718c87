"""The loop a parse worker process runs: import the job code, then answer jobs until told to stop.

Kept apart from ``bot.ingest.workers`` (the pool, which lives on the event loop) so a worker
imports neither asyncio nor the HTTP client: a worker imports this module and those of its
jobs' functions, and every module it imports is memory it holds for its life. The pool runs
``python -m bot.ingest.workerloop FD MODULE...``: FD is the worker's end of a socket pair.
"""

from __future__ import annotations

import importlib
import logging
import signal
import sys
from multiprocessing.connection import Connection
from typing import Any

logger = logging.getLogger(__name__)


def serve(conn: Connection, preload: tuple[str, ...]) -> None:
    """Worker main loop: import, say ready, then answer (fn, args, kwargs) jobs until None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    for name in preload:
        importlib.import_module(name)
    conn.send(("ready", None))
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
        try:
            conn.send(reply)
        except Exception as exc:  # an unpicklable result or exception
            conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


if __name__ == "__main__":
    serve(Connection(int(sys.argv[1])), tuple(sys.argv[2:]))
