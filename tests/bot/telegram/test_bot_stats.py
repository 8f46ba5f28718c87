"""/stats as a picture, through the real bot and the fake Bot API: a PNG chart of the week with
the figures as its caption for an admin (in either language), a clear answer on an empty database,
the figures as text when Telegram refuses the picture, and the refusal everyone else gets. The
week's counts themselves are checked on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import Article, Delivery, Subscriber
from bot.store.stats import WeekSeries, week_series
from bot.telegram.chart import outlet_rows
from tests.bot.botharness import ADMIN_ID, USER_ID, bot_settings, running_bot, runtime
from tests.bot.telegram.test_bot_commands import ask
from tests.fakes import FakeTelegram
from tests.fakes.telegram_state import RecordedCall

PNG_SIGNATURE = "89504e470d0a1a0a"
CHART_WAIT = 60.0  # the first chart of a process imports matplotlib (and may build its font cache)
NOW = datetime(2026, 12, 8, 5, 0, tzinfo=UTC)  # 12.00 WIB


def article(n: int, source: str, seen: datetime) -> Article:
    """An article of ``source`` first seen at ``seen``."""
    url = f"https://{source.lower()}.example/{n}"
    return Article(
        url=url, canonical_url=url, title=f"Berita {n}", published_at=seen, first_seen_at=seen, source=source
    )


async def store_week(session: AsyncSession, now: datetime) -> None:
    """Five articles from two outlets over three days, two deliveries sent and one failed."""
    for n, (source, days_ago) in enumerate([("Alpha", 0), ("Alpha", 0), ("Alpha", 1), ("Beta", 3), ("Beta", 3)]):
        session.add(article(n, source, now - timedelta(days=days_ago, minutes=5)))
    sub = Subscriber(chat_id=555, active=False, subscribed=False)  # no digest of its own meanwhile
    session.add(sub)
    await session.flush()
    for n, (status, days_ago) in enumerate([("sent", 0), ("sent", 2), ("failed", 2)]):
        when = now - timedelta(days=days_ago, minutes=1)
        session.add(
            Delivery(subscriber_id=sub.id, kind="digest", key=f"digest:{n}", status=status, created_at=when,
                     sent_at=when if status == "sent" else None)
        )  # fmt: skip
    await session.flush()


async def ask_stats(tg: FakeTelegram, chat: int) -> RecordedCall:
    """Send /stats from ``chat`` and return the bot's answer."""
    before = len(tg.messages_to(chat))
    tg.send_text(chat, "/stats", user_id=chat)
    return (await tg.wait_for_messages_async(chat, before + 1, timeout=CHART_WAIT))[before]


def assert_png_chart(answer: RecordedCall) -> None:
    """The answer is a photo uploaded as a PNG of a readable size."""
    assert answer.method == "sendPhoto"
    photo = answer.params["photo"]
    assert photo["head"].startswith(PNG_SIGNATURE)
    width, height = int(photo["head"][32:40], 16), int(photo["head"][40:48], 16)  # the IHDR chunk
    assert (width, height) == (900, 700)
    assert 5_000 < photo["size"] < 1_000_000


async def test_an_admin_gets_the_weeks_chart_with_the_figures_as_its_caption(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        async with runtime(app).services.db.sessionmaker.begin() as session:
            await store_week(session, datetime.now(UTC))
        answer = await ask_stats(tg, ADMIN_ID)
        assert_png_chart(answer)
        caption = answer.params["caption"]
        assert "Statistik Ringkas" in caption and "Ringkasan terkirim: 2" in caption
        assert "Pengiriman gagal: 1" in caption
        # In English too: the caption (and the chart's words) follow the chat's language.
        await ask(tg, "/bahasa en", chat=ADMIN_ID, user=ADMIN_ID)
        english = await ask_stats(tg, ADMIN_ID)
        assert_png_chart(english)
        assert "Ringkas statistics" in english.params["caption"] and "Digests sent: 2" in english.params["caption"]


async def test_an_empty_database_still_gets_a_chart_and_the_figures(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)):
        answer = await ask_stats(tg, ADMIN_ID)
        assert_png_chart(answer)
        assert "Pelanggan aktif: 0" in answer.params["caption"]


async def test_a_refused_picture_leaves_the_figures_as_text(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)):
        tg.fail_next("sendPhoto", 400, description="Bad Request: PHOTO_INVALID_DIMENSIONS")
        before = len(tg.messages_to(ADMIN_ID))
        tg.send_text(ADMIN_ID, "/stats", user_id=ADMIN_ID)
        [answer] = (await tg.wait_for_messages_async(ADMIN_ID, before + 1, timeout=CHART_WAIT))[before:]
        assert answer.method == "sendMessage" and "Statistik Ringkas" in (answer.text or "")
        assert [c.status for c in tg.calls("sendPhoto")] == [400]


async def test_a_reader_is_refused_and_no_chart_is_drawn(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)):
        assert "hanya untuk admin" in await ask(tg, "/stats", chat=USER_ID, user=USER_ID)
        assert tg.calls("sendPhoto") == []


async def test_the_week_counts_articles_per_outlet_and_deliveries_per_local_day(db_session: AsyncSession) -> None:
    db_session.add(article(90, "Gamma", NOW - timedelta(days=9)))  # before the week: not counted
    db_session.add(article(91, "Alpha", NOW.replace(hour=16, minute=59) - timedelta(days=1)))  # 23.59 WIB yesterday
    db_session.add(article(92, "Alpha", NOW.replace(hour=17, minute=1) - timedelta(days=1)))  # 00.01 WIB today
    await store_week(db_session, NOW)
    week = await week_series(db_session, NOW, "Asia/Jakarta")
    assert [f"{d:%m-%d}" for d in week.days] == [f"12-{d:02d}" for d in range(2, 9)]
    assert week.articles == {"Alpha": [0, 0, 0, 0, 0, 2, 3], "Beta": [0, 0, 0, 2, 0, 0, 0]}
    assert (week.sent, week.failed) == ([0, 0, 0, 0, 1, 0, 1], [0, 0, 0, 0, 1, 0, 0])


def test_only_the_busiest_outlets_get_a_colour_and_the_rest_is_summed() -> None:
    series = WeekSeries([NOW.date()] * 2, {f"O{n}": [n, 1] for n in range(10, 0, -1)}, [0, 0], [0, 0])
    rows = outlet_rows(series, limit=3)
    assert [name for name, _ in rows] == ["O10", "O9", "O8", ""]
    assert rows[-1][1] == [sum(range(1, 8)), 7]
