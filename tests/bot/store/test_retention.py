"""Retention drops the text of what was sent and keeps what a pending resend needs, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from bot.store.db import Database
from bot.store.models import Delivery, DeliveryBody, Subscriber
from bot.store.retention import BODY_GRACE, prune

DIGEST = ["📰 <b>Ringkasan</b> bagian 1", "bagian 2"]
BUTTONS = [["Sumber lain (2)", "lain:1"]]


async def fill(db: Database) -> tuple[int, list[int], int]:
    """One body shared by three digests, and one alert with its own text; (body, digest ids, alert id)."""
    async with db.sessionmaker.begin() as session:
        subs = [Subscriber(chat_id=100 + i) for i in range(3)]
        body = DeliveryBody(payload=DIGEST, buttons=BUTTONS, created_at=datetime.now(UTC) - 2 * BODY_GRACE)
        session.add_all([*subs, body])
        await session.flush()
        digests = [Delivery(subscriber_id=s.id, kind="digest", key="digest:2026-12-01", body_id=body.id) for s in subs]
        alert = Delivery(subscriber_id=subs[0].id, kind="alert", key="alert:1", payload=["🔔 Berita baru"])
        session.add_all([*digests, alert])
        await session.flush()
        return body.id, [d.id for d in digests], alert.id


async def mark_sent(db: Database, *ids: int) -> None:
    async with db.sessionmaker.begin() as session:
        await session.execute(update(Delivery).where(Delivery.id.in_(ids)).values(status="sent"))


async def rows(db: Database) -> dict[int, tuple[str, list[str], int | None]]:
    async with db.sessionmaker() as session:
        found = await session.execute(select(Delivery.id, Delivery.status, Delivery.payload, Delivery.body_id))
        return {did: (status, payload, body) for did, status, payload, body in found}


async def bodies(db: Database) -> list[int]:
    async with db.sessionmaker() as session:
        return list((await session.scalars(select(DeliveryBody.id))).all())


async def test_sent_text_goes_and_a_pending_resend_keeps_its_body(database: Database) -> None:
    body, (first, second, third), alert = await fill(database)
    await mark_sent(database, first, second, alert)
    await prune(database, 30)
    after = await rows(database)
    assert after[alert] == ("sent", [], None)  # its own text dropped
    assert after[third] == ("pending", [], body) and await bodies(database) == [body]  # still needed
    await mark_sent(database, third)
    await prune(database, 30)
    assert await bodies(database) == []
    assert {did: r[2] for did, r in (await rows(database)).items()} == dict.fromkeys((first, second, third, alert))


async def test_a_pending_alert_and_a_fresh_body_are_kept(database: Database) -> None:
    body, digests, alert = await fill(database)
    await mark_sent(database, *digests)
    await prune(database, 30, now=datetime.now(UTC) - timedelta(hours=1, minutes=30))  # body younger than the grace
    assert await bodies(database) == [body]
    assert (await rows(database))[alert] == ("pending", ["🔔 Berita baru"], None)
