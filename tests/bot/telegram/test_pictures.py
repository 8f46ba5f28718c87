"""The lead picture, through the real application and the fake Bot API: digests (asked for and
scheduled, through the lean bulk transport), alerts and link summaries open with a large link
preview of their lead picture; a picture Telegram refuses goes once more as text alone, without
losing or repeating a part; ``/atur gambar mati`` turns pictures off, for digests already queued too."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.clock import ManualClock
from bot.store.models import Delivery, Subscriber
from bot.telegram.ledger import create_delivery
from tests.bot.botharness import ADMIN_ID, USER_ID, NewsSite, bot_settings, news_item, running_bot, runtime, seed_news
from tests.bot.telegram.conversation import ask, ask_in, ask_link, subscriber_of
from tests.bot.telegram.test_bot_commands import FLOOD, QUAKE
from tests.bot.telegram.test_delivery import digest_time_after, digests_to, subscribe_at
from tests.fakes import FakeTelegram, RecordedCall

PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"
FLOOD_PICTURE = "https://img.kabar.example/2026/banjir-kemang.jpg"
QUAKE_PICTURE = "https://img.kabar.example/2026/gempa-cianjur.jpg"
KOMPAS_PICTURE = (
    "https://asset.kompas.com/crop/0x74:996x738/780x390/filters:watermark(data/photo/2018/01/24/3095122789.png,0,-0,1)"
    "/data/photo/2018/05/01/1294674404.jpg"
)
ITEMS = [
    replace(news_item(1, "Banjir Rendam Kemang", FLOOD), image=FLOOD_PICTURE),
    replace(news_item(2, "Gempa Guncang Cianjur", QUAKE), image=QUAKE_PICTURE),
]
OTHER = 2002


def preview(call: RecordedCall) -> dict[str, Any]:
    """The link preview options a message was sent with."""
    options = call.params.get("link_preview_options")
    assert isinstance(options, dict), call.params
    return options


def large(picture: str) -> dict[str, Any]:
    return {"url": picture, "prefer_large_media": True, "show_above_text": True}


def lead_picture(text: str) -> str:
    """The picture of the story a digest's text shows first."""
    return FLOOD_PICTURE if text.index("Banjir Rendam") < text.index("Gempa Guncang") else QUAKE_PICTURE


def last_message(tg: FakeTelegram, chat: int = USER_ID) -> RecordedCall:
    return tg.messages_to(chat)[-1]


async def test_digest_on_request_opens_with_the_lead_picture(tg: FakeTelegram, db_url: str, site: NewsSite) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        await seed_news(runtime(app).services.db, site, ITEMS)
        text = await ask(tg, "/ringkasan")
        assert "Banjir Rendam Kemang" in text and "Gempa Guncang Cianjur" in text
        assert preview(last_message(tg)) == large(lead_picture(text))
        assert "Gambar berita utama: <b>mati</b>" in await ask(tg, "/atur gambar mati")
        await ask(tg, "/ringkasan")
        assert preview(last_message(tg)) == {"is_disabled": True}
        assert not (await subscriber_of(app)).pictures


async def test_scheduled_digest_carries_the_picture_through_the_lean_transport(
    tg: FakeTelegram, db_url: str, site: NewsSite
) -> None:
    clock = ManualClock(datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=1))
    async with running_bot(bot_settings(tg, db_url), clock=clock) as app:
        await seed_news(runtime(app).services.db, site, ITEMS)
        when = digest_time_after(clock, 2)
        await subscribe_at(tg, when)
        await subscribe_at(tg, when, chat=OTHER)
        assert "mati" in await ask(tg, "/atur gambar mati", chat=OTHER, user=OTHER)
        clock.advance(timedelta(minutes=2))
        assert await tg.wait_until_async(lambda: bool(digests_to(tg, USER_ID)) and bool(digests_to(tg, OTHER)), 10)
        mine, theirs = last_message(tg), last_message(tg, OTHER)
        assert mine.text == theirs.text  # one body for both: only the sender leaves the picture out
        assert preview(mine) == large(lead_picture(mine.text or ""))
        assert preview(theirs) == {"is_disabled": True}
        for _ in range(50):  # the ledger commits confirmed parts in batches, a moment after the send
            async with runtime(app).services.db.sessionmaker() as session:
                rows = (await session.scalars(select(Delivery).where(Delivery.kind == "digest"))).all()
            if {row.status for row in rows} == {"sent"}:
                break
            await asyncio.sleep(0.1)
        assert len(rows) == 2 and len({row.body_id for row in rows}) == 1 and {row.status for row in rows} == {"sent"}


async def deliver(app: Any, chat: int, parts: list[str], picture: str | None, key: str = "digest:uji") -> Delivery:
    """Queue one delivery of these parts and send it through the real sender; the row afterwards."""
    db = runtime(app).services.db
    async with db.sessionmaker.begin() as session:
        sub = await session.scalar(select(Subscriber).where(Subscriber.chat_id == chat))
        assert sub is not None
        delivery = await create_delivery(session, sub.id, "digest", key, parts, picture)
        assert delivery is not None
        delivery_id = delivery.id
    await runtime(app).sender.send_many([delivery_id])
    async with db.sessionmaker() as session:
        row = await session.get(Delivery, delivery_id)
        assert row is not None
        return row


