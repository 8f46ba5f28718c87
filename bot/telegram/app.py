"""The Telegram application: every handler and job registered in one place, and how it runs."""

from __future__ import annotations

import logging
from contextlib import AsyncExitStack

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    Update,
)
from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.clock import Clock
from bot.config import Settings
from bot.ingest.services import open_services
from bot.telegram import channels, deeplinks, inline, links, privacy
from bot.telegram.handlers import admin, lang, mute, prefs
from bot.telegram.handlers import commands as user
from bot.telegram.handlers.sources import other_sources_button
from bot.telegram.handlers.threads import developments_button
from bot.telegram.i18n import N_, _, use_language
from bot.telegram.monitoring import start_metrics
from bot.telegram.ordering import ChatOrderedProcessor
from bot.telegram.request import bot_api_requests
from bot.telegram.roles import rate_limiter, start_roles

logger = logging.getLogger(__name__)

# (Indonesian name, English name, description): each menu lists the names of its language.
COMMANDS = [
    ("start", "start", N_("Mulai dan lihat cara pakai")),
    ("bantuan", "help", N_("Daftar perintah")),
    ("langganan", "subscribe", N_("Ringkasan harian: /langganan 07:00")),
    ("berhenti", "unsubscribe", N_("Berhenti berlangganan")),
    ("ringkasan", "digest", N_("Ringkasan berita sekarang")),
    ("cari", "search", N_("Cari berita: /cari banjir")),
    ("ikuti", "follow", N_("Ikuti topik: /ikuti pemilu")),
    ("unfollow", "unfollow", N_("Berhenti mengikuti topik")),
    ("topik", "topics", N_("Topik yang diikuti")),
    ("sumber", "sources", N_("Pilih sumber dan kategori")),
    ("atur", "settings", N_("Jumlah berita dan kalimat")),
    ("zona", "timezone", N_("Zona waktu: WIB, WITA, WIT")),
    ("bisukan", "mute", N_("Sembunyikan berita: /bisukan sepak bola")),
    ("suarakan", "unmute", N_("Batalkan kata yang dibisukan")),
    ("bagikan", "share", N_("Tautan untuk membagikan topik")),
    ("ringkas", "summarize", N_("Ringkas sebuah tautan: /ringkas URL")),
    ("bahasa", "language", N_("Bahasa: /bahasa id atau /bahasa en")),
    ("privasi", "privacy", N_("Data yang disimpan")),
    ("hapusdata", "deletedata", N_("Hapus semua data chat ini")),
]


def _register(app: Application) -> None:
    """The whole command surface, in one screen."""
    app.add_handler(TypeHandler(Update, lang.apply_language), group=-1)
    routes = [
        (("start",), deeplinks.start),
        (("help", "bantuan"), user.help_command),
        (("subscribe", "langganan"), user.subscribe),
        (("unsubscribe", "berhenti"), user.unsubscribe),
        (("timezone", "zona"), user.timezone),
        (("digest", "ringkasan"), user.digest_now),
        (("search", "cari"), user.search_command),
        (("follow", "ikuti"), user.follow_command),
        (("unfollow", "berhenti_ikuti"), user.unfollow_command),
        (("topics", "topik"), user.topics_command),
        (("sources", "sumber"), prefs.sources),
        (("settings", "atur"), prefs.settings_command),
        (("addfeed",), admin.add_feed_command),
        (("removefeed",), admin.remove_feed_command),
        (("pausefeed",), admin.pause_feed_command),
        (("resumefeed",), admin.resume_feed_command),
        (("feeds",), admin.feeds_command),
        (("fetchnow",), admin.fetch_now_command),
        (("stats",), admin.stats_command),
        (("mute", "bisukan"), mute.mute_command),
        (("unmute", "suarakan"), mute.unmute_command),
        (("share", "bagikan"), deeplinks.share),
        (("summarize", "ringkas"), links.summarize_command),
        (("language", "bahasa"), lang.language_command),
        (("privacy", "privasi"), privacy.privacy_command),
        (("deletedata", "hapusdata"), privacy.erase_command),
    ]
    for names, callback in routes:
        app.add_handler(CommandHandler(list(names), callback))
    channel_routes = [
        (("subscribe", "langganan"), user.subscribe),
        (("unsubscribe", "berhenti"), user.unsubscribe),
        (("timezone", "zona"), user.timezone),
        (("settings", "atur"), prefs.settings_command),
        (("sources", "sumber"), prefs.sources),
        (("language", "bahasa"), lang.language_command),
        (("privacy", "privasi"), privacy.privacy_command),
        (("deletedata", "hapusdata"), privacy.erase_command),
    ]
    for names, callback in channel_routes:
        app.add_handler(CommandHandler(list(names), channels.in_channel(callback), filters.UpdateType.CHANNEL_POST))
    app.add_handler(InlineQueryHandler(inline.inline_query))
    app.add_handler(CallbackQueryHandler(prefs.sources_button, pattern=r"^src:"))
    app.add_handler(CallbackQueryHandler(prefs.settings_button, pattern=r"^set:"))
    app.add_handler(CallbackQueryHandler(privacy.erase_button, pattern=r"^priv:"))
    app.add_handler(CallbackQueryHandler(other_sources_button, pattern=r"^lain:"))
    app.add_handler(CallbackQueryHandler(developments_button, pattern=r"^dev:"))
    app.add_handler(CallbackQueryHandler(stale_button))  # every press gets an answer
    private_text = filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND
    app.add_handler(MessageHandler(private_text & filters.Regex(links.URL_IN_TEXT), links.link_message))
    app.add_handler(MessageHandler(private_text, user.plain_text))
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & filters.COMMAND, user.unknown_command))
    app.add_error_handler(on_error)


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A press no other handler knows (an old keyboard, or forged data): a popup, not a spinner."""
    if update.callback_query is not None:
        await update.callback_query.answer(_("Pilihan ini sudah tidak tersedia."))


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log every unhandled error with its traceback, and tell the user something went wrong.

    A network failure (the Bot API unreachable, or answering something that is not its JSON)
    is one warning line: PTB retries polling with growing pauses, and the traceback says nothing.
    A BadRequest (PTB files it under NetworkError) is our own mistake and keeps its traceback.
    """
    if isinstance(context.error, NetworkError) and not isinstance(context.error, BadRequest):
        logger.warning(
            "Bot API call failed (%s): %s", "polling" if update is None else "handling an update", context.error
        )
        if update is None:
            return
    else:
        logger.error("unhandled error while handling an update", exc_info=context.error)
    if isinstance(update, Update):
        try:
            await _apologize(update, context)
        except Exception:  # the failure may be Telegram itself
            logger.warning("could not tell the user about the error")


