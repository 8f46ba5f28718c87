"""Two languages: the catalogs cover every marked string, and readers get their language."""

from __future__ import annotations

import gettext
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.clock import ManualClock
from bot.ingest.fetch import Fetcher
from bot.ingest.pipeline import ingest_feed
from bot.telegram.i18n import LOCALE_DIR, choose_language, use_language
from bot.telegram.render import long_date
from tests.bot.botharness import USER_ID, NewsSite, bot_settings, news_item, running_bot, runtime, seed_news
from tests.bot.telegram.conversation import ask, ask_in, subscriber_of
from tests.bot.telegram.test_alerts import BEKASI
from tests.bot.telegram.test_story_sources import store_reports
from tests.fakes import FakeTelegram

BOT_DIR = LOCALE_DIR.parent
KEYWORDS = {"_": None, "N_": None, "ChoiceError": None}
SEMARANG = "Banjir rob setinggi 40 sentimeter menggenangi permukiman pesisir Semarang Utara pada Kamis pagi."
PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "ringkas.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"\{\w*\}")
TAG = re.compile(r"</?[a-z]+")


def marked_strings() -> set[str]:
    """Every string the code marks for translation (what ``pybabel extract`` finds)."""
    found = extract_from_dir(str(BOT_DIR), method_map=[("**.py", "python")], keywords=KEYWORDS)
    return {m if isinstance(m, str) else m[0] for _, _, m, _, _ in found}


def catalog_gaps(marked: set[str], po_path: str) -> list[str]:
    """Marked strings without a finished translation in a catalog."""
    with open(po_path, "rb") as handle:
        catalog = read_po(handle)
    done = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    return sorted(marked - done)


def test_every_marked_string_has_an_english_translation() -> None:
    marked = marked_strings()
    assert len(marked) > 100
    assert catalog_gaps(marked, str(PO)) == []


def test_the_check_notices_a_missing_string() -> None:
    assert catalog_gaps(marked_strings() | {"Kalimat baru yang belum diterjemahkan"}, str(PO)) == [
        "Kalimat baru yang belum diterjemahkan"
    ]


def test_translations_keep_placeholders_and_markup() -> None:
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id:
            assert sorted(PLACEHOLDER.findall(message.string)) == sorted(PLACEHOLDER.findall(message.id)), message.id
            assert Counter(TAG.findall(message.string)) == Counter(TAG.findall(message.id)), message.id


def test_the_committed_mo_matches_the_po() -> None:
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in catalog:
        if message.id:
            assert compiled.gettext(message.id) == message.string, message.id


def test_language_choice() -> None:
    assert choose_language(None, "en-US") == "en" and choose_language(None, "id") == "id"
    assert choose_language(None, None) == "id" and choose_language(None, "jv") == "id"
    assert choose_language("id", "en") == "id" and choose_language("xx", "en") == "en"
    with use_language("en"):
        assert long_date(datetime(2026, 11, 30, 3, tzinfo=UTC), "Asia/Jakarta") == "Monday, 30 November 2026"
    assert long_date(datetime(2026, 11, 30, 3, tzinfo=UTC), "Asia/Jakarta") == "Senin, 30 November 2026"


