"""Story grouping against a real database (SQLite and PostgreSQL): what ``assign_story`` leaves
in the stories and their key-term index, as ingestion and ``ringkas cluster`` rely on it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.cluster import DEFAULT_SETTINGS, key_terms
from bot.store.db import Database
from bot.store.models import Article, Story, StoryTerm
from bot.store.stories import assign_story
from bot.store.storyvec import cosine, decode

WIB = timezone(timedelta(hours=7))
T0 = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
FLOOD = (
    "Banjir setinggi satu meter merendam ratusan rumah warga di Kemang, Jakarta Selatan, sejak Senin "
    "pagi. Ribuan warga Kemang mengungsi ke masjid dan sekolah terdekat, kata Lurah Bangka Suwarno."
)
FLOOD_AGAIN = (
    "Ratusan rumah di Kemang, Jakarta Selatan, terendam banjir setinggi satu meter pada Senin pagi. "
    "Ribuan warga mengungsi ke masjid dan sekolah, menurut Lurah Bangka Suwarno."
)
CHILI = "Harga cabai rawit di pasar induk Kramat Jati naik dua kali lipat menjelang Lebaran, kata pedagang."


async def store(
    session: AsyncSession, n: int, source: str, title: str, text: str, when: datetime
) -> tuple[Article, int]:
    """Insert one article and group it, as ingestion does; the article and its story's id."""
    article = Article(
        url=f"https://{source}.example/{n}",
        canonical_url=f"https://{source}.example/{n}",
        title=title,
        published_at=when,
        first_seen_at=when,
        source=source,
        text=text,
    )
    session.add(article)
    await session.flush()
    return article, await assign_story(session, article)


async def test_reports_of_one_event_share_a_story_with_its_counts_and_index(database: Database) -> None:
    async with database.sessionmaker.begin() as session:
        _, story_id = await store(session, 1, "alpha", "Banjir Satu Meter Rendam Kemang", FLOOD, T0)
        _, other = await store(session, 2, "gamma", "Harga Cabai Rawit Naik Jelang Lebaran", CHILI, T0)
        held = await session.get(Story, story_id)  # a Story this session already holds
        assert held is not None and held.article_count == 1
        _, joined = await store(
            session, 3, "beta", "Ratusan Rumah di Kemang Terendam Banjir", FLOOD_AGAIN, T0 + timedelta(hours=1)
        )
        _, again = await store(
            session, 4, "alpha", "Banjir Kemang: Warga Mengungsi ke Masjid", FLOOD, T0 + timedelta(hours=2)
        )
        assert joined == again == story_id != other
        await session.refresh(held)  # expired by the joins, not left with the counts it was read with
        assert (held.article_count, held.source_count) == (3, 2)
        assert held.last_published_at == T0 + timedelta(hours=2)
        members = (await session.scalars(select(Article).where(Article.story_id == story_id))).all()
        closest = max(members, key=lambda a: (cosine(decode(a.signature), decode(held.centroid)), -a.id))
        assert (held.lead_article_id, held.title) == (closest.id, closest.title)  # the most representative report
        terms = (
            await session.execute(
                select(StoryTerm.term, StoryTerm.last_published_at).where(StoryTerm.story_id == story_id)
            )
        ).all()
        centroid = decode(held.centroid)
        assert {t for t, _ in terms} == set(key_terms(centroid, DEFAULT_SETTINGS.story_keys))
        assert {when for _, when in terms} == {T0 + timedelta(hours=2)}
        assert "kemang" in centroid and "cabai" not in centroid


async def test_a_time_with_an_offset_is_compared_in_utc(database: Database) -> None:
    """Thirty hours after the first report, written in WIB: inside the 36-hour window, so it
    joins (the lookup once compared SQLite's stored UTC with the WIB wall-clock time, and the
    window shrank by seven hours)."""
    later = (T0 + timedelta(hours=30)).astimezone(WIB)
    async with database.sessionmaker.begin() as session:
        _, story_id = await store(session, 1, "alpha", "Banjir Satu Meter Rendam Kemang", FLOOD, T0)
        _, joined = await store(session, 2, "beta", "Ratusan Rumah di Kemang Terendam Banjir", FLOOD_AGAIN, later)
        _, apart = await store(
            session,
            3,
            "gamma",
            "Banjir Kemang Surut, Warga Pulang",
            FLOOD_AGAIN,
            (T0 + timedelta(hours=40)).astimezone(WIB),
        )
    assert joined == story_id
    assert apart != story_id  # past the window counted from the first report
