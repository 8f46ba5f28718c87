"""Threads for readers (bot.store.threads) and as grouping keeps them (bot.store.stories), on
SQLite and PostgreSQL: one entry per thread, the fold, the earlier stories of a thread.

The articles are written for these tests (an invented regency and its regent) in the styles of
Indonesian outlets: a sting on one day, the regent's detention the next.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.db import Database
from bot.store.models import Article, Story, Thread
from bot.store.threads import MAX_RELATED, Entry, developments, earlier_counts, fold, threads_of
from tests.bot.store.test_stories import store

T0 = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
STING = (
    "Komisi Pemberantasan Korupsi (KPK) menangkap Bupati Sukamaju Hendra Wijaya dalam operasi tangkap "
    "tangan di Jawa Tengah, Rabu (18/11/2026) malam. Juru bicara KPK membenarkan penangkapan tersebut "
    "dan menyebut uang ratusan juta rupiah turut diamankan dari rumah dinas bupati."
)
STING_AGAIN = (
    "KPK menggelar operasi tangkap tangan terhadap Bupati Sukamaju Hendra Wijaya di Jawa Tengah pada "
    "Rabu (18/11/2026) malam. Tim penyidik menyita uang ratusan juta rupiah dari rumah dinas bupati, "
    "kata juru bicara KPK."
)
DETAINED = (
    "KPK resmi menahan Bupati Sukamaju Hendra Wijaya setelah menetapkannya sebagai tersangka suap "
    "proyek jalan, Jumat (20/11/2026). Hendra ditahan selama 20 hari pertama di Rutan KPK, Jakarta, "
    "usai diperiksa sejak operasi tangkap tangan pekan ini."
)
CHILI = "Harga cabai rawit di pasar induk Kramat Jati naik dua kali lipat menjelang Lebaran, kata pedagang."


def test_fold_keeps_one_entry_per_thread() -> None:
    ranked = [1, 2, 3, 4, 5, 6, 7]
    thread = {1: 10, 2: 20, 3: 10, 4: 10, 5: 10, 6: None, 7: 30}
    assert fold(ranked, thread, 3) == [Entry(1, (3, 4)), Entry(2), Entry(6)]
    assert len(fold(ranked, thread, 10)[0].related) == MAX_RELATED
    assert fold(ranked, thread, 0) == []
    assert fold([5, 1], {5: 10, 1: 10}, 2) == [Entry(5, (1,))]  # the better-placed story leads


async def story_of(session: AsyncSession, n: int, source: str, title: str, text: str, when: datetime) -> int:
    """Insert one article and group it, as ingestion does; its story's id."""
    return (await store(session, n, source, title, text, when))[1]


async def test_steps_of_one_affair_are_two_stories_in_one_thread(database: Database) -> None:
    async with database.sessionmaker.begin() as session:
        sting = await story_of(session, 1, "alpha", "KPK Tangkap Bupati Sukamaju dalam OTT", STING, T0)
        again = await story_of(
            session, 2, "beta", "Bupati Sukamaju Terjaring OTT KPK", STING_AGAIN, T0 + timedelta(hours=1)
        )
        chili = await story_of(
            session, 3, "gamma", "Harga Cabai Rawit Naik Jelang Lebaran", CHILI, T0 + timedelta(hours=2)
        )
        detained = await story_of(
            session, 4, "alpha", "KPK Tahan Bupati Sukamaju Hendra Wijaya", DETAINED, T0 + timedelta(days=2)
        )
        assert sting == again and len({sting, chili, detained}) == 3
        thread_of = await threads_of(session, [sting, chili, detained])
        assert thread_of[sting] == thread_of[detained] != thread_of[chili]
        thread = await session.get(Thread, thread_of[sting])
        assert thread is not None and thread.story_count == 2
        assert thread.last_published_at == T0 + timedelta(days=2)
        story = await session.get(Story, sting)
        assert story is not None and (story.article_count, story.source_count, story.independent_count) == (2, 2, 2)
        assert await earlier_counts(session, [sting, detained, chili]) == {detained: 1}
        earlier = await developments(session, detained)
        assert [(d.story_id, d.source) for d in earlier] == [(sting, (story.title and "alpha") or "")]
        assert await developments(session, sting) == []


async def test_a_reprinted_text_counts_once_among_the_outlets(database: Database) -> None:
    async with database.sessionmaker.begin() as session:
        first = await story_of(session, 1, "alpha", "KPK Tangkap Bupati Sukamaju dalam OTT", STING, T0)
        copy = await story_of(session, 2, "beta", "KPK Tangkap Bupati Sukamaju", "Jakarta - " + STING, T0)
        assert copy == first
        story = await session.get(Story, first)
        assert story is not None and (story.source_count, story.independent_count) == (2, 1)
        syndicated = await session.scalars(select(Article.syndicated).order_by(Article.id))
        assert list(syndicated) == [False, True]
