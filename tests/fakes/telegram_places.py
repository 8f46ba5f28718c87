"""Channels and forum topics in the fake Bot API: the updates they produce and the rules of sending there.

A channel post has ``sender_chat`` (the channel) and no ``from``; the bot may post in a channel
only as an administrator (``400 need administrator rights in the channel chat``), and once it
was removed every send answers 403.  A forum topic is a ``message_thread_id`` in a supergroup
with ``is_forum``; sending into a closed topic answers ``400 TOPIC_CLOSED`` and into a deleted
(or never created) one ``400 message thread not found``, as Telegram does.  ``PlacesControls``
is the test-facing half, mixed into ``FakeTelegram``; the other functions run with
``state.cond`` held.
"""

from __future__ import annotations

import time
from typing import Any

from tests.fakes.api_errors import bad_request
from tests.fakes.telegram_objects import command_entities, human_user, make_chat
from tests.fakes.telegram_state import ChatId, FakeState

TOPIC_CLOSED = "TOPIC_CLOSED"
THREAD_NOT_FOUND = "message thread not found"
NOT_CHANNEL_ADMIN = "need administrator rights in the channel chat"


def check_destination(state: FakeState, chat_id: ChatId, params: dict[str, Any]) -> None:
    """Refuse a send into a channel the bot does not administer, or into a closed or missing topic."""
    chat = state.chat(chat_id)
    if chat["type"] == "channel" and state.bot["id"] not in state.admins.get(chat_id, []):
        raise bad_request(NOT_CHANNEL_ADMIN)
    thread = params.get("message_thread_id")
    if thread is None or not chat.get("is_forum"):
        return
    status = state.topics.get(chat_id, {}).get(thread) if isinstance(thread, int) else None
    if status is None:
        raise bad_request(THREAD_NOT_FOUND)
    if status == "closed":
        raise bad_request(TOPIC_CLOSED)


def bot_message(state: FakeState, chat_id: ChatId, params: dict[str, Any], text: str) -> dict[str, Any]:
    """The Message a send creates: from the bot (or signed by the channel), in its topic if any."""
    chat = state.chat(chat_id)
    message: dict[str, Any] = {
        "message_id": state.new_message_id(chat_id),
        "date": int(time.time()),
        "chat": chat,
        "text": text,
    }
    if chat["type"] == "channel":
        message["sender_chat"] = chat
    else:
        message["from"] = state.bot
    thread = params.get("message_thread_id")
    if chat.get("is_forum") and isinstance(thread, int):
        message["message_thread_id"], message["is_topic_message"] = thread, True
    return message


class PlacesControls:
    """Channel and forum-topic helpers for tests; mixed into ``FakeTelegram``."""

    _state: FakeState

    def add_update(self, raw: dict[str, Any]) -> int:  # provided by FakeTelegram
        """Queue a raw update (see ``FakeTelegram.add_update``)."""
        raise NotImplementedError

    def make_channel(self, chat_id: int, *, bot_is_admin: bool = True, title: str = "Kanal Uji") -> None:
        """A channel with the bot as an administrator (or only a member)."""
        with self._state.cond:
            self._state.chats[chat_id] = {**make_chat(chat_id, "channel"), "title": title}
            if bot_is_admin:
                self._state.admins.setdefault(chat_id, []).append(self._state.bot["id"])

    def post_in_channel(self, chat_id: int, text: str) -> int:
        """Queue a ``channel_post``: signed by the channel, no ``from``."""
        with self._state.cond:
            chat = self._state.chats.setdefault(chat_id, make_chat(chat_id, "channel"))
            post: dict[str, Any] = {
                "message_id": self._state.new_message_id(chat_id),
                "date": int(time.time()),
                "chat": chat,
                "sender_chat": chat,
                "text": text,
            }
            if command_entities(text):
                post["entities"] = command_entities(text)
            self._state.messages[(chat_id, post["message_id"])] = post
        return self.add_update({"channel_post": post})

    def make_forum(self, chat_id: int, topics: list[int]) -> None:
        """A supergroup with topics, these thread ids open."""
        with self._state.cond:
            self._state.chats[chat_id] = {**make_chat(chat_id, "supergroup"), "is_forum": True}
            self._state.topics[chat_id] = dict.fromkeys(topics, "open")

    def close_topic(self, chat_id: int, thread_id: int) -> None:
        """Close a topic: sends into it answer 400 TOPIC_CLOSED."""
        with self._state.cond:
            self._state.topics.setdefault(chat_id, {})[thread_id] = "closed"

    def delete_topic(self, chat_id: int, thread_id: int) -> None:
        """Delete a topic: sends into it answer 400 message thread not found."""
        with self._state.cond:
            self._state.topics.get(chat_id, {}).pop(thread_id, None)

    def send_in_topic(self, chat_id: int, thread_id: int, text: str, *, user_id: int) -> int:
        """Queue a user's message written inside a forum topic."""
        with self._state.cond:
            message: dict[str, Any] = {
                "message_id": self._state.new_message_id(chat_id),
                "date": int(time.time()),
                "chat": self._state.chat(chat_id),
                "from": human_user(user_id, "Penguji", None),
                "text": text,
                "message_thread_id": thread_id,
                "is_topic_message": True,
            }
            if command_entities(text):
                message["entities"] = command_entities(text)
            self._state.messages[(chat_id, message["message_id"])] = message
        return self.add_update({"message": message})
