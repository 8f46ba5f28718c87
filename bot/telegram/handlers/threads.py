"""The "Perkembangan (N)" button under digests and search results: a thread's earlier stories."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ContextTypes

from bot.store.threads import developments
from bot.telegram.delivery import NO_PREVIEW
from bot.telegram.digest import story_views
from bot.telegram.forum import thread_of
from bot.telegram.handlers.commands import current_subscriber
from bot.telegram.i18n import _
from bot.telegram.jobs import runtime_of
from bot.telegram.render import THREAD_PREFIX, render_developments

logger = logging.getLogger(__name__)

MAX_STORY_ID = 2**31 - 1  # the ids the database hands out; anything larger is no story


async def developments_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a "Perkembangan" press with the thread's earlier stories, by time, in the same chat and topic."""
    query = update.callback_query
    if query is None or not query.data:
        return
    raw = query.data.removeprefix(THREAD_PREFIX)
    if not (raw.isascii() and raw.isdecimal()) or int(raw) > MAX_STORY_ID:
        await query.answer(_("Pilihan ini sudah tidak tersedia."))
        return
    async with runtime_of(context).services.db.sessionmaker.begin() as session:
        views = await story_views(session, [int(raw)], 0)
        earlier = await developments(session, int(raw))
        tz = (await current_subscriber(update, context, session)).timezone
    if not views or not earlier:
        await query.answer(_("Berita ini sudah tidak tersimpan."))
        return
    await query.answer()
    if query.message is not None:
        topic = thread_of(update)
        await context.bot.send_message(
            query.message.chat.id,
            render_developments(views[0], [(d.title, d.url, d.source, d.published) for d in earlier], tz),
            parse_mode="HTML",
            link_preview_options=NO_PREVIEW,
            message_thread_id=topic or None,
        )
