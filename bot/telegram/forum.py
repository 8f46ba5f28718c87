"""Forum topics: which topic an update came from, and which Telegram answers mean a topic is gone.

In a supergroup with topics each topic (``message_thread_id``) holds its own subscription; the
chat itself is thread 0. Telegram answers a send into a closed topic with 400 ``TOPIC_CLOSED``
and into a deleted one with 400 ``message thread not found``: that topic's subscription is
deactivated, the rest of the group is not touched.
"""

from __future__ import annotations

from telegram import Update

# Lower-cased fragments of Telegram's answers for a topic that can no longer be written to.
GONE_ANSWERS = ("message thread not found", "topic_closed", "topic_deleted", "topic_id_invalid")


def thread_of(update: Update) -> int:
    """The forum topic an update's message belongs to; 0 for the chat itself."""
    message = update.effective_message
    if message is not None and message.is_topic_message and message.message_thread_id:
        return message.message_thread_id
    return 0


def topic_gone(answer: str) -> bool:
    """Whether Telegram's error text says the topic is closed or deleted."""
    lowered = answer.lower()
    return any(fragment in lowered for fragment in GONE_ANSWERS)
