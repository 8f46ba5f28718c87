"""HTTP to the Bot API: python-telegram-bot's httpx transport, with a clear error for non-JSON answers.

A proxy or a wrong ``TELEGRAM_API_URL`` can answer 200 with an HTML page. PTB would log the
body with a traceback and raise a bare ``TelegramError``, which nothing retries. Here such an
answer is a ``NotBotApiAnswer``, a ``NetworkError``: logged as one line, retried like any
other network failure while running, and reported as one line at start-up.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from telegram.error import NetworkError
from telegram.request import HTTPXRequest

logger = logging.getLogger(__name__)

SHOWN_BYTES = 32
POOL_SIZE = 256  # PTB's default for everything but getUpdates
GET_UPDATES_POOL_SIZE = 1


class NotBotApiAnswer(NetworkError):
    """The Bot API URL answered with something that is not the Bot API's JSON."""


class BotApiRequest(HTTPXRequest):
    """PTB's httpx request, reading answers with ``parse_json_payload`` below."""

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        """The decoded JSON object; NotBotApiAnswer when the body is anything else (its catcher logs it)."""
        try:
            data = json.loads(payload.decode("utf-8", "replace"))
        except ValueError:
            data = None
        if not isinstance(data, dict):
            shown = payload[:SHOWN_BYTES].decode("utf-8", "replace")
            raise NotBotApiAnswer(f"the answer is not Bot API JSON ({len(payload)} bytes, starting {shown!r})")
        return data


def bot_api_requests() -> tuple[BotApiRequest, BotApiRequest]:
    """The request objects for ordinary calls and for getUpdates, sized as PTB's defaults."""
    return BotApiRequest(connection_pool_size=POOL_SIZE), BotApiRequest(connection_pool_size=GET_UPDATES_POOL_SIZE)
