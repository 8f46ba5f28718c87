"""A link, summarized: a private message holding an http(s) link, or ``/ringkas URL`` anywhere.

Fetching and summarizing is ``bot.ingest.linksummary`` (ingestion's fetching and summarizing code,
on budgets of its own); this module adds the per-user rate limit, the reader-facing messages and
the rendering. A link may take the whole fetch and parse limits, so the handler only says the
summary is coming and the summary is made in the background: the chat's next updates (a button,
a command, an inline query) and every other chat's are answered meanwhile, and no link holds
one of the update processor's slots. One chat's links are summarized one at a time, in the order
they came, so their answers keep that order too.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from datetime import datetime, timedelta

from telegram import Update
from telegram.constants import ChatAction
from telegram.ext import ContextTypes

from bot.ingest.linksummary import LinkError
from bot.store.subscribers import get_subscriber
from bot.telegram.forum import thread_of
from bot.telegram.handlers.commands import reply
from bot.telegram.i18n import N_, _
from bot.telegram.jobs import runtime_of
from bot.telegram.ordering import KeyedLocks
from bot.telegram.render import StoryView, fit_story

logger = logging.getLogger(__name__)

LINKS_PER_WINDOW = 10
WINDOW = timedelta(minutes=1)
URL_IN_TEXT = re.compile(r"(?i)\bhttps?://[^\s<>\"']+")
# Punctuation that ends a sentence after a link rather than belonging to it.
_TRAILING = ".,;:!?)]}»\u201d"
FAILURES = {
    "unsafe": N_("Tautan itu tidak bisa dibuka: alamatnya tidak valid atau tidak diizinkan."),
    "fetch": N_("Maaf, halaman itu tidak bisa diambil sekarang. Periksa tautannya atau coba lagi nanti."),
    "busy": N_(
        "Situs itu sedang sibuk atau lambat, jadi halamannya belum bisa diambil. Coba lagi beberapa menit lagi."
    ),
    "too_heavy": N_("Halaman itu terlalu berat untuk diringkas."),
    "not_page": N_(
        "Tautan itu bukan halaman artikel (misalnya PDF, gambar, atau berkas lain), jadi tidak bisa diringkas."
    ),
    "no_text": N_("Halaman itu tidak berisi teks artikel yang bisa diringkas."),
}
WORKING = N_("⏳ Sebentar, tautan itu sedang diringkas…")
TOO_MANY = N_("Pelan-pelan dulu 🙏 Anda sudah mengirim {count} tautan dalam semenit terakhir. Coba lagi sebentar lagi.")


class LinkLimiter:
    """At most LINKS_PER_WINDOW links per user in any WINDOW (sliding), counted in memory."""

    def __init__(self) -> None:
        """Start with no links seen."""
        self._seen: dict[int, deque[datetime]] = {}

    def allow(self, user_id: int, now: datetime) -> bool:
        """Whether this user may have one more link summarized now (and count it if so)."""
        times = self._seen.setdefault(user_id, deque())
        while times and now - times[0] >= WINDOW:
            times.popleft()
        if len(times) >= LINKS_PER_WINDOW:
            return False
        times.append(now)
        return True


def first_link(text: str) -> str | None:
    """The first http(s) URL in a text, without the sentence punctuation after it."""
    match = URL_IN_TEXT.search(text)
    return match.group(0).rstrip(_TRAILING) if match else None


async def summarize_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ringkas <URL>: summarize one page (groups too)."""
    url = first_link(" ".join(context.args or []))
    if url is None:
        await reply(update, _("Kirim tautannya, misalnya: <code>/ringkas https://contoh.id/berita</code>"))
        return
    await _summarize(update, context, url)


async def link_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A private message with an http(s) link in it: summarize the first link."""
    message = update.effective_message
    url = first_link(message.text or "") if message else None
    if url is not None:
        await _summarize(update, context, url)


async def _summarize(update: Update, context: ContextTypes.DEFAULT_TYPE, url: str) -> None:
    """Answer one link: refuse at once what needs no fetch, else say the summary is coming and make it later."""
    rt = runtime_of(context)
    user, chat = update.effective_user, update.effective_chat
    limiter: LinkLimiter = context.application.bot_data.setdefault("link_limiter", LinkLimiter())
    requester = user.id if user else chat.id if chat else 0
    if not limiter.allow(requester, rt.clock.now()):
        logger.info("link refused: rate limit user=%d", requester)
        await reply(update, _(TOO_MANY).format(count=LINKS_PER_WINDOW))
        return
    refused = rt.services.links.refusal(url)
    if refused is not None:
        logger.info("link refused at once kind=%s", refused.kind)
        await reply(update, _(FAILURES[refused.kind]))
        return
    await reply(update, _(WORKING))
    context.application.create_task(_answer(update, context, url), update=update, name="link-summary")


async def _answer(update: Update, context: ContextTypes.DEFAULT_TYPE, url: str) -> None:
    """Summarize one link on the readers' budgets and reply (a background task, after the chat's earlier links)."""
    rt = runtime_of(context)
    chat = update.effective_chat
    turns: KeyedLocks = context.application.bot_data.setdefault("link_turns", KeyedLocks())
    async with turns.hold(chat.id if chat else 0):
        if not context.application.running:  # stopping: PTB waits for these tasks, so skip the queued ones
            logger.info("link dropped: the bot is stopping")
            return
        if chat is not None:
            await context.bot.send_chat_action(chat.id, ChatAction.TYPING, message_thread_id=thread_of(update) or None)
        try:
            summary = await rt.services.links.summarize(url)
        except LinkError as exc:
            logger.info("link not summarized kind=%s", exc.kind)
            await reply(update, _(FAILURES[exc.kind]))
            return
        tz, picture = rt.services.settings.ringkas_timezone, summary.image
        if chat is not None:
            async with rt.services.db.sessionmaker() as session:
                sub = await get_subscriber(session, chat.id, thread_of(update))
                tz = sub.timezone if sub else tz
                picture = picture if sub is None or sub.pictures else None
        view = StoryView(
            0,
            summary.title,
            summary.url,
            [summary.outlet],
            summary.published,
            summary.sentences,
            "",
            has_time=summary.has_time,
        )
        logger.info("link summarized sentences=%d picture=%s", len(summary.sentences), picture is not None)
        await reply(update, "🔗 " + fit_story(view, tz, 4000), picture=picture)
