"""Prometheus metrics, served when RINGKAS_METRICS_PORT is set."""

from __future__ import annotations

import logging

from prometheus_client import Counter, Gauge, Histogram, start_http_server

logger = logging.getLogger(__name__)

FEEDS_POLLED = Counter("ringkas_feeds_polled_total", "Feed polls finished", ["outcome"])
FEED_ERRORS = Counter("ringkas_feed_errors_total", "Feed polls that failed")
ARTICLES_STORED = Counter("ringkas_articles_stored_total", "New articles stored")
MESSAGES_SENT = Counter("ringkas_messages_sent_total", "Telegram messages sent", ["kind"])
RETRY_AFTER = Counter("ringkas_telegram_429_total", "Telegram 429 Too Many Requests answers seen")
SEND_FAILURES = Counter("ringkas_send_failures_total", "Messages that could not be sent", ["reason"])
DELIVERY_LAG = Histogram(
    "ringkas_delivery_lag_seconds", "Time from a delivery being queued to its last message sent",
    buckets=(1, 5, 15, 60, 300, 900, 3600, 4 * 3600),
)
PENDING_DELIVERIES = Gauge("ringkas_pending_deliveries", "Deliveries queued but not yet sent")


def serve(port: int, address: str = "127.0.0.1") -> None:
    """Start the /metrics endpoint in a background thread."""
    start_http_server(port, addr=address)
    logger.info("metrics at http://%s:%d/metrics", address, port)
