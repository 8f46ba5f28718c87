"""A developing story as a reader meets it, through the real application and the fake Bot API:
one digest entry per thread, its other stories folded under it as "Berita terkait", and the
"Perkembangan (N)" button listing the thread's earlier stories by time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store.db import Database
from bot.store.models import Article, Story, Thread
from tests.bot.botharness import USER_ID, bot_settings, running_bot, runtime
from tests.fakes import FakeTelegram

NOW = datetime.now(UTC).replace(microsecond=0)
# title, outlets, hours ago, thread (None: a thread of its own)
STORIES = [
    ("KPK Tangkap Bupati Sukamaju dalam OTT", ["Alpha"], 40, "sukamaju"),  # before the digest's window
    ("KPK Tetapkan Bupati Sukamaju Tersangka Suap", ["Alpha", "Beta"], 3, "sukamaju"),
    ("Bupati Sukamaju Ditahan 20 Hari di Rutan KPK", ["Gamma"], 2, "sukamaju"),
    ("Harga Cabai Rawit Naik Jelang Lebaran", ["Delta"], 1, None),
]


async def store_thread(db: Database) -> dict[str, int]:
    """The stories above with their threads and one article per outlet; story id by title."""
    ids: dict[str, int] = {}
    async with db.sessionmaker.begin() as session:
        threads: dict[str, Thread] = {}
        for n, (title, outlets, hours, key) in enumerate(STORIES):
            when = NOW - timedelta(hours=hours)
            thread = threads.get(key or title)
            if thread is None:
                thread = threads[key or title] = Thread(title=title, first_seen_at=when, last_published_at=when)
                session.add(thread)
                await session.flush()
            story = Story(
                title=title,
                category="nasional",
                first_seen_at=when,
                updated_at=when,
                last_published_at=when,
                article_count=len(outlets),
                source_count=len(outlets),
                independent_count=len(outlets),
                thread_id=thread.id,
            )
            session.add(story)
            await session.flush()
            for m, outlet in enumerate(outlets):
                article = Article(
                    story_id=story.id,
                    url=f"https://{outlet.lower()}.example/{n}",
                    canonical_url=f"https://{outlet.lower()}.example/{n}",
                    title=title,
                    published_at=when + timedelta(minutes=m),
                    first_seen_at=when,
                    source=outlet,
                    category="nasional",
                    text=f"{title}. Kalimat pertama berita ini.",
                    summary=[[0, f"{title}, kata pejabat setempat."]],
                )
                session.add(article)
                await session.flush()
                story.lead_article_id = story.lead_article_id or article.id
            ids[title] = story.id
    return ids


async def test_digest_folds_a_thread_and_offers_its_developments(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        ids = await store_thread(runtime(app).services.db)
        tg.send_text(USER_ID, "/ringkasan", user_id=USER_ID)
        digest = await tg.wait_for_messages_async(USER_ID, 1, timeout=15)
        text = "\n".join(m.text or "" for m in digest)
        assert "2 berita pilihan" in text
        assert "KPK Tetapkan Bupati Sukamaju Tersangka Suap" in text and "Harga Cabai Rawit" in text
        assert "↳ Berita terkait: Bupati Sukamaju Ditahan 20 Hari di Rutan KPK (Gamma)" in text
        assert "KPK Tangkap Bupati Sukamaju dalam OTT" not in text  # before the window: only behind the button
        last = digest[-1]
        assert last.reply_markup is not None
        buttons = {b["callback_data"]: b["text"] for row in last.reply_markup["inline_keyboard"] for b in row}
        lead = ids["KPK Tetapkan Bupati Sukamaju Tersangka Suap"]
        assert buttons[f"dev:{lead}"].startswith("Perkembangan (1) · KPK Tetapkan")
        assert f"dev:{ids['Harga Cabai Rawit Naik Jelang Lebaran']}" not in buttons
        before = len(tg.messages_to(USER_ID))
        tg.press_button(USER_ID, USER_ID, f"dev:{lead}", last.message_id or 0)
        listing = (await tg.wait_for_messages_async(USER_ID, before + 1, timeout=15))[before].text or ""
        assert listing.startswith("<b>Perkembangan:</b> KPK Tetapkan Bupati Sukamaju Tersangka Suap")
        assert "KPK Tangkap Bupati Sukamaju dalam OTT" in listing and "(Alpha)" in listing


async def test_a_developments_press_for_an_unknown_story_answers_with_a_popup(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        await store_thread(runtime(app).services.db)
        for data in ("dev:999999", "dev:" + "9" * 24, "dev:²", "dev:"):
            tg.press_button(USER_ID, USER_ID, data, 1)
        await tg.wait_until_async(lambda: len(tg.calls("answerCallbackQuery")) >= 4, timeout=15)
        assert tg.messages_to(USER_ID) == []
