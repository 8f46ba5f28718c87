"""Who owns the outlets, as a reader meets it: the byline names the media groups of a story several
outlets report (or says one group alone carries it), "Sumber lain" lists each outlet under its group,
and /sumber chooses whole groups by button or in words; through the real bot and the fake Bot API
where a reader would see it, in both languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.store.db import Database
from bot.store.models import Article, Feed, SourceFilter
from bot.store.search import index_article
from bot.store.stories import assign_story
from bot.telegram.handlers.groups import group_code
from bot.telegram.i18n import use_language
from bot.telegram.render import StoryView, render_other_sources, render_story
from tests.bot.botharness import USER_ID, bot_settings, running_bot, runtime
from tests.bot.telegram.test_bot_commands import ask
from tests.bot.telegram.test_story_sources import REPORTS
from tests.fakes import FakeTelegram

NOW = datetime.now(UTC).replace(microsecond=0)
LINKS = {  # outlet → the link of its report
    "detikNews": "https://news.detik.com/berita/d-1/banjir-kemang",
    "Kompas": "https://megapolitan.kompas.com/read/2026/12/08/banjir",
    "Liputan6": "https://www.liputan6.com/news/read/1/banjir",
    "Merdeka": "https://www.merdeka.com/peristiwa/banjir.html",
    "Kabar Uji": "https://kabar.example/banjir",
}


def view(*outlets: str) -> StoryView:
    """A story reported by these outlets, the first one earliest."""
    links = [(name, LINKS[name]) for name in outlets]
    return StoryView(1, "Banjir Rendam Kemang", links[0][1], list(outlets), NOW, ["Kalimat."], "nasional", links)


def test_the_byline_names_the_groups_of_several_outlets() -> None:
    block = render_story(view("detikNews", "Kompas", "Liputan6"), "Asia/Jakarta")
    assert (
        "detikNews · juga diberitakan oleh Kompas, Liputan6 · 3 grup media: CT Corp, KG Media, Emtek"
        " · pertama: detikNews" in block
    )
    with use_language("en"):
        english = render_story(view("detikNews", "Kompas", "Liputan6"), "Asia/Jakarta")
    assert "3 media groups: CT Corp, KG Media, Emtek" in english


def test_one_groups_outlets_alone_are_said_so_and_one_outlet_gets_no_note() -> None:
    assert "hanya diberitakan oleh grup Emtek" in render_story(view("Liputan6", "Merdeka"), "Asia/Jakarta")
    with use_language("en"):
        assert "reported only by the Emtek group" in render_story(view("Liputan6", "Merdeka"), "Asia/Jakarta")
    alone = render_story(view("Kompas"), "Asia/Jakarta")
    assert "grup" not in alone and "diberitakan" not in alone


def test_an_outlet_missing_from_the_file_is_counted_not_guessed() -> None:
    block = render_story(view("Kompas", "Kabar Uji"), "Asia/Jakarta")
    assert "· grup media: KG Media, 1 media tanpa data pemilik" in block and "hanya" not in block
    mixed = render_story(view("Liputan6", "Merdeka", "Kabar Uji"), "Asia/Jakarta")
    assert "hanya" not in mixed and "grup media: Emtek, 1 media tanpa data pemilik" in mixed


def test_other_sources_are_listed_under_their_groups() -> None:
    listing = render_other_sources(view("Liputan6", "Kompas", "Merdeka", "Kabar Uji"))
    lines = listing.splitlines()
    assert lines[1:] == [
        "Diberitakan oleh:",
        "<b>Emtek</b>",
        f'• <a href="{LINKS["Liputan6"]}">Liputan6</a> (pertama)',
        f'• <a href="{LINKS["Merdeka"]}">Merdeka</a>',
        "<b>KG Media</b>",
        f'• <a href="{LINKS["Kompas"]}">Kompas</a>',
        "<b>Tanpa data pemilik</b>",
        f'• <a href="{LINKS["Kabar Uji"]}">Kabar Uji</a>',
    ]


async def store_owned_reports(db: Database) -> int:
    """The three flood reports, published by detik, Kompas and Liputan6; the story id."""
    story_id = 0
    async with db.sessionmaker.begin() as session:
        for (_outlet, minutes, title, text), outlet in zip(REPORTS, ("detikNews", "Kompas", "Liputan6"), strict=True):
            when = NOW - timedelta(hours=2) + timedelta(minutes=minutes)
            article = Article(url=LINKS[outlet], canonical_url=LINKS[outlet], title=title, published_at=when,
                              first_seen_at=when, source=outlet, category="nasional", text=text,
                              summary=[[0, text.split(". ")[0] + "."]])  # fmt: skip
            session.add(article)
            await session.flush()
            story_id = await assign_story(session, article)
            await index_article(session, article)
    return story_id


async def test_search_names_the_groups_and_other_sources_lists_them(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        story_id = await store_owned_reports(runtime(app).services.db)
        answer = await ask(tg, "banjir kemang")
        groups = answer.split(" · 3 grup media: ")[1].split(" · ")[0]  # in the order of the outlets
        assert sorted(groups.split(", ")) == ["CT Corp", "Emtek", "KG Media"]
        tg.press_button(USER_ID, USER_ID, f"lain:{story_id}", tg.messages_to(USER_ID)[-1].message_id or 0)
        [listing] = (await tg.wait_for_messages_async(USER_ID, 2, timeout=15))[1:]
        assert "<b>CT Corp</b>" in (listing.text or "") and "<b>Emtek</b>" in (listing.text or "")


FEEDS = [  # url, name: three CT Corp feeds, one Emtek, one of no known group
    ("https://news.detik.com/berita/rss", "detikNews"),
    ("https://finance.detik.com/rss", "detikFinance"),
    ("https://www.cnnindonesia.com/nasional/rss", "CNN Indonesia"),
    ("https://feed.liputan6.com/rss/news", "Liputan6"),
    ("https://kabar.example/rss", "Kabar Uji"),
]


async def add_feeds(db: Database) -> list[int]:
    """The feeds above, stored (never fetched: the bot runs without ingest); their ids."""
    async with db.sessionmaker.begin() as session:
        feeds = [Feed(url=url, name=name, category="nasional") for url, name in FEEDS]
        session.add_all(feeds)
        await session.flush()
        return [feed.id for feed in feeds]


async def excluded(db: Database) -> set[int]:
    """The feed ids excluded from the test chat's digest."""
    async with db.sessionmaker() as session:
        return {int(v) for v in await session.scalars(select(SourceFilter.value).where(SourceFilter.kind == "feed"))}


