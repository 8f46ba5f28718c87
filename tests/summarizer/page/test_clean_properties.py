"""Property tests for the page cleaner: any text or HTML, hostile ones included, gives a string
back without raising, within a time bound per input (hypothesis ``deadline``) that a quadratic
scan over a few hundred kilobytes would blow."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer.page.clean import clean_page, clean_text

# Generous per-input bounds so a loaded CI machine does not flake; a quadratic scan of the
# larger inputs below takes minutes.
DEADLINE_MS = 5000
BOUNDED = settings(
    deadline=DEADLINE_MS,
    max_examples=12,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _repeat(unit: str, size: int) -> str:
    """``unit`` repeated to about ``size`` characters."""
    return unit * max(1, size // len(unit))


def page_deep_nesting(size: int) -> str:
    """An article page nested ``<div>`` deep."""
    return "<html><body>" + _repeat("<div><p>Kalimat berita. ", size) + "</body></html>"


def page_unclosed(size: int) -> str:
    """A page of unclosed comments, scripts and tags."""
    return "<html><body><p>Berita.</p>" + _repeat("<!-- <script <p <img src='x ", size)


def page_entities(size: int) -> str:
    """A page whose text is entity references."""
    return "<html><body><p>" + _repeat("&amp;&#169;&nbsp;&lt;b&gt; ", size) + "</p></body></html>"


def page_huge_attribute(size: int) -> str:
    """A page whose one attribute value is the whole document."""
    return f'<html><body><p class="{_repeat("a", size)}">Berita singkat.</p></body></html>'


def page_one_line(size: int) -> str:
    """Plain text: one endless line without a sentence end."""
    return _repeat("kata ", size)


def page_many_lines(size: int) -> str:
    """Plain text: short lines, each a sentence with abbreviations and numbers."""
    return _repeat("Dr. H. Suryanto, M.Si. di Jakarta, Senin (27/3) pukul 10.30 WIB.\n", size)


def page_boilerplate(size: int) -> str:
    """Plain text of nothing but boilerplate-looking lines."""
    return _repeat("Baca juga: berita lain\nFoto: Antara\n(OL-2)\n", size)


PAGES: dict[str, Callable[[int], str]] = {
    "page: deep nesting": page_deep_nesting,
    "page: unclosed markup": page_unclosed,
    "page: entities": page_entities,
    "page: huge attribute": page_huge_attribute,
    "page: one endless line": page_one_line,
    "page: many short lines": page_many_lines,
    "page: boilerplate only": page_boilerplate,
}

HTML_BITS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div>",
        "<br>",
        "<!--",
        "-->",
        "<script>",
        "</script>",
        "<img src='",
        "&amp;",
        "&#x1F600;",
        "&lol;",
        "<![CDATA[",
        "]]>",
        "<",
        ">",
        '"',
        "\n\n",
        "Baca juga:",
        "Jakarta, Senin (27/3). ",
    ]
)
MIXED = st.lists(st.one_of(HTML_BITS, st.text(max_size=40)), max_size=200).map("".join)


@BOUNDED
@given(raw=st.one_of(st.text(max_size=3000), MIXED))
def test_any_text_is_cleaned_without_error(raw: str) -> None:
    page = clean_page(raw)
    assert isinstance(page.text, str) and "\x00" not in page.text
    assert isinstance(clean_text(raw), str)


@pytest.mark.parametrize("kind", sorted(PAGES))
@settings(BOUNDED, max_examples=4)
@given(size=st.integers(min_value=10_000, max_value=300_000))
def test_hostile_pages_are_cleaned_within_the_bound(kind: str, size: int) -> None:
    raw = PAGES[kind](size)
    assert isinstance(clean_page(raw).text, str)
    assert isinstance(clean_text(raw), str)
