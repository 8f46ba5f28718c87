"""Datelines and outlet tags: a table of the forms in summarizer/data/datelines.txt.

Each form of the data file has at least one real-style case (the shapes come from IndoSum's
outlets and today's Indonesian sites); the cases that must stay whole guard against cutting
the start of an ordinary sentence.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.lang.datelines import dateline_length, strip_dateline
from summarizer.lang.langdata import read_entries
from tests.shared_data import INDOSUM

CASES: list[tuple[str, str]] = [
    # {place}, {outlet} -
    ("JAKARTA, KOMPAS.com - Presiden Joko Widodo meresmikan tol.", "Presiden Joko Widodo meresmikan tol."),
    ("Jakarta, CNN Indonesia - - Acer baru saja memperkenalkan laptop.", "Acer baru saja memperkenalkan laptop."),
    ("Jakarta, CNN Indonesia -- Harga emas turun hari ini.", "Harga emas turun hari ini."),
    ("Gianyar, CNN Indonesia - - Timnas U-22 kalah 0-1.", "Timnas U-22 kalah 0-1."),
    ("BARCELONA, JUARA.net - Atletico Madrid meraih kemenangan.", "Atletico Madrid meraih kemenangan."),
    ("JAKARTA, investor.id — Bursa saham ditutup menguat.", "Bursa saham ditutup menguat."),
    # {place}, {place} ({outlet}) -
    ("Sleman, Yogyakarta (ANTARA News) - Warga desa mengungsi.", "Warga desa mengungsi."),
    # {place} ({outlet}) -
    ("Jakarta (ANTARA News) - Jalan untuk mewujudkan impian terbuka.", "Jalan untuk mewujudkan impian terbuka."),
    ("Jakarta (ANTARA) - Pemerintah menaikkan harga BBM.", "Pemerintah menaikkan harga BBM."),
    ("JAKARTA (Pos kota) – Perayaan Hari Buruh berlangsung tertib.", "Perayaan Hari Buruh berlangsung tertib."),
    ("Batam (ANTARA News) - Aparat TNI AL mengamankan kapal.", "Aparat TNI AL mengamankan kapal."),
    # {outlet}, {place} -
    ("JUARA.NET, KUALA LUMPUR - Indonesia menambah satu emas.", "Indonesia menambah satu emas."),
    ("TEMPO.CO, Jakarta - Kepolisian menyatakan bahwa kasus selesai.", "Kepolisian menyatakan bahwa kasus selesai."),
    ("REPUBLIKA.CO.ID, JAKARTA -- Menteri Agama membuka acara.", "Menteri Agama membuka acara."),
    # {outlet}, {place}:
    ("Liputan6.com, Jakarta: Polisi menangkap dua orang pelaku.", "Polisi menangkap dua orang pelaku."),
    # {outlet}, {Place}
    ("Liputan6.com, Jakarta Polisi menangkap dua orang pelaku.", "Polisi menangkap dua orang pelaku."),
    ("Bola.com, Jakarta Timnas Indonesia kalah dari Jepang.", "Timnas Indonesia kalah dari Jepang."),
    ("Fimela.com, Jakarta Ada banyak cara merawat kulit.", "Ada banyak cara merawat kulit."),
    ("Liputan6.com, Surabaya 12 orang terluka dalam kecelakaan.", "12 orang terluka dalam kecelakaan."),
    ('KapanLagi.com, Jakarta "Saya bahagia," kata Raisa.', '"Saya bahagia," kata Raisa.'),
    # {outlet} -
    ("Dream - Pasangan selebriti itu menggelar resepsi.", "Pasangan selebriti itu menggelar resepsi."),
    ("Dream – Pasangan selebriti itu menggelar resepsi.", "Pasangan selebriti itu menggelar resepsi."),
    ("Dream.co.id - Harga emas naik lagi hari ini.", "Harga emas naik lagi hari ini."),
    (
        "Merdeka.com - Bos Liverpool, Jurgen Klopp, disebut ingin membajak.",
        "Bos Liverpool, Jurgen Klopp, disebut ingin membajak.",
    ),
    (
        "Suara.com - Ketua Umum DPP PAN tak menyangkal bertemu Presiden.",
        "Ketua Umum DPP PAN tak menyangkal bertemu Presiden.",
    ),
    ("Rimanews - Ipda Zasmi Diaz sempat mengirim pesan terakhir.", "Ipda Zasmi Diaz sempat mengirim pesan terakhir."),
    ("JUARA.NET - Pebulu tangkis asal India menang.", "Pebulu tangkis asal India menang."),
    ("KOMPAS.com — Gempa mengguncang Lombok pagi ini.", "Gempa mengguncang Lombok pagi ini."),
    # {PLACE}, {PLACE} -
    ("JAKARTA, RINGKAS - Pemerintah Kota meresmikan jembatan.", "Pemerintah Kota meresmikan jembatan."),
    # {PLACE} -
    ("INGGRIS – Manchester United pulang tanpa angka.", "Manchester United pulang tanpa angka."),
    (
        "JAKARTA –Sekelah diultimatum Ketua Umum Partai Golkar mundur.",
        "Sekelah diultimatum Ketua Umum Partai Golkar mundur.",
    ),
    # not datelines: the sentence stays whole
    ("Persib - Persija bermain imbang di Bandung.", "Persib - Persija bermain imbang di Bandung."),
    ("Jakarta - Bandung", "Jakarta - Bandung"),
    ("JAKARTA, KOMPAS.com -", "JAKARTA, KOMPAS.com -"),
    (
        "Presiden Joko Widodo - yang baru tiba - langsung rapat.",
        "Presiden Joko Widodo - yang baru tiba - langsung rapat.",
    ),
    ("Skor akhir 2 - 1 untuk tuan rumah.", "Skor akhir 2 - 1 untuk tuan rumah."),
    ("Kompas.com adalah situs berita.", "Kompas.com adalah situs berita."),
    ("Liputan6.com, Jakarta mencatat kunjungan tertinggi.", "Liputan6.com, Jakarta mencatat kunjungan tertinggi."),
    ("Dream dan kenyataan sering berbeda jauh.", "Dream dan kenyataan sering berbeda jauh."),
]


@pytest.mark.parametrize(("sentence", "expected"), CASES)
def test_strip_dateline_cases(sentence: str, expected: str) -> None:
    assert strip_dateline(sentence) == expected
    assert dateline_length(sentence) == len(sentence) - len(expected)


def test_every_form_in_the_data_file_has_a_case() -> None:
    forms = [e.split(None, 1)[1] for e in read_entries("datelines.txt") if e.startswith("form")]
    comments = Path(__file__).read_text(encoding="utf-8")
    for form in forms:
        assert f"# {form}\n" in comments, f"no case for the form {form!r}"


def test_indosum_articles_lose_their_datelines() -> None:
    if not INDOSUM.is_file():
        pytest.skip(f"IndoSum dev data not found at {INDOSUM} (../shared is absent)")
    from summarizer import summarize

    with INDOSUM.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines][:300]
    tagged = ("CNN Indonesia", "(ANTARA News)", "Merdeka.com -", "Suara.com -", "JUARA.net")
    for record in records:
        for sentence in summarize(record["text"]):
            assert not any(tag in sentence[:40] for tag in tagged), sentence