async def test_only_the_first_part_carries_the_picture(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        await ask(tg, "/start")
        before = len(tg.messages_to(USER_ID))
        row = await deliver(app, USER_ID, ["📰 <b>Satu</b>", "<b>Dua</b>", "<b>Tiga</b>"], FLOOD_PICTURE)
        sent = tg.messages_to(USER_ID)[before:]
        assert [m.text for m in sent] == ["📰 <b>Satu</b>", "<b>Dua</b>", "<b>Tiga</b>"]
        assert [preview(m) for m in sent] == [large(FLOOD_PICTURE), {"is_disabled": True}, {"is_disabled": True}]
        assert (row.status, row.parts_sent) == ("sent", 3)


@pytest.mark.parametrize(
    "refusal",
    [
        "Bad Request: wrong file identifier/HTTP URL specified",
        "Bad Request: failed to get HTTP URL content",
        "Bad Request: WEBPAGE_MEDIA_EMPTY",
        "Bad Request: WEBPAGE_CURL_FAILED",
    ],
)
async def test_a_refused_picture_falls_back_to_text_once(
    tg: FakeTelegram, db_url: str, refusal: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.telegram.pictures")
    async with running_bot(bot_settings(tg, db_url)) as app:
        await ask(tg, "/start")
        tg.refuse_picture(FLOOD_PICTURE, refusal)
        before, calls = len(tg.messages_to(USER_ID)), len(tg.calls("sendMessage"))
        row = await deliver(app, USER_ID, ["📰 <b>Satu</b>", "<b>Dua</b>"], FLOOD_PICTURE)
        sent = tg.messages_to(USER_ID)[before:]
        assert [m.text for m in sent] == ["📰 <b>Satu</b>", "<b>Dua</b>"]  # each part once, nothing lost
        assert all(preview(m) == {"is_disabled": True} for m in sent)
        tried = tg.calls("sendMessage")[calls:]
        assert [(c.status, preview(c).get("url")) for c in tried] == [(400, FLOOD_PICTURE), (200, None), (200, None)]
        assert (row.status, row.parts_sent, row.error) == ("sent", 2, None)
        reason = refusal.removeprefix("Bad Request: ").lower()  # as python-telegram-bot words it
        assert any("picture refused" in r.getMessage() and reason in r.getMessage().lower() for r in caplog.records)


async def test_a_text_telegram_refuses_without_picture_still_fails_once(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        await ask(tg, "/start")
        calls = len(tg.calls("sendMessage"))
        row = await deliver(app, USER_ID, ["<b>tidak tertutup"], FLOOD_PICTURE)  # broken HTML: no picture helps
        assert [c.status for c in tg.calls("sendMessage")[calls:]] == [400, 400]
        assert row.status == "failed" and "bad request" in (row.error or "")


async def test_alert_opens_with_the_storys_picture(tg: FakeTelegram, db_url: str, site: NewsSite) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        assert "banjir" in await ask(tg, "/ikuti banjir")
        await seed_news(runtime(app).services.db, site, ITEMS)
        alerts = lambda: [m for m in tg.messages_to(USER_ID) if (m.text or "").startswith("🔔 Berita baru")]  # noqa: E731
        assert await tg.wait_until_async(lambda: bool(alerts()), timeout=10)
        assert "Banjir Rendam Kemang" in (alerts()[0].text or "")
        assert preview(alerts()[0]) == large(FLOOD_PICTURE)


async def test_link_summary_shows_the_pages_picture(tg: FakeTelegram, db_url: str, site: NewsSite) -> None:
    page = (PAGES / "kompas-banjir-popayato-2018.html").read_bytes()
    site.server.route("/berita/banjir", _html(page))
    url = site.server.url("/berita/banjir")
    async with running_bot(bot_settings(tg, db_url)):
        assert "Popayato" in await ask_link(tg, url)
        assert preview(last_message(tg)) == large(KOMPAS_PICTURE)
        tg.refuse_picture(KOMPAS_PICTURE, "Bad Request: failed to get HTTP URL content")
        assert "Popayato" in await ask_link(tg, f"/ringkas {url}")
        assert preview(last_message(tg)) == {"is_disabled": True}
        assert tg.calls("sendMessage")[-2].status == 400
        assert "mati" in await ask(tg, "/atur gambar mati")
        assert "Popayato" in await ask_link(tg, url)
        assert preview(last_message(tg)) == {"is_disabled": True}
        assert tg.calls("sendMessage")[-2].status == 200  # nothing refused: no picture was offered


async def test_the_setting_in_both_languages_and_its_button(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        overview = await ask(tg, "/atur")
        assert "Gambar berita utama: <b>nyala</b>" in overview and "/atur gambar mati" in overview
        assert "Pilih /atur gambar nyala atau /atur gambar mati" in await ask(tg, "/atur gambar kadang")
        assert "Lead story pictures: <b>off</b>" in await ask_in(tg, "/settings pictures off", "en", chat=ADMIN_ID)
        assert "Lead story pictures: <b>on</b>" in await ask_in(tg, "/settings pictures on", "en", chat=ADMIN_ID)
        message_id = last_message(tg).message_id
        assert message_id is not None
        edits = len(tg.calls("editMessageText"))
        tg.press_button(ADMIN_ID, ADMIN_ID, "set:g:0", message_id, language_code="en")
        assert await tg.wait_until_async(lambda: len(tg.calls("editMessageText")) > edits, timeout=10)
        assert "Lead story pictures: <b>off</b>" in (tg.calls("editMessageText")[-1].text or "")
        assert not (await subscriber_of(app, ADMIN_ID)).pictures
        assert (await subscriber_of(app)).pictures


async def test_privacy_lists_the_setting(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)):
        assert "gambar (nyala/mati)" in await ask(tg, "/privasi")


def _html(body: bytes) -> Any:
    from tests.bot.httpserver import respond

    return respond(body, headers={"Content-Type": "text/html; charset=utf-8"})
