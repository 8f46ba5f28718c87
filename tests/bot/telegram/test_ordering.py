"""One chat's updates run in arrival order, one at a time; many chats still run side by side."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from telegram import Chat, Message, Update, User

from bot.clock import ManualClock
from bot.store.models import Follow, Subscriber
from bot.telegram.ordering import ChatOrderedProcessor
from tests.bot.botharness import USER_ID, bot_settings, insert_story, running_bot, runtime
from tests.bot.telegram.test_delivery import JAKARTA, digests_to
from tests.fakes import FakeTelegram

CHATS = 300
FIRST_CHAT = 70_000
BURST = 1000


def fake_update(update_id: int, chat_id: int) -> Update:
    """A minimal message update in a private chat."""
    chat = Chat(chat_id, Chat.PRIVATE)
    message = Message(update_id, datetime.now(UTC), chat, from_user=User(chat_id, "x", False), text="x")
    return Update(update_id, message=message)


async def test_processor_orders_per_chat_bounds_concurrency_and_forgets_idle_chats() -> None:
    processor = ChatOrderedProcessor(running=4)
    seen: dict[int, list[int]] = {}
    active = peak = 0

    async def handle(update_id: int, chat_id: int) -> None:
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        await asyncio.sleep(0.001 * (update_id % 3))  # later updates sometimes finish sooner
        seen.setdefault(chat_id, []).append(update_id)
        active -= 1

    updates = [(i, 10 + i % 7) for i in range(200)]
    async with processor:
        await asyncio.gather(*(processor.process_update(fake_update(i, c), handle(i, c)) for i, c in updates))
        assert processor.chats_tracked == 0
    assert peak <= 4
    for chat, ids in seen.items():
        assert ids == sorted(ids) and len(ids) == len([u for u in updates if u[1] == chat])


async def test_start_then_subscribe_in_one_batch_keeps_every_time(tg: FakeTelegram, db_url: str) -> None:
    clock = ManualClock(datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=1))
    when = f"{(clock.now() + timedelta(minutes=3)).astimezone(JAKARTA):%H:%M}"
    settings = bot_settings(tg, db_url, ringkas_digest_time="07:00" if when != "07:00" else "08:00")
    chats = [FIRST_CHAT + i for i in range(CHATS)]
    async with running_bot(settings, clock=clock) as app:
        await insert_story(
            runtime(app).services.db, "Banjir Rendam Kemang", ["Banjir merendam Kemang."], url="https://kabar.example/1"
        )
        for chat in chats:  # all queued before the bot's next getUpdates
            tg.send_text(chat, "/start")
            tg.send_text(chat, f"/langganan {when}")
        assert await tg.wait_until_async(lambda: all(len(tg.messages_to(c)) >= 2 for c in chats), timeout=120)
        for chat in chats:
            first, second = tg.messages_to(chat)[:2]
            assert "Halo" in (first.text or "") and when in (second.text or "")
        async with runtime(app).services.db.sessionmaker() as session:
            times = Counter((await session.scalars(select(Subscriber.digest_time))).all())
        assert times == {when: CHATS}
        clock.advance(timedelta(minutes=3))
        assert await tg.wait_until_async(lambda: all(digests_to(tg, c) for c in chats), timeout=120)
        clock.advance(timedelta(minutes=30))
        await tg.wait_until_async(lambda: False, timeout=1.0)  # several more ticks
        assert {len(digests_to(tg, c)) for c in chats} == {1}


async def test_a_burst_of_follows_stops_at_the_cap_with_a_refusal(tg: FakeTelegram, db_url: str) -> None:
    async with running_bot(bot_settings(tg, db_url)) as app:
        for n in range(BURST):
            tg.send_text(USER_ID, f"/ikuti topik{n}")
        assert await tg.wait_until_async(lambda: len(tg.messages_to(USER_ID)) >= BURST, timeout=240)
        async with runtime(app).services.db.sessionmaker() as session:
            stored = await session.scalar(select(func.count()).select_from(Follow))
        assert stored == 20
        replies = [m.text or "" for m in tg.messages_to(USER_ID)]
        assert sum("Anda akan diberi tahu" in r for r in replies) == 20
        assert sum("Maksimal 20 topik" in r for r in replies) == BURST - 20
        assert all("topik" + str(n) in replies[n] for n in range(20))  # handled in arrival order
