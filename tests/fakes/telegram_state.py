"""Everything the fake Bot API remembers: chats, messages, queued updates, recorded calls.

The state outlives any one client, so a bot process killed with SIGKILL and restarted against
the same fake finds its earlier messages still recorded.  One ``threading.Condition`` guards it:
the server thread mutates it while answering requests, test threads read it and wait on it.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.send_limits import FaultPlan, SendRateLimiter
from tests.fakes.telegram_objects import bot_user, make_chat

ChatId = int | str


@dataclass(frozen=True, slots=True)
class RecordedCall:
    """One Bot API call as the fake saw and answered it."""

    method: str
    chat_id: ChatId | None
    text: str | None
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    timestamp: float  # time.monotonic() when the request arrived
    status: int = 200
    message_id: int | None = None
    description: str | None = None
    params: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """Whether the fake answered ``{"ok": true}``."""
        return self.status == 200

    def to_json(self) -> dict[str, Any]:
        """A JSON-safe dict (for ``GET /control/sent``)."""
        return {
            "method": self.method,
            "chat_id": self.chat_id,
            "text": self.text,
            "parse_mode": self.parse_mode,
            "reply_markup": self.reply_markup,
            "timestamp": self.timestamp,
            "status": self.status,
            "message_id": self.message_id,
            "description": self.description,
        }


@dataclass
class FakeState:
    """The fake's memory; every access happens with ``cond`` held."""

    token: str
    limiter: SendRateLimiter
    cond: threading.Condition = field(default_factory=threading.Condition)
    bot: dict[str, Any] = field(init=False)
    calls: list[RecordedCall] = field(default_factory=list)
    sent: list[RecordedCall] = field(default_factory=list)
    sent_by_chat: dict[ChatId, list[RecordedCall]] = field(default_factory=dict)
    method_counts: Counter[str] = field(default_factory=Counter)
    too_many_requests: int = 0
    server_errors: int = 0
    updates: list[dict[str, Any]] = field(default_factory=list)
    next_update_id: int = 1
    chats: dict[ChatId, dict[str, Any]] = field(default_factory=dict)
    next_message_ids: dict[ChatId, int] = field(default_factory=dict)
    messages: dict[tuple[ChatId, int], dict[str, Any]] = field(default_factory=dict)
    # What the bot sent (text, parse_mode) per message, to answer "message is not modified".
    raw_texts: dict[tuple[ChatId, int], tuple[str, str | None]] = field(default_factory=dict)
    admins: dict[ChatId, list[int]] = field(default_factory=dict)
    forbidden: set[ChatId] = field(default_factory=set)
    migrated: dict[ChatId, int] = field(default_factory=dict)
    # Forum topics per chat: thread id -> "open" or "closed" (deleted topics are absent).
    topics: dict[ChatId, dict[int, str]] = field(default_factory=dict)
    faults: FaultPlan = field(default_factory=FaultPlan)
    # Picture URLs whose link preview Telegram refuses, with the 400's description.
    refused_pictures: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    webhook: dict[str, Any] = field(default_factory=dict)
    commands: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    allowed_updates: list[str] | None = None
    callback_queries: set[str] = field(default_factory=set)
    inline_queries: set[str] = field(default_factory=set)
    poll_generation: int = 0
    polls_waiting: int = 0

    def __post_init__(self) -> None:
        self.bot = bot_user(self.token)

    def chat(self, chat_id: ChatId) -> dict[str, Any]:
        """The chat object for ``chat_id``, invented from id conventions on first sight."""
        chat = self.chats.get(chat_id)
        if chat is None:
            chat = self.chats[chat_id] = make_chat(chat_id)
        return chat

    def new_message_id(self, chat_id: ChatId) -> int:
        """Message ids count up per chat, shared by the bot and the users, as in Telegram."""
        message_id = self.next_message_ids.get(chat_id, 1)
        self.next_message_ids[chat_id] = message_id + 1
        return message_id

    def record(self, call: RecordedCall, *, delivered: bool) -> None:
        """Store a call and wake every thread waiting on the state."""
        self.calls.append(call)
        self.method_counts[call.method] += 1
        if call.status == 429:
            self.too_many_requests += 1
        elif call.status >= 500:
            self.server_errors += 1
        if delivered and call.chat_id is not None:
            self.sent.append(call)
            self.sent_by_chat.setdefault(call.chat_id, []).append(call)
        self.cond.notify_all()

    def reset(self) -> None:
        """Forget everything except the token and the rate-limit settings."""
        fresh = FakeState(self.token, SendRateLimiter(self.limiter.per_second, self.limiter.per_chat))
        for name in self.__dataclass_fields__:
            # A long poll in flight must not mistake the reset for a competing poller.
            if name not in ("cond", "poll_generation", "polls_waiting"):
                setattr(self, name, getattr(fresh, name))
        self.cond.notify_all()
