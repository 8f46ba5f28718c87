"""Incoming updates: build what a user's message or button press looks like, serve getUpdates.

Update ids count up from 1; ``getUpdates`` follows the Bot API rules: an ``offset``
confirms (drops) every update with a smaller id, a negative ``offset`` keeps only the last
``-offset`` updates, ``limit`` is clamped to 1..100, and ``allowed_updates`` is remembered
until changed, an empty list meaning every type except the chat-member and reaction ones.
All functions expect the caller to hold ``state.cond``.
"""

from __future__ import annotations

import itertools
import time
from typing import Any

from tests.fakes.api_errors import bad_request
from tests.fakes.telegram_objects import (
    DEFAULT_USER_FIRST_NAME,
    command_entities,
    human_user,
    make_chat,
)
from tests.fakes.telegram_state import ChatId, FakeState

MAX_UPDATES_PER_CALL = 100
DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_callback_ids = itertools.count(1)


def queue_update(state: FakeState, raw: dict[str, Any]) -> int:
    """Queue a raw update, giving it the next ``update_id`` unless it brings its own."""
    update = dict(raw)
    update_id = update.get("update_id")
    if update_id is None:
        update_id = update["update_id"] = state.next_update_id
    elif not isinstance(update_id, int):
        raise ValueError("update_id must be an int")
    state.next_update_id = max(state.next_update_id, update_id + 1)
    state.updates.append(update)
    state.cond.notify_all()
    return update_id


def user_message(
    state: FakeState,
    chat_id: int,
    text: str,
    *,
    user_id: int | None,
    chat_type: str,
    username: str | None,
    first_name: str,
) -> dict[str, Any]:
    """A ``Message`` from a person, with a ``bot_command`` entity when it starts with ``/``."""
    if user_id is None:
        if chat_type != "private":
            raise ValueError(f"user_id is required for a message in a {chat_type} chat")
        user_id = chat_id
    known = state.chats.get(chat_id)
    if known is None or known["type"] != chat_type:
        state.chats[chat_id] = make_chat(chat_id, chat_type, first_name=first_name, username=username)
    message: dict[str, Any] = {
        "message_id": state.new_message_id(chat_id),
        "date": int(time.time()),
        "chat": state.chats[chat_id],
        "from": human_user(user_id, first_name, username),
        "text": text,
    }
    entities = command_entities(text)
    if entities:
        message["entities"] = entities
    state.messages[(chat_id, message["message_id"])] = message
    return message


def button_press(
    state: FakeState, chat_id: ChatId, user_id: int, data: str, message_id: int, language_code: str | None = None
) -> dict[str, Any]:
    """A ``CallbackQuery`` on a bot message (invented if the fake never saw that message), pressed
    by a user whose Telegram app is in ``language_code`` (the fake's default when None)."""
    message = state.messages.get((chat_id, message_id))
    if message is None:
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": state.chat(chat_id),
            "from": state.bot,
            "text": "…",
        }
        state.messages[(chat_id, message_id)] = message
    query_id = str(next(_callback_ids))
    state.callback_queries.add(query_id)
    presser = human_user(user_id, DEFAULT_USER_FIRST_NAME, None)
    if language_code:
        presser["language_code"] = language_code
    return {
        "id": query_id,
        "from": presser,
        "message": message,
        "chat_instance": str(chat_id),
        "data": data,
    }


def take_updates(state: FakeState, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Apply ``offset``/``allowed_updates`` and return up to ``limit`` pending updates."""
    offset, limit = params.get("offset", 0), params.get("limit", MAX_UPDATES_PER_CALL)
    if not isinstance(offset, int) or not isinstance(limit, int):
        raise bad_request("offset and limit must be integers")
    limit = min(max(limit, 1), MAX_UPDATES_PER_CALL)
    if "allowed_updates" in params:
        allowed = params["allowed_updates"]
        if not isinstance(allowed, list):
            raise bad_request("allowed_updates must be an array of strings")
        state.allowed_updates = allowed
    if offset < 0:
        del state.updates[:offset]
    elif offset > 0:
        state.updates[:] = [u for u in state.updates if u["update_id"] >= offset]
    state.updates[:] = [u for u in state.updates if _is_allowed(u, state.allowed_updates)]
    return state.updates[:limit]


def _is_allowed(update: dict[str, Any], allowed: list[str] | None) -> bool:
    kinds = update.keys() - {"update_id"}
    if allowed:
        return bool(kinds & set(allowed))
    return not kinds & DEFAULT_EXCLUDED_UPDATES
