"""``ringkas health [--json] [--telegram]``: exit 0 when healthy, else 1 with one line per failing check."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys

from telegram import Bot
from telegram.error import InvalidToken, TelegramError

from bot.config import Settings, get_settings
from bot.store.db import Database, DatabaseUnavailableError, DatabaseURLError
from bot.store.health import TIMEOUT_SECONDS, Check, HealthReport, check_health

logger = logging.getLogger(__name__)


async def telegram_check(settings: Settings) -> Check:
    """Telegram's getMe answers for the configured token."""
    token = settings.telegram_bot_token.get_secret_value().strip() if settings.telegram_bot_token else ""
    if not token:
        return Check("telegram", False, "TELEGRAM_BOT_TOKEN is not set")
    try:
        async with asyncio.timeout(TIMEOUT_SECONDS):
            # Entering the bot calls getMe and closes its connections again on the way out.
            async with Bot(token, base_url=settings.telegram_api_url) as bot:
                username = bot.username
    except InvalidToken:
        return Check("telegram", False, "getMe: the token was rejected")
    except (TelegramError, TimeoutError) as exc:
        # Error texts may quote the request URL, which carries the token.
        reason = (str(exc) or type(exc).__name__).replace(token, "<token>")
        return Check("telegram", False, f"getMe failed at {settings.telegram_api_url}: {reason}")
    return Check("telegram", True, f"getMe answers (@{username})")


async def _report(settings: Settings, with_telegram: bool) -> HealthReport:
    """The database checks, and Telegram's when asked."""
    try:
        # Read-only: a missing SQLite file (or its folder) is reported by the check, never created.
        db = Database(settings.database_url, create_directory=False)
    except (DatabaseURLError, DatabaseUnavailableError) as exc:
        report = HealthReport((Check("database", False, str(exc)),))
    else:
        try:
            report = await check_health(db)
        finally:
            await db.dispose()
    return report.plus(await telegram_check(settings)) if with_telegram else report


def health_command(args: argparse.Namespace) -> int:
    """Print the health report; return 0 when healthy, 1 otherwise."""
    report = asyncio.run(_report(get_settings(), args.telegram))
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    elif report.healthy:
        for check in report.checks:
            print(f"ok {check.line()}")
    for check in [] if args.json else report.failures():
        print(f"ringkas health: {check.line()}", file=sys.stderr)
    return 0 if report.healthy else 1
