"""Channels through the real application: commands posted in a channel, cleanup, removal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.clock import ManualClock
from bot.store.models import Subscriber
from tests.bot.botharness import bot_settings, running_bot, runtime
from tests.bot.telegram.conversation import ask, deliver_one, subscriber_of
from tests.fakes import FakeTelegram

CHANNEL = -1001234567890


async def post(tg: FakeTelegram, text: str, chat: int = CHANNEL) -> str:
    """Post in a channel as its admin and return the bot's reply there."""
    before = len(tg.messages_to(chat))
    tg.post_in_channel(chat, text)
    return (await tg.wait_for_messages_async(chat, before + 1, timeout=15))[before].text or ""


async def test_channel_commands_change_the_channel(tg: FakeTelegram, db_url: str) -> None:
    tg.make_channel(CHANNEL)
    async with running_bot(bot_settings(tg, db_url, ringkas_channel_cleanup_seconds=0)) as app:
        assert "07:00 WIB" in await post(tg, "/langganan 07:00")
        sub = await subscriber_of(app, CHANNEL)
        assert sub.subscribed and sub.chat_type == "channel" and sub.title == "Kanal Uji"
        assert "WITA" in await post(tg, "/zona WITA")
        assert "<b>5</b>" in await post(tg, "/atur@ringkas_test_bot berita 5")
        assert "Pilih sumber" in await post(tg, "/sumber")
        assert "Language set to <b>English</b>" in await post(tg, "/bahasa en")
        assert "Daily digest stopped" in await post(tg, "/berhenti")
        sub = await subscriber_of(app, CHANNEL)
        assert (sub.subscribed, sub.timezone, sub.stories_per_digest) == (False, "Asia/Makassar", 5)
        assert not tg.calls("deleteMessage")
        sent = tg.messages_to(CHANNEL)[0].params
        assert sent.get("reply_parameters", {}).get("message_id") == 1  # an answer to the admin's post


async def test_confirmations_are_deleted_after_a_while(tg: FakeTelegram, db_url: str) -> None:
    tg.make_channel(CHANNEL)
    async with running_bot(bot_settings(tg, db_url, ringkas_channel_cleanup_seconds=0.3)):
        await post(tg, "/langganan 06:00")
        reply = tg.messages_to(CHANNEL)[-1]
        await tg.wait_until_async(lambda: bool(tg.calls("deleteMessage")), timeout=10)
        deleted = tg.calls("deleteMessage")[0]
        assert deleted.ok and deleted.params["message_id"] == reply.message_id


async def test_a_channel_where_the_bot_is_not_admin_is_left_alone(tg: FakeTelegram, db_url: str) -> None:
    stranger = -1009999999999
    tg.make_channel(stranger, bot_is_admin=False)
    tg.make_channel(CHANNEL)
    async with running_bot(bot_settings(tg, db_url)) as app:
        tg.post_in_channel(stranger, "/langganan 07:00")
        await tg.wait_until_async(lambda: any(c.chat_id == stranger for c in tg.calls("getChatMember")))
        await post(tg, "/langganan 07:00")
        async with runtime(app).services.db.sessionmaker() as session:
            assert await session.scalar(select(Subscriber).where(Subscriber.chat_id == stranger)) is None
        assert not [c for c in tg.calls("sendMessage") if c.chat_id == stranger]


async def test_only_channel_posts_change_a_channel(tg: FakeTelegram, db_url: str) -> None:
    tg.make_channel(CHANNEL)
    async with running_bot(bot_settings(tg, db_url)) as app:
        await post(tg, "/langganan 07:00")
        # A forged ordinary message "in" the channel from a person who is no admin there.
        assert "hanya admin" in await ask(tg, "/berhenti", chat=CHANNEL, user=555, chat_type="channel")
        assert (await subscriber_of(app, CHANNEL)).subscribed


async def test_a_channel_that_removed_the_bot_is_deactivated(tg: FakeTelegram, db_url: str) -> None:
    tg.make_channel(CHANNEL)
    clock = ManualClock(datetime.now(UTC))
    async with running_bot(bot_settings(tg, db_url, ringkas_tick_seconds=60), clock=clock) as app:
        await post(tg, "/langganan 07:00")
        tg.forbid(CHANNEL)
        assert await deliver_one(app, (await subscriber_of(app, CHANNEL)).id, "digest:test") == "failed"
        sub = await subscriber_of(app, CHANNEL)
        assert not sub.active and (sub.deactivated_reason or "").startswith("forbidden")
        clock.advance(timedelta(days=1))


