"""The SSRF guard: which URLs may be fetched, with name resolution faked or numeric only."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import Any

import pytest

from bot.ingest.netguard import (
    HostLookupError,
    InvalidURLError,
    UnsafeURLError,
    check_url,
    private_reason,
)

DNS = {
    "berita.example.com": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
    "intranet.example.com": ["10.0.0.7"],
    "mixed.example.com": ["93.184.215.14", "127.0.0.1"],
    "rebind.example.com": ["::ffff:169.254.169.254"],
    "localhost": ["127.0.0.1", "::1"],
}


@pytest.fixture
async def fake_dns(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Answer from DNS above; record every name asked for."""
    asked: list[str] = []

    async def getaddrinfo(host: str, port: int, **_kwargs: Any) -> list[Any]:
        asked.append(host)
        if host not in DNS:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in DNS[host]
        ]

    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", getaddrinfo)
    return asked


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "javascript:alert(1)", "data:text/html,<b>hi</b>", "ftp://example.com/"],
)
async def test_only_http_and_https(url: str) -> None:
    with pytest.raises(UnsafeURLError, match="only http and https") as caught:
        await check_url(url, allow_private=True)
    assert not isinstance(caught.value, InvalidURLError)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("example.com/feed", "no scheme"),
        ("http:///feed", "no host"),
        ("http://example.com:99999/", "malformed URL"),
        ("https://[::1/", "malformed URL"),
    ],
)
async def test_malformed(url: str, message: str) -> None:
    with pytest.raises(InvalidURLError, match=message):
        await check_url(url, allow_private=True)


async def test_credentials_refused() -> None:
    with pytest.raises(UnsafeURLError, match="user name or password"):
        await check_url("https://admin:secret@berita.example.com/", allow_private=True)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/", "loopback"),
        ("http://10.1.2.3/", "private"),
        ("http://192.168.1.1:8080/", "private"),
        ("http://172.16.5.4/", "private"),
        ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
        ("http://169.254.10.1/", "link-local"),
        ("http://100.64.0.1/", "CGNAT"),
        ("http://100.100.100.200/", "cloud metadata"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://240.0.0.1/", "reserved"),
        ("http://[::1]/", "loopback"),
        ("http://[::]/", "unspecified"),
        ("http://[fe80::1%25eth0]/", "link-local"),
        ("http://[fd12:3456::1]/", "ULA"),
        ("http://[fd00:ec2::254]/", "cloud metadata"),
        ("http://[::ffff:8.8.8.8]/", "IPv4-mapped"),
        ("http://[64:ff9b::7f00:1]/", "NAT64 address of a loopback"),
        ("http://192.0.2.10/", "private"),  # documentation range
    ],
)
async def test_internal_literals_refused(url: str, reason: str) -> None:
    with pytest.raises(UnsafeURLError, match=reason):
        await check_url(url, allow_private=False)
    await check_url(url, allow_private=True)


@pytest.mark.parametrize(
    "url",
    ["http://metadata.google.internal/", "http://METADATA.google.internal./x", "http://metadata/"],
)
async def test_metadata_names_refused_without_asking_dns(url: str, fake_dns: list[str]) -> None:
    with pytest.raises(UnsafeURLError, match="cloud metadata service"):
        await check_url(url, allow_private=False)
    assert fake_dns == []


async def test_public_names_pass(fake_dns: list[str]) -> None:
    await check_url("https://berita.example.com/rss", allow_private=False)
    await check_url("http://93.184.215.14/rss", allow_private=False)
    await check_url("http://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/", allow_private=False)
    assert fake_dns == ["berita.example.com"]


@pytest.mark.parametrize(
    ("host", "reason"),
    [
        ("intranet.example.com", "resolves to a private address"),
        ("mixed.example.com", "resolves to a loopback address"),  # one bad answer is enough
        ("rebind.example.com", "IPv4-mapped"),
        ("localhost", "loopback"),
    ],
)
async def test_names_resolving_inside_refused(host: str, reason: str, fake_dns: list[str]) -> None:
    with pytest.raises(UnsafeURLError, match=reason):
        await check_url(f"http://{host}/", allow_private=False)


async def test_allow_private_skips_resolution(fake_dns: list[str]) -> None:
    await check_url("http://intranet.example.com/", allow_private=True)
    await check_url("http://does-not-exist.example.com/", allow_private=True)
    assert fake_dns == []


async def test_unresolvable_name(fake_dns: list[str]) -> None:
    with pytest.raises(HostLookupError, match=r"cannot resolve host nowhere\.example\.com"):
        await check_url("http://nowhere.example.com/", allow_private=False)


@pytest.mark.parametrize("url", ["http://2130706433/", "http://0x7f.1/", "http://127.1/"])
async def test_numeric_host_spellings_refused(url: str) -> None:
    # The system resolver reads these as 127.0.0.1 without a DNS query, as a connect would.
    with pytest.raises(UnsafeURLError, match="loopback"):
        await check_url(url, allow_private=False)


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.215.14", "2606:4700::1111", "64:ff9b::808:808"])
def test_public_addresses_have_no_reason(address: str) -> None:
    assert private_reason(ipaddress.ip_address(address)) is None
