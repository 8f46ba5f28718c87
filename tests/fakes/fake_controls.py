"""What a test can do to the fake Bot API and learn from it, without going through HTTP.

``FakeControls`` is the test-facing half of ``FakeTelegram``: configure chats, faults and
flood limits; read the recorded calls; wait (on the state's condition variable) until the
bot has done something.  The waits block the calling thread, so async tests whose bot runs
on their own event loop must use the ``*_async`` variants or the bot would stall.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from tests.fakes.send_limits import SEND_METHODS
from tests.fakes.telegram_objects import make_chat
from tests.fakes.telegram_state import ChatId, FakeState, RecordedCall

logger = logging.getLogger(__name__)

DEFAULT_WAIT_SECONDS = 10.0


class FakeControls:
    """Configuration, recording and waiting helpers over a ``FakeState``."""

    def __init__(self, state: FakeState) -> None:
        self._state = state

    # -- configuration -----------------------------------------------------------------------

    @property
    def rate_limit(self) -> int | None:
        """Send-type calls allowed per sliding second overall (``None`` = unlimited)."""
        return self._state.limiter.per_second

    @rate_limit.setter
    def rate_limit(self, per_second: int | None) -> None:
        with self._state.cond:
            self._state.limiter.per_second = per_second

    @property
    def per_chat_limit(self) -> bool:
        """Whether each chat is also limited to one send per second."""
        return self._state.limiter.per_chat

    @per_chat_limit.setter
    def per_chat_limit(self, enabled: bool) -> None:
        with self._state.cond:
            self._state.limiter.per_chat = enabled

    def set_chat_admins(self, chat_id: ChatId, user_ids: Iterable[int]) -> None:
        """Make getChatMember/getChatAdministrators report these users as administrators."""
        with self._state.cond:
            self._state.admins[chat_id] = list(user_ids)

    def forbid(self, chat_id: ChatId) -> None:
        """Answer sends to this chat with 403 "bot was blocked by the user"."""
        with self._state.cond:
            self._state.forbidden.add(chat_id)

    def unforbid(self, chat_id: ChatId) -> None:
        """Undo ``forbid``."""
        with self._state.cond:
            self._state.forbidden.discard(chat_id)

    def migrate(self, chat_id: ChatId, new_chat_id: int) -> None:
        """Answer calls on ``chat_id`` with 400 and ``migrate_to_chat_id=new_chat_id``."""
        with self._state.cond:
            self._state.migrated[chat_id] = new_chat_id
            self._state.chats.setdefault(new_chat_id, make_chat(new_chat_id, "supergroup"))

    def fail_next(self, method: str, status: int = 500, count: int = 1, *, description: str | None = None) -> None:
        """Answer the next ``count`` calls of ``method`` (``"*"`` = any) with ``status``."""
        with self._state.cond:
            self._state.faults.add(method, status, count, description=description)

    def answer_raw_next(self, method: str, body: bytes, count: int = 1, status: int = 200) -> None:
        """Answer the next ``count`` calls of ``method`` with ``body`` as it is (e.g. an HTML page)."""
        with self._state.cond:
            self._state.faults.add(method, status, count, body=body)

    def retry_after_next(self, method: str, seconds: int = 1, count: int = 1) -> None:
        """Answer the next ``count`` calls of ``method`` with 429 ``retry_after=seconds``."""
        with self._state.cond:
            self._state.faults.add(method, 429, count, retry_after=seconds)

    def refuse_picture(self, url: str, description: str = "Bad Request: WEBPAGE_MEDIA_EMPTY") -> None:
        """Answer 400 with ``description`` to every send whose link preview shows ``url``."""
        with self._state.cond:
            self._state.refused_pictures[url] = description

    def delay(self, seconds: float) -> None:
        """Hold every Bot API answer back by ``seconds`` (0 restores full speed)."""
        if seconds < 0:
            raise ValueError("delay must be >= 0")
        with self._state.cond:
            self._state.delay = seconds

    def reset(self) -> None:
        """Forget recorded calls, chats, updates and faults; keep token and rate limits."""
        with self._state.cond:
            self._state.reset()

    # -- what happened -----------------------------------------------------------------------

    @property
    def sent(self) -> list[RecordedCall]:
        """Every successful send-type call (sendMessage, ...), in arrival order."""
        with self._state.cond:
            return list(self._state.sent)

    def messages_to(self, chat_id: ChatId) -> list[RecordedCall]:
        """Successful send-type calls to one chat, in arrival order."""
        with self._state.cond:
            return list(self._state.sent_by_chat.get(chat_id, ()))

    def calls(self, method: str | None = None) -> list[RecordedCall]:
        """Every recorded call (answered with any status), optionally of one method."""
        with self._state.cond:
            return [c for c in self._state.calls if method is None or c.method == method]

    @property
    def too_many_requests(self) -> int:
        """How many 429 answers the fake has sent."""
        with self._state.cond:
            return self._state.too_many_requests

    @property
    def polls_waiting(self) -> int:
        """How many getUpdates long polls are parked on the server right now."""
        with self._state.cond:
            return self._state.polls_waiting

    @property
    def webhook(self) -> dict[str, Any]:
        """The parameters of the last setWebhook (empty when none is set)."""
        with self._state.cond:
            return dict(self._state.webhook)

    def stats(self) -> dict[str, Any]:
        """Counts: calls per method, 429s and 5xx answers sent, messages delivered."""
        with self._state.cond:
            return {
                "methods": dict(self._state.method_counts),
                "total_calls": len(self._state.calls),
                "delivered": len(self._state.sent),
                "too_many_requests": self._state.too_many_requests,
                "server_errors": self._state.server_errors,
            }

    # -- waiting -----------------------------------------------------------------------------

    def wait_until(self, predicate: Callable[[], bool], timeout: float = DEFAULT_WAIT_SECONDS) -> bool:
        """Block until ``predicate()`` is true (re-checked on every call); False on timeout."""
        _warn_if_on_event_loop("wait_until")
        return self._wait(predicate, timeout)

    def wait_for_messages(
        self, chat_id: ChatId, count: int = 1, timeout: float = DEFAULT_WAIT_SECONDS
    ) -> list[RecordedCall]:
        """Block until ``count`` messages reached ``chat_id``; return them all or raise TimeoutError."""
        _warn_if_on_event_loop("wait_for_messages")
        state = self._state
        if not self._wait(lambda: len(state.sent_by_chat.get(chat_id, ())) >= count, timeout):
            got = len(self.messages_to(chat_id))
            raise TimeoutError(f"chat {chat_id} received {got} of {count} messages in {timeout} s")
        return self.messages_to(chat_id)

    def _wait(self, predicate: Callable[[], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self._state.cond:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._state.cond.wait(remaining)
            return True

    async def wait_until_async(self, predicate: Callable[[], bool], timeout: float = DEFAULT_WAIT_SECONDS) -> bool:
        """``wait_until`` that leaves the caller's event loop (and the bot on it) running."""
        return await asyncio.to_thread(self.wait_until, predicate, timeout)

    async def wait_for_messages_async(
        self, chat_id: ChatId, count: int = 1, timeout: float = DEFAULT_WAIT_SECONDS
    ) -> list[RecordedCall]:
        """``wait_for_messages`` for async tests."""
        return await asyncio.to_thread(self.wait_for_messages, chat_id, count, timeout)

    # -- recording (server thread, cond held) ------------------------------------------------

    def _record(
        self, method: str, params: dict[str, Any], now: float, status: int, result: Any,
        description: str | None,
    ) -> None:  # fmt: skip
        text, parse_mode, markup = (
            params.get("text"),
            params.get("parse_mode"),
            params.get("reply_markup"),
        )
        chat_id = params.get("chat_id")
        call = RecordedCall(
            method=method,
            chat_id=chat_id if isinstance(chat_id, int | str) else None,
            text=text if isinstance(text, str) else None,
            parse_mode=parse_mode if isinstance(parse_mode, str) else None,
            reply_markup=markup if isinstance(markup, dict) else None,
            timestamp=now,
            status=status,
            message_id=result.get("message_id") if isinstance(result, dict) else None,
            description=description,
            params=params,
        )
        self._state.record(call, delivered=status == 200 and method in SEND_METHODS)


def _warn_if_on_event_loop(helper: str) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    logger.warning("%s blocks this thread's running event loop; from async tests use %s_async", helper, helper)
