"""A story reported by several outlets, as a reader meets it: the outlets line, the
"Sumber lain" button under search results and digests (through the real application and the fake Bot
API), the headline chosen from the members, and a grown story not sent again as new."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import ManualClock
from bot.store.db import Database
from bot.store.models import Article, Delivery, DeliveryBody, Story, Subscriber
from bot.store.search import index_article
from bot.store.stories import assign_story
from bot.store.storylist import story_sources
from bot.store.storyvec import cosine, decode
from bot.telegram.digest import digest_story_ids
from bot.telegram.render import StoryView, render_other_sources, render_story
from bot.telegram.schedule_digest import digest_messages
from tests.bot.botharness import USER_ID, bot_settings, running_bot, runtime
from tests.fakes import FakeTelegram
from tests.fakes.telegram_objects import BOT_USERNAME

NOW = datetime.now(UTC).replace(microsecond=0)
FLOOD = (
    "Banjir setinggi satu meter merendam ratusan rumah warga di Kemang, Jakarta Selatan, sejak Senin "
    "pagi. Ribuan warga Kemang mengungsi ke masjid dan sekolah terdekat, kata Lurah Bangka Suwarno."
)
REPORTS = [  # outlet, minutes after the first report, headline, body
    ("Alpha", 0, "Banjir Satu Meter Rendam Kemang", FLOOD),
    (
        "Beta",
        20,
        "Ratusan Rumah di Kemang Terendam Banjir, Warga Mengungsi",
        "Ratusan rumah di Kemang, Jakarta Selatan, terendam banjir setinggi satu meter pada Senin pagi. "
        "Warga mengungsi ke masjid dan sekolah, menurut Lurah Bangka Suwarno.",
    ),
    (
        "Gamma",
        45,
        "Lurah Bangka: Pengungsi Banjir Kemang Butuh Selimut",
        "Lurah Bangka Suwarno menyebut pengungsi banjir Kemang membutuhkan selimut dan air bersih.",
    ),
]


async def store_reports(db: Database) -> int:
    """Ingest the three reports through assign_story and the search index; the story id."""
    story_id = 0
    async with db.sessionmaker.begin() as session:
        for n, (outlet, minutes, title, text) in enumerate(REPORTS):
            when = NOW - timedelta(hours=2) + timedelta(minutes=minutes)
            article = Article(
                url=f"https://{outlet.lower()}.example/{n}",
                canonical_url=f"https://{outlet.lower()}.example/{n}",
                title=title,
                published_at=when,
                first_seen_at=when,
                source=outlet,
                category="nasional",
                text=text,
                summary=[[0, text.split(". ")[0] + "."]],
            )
            session.add(article)
            await session.flush()
            story_id = await assign_story(session, article)
            await index_article(session, article)
    return story_id


def test_outlets_line_and_other_sources_message() -> None:
    view = StoryView(
        1,
        "Banjir Rendam Kemang",
        "https://b.example/1",
        ["Beta", "Alpha", "Gamma"],
        NOW,
        ["Kalimat."],
        "nasional",
        [("Alpha", "https://a.example/1"), ("Beta", "https://b.example/1"), ("Gamma", "https://g.example/1")],
    )
    block = render_story(view, "Asia/Jakarta")
    assert "Beta · juga diberitakan oleh Alpha, Gamma · pertama: Alpha" in block
    listing = render_other_sources(view)
    assert '<a href="https://a.example/1">Alpha</a> (pertama)' in listing
    assert listing.count("<a href=") == 3


async def test_search_offers_other_sources_button(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        db = runtime(app).services.db
        story_id = await store_reports(db)
        async with db.sessionmaker() as session:
            story = await session.get(Story, story_id)
            assert story is not None and story.source_count == 3 and story.article_count == 3
            links = (await story_sources(session, [story_id]))[story_id]
        assert [o for o, _ in links] == ["Alpha", "Beta", "Gamma"]
        before = len(tg.messages_to(USER_ID))
        tg.send_text(USER_ID, "banjir kemang", user_id=USER_ID)
        replies = await tg.wait_for_messages_async(USER_ID, before + 1, timeout=15)
        answer = replies[before]
        assert "juga diberitakan oleh" in (answer.text or "") and "pertama: Alpha" in (answer.text or "")
        assert answer.reply_markup is not None
        buttons = [b for row in answer.reply_markup["inline_keyboard"] for b in row]
        assert buttons[0]["text"].startswith("Sumber lain (2)")
        assert buttons[0]["callback_data"] == f"lain:{story_id}"
        tg.press_button(USER_ID, USER_ID, f"lain:{story_id}", answer.message_id or 0)
        listing = await tg.wait_for_messages_async(USER_ID, before + 2, timeout=15)
        text = listing[before + 1].text or ""
        assert "Diberitakan oleh" in text and "Alpha" in text and "Gamma" in text


async def test_headline_is_the_member_closest_to_the_story(sqlite_database: Database) -> None:
    story_id = await store_reports(sqlite_database)
    async with sqlite_database.sessionmaker() as session:
        story = await session.get(Story, story_id)
        assert story is not None
        members = (await session.execute(Article.__table__.select().where(Article.story_id == story_id))).all()
    centroid = decode(story.centroid)
    best = max(members, key=lambda row: cosine(decode(row.signature), centroid))
    assert story.lead_article_id == best.id and story.title == best.title


async def test_a_story_that_grows_after_a_digest_is_not_new_again(db_session: AsyncSession) -> None:
    sent_at = NOW - timedelta(hours=1)
    sub = Subscriber(chat_id=77, last_digest_at=sent_at, stories_per_digest=8)
    old = Story(
        title="Banjir Kemang",
        category="nasional",
        first_seen_at=sent_at - timedelta(hours=2),
        updated_at=NOW,
        article_count=3,
        source_count=3,
    )  # grew after the digest
    fresh = Story(
        title="Harga Cabai Naik",
        category="ekonomi",
        first_seen_at=NOW - timedelta(minutes=5),
        updated_at=NOW,
        article_count=1,
        source_count=1,
    )
    db_session.add_all([sub, old, fresh])
    await db_session.flush()
    for story in (old, fresh):
        db_session.add(
            Article(
                story_id=story.id,
                url=f"https://x.example/{story.id}",
                canonical_url=f"https://x.example/{story.id}",
                title=story.title,
                published_at=story.first_seen_at,
                first_seen_at=story.first_seen_at,
                source="Alpha",
            )
        )
    await db_session.flush()
    assert await digest_story_ids(db_session, sub, NOW) == [fresh.id]


async def test_scheduled_digest_offers_other_sources_button(tg: FakeTelegram, db_url: str) -> None:
    clock = ManualClock(datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=1))
    async with running_bot(bot_settings(tg, db_url), clock=clock) as app:
        db = runtime(app).services.db
        story_id = await store_reports(db)
        when = f"{(clock.now() + timedelta(minutes=2)).astimezone(ZoneInfo('Asia/Jakarta')):%H:%M}"
        tg.send_text(USER_ID, f"/langganan {when}", user_id=USER_ID)
        await tg.wait_for_messages_async(USER_ID, 1, timeout=15)
        clock.advance(timedelta(minutes=3))
        digest = lambda: [m for m in tg.messages_to(USER_ID) if (m.text or "").startswith("📰")]  # noqa: E731
        await tg.wait_until_async(lambda: bool(digest()), timeout=10)
        last = digest()[-1]
        assert "juga diberitakan oleh" in (last.text or "")
        assert last.reply_markup is not None  # under the digest's last message
        buttons = [b for row in last.reply_markup["inline_keyboard"] for b in row]
        assert [b["callback_data"] for b in buttons] == [f"lain:{story_id}"]
        assert buttons[0]["text"].startswith("Sumber lain (2)")
        async with db.sessionmaker() as session:
            recorded = await session.scalar(
                select(DeliveryBody.buttons).join(Delivery, Delivery.body_id == DeliveryBody.id)
            )
        assert recorded == [[buttons[0]["text"], f"lain:{story_id}"]]  # kept with the digest's body for a resend
        count = len(tg.messages_to(USER_ID))
        tg.press_button(USER_ID, USER_ID, f"lain:{story_id}", last.message_id or 0)
        listing = await tg.wait_for_messages_async(USER_ID, count + 1, timeout=15)
        assert "Diberitakan oleh" in (listing[count].text or "") and "Gamma" in (listing[count].text or "")


async def test_channel_digest_has_no_buttons(sqlite_database: Database) -> None:
    await store_reports(sqlite_database)
    async with sqlite_database.sessionmaker.begin() as session:
        private = Subscriber(chat_id=5, stories_per_digest=8)
        channel = Subscriber(chat_id=-1005, chat_type="channel", stories_per_digest=8)
        session.add_all([private, channel])
        await session.flush()
        text, buttons, _picture = await digest_messages(session, private, NOW)
        channel_text, channel_buttons, _channel_picture = await digest_messages(session, channel, NOW)
    assert buttons and buttons[0][0].startswith("Sumber lain (2)")
    assert channel_text == text and channel_buttons == []


async def test_other_sources_pressed_in_a_group_go_to_the_presser_not_the_group(tg: FakeTelegram, db_url: str) -> None:
    group, reader, stranger = -100888, 4321, 8765
    async with running_bot(bot_settings(tg, db_url)) as app:
        story_id = await store_reports(runtime(app).services.db)
        tg.send_text(group, "/cari banjir kemang", user_id=reader, chat_type="supergroup")
        [answer] = await tg.wait_for_messages_async(group, 1, timeout=15)
        for _ in range(3):
            tg.press_button(group, reader, f"lain:{story_id}", answer.message_id or 0)
        await tg.wait_until_async(lambda: len(tg.calls("answerCallbackQuery")) == 3, timeout=15)
        assert len(tg.messages_to(group)) == 1  # the search answer only: presses post nothing there
        listings = tg.messages_to(reader)
        assert len(listings) == 3 and all("Diberitakan oleh" in (m.text or "") for m in listings)
        assert tg.calls("answerCallbackQuery")[0].params["text"].startswith("Daftar sumber dikirim ke chat pribadi")
        # Someone who never started the bot is sent to it, and the start link lists the sources there.
        tg.forbid(stranger)
        tg.press_button(group, stranger, f"lain:{story_id}", answer.message_id or 0)
        await tg.wait_until_async(lambda: len(tg.calls("answerCallbackQuery")) == 4, timeout=15)
        link = tg.calls("answerCallbackQuery")[3].params["url"]
        assert link == f"https://t.me/{BOT_USERNAME}?start=sumber_{story_id}"
        tg.unforbid(stranger)
        tg.send_text(stranger, f"/start sumber_{story_id}", user_id=stranger)
        [listing] = await tg.wait_for_messages_async(stranger, 1, timeout=15)
        assert "Diberitakan oleh" in (listing.text or "") and "Gamma" in (listing.text or "")
        assert len(tg.messages_to(group)) == 1
