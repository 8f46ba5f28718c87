"""Who may change a chat's subscription and settings: anyone in a private chat, only admins elsewhere.

Commands and button presses ask the same question; a command's refusal is a reply, a press's
refusal a popup on the button (``answerCallbackQuery``), so no press ever adds a message to a
group or channel.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import ContextTypes

from bot.telegram.i18n import _


async def allowed_to_change(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Whether the sender may change this chat: anyone in a private chat, an administrator elsewhere."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or chat.type == ChatType.PRIVATE:
        return True
    if chat.type == ChatType.CHANNEL and update.channel_post is not None:
        return True  # only a channel's administrators can post in it
    if user is not None:
        member = await context.bot.get_chat_member(chat.id, user.id)
        if member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER):
            return True
    return False


def refusal(update: Update) -> str:
    """Why a non-admin cannot change this group or channel, in the reader's language."""
    if update.effective_chat is not None and update.effective_chat.type == ChatType.CHANNEL:
        return _("Maaf, hanya admin kanal yang dapat mengubah pengaturan Ringkas di kanal ini.")
    return _("Maaf, hanya admin grup yang dapat mengubah pengaturan Ringkas di grup ini.")
