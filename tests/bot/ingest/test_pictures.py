"""Picture URLs: only absolute http(s) addresses of bounded length survive, from feeds and from pages.

The pages are real saved news pages (tests/fixtures/pages, credited in SOURCES.md); the feeds
are the real ones beside the project (../shared/fixtures/feeds). Nothing here is fetched.
"""

from __future__ import annotations

import string
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.ingest.feedparse import parse_feed
from bot.ingest.fulltext import page_article
from bot.ingest.pictures import MAX_PICTURE_CHARS, picture_url

PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"
SHARED_FEEDS = Path(__file__).resolve().parents[3] / ".." / "shared" / "fixtures" / "feeds"
BASE = "https://kabar.example/berita/2026/banjir"
BOUNDED = settings(deadline=2000, max_examples=300, database=None, suppress_health_check=[HealthCheck.too_slow])
UNSAFE_SCHEMES = ["javascript:", "JaVaScRiPt:", " javascript:", "data:", "DATA:", "vbscript:", "file:", "ftp:", "tg:"]


def usable(url: str) -> bool:
    """What every picture handed on must be."""
    parts = urlsplit(url)
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and parts.username is None
        and len(url) <= MAX_PICTURE_CHARS
        and not any(c in url for c in string.whitespace)
    )


@BOUNDED
@given(value=st.text(max_size=300), base=st.sampled_from([BASE, "", "http://[::1"]))
def test_any_text_gives_a_usable_url_or_none(value: str, base: str) -> None:
    found = picture_url(value, base)
    assert found is None or usable(found)


@BOUNDED
@given(scheme=st.sampled_from(UNSAFE_SCHEMES), rest=st.text(max_size=200))
def test_script_data_and_other_schemes_are_ignored(scheme: str, rest: str) -> None:
    assert picture_url(scheme + rest, BASE) is None


@BOUNDED
@given(
    path=st.text(alphabet=string.ascii_letters + string.digits + "/-_.", min_size=1, max_size=80).filter(
        lambda p: not p.startswith("//")  # "//host/…" names another host: tested below
    )
)
def test_relative_paths_resolve_against_the_page(path: str) -> None:
    found = picture_url(path, BASE)
    assert found is not None and found.startswith("https://kabar.example/") and usable(found)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/foto/banjir.jpg", "https://kabar.example/foto/banjir.jpg"),
        ("banjir.jpg", "https://kabar.example/berita/2026/banjir.jpg"),
        ("//cdn.kabar.example/a.jpg", "https://cdn.kabar.example/a.jpg"),
        ("  http://img.kabar.example/a b.jpg\n", "http://img.kabar.example/a%20b.jpg"),
        ("https://user:pass@img.kabar.example/a.jpg", None),
        ("https://img.kabar.example/" + "a" * MAX_PICTURE_CHARS, None),
        ("", None),
        (None, None),
    ],
)
def test_picture_url_cases(value: str | None, expected: str | None) -> None:
    assert picture_url(value, BASE) == expected


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            "kompas-banjir-popayato-2018",
            "https://asset.kompas.com/crop/0x74:996x738/780x390/filters:watermark(data/photo/2018/01/24/"
            "3095122789.png,0,-0,1)/data/photo/2018/05/01/1294674404.jpg",
        ),
        (  # the meta tag writes &amp;: the URL has plain ampersands
            "detik-jokowi-harga-beras-2024",
            "https://awsimages.detik.net.id/api/wm/2024/05/13/presiden-joko-widodo-vico-biro-pers-sekretariat-"
            "presiden-1_169.jpeg?wid=54&w=650&v=1&t=jpeg",
        ),
        ("bisnis-ojk-iknb-eximbank-2017", "http://img.bisnis.com/thumb/posts/2017/02/07/626538/ojk.jpg?w=600&h=315"),
        (  # a browser's copy made og:image relative ("../../img.okezone.com/…"): the absolute twitter:image wins
            "okezone-vivo-v60-2025",
            "https://img.okezone.com/content/2025/08/29/57/3166258/vivo_v60_resmi_meluncur_di_indonesia-v1KL_large.jpg",
        ),
    ],
)
def test_og_image_of_real_pages(page: str, expected: str) -> None:
    content = (PAGES / f"{page}.html").read_bytes()
    extracted = page_article("", content, charset=None, url=f"https://{page}.example/artikel")
    assert extracted.status == "page"
    assert extracted.image == expected


def test_every_saved_page_offers_a_usable_picture() -> None:
    pages = sorted(PAGES.glob("*.html"))
    found = [page_article("", p.read_bytes(), charset=None, url="https://kabar.example/a/b").image for p in pages[:40]]
    assert all(image is not None and usable(image) for image in found), found


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ('<meta property="og:image" content="/foto/utama.jpg">', "https://kabar.example/foto/utama.jpg"),
        ('<meta name="twitter:image" content="https://img.kabar.example/t.jpg">', "https://img.kabar.example/t.jpg"),
        ('<meta property="og:image" content="javascript:alert(1)">', None),
        ('<meta property="og:image" content="data:image/png;base64,iVBORw0KGgo=">', None),
        ("", None),
    ],
)
def test_page_pictures_are_resolved_and_checked(meta: str, expected: str | None) -> None:
    paragraphs = "".join(
        f"<p>Kalimat nomor {n} tentang banjir yang merendam rumah warga di Kemang.</p>" for n in range(12)
    )
    page = f"<html><head><title>Banjir</title>{meta}</head><body><article><h1>Banjir</h1>{paragraphs}</article></body></html>"
    assert page_article("", page.encode(), charset="utf-8", url=BASE).image == expected


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("detik-news-2017", "http://images.detik.com/visual/2017/03/07/9e15cd4d-6e23-4eb9-8ecf-04791112cfa9_169.jpg"),
        (
            "antara-jambi-2022",
            "https://img.antaranews.com/cache/255x170/2022/08/28/Screen-Shot-2022-08-28-at-20.53.14.png",
        ),
        ("tempo-terkini-2017", "http://image.tempointeraktif.com/?id=404308"),
    ],
)
def test_real_feeds_give_their_enclosure_or_item_image(name: str, first: str) -> None:
    path = SHARED_FEEDS / f"{name}.xml"
    if not path.exists():
        pytest.skip(f"real feed {path} is not present (shared data lives beside the project)")
    parsed = parse_feed(path.read_bytes(), url=f"https://{name}.example/rss", fetched_at=datetime.now(UTC))
    assert parsed.items[0].image_url == first
    assert all(item.image_url and usable(item.image_url) for item in parsed.items)
