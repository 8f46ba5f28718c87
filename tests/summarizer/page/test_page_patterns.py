"""Page patterns of issue 20: a paragraph's source line breaks, embedded posts, standfirsts, captions."""

from __future__ import annotations

from summarizer.lang.dates import JAKARTA
from summarizer.page.bylines import without_place
from summarizer.page.clean import clean_page
from summarizer.page.html_tree import parse, writer_links
from summarizer.page.leading import drop_leading_header

BODY = (
    "Sejumlah warga menolak rencana relokasi pasar tradisional ke lahan di pinggir kota. Mereka khawatir "
    "pembeli enggan datang karena lokasi baru jauh dari permukiman."
)
MORE = (
    "Pemerintah kota berjanji menyiapkan angkutan gratis menuju pasar baru selama enam bulan pertama. "
    "Pedagang diminta mendaftar ulang paling lambat akhir bulan ini."
)


def _page(article: str) -> str:
    return (
        "<html><head><title>Warga Tolak Relokasi Pasar</title></head><body>"
        "<h1>Warga Tolak Relokasi Pasar</h1><div>Senin, 9 Januari 2023 10:05 WIB</div>"
        f"<div class='content'>{article}</div></body></html>"
    )


def test_line_breaks_inside_a_paragraph_are_spaces() -> None:
    # Akurat wraps each <p> at 80 columns in its source.
    wrapped = BODY.replace(" rencana ", " rencana\n").replace(" lokasi ", "\nlokasi ")
    page = clean_page(_page(f"<p>{wrapped}</p><p>{MORE}</p><p>{MORE}</p>"))
    assert BODY in page.text


def test_embedded_tweets_are_no_article_text() -> None:
    tweet = (
        '<blockquote class="twitter-tweet"><p lang="in">Data terbaru pasar hari ini '
        '<a href="https://t.co/x">pic.twitter.com/p7I348hxnK</a></p>— Pemkot (@pemkot) '
        '<a href="https://twitter.com/pemkot/status/1">January 23, 2021</a></blockquote>'
    )
    page = clean_page(_page(f"<p>{BODY}</p>{tweet}<p>{MORE}</p><p>{MORE}</p>"))
    assert "pic.twitter.com" not in page.text and "@pemkot" not in page.text


def test_a_standfirst_above_the_byline_or_the_dateline_is_no_first_sentence() -> None:
    standfirst = "Pedagang khawatir kehilangan pembeli."
    above_byline = f"{standfirst}\n\nPenulis: Annisa Rahma\n\n{BODY}\n\n{MORE}"
    assert drop_leading_header(above_byline, None, JAKARTA).startswith("Sejumlah warga")
    above_dateline = f"{standfirst}\n\nTRIBUNNEWS.COM - {BODY}\n\n{MORE}"
    assert drop_leading_header(above_dateline, None, JAKARTA).startswith("TRIBUNNEWS.COM - Sejumlah")
    # A first paragraph of the article's own length is no standfirst.
    assert drop_leading_header(f"{BODY} {MORE} {MORE}\n\nTRIBUNNEWS.COM - {MORE}", None, JAKARTA).startswith(BODY)


def test_a_bracket_repeating_the_caption_is_a_credit_not_a_town() -> None:
    assert without_place("Honda Jazz (Honda India)") == "Honda Jazz (Honda India)"
    assert without_place("Harry Siswoyo, Angkotasan (Ambon)") == "Harry Siswoyo, Angkotasan"


def test_links_to_writers_pages_name_writers() -> None:
    tree = parse(
        '<div><a href="https://www.brilio.net/reporter/annisa-nur">Annisa Nur</a>'
        '<a href="/reporter/annisa-nur/">Annisa Nur</a><a href="/editor/budi">Budi Santoso</a>'
        '<a href="http://indeks.kompas.com/profile/farid.assifa">Farid Assifa</a>'
        '<a href="http://jagatplay.com/author/pladidus/">Pladidus Santoso</a></div>'
    )
    assert writer_links(tree) == ["Annisa Nur", "Pladidus Santoso"]
