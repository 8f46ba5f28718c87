"""Refusal of URLs that would make the bot fetch from inside its own network (SSRF).

Users can add any feed URL, so a URL could point at the host itself, the LAN, or a cloud
metadata service holding credentials. ``check_url`` accepts only http(s) URLs without
credentials whose host resolves to public addresses only; the fetcher calls it for every
redirect hop, since a public server can redirect anywhere. With ``allow_private`` (local
development, tests) only the URL's form is checked.

Caveat, DNS rebinding: the name is resolved here and again by the HTTP client when it
connects, and a hostile DNS server can answer differently the second time (public now,
127.0.0.1 a moment later, with a zero TTL). Closing that needs connecting to the very
address checked here; where that matters, also block private ranges at the firewall.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from typing import NoReturn
from urllib.parse import urlsplit

from bot.ingest.urls import url_host

logger = logging.getLogger(__name__)

ALLOWED_SCHEMES = frozenset({"http", "https"})
# Names of metadata services that must never be fetched, whatever they resolve to.
METADATA_HOSTS = frozenset({"metadata.google.internal", "metadata.goog", "metadata"})
METADATA_ADDRESSES = frozenset(
    {
        ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, DigitalOcean, ...
        ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
        ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
    }
)
CGNAT = ipaddress.ip_network("100.64.0.0/10")
IPV6_ULA = ipaddress.ip_network("fc00::/7")
# DNS64/NAT64 prefix: the address stands for the IPv4 address in its low 32 bits.
NAT64 = ipaddress.ip_network("64:ff9b::/96")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeURLError(ValueError):
    """The URL must not be fetched: wrong scheme, malformed, or an internal address."""


class InvalidURLError(UnsafeURLError):
    """The URL is malformed: no scheme, no host, a bad port."""


class HostLookupError(OSError):
    """The host name does not resolve, so it could not be checked."""


async def check_url(url: str, *, allow_private: bool) -> None:
    """Raise UnsafeURLError unless the URL is http(s) and public (or private is allowed)."""
    host, port, literal = _checked_form(url, allow_private=allow_private)
    if allow_private or literal is not None:
        return
    for address in await _resolve(url, host, port):
        reason = private_reason(address)
        if reason:
            _refuse(url, f"refusing to fetch an internal address: {host} resolves to {reason}")


def check_url_form(url: str, *, allow_private: bool) -> None:
    """Raise UnsafeURLError for what ``check_url`` refuses without a DNS lookup.

    That is everything but a public-looking name that resolves to an internal address, which
    the fetcher refuses on every request anyway; importing 40,000 feeds needs no lookups.
    """
    _checked_form(url, allow_private=allow_private)


def _checked_form(url: str, *, allow_private: bool) -> tuple[str, int, IPAddress | None]:
    """Return (host, port, literal address or None); raise UnsafeURLError for a refused form."""
    host, port = _split(url)
    if allow_private:
        return host, port, None
    if host in METADATA_HOSTS:
        _refuse(url, f"refusing to fetch an internal address: {host} is a cloud metadata service")
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        _refuse(url, f"refusing to fetch an internal address: {host} is the loopback host")
    try:
        # A zone id ("fe80::1%eth0") names the interface, not the address.
        literal = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return host, port, None
    reason = private_reason(literal)
    if reason:
        _refuse(url, f"refusing to fetch an internal address: {host} is {reason}")
    return host, port, literal


def private_reason(address: IPAddress) -> str | None:
    """Why the address is not a public one (e.g. "a loopback address"), or None."""
    if address in METADATA_ADDRESSES:
        return f"a cloud metadata address ({address})"
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return f"an IPv4-mapped IPv6 address ({address})"
    if isinstance(address, ipaddress.IPv6Address) and address in NAT64:
        embedded = private_reason(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        return f"a NAT64 address of {embedded}" if embedded else None
    checks = (
        (address.is_loopback, "a loopback address"),
        (address.is_unspecified, "the unspecified address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (isinstance(address, ipaddress.IPv4Address) and address in CGNAT, "a CGNAT address"),
        (isinstance(address, ipaddress.IPv6Address) and address in IPV6_ULA, "an IPv6 ULA"),
        (address.is_reserved, "a reserved address"),
        (address.is_private, "a private address"),
        # Catches the rest: documentation and benchmarking ranges, Teredo, ...
        (not address.is_global, "a non-public address"),
    )
    for hit, label in checks:
        if hit:
            return f"{label} ({address})"
    return None


def _split(url: str) -> tuple[str, int]:
    """Return (host, port) of an http(s) URL without credentials; raise UnsafeURLError otherwise."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise _invalid(url, f"malformed URL ({exc})") from exc
    scheme = parts.scheme.lower()
    if not scheme:
        raise _invalid(url, "the URL has no scheme (expected http:// or https://)")
    if scheme not in ALLOWED_SCHEMES:
        _refuse(url, f"only http and https URLs can be fetched, not {scheme}:")
    if not parts.hostname:
        raise _invalid(url, "the URL has no host")
    if parts.username is not None or parts.password is not None:
        # user:pass@host is used to disguise the real host, and feeds never need it.
        _refuse(url, "URLs with a user name or password are not accepted")
    host = parts.hostname.rstrip(".")
    return host, port or (443 if scheme == "https" else 80)


async def _resolve(url: str, host: str, port: int) -> list[IPAddress]:
    """Return every address ``host`` resolves to; HostLookupError if it does not resolve."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        logger.debug("cannot resolve %s: %s", host, exc)
        raise HostLookupError(f"cannot resolve host {host}: {exc}") from exc
    # Scope ids ("fe80::1%eth0") are not part of the address.
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


# Debug level: callers (the fetcher, the add-feed command) log the refusal once themselves.
def _invalid(url: str, reason: str) -> InvalidURLError:
    """Return the InvalidURLError for ``reason``, logged at debug level."""
    logger.debug("invalid URL to %s: %s", url_host(url), reason)
    return InvalidURLError(reason)


def _refuse(url: str, reason: str) -> NoReturn:
    """Raise UnsafeURLError for ``reason``, logged at debug level."""
    logger.debug("refused URL to %s: %s", url_host(url), reason)
    raise UnsafeURLError(reason)
