"""The "Sumber lain (N)" button under search results and digests: every outlet's link for one story.

In a private chat a press answers with a message there. In a group a message per press would
fill the group (anyone can press, again and again), so the list goes to the presser's private
chat with the bot instead, and the press gets a popup saying so; someone who never started the
bot is sent to it with a ``sumber_<story id>`` start link, which ``bot.telegram.deeplinks`` answers.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes

from bot.telegram.delivery import NO_PREVIEW
from bot.telegram.digest import story_views
from bot.telegram.i18n import N_, _
from bot.telegram.jobs import runtime_of
from bot.telegram.numbers import ascii_number
from bot.telegram.render import (
    SOURCES_PREFIX,
    StoryView,
    keyboard,
    render_other_sources,
    source_buttons,
)

logger = logging.getLogger(__name__)

SENT_NOTE = N_("Daftar sumber dikirim ke chat pribadi Anda dengan bot.")
SOURCES_PAYLOAD = "sumber_"  # start payload that lists a story's outlets: sumber_<story id>


def sources_keyboard(stories: Sequence[StoryView]) -> InlineKeyboardMarkup | None:
    """One "Sumber lain (N) · headline" button per story reported by several outlets, or None."""
    return keyboard(source_buttons(stories))


async def other_sources_text(context: ContextTypes.DEFAULT_TYPE, story_id: int) -> str | None:
    """Every outlet's link for the story, or None when it is no longer stored."""
    async with runtime_of(context).services.db.sessionmaker() as session:
        views = await story_views(session, [story_id], 0)
    return render_other_sources(views[0]) if views else None


async def other_sources_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a "Sumber lain" press: the list in a private chat, else in the presser's private chat."""
    query = update.callback_query
    if query is None:
        return
    story_id = ascii_number((query.data or "").removeprefix(SOURCES_PREFIX))
    if story_id is None:
        await query.answer(_("Pilihan ini sudah tidak tersedia."))
        return
    text = await other_sources_text(context, story_id)
    if text is None:
        await query.answer(_("Berita ini sudah tidak tersimpan."))
        return
    await send_to_presser(query, context, text, f"{SOURCES_PAYLOAD}{story_id}")


async def send_to_presser(
    query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE, text: str, payload: str, note: str = SENT_NOTE
) -> None:
    """Answer a press with ``text``: in a private chat there, in a group or channel in the presser's
    private chat (a popup says so), or, where the presser never started the bot, a popup that
    opens it with the start ``payload``."""
    chat = query.message.chat if query.message is not None else None
    if chat is not None and chat.type == ChatType.PRIVATE:
        await query.answer()
        await context.bot.send_message(chat.id, text, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW)
        return
    try:
        await context.bot.send_message(
            query.from_user.id, text, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW
        )
    except (Forbidden, BadRequest) as exc:  # the presser never started the bot (or blocked it)
        logger.info("list sent through a start link: %s", exc.message)
        await query.answer(url=f"{context.bot.link}?start={payload}")
        return
    await query.answer(_(note))
