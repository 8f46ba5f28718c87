"""Commands for readers: start, help, subscribe, timezone, digest, search, follow."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.store.models import Subscriber
from bot.store.mutes import muted_story_ids
from bot.store.search import search
from bot.store.subscribers import ChoiceError, ensure_subscriber, follow, parse_time, topics, unfollow
from bot.store.threads import fold, threads_of
from bot.store.topics import TOPIC_WINDOW, common_topics
from bot.telegram.channels import note_reply
from bot.telegram.digest import entry_views
from bot.telegram.forum import thread_of
from bot.telegram.handlers.consent import allowed_to_change, refusal
from bot.telegram.handlers.sources import sources_keyboard
from bot.telegram.i18n import N_, _, error_text
from bot.telegram.jobs import runtime_of
from bot.telegram.pictures import reply_pictured
from bot.telegram.render import ZONE_NAMES, ZONES_BY_NAME, esc, keyboard, render_results
from bot.telegram.schedule_digest import digest_messages

logger = logging.getLogger(__name__)

MAX_QUERY_CHARS = 200
SEARCH_RESULTS = 5
# Extra hits asked of the search so muted stories can be dropped and still fill the answer.
MUTE_HEADROOM = 10
HELP = N_(
    "<b>Ringkas</b> merangkum berita Indonesia jadi beberapa kalimat.\n\n"
    "/langganan [JJ:MM] — ringkasan harian (bawaan 07:00)\n"
    "/berhenti — berhenti berlangganan\n"
    "/ringkasan — ringkasan sekarang\n"
    "/cari &lt;kata kunci&gt; — cari berita (atau ketik saja kata kuncinya)\n"
    "/ikuti &lt;kata kunci&gt; — notifikasi berita baru tentang topik itu\n"
    "/unfollow &lt;kata kunci&gt;, /topik — kelola topik\n"
    "/sumber — pilih sumber dan kategori\n"
    "/atur — jumlah berita dan kalimat\n"
    "/zona WIB|WITA|WIT — zona waktu\n"
    "/bisukan &lt;kata&gt; — sembunyikan berita dengan kata itu; /suarakan &lt;kata&gt; membatalkan\n"
    "/ringkas &lt;tautan&gt; — ringkas satu halaman berita (atau kirim saja tautannya)\n"
    "/bagikan — tautan untuk mengajak orang lain mengikuti topik Anda\n"
    "/bahasa id|en — bahasa (Indonesia atau English)\n"
    "/privasi — data yang disimpan; /hapusdata menghapus semuanya"
)


async def reply(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None, picture: str | None = None
) -> None:
    """Reply in HTML to the message that triggered the update (with buttons and a lead picture, if given)."""
    if update.effective_message:
        note_reply(await reply_pictured(update.effective_message, text, picture, markup))


async def may_change(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """In groups only the group's admins change its subscription; tell others politely."""
    if await allowed_to_change(update, context):
        return True
    await reply(update, refusal(update))
    return False


async def current_subscriber(update: Update, context: ContextTypes.DEFAULT_TYPE, session: AsyncSession) -> Subscriber:
    """The subscriber row of this update's chat (and forum topic), created with the defaults if new
    (a private chat's with its user's Telegram language, for digests and alerts)."""
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None
    settings = runtime_of(context).services.settings
    return await ensure_subscriber(
        session,
        chat.id,
        chat.type,
        chat.title or chat.full_name,
        default_time=settings.ringkas_digest_time,
        timezone=settings.ringkas_timezone,
        thread_id=thread_of(update),
        language_code=user.language_code if user and chat.type == ChatType.PRIVATE else None,
    )


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet, register (or reactivate) the chat, and explain the commands."""
    async with runtime_of(context).services.db.sessionmaker.begin() as session:
        await current_subscriber(update, context, session)
    await reply(update, _("Halo! 👋") + "\n" + _(HELP))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the commands."""
    await reply(update, _(HELP))


async def subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Daily digest at the given local time (default 07:00)."""
    if not await may_change(update, context):
        return
    try:
        at = parse_time(context.args[0]) if context.args else None
    except ChoiceError as exc:
        await reply(update, esc(error_text(exc)))
        return
    async with runtime_of(context).services.db.sessionmaker.begin() as session:
        sub = await current_subscriber(update, context, session)
        sub.subscribed = True
        sub.digest_time = at or sub.digest_time
        sub.schedule_changed_at = runtime_of(context).clock.now()
        when, zone = sub.digest_time, ZONE_NAMES.get(sub.timezone, sub.timezone)
    await reply(
        update,
        _("✅ Berlangganan. Ringkasan harian dikirim setiap pukul <b>{when} {zone}</b>.").format(
            when=when, zone=esc(zone)
        ),
    )


async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop the daily digest."""
    if not await may_change(update, context):
        return
    async with runtime_of(context).services.db.sessionmaker.begin() as session:
        sub = await current_subscriber(update, context, session)
        sub.subscribed = False
    await reply(update, _("Langganan dihentikan. Ketik /langganan untuk mulai lagi."))


