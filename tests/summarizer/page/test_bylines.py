"""Bylines with roles, organisations and title affixes (meta.py and its data files)."""

from __future__ import annotations

import pytest

from summarizer.page.bylines import (
    Credit,
    author_from_line,
    caps_byline,
    clean_author,
    credits_in_line,
    is_organisation,
    join_split_bylines,
)
from summarizer.page.titles import choose_title, printed_headline, strip_site_suffix


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Penulis: Dian Maharani", [Credit("writer", "Dian Maharani")]),
        ("Reporter: Irene Harty | Editor: Rully Ramli",
         [Credit("writer", "Irene Harty"), Credit("editor", "Rully Ramli")]),
        ("Rep: Fauziah Mursid/ Red: Esthi Maharani",
         [Credit("writer", "Fauziah Mursid"), Credit("editor", "Esthi Maharani")]),
        ("Wartawan: Gita Irawan", [Credit("writer", "Gita Irawan")]),
        ("Jurnalis: Fahmi Firdaus", [Credit("writer", "Fahmi Firdaus")]),
        ("Kontributor: Luh Wayanti", [Credit("writer", "Luh Wayanti")]),
        ("Koresponden: Made Arya", [Credit("writer", "Made Arya")]),
        ("Pewarta Nur Imansyah", [Credit("writer", "Nur Imansyah")]),
        ("Ditulis oleh Rina Wulandari", [Credit("writer", "Rina Wulandari")]),
        ("Oleh : Agus Rahmat", [Credit("writer", "Agus Rahmat")]),
        ("By Agus Rahmat", [Credit("writer", "Agus Rahmat")]),
        ("Author: Agus Rahmat", [Credit("writer", "Agus Rahmat")]),
        ("Writer: Agus Rahmat", [Credit("writer", "Agus Rahmat")]),
        ("Editing: Bayu Galih", [Credit("editor", "Bayu Galih")]),
        ("Redaktur: Bayu Galih", [Credit("editor", "Bayu Galih")]),
        ("Penyunting: Bayu Galih", [Credit("editor", "Bayu Galih")]),
        ("Fotografer: Grandyos Zafna", [Credit("photo", "Grandyos Zafna")]),
        ("Foto oleh Grandyos Zafna", [Credit("photo", "Grandyos Zafna")]),
        ("Videografer: Andi Saputra", [Credit("photo", "Andi Saputra")]),
        ("Video: Andi Saputra", [Credit("photo", "Andi Saputra")]),
        ("Fahmi Firdaus Jurnalis · Kamis, 05 November 2015 11:52",
         [Credit("writer", "Fahmi Firdaus")]),
        ("Fahmi Firdaus , Jurnalis", [Credit("writer", "Fahmi Firdaus")]),
        # JPNN gives one name under two labels; the writer's role wins, "&" is no name.
        ("Redaktur & Reporter : Boy", [Credit("writer", "Boy")]),
        ("Reporter & Redaktur : Ika Putri", [Credit("writer", "Ika Putri")]),
        ("Editor dan Fotografer: Ayu Sari", [Credit("editor", "Ayu Sari")]),
    ],
)  # fmt: skip
def test_credits_carry_their_role(line: str, expected: list[Credit]) -> None:
    assert credits_in_line(line) == expected


def test_a_photographer_is_no_author() -> None:
    assert author_from_line("Fotografer: Grandyos Zafna") is None
    assert author_from_line("Editor: Bayu Galih") is None


@pytest.mark.parametrize(
    "name",
    ["Kompas Cyber Media", "PT VIVA MEDIA BARU", "PT. Kompas Media Nusantara", "Tempo.co",
     "Redaksi", "Tim Redaksi", "Tim detikcom", "admin", "detikNews", "CNN Indonesia",
     "Okezone", "Republika Online", "Tribun Network", "Antara", "redaksiotosia", "Tabloid Bintang",
     "Majalah Tempo", "Harian Kompas", "Koran Sindo", "Surat Kabar Pikiran Rakyat"],
)  # fmt: skip
def test_organisations_are_not_authors(name: str) -> None:
    assert is_organisation(name)
    assert clean_author(name) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Pewarta Nur Imansyah", "Nur Imansyah"), ("Penulis: Dian Maharani", "Dian Maharani"),
     ("Editor: Bayu Galih", None), ("Irene Harty", "Irene Harty")],
)  # fmt: skip
def test_metadata_author_loses_its_label(value: str, expected: str | None) -> None:
    assert clean_author(value) == expected


