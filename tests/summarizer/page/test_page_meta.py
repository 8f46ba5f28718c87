"""Choosing author and time between a page's sources (summarizer/page/metadata.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from summarizer.page.bylines import Credit
from summarizer.page.clean import clean_page
from summarizer.page.metadata import Dated, choose_author, choose_published

WIB = timezone(timedelta(hours=7))
DAY = Dated(datetime(2015, 6, 16, tzinfo=WIB), False, "metadata")
PRINTED = Dated(datetime(2015, 6, 16, 14, 5, tzinfo=WIB), True, "date line")


def test_metadata_with_a_time_wins() -> None:
    full = Dated(datetime(2015, 6, 16, 14, 6, tzinfo=WIB), True, "metadata")
    assert choose_published(full, PRINTED) is full


def test_printed_time_beats_metadata_showing_it_under_a_wrong_offset() -> None:
    # Merdeka: "2021-06-17T11:38:29-07:00" in metadata, "17 Juni 2021 11:38" printed (WIB).
    slipped = Dated(datetime(2021, 6, 17, 11, 38, 29, tzinfo=timezone(timedelta(hours=-7))), True, "metadata")
    printed = Dated(datetime(2021, 6, 17, 11, 38, tzinfo=WIB), True, "date line")
    assert choose_published(slipped, printed) is printed
    utc = Dated(datetime(2021, 6, 17, 4, 38, tzinfo=UTC), True, "metadata")
    assert choose_published(utc, printed) is utc  # the same instant written in UTC is right


def test_printed_time_beats_a_day_only_metadata_date() -> None:
    assert choose_published(DAY, PRINTED) is PRINTED
    assert choose_published(None, PRINTED) is PRINTED


def test_printed_time_on_another_day_is_distrusted_and_the_day_stays_date_only() -> None:
    other = Dated(datetime(2015, 6, 1, 9, 0, tzinfo=WIB), True, "date line")
    chosen = choose_published(DAY, other)
    assert chosen is DAY and not chosen.has_time


def test_printed_writer_beats_metadata_editor_and_publisher() -> None:
    credits = [Credit("writer", "Nur Imansyah"), Credit("editor", "Bayu Galih")]
    assert choose_author(credits, ["Bayu Galih", "Kompas Cyber Media"], None) == "Nur Imansyah"


def test_metadata_person_is_used_unless_printed_as_editor_or_photographer() -> None:
    editor = [Credit("editor", "Bayu Galih")]
    assert choose_author(editor, ["Bayu Galih", "Rina Wulandari"], None) == "Rina Wulandari"
    photo = [Credit("photo", "Grandyos Zafna")]
    assert choose_author(photo, ["Grandyos Zafna", "PT VIVA MEDIA BARU"], None) == "Grandyos Zafna"


def test_an_outlet_trimmed_to_a_word_is_not_an_author() -> None:
    # Liputan6's metadata names the outlet; trafilatura hands it back as "Liputan".
    assert choose_author((), ["Liputan6.com", "Liputan"], None) is None
    assert choose_author((), ["Liputan6.com", "Ibrahim Hasan"], None) == "Ibrahim Hasan"


def test_a_photo_page_without_a_writer_is_credited_to_its_photographer() -> None:
    photo = [Credit("photo", "Grandyos Zafna")]
    assert choose_author(photo, ["PT VIVA MEDIA BARU"], None) == "Grandyos Zafna"
    both = [Credit("photo", "Grandyos Zafna"), Credit("writer", "Dian Maharani")]
    assert choose_author(both, [], None) == "Dian Maharani"


def _page(head: str, body: str) -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


ARTICLE = "".join(
    f"<p>Paragraf {i} berita ini menjelaskan kejadian banjir yang merendam ratusan rumah warga "
    f"di kawasan timur kota, kata petugas setempat kepada wartawan.</p>"
    for i in range(1, 5)
)


def test_html_page_reads_the_printed_time_when_metadata_has_only_the_day() -> None:
    head = '<title>Banjir Rendam Kemang</title><meta name="author" content="Kompas Cyber Media">'
    head += '<meta property="article:published_time" content="2015-06-16">'
    body = (
        "<h1>Banjir Rendam Kemang</h1><div>Penulis: Dian Maharani</div>"
        "<div>Selasa 16 Jun 2015, 14:05 WIB</div>" + f"<article>{ARTICLE}</article>"
    )
    page = clean_page(_page(head, body))
    assert page.author == "Dian Maharani"
    assert page.published == PRINTED.value and page.has_time


def test_a_date_without_a_time_says_so() -> None:
    head = "<title>Banjir Rendam Kemang</title>"
    body = "<h1>Banjir Rendam Kemang</h1><div>Selasa, 16 Juni 2015</div>" + ARTICLE
    page = clean_page(_page(head, body))
    assert page.published == DAY.value and not page.has_time


def test_kicker_caption_and_repeated_headline_do_not_open_the_body() -> None:
    head = "<title>Banjir Rendam Kemang - Kompas.com Regional</title>"
    body = (
        "<article><p>MUDA DAN MENGINSPIRASI</p><p>Banjir Rendam Kemang</p>"
        "<p>Warga mengungsi ke masjid terdekat. (Foto: Dok. BPBD)</p>" + ARTICLE + "</article>"
    )
    page = clean_page(_page(head, body))
    assert page.title == "Banjir Rendam Kemang"
    assert page.text.startswith("Paragraf 1")


def test_capitalised_writer_after_the_article_is_the_author_and_leaves_the_body() -> None:
    head = "<title>Banjir Rendam Kemang | Tempo.co</title>"
    body = "<h1>Banjir Rendam Kemang</h1><div>Rabu, 17 Juni 2015 | 22:26 WIB</div>"
    page = clean_page(_page(head, body + f"<article>{ARTICLE}<p>ANTON SEPTIAN</p></article>"))
    assert page.author == "Anton Septian"
    assert "ANTON" not in page.text
    assert page.published == datetime(2015, 6, 17, 22, 26, tzinfo=WIB) and page.has_time


def test_counters_share_buttons_and_a_credited_caption_do_not_open_the_body() -> None:
    head = "<title>Banjir Rendam Kemang</title>"
    body = (
        "<h1>Banjir Rendam Kemang</h1><div>Irene Harty - detikNews</div>"
        "<div><a>Share</a> <span>0</span></div><div>0 komentar</div>"
        "<div><span>Warga mengungsi ke masjid. Foto: Ari Saputra</span></div>"
        f"<div>{ARTICLE}</div>"
    )
    page = clean_page(_page(head, body))
    assert page.author == "Irene Harty"
    assert page.text.startswith("Paragraf 1")


def test_the_news_article_block_beats_a_webpage_block_listed_before_it() -> None:
    webpage = '{"@context": "https://schema.org", "@type": "WebPage", "name": "Banjir"}'
    article = (
        '{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Banjir Rendam Kemang",'
        ' "datePublished": "2021-07-18T18:52:00+07:00", "author": {"@type": "Person", "name": "Boy"}}'
    )
    head = "".join(f'<script type="application/ld+json">{block}</script>' for block in (webpage, article))
    page = clean_page(_page("<title>Banjir</title>" + head, f"<article>{ARTICLE}</article>"))
    assert page.author == "Boy"
    assert page.title == "Banjir Rendam Kemang"


def test_a_caption_closed_by_an_agency_credit_does_not_open_the_body() -> None:
    head = "<title>Banjir Rendam Kemang</title>"
    body = ("<h1>Banjir Rendam Kemang</h1>"
            "<div>Warga mengungsi ke masjid di Kemang, Senin (30/4). (CNN Indonesia/Abi Sarwanto)</div>"
            f"<div>{ARTICLE}</div>")  # fmt: skip
    assert clean_page(_page(head, body)).text.startswith("Paragraf 1")


def test_a_tag_in_capitals_is_no_writer_when_a_label_names_one() -> None:
    head = "<title>Banjir Rendam Kemang</title>"
    body = (
        f"<h1>Banjir Rendam Kemang</h1><div>Selasa, 1 Mei 2018 10:00 WIB</div><article>{ARTICLE}</article>"
        "<div>Baca juga artikel terkait</div><div>BANJIR KEMANG</div><div>Penulis: Naufal Mamduh</div>"
    )
    assert clean_page(_page(head, body)).author == "Naufal Mamduh"


def test_an_editor_printed_anywhere_is_not_taken_from_the_meta_author() -> None:
    head = '<title>Banjir Rendam Kemang</title><meta name="author" content="Yunia Pratiwi">'
    body = (
        "<div>Reporter:</div><h4>Tabloid Bintang</h4><div>Editor:</div><h4>Yunia Pratiwi</h4>"
        + "<div>menu</div>" * 30
        + f"<h1>Banjir Rendam Kemang</h1><article>{ARTICLE}</article>"
    )
    assert clean_page(_page(head, body)).author is None


def test_metadata_day_in_utc_agrees_with_the_printed_time() -> None:
    utc_day = Dated(datetime(2016, 2, 10, tzinfo=UTC), False, "metadata")
    printed = Dated(datetime(2016, 2, 11, 6, 58, tzinfo=WIB), True, "date line")
    assert choose_published(utc_day, printed) == printed  # 06:58 WIB on the 11th is the 10th in UTC


def test_a_printed_time_beats_htmldate_guessing_another_day() -> None:
    guess = Dated(datetime(2017, 2, 21, tzinfo=WIB), False, "htmldate")
    printed = Dated(datetime(2017, 2, 7, 23, 21, tzinfo=WIB), True, "date line")
    assert choose_published(guess, printed) == printed


def test_an_account_named_after_the_site_is_not_the_author() -> None:
    sites = ["Zona Jakarta", "metrotvnews"]
    assert choose_author([], ["Metrotvnews Developer"], None, sites) is None
    assert choose_author([], ["Zona Jakarta"], "Beryl Santoso", sites) == "Beryl Santoso"
    assert choose_author([], ["Www Akurat Co"], None, ["akurat"]) is None
    assert choose_author([], ["Alfa Mandalika"], None, sites) == "Alfa Mandalika"


def test_a_name_beside_the_date_and_a_date_printed_in_pieces() -> None:
    head = '<title>Banjir Rendam Kemang</title><meta name="author" content="Metrotvnews Developer">'
    body = (
        "<h1>Banjir Rendam Kemang</h1><div>Gervin Nathaniel Purba &bull; 11 Februari 2016 06:58 WIB</div>"
        f"<article>{ARTICLE}</article>"
    )
    page = clean_page(_page(head, body), url="http://news.metrotvnews.com/x")
    assert page.author == "Gervin Nathaniel Purba" and page.published == datetime(2016, 2, 11, 6, 58, tzinfo=WIB)
    pieces = "<h1>Banjir Rendam Kemang</h1><div>Februari</div><div>07</div><div>/ 2017</div><div>11:58 WIB</div>"
    page = clean_page(_page("<title>Banjir Rendam Kemang</title>", pieces + f"<article>{ARTICLE}</article>"))
    assert page.published == datetime(2017, 2, 7, 11, 58, tzinfo=WIB) and page.has_time


def test_a_caption_opening_with_a_word_in_capitals_does_not_open_the_body() -> None:
    body = (
        f"<h1>Banjir Rendam Kemang</h1><div>BERAGAM: Pemandangan galeri produk kreasi warga.</div><div>{ARTICLE}</div>"
    )
    assert clean_page(_page("<title>Banjir Rendam Kemang</title>", body)).text.startswith("Paragraf 1")


def test_a_site_name_only_the_host_knows_leaves_the_title() -> None:
    head = (
        '<meta property="og:title" content="Elpiji Naik, Rakyat Menjerit | Radar Kaltim">'
        '<meta property="og:site_name" content="radarkaltim.prokal.co">'
    )
    page = clean_page(_page(head, f"<div>Elpiji Naik, Rakyat Menjerit</div><article>{ARTICLE}</article>"))
    assert page.title == "Elpiji Naik, Rakyat Menjerit" and page.author is None
