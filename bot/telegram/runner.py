"""Running the bot: the start-up check against the Bot API, then polling or a webhook until stopped.

Every way start-up can fail ends in one line on stderr and an exit status (2: fix the
configuration; 1: try again later), with the token redacted.
"""

from __future__ import annotations

import asyncio
import secrets
import signal
import sys

from telegram import Bot, Update
from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError
from telegram.ext import Application

from bot.config import Settings
from bot.logs import redact, redact_secret
from bot.store.db import DatabaseUnavailableError, DatabaseURLError
from bot.telegram.app import build_application
from bot.telegram.request import BotApiRequest, NotBotApiAnswer
from bot.telegram.roles import split_refused


def preflight(settings: Settings) -> tuple[int, str] | None:
    """Ask the Bot API who the bot is before starting; (exit status, one line) when that fails."""
    assert settings.telegram_bot_token is not None
    token, url = settings.telegram_bot_token.get_secret_value(), settings.telegram_api_url

    async def get_me() -> None:
        """Ask getMe once; an error propagates to the caller's start-up check."""
        async with Bot(token, base_url=url, request=BotApiRequest()):  # initialize() asks getMe
            pass

    try:
        asyncio.run(get_me())
    except InvalidToken:
        return 2, "ringkas: Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather"
    except NotBotApiAnswer as exc:
        return 2, f"ringkas: {url} does not answer like the Telegram Bot API ({exc}); check TELEGRAM_API_URL"
    except BadRequest as exc:  # a NetworkError in PTB, but no retry will change the answer
        return 2, f"ringkas: the Telegram Bot API at {url} refused to start the bot: {exc}"
    except NetworkError as exc:
        return 1, f"ringkas: cannot reach the Telegram Bot API at {url}: {exc}"
    except TelegramError as exc:
        return 2, f"ringkas: the Telegram Bot API at {url} refused to start the bot: {exc}"
    return None


def run_bot(settings: Settings, *, webhook_url: str | None = None, listen: str = "127.0.0.1", port: int = 8443) -> int:
    """Run until stopped; exit status 2 with one line when the token is missing."""
    if settings.telegram_bot_token is None or not settings.telegram_bot_token.get_secret_value().strip():
        print(
            "ringkas: TELEGRAM_BOT_TOKEN is not set; put it in the environment or in .env (get one from @BotFather)",
            file=sys.stderr,
        )
        return 2
    token = settings.telegram_bot_token.get_secret_value()
    redact_secret(token)
    refused = split_refused(settings)
    if refused is None and webhook_url and "updates" not in settings.roles:
        refused = (
            f"ringkas: --webhook-url receives updates, but RINGKAS_ROLES={settings.ringkas_roles} has no 'updates'"
        )
    if refused is not None:
        print(refused, file=sys.stderr)
        return 2
    failed = preflight(settings)
    if failed is not None:
        status, line = failed
        print(redact(line, token), file=sys.stderr)
        return status
    updates = "updates" in settings.roles
    app = build_application(settings, migrate_in_child=True, updates=updates)
    try:
        if not updates:
            asyncio.run(serve_without_updates(app))
        elif webhook_url:
            secret = (
                settings.ringkas_webhook_secret.get_secret_value()
                if settings.ringkas_webhook_secret
                else secrets.token_urlsafe(32)
            )
            app.run_webhook(
                listen=listen,
                port=port,
                url_path="telegram",
                webhook_url=webhook_url,
                secret_token=secret,
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            app.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        print("ringkas: Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather", file=sys.stderr)
        return 2
    except NetworkError as exc:
        print(
            redact(f"ringkas: cannot reach the Telegram Bot API at {settings.telegram_api_url}: {exc}", token),
            file=sys.stderr,
        )
        return 1
    except (DatabaseUnavailableError, DatabaseURLError) as exc:
        print(f"ringkas: database: {exc}", file=sys.stderr)
        return 1
    return 0


async def serve_without_updates(app: Application) -> None:
    """Run the jobs of a process without the ``updates`` role until SIGINT/SIGTERM: never getUpdates."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await app.initialize()
    try:
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        await stop.wait()
        await app.stop()
    finally:
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
