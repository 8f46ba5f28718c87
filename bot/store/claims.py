"""Shared work between processes: feeds and deliveries claimed with a lease that expires.

A claim is one ``UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING id``: on
PostgreSQL concurrent claimers skip each other's rows instead of waiting for them, and the row
records who holds it (``claimed_by``) and until when (``lease_until``). A process renews the
leases it holds every third of the lease (``renew_leases``); a process that is killed stops
renewing, and once its leases run out another process claims the same rows. On SQLite the same
statement runs without ``FOR UPDATE`` (SQLite has no row locks; one writer at a time does the
same job). Times are the processes' clocks, in UTC: the processes sharing a database must keep
their clocks in step (NTP), far closer than a lease.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, null, or_, select, update

from bot.store.base import utcnow
from bot.store.db import Database
from bot.store.models import Delivery, Feed

logger = logging.getLogger(__name__)

DEFAULT_LEASE_SECONDS = 60.0


def process_name() -> str:
    """This process's name in ``claimed_by``: host, pid and a random tag (a pid can come back)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def _free(model: Any, now: datetime) -> ColumnElement[bool]:
    """Rows nobody holds, or whose holder's lease ran out."""
    return or_(model.lease_until.is_(None), model.lease_until <= now)


def _claim_statement(model: Any, chosen: Select[Any], owner: str, until: datetime) -> Any:
    """Claim the rows ``chosen`` selects (locked, skipping rows another claimer holds); returns their ids."""
    return (
        update(model)
        .where(model.id.in_(chosen.with_for_update(skip_locked=True)))
        .values(claimed_by=owner, lease_until=until)
        .returning(model.id)
        .execution_options(synchronize_session=False)
    )


async def claim_due_feeds(
    db: Database,
    owner: str,
    *,
    limit: int,
    lease: float = DEFAULT_LEASE_SECONDS,
    now: datetime | None = None,
    exclude: Collection[int] = (),
) -> list[int]:
    """Claim up to ``limit`` enabled feeds that are due and free, soonest due first."""
    now = now or utcnow()
    chosen = (
        select(Feed.id)
        .where(Feed.enabled.is_(True), or_(Feed.next_fetch_at.is_(None), Feed.next_fetch_at <= now), _free(Feed, now))
        .order_by(Feed.next_fetch_at.asc().nulls_first(), Feed.id)
        .limit(limit)
    )
    if exclude:
        chosen = chosen.where(Feed.id.not_in(list(exclude)))
    async with db.sessionmaker.begin() as session:
        ids = sorted(
            (await session.scalars(_claim_statement(Feed, chosen, owner, now + timedelta(seconds=lease)))).all()
        )
    if ids:
        logger.debug("feeds claimed owner=%s count=%d", owner, len(ids))
    return ids


async def release_feeds(db: Database, owner: str, ids: Collection[int]) -> None:
    """Give back feeds this process holds (their next fetch time now keeps others away)."""
    if not ids:
        return
    async with db.sessionmaker.begin() as session:
        await session.execute(
            update(Feed)
            .where(Feed.id.in_(list(ids)), Feed.claimed_by == owner)
            .values(claimed_by=null(), lease_until=null())
            .execution_options(synchronize_session=False)
        )


async def claim_deliveries(
    db: Database,
    owner: str,
    *,
    limit: int,
    lease: float = DEFAULT_LEASE_SECONDS,
    ids: Collection[int] | None = None,
    after: int = 0,
    now: datetime | None = None,
) -> list[int]:
    """Claim up to ``limit`` pending deliveries that are free (among ``ids`` when given, with ids above
    ``after``), oldest first."""
    now = now or utcnow()
    chosen = select(Delivery.id).where(Delivery.status == "pending", Delivery.id > after, _free(Delivery, now))
    if ids is not None:
        if not ids:
            return []
        chosen = chosen.where(Delivery.id.in_(list(ids)))
    chosen = chosen.order_by(Delivery.id).limit(limit)
    async with db.sessionmaker.begin() as session:
        statement = _claim_statement(Delivery, chosen, owner, now + timedelta(seconds=lease))
        return sorted((await session.scalars(statement)).all())


async def release_deliveries(db: Database, owner: str, ids: Collection[int]) -> None:
    """Give back the deliveries among ``ids`` this process holds that are still pending.

    Finished ones keep ``claimed_by``: the ledger then says which process sent each.
    """
    if not ids:
        return
    async with db.sessionmaker.begin() as session:
        await session.execute(
            update(Delivery)
            .where(Delivery.id.in_(list(ids)), Delivery.claimed_by == owner, Delivery.status == "pending")
            .values(claimed_by=null(), lease_until=null())
            .execution_options(synchronize_session=False)
        )


async def renew_leases(db: Database, owner: str, *, lease: float = DEFAULT_LEASE_SECONDS) -> int:
    """Extend every lease this process holds; how many rows it holds."""
    until = utcnow() + timedelta(seconds=lease)
    held = 0
    async with db.sessionmaker.begin() as session:
        for model, still_open in ((Feed, Feed.claimed_by == owner), (Delivery, Delivery.status == "pending")):
            result = await session.execute(
                update(model)
                .where(model.claimed_by == owner, model.lease_until.is_not(None), still_open)
                .values(lease_until=until)
                .execution_options(synchronize_session=False)
            )
            held += max(0, getattr(result, "rowcount", 0) or 0)
    return held


async def free_delivery_leases(db: Database) -> None:
    """Let every pending delivery be claimed at once: for SQLite, where the one running process
    sends everything, and a lease left by its killed predecessor need not be waited out."""
    async with db.sessionmaker.begin() as session:
        await session.execute(
            update(Delivery)
            .where(Delivery.status == "pending", Delivery.lease_until.is_not(None))
            .values(lease_until=null())
            .execution_options(synchronize_session=False)
        )
