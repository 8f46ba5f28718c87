"""Choices with inline keyboards: /sumber (sources and categories) and /atur (digest settings).

Callback data stays far below Telegram's 64 bytes: it carries ids and short codes, never names.
"""

from __future__ import annotations

import hashlib
import logging

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot.store.feeds import enabled_feeds
from bot.store.models import Subscriber
from bot.store.subscribers import (
    ChoiceError,
    categories,
    exclusions,
    parse_time,
    set_number,
    toggle_exclusion,
)
from bot.telegram.handlers import current_subscriber, may_change, reply
from bot.telegram.jobs import runtime_of

logger = logging.getLogger(__name__)

SETTINGS_FIELDS = {"b": "stories_per_digest", "k": "sentences_per_summary"}


def category_code(name: str) -> str:
    """A short stable code for a category name (names can be long)."""
    return hashlib.blake2s(name.encode(), digest_size=4).hexdigest()


async def _sources_keyboard(session: AsyncSession, sub: Subscriber) -> InlineKeyboardMarkup:
    excluded_feeds, excluded_cats = await exclusions(session, sub.id)
    rows = []
    for cat in await categories(session):
        mark = "☐" if cat in excluded_cats else "☑"
        rows.append([InlineKeyboardButton(f"{mark} Kategori: {cat}", callback_data=f"src:c:{category_code(cat)}")])
    for feed in await enabled_feeds(session):
        mark = "☐" if feed.id in excluded_feeds else "☑"
        rows.append([InlineKeyboardButton(f"{mark} {feed.name} ({feed.category})", callback_data=f"src:f:{feed.id}")])
    return InlineKeyboardMarkup(rows)


async def sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/sumber: toggle feeds and categories in the digest."""
    async with runtime_of(context).services.db.sessionmaker.begin() as session:
        sub = await current_subscriber(update, context, session)
        keyboard = await _sources_keyboard(session, sub)
    if update.effective_message:
        await update.effective_message.reply_text(
            "Pilih sumber dan kategori untuk ringkasan Anda (☑ = disertakan):", reply_markup=keyboard
        )


async def _button_parts(update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[str, str] | None:
    """The two fields after the prefix of a button's data, once the presser may change the chat."""
    query = update.callback_query
    if query is None or not query.data:
        return None
    if not await may_change(update, context):
        await query.answer()
        return None
    _, first, second = [*query.data.split(":", 2), "", ""][:3]
    return first, second


async def sources_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A press on the /sumber keyboard."""
    query = update.callback_query
    parts = await _button_parts(update, context)
    if query is None or parts is None:
        return
    kind, value = parts
    async with runtime_of(context).services.db.sessionmaker.begin() as session:
        sub = await current_subscriber(update, context, session)
        if kind == "c":
            names = {category_code(c): c for c in await categories(session)}
            target = ("category", names.get(value))
        else:
            target = ("feed", value if value.isdigit() else None)
        if target[1] is None:
            await query.answer("Pilihan ini sudah tidak tersedia.")
            return
        included = await toggle_exclusion(session, sub, target[0], target[1])
        keyboard = await _sources_keyboard(session, sub)
    await query.answer("Disertakan" if included else "Tidak disertakan")
    await query.edit_message_reply_markup(reply_markup=keyboard)


def _settings_view(sub: Subscriber) -> tuple[str, InlineKeyboardMarkup]:
    text = (
        "<b>Pengaturan ringkasan</b>\n"
        f"Berita per ringkasan: <b>{sub.stories_per_digest}</b>\n"
        f"Kalimat per berita: <b>{sub.sentences_per_summary}</b>\n"
        f"Jam kirim: <b>{sub.digest_time}</b>\n"
        f"Hari tanpa berita baru: <b>{'dilewati' if sub.skip_empty_digest else 'diberi tahu'}</b>\n\n"
        "Atau ketik: <code>/atur berita 10</code>, <code>/atur kalimat 2</code>, <code>/atur jam 06:30</code>"
    )
    keyboard = InlineKeyboardMarkup([
        [InlineKeyboardButton("Berita −", callback_data="set:b:-1"), InlineKeyboardButton("Berita +", callback_data="set:b:1")],
        [InlineKeyboardButton("Kalimat −", callback_data="set:k:-1"), InlineKeyboardButton("Kalimat +", callback_data="set:k:1")],
        [InlineKeyboardButton("Hari kosong: lewati/beri tahu", callback_data="set:e:0")],
    ])
    return text, keyboard


async def settings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/atur [berita N | kalimat N | jam HH:MM]: digest settings."""
    args = context.args or []
    if args and not await may_change(update, context):
        return
    async with runtime_of(context).services.db.sessionmaker.begin() as session:
        sub = await current_subscriber(update, context, session)
        try:
            if len(args) >= 2 and args[0].lower() in ("berita", "kalimat"):
                field = "stories_per_digest" if args[0].lower() == "berita" else "sentences_per_summary"
                if not args[1].isdigit():
                    raise ChoiceError("Tulis angka, misalnya: /atur berita 10")
                set_number(sub, field, int(args[1]))
            elif len(args) >= 2 and args[0].lower() == "jam":
                sub.digest_time = parse_time(args[1])
                sub.schedule_changed_at = runtime_of(context).clock.now()
            elif args:
                raise ChoiceError("Contoh: /atur berita 10, /atur kalimat 2, /atur jam 06:30")
        except ChoiceError as exc:
            await reply(update, str(exc))
            return
        text, keyboard = _settings_view(sub)
    if update.effective_message:
        await update.effective_message.reply_html(text, reply_markup=keyboard)


async def settings_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A press on the /atur keyboard."""
    query = update.callback_query
    parts = await _button_parts(update, context)
    if query is None or parts is None:
        return
    code, step = parts
    async with runtime_of(context).services.db.sessionmaker.begin() as session:
        sub = await current_subscriber(update, context, session)
        try:
            if code == "e":
                sub.skip_empty_digest = not sub.skip_empty_digest
            elif code in SETTINGS_FIELDS:
                field = SETTINGS_FIELDS[code]
                set_number(sub, field, getattr(sub, field) + (1 if step == "1" else -1))
        except ChoiceError as exc:
            await query.answer(str(exc))
            return
        text, keyboard = _settings_view(sub)
    await query.answer("Tersimpan")
    await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=keyboard)
