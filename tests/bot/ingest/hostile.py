"""Hostile feed and page documents of a chosen size, for property tests and benchmarks, and a
hostile site's slowness.

Each generator takes a size in bytes and returns a document of about that size built to make
a careless parser slow: quadratic regular expressions, deep nesting, entity storms, huge
attributes, endless comments. A linear parser takes twice as long for twice the size.
``drip`` is a loopback-server handler that sends a page a byte at a time, for as long as a test
needs a slow site.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

from tests.bot.httpserver import HANG_LIMIT_SECONDS, Handler, Response

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Kabar</title>'
    "<link>https://kabar.example/</link><description>uji</description>"
)
ITEM = (
    "<item><title>Judul {n}</title><link>https://kabar.example/berita/{n}</link>"
    "<pubDate>Fri, 20 Apr 2018 15:17:00 +0700</pubDate><description>{body}</description></item>"
)
TAIL = "</channel></rss>"


def _repeat(unit: str, size: int) -> str:
    """``unit`` repeated to about ``size`` characters."""
    return unit * max(1, size // len(unit))


def unclosed_items_in_cdata(size: int) -> bytes:
    """A valid feed, then a CDATA block of unclosed ``<item `` tags (issue #8's quadratic case)."""
    items = "".join(ITEM.format(n=n, body="isi") for n in range(2))
    filler = _repeat("<item ", size)
    return (
        f"{HEAD}{items}<image>x</image><image>y</image><description><![CDATA[{filler}]]></description>{TAIL}".encode()
    )


def many_teasers(size: int) -> bytes:
    """As many short teaser items as fit (50,000 in 3.5 MB was the issue's case)."""
    unit = len(ITEM.format(n=10_000, body="Teaser singkat."))
    items = "".join(ITEM.format(n=n, body="Teaser singkat.") for n in range(max(1, size // unit)))
    return f"{HEAD}{items}{TAIL}".encode()


def deep_nesting(size: int) -> bytes:
    """One item whose escaped HTML description nests ``<div>`` without end."""
    body = _repeat("&lt;div&gt;&lt;b&gt;", size)
    return f"{HEAD}{ITEM.format(n=1, body=body)}{TAIL}".encode()


def entity_storm(size: int) -> bytes:
    """Titles and descriptions made of character and named entity references."""
    body = _repeat("&amp;amp;&#169;&#x1F600;&lt;", size // 2)
    title = _repeat("&amp;&#38;", size // 2)
    return f"{HEAD}<item><title>{title}</title><link>https://kabar.example/1</link><description>{body}</description></item>{TAIL}".encode()


def huge_attribute(size: int) -> bytes:
    """One enclosure whose url attribute is the whole document."""
    value = _repeat("a", size)
    return (
        f"{HEAD}<item><title>t</title><link>https://kabar.example/1</link>"
        f'<enclosure url="https://kabar.example/{value}.jpg" type="image/jpeg"/></item>{TAIL}'
    ).encode()


def unclosed_markup(size: int) -> bytes:
    """Escaped HTML full of unclosed comments, tags and ``<img`` without ``>``."""
    body = _repeat("&lt;!-- &lt;img src=&quot;x &lt;p ", size)
    return f"{HEAD}{ITEM.format(n=1, body=body)}{TAIL}".encode()


def many_item_images(size: int) -> bytes:
    """Items each with a bare ``<image>`` (Tempo's style), the case the image scan exists for."""
    unit = ITEM.replace("</item>", "<image>https://img.example/{n}.jpg</image></item>")
    count = max(2, size // len(unit.format(n=10_000, body="isi")))
    return f"{HEAD}{''.join(unit.format(n=n, body='isi') for n in range(count))}{TAIL}".encode()


FEEDS: dict[str, Callable[[int], bytes]] = {
    "unclosed <item in CDATA": unclosed_items_in_cdata,
    "many teaser items": many_teasers,
    "deep nesting": deep_nesting,
    "entity storm": entity_storm,
    "huge attribute": huge_attribute,
    "unclosed markup": unclosed_markup,
    "bare <image> per item": many_item_images,
}


def drip(body: bytes, release: threading.Event, interval: float = 0.05) -> Handler:
    """A handler sending ``body`` one byte every ``interval`` s until ``release`` is set, then the rest at once.

    It gives up (sending the rest) after the test server's hang limit, so no test can stall on it.
    """

    def chunks() -> Iterator[bytes]:
        sent = 0
        for _ in range(int(HANG_LIMIT_SECONDS / interval)):
            if sent >= len(body) - 1 or release.wait(interval):
                break
            yield body[sent : sent + 1]
            sent += 1
        yield body[sent:]

    return lambda _request: Response(200, chunks(), {"Content-Type": "text/html; charset=utf-8"})
