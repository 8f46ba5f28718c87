"""Privacy through the real application: /privasi, and /hapusdata erasing a chat after confirmation."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from bot.store.models import Delivery, Follow, Mute, Subscriber
from bot.telegram.ledger import create_delivery
from tests.bot.botharness import USER_ID, bot_settings, running_bot, runtime
from tests.bot.telegram.conversation import ask, subscriber_of
from tests.fakes import FakeTelegram


async def _counts(app, chat: int) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
    async with runtime(app).services.db.sessionmaker() as session:
        ids = select(Subscriber.id).where(Subscriber.chat_id == chat)
        counts = []
        for model in (Follow, Mute, Delivery):
            counts.append(
                await session.scalar(select(func.count()).select_from(model).where(model.subscriber_id.in_(ids))) or 0
            )
        subs = await session.scalar(select(func.count()).select_from(Subscriber).where(Subscriber.chat_id == chat))
        return subs or 0, counts[0], counts[1], counts[2]


async def _press(tg: FakeTelegram, chat: int, user: int, data: str, message_id: int, *, edits_it: bool = True) -> str:
    edits = len(tg.calls("editMessageText"))
    answers = len(tg.calls("answerCallbackQuery"))
    tg.press_button(chat, user, data, message_id)
    await tg.wait_until_async(
        lambda: (
            len(tg.calls("answerCallbackQuery")) > answers
            and (len(tg.calls("editMessageText")) > edits or not edits_it)
        ),
        timeout=10,
    )
    new = tg.calls("editMessageText")[edits:]
    return (new[-1].text or "") if new else ""


async def test_privacy_text_and_erase_after_confirmation(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        text = await ask(tg, "/privasi")
        assert "Yang disimpan" in text and "30 hari" in text and "/hapusdata" in text
        assert "cadangan yang dibuat pengelola bot sebelumnya masih memuatnya" in text  # what backups keep
        await ask(tg, "/langganan 07:00")
        await ask(tg, "/ikuti banjir")
        await ask(tg, "/bisukan gosip")
        async with runtime(app).services.db.sessionmaker.begin() as session:
            await create_delivery(session, (await subscriber_of(app)).id, "digest", "digest:x", ["📰 Uji"])
        assert await _counts(app, USER_ID) == (1, 1, 1, 1)
        assert "tidak bisa dibatalkan" in await ask(tg, "/hapusdata")
        confirm = tg.messages_to(USER_ID)[-1]
        assert confirm.reply_markup is not None
        assert "tidak dihapus" in await _press(tg, USER_ID, USER_ID, "priv:keep", confirm.message_id or 0)
        assert await _counts(app, USER_ID) == (1, 1, 1, 1)
        await ask(tg, "/deletedata")
        confirm = tg.messages_to(USER_ID)[-1]
        assert "sudah dihapus" in await _press(tg, USER_ID, USER_ID, "priv:erase", confirm.message_id or 0)
        assert await _counts(app, USER_ID) == (0, 0, 0, 0)


async def test_only_a_group_admin_can_erase_a_group(tg: FakeTelegram, db_url: str) -> None:
    group, admin, member = -100321, 42, 43
    tg.set_chat_admins(group, [admin])
    tg.make_forum(group, [7])
    async with running_bot(bot_settings(tg, db_url)) as app:
        assert "hanya admin" in await ask(tg, "/hapusdata", chat=group, user=member, chat_type="supergroup")
        await ask(tg, "/langganan", chat=group, user=admin, chat_type="supergroup")
        tg.send_in_topic(group, 7, "/langganan", user_id=admin)
        await tg.wait_for_messages_async(group, 3)
        await ask(tg, "/hapusdata", chat=group, user=admin, chat_type="supergroup")
        confirm = tg.messages_to(group)[-1]
        # A member's (forged) press on the admin's confirmation erases nothing.
        await _press(tg, group, member, "priv:erase", confirm.message_id or 0, edits_it=False)
        assert (await _counts(app, group))[0] == 2
        assert "sudah dihapus" in await _press(tg, group, admin, "priv:erase", confirm.message_id or 0)
        assert await _counts(app, group) == (0, 0, 0, 0)


async def test_erased_data_leaves_no_trace_in_the_sqlite_files(tg: FakeTelegram, db_url: str, tmp_path: Path) -> None:
    topic, word = b"rahasiatopikku", b"rahasiabisuku"
    files = [tmp_path / "bot.db", tmp_path / "bot.db-wal"]

    def on_disk(secret: bytes) -> bool:
        return any(secret in path.read_bytes() for path in files if path.exists())

    async with running_bot(bot_settings(tg, db_url)):
        await ask(tg, f"/ikuti {topic.decode()}")
        await ask(tg, f"/bisukan {word.decode()}")
        assert on_disk(topic) and on_disk(word)
        await ask(tg, "/hapusdata")
        confirm = tg.messages_to(USER_ID)[-1]
        assert "sudah dihapus" in await _press(tg, USER_ID, USER_ID, "priv:erase", confirm.message_id or 0)
        # Neither in the database file's free space nor in the write-ahead log's older pages.
        assert not on_disk(topic) and not on_disk(word)
