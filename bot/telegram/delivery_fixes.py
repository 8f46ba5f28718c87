"""What the sender does to the ledger and the subscribers when Telegram refuses or stalls a delivery."""

from __future__ import annotations

import logging

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from bot import metrics
from bot.store.db import Database
from bot.store.models import Delivery, Subscriber
from bot.telegram.ledger import DeliveryJob, Ledger

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


async def deactivate(db: Database, subscriber_id: int, reason: str) -> None:
    """Mark a subscriber inactive with the reason (Telegram refused the chat)."""
    async with db.sessionmaker.begin() as session:
        await session.execute(
            update(Subscriber).where(Subscriber.id == subscriber_id).values(active=False, deactivated_reason=reason)
        )
    logger.info("subscriber deactivated id=%d reason=%s", subscriber_id, reason)


async def move_chat(db: Database, ledger: Ledger, delivery: DeliveryJob, chat_id: int) -> bool:
    """Point the subscriber at its group's new supergroup id; False when that chat (and topic)
    already has a subscriber of its own, which then takes over and this row is deactivated."""
    try:
        async with db.sessionmaker.begin() as session:
            await session.execute(
                update(Subscriber).where(Subscriber.id == delivery.subscriber_id).values(chat_id=chat_id)
            )
    except IntegrityError:
        await deactivate(db, delivery.subscriber_id, f"migrated to {chat_id}, which has its own subscription")
        ledger.record(delivery.delivery_id, status="failed", error="chat migrated to a subscribed chat")
        return False
    return True


async def postpone(db: Database, owner: str, delivery: DeliveryJob, error: str) -> str:
    """Leave the delivery pending for a later pass (if it is still ``owner``'s), or give up after enough attempts."""
    attempts = delivery.attempts + 1
    status = "failed" if attempts >= MAX_ATTEMPTS else "pending"
    async with db.sessionmaker.begin() as session:
        await session.execute(
            update(Delivery)
            .where(Delivery.id == delivery.delivery_id, Delivery.claimed_by == owner)
            .values(attempts=attempts, error=error, status=status)
        )
    metrics.SEND_FAILURES.labels("postponed").inc()
    logger.warning("delivery postponed id=%d attempts=%d status=%s: %s", delivery.delivery_id, attempts, status, error)
    return "postponed" if status == "pending" else "failed"
