"""Prometheus metrics, and the /healthz probe beside them, served when RINGKAS_METRICS_PORT is set."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import Counter, Gauge, Histogram, make_wsgi_app

logger = logging.getLogger(__name__)

FEEDS_POLLED = Counter("ringkas_feeds_polled_total", "Feed polls finished", ["outcome"])
FEED_ERRORS = Counter("ringkas_feed_errors_total", "Feed polls that failed")
ARTICLES_STORED = Counter("ringkas_articles_stored_total", "New articles stored")
MESSAGES_SENT = Counter("ringkas_messages_sent_total", "Telegram messages sent", ["kind"])
RETRY_AFTER = Counter("ringkas_telegram_429_total", "Telegram 429 Too Many Requests answers seen")
SEND_FAILURES = Counter("ringkas_send_failures_total", "Messages that could not be sent", ["reason"])
DELIVERY_LAG = Histogram(
    "ringkas_delivery_lag_seconds",
    "Time from a delivery being queued to its last message sent",
    buckets=(1, 5, 15, 60, 300, 900, 3600, 4 * 3600),
)
PENDING_DELIVERIES = Gauge("ringkas_pending_deliveries", "Deliveries queued but not yet sent")

# Answers whether the process is healthy, with a JSON-ready report; called on each /healthz.
HealthProbe = Callable[[], tuple[bool, dict[str, Any]]]
StartResponse = Callable[..., Any]


class _Server(ThreadingMixIn, WSGIServer):
    """One thread per request, so a slow health check never holds up /metrics."""

    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    """No access log: Prometheus scrapes every few seconds."""

    def log_message(self, format: str, *args: Any) -> None:
        """Drop the access line."""


def _healthz(probe: HealthProbe, start_response: StartResponse) -> Iterable[bytes]:
    """200 with the report when healthy, 503 when not or when the probe itself fails."""
    try:
        healthy, report = probe()
    except Exception as exc:  # the probe failing is itself the answer: not healthy
        logger.warning("health probe failed: %s: %s", type(exc).__name__, exc)
        healthy, report = False, {"healthy": False, "error": f"{type(exc).__name__}: {exc}"}
    body = json.dumps(report, ensure_ascii=False).encode()
    start_response(
        "200 OK" if healthy else "503 Service Unavailable",
        [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
    )
    return [body]


def serve(port: int, address: str = "127.0.0.1", health: HealthProbe | None = None) -> WSGIServer:
    """Serve /metrics (and /healthz when a probe is given) in a background thread; return the server."""
    metrics_app = make_wsgi_app()

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """/healthz to the probe, everything else to Prometheus."""
        if health is not None and environ.get("PATH_INFO") == "/healthz":
            return _healthz(health, start_response)
        return metrics_app(environ, start_response)

    server = make_server(address, port, app, server_class=_Server, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, name="metrics", daemon=True).start()
    logger.info("metrics at http://%s:%d/metrics%s", address, port, " and /healthz" if health else "")
    return server
