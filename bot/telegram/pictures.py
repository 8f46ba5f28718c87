"""The lead picture above a message: a large link preview of the picture's URL, or the text alone.

A digest, an alert and a link summary open with their lead story's picture as Telegram's link
preview (``prefer_large_media``, ``show_above_text``) rather than as a photo: the message stays
one ``sendMessage`` of up to 4096 characters with its HTML and buttons, where a photo's caption
holds 1024; the lean bulk transport sends it as one more JSON field; and the delivery ledger's
parts stay what they were. Telegram, not Ringkas, fetches the picture. Where Telegram answers
400 to a message carrying a picture ("wrong file identifier/HTTP URL specified", "failed to get
HTTP URL content", ``WEBPAGE_MEDIA_EMPTY``, ``WEBPAGE_CURL_FAILED``, a picture too large), the
same text is sent once more without it: a 400 means nothing was delivered, so nothing repeats.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Message
from telegram.error import BadRequest

from bot import metrics

logger = logging.getLogger(__name__)

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def preview(picture: str | None) -> LinkPreviewOptions:
    """A large preview of ``picture`` above the text, or no preview at all when there is none."""
    if not picture:
        return NO_PREVIEW
    return LinkPreviewOptions(url=picture, prefer_large_media=True, show_above_text=True)


def note_refusal(reason: str, where: str) -> None:
    """Log and count a picture Telegram refused (the text goes again without it)."""
    metrics.SEND_FAILURES.labels("picture").inc()
    logger.warning("picture refused %s, sending the text alone: %s", where, reason)


async def reply_pictured(
    message: Message, text: str, picture: str | None = None, markup: InlineKeyboardMarkup | None = None
) -> Message:
    """Reply in HTML with ``picture`` above the text; once more as text alone if Telegram refuses it."""
    try:
        return await message.reply_html(text, link_preview_options=preview(picture), reply_markup=markup)
    except BadRequest as exc:
        if not picture:
            raise
        note_refusal(exc.message, f"chat={message.chat_id}")
    return await message.reply_html(text, link_preview_options=NO_PREVIEW, reply_markup=markup)