async def test_readers_get_their_language_and_can_change_it(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        assert (await ask_in(tg, "/start", "en")).startswith("Hello! 👋\n<b>Ringkas</b> sums up")
        assert "Daily digest stopped" in await ask_in(tg, "/unsubscribe", "en-GB")
        assert "Halo!" in await ask(tg, "/start")  # the fake's users speak Indonesian
        assert "Language set to <b>English</b>" in await ask(tg, "/bahasa en")
        assert (await subscriber_of(app)).language == "en"
        # The chat's choice wins over the app language from now on.
        assert "No stories match" in await ask(tg, "/cari zzzyzx")
        assert "Unknown time format" in await ask(tg, "/subscribe pagi")
        assert "No new stories since the last digest" in await ask(tg, "/ringkasan")
        assert "Language now: <b>English</b>" in await ask(tg, "/language klingon")
        assert "Bahasa diatur ke <b>Bahasa Indonesia</b>" in await ask_in(tg, "/language id", "en")
        assert "Tidak ada berita" in await ask_in(tg, "/search zzzyzx", "en")


async def test_command_menus_in_both_languages_and_scopes(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)):
        assert await ask(tg, "/bantuan", chat=USER_ID)
    menus = {
        (c.params["scope"]["type"], c.params.get("language_code")): c.params["commands"]
        for c in tg.calls("setMyCommands")
        if c.ok
    }
    assert set(menus) == {
        ("all_private_chats", None),
        ("all_private_chats", "id"),
        ("all_group_chats", None),
        ("all_group_chats", "id"),
    }
    english = {c["command"]: c["description"] for c in menus[("all_private_chats", None)]}
    indonesian = {c["command"]: c["description"] for c in menus[("all_group_chats", "id")]}
    assert english["subscribe"] == "Daily digest: /subscribe 07:00"
    assert indonesian["langganan"] == "Ringkasan harian: /langganan 07:00"
    assert len(english) == len(indonesian)


async def test_an_english_reader_is_sent_english_later_without_choosing_it(
    tg: FakeTelegram, db_url: str, site: NewsSite
) -> None:
    clock = ManualClock(datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=1))
    async with running_bot(bot_settings(tg, db_url), clock=clock) as app:
        await store_reports(runtime(app).services.db)  # three outlets: "also reported by" and a button
        when = f"{(clock.now() + timedelta(minutes=2)).astimezone(ZoneInfo('Asia/Jakarta')):%H:%M}"
        assert "Subscribed" in await ask_in(tg, f"/subscribe {when}", "en")
        assert "🔔" in await ask_in(tg, "/follow banjir", "en")
        assert (await subscriber_of(app)).language is None  # never used /language
        clock.advance(timedelta(minutes=3))
        digest = lambda: [m for m in tg.messages_to(USER_ID) if (m.text or "").startswith("📰")]  # noqa: E731
        assert await tg.wait_until_async(lambda: bool(digest()), timeout=10)
        text = digest()[0].text or ""
        with use_language("en"):
            assert long_date(clock.now(), "Asia/Jakarta") in text
        assert "also reported by" in text and "juga diberitakan" not in text
        assert digest()[0].reply_markup is not None
        assert digest()[0].reply_markup["inline_keyboard"][0][0]["text"].startswith("Other sources (2)")
        bekasi = news_item(1, "Banjir Susulan Landa Bekasi", BEKASI)
        feed_id = await seed_news(runtime(app).services.db, site, [bekasi])
        alert = lambda: [m for m in tg.messages_to(USER_ID) if (m.text or "").startswith("🔔 New stories")]  # noqa: E731
        alerts_in_indonesian = lambda: [  # noqa: E731
            m.text or "" for m in tg.messages_to(USER_ID) if (m.text or "").startswith("🔔 Berita baru")
        ]
        assert await tg.wait_until_async(lambda: bool(alert()), timeout=10)
        for data, popup in (
            ("lain:9999", "This story is no longer stored."),
            ("lain:x", "This choice is no longer available."),
        ):
            tg.press_button(USER_ID, USER_ID, data, digest()[0].message_id or 0, language_code="en")
            assert await tg.wait_until_async(
                lambda: popup in [c.params.get("text") for c in tg.calls("answerCallbackQuery")],  # noqa: B023
                timeout=10,
            )
        # The app's language changed: stored, and what is sent later follows it.
        assert "Tidak ada berita" in await ask_in(tg, "/cari zzzyzx", "id")
        assert (await subscriber_of(app)).language_code == "id"
        site.publish([bekasi, news_item(2, "Banjir Rob Genangi Pesisir Semarang", SEMARANG)])
        async with Fetcher(allow_private=True) as fetcher:
            await ingest_feed(runtime(app).services.db, fetcher, feed_id)
        assert await tg.wait_until_async(lambda: bool(alerts_in_indonesian()), timeout=10)
        assert "Banjir Rob Genangi Pesisir Semarang" in alerts_in_indonesian()[0]
