"""Choices with inline keyboards: /sumber (sources and categories) and /atur (digest settings).

Callback data stays far below Telegram's 64 bytes: it carries ids and short codes, never names.
"""

from __future__ import annotations

import hashlib
import logging

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType, ParseMode
from telegram.ext import ContextTypes

from bot.store.feeds import enabled_feeds
from bot.store.models import Subscriber
from bot.store.subscribers import (
    ChoiceError,
    categories,
    exclusions,
    length_name,
    next_length,
    parse_time,
    set_length,
    set_number,
    toggle_exclusion,
)
from bot.telegram.handlers.commands import current_subscriber, may_change, reply
from bot.telegram.handlers.consent import allowed_to_change, refusal
from bot.telegram.handlers.groups import GROUP_WORDS, group_command, group_rows, toggle_group
from bot.telegram.i18n import N_, _, error_text
from bot.telegram.jobs import runtime_of
from bot.telegram.numbers import ascii_number
from bot.telegram.render import esc

logger = logging.getLogger(__name__)

SETTINGS_FIELDS = {"b": "stories_per_digest", "k": "sentences_per_summary"}
# /atur's words, Indonesian and English.
NUMBER_WORDS = {
    "berita": "stories_per_digest",
    "stories": "stories_per_digest",
    "kalimat": "sentences_per_summary",
    "sentences": "sentences_per_summary",
}


# /atur gambar's words: on and off, Indonesian and English.
PICTURE_WORDS = {"nyala": True, "hidup": True, "on": True, "mati": False, "off": False}
# The summary lengths' names, for the catalog (shown through ``_()``).
LENGTH_WORDS = (N_("pendek"), N_("sedang"), N_("panjang"))


def category_code(name: str) -> str:
    """A short stable code for a category name (names can be long)."""
    return hashlib.blake2s(name.encode(), digest_size=4).hexdigest()


async def _sources_keyboard(session: AsyncSession, sub: Subscriber) -> InlineKeyboardMarkup:
    """The /sumber keyboard: one toggle per category, media group and enabled feed, ticked unless excluded."""
    excluded_feeds, excluded_cats = await exclusions(session, sub.id)
    rows = []
    for cat in await categories(session):
        mark = "☐" if cat in excluded_cats else "☑"
        label = _("{mark} Kategori: {category}").format(mark=mark, category=cat)
        rows.append([InlineKeyboardButton(label, callback_data=f"src:c:{category_code(cat)}")])
    rows += await group_rows(session, sub)
    for feed in await enabled_feeds(session):
        mark = "☐" if feed.id in excluded_feeds else "☑"
        rows.append([InlineKeyboardButton(f"{mark} {feed.name} ({feed.category})", callback_data=f"src:f:{feed.id}")])
    return InlineKeyboardMarkup(rows)


async def sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/sumber [grup NAMA mati|nyala]: toggle feeds, media groups and categories in the digest."""
    args = context.args or []
    by_group = bool(args) and args[0].lower() in GROUP_WORDS
    if by_group and not await may_change(update, context):
        return
    async with runtime_of(context).services.db.sessionmaker.begin() as session:
        sub = await current_subscriber(update, context, session)
        if by_group:
            text, keyboard = await group_command(session, sub, args), None
        else:
            text = _("Pilih sumber dan kategori untuk ringkasan Anda (☑ = disertakan):")
            keyboard = await _sources_keyboard(session, sub)
    await reply(update, text, keyboard)


async def button_parts(update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[str, str] | None:
    """The two fields after the prefix of a button's data, once the presser may change the chat."""
    query = update.callback_query
    if query is None or not query.data:
        return None
    chat, user = update.effective_chat, update.effective_user
    if chat is None:  # a button on an inline message, which no keyboard of ours is
        logger.info("button press without a chat ignored: %.20s", query.data)
        await query.answer(_("Pilihan ini sudah tidak tersedia."))
        return None
    if chat.type == ChatType.PRIVATE and (user is None or user.id != chat.id):
        # Telegram only lets a private chat's owner press its buttons; anything else is forged.
        logger.warning("button press refused: user %s in private chat %d", user.id if user else None, chat.id)
        await query.answer(_("Tombol ini bukan milik Anda."))
        return None
    if not await allowed_to_change(update, context):
        # A popup on the button: a press must never add a message to a group or channel.
        await query.answer(refusal(update), show_alert=True)
        return None
    _prefix, first, second = [*query.data.split(":", 2), "", ""][:3]
    return first, second


