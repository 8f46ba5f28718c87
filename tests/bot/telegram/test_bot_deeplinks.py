"""Deep links through the real application: /start payloads, forged ones, and /bagikan."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.store.models import Follow
from bot.telegram.deeplinks import follow_payload
from tests.bot.botharness import bot_settings, running_bot, runtime
from tests.bot.telegram.conversation import ask, subscriber_of
from tests.fakes import FakeTelegram


async def _follows(app) -> list[str]:  # type: ignore[no-untyped-def]
    async with runtime(app).services.db.sessionmaker() as session:
        return list((await session.scalars(select(Follow.keyword))).all())


async def test_payloads_follow_and_subscribe(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        assert "<b>harga beras</b>" in await ask(tg, "/start ikuti_harga_beras")
        assert await _follows(app) == ["harga beras"]
        assert "06:30 WIB" in await ask(tg, "/start langganan_0630")
        sub = await subscriber_of(app)
        assert sub.subscribed and sub.digest_time == "06:30"


@pytest.mark.parametrize(
    "payload",
    [
        "ikuti_",
        "ikuti___",
        "ikuti_<script>",
        "x" * 65,
        "langganan_2561",
        "langganan_630",
        "langganan_",
        "ikuti_banjir extra",
        "%00",
        "ikuti_banjir\u200b",
        "rahasia",
    ],
)
async def test_forged_payloads_get_the_welcome(tg: FakeTelegram, db_url: str, payload: str) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        text = await ask(tg, f"/start {payload}")
        assert text.startswith("Halo!")
        assert await _follows(app) == []
        assert not (await subscriber_of(app)).subscribed


async def test_share_gives_links_for_the_chats_topics(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)):
        assert "Ajak teman" in await ask(tg, "/bagikan")
        await ask(tg, "/ikuti harga beras")
        await ask(tg, "/ikuti e-ktp")
        await ask(tg, "/ikuti kopi & teh")
        await ask(tg, "/langganan 06:30")
        text = await ask(tg, "/share")
        assert "https://t.me/ringkas_test_bot?start=ikuti_harga_beras" in text
        assert "https://t.me/ringkas_test_bot?start=ikuti_e-ktp" in text
        assert "https://t.me/ringkas_test_bot?start=langganan_0630" in text
        assert "Tidak bisa dijadikan tautan" in text and "kopi &amp; teh" in text
        assert all(call.ok for call in tg.calls("sendMessage"))


def test_a_payload_never_passes_telegrams_limit() -> None:
    assert follow_payload("a" * 58) is not None
    assert follow_payload("a" * 59) is None
    assert follow_payload("pemilu") == "ikuti_pemilu"
