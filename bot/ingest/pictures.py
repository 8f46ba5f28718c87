"""Picture URLs we may show a reader: absolute http(s), of bounded length, never fetched by us.

A feed's media tags and a page's ``og:image`` carry whatever the outlet wrote: relative paths,
``javascript:`` and ``data:`` URLs, addresses with credentials, or kilobytes of junk. Only an
absolute http(s) address with a host survives; Telegram fetches it for the link preview, so
nothing here ever opens it.
"""

from __future__ import annotations

import logging
from urllib.parse import urljoin, urlsplit

logger = logging.getLogger(__name__)

# Longer addresses are junk (a base64 image pasted into a tag); real picture URLs are far shorter.
MAX_PICTURE_CHARS = 2048
HTTP_SCHEMES = frozenset({"http", "https"})


def picture_url(value: str | None, base: str = "") -> str | None:
    """``value`` as an absolute http(s) URL (resolved against ``base``, the page or item URL), or None."""
    if not value:
        return None
    raw = value.strip()
    if not raw or len(raw) > MAX_PICTURE_CHARS:
        return None
    try:
        absolute = urljoin(base, raw.replace(" ", "%20"))
        parts = urlsplit(absolute)
        host = parts.hostname
    except ValueError:  # e.g. an IPv6 literal never closed
        return None
    if parts.scheme.lower() not in HTTP_SCHEMES or not host or parts.username is not None or parts.password:
        return None
    if len(absolute) > MAX_PICTURE_CHARS or any(ord(char) < 33 or ord(char) == 127 for char in absolute):
        return None
    return absolute
