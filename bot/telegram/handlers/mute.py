"""Mute words: /bisukan (/mute) adds or lists them, /suarakan (/unmute) removes one."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ContextTypes

from bot.store.mutes import MAX_MUTES, add_mute, mute_words, normalize_mute, remove_mute
from bot.store.subscribers import ChoiceError
from bot.telegram.handlers.commands import current_subscriber, may_change, reply
from bot.telegram.i18n import N_, _, error_text
from bot.telegram.jobs import runtime_of
from bot.telegram.render import esc

logger = logging.getLogger(__name__)

ADDED = N_("🔇 Berita tentang <b>{word}</b> tidak akan muncul di ringkasan, notifikasi, dan pencarian.")
EXISTS = N_("<b>{word}</b> sudah dibisukan.")
FULL = N_("Maksimal {limit} kata yang dibisukan. Hapus salah satu dengan /suarakan.")


async def mute_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/bisukan <kata>: leave stories with this word out; /bisukan alone lists the muted words."""
    if not "".join(context.args or []).strip():
        await _list(update, context)
        return
    word = await _word_to_change(update, context)
    if word is None:
        return
    async with runtime_of(context).services.db.sessionmaker.begin() as session:
        sub = await current_subscriber(update, context, session)
        outcome = await add_mute(session, sub.id, word)
        sub_id = sub.id
    logger.info("mute subscriber=%d outcome=%s", sub_id, outcome)
    template = {"added": ADDED, "exists": EXISTS, "full": FULL}[outcome]
    await reply(update, _(template).format(word=esc(word), limit=MAX_MUTES))


async def unmute_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/suarakan <kata>: stop muting a word."""
    if not "".join(context.args or []).strip():
        await reply(
            update, _("Tulis katanya, misalnya: <code>/suarakan sepak bola</code>. Lihat daftarnya dengan /bisukan.")
        )
        return
    word = await _word_to_change(update, context)
    if word is None:
        return
    async with runtime_of(context).services.db.sessionmaker.begin() as session:
        removed = await remove_mute(session, (await current_subscriber(update, context, session)).id, word)
    if removed:
        await reply(update, _("🔈 <b>{word}</b> tidak lagi dibisukan.").format(word=esc(word)))
    else:
        await reply(
            update, _("<b>{word}</b> tidak sedang dibisukan. Lihat daftarnya dengan /bisukan.").format(word=esc(word))
        )


async def _word_to_change(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """The normalized word of a /bisukan or /suarakan, once the sender may change the chat; None
    (after telling them why) otherwise."""
    if not await may_change(update, context):
        return None
    try:
        return normalize_mute(" ".join(context.args or []))
    except ChoiceError as exc:
        await reply(update, esc(error_text(exc)))
        return None


async def _list(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the chat's muted words."""
    async with runtime_of(context).services.db.sessionmaker.begin() as session:
        words = await mute_words(session, (await current_subscriber(update, context, session)).id)
    if not words:
        await reply(update, _("Belum ada kata yang dibisukan. Contoh: <code>/bisukan sepak bola</code>"))
        return
    header = _("Kata yang dibisukan ({count}/{limit}):").format(count=len(words), limit=MAX_MUTES)
    await reply(update, header + "\n" + "\n".join(f"• {esc(w)}" for w in words))
