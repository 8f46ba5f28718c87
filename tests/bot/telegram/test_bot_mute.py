"""Mute words through the real application: /bisukan, /suarakan, and what they leave out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store.mutes import MAX_MUTES, add_mute
from bot.telegram.alerts import queue_alerts
from tests.bot.botharness import (
    USER_ID,
    NewsSite,
    bot_settings,
    news_item,
    running_bot,
    runtime,
    seed_news,
)
from tests.bot.telegram.conversation import ask, subscriber_of
from tests.bot.telegram.test_bot_commands import FLOOD
from tests.fakes import FakeTelegram

BALL = "Tim nasional sepak bola Indonesia menang dua gol tanpa balas atas Vietnam di Stadion Utama Gelora Bung Karno."


async def test_muted_word_leaves_search_digest_and_alerts(tg: FakeTelegram, db_url: str, site: NewsSite) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        await seed_news(
            runtime(app).services.db,
            site,
            [
                news_item(1, "Banjir Rendam Kemang", FLOOD),
                news_item(2, "Timnas Menang atas Vietnam", BALL),
            ],
        )
        assert "Belum ada kata" in await ask(tg, "/bisukan")
        assert "tidak akan muncul" in await ask(tg, "/bisukan Kebanjiran")
        assert "sudah dibisukan" in await ask(tg, "/mute kebanjiran")
        assert "• kebanjiran" in await ask(tg, "/bisukan")
        # Stemmed: muting "kebanjiran" hides the story titled "Banjir".
        assert "Tidak ada berita" in await ask(tg, "/cari banjir")
        digest = await ask(tg, "/ringkasan")
        assert "Timnas" in digest and "Banjir" not in digest
        await ask(tg, "/ikuti banjir")
        sub = await subscriber_of(app)
        async with runtime(app).services.db.sessionmaker.begin() as session:
            assert await queue_alerts(session, [1, 2], datetime.now(UTC) + timedelta(seconds=1)) == []
        assert "tidak lagi dibisukan" in await ask(tg, "/suarakan kebanjiran")
        assert "tidak sedang dibisukan" in await ask(tg, "/unmute kebanjiran")
        assert "Banjir Rendam Kemang" in await ask(tg, "/cari banjir")
        assert sub.id


async def test_bad_mute_input_and_the_cap(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        assert "terlalu panjang" in await ask(tg, "/bisukan " + "x" * 100)
        assert "tidak berisi huruf" in await ask(tg, "/bisukan !!!")
        assert "<b>&lt;b&gt;</b>" in await ask(tg, "/bisukan <b>")
        assert "Tulis katanya" in await ask(tg, "/suarakan")
        sub = await subscriber_of(app)
        async with runtime(app).services.db.sessionmaker.begin() as session:
            for n in range(MAX_MUTES - 1):
                await add_mute(session, sub.id, f"kata{n}")
        assert f"Maksimal {MAX_MUTES}" in await ask(tg, "/bisukan satu lagi")
        assert all(call.ok for call in tg.calls("sendMessage"))


async def test_only_group_admins_mute_in_a_group(tg: FakeTelegram, db_url: str) -> None:
    group, admin = -100555, 42
    tg.set_chat_admins(group, [admin])
    async with running_bot(bot_settings(tg, db_url)):
        assert "hanya admin" in await ask(tg, "/bisukan gosip", chat=group, user=USER_ID, chat_type="supergroup")
        assert "tidak akan muncul" in await ask(tg, "/bisukan gosip", chat=group, user=admin, chat_type="supergroup")
        # Anyone may read the list.
        assert "• gosip" in await ask(tg, "/bisukan", chat=group, user=USER_ID, chat_type="supergroup")


# Titles and leads after real stories; each pair shares a search stem but no word family.
FAMILY_NEWS = [
    ("Kisah Pilu Nenek Hidup Sebatang Kara di Gubuk Reyot",
     "Seorang nenek berusia 80 tahun di Garut hidup sebatang kara di gubuk reyot tanpa listrik sejak suaminya wafat."),
    ("Logistik Pemilu Mulai Didistribusikan ke Kecamatan",
     "Komisi Pemilihan Umum Kota Bekasi mulai mendistribusikan logistik pemilu ke dua belas kecamatan pada Senin pagi."),
    ("Ribuan Pemudik Padati Stasiun Pasar Senen",
     "Sebanyak 27 ribu pemudik memadati Stasiun Pasar Senen, Jakarta Pusat, dua hari menjelang Lebaran tahun ini."),
    ("Pengacara Jessica Ajukan Peninjauan Kembali",
     "Tim pengacara Jessica Kumala Wongso mengajukan peninjauan kembali ke Mahkamah Agung dengan membawa bukti baru."),
    ("Penerbangan ke Jeddah Ditunda karena Cuaca Buruk",
     "Maskapai Garuda Indonesia menunda penerbangan ke Jeddah selama enam jam karena cuaca buruk di Soekarno-Hatta."),
]  # fmt: skip


async def test_mute_and_follow_reach_word_families_not_stems(tg: FakeTelegram, db_url: str, site: NewsSite) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        db = runtime(app).services.db
        await seed_news(db, site, [news_item(n, title, lead) for n, (title, lead) in enumerate(FAMILY_NEWS, 1)])
        await ask(tg, "/bisukan pemilu")
        await ask(tg, "/bisukan mudik")
        digest = await ask(tg, "/ringkasan")
        # "pemilu" and "pilu" share the stem "pilu"; "pemudik" stems to "pudik", apart from "mudik".
        assert "Kisah Pilu" in digest and "Logistik Pemilu" not in digest and "Pemudik" not in digest
        assert "Pemudik" not in await ask(tg, "/cari stasiun senen")
        await ask(tg, "/suarakan pemilu")
        for word in ("terbang", "acara", "pilu"):
            await ask(tg, f"/ikuti {word}")
        sub = await subscriber_of(app)
        async with db.sessionmaker.begin() as session:
            ids = await queue_alerts(session, list(range(1, len(FAMILY_NEWS) + 1)), datetime.now(UTC))
        await runtime(app).sender.send_many(ids)
        alerts = "\n".join(m.text or "" for m in tg.messages_to(USER_ID) if (m.text or "").startswith("🔔"))
        assert "Penerbangan ke Jeddah" in alerts and "Kisah Pilu" in alerts
        assert "Pengacara Jessica" not in alerts and "Logistik Pemilu" not in alerts
        assert sub.id
