"""Inline mode in the fake Bot API: ``inline_query`` updates and ``answerInlineQuery``, checked like Telegram.

Telegram accepts at most 50 results, ids of 1-64 bytes unique within the answer, a
``next_offset`` of at most 64 bytes, and one answer per query; an article's message text follows
the same rules as ``sendMessage`` (length, HTML).  ``InlineControls`` is the test-facing half,
mixed into ``FakeTelegram``; ``answer_inline_query`` runs with ``state.cond`` held.
"""

from __future__ import annotations

import itertools
from typing import Any

from tests.fakes.api_errors import bad_request
from tests.fakes.telegram_objects import human_user
from tests.fakes.telegram_state import FakeState
from tests.fakes.telegram_validation import check_message_text

MAX_RESULTS = 50
MAX_ID_BYTES = 64
MAX_OFFSET_BYTES = 64
MAX_QUERY_CHARS = 256
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
_inline_ids = itertools.count(1)


def answer_inline_query(state: FakeState, params: dict[str, Any]) -> bool:
    """Accept one valid answer per known inline query."""
    query_id = str(params.get("inline_query_id", ""))
    if query_id not in state.inline_queries:
        raise bad_request(QUERY_INVALID)
    results = params.get("results")
    if not isinstance(results, list) or len(results) > MAX_RESULTS:
        raise bad_request("RESULTS_TOO_MUCH")
    ids = [str(r.get("id", "")) for r in results if isinstance(r, dict)]
    if len(ids) != len(results) or len(set(ids)) != len(ids):
        raise bad_request("RESULT_ID_DUPLICATE")
    if any(not 1 <= len(i.encode()) <= MAX_ID_BYTES for i in ids):
        raise bad_request("RESULT_ID_INVALID")
    for result in results:
        content = result.get("input_message_content") or {}
        if result.get("type") != "article" or not result.get("title"):
            raise bad_request("RESULT_TYPE_INVALID")
        check_message_text(content.get("message_text"), content.get("parse_mode"))
    if len(str(params.get("next_offset") or "").encode()) > MAX_OFFSET_BYTES:
        raise bad_request("NEXT_OFFSET_INVALID")
    state.inline_queries.discard(query_id)
    return True


class InlineControls:
    """Inline-query helpers for tests; mixed into ``FakeTelegram``."""

    _state: FakeState

    def add_update(self, raw: dict[str, Any]) -> int:  # provided by FakeTelegram
        """Queue a raw update (see ``FakeTelegram.add_update``)."""
        raise NotImplementedError

    def send_inline_query(self, user_id: int, query: str, offset: str = "") -> str:
        """Queue an ``inline_query`` (``@bot query`` typed by a user); return its id."""
        query_id = f"iq{next(_inline_ids)}"
        with self._state.cond:
            self._state.inline_queries.add(query_id)
        self.add_update(
            {
                "inline_query": {
                    "id": query_id,
                    "from": human_user(user_id, "Penguji", None),
                    "query": query,
                    "offset": offset,
                }
            }
        )
        return query_id

    def inline_answer(self, query_id: str) -> dict[str, Any] | None:
        """The parameters of the accepted answer to an inline query, if any yet."""
        with self._state.cond:
            for call in self._state.calls:
                if call.method == "answerInlineQuery" and call.ok and call.params.get("inline_query_id") == query_id:
                    return call.params
        return None
