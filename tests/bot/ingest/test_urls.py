"""Canonical article URLs: one test per folding rule."""

from __future__ import annotations

import pytest

from bot.ingest.urls import canonical_url, is_http_url, site_root, url_host


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # scheme and host case; http and https are the same article
        ("HTTP://News.Detik.COM/berita/1", "https://news.detik.com/berita/1"),
        ("http://news.detik.com/berita/1", "https://news.detik.com/berita/1"),
        # default ports go, others stay
        ("http://news.detik.com:80/berita/1", "https://news.detik.com/berita/1"),
        ("https://news.detik.com:443/berita/1", "https://news.detik.com/berita/1"),
        ("https://news.detik.com:8443/berita/1", "https://news.detik.com:8443/berita/1"),
        # fragment
        ("https://tempo.co/read/1#komentar", "https://tempo.co/read/1"),
        # www., mobile and AMP hosts
        ("https://www.tempo.co/read/1", "https://tempo.co/read/1"),
        ("https://m.detik.com/news/berita/d-1", "https://detik.com/news/berita/d-1"),
        ("https://mobile.kompas.com/read/1", "https://kompas.com/read/1"),
        ("https://amp.kompas.com/read/1", "https://kompas.com/read/1"),
        ("https://www.m.detik.com/news/1", "https://detik.com/news/1"),
        ("https://m.co/x", "https://m.co/x"),  # would leave a bare TLD
        # AMP path segment and trailing /amp
        ("https://kompas.com/amp/read/2018/04/20/1", "https://kompas.com/read/2018/04/20/1"),
        ("https://kompas.com/read/2018/04/20/1/amp", "https://kompas.com/read/2018/04/20/1"),
        ("https://kompas.com/read/2018/04/20/1/amp/", "https://kompas.com/read/2018/04/20/1"),
        ("https://kompas.com/read/ampera-baru", "https://kompas.com/read/ampera-baru"),
        # AMP query forms
        ("https://detik.com/berita/1?amp=1", "https://detik.com/berita/1"),
        ("https://detik.com/berita/1?amp", "https://detik.com/berita/1"),
        ("https://detik.com/berita/1?outputType=amp", "https://detik.com/berita/1"),
        (
            "https://detik.com/berita/1?outputType=json",
            "https://detik.com/berita/1?outputType=json",
        ),
        # tracking parameters
        (
            "https://tempo.co/read/1?utm_source=twitter&utm_medium=social&UTM_Campaign=x",
            "https://tempo.co/read/1",
        ),
        (
            "https://tempo.co/read/1?fbclid=A&gclid=B&mc_cid=C&mc_eid=D&ref=home&_ga=E",
            "https://tempo.co/read/1",
        ),
        # the single-page view is the same article; other pages are not
        ("https://kompas.com/read/1?page=all", "https://kompas.com/read/1"),
        ("https://kompas.com/read/1?page=2", "https://kompas.com/read/1?page=2"),
        # remaining parameters sorted, spaces spelled one way
        (
            "https://cari.example/s?q=banjir+jakarta&b=2&a=1",
            "https://cari.example/s?a=1&b=2&q=banjir+jakarta",
        ),
        ("https://cari.example/s?q=banjir%20jakarta", "https://cari.example/s?q=banjir+jakarta"),
        ("https://cari.example/s?", "https://cari.example/s"),
        # trailing slash, except the root
        ("https://tempo.co/read/1/", "https://tempo.co/read/1"),
        ("https://tempo.co/", "https://tempo.co/"),
        ("https://tempo.co", "https://tempo.co/"),
        # credentials and surrounding blanks
        ("  https://user:pw@tempo.co/read/1 ", "https://tempo.co/read/1"),
        ("https://[2001:db8::1]:8080/x/", "https://[2001:db8::1]:8080/x"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_variants_of_one_article_agree() -> None:
    variants = [
        "http://www.detik.com/news/berita/d-3486186/judul",
        "https://m.detik.com/news/berita/d-3486186/judul/amp?utm_source=wa",
        "https://detik.com/news/berita/d-3486186/judul/#top",
        "HTTPS://DETIK.COM:443/news/amp/berita/d-3486186/judul?fbclid=xyz&amp=1",
    ]
    assert len({canonical_url(v) for v in variants}) == 1


def test_idempotent() -> None:
    once = canonical_url("http://www.m.detik.com/a/amp/?utm_x=1&z=2&b=1#f")
    assert canonical_url(once) == once


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://example.com/x", "/read/1", "http://", "http://x.com:port/"],
)
def test_not_http_is_a_clear_error(url: str) -> None:
    with pytest.raises(ValueError, match="URL"):
        canonical_url(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://tempo.co/x", True),
        ("HTTP://tempo.co", True),
        ("javascript:alert(1)", False),
        ("file:///etc/passwd", False),
        ("data:text/html,x", False),
        ("/relative/path", False),
        ("http://[::1", False),
    ],
)
def test_is_http_url(url: str, expected: bool) -> None:
    assert is_http_url(url) is expected


@pytest.mark.parametrize(
    ("url", "host", "root"),
    [
        ("http://user:pw@Kabar.example:8080/x?token=SECRET#y", "kabar.example:8080", "http://kabar.example:8080/"),
        ("https://docs.example/d/PRIVATE-ID/edit", "docs.example", "https://docs.example/"),
        ("http://[::1]:81/a?b=c", "[::1]:81", "http://[::1]:81/"),
        ("http://[::1/a", "(invalid URL)", "http://(invalid URL)/"),
        ("http://host:99999/a", "(invalid URL)", "http://(invalid URL)/"),
        ("mailto:a@b.example", "(no host)", "mailto://(no host)/"),
    ],
)
def test_logs_see_a_url_s_host_only(url: str, host: str, root: str) -> None:
    assert url_host(url) == host
    assert site_root(url) == root