def test_capitalised_name_after_the_article_is_its_writer() -> None:
    assert caps_byline("ANTON SEPTIAN") == "Anton Septian"
    assert caps_byline("MUDA DAN MENGINSPIRASI INDONESIA KITA") is None
    assert caps_byline("TEMPO.CO") is None
    # Merdeka's closing headings in capitals: a related block and a numbered zone.
    assert caps_byline("TOPIK TERKAIT") is None
    assert caps_byline("RING I") is None
    # Tempo's sign-off: the sources, then the writer.
    assert caps_byline("DAILY STAR | EXPRESS | FIKRI ARIGI") == "Fikri Arigi"
    assert caps_byline("ANTARA | REUTERS") is None


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Persib Menang Tipis - Kompas.com Bola", "Persib Menang Tipis"),
        ("Jalan Rusak Diperbaiki - Kompas.com Regional", "Jalan Rusak Diperbaiki"),
        ("KapanLagi.com: Raisa Rilis Album Baru", "Raisa Rilis Album Baru"),
        ("Musik - Raisa Rilis Album Baru", "Raisa Rilis Album Baru"),
        ("Kronologi Pemalsuan Tanda Tangan JK | Today Merdeka.com", "Kronologi Pemalsuan Tanda Tangan JK"),
        ("Persib - Persija Berakhir Imbang", "Persib - Persija Berakhir Imbang"),
        ("Jokowi: Ekonomi Tumbuh 5 Persen", "Jokowi: Ekonomi Tumbuh 5 Persen"),
    ],
)
def test_title_loses_outlet_and_section(title: str, expected: str) -> None:
    assert strip_site_suffix(title) == expected


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        (["Fahmi Firdaus", "Jurnalis", "Kamis, 05 November 2015 11:52"],
         ["Fahmi Firdaus, Jurnalis", "Kamis, 05 November 2015 11:52"]),
        (["Penulis:", "Dian Maharani"], ["Penulis: Dian Maharani"]),
        (["Editor", "Bayu Galih"], ["Editor: Bayu Galih"]),
        # Kompas prints each name above its role.
        (["Isna Rifka Sri Rahayu", "Penulis", "Yoga Sukmana", "Editor"],
         ["Penulis: Isna Rifka Sri Rahayu", "Editor: Yoga Sukmana"]),
        (["Berita Terkait", "Banjir Rendam Kemang"], ["Berita Terkait", "Banjir Rendam Kemang"]),
        (["Oleh", "karena itu warga mengungsi."], ["Oleh", "karena itu warga mengungsi."]),
    ],
)  # fmt: skip
def test_bylines_split_over_two_lines_are_rejoined(paragraphs: list[str], expected: list[str]) -> None:
    assert join_split_bylines(paragraphs) == expected


def test_a_menu_word_is_not_joined_to_the_headline_below_it() -> None:
    assert join_split_bylines(["Video", "Banjir Rendam Kemang"]) == ["Video", "Banjir Rendam Kemang"]
    assert join_split_bylines(["Video:", "Andi Saputra"]) == ["Video: Andi Saputra"]


def test_the_printed_headline_keeps_the_punctuation_metadata_dropped() -> None:
    meta = "KPK tak Temukan Surat Pencabutan IUP Nikel Raja Ampat Apa Iya Betul Dicabut"
    printed = "KPK tak Temukan Surat Pencabutan IUP Nikel Raja Ampat: Apa Iya Betul Dicabut?"
    assert printed_headline(meta, ["Berita Terkini", printed]) == printed
    assert printed_headline(meta, ["Kolom Pakar"]) == meta


