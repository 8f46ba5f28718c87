"""Jobs for worker-pool tests: module-level functions a spawned worker process can import."""

from __future__ import annotations

import logging
import os


def pid_of_worker(_: object = None) -> int:
    """The worker's process id (to tell whether a worker was reused or replaced)."""
    return os.getpid()


def spin_forever() -> None:
    """Burn CPU without end, as a pathological document would."""
    n = 0
    while True:
        n += 1


def fail(message: str) -> None:
    """Raise a ValueError with ``message``."""
    raise ValueError(message)


def die() -> None:
    """End the worker process at once, as an out-of-memory kill would."""
    os._exit(3)


def log_and_fail(message: str) -> None:
    """Log a warning with ``message`` and a traceback, then raise ValueError."""
    logger = logging.getLogger(__name__)
    logger.warning("job says %s", message)
    try:
        raise KeyError(message)
    except KeyError:
        logger.exception("job caught pid=%d", os.getpid())
    raise ValueError(message)
