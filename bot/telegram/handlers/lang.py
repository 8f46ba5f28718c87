"""The language of each update, and /bahasa (/language) to choose it for a chat.

``apply_language`` runs first for every update (handler group -1): the chat's stored choice
wins, else the user's Telegram ``language_code`` (English for ``en*``), else Indonesian. In a
private chat it also stores the user's ``language_code`` when it changed, for what is sent
later without an update: digests and alerts. A group has many readers and no one language;
it follows its /bahasa choice.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.store.languages import MAX_LANGUAGE_CODE_CHARS, chat_languages, remember_language_code
from bot.telegram.forum import thread_of
from bot.telegram.handlers.commands import current_subscriber, may_change, reply
from bot.telegram.i18n import LANGUAGES, _, choose_language, current_language, set_language
from bot.telegram.jobs import runtime_of

logger = logging.getLogger(__name__)

NAMES = {"id": "Bahasa Indonesia", "en": "English"}


async def apply_language(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Set the language in effect for this update, and keep a private chat's Telegram language."""
    if not isinstance(update, Update):
        return
    chat, user = update.effective_chat, update.effective_user
    code = (user.language_code or "")[:MAX_LANGUAGE_CODE_CHARS] if user else ""
    known = None
    if chat is not None:
        db, thread = runtime_of(context).services.db, thread_of(update)
        async with db.sessionmaker() as session:
            known = await chat_languages(session, chat.id, thread)
        if known is not None and code and known[1] != code and chat.type == ChatType.PRIVATE:
            async with db.sessionmaker.begin() as session:
                await remember_language_code(session, chat.id, thread, code)
    set_language(choose_language(known[0] if known else None, code or None))


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
