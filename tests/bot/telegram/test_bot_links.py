"""A link, summarized, through the real application: private links, /ringkas, and bad links."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import ManualClock
from bot.logs import LIBRARY_FLOORS
from bot.telegram.links import LINKS_PER_WINDOW, first_link
from tests.bot.botharness import NewsSite, bot_settings, running_bot
from tests.bot.httpserver import closed_port, redirect, respond
from tests.bot.telegram.conversation import ask, ask_link, link_answer
from tests.fakes import FakeTelegram

PARAGRAPHS = [
    "Banjir setinggi satu meter merendam ratusan rumah warga di Kemang, Jakarta Selatan, sejak Senin pagi.",
    "Petugas pemadam kebakaran dan relawan mengevakuasi warga lanjut usia serta anak-anak ke masjid terdekat.",
    "Badan Penanggulangan Bencana Daerah mencatat sedikitnya empat ratus kepala keluarga terdampak genangan.",
    "Hujan deras yang turun sejak Minggu malam membuat Kali Krukut meluap dan air masuk ke permukiman warga.",
    "Pemerintah kota menyiapkan dapur umum dan pos kesehatan bagi para pengungsi di sekitar lokasi banjir.",
    "Warga berharap normalisasi sungai segera dilanjutkan agar banjir tahunan tidak lagi terulang di Kemang.",
]
ARTICLE = (
    "<html><head><title>Banjir Rendam Kemang &amp; Sekitarnya - Kabar Uji</title>"
    '<meta property="article:published_time" content="2026-11-30T06:15:00+07:00"></head>'
    "<body><article><h1>Banjir Rendam Kemang &amp; Sekitarnya</h1>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    + "</article></body></html>"
).encode()
HTML = {"Content-Type": "text/html; charset=utf-8"}


async def test_private_link_and_command_are_summarized(tg: FakeTelegram, db_url: str, site: NewsSite) -> None:
    site.server.route("/berita/banjir", respond(ARTICLE, headers=HTML))
    url = site.server.url("/berita/banjir")
    async with running_bot(bot_settings(tg, db_url)):
        text = await ask_link(tg, f"Coba baca ini: {url}.")
        assert "<b>" in text and "Banjir Rendam Kemang &amp; Sekitarnya" in text
        assert f'href="{url}"' in text and "127.0.0.1" in text
        assert "Kemang" in text and "WIB" in text
        group = -100777
        assert "Banjir Rendam Kemang" in await ask_link(
            tg, f"/ringkas@ringkas_test_bot {url}", chat=group, user=5, chat_type="supergroup"
        )
        assert "Kirim tautannya" in await ask(tg, "/ringkas")
        assert tg.calls("sendChatAction")
        assert all(call.ok for call in tg.calls("sendMessage"))


async def test_a_page_giving_only_the_day_shows_no_invented_time(tg: FakeTelegram, db_url: str, site: NewsSite) -> None:
    dated = ARTICLE.replace(b"2026-11-30T06:15:00+07:00", b"2026-11-30")
    site.server.route("/berita/tanggal", respond(dated, headers=HTML))
    async with running_bot(bot_settings(tg, db_url)):
        text = await ask_link(tg, site.server.url("/berita/tanggal"))
        assert "30 Nov 2026" in text and "00.00" not in text and "WIB" not in text


async def test_an_undated_page_shows_no_time(tg: FakeTelegram, db_url: str, site: NewsSite) -> None:
    undated = ARTICLE.replace(b'<meta property="article:published_time" content="2026-11-30T06:15:00+07:00">', b"")
    site.server.route("/berita/tanpa-tanggal", respond(undated, headers=HTML))
    clock = ManualClock(datetime(2031, 3, 15, 3, 20, tzinfo=UTC))  # 15 Mar 10.20 WIB: what would be invented
    async with running_bot(bot_settings(tg, db_url), clock=clock):
        text = await ask_link(tg, site.server.url("/berita/tanpa-tanggal"))
        assert "Banjir Rendam Kemang" in text and "<i>127.0.0.1</i>" in text
        assert "15 Mar" not in text and "10.20" not in text and "WIB" not in text


async def test_unusable_pages_get_clear_messages(tg: FakeTelegram, db_url: str, site: NewsSite) -> None:
    site.server.route(
        "/laporan.pdf", respond(b"%PDF-1.7\n" + b"\x00" * 200, headers={"Content-Type": "application/pdf"})
    )
    site.server.route("/kosong", respond(b"<html><body><p>Masuk untuk membaca.</p></body></html>", headers=HTML))
    site.server.route("/hilang", respond(b"tidak ada", status=404))
    async with running_bot(bot_settings(tg, db_url)):
        assert "bukan halaman artikel" in await ask_link(tg, site.server.url("/laporan.pdf"))
        assert "tidak berisi teks artikel" in await ask_link(tg, site.server.url("/kosong"))
        assert "tidak bisa diambil" in await ask_link(tg, site.server.url("/hilang"))
        assert "tidak bisa diambil" in await ask_link(tg, "http://127.0.0.1:1/tutup")


async def test_private_addresses_are_refused(tg: FakeTelegram, db_url: str, site: NewsSite) -> None:
    site.server.route("/berita/banjir", respond(ARTICLE, headers=HTML))
    async with running_bot(bot_settings(tg, db_url, ringkas_allow_private_urls=False)):
        for url in (
            site.server.url("/berita/banjir"),
            "http://169.254.169.254/latest/meta-data/",
            "http://localhost:8080/admin",
            "http://[::1]/",
            "http://10.0.0.1/",
        ):
            assert "tidak diizinkan" in await ask_link(tg, url), url
    assert not [r for r in site.server.requests if r.path == "/berita/banjir"]


async def test_links_per_minute_are_limited_politely(tg: FakeTelegram, db_url: str, site: NewsSite) -> None:
    site.server.route("/kosong", respond(b"<html><body><p>Kosong.</p></body></html>", headers=HTML))
    clock = ManualClock(datetime(2026, 11, 30, 1, 0, tzinfo=UTC))
    async with running_bot(bot_settings(tg, db_url), clock=clock):
        for _ in range(LINKS_PER_WINDOW):
            assert "tidak berisi teks" in await ask_link(tg, site.server.url("/kosong"))
        assert "Pelan-pelan" in await ask(tg, site.server.url("/kosong"))
        clock.advance(timedelta(seconds=61))
        assert "tidak berisi teks" in await ask_link(tg, site.server.url("/kosong"))


def test_first_link_leaves_sentence_punctuation() -> None:
    assert first_link("lihat (https://a.id/x?y=1).") == "https://a.id/x?y=1"
    assert first_link("HTTPS://A.ID/b, lalu") == "HTTPS://A.ID/b"
    assert first_link("ftp://a.id/x") is None


def written(record: logging.LogRecord) -> bool:
    """Whether `ringkas` would write the record: libraries below their floor it never does."""
    floor = LIBRARY_FLOORS.get(record.name.split(".")[0], logging.NOTSET)
    return record.levelno >= floor


async def test_a_reader_s_link_reaches_the_log_as_its_host_only(
    tg: FakeTelegram, db_url: str, site: NewsSite, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every line, the parsing workers' too
    secret = "token=SECRET123"
    site.server.route("/berita/banjir", respond(ARTICLE, headers=HTML))
    site.server.route("/kosong", respond(b"<html><body><p>Masuk untuk membaca.</p></body></html>", headers=HTML))
    site.server.route("/laporan.pdf", respond(b"%PDF-1.7\n", headers={"Content-Type": "application/pdf"}))
    site.server.route("/pindah", redirect(f"/pindah?{secret}"))  # a loop through the reader's own address
    port = site.server.url("/").split(":")[2].split("/")[0]
    links = [
        f"http://user:pw@127.0.0.1:{port}/x?{secret}",
        *(site.server.url(f"{path}?{secret}") for path in ("/berita/banjir", "/kosong", "/laporan.pdf", "/hilang")),
        site.server.url(f"/pindah?{secret}"),
        f"http://127.0.0.1:{closed_port()}/tutup?{secret}",
    ]
    async with running_bot(bot_settings(tg, db_url)):
        answers = [await link_answer(tg, link) for link in links]
    assert "Banjir Rendam Kemang" in answers[1] and "tidak bisa dibuka" in answers[0]
    lines = [r.getMessage() + (r.exc_text or "") for r in caplog.records if written(r)]
    assert any(f"127.0.0.1:{port}" in line for line in lines)  # the host is logged
    leaks = [line for line in lines if "SECRET123" in line or "pw@" in line or "/berita" in line or "/pindah" in line]
    assert leaks == []
