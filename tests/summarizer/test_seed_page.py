"""The first real page Ringkas has to read: a Media Indonesia article copied from a browser."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from summarizer.page.clean import clean_page
from tests.shared_data import SEED


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip(f"seed page not found at {SEED} (the shared data directory is not present)")
    return SEED.read_text(encoding="utf-8")


def test_seed_page_metadata(seed_text: str) -> None:
    page = clean_page(seed_text, url="https://mediaindonesia.com/read/detail/keamanan-siber")
    assert page.title == "Keamanan Siber dan Smart City Jadi Fokus KTT ASEAN"
    assert page.author == "Irene Harty"
    assert page.published == datetime(2018, 4, 20, 15, 17, tzinfo=timezone(timedelta(hours=7)))
    assert page.published is not None and page.published.isoformat() == "2018-04-20T15:17:00+07:00"


def test_seed_page_body(seed_text: str) -> None:
    text = clean_page(seed_text).text
    assert text.startswith("KEMENTERIAN Luar Negeri RI (Kemlu) ")
    assert text.endswith("menurut Juru Bicara Kemlu RI, Arrmanatha Nasir.")
    paragraphs = text.split("\n\n")
    assert len(paragraphs) == 11
    assert all(p and p == p.strip() and "\n" not in p for p in paragraphs)
    for unwanted in [
        "Headline",
        "Presiden sebut negara butuh kepolisian",
        "Puncak gunung-gunung",
        "Irene Harty",
        "20/4/2018",
        "(Ist)",
        "(OL-2)",
        "Cek berita dan artikel",
        "Google News",
        "Berita Lainnya",
        "Opini",
        "Kolom Pakar",
        "BenihBaik",
        "Keamanan Siber dan Smart City Jadi Fokus KTT ASEAN",
    ]:
        assert unwanted not in text, f"{unwanted!r} left in the seed body"
