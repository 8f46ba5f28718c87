"""Tests for page cleaning: boilerplate removal, dates and bylines, whole synthetic pages."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from summarizer.page.boilerplate import PATTERNS, matching_patterns, parse_patterns
from summarizer.page.bylines import author_from_line
from summarizer.page.clean import CleanPage, clean_page, clean_text, is_html
from summarizer.page.titles import strip_site_suffix

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
WIB = timezone(timedelta(hours=7))
WITA = timezone(timedelta(hours=8))
WIT = timezone(timedelta(hours=9))

P1 = (
    "Pemerintah kota mulai memperbaiki jalan yang rusak akibat banjir di kawasan timur. "
    "Perbaikan ditargetkan selesai sebelum musim hujan berikutnya tiba."
)
P2 = (
    "Warga berharap perbaikan dilakukan dengan bahan yang lebih kuat agar jalan tidak cepat "
    "rusak lagi, kata ketua RT setempat."
)

# Whole paragraphs dropped wherever they stand (kinds line, footer and site).
DROPPED_LINES = [
    "Baca juga: Jalan Tol Baru Dibuka Pekan Depan",
    "BACA JUGA: Harga Cabai Turun Menjelang Puasa",
    "Baca_Juga",
    "(Baca juga: Banjir Rendam Ratusan Rumah)",
    "[Baca Juga: Banjir Rendam Ratusan Rumah]",
    "Baca: Banjir Rendam Ratusan Rumah",
    "(Baca: Banjir Rendam Ratusan Rumah)",
    "SIMAK JUGA: Persib Menang Tipis",
    "SIMAK JUGA - Persib Menang Tipis",
    "Simak berita lainnya di Google News",
    "ADVERTISEMENT",
    "Iklan",
    "SCROLL TO CONTINUE WITH CONTENT",
    "Cek berita dan artikel yg lain di Google News dan dan ikuti WhatsApp channel mediaindonesia.com",
    "Ikuti kami di Instagram @kotakita",
    "Dapatkan update berita pilihan dan breaking news setiap hari dari Kompas.com.",
    'Artikel ini telah tayang di Kompas.com dengan judul "Jalan Rusak Diperbaiki"',
    "Lihat juga:",
    "Lihat Juga: Video Banjir di Kemang",
    "Tonton juga video 'Banjir Rendam Kemang':",
    "[Gambas:Video CNN]",
    "Potret Seru Sarwendah Masak Mie Instan. YouTube The Onsu Family ©2021 Merdeka.com",
    "https://www.example.com/berita/2018/04/20/jalan-rusak",
    "(Ist)",
    "(Foto: Dok. Humas Pemkot)",
    "Foto: Irene Harty/ANTARA",
    "(ANTARA FOTO/Sigid Kurniawan)",
    "(OL-2)",
    "(dil/dil)",
    "Fotografer: Grandyos Zafna",
    "Foto ini telah dilihat 3584 kali",
    "998 Views",
    "(Luh Wayanti)",
    "[tsr]",
    "(*)",
    "Penulis: Irene Harty",
    "Reporter: Irene Harty | Editor: Rully Ramli",
    "Pewarta: Nur Hidayat",
    "Editor: Rully Ramli",
    "Laporan Wartawan Tribunnews.com, Gita Irawan",
    "Bagikan",
    "Share:",
    "Bagikan artikel ini",
    "Share on Facebook",
    "Komentar",
    "0 Komentar",
    "Kirim",
    "Kirim Komentar",
    "Halaman 1 2 3",
    "Halaman: 1 2 Selanjutnya",
    "Selanjutnya",
    "Halaman Selanjutnya",
    "Berita Terkait",
    "Berita Lainnya",
    "Artikel Terkait:",
    "Rekomendasi",
    "Pilihan Editor",
    "Terpopuler",
    "Berita Terpopuler",
    "Copyright © 2018 Media Indonesia",
    "Hak Cipta © 2018 Okezone.com",
    "Hak cipta dilindungi undang-undang",
    "Tag: asean, siber",
    "Topik: KTT ASEAN",
    "Topik Terkait",
    "Kompas.com",
    "detikNews",
    "CNN Indonesia",
]
# Teasers of other stories cut with "…" (Metrotvnews), and tweets copied as text (Liputan6).
DROPPED_LINES += [
    "KPK memastikan akan terus melanjutkan penyelidikan terhadap pembelian lahan RS Sumber Waras ole…",
    "Tim penjaringan calon Gubernur DKI Jakarta DPD Partai Demokrat menyambangi kediaman Abraham Lunggana.…",
    "Pelatih Arsenal Arsene Wenger telah menetapkan sejumlah pemain untuk bertanding pada leg pertama 16-besar …",
    "Total WNI terkonfirmasi di luar negeri adalah 2937. #NegaraMelindungi#IniDiplomasi pic.twitter.com/p7I348hxnK",
    "— MoFA Indonesia (@Kemlu_RI) January 23, 2021",
]
# Paragraphs dropped only when they follow the article (kind end).
DROPPED_AT_END = [
    "Sumber: DPReview.",
    "Sumber berita Gizmochina.",
    "DailySocial.id adalah portal berita startup dan inovasi teknologi.",
]
# Fragments cut from the end of a paragraph (kind tail).
CUT_TAILS = [
    " (Luh Wayanti)",
    " (OL-2)",
    " (ant)",
    " (dil/dil)",
    " (mdk/ded)",
    " (rzr/rzr)",
    " (*)",
    " (Antara)",
    " (kid)",
    " [tsr]",
    " (Foto: Biro Pers Setpres)",
    " (Ist)",
    " ANTARA FOTO/Fikri Yusuf/wsj.",
]
# Real prose that merely looks like boilerplate: kept as it is.
KEPT_PROSE = [
    "Foto yang beredar di media sosial memperlihatkan antrean panjang di depan kantor kelurahan.",
    "Sumber di kepolisian menyebutkan pelaku sudah ditangkap di rumahnya.",
    "Sumber berita itu enggan berkomentar lebih jauh.",
    "Bagikan informasi ini kepada tetangga agar mereka ikut waspada, ujarnya.",
    "Kasus itu kini ditangani Komisi Pemberantasan Korupsi (KPK).",
    "Hak cipta lagu itu kini dipegang oleh keluarga sang pencipta.",
    "Topik utama pertemuan itu adalah keamanan siber di kawasan.",
    "Selanjutnya, pemerintah akan membangun tanggul di sepanjang sungai.",
    "Halaman sekolah dipenuhi warga yang mengungsi sejak Jumat malam.",
    "Iklan rokok dilarang dipasang di sekitar sekolah.",
    "Kirim bantuan segera ke lokasi bencana, kata dia.",
    "Editor majalah itu mengundurkan diri pekan lalu.",
    "Presiden berbicara di Istana, Jakarta (20/4)",
    "Pasar Baru Riwayatmu Kini…",
    "Kemlu menulis di akun Twitter @Kemlu_RI bahwa 2.937 WNI terkonfirmasi positif di luar negeri.",
]


@pytest.mark.parametrize("line", DROPPED_LINES)
def test_boilerplate_line_is_dropped_between_paragraphs(line: str) -> None:
    assert clean_text(f"{P1}\n\n{line}\n\n{P2}") == f"{P1}\n\n{P2}"


@pytest.mark.parametrize("line", DROPPED_AT_END)
def test_boilerplate_after_the_article_is_dropped(line: str) -> None:
    assert clean_text(f"{P1}\n\n{P2}\n\n{line}") == f"{P1}\n\n{P2}"


@pytest.mark.parametrize("fragment", CUT_TAILS)
def test_trailing_fragment_is_cut(fragment: str) -> None:
    assert clean_text(f"{P1}\n\n{P2}{fragment}") == f"{P1}\n\n{P2}"


@pytest.mark.parametrize("prose", KEPT_PROSE)
def test_prose_that_looks_like_boilerplate_is_kept(prose: str) -> None:
    assert clean_text(f"{P1}\n\n{prose}") == f"{P1}\n\n{prose}"
    assert clean_text(f"{prose}\n\n{P2}") == f"{prose}\n\n{P2}"


def test_every_boilerplate_pattern_has_a_test_case() -> None:
    samples = DROPPED_LINES + DROPPED_AT_END + [P2 + fragment for fragment in CUT_TAILS]
    covered = {pattern for sample in samples for pattern in matching_patterns(sample)}
    missing = [f"line {p.line_number}: {p.regex.pattern}" for p in PATTERNS - covered]
    assert not missing, f"boilerplate patterns without a test case: {missing}"


def test_caption_with_photo_credit_is_dropped_whole() -> None:
    assert clean_text(f"{P1}\n\nTim Cook, CEO Apple (Foto: Reuters)\n\n{P2}") == f"{P1}\n\n{P2}"


def test_related_headlines_after_the_last_sentence_are_dropped() -> None:
    text = f"{P1}\n\nSub Judul Di Tengah\n\n{P2}\n\nHarga Cabai Turun Menjelang Puasa Ramadan"
    assert clean_text(text) == f"{P1}\n\nSub Judul Di Tengah\n\n{P2}"


def test_headlines_after_a_footer_heading_are_dropped() -> None:
    text = f"{P1}\n\n{P2}\n\nBerita Terkait\n\nJalan Tol Baru Dibuka\n\nHarga Cabai Turun"
    assert clean_text(text) == f"{P1}\n\n{P2}"


def test_article_continuing_after_a_footer_heading_is_kept() -> None:
    assert clean_text(f"{P1}\n\nBerita Terkait\n\n{P2}") == f"{P1}\n\n{P2}"


def test_clean_text_normalises_spacing_and_paragraph_breaks() -> None:
    text = f"  {P1}\u00a0\r\n\r\n\r\n\u200b{P2}  \n"
    assert clean_text(text) == f"{P1}\n\n{P2}"


def test_clean_text_rejoins_hard_wrapped_lines() -> None:
    wrapped = (
        "Pemerintah kota mulai memperbaiki jalan yang rusak akibat banjir di kawasan\n"
        "timur. Perbaikan ditargetkan selesai sebelum musim hujan berikutnya tiba."
    )
    assert clean_text(f"{wrapped}\n\n{P2}") == f"{P1}\n\n{P2}"


def test_clean_text_reads_html_feed_descriptions() -> None:
    html = f'<img src="x.jpg" /><p>{P1}</p><p>Baca juga: Banjir Lagi</p><p>{P2}&nbsp;(ant)</p>'
    assert clean_text(html) == f"{P1}\n\n{P2}"


def test_boilerplate_file_errors_name_the_line() -> None:
    with pytest.raises(ValueError, match=re.escape("x.txt:2")):
        parse_patterns("# ok\nnonsense (a\n", source="x.txt")
    with pytest.raises(ValueError, match=re.escape("x.txt:1: bad regular expression")):
        parse_patterns("line (unclosed\n", source="x.txt")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Penulis: Irene Harty", "Irene Harty"),
        ("Penulis: Dian Maharani | Editor: Bayu Galih", "Dian Maharani"),
        ("Reporter: Irene Harty | Editor: Rully Ramli", "Irene Harty"),
        ("Oleh Irene Harty", "Irene Harty"),
        ("Oleh: Irene Harty pada Jumat, 20 April 2018 15:17 WIB", "Irene Harty"),
        ("Irene Harty - detikNews", "Irene Harty"),
        ("Kompas.com - Irene Harty", "Irene Harty"),
        ("Rep: Fauziah Mursid/ Red: Esthi Maharani", "Fauziah Mursid"),
        ("Fitria Dwi, Jurnalis · Jum'at 20 April 2018 15:17 WIB", "Fitria Dwi"),
        ("Laporan Wartawan Tribunnews.com, Gita Irawan", "Gita Irawan"),
        ("Pewarta: M. Chandra Widya", "M. Chandra Widya"),
        ("Editor: Rully Ramli", None),
        ("CNN Indonesia | Jumat, 20/04/2018 15:17 WIB", None),
        ("Oleh-oleh Khas Jogja Makin Diminati", None),
        ("Presiden meresmikan jembatan baru di Jakarta.", None),
    ],
)
def test_author_from_byline(line: str, expected: str | None) -> None:
    assert author_from_line(line) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Jalan Rusak Diperbaiki - Kompas.com", "Jalan Rusak Diperbaiki"),
        ("Jalan Rusak Diperbaiki | Republika Online", "Jalan Rusak Diperbaiki"),
        ("Tempo.co - Jalan Rusak Diperbaiki", "Jalan Rusak Diperbaiki"),
        ("Persib - Persija Berakhir Imbang", "Persib - Persija Berakhir Imbang"),
    ],
)
def test_strip_site_suffix(title: str, expected: str) -> None:
    assert strip_site_suffix(title) == expected


def _read_fixture(name: str) -> str:
    raw = (PAGES / name).read_text(encoding="utf-8")
    if name.endswith(".txt"):
        lines = raw.splitlines()
        assert lines and lines[0].startswith("#"), f"{name} needs a '#' header comment"
        raw = "\n".join(lines[1:])
    else:
        assert raw.lstrip().startswith("<!--"), f"{name} needs an HTML header comment"
    return raw


# name: (title, author, published, first words of the body, last words of the body)
PAGE_EXPECTATIONS: dict[str, tuple[str, str | None, datetime, str, str]] = {
    "text-kompas-layout.txt": (
        "Pemerintah Siapkan Sepuluh Ribu Posko Mudik di Jalur Pantura",
        "Dian Maharani",
        datetime(2018, 4, 20, 15, 17, tzinfo=WIB),
        "JAKARTA, KOMPAS.com - Kementerian Perhubungan",
        "sebelum berangkat.",
    ),
    "text-detik-layout.txt": (
        "Warga Bantaran Kali Ciliwung Diminta Waspada Banjir Kiriman",
        "Irene Harty",
        datetime(2018, 4, 20, 15, 17, tzinfo=WIB),
        "Jakarta - Badan Penanggulangan",
        "ke tempat yang lebih tinggi.",
    ),
    "text-antara-layout.txt": (
        "Nelayan Makassar Dapat Bantuan Mesin Perahu Hemat Bahan Bakar",
        "Nur Hidayat",
        datetime(2018, 4, 19, 10, 0, tzinfo=WITA),
        "Makassar (ANTARA) - Sebanyak",
        "kata dia.",
    ),
    "text-tempo-layout.txt": (
        "Panen Raya, Harga Gabah di Karawang Turun",
        "Ayu Lestari",
        datetime(2017, 3, 27, 9, 5, tzinfo=WIB),
        "TEMPO.CO, Jakarta - Harga gabah",
        "pekan depan.",
    ),
    "text-liputan6-layout.txt": (
        "Festival Danau Sentani Kembali Digelar Bulan Depan",
        "Yohanes Paulus",
        datetime(2018, 4, 20, 15, 17, tzinfo=WIT),
        "Liputan6.com, Jayapura - Pemerintah",
        "kata Hendrik.",
    ),
    "text-republika-layout.txt": (
        "Mahasiswa Bandung Ciptakan Alat Penjernih Air Bertenaga Surya",
        "Fauziah Mursid",
        datetime(2018, 4, 20, 15, 17, tzinfo=WIB),
        "Sekelompok mahasiswa",
        "dari pemerintah daerah.",
    ),
    "text-cnn-layout.txt": (
        "Bursa Saham Asia Dibuka Menguat Pagi Ini",
        None,
        datetime(2018, 4, 20, 15, 17, tzinfo=WIB),
        "Jakarta, CNN Indonesia -- Indeks",
        "keuangan global.",
    ),
    "text-tribun-layout.txt": (
        "Polisi Amankan Puluhan Motor Knalpot Bising Saat Malam Minggu",
        "Gita Irawan",
        datetime(2018, 4, 20, 15, 17, tzinfo=WIB),
        "TRIBUNNEWS.COM, JAKARTA - Polisi",
        "sidang di tempat.",
    ),
    "text-okezone-layout.txt": (
        "Jembatan Gantung Penghubung Dua Desa di Lebak Akhirnya Diperbaiki",
        "Fitria Dwi",
        datetime(2018, 4, 20, 15, 17, tzinfo=WIB),
        "Warga dua desa",
        "pekan depan.",
    ),
    "text-kumparan-layout.txt": (
        "Warga Depok Keluhkan Antrean Panjang di Kantor Samsat",
        "Sekar Ayu",
        datetime(2018, 4, 20, 15, 17, tzinfo=WIB),
        "Antrean panjang terlihat",
        "siang harinya.",
    ),
    "text-suara-layout.txt": (
        "Apa Kabar Harga Beras di Pasar Tradisional Jakarta?",
        "Putri Handayani",
        datetime(2018, 4, 20, 15, 17, tzinfo=WIB),
        "Suara.com - Harga beras",
        "tetap terjaga.",
    ),
    "html-kompas-like.html": (
        "Bandara Baru Kulon Progo Mulai Layani Penerbangan Perdana",
        "Rina Wulandari",
        datetime(2019, 5, 6, 7, 30, tzinfo=WIB),
        "YOGYAKARTA, KOMPAS.com - Bandara",
        "dari kota.",
    ),
    "html-detik-like.html": (
        "Sekolah di Lereng Merapi Gelar Simulasi Evakuasi Erupsi",
        "Andi Saputra",
        datetime(2018, 11, 12, 10, 45, tzinfo=WIB),
        "Sleman - Ratusan siswa",
        "setiap semester.",
    ),
    "html-otosia-like.html": (
        "Honda Hentikan Produksi Jazz di India",
        None,
        datetime(2023, 1, 12, 9, 15, tzinfo=WIB),
        "Otosia.com - Honda Cars India",
        "tahun depan.",
    ),
    "html-brilio-like.html": (
        "Cara Merawat Tanaman Hias agar Tetap Segar Saat Musim Hujan",
        "Annisa Nur Rahmawati",
        datetime(2023, 1, 9, 10, 5, tzinfo=WIB),
        "Brilio.net - Musim hujan",
        "pada pagi hari.",
    ),
    "html-antara-like.html": (
        "Kunjungan Wisatawan ke Bali Naik Selama Libur Panjang",
        "Made Wijaya",
        datetime(2019, 6, 10, 14, 5, tzinfo=WITA),
        "Denpasar (ANTARA) - Jumlah",
        "kata dia.",
    ),
}
# Text from page furniture that must never reach an article body.
NEVER_IN_BODY = [
    "Baca juga", "BACA JUGA", "Baca:", "ADVERTISEMENT", "SCROLL TO CONTINUE", "Berita Terkait",
    "Terpopuler", "Populer", "Copyright", "COPYRIGHT", "Hak Cipta", "Bagikan", "Share", "Tag:",
    "Topik", "Komentar", "Kirim", "Halaman", "Selanjutnya", "Penulis:", "Reporter:", "Editor:",
    "Pewarta:", "Laporan Wartawan", "Lihat juga", "Tonton juga", "Gambas", "Simak berita",
    "Dapatkan update", "Ikuti kami", "Artikel ini telah tayang", "Sumber:", "ANTARA FOTO",
    "Foto:", "(Dok.", "(dil/dil)", "(idn/idn)", "(ugo/ugo)", "(kid)", "(*)", "Home >",
    "dataLayer", "Berita Lainnya", "Rep:", "Rekomendasi", "Andi Wijaya", "Pasar Anyar",
]  # fmt: skip


def test_every_fixture_page_has_expectations() -> None:
    assert sorted(p.name for p in PAGES.iterdir()) == sorted(PAGE_EXPECTATIONS)


@pytest.mark.parametrize("name", sorted(PAGE_EXPECTATIONS))
def test_synthetic_page(name: str) -> None:
    title, author, published, first, last = PAGE_EXPECTATIONS[name]
    raw = _read_fixture(name)
    assert is_html(raw) is name.endswith(".html")
    page = clean_page(raw, url=f"https://example.com/{name}")
    assert page.title == title
    assert page.author == author
    assert page.published == published
    assert page.published is not None and page.published.utcoffset() == published.utcoffset()
    assert page.text.startswith(first)
    assert page.text.endswith(last)
    assert title not in page.text
    for snippet in NEVER_IN_BODY:
        assert snippet not in page.text, f"{snippet!r} left in the body of {name}"
    paragraphs = page.text.split("\n\n")
    assert len(paragraphs) >= 3
    assert all(p and p == p.strip() and "\n" not in p for p in paragraphs)


def test_short_quote_and_subheading_stay_in_the_body() -> None:
    page = clean_page(_read_fixture("text-liputan6-layout.txt"))
    assert '"Kami siap menyambut tamu," ujar Bupati.' in page.text.split("\n\n")
    assert "Tarian perahu" in page.text.split("\n\n")


def test_naive_page_time_uses_default_tz() -> None:
    raw = _read_fixture("text-republika-layout.txt")
    page = clean_page(raw, default_tz=ZoneInfo("Asia/Jayapura"))
    assert page.published == datetime(2018, 4, 20, 15, 17, tzinfo=WIT)


def test_page_without_header_is_all_body() -> None:
    page = clean_page(f"{P1}\n\n{P2}")
    assert page == CleanPage(None, None, None, f"{P1}\n\n{P2}")


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   \n\n \t ",
        bytes(range(256)).decode("latin-1") * 40,
        "\x00\x01\x02 teks \x00\x00\x00",
        "kata " * 300_000,
        "A" * 2_000_000,
        "(" * 100_000,
        "<html><body></body></html>",
        "<html><<<>>>&&&<p",
        "Baca juga: Sesuatu\nADVERTISEMENT\nBagikan",
        "\ufffd" * 1000,
    ],
    ids=[
        "empty", "blank", "binary", "control-chars", "huge-line", "huge-word", "parens",
        "empty-html", "broken-html", "only-boilerplate", "replacement-chars",
    ],
)  # fmt: skip
def test_weird_input_gives_empty_text(raw: str) -> None:
    page = clean_page(raw)
    assert isinstance(page, CleanPage)
    assert page.text == ""


def test_binary_input_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="summarizer.page.clean"):
        clean_page(bytes(range(256)).decode("latin-1") * 40, url="https://example.com/x")
    assert "looks binary" in caplog.text


def test_clean_page_accepts_bytes_and_rejects_other_types() -> None:
    assert clean_page(f"{P1}\n\n{P2}".encode()).text == f"{P1}\n\n{P2}"
    with pytest.raises(TypeError, match="expects the page as str"):
        clean_page(42)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<!DOCTYPE html><html><body><p>Halo</p></body></html>", True),
        ("<!-- catatan --><html lang='id'><head></head></html>", True),
        ('<?xml version="1.0"?><html><body></body></html>', True),
        ("<div><p>Satu</p><p>Dua</p></div>", True),
        (f"{P1}\n\n{P2}", False),
        ("Harga naik 5 < 10 persen, kata dia.", False),
        ("", False),
    ],
)
def test_is_html(raw: str, expected: bool) -> None:
    assert is_html(raw) is expected
