"""Inline mode: ``@bot kata kunci`` in any chat offers matching recent stories to send there.

Each result is an ``InlineQueryResultArticle``: the title, "outlet · time" and the summary as its
description; choosing one sends the rendered story (HTML, within 4,096 characters) with its
link. An empty query offers today's top stories. Results come ``PAGE`` at a time with
``next_offset``; answers are cached by Telegram for ``CACHE_SECONDS`` and are personal, since a
reader's mute words (from their private chat with the bot) leave stories out.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.store.mutes import muted_story_ids
from bot.store.search import search
from bot.store.storylist import top_story_ids
from bot.store.subscribers import get_subscriber
from bot.telegram.delivery import NO_PREVIEW
from bot.telegram.digest import story_views
from bot.telegram.jobs import runtime_of
from bot.telegram.numbers import ascii_number
from bot.telegram.render import MESSAGE_LIMIT, StoryView, fit_story, local_time

logger = logging.getLogger(__name__)

PAGE = 10
MAX_OFFSET = 40  # five pages: deeper than anyone scrolls an inline list
CACHE_SECONDS = 30
MAX_QUERY_CHARS = 200
TOP_WINDOW = timedelta(hours=24)
DESCRIPTION_CHARS = 180
SENTENCES = 3


def parse_offset(raw: str) -> int | None:
    """The page offset Telegram hands back; None for anything this bot never sent."""
    if not raw:
        return 0
    offset = ascii_number(raw, maximum=MAX_OFFSET)
    if offset is None or offset % PAGE:
        return None
    return offset


def _result(view: StoryView, tz: str) -> InlineQueryResultArticle:
    """One story as an inline result."""
    summary = " ".join(view.sentences)
    outlet = view.sources[0] if view.sources else ""
    when = local_time(view.published, tz) if view.published else ""
    description = f"{' · '.join(filter(None, (outlet, when)))} — {summary}"
    if len(description) > DESCRIPTION_CHARS:
        description = description[: DESCRIPTION_CHARS - 1] + "…"
    content = InputTextMessageContent(
        fit_story(view, tz, MESSAGE_LIMIT - 96), parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW
    )
    return InlineQueryResultArticle(
        id=f"s{view.story_id}",
        title=view.title[:256],
        description=description,
        input_message_content=content,
        url=view.url,
    )


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer an inline query with a page of matching (or today's top) stories."""
    query = update.inline_query
    if query is None:
        return
    offset = parse_offset(query.offset)
    text = " ".join(query.query.split())[:MAX_QUERY_CHARS]
    if len(query.query) > MAX_QUERY_CHARS:
        logger.info("inline query cut from %d to %d characters", len(query.query), MAX_QUERY_CHARS)
    if offset is None:
        logger.info("inline query with an offset this bot never gave: %.10r", query.offset)
        await query.answer([], cache_time=CACHE_SECONDS, is_personal=True)
        return
    rt = runtime_of(context)
    wanted = offset + PAGE + 1  # one more than the page says whether another page follows
    async with rt.services.db.sessionmaker() as session:
        if text:
            ids = [h.story_id for h in await search(session, text, limit=wanted + PAGE) if h.story_id]
        else:
            now = rt.clock.now()
            ids = await top_story_ids(session, now - TOP_WINDOW, now, wanted + PAGE)
        sub = await get_subscriber(session, query.from_user.id)
        tz = sub.timezone if sub else rt.services.settings.ringkas_timezone
        if sub is not None:
            muted = await muted_story_ids(session, sub.id, ids)
            ids = [i for i in ids if i not in muted]
        page = ids[offset : offset + PAGE]
        views = await story_views(session, page, SENTENCES)
    more = len(ids) > offset + PAGE and offset + PAGE <= MAX_OFFSET
    # "No further page" is next_offset left out, not "": with Defaults set, PTB 22's ExtBot turns an
    # empty string parameter into "[]" (an empty str passes its InputPollOption sequence check).
    try:
        await query.answer(
            [_result(v, tz) for v in views],
            cache_time=CACHE_SECONDS,
            is_personal=True,
            next_offset=str(offset + PAGE) if more else None,
        )
    except BadRequest as exc:  # an answer after Telegram's ~10 s window is refused; nothing to retry
        logger.warning("inline answer refused: %s", exc.message)
        return
    logger.info("inline query answered results=%d offset=%d empty_query=%s", len(views), offset, not text)
