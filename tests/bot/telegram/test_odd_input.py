"""Input one check let through and the next one choked on, through the real application: every
handler answers, none reaches the generic "Maaf, terjadi kesalahan" or leaves a press or an
inline query unanswered."""

from __future__ import annotations

import logging

import pytest

from tests.bot.botharness import ADMIN_ID, USER_ID, bot_settings, running_bot
from tests.bot.telegram.conversation import ask
from tests.fakes import FakeTelegram

BROKEN = "terjadi kesalahan"
HUGE = "9" * 24  # passes isdigit and int, and overflows both databases' integers


def errors_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR and r.name.startswith("bot")]


async def test_odd_numbers_and_links_in_messages_get_real_answers(
    tg: FakeTelegram, db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot(bot_settings(tg, db_url)):
        for text in ("/atur berita ²", "/atur kalimat ٣", f"/atur berita {HUGE}"):  # isdigit, yet not ASCII digits
            assert "Tulis angka" in await ask(tg, text), text
        for text in ("/ringkas http://[::1", "baca ini http://[::1 ya", "http://[fe80::1%25eth0/x"):
            assert "tidak bisa dibuka" in await ask(tg, text), text
        for text in ("/removefeed ²", f"/pausefeed {HUGE}", "/resumefeed 2147483648"):  # beyond PostgreSQL's INTEGER
            assert "Contoh: <code>/" in await ask(tg, text, chat=ADMIN_ID, user=ADMIN_ID), text
        assert "Tidak ada feed dengan nomor 2147483647" in await ask(
            tg, "/removefeed 2147483647", chat=ADMIN_ID, user=ADMIN_ID
        )
    said = [m.text or "" for m in tg.sent]
    assert not [t for t in said if BROKEN in t] and errors_logged(caplog) == []


async def test_odd_button_data_and_inline_offsets_are_answered(
    tg: FakeTelegram, db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot(bot_settings(tg, db_url)):
        for data in (f"lain:{HUGE}", "lain:²", "lain:2147483648", "lain:2147483647"):
            tg.press_button(USER_ID, USER_ID, data, 1)
        assert await tg.wait_until_async(lambda: len(tg.calls("answerCallbackQuery")) == 4, timeout=10)
        answers = [c.params.get("text") for c in tg.calls("answerCallbackQuery")]
        assert answers == ["Pilihan ini sudah tidak tersedia."] * 3 + ["Berita ini sudah tidak tersimpan."]
        queries = [tg.send_inline_query(USER_ID, "banjir", offset) for offset in ("²", HUGE, "10")]
        assert await tg.wait_until_async(lambda: all(tg.inline_answer(q) for q in queries), timeout=10)
        assert [tg.inline_answer(q)["results"] for q in queries[:2]] == [[], []]  # type: ignore[index]
    assert tg.messages_to(USER_ID) == [] and errors_logged(caplog) == []
