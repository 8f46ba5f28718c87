"""The "Sumber lain (N)" button under search results and digests: every outlet's link for one story."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.telegram.delivery import NO_PREVIEW
from bot.telegram.digest import story_views
from bot.telegram.forum import thread_of
from bot.telegram.i18n import _
from bot.telegram.jobs import runtime_of
from bot.telegram.render import (
    SOURCES_PREFIX,
    StoryView,
    keyboard,
    render_other_sources,
    source_buttons,
)

logger = logging.getLogger(__name__)


def sources_keyboard(stories: Sequence[StoryView]) -> InlineKeyboardMarkup | None:
    """One "Sumber lain (N) · headline" button per story reported by several outlets, or None."""
    return keyboard(source_buttons(stories))


async def other_sources_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a "Sumber lain" press with a message listing each outlet's link, in the button's forum topic."""
    query = update.callback_query
    if query is None or not query.data:
        return
    try:
        story_id = int(query.data.removeprefix(SOURCES_PREFIX))
    except ValueError:
        await query.answer(_("Pilihan ini sudah tidak tersedia."))
        return
    async with runtime_of(context).services.db.sessionmaker() as session:
        views = await story_views(session, [story_id], 0)
    if not views:
        await query.answer(_("Berita ini sudah tidak tersimpan."))
        return
    await query.answer()
    if query.message is not None:
        await context.bot.send_message(
            query.message.chat.id,
            render_other_sources(views[0]),
            parse_mode="HTML",
            link_preview_options=NO_PREVIEW,
            message_thread_id=thread_of(update) or None,
        )
