"""The Telegram application: every handler and job registered in one place, and how it runs."""

from __future__ import annotations

import logging
import secrets
import sys
from contextlib import AsyncExitStack
from datetime import time

from telegram import BotCommand, Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from bot import metrics
from bot.clock import Clock
from bot.config import Settings
from bot.ingest.services import open_services
from bot.logs import redact_secret
from bot.store.db import DatabaseUnavailableError, DatabaseURLError
from bot.telegram import handlers as user
from bot.telegram import handlers_admin as admin
from bot.telegram import handlers_prefs as prefs
from bot.telegram.delivery import Sender
from bot.telegram.jobs import Runtime, digest_tick, ingest_tick, prune_job

logger = logging.getLogger(__name__)

COMMANDS = [
    ("start", "Mulai dan lihat cara pakai"),
    ("bantuan", "Daftar perintah"),
    ("langganan", "Ringkasan harian: /langganan 07:00"),
    ("berhenti", "Berhenti berlangganan"),
    ("ringkasan", "Ringkasan berita sekarang"),
    ("cari", "Cari berita: /cari banjir"),
    ("ikuti", "Ikuti topik: /ikuti pemilu"),
    ("unfollow", "Berhenti mengikuti topik"),
    ("topik", "Topik yang diikuti"),
    ("sumber", "Pilih sumber dan kategori"),
    ("atur", "Jumlah berita dan kalimat"),
    ("zona", "Zona waktu: WIB, WITA, WIT"),
]
INGEST_TICK_SECONDS = 60.0
PRUNE_AT = time(3, 0)
RATE_LIMIT_RETRIES = 3


def _register(app: Application) -> None:
    """The whole command surface, in one screen."""
    routes = [
        (("start",), user.start), (("help", "bantuan"), user.help_command),
        (("subscribe", "langganan"), user.subscribe), (("unsubscribe", "berhenti"), user.unsubscribe),
        (("timezone", "zona"), user.timezone), (("digest", "ringkasan"), user.digest_now),
        (("search", "cari"), user.search_command), (("follow", "ikuti"), user.follow_command),
        (("unfollow", "berhenti_ikuti"), user.unfollow_command), (("topics", "topik"), user.topics_command),
        (("sources", "sumber"), prefs.sources), (("settings", "atur"), prefs.settings_command),
        (("addfeed",), admin.add_feed_command), (("removefeed",), admin.remove_feed_command),
        (("pausefeed",), admin.pause_feed_command), (("resumefeed",), admin.resume_feed_command),
        (("feeds",), admin.feeds_command), (("fetchnow",), admin.fetch_now_command),
        (("stats",), admin.stats_command),
    ]
    for names, callback in routes:
        app.add_handler(CommandHandler(list(names), callback))
    app.add_handler(CallbackQueryHandler(prefs.sources_button, pattern=r"^src:"))
    app.add_handler(CallbackQueryHandler(prefs.settings_button, pattern=r"^set:"))
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, user.plain_text))
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & filters.COMMAND, user.unknown_command))
    app.add_error_handler(on_error)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log every unhandled error with its traceback, and tell the user something went wrong."""
    logger.error("unhandled error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_message:
        try:
            await update.effective_message.reply_text("Maaf, terjadi kesalahan. Silakan coba lagi nanti.")
        except Exception:  # the failure may be Telegram itself
            logger.warning("could not tell the user about the error")


def rate_limiter(per_second: float) -> AIORateLimiter:
    """PTB's limiter, paced evenly: one message every 1/rate seconds, with no initial burst that
    could exceed Telegram's ~30 messages in any one second; 0 lifts the overall limit."""
    if per_second <= 0:
        return AIORateLimiter(overall_max_rate=0, max_retries=RATE_LIMIT_RETRIES)
    return AIORateLimiter(overall_max_rate=1, overall_time_period=1 / per_second, max_retries=RATE_LIMIT_RETRIES)


def build_application(settings: Settings, *, clock: Clock | None = None) -> Application:
    """Build the bot: HTTP to the configured Bot API, the rate limiter, handlers and jobs."""
    assert settings.telegram_bot_token is not None
    limiter = rate_limiter(settings.ringkas_send_rate)
    exit_stack = AsyncExitStack()

    async def post_init(app: Application) -> None:
        services = await exit_stack.enter_async_context(open_services(settings))
        app.bot_data["runtime"] = Runtime(services, Sender(app.bot, services.db), clock or Clock())
        try:
            await app.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])
        except TelegramError as exc:  # the menu is a convenience; the bot works without it
            logger.warning("command menu not set: %s", exc)
        jq = app.job_queue
        assert jq is not None
        if settings.ringkas_ingest:
            jq.run_repeating(ingest_tick, interval=INGEST_TICK_SECONDS, first=1, name="ingest-tick")
        jq.run_repeating(digest_tick, interval=settings.ringkas_tick_seconds, first=0.5, name="digest-tick")
        jq.run_daily(prune_job, time=PRUNE_AT.replace(tzinfo=settings.timezone), name="prune")
        if settings.ringkas_metrics_port:
            metrics.serve(settings.ringkas_metrics_port)
        me = app.bot.username
        logger.info("bot @%s running; admins=%d", me, len(settings.admin_ids))

    async def post_shutdown(app: Application) -> None:
        await exit_stack.aclose()

    app = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_url)
        .base_file_url(settings.telegram_api_url.replace("/bot", "/file/bot"))
        .rate_limiter(limiter)
        .defaults(Defaults(tzinfo=settings.timezone))
        .concurrent_updates(True)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    _register(app)
    return app


def run_bot(settings: Settings, *, webhook_url: str | None = None, listen: str = "127.0.0.1", port: int = 8443) -> int:
    """Run until stopped; exit status 2 with one line when the token is missing."""
    if settings.telegram_bot_token is None or not settings.telegram_bot_token.get_secret_value().strip():
        print("ringkas: TELEGRAM_BOT_TOKEN is not set; put it in the environment or in .env "
              "(get one from @BotFather)", file=sys.stderr)
        return 2
    redact_secret(settings.telegram_bot_token.get_secret_value())
    app = build_application(settings)
    try:
        if webhook_url:
            secret = (settings.ringkas_webhook_secret.get_secret_value() if settings.ringkas_webhook_secret
                      else secrets.token_urlsafe(32))
            app.run_webhook(listen=listen, port=port, url_path="telegram", webhook_url=webhook_url,
                            secret_token=secret, allowed_updates=Update.ALL_TYPES)
        else:
            app.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        print("ringkas: Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather", file=sys.stderr)
        return 2
    except NetworkError as exc:
        message = str(exc).replace(settings.telegram_bot_token.get_secret_value(), "<token>")
        print(f"ringkas: cannot reach the Telegram Bot API at {settings.telegram_api_url}: {message}", file=sys.stderr)
        return 1
    except (DatabaseUnavailableError, DatabaseURLError) as exc:
        print(f"ringkas: database: {exc}", file=sys.stderr)
        return 1
    return 0
