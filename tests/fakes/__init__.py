"""Test doubles that speak real protocols on 127.0.0.1, such as the fake Telegram Bot API.

``from tests.fakes import FakeTelegram`` gives a Bot API server a python-telegram-bot
``Application`` can talk to over real HTTP; see ``tests.fakes.telegram_api``.  The names are
imported lazily so ``python -m tests.fakes.telegram_api`` does not import its module twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.fakes.telegram_api import FakeTelegram
    from tests.fakes.telegram_state import RecordedCall

__all__ = ["FakeTelegram", "RecordedCall"]


def __getattr__(name: str) -> Any:
    if name == "FakeTelegram":
        from tests.fakes.telegram_api import FakeTelegram

        return FakeTelegram
    if name == "RecordedCall":
        from tests.fakes.telegram_state import RecordedCall

        return RecordedCall
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