def test_a_headline_cut_short_is_read_whole_from_the_h1() -> None:
    meta = "Hari Pertama Ramadhan, Puluhan Warga 15 Ulu Palembang..."
    whole = "Hari Pertama Ramadhan, Puluhan Warga 15 Ulu Palembang Kehilangan Rumah"
    assert printed_headline(meta, ["Terpopuler", whole]) == whole
    assert printed_headline("Banjir...", ["Banjir Rendam Kemang"]) == "Banjir..."  # too little left to match


def test_the_title_the_page_prints_wins_and_the_site_name_goes() -> None:
    titles = ["Tirto.ID - Jernih Mengalir Mencerahkan", "Kemenag Gelar Sidang Isbat Penentuan 1 Syawal"]
    assert choose_title(titles, ["Kemenag Gelar Sidang Isbat Penentuan 1 Syawal"]) == titles[1]
    assert choose_title(titles, []) == "Jernih Mengalir Mencerahkan"  # no <h1>: the first, cleaned
    assert choose_title(["Papan Reklame Dikeluhkan Warga - Poskota News"], [], ["Poskota News"]) == (
        "Papan Reklame Dikeluhkan Warga"
    )
    assert choose_title([], ["X"]) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Kontributor Gorontalo, Rosyid A Azhar", [Credit("writer", "Rosyid A Azhar")]),
        ("Kontributor Kupang, Sigiranus Marutho Bere", [Credit("writer", "Sigiranus Marutho Bere")]),
        ("Kontributor: Andi Saputra, Budi Santoso", [Credit("writer", "Andi Saputra, Budi Santoso")]),
        ("Rep: Dwina Agustin/", [Credit("writer", "Dwina Agustin")]),
    ],
)
def test_correspondents_post_and_a_trailing_slash_are_not_the_name(line: str, expected: list[Credit]) -> None:
    assert credits_in_line(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/ Penulis. Muslimin", [Credit("writer", "Muslimin")]),  # Akurat
        ("OLEH DIMAS PANJI SETYADI Ikuti di twitter", [Credit("writer", "Dimas Panji Setyadi")]),  # Goal
        ("Written for Good News From Indonesia by A. Cholis Hamzah", [Credit("writer", "A. Cholis Hamzah")]),
        ("VIDEO : Bersihkan Saluran Air", [Credit("photo", "Bersihkan Saluran Air")]),  # a credit only before the body
    ],
)
def test_more_byline_forms(line: str, expected: list[Credit]) -> None:
    assert credits_in_line(line) == expected


def test_page_words_are_no_bare_name() -> None:
    from summarizer.page.bylines import is_name

    assert not is_name("Detail Artikel", bare=True) and not is_name("Berita Terkini", bare=True)
    assert is_name("Gervin Nathaniel Purba", bare=True)


def test_a_title_cut_by_a_quotation_mark_is_read_whole_from_the_h1() -> None:
    whole = "Saksi Kecewa Kunjungan Ahok Berujung Perkataan 'Dibohongi Al-Maidah'"
    assert printed_headline("Saksi Kecewa Kunjungan Ahok Berujung Perkataan", [whole]) == whole
    assert printed_headline(
        "Banjir Rendam Kemang", ["Banjir Rendam Kemang dan Tiga Kelurahan Lain di Jakarta Selatan"]
    ) == (
        "Banjir Rendam Kemang"  # much longer: another headline, not this one whole
    )


def test_a_contributors_town_in_brackets_is_not_part_of_the_names() -> None:
    assert join_split_bylines(["Oleh :", "Harry Siswoyo, Angkotasan (Ambon)"]) == [
        "Oleh: Harry Siswoyo, Angkotasan (Ambon)"
    ]
    assert credits_in_line("Oleh: Harry Siswoyo, Angkotasan (Ambon)") == [Credit("writer", "Harry Siswoyo, Angkotasan")]
    assert credits_in_line("Penulis: Dani Pedrosa (c) HRC") != [Credit("writer", "Dani Pedrosa HRC")]
