"""Mute and follow words by word family: the table of real headlines, and follows in storage."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.keywords import stories_matching
from bot.store.mutes import is_muted
from summarizer.lang.families import family, roots_of
from tests.bot.store.test_search import HOSTILE_QUERIES, add_article, add_story

CASES_FILE = Path(__file__).with_name("fixtures") / "keyword_headlines.tsv"


def _cases() -> list[tuple[str, str, str]]:
    """(word, hides or keeps, headline) per line of the table, comments skipped."""
    cases = []
    for line in CASES_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, verdict, headline, _source = line.split("\t")
            cases.append((word, verdict, headline))
    return cases


CASES = _cases()


def test_the_table_is_wide_and_goes_both_ways() -> None:
    verdicts = [verdict for _, verdict, _ in CASES]
    assert len(CASES) >= 40 and verdicts.count("keeps") >= 15 and set(verdicts) == {"hides", "keeps"}


@pytest.mark.parametrize(
    ("word", "verdict", "headline"), CASES, ids=[f"{w}-{v}-{i}" for i, (w, v, _) in enumerate(CASES)]
)
def test_a_word_reaches_its_family_and_nothing_else(word: str, verdict: str, headline: str) -> None:
    assert is_muted(headline, [word]) is (verdict == "hides")


def test_roots_are_checked_against_the_dictionary() -> None:
    assert roots_of("kebanjiran") == {"banjir"}
    assert roots_of("pemberitaan") == {"berita"}  # not pem- + ber- + "ita"
    assert roots_of("pemilu") == {"pemilu"}  # listed as lexicalised: never pem- + pilu
    assert roots_of("jokowi") == {"jokowi"}  # no root: the word is its own family
    assert "beban" not in family("ban")  # a root of its own, not be- + ban
    assert {"memilukan", "kepiluan"} <= family("pilu") and "pemilu" not in family("pilu")


async def test_follows_match_families_per_article(db_session: AsyncSession) -> None:
    flight, lawyer, flood, other = [await add_story(db_session, t) for t in ("A", "B", "C", "D")]
    await add_article(db_session, "Penerbangan ke Jeddah ditunda", "Cuaca buruk di bandara.", story=flight)
    await add_article(db_session, "Pengacara Jessica ajukan banding", "Sidang pekan depan.", story=lawyer)
    await add_article(db_session, "Banjir bandang", "Air bah di Garut.", story=flood)
    await add_article(db_session, "Gempa Cianjur", "Warga kebanjiran bantuan.", story=other)
    await add_article(db_session, "Liga Inggris", "Hasil pertandingan di Garut.", story=other)
    await db_session.commit()
    ids = [flight.id, lawyer.id, flood.id, other.id]
    found = await stories_matching(db_session, ["terbang", "acara", "kebanjiran", "banjir garut", "🌊"], ids)
    assert found == {
        "terbang": {flight.id},
        "acara": set(),  # "pengacara" is a word of its own
        "kebanjiran": {flood.id, other.id},  # in the title or in the text
        "banjir garut": {flood.id},  # both words in one article; not split across two
        "🌊": set(),
    }
    assert await stories_matching(db_session, ["banjir"], []) == {"banjir": set()}


@pytest.mark.parametrize("keyword", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
async def test_hostile_keywords_never_raise(db_session: AsyncSession, keyword: str) -> None:
    story = await add_story(db_session, "Banjir")
    await add_article(db_session, "Banjir melanda kota-kota di Jawa", "Gempa kecil juga terasa.", story=story)
    await db_session.commit()
    assert set(await stories_matching(db_session, [keyword], [story.id])) == {keyword}
    assert isinstance(is_muted("Banjir melanda kota-kota di Jawa", [keyword]), bool)
