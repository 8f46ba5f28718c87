"""Mute words: /bisukan (/mute) adds or lists them, /suarakan (/unmute) removes one."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ContextTypes

from bot.store.mutes import MAX_MUTES, MuteError, add_mute, mute_words, normalize_mute, remove_mute
from bot.telegram.handlers import current_subscriber, may_change, reply
from bot.telegram.jobs import runtime_of
from bot.telegram.render import esc

logger = logging.getLogger(__name__)

ADDED = "🔇 Berita tentang <b>{word}</b> tidak akan muncul di ringkasan, notifikasi, dan pencarian."
EXISTS = "<b>{word}</b> sudah dibisukan."
FULL = f"Maksimal {MAX_MUTES} kata yang dibisukan. Hapus salah satu dengan /suarakan."


async def mute_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/bisukan <kata>: leave stories with this word out; /bisukan alone lists the muted words."""
    text = " ".join(context.args or [])
    if not text.strip():
        await _list(update, context)
        return
    if not await may_change(update, context):
        return
    try:
        word = normalize_mute(text)
    except MuteError as exc:
        await reply(update, esc(str(exc)))
        return
    async with runtime_of(context).services.db.sessionmaker.begin() as session:
        sub = await current_subscriber(update, context, session)
        outcome = await add_mute(session, sub.id, word)
        sub_id = sub.id
    logger.info("mute subscriber=%d outcome=%s", sub_id, outcome)
    template = {"added": ADDED, "exists": EXISTS, "full": FULL}[outcome]
    await reply(update, template.format(word=esc(word)))


async def unmute_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/suarakan <kata>: stop muting a word."""
    text = " ".join(context.args or [])
    if not text.strip():
        await reply(update, "Tulis katanya, misalnya: <code>/suarakan sepak bola</code>. Lihat daftarnya dengan /bisukan.")
        return
    if not await may_change(update, context):
        return
    try:
        word = normalize_mute(text)
    except MuteError as exc:
        await reply(update, esc(str(exc)))
        return
    async with runtime_of(context).services.db.sessionmaker.begin() as session:
        removed = await remove_mute(session, (await current_subscriber(update, context, session)).id, word)
    if removed:
        await reply(update, f"🔈 <b>{esc(word)}</b> tidak lagi dibisukan.")
    else:
        await reply(update, f"<b>{esc(word)}</b> tidak sedang dibisukan. Lihat daftarnya dengan /bisukan.")


async def _list(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the chat's muted words."""
    async with runtime_of(context).services.db.sessionmaker.begin() as session:
        words = await mute_words(session, (await current_subscriber(update, context, session)).id)
    if not words:
        await reply(update, "Belum ada kata yang dibisukan. Contoh: <code>/bisukan sepak bola</code>")
        return
    await reply(update, f"Kata yang dibisukan ({len(words)}/{MAX_MUTES}):\n" + "\n".join(f"• {esc(w)}" for w in words))
