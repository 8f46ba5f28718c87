"""The day's common topics on both databases: the words most of today's titles carry, fillers and the query left out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store.db import Database
from bot.store.models import Article
from bot.store.topics import TOPIC_WINDOW, common_topics, headline_words


async def add_titles(db: Database, titles: list[str], *, age: timedelta = timedelta(hours=1)) -> None:
    """Store one article per title, first seen this long ago."""
    seen = datetime.now(UTC) - age
    async with db.sessionmaker.begin() as session:
        for title in titles:
            url = f"https://kabar.example/{abs(hash((title, age)))}"
            session.add(
                Article(
                    url=url, canonical_url=url, title=title, published_at=seen, first_seen_at=seen, source="Kabar Uji"
                )
            )


async def topics(db: Database, exclude: str = "", limit: int = 3) -> list[str]:
    async with db.sessionmaker() as session:
        return await common_topics(session, datetime.now(UTC) - TOPIC_WINDOW, exclude=exclude, limit=limit)


async def test_most_common_title_words_first(database: Database) -> None:
    await add_titles(
        database,
        [
            "Gempa Guncang Cianjur, Warga Mengungsi",
            "Gempa Susulan Terjadi di Cianjur",
            "Korban Gempa Cianjur Bertambah",
            "Harga Beras Naik Lagi",
            "Video: Harga Cabai di Pasar Induk Hari Ini",  # "video", "hari", "ini", "di" say nothing
        ],
    )
    await add_titles(
        database, ["Pemilu Pemilu Pemilu", "Pemilu 2024", "Pemilu Lagi"], age=timedelta(days=2)
    )  # not today
    assert await topics(database) == ["cianjur", "gempa", "harga"]
    assert await topics(database, limit=1) == ["cianjur"]


async def test_the_query_and_its_stems_are_left_out(database: Database) -> None:
    await add_titles(database, ["Banjir Rendam Kemang", "Kebanjiran, Warga Kemang Mengungsi", "Banjir Lagi di Bekasi"])
    assert await topics(database) == ["banjir", "kemang", "bekasi"]
    assert "banjir" not in await topics(database, exclude="kebanjiran")
    assert await topics(database, exclude="banjir kemang") == ["bekasi", "rendam", "mengungsi"]  # ties by stem (ungsi)


async def test_a_word_counts_once_per_title_and_numbers_and_fillers_never(database: Database) -> None:
    await add_titles(database, ["Tol Tol Tol Macet 2024", "Jalan Raya Macet", "Terkini: Update Jalan Tol Ditutup"])
    found = await topics(database, limit=10)
    assert found[:2] == ["jalan", "macet"] and "2024" not in found
    assert not {"terkini", "update"} & set(found) and {"terkini", "update", "video"} <= headline_words()


async def test_no_articles_today_means_no_topics(database: Database) -> None:
    assert await topics(database) == []
    await add_titles(database, ["Gempa Guncang Cianjur"], age=timedelta(days=3))
    assert await topics(database) == []
