"""The Indonesian sentence splitter: a table of real-style news cases plus properties."""

from __future__ import annotations

import json
import logging
from itertools import pairwise

import pytest

from summarizer.lang.sentences import (
    ABBREVIATIONS,
    FINAL_ABBREVIATIONS,
    LETTER_LABEL_WORDS,
    split_sentences,
)
from tests.shared_data import INDOSUM, SEED

CASES: list[tuple[str, list[str]]] = [
    # plain prose
    (
        "Presiden meresmikan bendungan itu. Warga menyambut gembira.",
        ["Presiden meresmikan bendungan itu.", "Warga menyambut gembira."],
    ),
    # titles before names
    (
        "Prof. Dr. Ir. H. Ahmad Syafii membuka acara itu. Ia didampingi Hj. Siti Aminah.",
        ["Prof. Dr. Ir. H. Ahmad Syafii membuka acara itu.", "Ia didampingi Hj. Siti Aminah."],
    ),
    # addresses
    (
        "Kantor itu di Jl. Gatot Subroto No. 12, Kec. Setiabudi, Kab. Bogor. Warga sering datang.",
        [
            "Kantor itu di Jl. Gatot Subroto No. 12, Kec. Setiabudi, Kab. Bogor.",
            "Warga sering datang.",
        ],
    ),
    (
        "Rumahnya di Jalan Melati No. 54, Jakarta Barat. Tetangga mengenalnya.",
        ["Rumahnya di Jalan Melati No. 54, Jakarta Barat.", "Tetangga mengenalnya."],
    ),
    # initials with and without a period
    (
        "Direktur M Chandra Widya Yudha hadir. Ia memberi paparan.",
        ["Direktur M Chandra Widya Yudha hadir.", "Ia memberi paparan."],
    ),
    (
        "Yang hadir M. Chandra dan Susilo B. Yudhoyono. Keduanya tersenyum.",
        ["Yang hadir M. Chandra dan Susilo B. Yudhoyono.", "Keduanya tersenyum."],
    ),
    # academic titles after a name
    (
        "Pembicaranya Budi Santoso, S.E., M.M. dari Universitas Indonesia. Acara dimulai pukul 09.00.",
        [
            "Pembicaranya Budi Santoso, S.E., M.M. dari Universitas Indonesia.",
            "Acara dimulai pukul 09.00.",
        ],
    ),
    (
        "Surat itu ditandatangani a.n. Kepala Dinas. Berlaku 1 s.d. 30 Juni.",
        ["Surat itu ditandatangani a.n. Kepala Dinas.", "Berlaku 1 s.d. 30 Juni."],
    ),
    # numbers, money, times, dates, versions
    (
        "Harga naik menjadi Rp1,5 triliun atau 3,5 persen. Angka itu tertinggi.",
        ["Harga naik menjadi Rp1,5 triliun atau 3,5 persen.", "Angka itu tertinggi."],
    ),
    (
        "Sebanyak 1.000 warga hadir pada pukul 15.17 WIB. Acara berlangsung tertib.",
        ["Sebanyak 1.000 warga hadir pada pukul 15.17 WIB.", "Acara berlangsung tertib."],
    ),
    (
        "Sidang digelar 20/4/2018 dan dilanjutkan 27-28 April mendatang. Hakim menunda putusan.",
        [
            "Sidang digelar 20/4/2018 dan dilanjutkan 27-28 April mendatang.",
            "Hakim menunda putusan.",
        ],
    ),
    (
        "Aplikasi versi 1.2.3 dirilis kemarin. Pengguna diminta memperbarui.",
        ["Aplikasi versi 1.2.3 dirilis kemarin.", "Pengguna diminta memperbarui."],
    ),
    (
        "Mereka dihargai Rp. 1.025 per kilogram. Harga itu rendah.",
        ["Mereka dihargai Rp. 1.025 per kilogram.", "Harga itu rendah."],
    ),
    (
        "Jumlah korban mencapai 20. Sebagian luka ringan.",
        ["Jumlah korban mencapai 20.", "Sebagian luka ringan."],
    ),
    (
        "Jalan itu sepanjang 40 km. Pembangunannya selesai tahun ini.",
        ["Jalan itu sepanjang 40 km.", "Pembangunannya selesai tahun ini."],
    ),
    # quotations
    ('"Kami siap." Ia lalu pergi.', ['"Kami siap."', "Ia lalu pergi."]),
    ('"Kami siap," ujarnya. Ia lalu pergi.', ['"Kami siap," ujarnya.', "Ia lalu pergi."]),
    ('"Kami siap!" kata dia.', ['"Kami siap!" kata dia.']),
    (
        '"Apakah kalian siap?" tanya pelatih itu kepada para pemain.',
        ['"Apakah kalian siap?" tanya pelatih itu kepada para pemain.'],
    ),
    # a quotation and its attribution are one sentence, however many sentences it quotes
    (
        '"Kami siap. Kami akan bertanding," kata Budi.',
        ['"Kami siap. Kami akan bertanding," kata Budi.'],
    ),
    (
        "“Tidak hanya tarif tapi apa saja harus diatur. Dipanggil keduanya untuk berbicara,” "
        "ujar Zulkifli. Ia lalu pergi.",
        [
            "“Tidak hanya tarif tapi apa saja harus diatur. Dipanggil keduanya untuk berbicara,” ujar Zulkifli.",
            "Ia lalu pergi.",
        ],
    ),
    # IndoSum spaces its curly quotes off the words
    (
        "“ Saya punya alamat email. Itu berganti setiap pekan, ” ujar Sheeran. Beyonce diam.",
        [
            "“ Saya punya alamat email. Itu berganti setiap pekan, ” ujar Sheeran.",
            "Beyonce diam.",
        ],
    ),
    (
        'Menurut dia, "Harga naik. Stok aman." Pedagang setuju.',
        ['Menurut dia, "Harga naik. Stok aman."', "Pedagang setuju."],
    ),
    (
        'Kapolres berkata, "Pelaku sudah ditangkap. Dia warga setempat. Motifnya utang." Polisi masih memeriksa saksi.',
        [
            'Kapolres berkata, "Pelaku sudah ditangkap. Dia warga setempat. Motifnya utang."',
            "Polisi masih memeriksa saksi.",
        ],
    ),
    # a quotation still open at the end of the line (it runs on in the next paragraph)
    # joins nothing
    (
        '"Kami siap. Kami akan bertanding di sana. Semua pemain sehat.',
        ['"Kami siap.', "Kami akan bertanding di sana.", "Semua pemain sehat."],
    ),
    (
        "Ia menyebutnya «kota pintar. Bukan sekadar slogan.» Warga menunggu.",
        ["Ia menyebutnya «kota pintar. Bukan sekadar slogan.»", "Warga menunggu."],
    ),
    ("“Kami siap.” Ia lalu pergi.", ["“Kami siap.”", "Ia lalu pergi."]),
    ('"Merdeka!" Semua orang bersorak.', ['"Merdeka!"', "Semua orang bersorak."]),
    ("Ia menyebutnya 'gila.' Semua tertawa.", ["Ia menyebutnya 'gila.'", "Semua tertawa."]),
    (
        "Sulit untuk berhenti. ” 6. “ Saya suka kopi, ” katanya.",
        ["Sulit untuk berhenti. ”", "6. “ Saya suka kopi, ” katanya."],
    ),
    (
        "Ia berkata, “ [...] Sejak itu kami berubah, ” ujarnya.",
        ["Ia berkata, “ [...] Sejak itu kami berubah, ” ujarnya."],
    ),
    # ellipses
    ("Ia terdiam... lalu pergi begitu saja.", ["Ia terdiam... lalu pergi begitu saja."]),
    ("Ia terdiam… lalu pergi begitu saja.", ["Ia terdiam… lalu pergi begitu saja."]),
    (
        "Tunggu dulu... Kembali dari Cipayung, ia menelepon.",
        ["Tunggu dulu...", "Kembali dari Cipayung, ia menelepon."],
    ),
    # URLs, e-mail, datelines, all-caps leads
    (
        "Informasi ada di https://www.x.co.id/a.b dan kompas.com. Pendaftaran dibuka besok.",
        ["Informasi ada di https://www.x.co.id/a.b dan kompas.com.", "Pendaftaran dibuka besok."],
    ),
    (
        "Kirim berkas ke nama@domain.co.id. Panitia akan membalas.",
        ["Kirim berkas ke nama@domain.co.id.", "Panitia akan membalas."],
    ),
    (
        "JAKARTA, KOMPAS.com - Pemerintah menaikkan harga BBM. Kenaikan berlaku besok.",
        ["JAKARTA, KOMPAS.com - Pemerintah menaikkan harga BBM.", "Kenaikan berlaku besok."],
    ),
    (
        "Jakarta (ANTARA) - Presiden meresmikan jalan tol. Jalan itu dibuka gratis.",
        ["Jakarta (ANTARA) - Presiden meresmikan jalan tol.", "Jalan itu dibuka gratis."],
    ),
    (
        "KEMENTERIAN Luar Negeri RI (Kemlu) menggelar jumpa pers. Wartawan hadir.",
        ["KEMENTERIAN Luar Negeri RI (Kemlu) menggelar jumpa pers.", "Wartawan hadir."],
    ),
    (
        "Hal itu disampaikan di Jakarta, Senin (27/3). Ia menambahkan hal lain.",
        ["Hal itu disampaikan di Jakarta, Senin (27/3).", "Ia menambahkan hal lain."],
    ),
    # sentence-final abbreviations and company suffixes
    (
        "Ia membawa buku, pena, dan lain-lain dll. Kemudian ia pulang.",
        ["Ia membawa buku, pena, dan lain-lain dll.", "Kemudian ia pulang."],
    ),
    ("Buku, pena, dll. dibagikan kepada siswa.", ["Buku, pena, dll. dibagikan kepada siswa."]),
    (
        "Gol itu gagal dibalas Roberto Bettega dkk. Juventus pun kalah.",
        ["Gol itu gagal dibalas Roberto Bettega dkk.", "Juventus pun kalah."],
    ),
    (
        "Saham PT Unilever Indonesia Tbk. naik 2 persen.",
        ["Saham PT Unilever Indonesia Tbk. naik 2 persen."],
    ),
    (
        "Laba naik di PT Bank Central Asia Tbk. Perseroan membagikan dividen.",
        ["Laba naik di PT Bank Central Asia Tbk.", "Perseroan membagikan dividen."],
    ),
    (
        "Ia bekerja di PT. Charoen Pokphand Indonesia sejak 2010.",
        ["Ia bekerja di PT. Charoen Pokphand Indonesia sejak 2010."],
    ),
    ("Floyd Mayweather Jr. menang angka.", ["Floyd Mayweather Jr. menang angka."]),
    (
        "Turnamen catur di St. Louis berakhir. Carlsen juara.",
        ["Turnamen catur di St. Louis berakhir.", "Carlsen juara."],
    ),
    # questions, exclamations, brackets
    (
        "Mengapa harga naik? Pemerintah belum menjelaskan! Warga resah.",
        ["Mengapa harga naik?", "Pemerintah belum menjelaskan!", "Warga resah."],
    ),
    ("Kenapa? karena ruangannya penuh.", ["Kenapa?", "karena ruangannya penuh."]),
    (
        "Ia sempat dirawat (kondisinya kini membaik.) Keluarga bersyukur.",
        ["Ia sempat dirawat (kondisinya kini membaik.)", "Keluarga bersyukur."],
    ),
    ("Acara berjalan lancar. (OL-2)", ["Acara berjalan lancar.", "(OL-2)"]),
    # lines: paragraphs, headings, "Baca juga", lists
    (
        "Paragraf pertama tanpa titik\n\nParagraf kedua juga",
        ["Paragraf pertama tanpa titik", "Paragraf kedua juga"],
    ),
    (
        "Harga cabai naik.\nBaca juga: Harga Bawang Turun\nPedagang mengeluh.",
        ["Harga cabai naik.", "Baca juga: Harga Bawang Turun", "Pedagang mengeluh."],
    ),
    (
        "Keamanan Siber Jadi Fokus\nIrene Harty\n20/4/2018 15:17\nKTT ASEAN digelar di Singapura.",
        [
            "Keamanan Siber Jadi Fokus",
            "Irene Harty",
            "20/4/2018 15:17",
            "KTT ASEAN digelar di Singapura.",
        ],
    ),
    (
        "Syaratnya sebagai berikut:\n1. Fotokopi KTP.\n2. Pas foto terbaru.",
        ["Syaratnya sebagai berikut:", "1. Fotokopi KTP.", "2. Pas foto terbaru."],
    ),
    (
        "Berikut hasilnya. 1. Atlanta Hawks menang. 2. Boston Celtics kalah.",
        ["Berikut hasilnya.", "1. Atlanta Hawks menang.", "2. Boston Celtics kalah."],
    ),
    # lower-case sentence openers that are still sentence openers
    (
        "Hal itu disampaikan dokter. dr. Reisa Broto Asmoro menjelaskan gejalanya.",
        ["Hal itu disampaikan dokter.", "dr. Reisa Broto Asmoro menjelaskan gejalanya."],
    ),
    (
        "Apple merilis ponsel baru. iPhone X dijual mulai besok.",
        ["Apple merilis ponsel baru.", "iPhone X dijual mulai besok."],
    ),
    # a capital letter that names something rather than abbreviates a name
    (
        "Jeruk mengandung vitamin C. Selain itu, jeruk murah.",
        ["Jeruk mengandung vitamin C.", "Selain itu, jeruk murah."],
    ),
    # a boundary glued without a space, as some pages have it
    (
        "Laga berakhir pada tahun 2017.Pertandingan berikutnya di Jakarta.",
        ["Laga berakhir pada tahun 2017.", "Pertandingan berikutnya di Jakarta."],
    ),
    # whitespace is normalized, the last fragment is kept without punctuation
    (
        "Ia  datang\tpagi ini.   Lalu\u00a0pulang.",
        ["Ia datang pagi ini.", "Lalu pulang."],
    ),
    ("Ia pergi. Lalu", ["Ia pergi.", "Lalu"]),
    ("", []),
    ("   \n\n \t ", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_split_sentences_cases(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def _assert_properties(text: str) -> None:
    """No character is lost or invented, sentences are verbatim and the split is stable."""
    sentences = split_sentences(text)
    assert "".join("".join(sentences).split()) == "".join(text.split())
    normalized = " ".join(text.split())
    for sentence in sentences:
        assert sentence and sentence == sentence.strip() and "  " not in sentence
        assert sentence in normalized
    assert split_sentences("\n".join(sentences)) == sentences


@pytest.mark.parametrize("text", [text for text, _ in CASES])
def test_properties_on_cases(text: str) -> None:
    _assert_properties(text)


def test_properties_on_a_joined_article() -> None:
    _assert_properties("\n\n".join(text for text, _ in CASES))
    _assert_properties(" ".join(text.replace("\n", " ") for text, _ in CASES))


def test_abbreviation_data_is_consistent() -> None:
    assert {"dr.", "prof.", "jl.", "no.", "kec.", "kab.", "hj.", "s.h.", "m.si."} <= ABBREVIATIONS
    assert {"dll.", "dsb.", "dst.", "tsb.", "tbk."} <= FINAL_ABBREVIATIONS <= ABBREVIATIONS
    assert all(a.endswith(".") and a == a.lower() for a in ABBREVIATIONS)
    assert not {"km.", "kg.", "hal.", "bu.", "pak."} & ABBREVIATIONS


def test_pathological_input_is_handled() -> None:
    assert split_sentences("." * 50_000 + "x") == ["." * 50_000 + "x"]
    assert len(split_sentences("Ya! " * 20_000)) == 20_000
    assert split_sentences("A. " * 5_000 + "Budi datang.") == [("A. " * 5_000 + "Budi datang.")]


def test_non_string_input_is_a_clear_error(caplog: pytest.LogCaptureFixture) -> None:
    with (
        caplog.at_level(logging.WARNING, logger="summarizer.lang.sentences"),
        pytest.raises(TypeError, match="expects str, got bytes"),
    ):
        split_sentences(b"Ia pergi.")  # type: ignore[arg-type]
    assert "instead of str" in caplog.text


@pytest.fixture(scope="module")
def indosum_texts() -> list[str]:
    if not INDOSUM.is_file():
        pytest.skip(f"IndoSum dev set not found at {INDOSUM} (the shared data directory is absent)")
    with INDOSUM.open(encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in handle]


def test_properties_on_indosum(indosum_texts: list[str]) -> None:
    for text in indosum_texts:
        _assert_properties(text)


def test_no_split_after_titles_and_initials_on_indosum(indosum_texts: list[str]) -> None:
    non_final = ABBREVIATIONS - FINAL_ABBREVIATIONS
    for text in indosum_texts:
        for line in text.splitlines():
            sentences = split_sentences(line)
            for sentence, following in pairwise(sentences):
                *_, before, last = ["", *sentence.split(" ")]
                assert last.lower() not in non_final, (sentence, following)
                initial = len(last) == 2 and last[0].isupper() and last[1] == "."
                assert not initial or before.lower() in LETTER_LABEL_WORDS, (sentence, following)


def test_seed_page_sentences() -> None:
    if not SEED.is_file():
        pytest.skip(f"seed page not found at {SEED} (the shared data directory is absent)")
    sentences = split_sentences(SEED.read_text(encoding="utf-8"))
    for line in ("Irene Harty", "20/4/2018 15:17", "(Ist)", "(OL-2)", "Fokus", "Headline"):
        assert line in sentences
    lead = [s for s in sentences if s.startswith("KEMENTERIAN Luar Negeri RI")]
    assert len(lead) == 1
    assert "M Chandra Widya Yudha" in lead[0] and lead[0].endswith("teknologi kota pintar.")
    assert any(s.startswith('"Indonesia telah mengajukan tiga kota') for s in sentences)
    assert "Ini dalam konteks Kementerian Dalam Negeri" in " ".join(sentences)
    # The three quoted sentences and "imbuh Chandra." are one sentence.
    quote = [s for s in sentences if "Ini dalam konteks Kementerian Dalam Negeri" in s]
    assert len(quote) == 1 and quote[0].endswith('100 smart cities," imbuh Chandra.')
