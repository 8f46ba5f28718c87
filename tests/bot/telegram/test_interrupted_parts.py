"""A part left marked in flight by a sender that died is never sent again; the rest of the delivery is.

The marks are what a killed sender leaves behind (``deliveries.sending_part`` at or above
``parts_sent``); a stale mark below ``parts_sent`` (that part was confirmed) changes nothing.
"""

from __future__ import annotations

from sqlalchemy import select
from telegram import Bot

from bot.store.db import Database
from bot.store.models import Delivery, Subscriber
from bot.telegram.delivery import Sender
from bot.telegram.delivery_load import UNCONFIRMED
from tests.fakes import FakeTelegram


async def left_by_a_dead_sender(db: Database, parts: list[str], parts_sent: int, sending_part: int | None) -> int:
    async with db.sessionmaker.begin() as session:
        subscriber = Subscriber(chat_id=6100 + len(parts) * 10 + parts_sent)
        session.add(subscriber)
        await session.flush()
        delivery = Delivery(
            subscriber_id=subscriber.id, kind="alert", key=f"k{len(parts)}-{parts_sent}-{sending_part}",
            payload=parts, parts_sent=parts_sent, sending_part=sending_part, claimed_by="dead:1:x",
        )  # fmt: skip
        session.add(delivery)
        await session.flush()
        return delivery.id


async def test_the_part_in_doubt_is_skipped_and_the_rest_sent(tg: FakeTelegram, database: Database) -> None:
    only = await left_by_a_dead_sender(database, ["satu"], 0, 0)
    first_of_two = await left_by_a_dead_sender(database, ["satu", "dua"], 0, 0)
    stale = await left_by_a_dead_sender(database, ["satu", "dua"], 1, 0)  # part 1 confirmed, part 2 not begun
    sender = Sender(Bot(tg.token, base_url=tg.api_url), database)
    outcomes = await sender.send_many([only, first_of_two, stale])  # no lease on them: free to claim
    await sender.close()
    assert sorted((o.delivery_id, o.status, o.parts) for o in outcomes) == [
        (first_of_two, "sent", 2),
        (stale, "sent", 2),
    ]
    assert sorted((m.chat_id, m.text) for m in tg.sent) == [(6120, "dua"), (6121, "dua")]
    async with database.sessionmaker() as session:
        rows = {d.id: d for d in (await session.scalars(select(Delivery))).all()}
    assert rows[only].status == "sent" and rows[only].error == UNCONFIRMED and rows[only].parts_sent == 1
    assert all(rows[i].status == "sent" and rows[i].sending_part is None for i in (first_of_two, stale))
