"""The media groups file: every default feed's host has a group, hosts are unique registrable
domains, every row names an https source; a subdomain finds its parent's group; a bad row is
skipped with a log line, and no text at all makes the reader raise."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.store.feeds import default_feeds
from bot.store.mediagroups import DATA_FILE, media_groups, parse_groups

BOUNDED = settings(deadline=2000, max_examples=60, database=None, suppress_health_check=[HealthCheck.too_slow])
# Suffixes under which anyone may register a name: a host equal to one would claim a whole country.
PUBLIC_SUFFIXES = {"id", "co.id", "or.id", "ac.id", "go.id", "web.id", "my.id", "biz.id", "com", "net", "co", "tv"}
GROUPS_NAMED_BY_THE_ISSUE = {
    "KG Media", "Emtek", "CT Corp", "MNC", "Visi Media Asia", "Jawa Pos", "Tempo Media", "Republika",
    "IDN Media", "Kumparan", "Arkadia (Suara)", "ANTARA",
}  # fmt: skip


def data_rows() -> list[str]:
    """The file's outlet rows (no comments, no header)."""
    lines = [line for line in DATA_FILE.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return lines[1:]


def test_every_row_is_read_and_the_file_is_big_enough(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.store.mediagroups"):
        groups = parse_groups(DATA_FILE.read_text(encoding="utf-8").splitlines())
    assert not caplog.records, [r.getMessage() for r in caplog.records]  # no row skipped
    assert len(groups.outlets) == len(data_rows()) >= 40
    assert set(groups.groups()) >= GROUPS_NAMED_BY_THE_ISSUE


def test_hosts_are_unique_registrable_domains_and_sources_are_https() -> None:
    hosts = [host for outlet in media_groups().outlets for host in outlet.hosts]
    assert len(hosts) == len(set(hosts))
    assert not set(hosts) & PUBLIC_SUFFIXES
    assert all(not host.startswith("www.") and host == host.lower() for host in hosts)
    for outlet in media_groups().outlets:
        parts = urlsplit(outlet.source)
        assert parts.scheme == "https" and parts.hostname, outlet


def test_every_default_feed_has_a_group() -> None:
    missing = [url for url, _name, _category in default_feeds() if media_groups().group_of_url(url) is None]
    assert not missing


@pytest.mark.parametrize(
    ("url", "group"),
    [
        ("https://news.detik.com/berita/d-1/banjir", "CT Corp"),
        ("https://finance.detik.com/rss", "CT Corp"),
        ("https://WWW.Kompas.com/read/1", "KG Media"),
        ("https://jakarta.tribunnews.com/2026/12/08/x", "KG Media"),
        ("https://feed.liputan6.com/rss/news", "Emtek"),
        ("https://rss.tempo.co/nasional", "Tempo Media"),
        ("https://www.republika.id/x", "Republika"),
        ("https://www.antaranews.com:443/berita/1", "ANTARA"),
        ("https://kabar.example/1", None),
        ("https://co.id/x", None),  # a public suffix is nobody's outlet
        ("https://detik.com.evil.example/x", None),  # only a parent domain counts, not a prefix
        ("not a url", None),
        ("http://[::1", None),
    ],
)
def test_a_link_finds_its_group_through_its_registrable_parent(url: str, group: str | None) -> None:
    assert media_groups().group_of_url(url) == group


def test_bad_rows_are_skipped_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    lines = [
        "# comment",
        "outlet,hosts,group,source",
        "Satu,satu.example,Grup A,https://a.example",
        "Dua,dua.example,Grup A,http://a.example",  # not https
        "Tiga,satu.example,Grup B,https://b.example",  # host taken
        "Empat,empat.example,Grup B",  # a column short
        "Lima,localhost,Grup B,https://b.example",  # no domain
        "Enam,enam.example www.enam2.example,Grup B,https://b.example",
    ]
    with caplog.at_level(logging.WARNING, logger="bot.store.mediagroups"):
        groups = parse_groups(lines)
    assert [o.name for o in groups.outlets] == ["Satu", "Enam"]
    assert groups.outlets[1].hosts == ("enam.example", "enam2.example")
    assert len(caplog.records) == 4
    assert "line 4" in caplog.records[0].getMessage() and "https" in caplog.records[0].getMessage()


@BOUNDED
@given(st.lists(st.text(max_size=120), max_size=20))
def test_any_text_gives_clean_outlets_or_none(lines: list[str]) -> None:
    groups = parse_groups(lines)
    hosts = [host for outlet in groups.outlets for host in outlet.hosts]
    assert len(hosts) == len(set(hosts))
    assert all(outlet.source.startswith("https://") for outlet in groups.outlets)


@BOUNDED
@given(st.text(max_size=300))
def test_any_host_or_link_is_looked_up_without_error(text: str) -> None:
    groups = media_groups()
    assert groups.outlet_of_host(text) is None or "." in text
    groups.group_of_url(text)
    groups.group_of_url(f"https://{text}/")
