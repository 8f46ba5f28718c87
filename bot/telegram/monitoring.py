"""The metrics port of a running bot: Prometheus /metrics and /healthz with the database checks.

The HTTP server answers in its own threads, while the database engine belongs to the bot's
event loop; each /healthz request therefore runs ``check_health`` on that loop and waits for it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from bot import metrics
from bot.store.db import Database
from bot.store.health import TIMEOUT_SECONDS, check_health

logger = logging.getLogger(__name__)

# Beyond the checks' own timeout, time for the loop to get to the request.
LOOP_SLACK_SECONDS = 5.0


def start_metrics(port: int, db: Database, address: str = "127.0.0.1") -> Callable[[], None]:
    """Start /metrics and /healthz on the port (call from the running loop); return what stops it."""
    loop = asyncio.get_running_loop()

    def probe() -> tuple[bool, dict[str, Any]]:
        """The health report, computed on the bot's loop."""
        future = asyncio.run_coroutine_threadsafe(check_health(db), loop)
        report = future.result(timeout=TIMEOUT_SECONDS + LOOP_SLACK_SECONDS)
        return report.healthy, report.as_dict()

    server = metrics.serve(port, address, health=probe)

    def stop() -> None:
        """Stop serving and release the port."""
        server.shutdown()
        server.server_close()

    return stop
