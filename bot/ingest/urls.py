"""One canonical form per article URL, so the same story is stored once.

Outlets publish an article under many addresses: http and https, with and without
``www.``, mobile (``m.detik.com``) and AMP (``/amp/``, ``?amp=1``) variants, and with
tracking parameters appended by every share button. ``canonical_url`` folds them into one
key. It is an identity key, not an address to fetch: it drops ``page=all`` (the
single-page view of the same article) and the ``m.``/``amp.`` host, which a server might
not answer.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

HTTP_SCHEMES = frozenset({"http", "https"})

# Host prefixes of mobile and AMP mirrors, and www; dropped while two labels remain.
MIRROR_HOST_PREFIXES = ("www.", "m.", "mobile.", "amp.")
# Parameters that identify the click or the campaign, never the article.
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid", "_ga", "_gl"} | {"ref", "amp"}
)
TRACKING_PREFIXES = ("utm_",)
# (parameter, value) pairs that select a view of the same article.
VIEW_PARAMS = frozenset({("outputtype", "amp"), ("page", "all")})
DEFAULT_PORTS = {"http": 80, "https": 443}
AMP_SEGMENT = "amp"


def url_host(url: str) -> str:
    """A URL's host (and port, if any) for a log line: never its user, password, path or query.

    A reader's link can carry a session token or credentials, and logs promise not to hold it.
    """
    try:
        parts = urlsplit(url.strip())
        host, port = parts.hostname, parts.port
    except ValueError:
        return "(invalid URL)"
    if not host:
        return "(no host)"
    host = f"[{host}]" if ":" in host else host
    return f"{host}:{port}" if port is not None else host


def site_root(url: str) -> str:
    """``scheme://host[:port]/`` of a URL: what identifies the site, nothing a reader typed after it."""
    scheme = url.strip().partition(":")[0].lower()
    return f"{scheme}://{url_host(url)}/"


def is_http_url(url: str) -> bool:
    """Whether the URL is absolute http(s) with a host."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in HTTP_SCHEMES and bool(parts.hostname)


def canonical_url(url: str) -> str:
    """The canonical https form of an article URL; ValueError if it is not http(s)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"not a valid URL: {url!r} ({exc})") from exc
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if scheme not in HTTP_SCHEMES or not host:
        raise ValueError(f"not an http(s) URL with a host: {url!r}")
    if port is not None and port != DEFAULT_PORTS[scheme]:
        host = f"{_strip_mirror_prefix(host)}:{port}"
    else:
        host = _strip_mirror_prefix(host)
    return urlunsplit(("https", host, _canonical_path(parts.path), _canonical_query(parts.query), ""))


def _strip_mirror_prefix(host: str) -> str:
    if ":" in host:  # an IPv6 literal has no mirror prefix
        return f"[{host}]"
    changed = True
    while changed:
        changed = False
        for prefix in MIRROR_HOST_PREFIXES:
            rest = host.removeprefix(prefix)
            if rest != host and "." in rest:
                host, changed = rest, True
    return host


def _canonical_path(path: str) -> str:
    segments = [s for s in path.split("/") if s != AMP_SEGMENT]
    cleaned = "/".join(segments)
    if not cleaned.startswith("/"):
        cleaned = "/" + cleaned
    if len(cleaned) > 1:
        cleaned = cleaned.rstrip("/") or "/"
    return cleaned


def _canonical_query(query: str) -> str:
    kept = [
        (key, value)
        for key, value in parse_qsl(query, keep_blank_values=True)
        if not _is_noise(key.lower(), value.lower())
    ]
    return urlencode(sorted(kept))


def _is_noise(key: str, value: str) -> bool:
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES) or (key, value) in VIEW_PARAMS
