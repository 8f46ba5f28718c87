"""Channels: a channel admin posts ``/langganan 07:00`` in the channel and the channel subscribes.

A ``channel_post`` carries ``sender_chat`` and no ``from``: only the channel's administrators can
post in it, so a channel post is the channel's own decision, and nothing else (no group or
private message) changes a channel's subscription. The bot answers only where it is an
administrator allowed to post; elsewhere it cannot answer at all, so it logs and stays silent.
Every post of the bot there that is not a digest or an alert (confirmations, keyboards, an error
message) is deleted after ``ringkas_channel_cleanup_seconds`` (0 keeps them) so the channel stays
clean; a press on one of its buttons is answered with a popup, never with a post. A channel that
removes the bot answers 403 and the delivery code deactivates it like a blocked user.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from typing import Any, cast

from telegram import Message, Update
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.telegram.jobs import runtime_of

logger = logging.getLogger(__name__)

Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]
# Replies sent while handling one channel post, so they can be cleaned up later.
CHANNEL_REPLIES: ContextVar[list[Message] | None] = ContextVar("channel_replies", default=None)


def note_reply(message: Message) -> None:
    """Remember a reply sent while handling a channel post (no-op elsewhere)."""
    sent = CHANNEL_REPLIES.get()
    if sent is not None:
        sent.append(message)


async def bot_may_post(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> bool:
    """Whether the bot is an administrator of the channel that may post messages."""
    try:
        member = await context.bot.get_chat_member(chat_id, context.bot.id)
    except TelegramError as exc:
        logger.info("channel %d: membership unknown (%s)", chat_id, exc.message)
        return False
    # Telegram sets can_post_messages for channel administrators; only an explicit False refuses.
    return member.status == ChatMemberStatus.ADMINISTRATOR and getattr(member, "can_post_messages", None) is not False


def in_channel(callback: Handler) -> Handler:
    """Run a command for a channel post, once the bot may answer there; clean up afterwards."""

    async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Run the command when the post is signed by the channel and the bot is an admin there; log and ignore otherwise."""
        chat, post = update.effective_chat, update.channel_post
        if chat is None or post is None or post.sender_chat is None or post.sender_chat.id != chat.id:
            logger.info("channel command ignored: not a post signed by the channel")
            return
        if not await bot_may_post(context, chat.id):
            logger.warning("channel command ignored chat=%d: the bot is not an administrator there", chat.id)
            return
        sent: list[Message] = []
        token = CHANNEL_REPLIES.set(sent)
        try:
            await callback(update, context)
        finally:  # what was posted before a failure is cleaned up as well
            CHANNEL_REPLIES.reset(token)
            clean_up_later(context, sent)

    handle.__doc__ = callback.__doc__
    return handle


def clean_up_later(context: ContextTypes.DEFAULT_TYPE, posts: list[Message]) -> None:
    """Delete these posts of the bot in a channel after ``ringkas_channel_cleanup_seconds`` (0 keeps them)."""
    delay = runtime_of(context).services.settings.ringkas_channel_cleanup_seconds
    if delay <= 0 or context.job_queue is None:
        return
    for message in posts:
        context.job_queue.run_once(
            delete_reply,
            when=delay,
            data=(message.chat_id, message.message_id),
            name=f"channel-cleanup-{message.chat_id}-{message.message_id}",
        )


async def delete_reply(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Delete one of the bot's posts in a channel; a message already gone is fine."""
    assert context.job is not None
    chat_id, message_id = cast(tuple[int, int], context.job.data)
    try:
        await context.bot.delete_message(chat_id, message_id)
    except TelegramError as exc:
        logger.info("channel confirmation not deleted chat=%d: %s", chat_id, exc.message)