def channel_with_admin(tg: FakeTelegram, admin: int) -> None:
    """The test channel, administered by the bot and by one person."""
    tg.set_chat_admins(CHANNEL, [admin])
    tg.make_channel(CHANNEL)  # adds the bot to the administrators


async def press(tg: FakeTelegram, user: int, data: str, message_id: int) -> dict[str, object]:
    """Press a button on a channel post as a user; the bot's answer to the press."""
    answers = len(tg.calls("answerCallbackQuery"))
    tg.press_button(CHANNEL, user, data, message_id)
    await tg.wait_until_async(lambda: len(tg.calls("answerCallbackQuery")) > answers, timeout=10)
    return tg.calls("answerCallbackQuery")[answers].params


async def test_a_channel_sees_and_erases_its_data(tg: FakeTelegram, db_url: str) -> None:
    admin, reader = 77, 555
    channel_with_admin(tg, admin)
    async with running_bot(bot_settings(tg, db_url, ringkas_channel_cleanup_seconds=0)) as app:
        await post(tg, "/langganan 07:00")
        assert "Yang disimpan" in await post(tg, "/privasi")
        assert "tidak bisa dibatalkan" in await post(tg, "/hapusdata")
        confirm = tg.messages_to(CHANNEL)[-1]
        assert confirm.reply_markup is not None
        posts = len(tg.messages_to(CHANNEL))
        refused = await press(tg, reader, "priv:erase", confirm.message_id or 0)  # a subscriber, no admin
        assert "hanya admin kanal" in str(refused["text"]) and refused.get("show_alert") is True
        assert (await subscriber_of(app, CHANNEL)).subscribed and len(tg.messages_to(CHANNEL)) == posts
        assert (await press(tg, admin, "priv:erase", confirm.message_id or 0))["text"] == "Terhapus"
        async with runtime(app).services.db.sessionmaker() as session:
            assert await session.scalar(select(Subscriber).where(Subscriber.chat_id == CHANNEL)) is None
        assert "sudah dihapus" in (tg.calls("editMessageText")[-1].text or "")


async def test_keyboards_in_a_channel_are_cleaned_up_and_presses_post_nothing(tg: FakeTelegram, db_url: str) -> None:
    admin, reader = 77, 555
    channel_with_admin(tg, admin)
    async with running_bot(bot_settings(tg, db_url, ringkas_channel_cleanup_seconds=0.5)) as app:
        assert "Pengaturan ringkasan" in await post(tg, "/atur")
        settings = tg.messages_to(CHANNEL)[-1]
        assert "Pilih sumber" in await post(tg, "/sumber")
        keyboards = {settings.message_id, tg.messages_to(CHANNEL)[-1].message_id}
        for _ in range(3):  # a subscriber pressing away: a popup each time, never a post
            refused = await press(tg, reader, "set:b:1", settings.message_id or 0)
            assert "hanya admin kanal" in str(refused["text"]) and refused.get("show_alert") is True
        assert len(tg.messages_to(CHANNEL)) == 2
        assert (await press(tg, admin, "set:b:1", settings.message_id or 0))["text"] == "Tersimpan"
        assert (await subscriber_of(app, CHANNEL)).stories_per_digest == 9
        deleted = lambda: {c.params["message_id"] for c in tg.calls("deleteMessage") if c.ok}  # noqa: E731
        assert await tg.wait_until_async(lambda: keyboards <= deleted(), timeout=10), deleted()


async def test_an_error_message_in_a_channel_is_cleaned_up_too(tg: FakeTelegram, db_url: str) -> None:
    tg.make_channel(CHANNEL)
    async with running_bot(bot_settings(tg, db_url, ringkas_channel_cleanup_seconds=0.3)):
        tg.fail_next("sendMessage", 400, description="Bad Request: something odd")  # the confirmation fails
        assert "terjadi kesalahan" in await post(tg, "/langganan 07:00")
        apology = tg.messages_to(CHANNEL)[-1].message_id
        deleted = lambda: {c.params["message_id"] for c in tg.calls("deleteMessage") if c.ok}  # noqa: E731
        assert await tg.wait_until_async(lambda: apology in deleted(), timeout=10)
