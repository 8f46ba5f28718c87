"""The language of each update, and /bahasa (/language) to choose it for a chat.

``apply_language`` runs first for every update (handler group -1): the chat's stored choice
wins, else the user's Telegram ``language_code`` (English for ``en*``), else Indonesian.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ContextTypes

from bot.store.subscribers import chat_language
from bot.telegram.forum import thread_of
from bot.telegram.handlers.commands import current_subscriber, may_change, reply
from bot.telegram.i18n import LANGUAGES, _, choose_language, current_language, set_language
from bot.telegram.jobs import runtime_of

logger = logging.getLogger(__name__)

NAMES = {"id": "Bahasa Indonesia", "en": "English"}


async def apply_language(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Set the language in effect for this update."""
    if not isinstance(update, Update):
        return
    chat, user = update.effective_chat, update.effective_user
    stored = None
    if chat is not None:
        async with runtime_of(context).services.db.sessionmaker() as session:
            stored = await chat_language(session, chat.id, thread_of(update))
    set_language(choose_language(stored, user.language_code if user else None))


async def language_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/bahasa id|en: the chat's language; without an argument, the current one and how to change it."""
    choice = (context.args[0].lower() if context.args else "").strip()
    if choice not in LANGUAGES:
        if choice:
            logger.info("language refused: %d characters", len(choice))
        await reply(
            update,
            _("Bahasa sekarang: <b>{name}</b>. Pilih <code>/bahasa id</code> atau <code>/bahasa en</code>.").format(
                name=NAMES[current_language()]
            ),
        )
        return
    if not await may_change(update, context):
        return
    async with runtime_of(context).services.db.sessionmaker.begin() as session:
        sub = await current_subscriber(update, context, session)
        sub.language = choice
    set_language(choice)
    await reply(update, _("Bahasa diatur ke <b>{name}</b>.").format(name=NAMES[choice]))