async def _apologize(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the update that failed the way it expects: a popup for a press, no results for an
    inline query, a reply to a message (cleaned up later in a channel)."""
    text = _("Maaf, terjadi kesalahan. Silakan coba lagi nanti.")
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.inline_query is not None:
        await update.inline_query.answer([], cache_time=0, is_personal=True)
    elif update.effective_message is not None:
        sent = await update.effective_message.reply_text(text)
        if update.channel_post is not None:
            channels.clean_up_later(context, [sent])


async def set_menus(app: Application) -> None:
    """The command menu in Indonesian (language_code "id") and English (the default), for private
    chats and for groups."""
    for scope in (BotCommandScopeAllPrivateChats(), BotCommandScopeAllGroupChats()):
        for language, code in (("en", None), ("id", "id")):
            with use_language(language):
                commands = [BotCommand(id_name if code else en_name, _(text)) for id_name, en_name, text in COMMANDS]
            await app.bot.set_my_commands(commands, scope=scope, language_code=code)


def build_application(
    settings: Settings, *, clock: Clock | None = None, migrate_in_child: bool = False, updates: bool = True
) -> Application:
    """Build the bot: HTTP to the configured Bot API, the rate limiter, handlers and the jobs of its roles.

    ``migrate_in_child``: upgrade the database in a process of its own (``ringkas run``), so
    the running bot never holds Alembic. ``updates=False``: a process without the ``updates``
    role, which sends but never asks for updates (no updater, no handlers, no menus).
    """
    assert settings.telegram_bot_token is not None
    limiter = rate_limiter(settings.ringkas_send_rate)
    request, get_updates_request = bot_api_requests()
    exit_stack = AsyncExitStack()

    async def post_init(app: Application) -> None:
        """Open the database and fetcher, set the command menus and schedule the jobs."""
        services = await exit_stack.enter_async_context(open_services(settings, migrate_in_child=migrate_in_child))
        await start_roles(app, services, exit_stack, clock)
        if updates:
            try:
                await set_menus(app)
            except TelegramError as exc:  # the menu is a convenience; the bot works without it
                logger.warning("command menu not set: %s", exc)
        if settings.ringkas_metrics_port:
            exit_stack.callback(start_metrics(settings.ringkas_metrics_port, services.db))
        me = app.bot.username
        logger.info("bot @%s running; admins=%d", me, len(settings.admin_ids))

    async def post_shutdown(app: Application) -> None:
        """Close what post_init opened."""
        await exit_stack.aclose()

    builder = ApplicationBuilder()
    if not updates:
        builder = builder.updater(None)
    app = (
        builder.token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_url)
        .base_file_url(settings.telegram_api_url.replace("/bot", "/file/bot"))
        .request(request)
        .get_updates_request(get_updates_request)
        .rate_limiter(limiter)
        .defaults(Defaults(tzinfo=settings.timezone))
        .concurrent_updates(ChatOrderedProcessor())  # one chat's updates in order, chats side by side
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    if updates:
        _register(app)
    return app
