"""Deep links: ``t.me/<bot>?start=ikuti_<topik>`` follows a topic, ``?start=langganan_0630`` subscribes,
``?start=sumber_<story id>`` lists a story's outlets (where a "Sumber lain" press in a group sends
someone who never started the bot).

Telegram hands the payload to ``/start`` as its one argument. Payloads are at most 64 characters
of ``A-Za-z0-9_-`` (Telegram's own rule); anything else, or a payload this bot does not know, gets
the normal welcome and one log line. A topic travels with its spaces as underscores.
"""

from __future__ import annotations

import logging
import re

from telegram import Update
from telegram.ext import ContextTypes

from bot.store.subscribers import topics
from bot.telegram.handlers import commands as user
from bot.telegram.handlers.sources import SOURCES_PAYLOAD, other_sources_text
from bot.telegram.i18n import _
from bot.telegram.jobs import runtime_of
from bot.telegram.numbers import ascii_number
from bot.telegram.render import esc

logger = logging.getLogger(__name__)

PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")
FOLLOW_PREFIX = "ikuti_"
SUBSCRIBE_PREFIX = "langganan_"
_CLOCK = re.compile(r"([01]\d|2[0-3])([0-5]\d)")


def follow_payload(keyword: str) -> str | None:
    """The start payload that follows this keyword, or None when it cannot travel in a link."""
    payload = FOLLOW_PREFIX + keyword.replace(" ", "_")
    return payload if PAYLOAD.fullmatch(payload) else None


def subscribe_payload(digest_time: str) -> str:
    """The start payload that subscribes at this time ('06:30' -> 'langganan_0630')."""
    return SUBSCRIBE_PREFIX + digest_time.replace(":", "")


def start_link(username: str, payload: str) -> str:
    """The t.me link that opens the bot with a start payload."""
    return f"https://t.me/{username}?start={payload}"


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start [payload]: act on a known deep-link payload, else the welcome."""
    payload = context.args[0] if context.args and len(context.args) == 1 else ""
    if not payload:
        await user.start(update, context)
        return
    if not PAYLOAD.fullmatch(payload):
        logger.info("start payload refused: %d characters outside the allowed set or length", len(payload))
        await user.start(update, context)
        return
    if payload.startswith(FOLLOW_PREFIX) and payload[len(FOLLOW_PREFIX) :].strip("_-"):
        context.args = payload[len(FOLLOW_PREFIX) :].split("_")
        logger.info("deep link: follow")
        await user.follow_command(update, context)
        return
    clock = _CLOCK.fullmatch(payload[len(SUBSCRIBE_PREFIX) :]) if payload.startswith(SUBSCRIBE_PREFIX) else None
    if clock:
        context.args = [f"{clock.group(1)}:{clock.group(2)}"]
        logger.info("deep link: subscribe")
        await user.subscribe(update, context)
        return
    if payload.startswith(SOURCES_PAYLOAD):  # from a "Sumber lain" press in a group
        story_id = ascii_number(payload.removeprefix(SOURCES_PAYLOAD))
        text = await other_sources_text(context, story_id) if story_id is not None else None
        logger.info("deep link: other sources")
        await user.reply(update, text or _("Berita ini sudah tidak tersimpan."))
        return
    logger.info("start payload unknown: %.20s", payload)
    await user.start(update, context)


async def share(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/bagikan: links that let others follow this chat's topics and subscribe at its time."""
    async with runtime_of(context).services.db.sessionmaker.begin() as session:
        sub = await user.current_subscriber(update, context, session)
        keywords = await topics(session, sub)
        subscribed, digest_time = sub.subscribed, sub.digest_time
    username = context.bot.username
    lines = [_("<b>Bagikan Ringkas</b>")]
    if subscribed:
        lines.append(
            _("Ringkasan harian pukul {time}:").format(time=digest_time)
            + "\n"
            + start_link(username, subscribe_payload(digest_time))
        )
    unshareable = []
    for keyword in keywords:
        payload = follow_payload(keyword)
        if payload is None:
            unshareable.append(keyword)
        else:
            lines.append(_("Ikuti <b>{topic}</b>:").format(topic=esc(keyword)) + "\n" + start_link(username, payload))
    if unshareable:
        lines.append(
            _("Tidak bisa dijadikan tautan (hanya huruf, angka, spasi, dan tanda -): {topics}").format(
                topics=", ".join(esc(k) for k in unshareable)
            )
        )
    if len(lines) == 1:
        lines.append(
            _(
                "Ajak teman memakai Ringkas: {link}\n"
                "Ikuti topik dengan /ikuti, lalu /bagikan memberi tautan untuk topik itu."
            ).format(link=start_link(username, subscribe_payload("07:00")))
        )
    await user.reply(update, "\n\n".join(lines))