async def sources_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A press on the /sumber keyboard."""
    query = update.callback_query
    parts = await button_parts(update, context)
    if query is None or parts is None:
        return
    kind, value = parts
    async with runtime_of(context).services.db.sessionmaker.begin() as session:
        sub = await current_subscriber(update, context, session)
        if kind == "c":
            names = {category_code(c): c for c in await categories(session)}
            target = ("category", names.get(value))
        elif kind == "g":
            included = await toggle_group(session, sub, value)
            target = ("group", None if included is None else value)
        elif kind == "f":  # only a feed the keyboard could have shown; never a made-up id
            shown = {str(feed.id) for feed in await enabled_feeds(session)}
            target = ("feed", value if value in shown else None)
        else:
            target = ("button", None)
        if target[1] is None:
            logger.info("button for an unknown %s refused: %.20s", target[0], value)
            await query.answer(_("Pilihan ini sudah tidak tersedia."))
            return
        if kind != "g":
            included = await toggle_exclusion(session, sub, target[0], target[1])
        keyboard = await _sources_keyboard(session, sub)
    await query.answer(_("Disertakan") if included else _("Tidak disertakan"))
    await query.edit_message_reply_markup(reply_markup=keyboard)


def _settings_view(sub: Subscriber) -> tuple[str, InlineKeyboardMarkup]:
    """The /atur text and its buttons for one subscriber's current settings."""
    text = _(
        "<b>Pengaturan ringkasan</b>\n"
        "Berita per ringkasan: <b>{stories}</b>\n"
        "Kalimat per berita: <b>{sentences}</b>\n"
        "Panjang ringkasan: <b>{length}</b> (±{words} kata)\n"
        "Jam kirim: <b>{time}</b>\n"
        "Hari tanpa berita baru: <b>{empty}</b>\n"
        "Gambar berita utama: <b>{pictures}</b>\n\n"
        "Atau ketik: <code>/atur berita 10</code>, <code>/atur kalimat 2</code>, <code>/atur panjang pendek</code>, "
        "<code>/atur jam 06:30</code>, <code>/atur gambar mati</code>"
    ).format(
        stories=sub.stories_per_digest,
        sentences=sub.sentences_per_summary,
        time=sub.digest_time,
        length=_(length_name(sub.summary_words)),
        words=sub.summary_words,
        empty=_("dilewati") if sub.skip_empty_digest else _("diberi tahu"),
        pictures=_("nyala") if sub.pictures else _("mati"),
    )
    stories, sentences = _("Berita"), _("Kalimat")
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(f"{stories} −", callback_data="set:b:-1"),
                InlineKeyboardButton(f"{stories} +", callback_data="set:b:1"),
            ],
            [
                InlineKeyboardButton(f"{sentences} −", callback_data="set:k:-1"),
                InlineKeyboardButton(f"{sentences} +", callback_data="set:k:1"),
            ],
            [InlineKeyboardButton(_("Panjang: pendek/sedang/panjang"), callback_data="set:p:0")],
            [InlineKeyboardButton(_("Hari kosong: lewati/beri tahu"), callback_data="set:e:0")],
            [InlineKeyboardButton(_("Gambar: nyala/mati"), callback_data="set:g:0")],
        ]
    )
    return text, keyboard


async def settings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/atur [berita N | kalimat N | panjang pendek|sedang|panjang | jam HH:MM | gambar nyala|mati]: settings."""
    args = context.args or []
    if args and not await may_change(update, context):
        return
    async with runtime_of(context).services.db.sessionmaker.begin() as session:
        sub = await current_subscriber(update, context, session)
        try:
            if len(args) >= 2 and args[0].lower() in NUMBER_WORDS:
                field, number = NUMBER_WORDS[args[0].lower()], ascii_number(args[1])
                if number is None:
                    raise ChoiceError(N_("Tulis angka, misalnya: /atur berita 10"))
                set_number(sub, field, number)
            elif len(args) >= 2 and args[0].lower() in ("panjang", "length"):
                set_length(sub, args[1])
            elif len(args) >= 2 and args[0].lower() in ("jam", "time"):
                sub.digest_time = parse_time(args[1])
                sub.schedule_changed_at = runtime_of(context).clock.now()
            elif len(args) >= 2 and args[0].lower() in ("gambar", "pictures"):
                if args[1].lower() not in PICTURE_WORDS:
                    raise ChoiceError(N_("Pilih /atur gambar nyala atau /atur gambar mati"))
                sub.pictures = PICTURE_WORDS[args[1].lower()]
            elif args:
                raise ChoiceError(
                    N_(
                        "Contoh: /atur berita 10, /atur kalimat 2, /atur panjang pendek, /atur jam 06:30, /atur gambar mati"
                    )
                )
        except ChoiceError as exc:
            await reply(update, esc(error_text(exc)))
            return
        text, keyboard = _settings_view(sub)
    await reply(update, text, keyboard)


async def settings_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A press on the /atur keyboard."""
    query = update.callback_query
    parts = await button_parts(update, context)
    if query is None or parts is None:
        return
    code, step = parts
    async with runtime_of(context).services.db.sessionmaker.begin() as session:
        sub = await current_subscriber(update, context, session)
        try:
            if code == "e":
                sub.skip_empty_digest = not sub.skip_empty_digest
            elif code == "g":
                sub.pictures = not sub.pictures
            elif code == "p":
                next_length(sub)
            elif code in SETTINGS_FIELDS:
                field = SETTINGS_FIELDS[code]
                set_number(sub, field, getattr(sub, field) + (1 if step == "1" else -1))
        except ChoiceError as exc:
            await query.answer(error_text(exc))
            return
        text, keyboard = _settings_view(sub)
    await query.answer(_("Tersimpan"))
    await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=keyboard)