def group_buttons(tg: FakeTelegram, call_index: int = -1) -> dict[str, str]:
    """The group buttons of the chat's latest keyboard (sent or edited): text by callback data."""
    calls = [c for c in tg.calls() if c.chat_id == USER_ID and c.reply_markup]
    keyboard = calls[call_index].reply_markup or {}
    return {b["callback_data"]: b["text"] for row in keyboard["inline_keyboard"] for b in row if "Grup" in b["text"]}


async def test_sumber_chooses_whole_groups_by_button(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        db = runtime(app).services.db
        ids = await add_feeds(db)
        await ask(tg, "/sumber")
        ct, emtek = f"src:g:{group_code('CT Corp')}", f"src:g:{group_code('Emtek')}"
        assert group_buttons(tg) == {ct: "☑ Grup: CT Corp (3 feed)", emtek: "☑ Grup: Emtek (1 feed)"}
        edits = len(tg.calls("editMessageReplyMarkup"))
        tg.press_button(USER_ID, USER_ID, ct, tg.messages_to(USER_ID)[-1].message_id or 0)
        await tg.wait_until_async(lambda: len(tg.calls("editMessageReplyMarkup")) > edits, timeout=10)
        assert await excluded(db) == set(ids[:3])
        assert group_buttons(tg)[ct] == "☐ Grup: CT Corp (3 feed)"
        tg.press_button(USER_ID, USER_ID, f"src:f:{ids[0]}", tg.messages_to(USER_ID)[-1].message_id or 0)
        await tg.wait_until_async(lambda: len(tg.calls("editMessageReplyMarkup")) > edits + 1, timeout=10)
        assert group_buttons(tg)[ct] == "◐ Grup: CT Corp (3 feed)"  # one of its feeds back in
        tg.press_button(USER_ID, USER_ID, ct, tg.messages_to(USER_ID)[-1].message_id or 0)  # partly in: all out
        await tg.wait_until_async(lambda: len(tg.calls("editMessageReplyMarkup")) > edits + 2, timeout=10)
        assert await excluded(db) == set(ids[:3])
        tg.press_button(USER_ID, USER_ID, "src:g:zzzz", tg.messages_to(USER_ID)[-1].message_id or 0)
        await tg.wait_until_async(lambda: len(tg.calls("answerCallbackQuery")) == 4, timeout=10)
        assert tg.calls("answerCallbackQuery")[-1].params["text"] == "Pilihan ini sudah tidak tersedia."


async def test_sumber_chooses_whole_groups_in_words(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        db = runtime(app).services.db
        ids = await add_feeds(db)
        assert "Grup CT Corp (3 feed) tidak disertakan" in await ask(tg, "/sumber grup ct corp mati")
        assert await excluded(db) == set(ids[:3])
        assert "Grup Emtek (1 feed) tidak disertakan" in await ask(tg, "/sumber grup Emtek mati")
        assert "Grup CT Corp (3 feed) disertakan" in await ask(tg, "/sumber grup CT nyala")  # a name's start will do
        assert await excluded(db) == {ids[3]}
        assert "Grup yang ada: Emtek, CT Corp" in await ask(tg, "/sumber grup Entah mati")
        assert "Contoh" in await ask(tg, "/sumber grup Emtek")
        await ask(tg, "/bahasa en")
        assert "Group Emtek (feeds: 1) included in your digest" in await ask(tg, "/sources group emtek on")
        assert await excluded(db) == set()


async def test_only_a_groups_admins_choose_its_outlets(tg: FakeTelegram, db_url: str) -> None:
    group, admin, member = -100777, 42, 43
    tg.set_chat_admins(group, [admin])
    async with running_bot(bot_settings(tg, db_url)) as app:
        await add_feeds(runtime(app).services.db)
        refusal = await ask(
            tg, "/sumber@ringkas_test_bot grup Emtek mati", chat=group, user=member, chat_type="supergroup"
        )
        assert "hanya admin grup" in refusal
        assert await excluded(runtime(app).services.db) == set()
