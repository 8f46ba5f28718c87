"""``sendPhoto`` for the fake Bot API: a photo uploaded as a file (multipart) or named by a
file id or URL, with an optional caption checked the way Telegram checks it.

An uploaded file is recorded by ``request_params`` as its name, size and first bytes (``head``,
hex), so a test can tell a PNG from anything else without the fake keeping whole pictures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.fakes.api_errors import bad_request
from tests.fakes.telegram_places import bot_message, check_destination
from tests.fakes.telegram_validation import check_reply_markup, utf16_len, visible_text

if TYPE_CHECKING:
    from tests.fakes.telegram_methods import BotApi

MAX_CAPTION_UTF16 = 1024
MAX_PHOTO_BYTES = 10 * 1024 * 1024  # Telegram's limit for a photo sent as a file


def send_photo(api: BotApi, params: dict[str, Any]) -> dict[str, Any]:
    """Validate like Telegram, store the message (a photo with its caption), return it."""
    chat_id = api._chat(params)
    photo = params.get("photo")
    if isinstance(photo, dict):
        size = int(photo.get("size", 0))
        if size == 0:
            raise bad_request("file must be non-empty")
        if size > MAX_PHOTO_BYTES:
            raise bad_request("PHOTO_INVALID_DIMENSIONS")
    elif not isinstance(photo, str) or not photo:
        raise bad_request("there is no photo in the request")
    else:
        size = 0
    caption = params.get("caption")
    visible = ""
    if caption is not None:
        visible = visible_text(str(caption), params.get("parse_mode")).strip()
        if utf16_len(visible) > MAX_CAPTION_UTF16:
            raise bad_request("message caption is too long")
    markup = params.get("reply_markup")
    check_reply_markup(markup)
    check_destination(api.state, chat_id, params)
    message = bot_message(api.state, chat_id, params, visible)
    del message["text"]
    message["photo"] = [{"file_id": f"photo-{message['message_id']}", "file_unique_id": "p", "width": 1, "height": 1,
                         "file_size": size}]  # fmt: skip
    if visible:
        message["caption"] = visible
    if isinstance(markup, dict) and "inline_keyboard" in markup:
        message["reply_markup"] = markup
    api.state.messages[(chat_id, message["message_id"])] = message
    return message
