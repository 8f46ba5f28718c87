"""Grouping's fingerprint is made where the article is parsed, and grouping makes it itself when
the worker cannot: the stored title and text give the same fingerprint either way."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.ingest.feeditems import FeedItem
from bot.ingest.storing import stored_title, worker_fingerprint
from bot.ingest.workers import InlineWork, WorkerPool, WorkTimeout
from bot.store.pairs import fingerprint

TEXT = "Banjir melanda Jakarta Timur pada Senin (9/6) setelah hujan deras sejak pagi. " * 12


def item(title: str) -> FeedItem:
    return FeedItem(None, "https://kabar.example/banjir", title, "", "", TEXT, None, datetime(2025, 6, 9, tzinfo=UTC))


async def test_a_worker_makes_the_fingerprint_grouping_would_make() -> None:
    long_title = "Banjir Jakarta " * 60  # longer than a stored headline: the stored one counts
    pool = WorkerPool(1, 60.0)
    try:
        made = await worker_fingerprint(pool, item(long_title), TEXT)
    finally:
        await pool.aclose()
    assert made == fingerprint(stored_title(item(long_title)), TEXT)
    assert len(stored_title(item(long_title))) == 500


async def test_inline_work_makes_it_in_this_process() -> None:
    assert await worker_fingerprint(InlineWork(), item("Banjir Jakarta"), TEXT) == fingerprint("Banjir Jakarta", TEXT)


class _TimingOut:
    timeout = 1.0

    async def run(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        raise WorkTimeout("no answer within 1 s")


async def test_a_worker_that_cannot_leaves_it_to_grouping(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.ingest.storing"):
        assert await worker_fingerprint(_TimingOut(), item("Banjir Jakarta"), TEXT) is None
    assert "fingerprint left to grouping url=https://kabar.example/banjir: no answer within 1 s" in caplog.text
