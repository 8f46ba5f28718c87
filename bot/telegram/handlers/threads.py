"""The "Perkembangan (N)" button under digests and search results: a thread's earlier stories,
sent where the "Sumber lain" list goes (``bot.telegram.handlers.sources.send_to_presser``)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ContextTypes

from bot.store.threads import developments
from bot.telegram.digest import story_views
from bot.telegram.handlers.commands import current_subscriber
from bot.telegram.handlers.sources import send_to_presser
from bot.telegram.i18n import N_, _
from bot.telegram.jobs import runtime_of
from bot.telegram.numbers import ascii_number
from bot.telegram.render import THREAD_PREFIX, render_developments

logger = logging.getLogger(__name__)

DEVELOPMENTS_SENT = N_("Perkembangan berita dikirim ke chat pribadi Anda dengan bot.")


async def developments_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a "Perkembangan" press with the thread's earlier stories, by time."""
    query = update.callback_query
    if query is None or not query.data:
        return
    story_id = ascii_number(query.data.removeprefix(THREAD_PREFIX))
    if story_id is None:
        await query.answer(_("Pilihan ini sudah tidak tersedia."))
        return
    async with runtime_of(context).services.db.sessionmaker.begin() as session:
        views = await story_views(session, [story_id], 0)
        earlier = await developments(session, story_id)
        tz = (await current_subscriber(update, context, session)).timezone
    if not views or not earlier:
        await query.answer(_("Berita ini sudah tidak tersimpan."))
        return
    listing = render_developments(views[0], [(d.title, d.url, d.source, d.published) for d in earlier], tz)
    await send_to_presser(query, context, listing, "", DEVELOPMENTS_SENT)
