"""The Bot API methods the fake implements, answering from and writing to ``FakeState``.

Each method takes the decoded parameters and returns the ``result`` Telegram would send, or
raises ``ApiError``.  They run on the server thread with ``state.cond`` held.  ``getUpdates``
is not here: it may wait, so the server drives it (see ``telegram_api``).
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from typing import Any

from tests.fakes.api_errors import ApiError, bad_request
from tests.fakes.telegram_inline import answer_inline_query
from tests.fakes.telegram_media import send_photo
from tests.fakes.telegram_objects import (
    DEFAULT_USER_FIRST_NAME,
    chat_member,
    full_chat_info,
    human_user,
)
from tests.fakes.telegram_places import bot_message, check_destination
from tests.fakes.telegram_state import ChatId, FakeState
from tests.fakes.telegram_validation import check_link_preview, check_message_text, check_reply_markup

logger = logging.getLogger(__name__)

MAX_CALLBACK_ANSWER_CHARS = 200
MAX_BOT_COMMANDS = 100
MAX_COMMAND_DESCRIPTION_CHARS = 256
COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice",
        "upload_voice", "upload_document", "choose_sticker", "find_location",
        "record_video_note", "upload_video_note",
    }
)  # fmt: skip
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"

Method = Callable[[dict[str, Any]], Any]


class BotApi:
    """Synchronous Bot API methods over a shared ``FakeState``."""

    def __init__(self, state: FakeState) -> None:
        self.state = state
        self.methods: dict[str, Method] = {
            "getMe": lambda _: state.bot,
            "close": lambda _: True,
            "logOut": lambda _: True,
            "deleteWebhook": self.delete_webhook,
            "setWebhook": self.set_webhook,
            "getWebhookInfo": self.get_webhook_info,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": lambda p: state.commands.get(_commands_key(p), []),
            "deleteMyCommands": self.delete_my_commands,
            "sendMessage": self.send_message,
            "sendPhoto": lambda p: send_photo(self, p),
            "editMessageText": self.edit_message_text,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "deleteMessage": self.delete_message,
            "answerCallbackQuery": self.answer_callback_query,
            "answerInlineQuery": lambda p: answer_inline_query(state, p),
            "sendChatAction": self.send_chat_action,
            "getChat": lambda p: full_chat_info(state.chat(self._chat(p, blockable=False))),
            "getChatMember": self.get_chat_member,
            "getChatAdministrators": self.get_chat_administrators,
        }

    def delete_webhook(self, params: dict[str, Any]) -> bool:
        """Switch back to getUpdates, optionally dropping the queue."""
        self.state.webhook.clear()
        if params.get("drop_pending_updates"):
            self.state.updates.clear()
        return True

    def set_webhook(self, params: dict[str, Any]) -> bool:
        """Record the webhook; getUpdates answers 409 until it is deleted."""
        if not params.get("url"):
            return self.delete_webhook(params)
        self.state.webhook = {k: v for k, v in params.items() if k != "certificate"}
        return True

    def get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        """What setWebhook recorded, plus the pending update count."""
        info = {
            "url": self.state.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self.state.updates),
        }
        for key in ("max_connections", "allowed_updates", "ip_address"):
            if key in self.state.webhook:
                info[key] = self.state.webhook[key]
        return info

    def set_my_commands(self, params: dict[str, Any]) -> bool:
        """Record the command menu for a scope and language."""
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > MAX_BOT_COMMANDS:
            raise bad_request("commands must be an array of at most 100 BotCommand")
        for command in commands:
            if not isinstance(command, dict) or not COMMAND_NAME.fullmatch(str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= MAX_COMMAND_DESCRIPTION_CHARS:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.state.commands[_commands_key(params)] = commands
        return True

    def delete_my_commands(self, params: dict[str, Any]) -> bool:
        """Forget the command menu for a scope and language."""
        self.state.commands.pop(_commands_key(params), None)
        return True

    def send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        """Validate like Telegram, store the message, return it."""
        chat_id = self._chat(params)
        text, parse_mode = params.get("text"), params.get("parse_mode")
        visible = check_message_text(text, parse_mode)
        markup = params.get("reply_markup")
        check_reply_markup(markup)
        self._check_preview(params.get("link_preview_options"))
        check_destination(self.state, chat_id, params)
        message = bot_message(self.state, chat_id, params, visible)
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        key = (chat_id, message["message_id"])
        self.state.messages[key] = message
        self.state.raw_texts[key] = (str(text), parse_mode)
        return message

    def _check_preview(self, options: Any) -> None:
        """Validate link preview options; refuse a picture ``refuse_picture`` named, as Telegram refuses one."""
        check_link_preview(options)
        url = options.get("url") if isinstance(options, dict) and not options.get("is_disabled") else None
        refusal = self.state.refused_pictures.get(url) if isinstance(url, str) else None
        if refusal is not None:
            raise ApiError(400, refusal)

    def edit_message_text(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        """Replace a message's text (and keyboard); refuse a no-op edit like Telegram."""
        text, parse_mode = params.get("text"), params.get("parse_mode")
        visible = check_message_text(text, parse_mode)
        markup = params.get("reply_markup")
        check_reply_markup(markup)
        if params.get("inline_message_id"):
            return True
        key, message = self._message(params, "edit")
        if self.state.raw_texts.get(key) == (text, parse_mode) and message.get("reply_markup") == _inline(markup):
            raise bad_request(NOT_MODIFIED)
        self.state.raw_texts[key] = (str(text), parse_mode)
        return self._replace(key, message, text=visible, reply_markup=_inline(markup))

    def edit_message_reply_markup(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        """Replace (or remove) a message's inline keyboard."""
        markup = params.get("reply_markup")
        check_reply_markup(markup)
        if params.get("inline_message_id"):
            return True
        key, message = self._message(params, "edit")
        if message.get("reply_markup") == _inline(markup):
            raise bad_request(NOT_MODIFIED)
        return self._replace(key, message, reply_markup=_inline(markup))

    def delete_message(self, params: dict[str, Any]) -> bool:
        """Forget a message."""
        key, _ = self._message(params, "delete")
        del self.state.messages[key]
        self.state.raw_texts.pop(key, None)
        return True

    def answer_callback_query(self, params: dict[str, Any]) -> bool:
        """Accept one answer per known callback query."""
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self.state.callback_queries:
            raise bad_request(QUERY_INVALID)
        if len(str(params.get("text") or "")) > MAX_CALLBACK_ANSWER_CHARS:
            raise bad_request("MESSAGE_TOO_LONG")
        self.state.callback_queries.discard(query_id)
        return True

    def send_chat_action(self, params: dict[str, Any]) -> bool:
        """Accept a known chat action."""
        self._chat(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    def get_chat_member(self, params: dict[str, Any]) -> dict[str, Any]:
        """A member, administrator if ``set_chat_admins`` listed the user."""
        chat_id = self._chat(params, blockable=False)
        user_id = params.get("user_id")
        if not isinstance(user_id, int):
            raise bad_request("user_id must be an integer")
        member = chat_member(self._user(user_id), user_id in self.state.admins.get(chat_id, []))
        if member["status"] == "administrator" and self.state.chat(chat_id)["type"] == "channel":
            member.update(can_post_messages=True, can_edit_messages=True)
        return member

    def get_chat_administrators(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """The administrators ``set_chat_admins`` configured for a group."""
        chat_id = self._chat(params, blockable=False)
        if self.state.chat(chat_id)["type"] == "private":
            raise bad_request("there are no administrators in the private chat")
        return [chat_member(self._user(u), True) for u in self.state.admins.get(chat_id, [])]

    def _chat(self, params: dict[str, Any], *, blockable: bool = True) -> ChatId:
        """The target chat, after the migrated and blocked checks Telegram makes."""
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int | str) or chat_id == "":
            raise bad_request("chat_id is empty")
        new_id = self.state.migrated.get(chat_id)
        if new_id is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": new_id},
            )
        if blockable and chat_id in self.state.forbidden:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    def _message(self, params: dict[str, Any], verb: str) -> tuple[tuple[ChatId, int], dict[str, Any]]:
        chat_id = self._chat(params)
        message_id = params.get("message_id")
        if not isinstance(message_id, int):
            raise bad_request("message identifier is not specified")
        message = self.state.messages.get((chat_id, message_id))
        if message is None:
            raise bad_request(f"message to {verb} not found")
        return (chat_id, message_id), message

    def _replace(self, key: tuple[ChatId, int], message: dict[str, Any], **changes: Any) -> dict[str, Any]:
        edited = {**message, **changes, "edit_date": int(time.time())}
        if edited.get("reply_markup") is None:
            edited.pop("reply_markup", None)
        self.state.messages[key] = edited
        return edited

    def _user(self, user_id: int) -> dict[str, Any]:
        if user_id == self.state.bot["id"]:
            return self.state.bot
        return human_user(user_id, DEFAULT_USER_FIRST_NAME, None)


def _inline(markup: Any) -> dict[str, Any] | None:
    """Only inline keyboards are part of a message; reply keyboards are not echoed."""
    return markup if isinstance(markup, dict) and "inline_keyboard" in markup else None


def _commands_key(params: dict[str, Any]) -> str:
    scope = params.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True) + "|" + str(params.get("language_code") or "")
