"""/healthz on the metrics port of the running bot: the health report as JSON, 200 or 503."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from datetime import timedelta
from typing import Any

import pytest

from bot.store.db import Database
from tests.bot.botharness import bot_settings, running_bot
from tests.bot.healthdata import add_feed
from tests.bot.httpserver import closed_port
from tests.fakes import FakeTelegram


def get(url: str) -> tuple[int, bytes]:
    """Status and body of a GET, error statuses included."""
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


async def healthz(port: int) -> tuple[int, dict[str, Any]]:
    """GET /healthz from a thread: the check runs on this test's loop, which must stay free."""
    status, body = await asyncio.to_thread(get, f"http://127.0.0.1:{port}/healthz")
    return status, json.loads(body)


async def test_healthz_answers_200_then_503_and_metrics_stay(tg: FakeTelegram, database: Database) -> None:
    port = closed_port()
    settings = bot_settings(tg, database.url.render_as_string(hide_password=False), ringkas_metrics_port=port)
    async with running_bot(settings):
        status, report = await healthz(port)
        assert status == 200 and report["healthy"] is True
        assert set(report["checks"]) == {"database", "feeds", "deliveries"}
        await add_feed(database, succeeded_ago=timedelta(hours=3))
        status, report = await healthz(port)
        assert status == 503 and report["healthy"] is False
        assert report["checks"]["feeds"]["ok"] is False and "last success" in report["checks"]["feeds"]["detail"]
        status, body = await asyncio.to_thread(get, f"http://127.0.0.1:{port}/metrics")
        assert status == 200 and b"ringkas_messages_sent_total" in body
    with pytest.raises(urllib.error.URLError):  # stopped with the bot, port released
        await asyncio.to_thread(urllib.request.urlopen, f"http://127.0.0.1:{port}/healthz", timeout=5)


def test_a_failing_probe_is_503_with_the_reason() -> None:
    from bot import metrics

    def broken() -> tuple[bool, dict[str, Any]]:
        raise TimeoutError("the loop did not answer")

    port = closed_port()
    server = metrics.serve(port, health=broken)
    try:
        status, body = get(f"http://127.0.0.1:{port}/healthz")
    finally:
        server.shutdown()
        server.server_close()
    assert status == 503 and json.loads(body) == {"healthy": False, "error": "TimeoutError: the loop did not answer"}