async def timezone(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Set the chat's timezone: WIB, WITA or WIT."""
    choice = context.args[0].upper() if context.args else ""
    if choice not in ZONES_BY_NAME:
        await reply(
            update, _("Pilih salah satu: <code>/zona WIB</code>, <code>/zona WITA</code>, atau <code>/zona WIT</code>.")
        )
        return
    if not await may_change(update, context):
        return
    async with runtime_of(context).services.db.sessionmaker.begin() as session:
        sub = await current_subscriber(update, context, session)
        sub.timezone = ZONES_BY_NAME[choice]
        sub.schedule_changed_at = runtime_of(context).clock.now()
    await reply(update, _("Zona waktu diatur ke <b>{zone}</b>.").format(zone=choice))


async def digest_now(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the digest now (does not replace the scheduled one)."""
    rt = runtime_of(context)
    async with rt.services.db.sessionmaker.begin() as session:
        sub = await current_subscriber(update, context, session)
        messages, buttons, picture = await digest_messages(session, sub, rt.clock.now(), on_request=True)
        picture = picture if sub.pictures else None
    for n, text in enumerate(messages, start=1):
        await reply(update, text, keyboard(buttons) if n == len(messages) else None, picture if n == 1 else None)


async def search_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/cari <kata kunci>: the best matching recent stories."""
    query = " ".join(context.args or [])
    if not query.strip():
        await reply(update, _("Tulis kata kuncinya, misalnya: <code>/cari banjir</code>"))
        return
    await _search(update, context, query)


async def plain_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any plain message in a private chat is a search."""
    message = update.effective_message
    if message and message.text:
        await _search(update, context, message.text)


async def _search(update: Update, context: ContextTypes.DEFAULT_TYPE, query: str) -> None:
    """Reply with the best matching stories, or with the day's common topics when none match."""
    rt = runtime_of(context)
    query = " ".join(query.split())[:MAX_QUERY_CHARS]
    async with rt.services.db.sessionmaker.begin() as session:
        sub = await current_subscriber(update, context, session)
        hits = await search(session, query, limit=SEARCH_RESULTS + MUTE_HEADROOM)
        ids = [h.story_id for h in hits if h.story_id]
        muted = await muted_story_ids(session, sub.id, ids)
        ids = [i for i in ids if i not in muted]
        entries = fold(ids, await threads_of(session, ids), SEARCH_RESULTS)
        views = await entry_views(session, entries, sub.sentences_per_summary, sub.summary_words)
        tz = sub.timezone
        suggestions = [] if views else await common_topics(session, rt.clock.now() - TOPIC_WINDOW, exclude=query)
    messages = render_results(query, views, tz, suggestions)
    for n, text in enumerate(messages, start=1):
        await reply(update, text, sources_keyboard(views) if n == len(messages) else None)


async def follow_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ikuti <kata kunci>: alerts when a new story matches."""
    if not await may_change(update, context):
        return
    try:
        async with runtime_of(context).services.db.sessionmaker.begin() as session:
            keyword, new = await follow(
                session, await current_subscriber(update, context, session), " ".join(context.args or [])
            )
    except ChoiceError as exc:
        await reply(update, esc(error_text(exc)))
        return
    note = (
        _("🔔 Anda akan diberi tahu bila ada berita baru tentang <b>{keyword}</b>.")
        if new
        else _("🔔 Anda sudah mengikuti <b>{keyword}</b>.")
    )
    await reply(update, note.format(keyword=esc(keyword)))


async def unfollow_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unfollow <kata kunci>."""
    if not await may_change(update, context):
        return
    try:
        async with runtime_of(context).services.db.sessionmaker.begin() as session:
            removed = await unfollow(
                session, await current_subscriber(update, context, session), " ".join(context.args or [])
            )
    except ChoiceError as exc:
        await reply(update, esc(error_text(exc)))
        return
    await reply(update, _("Topik dihapus.") if removed else _("Topik itu tidak sedang diikuti. Lihat /topik."))


async def topics_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/topik: the followed keywords."""
    async with runtime_of(context).services.db.sessionmaker.begin() as session:
        keywords = await topics(session, await current_subscriber(update, context, session))
    if not keywords:
        await reply(update, _("Belum ada topik yang diikuti. Contoh: <code>/ikuti banjir</code>"))
        return
    await reply(update, _("Topik yang diikuti:") + "\n" + "\n".join(f"• {esc(k)}" for k in keywords))


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command the bot does not know."""
    await reply(update, _("Perintah tidak dikenal. Ketik /bantuan untuk daftar perintah."))
