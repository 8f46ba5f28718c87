"""When a subscriber's next digest is due, as one UTC instant the digest clock can index.

A digest time is a local wall-clock time (``HH:MM``) in the subscriber's IANA timezone. These
functions turn it into UTC instants with ``zoneinfo``, so a zone with daylight saving would be
handled too (Indonesia's WIB, WITA and WIT have none). Pure functions: no database.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

logger = logging.getLogger(__name__)

ONE_DAY = timedelta(days=1)


def local_day(moment: datetime, tz: str) -> date:
    """The date on the subscriber's wall calendar at ``moment``."""
    return moment.astimezone(ZoneInfo(tz)).date()


def occurrence(day: date, digest_time: str, tz: str) -> datetime:
    """The UTC instant at which ``digest_time`` comes on a local ``day``."""
    hour, minute = (int(part) for part in digest_time.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def first_after(moment: datetime, digest_time: str, tz: str) -> datetime:
    """The first occurrence of ``digest_time`` strictly after ``moment``."""
    day = local_day(moment, tz)
    at = occurrence(day, digest_time, tz)
    return at if at > moment else occurrence(day + ONE_DAY, digest_time, tz)


def next_day_occurrence(now: datetime, digest_time: str, tz: str) -> datetime:
    """The occurrence on the local day after ``now``'s: the next one once today's digest is queued."""
    return occurrence(local_day(now, tz) + ONE_DAY, digest_time, tz)


def scheduled_due(
    *, active: bool, subscribed: bool, digest_time: str, tz: str, changed_at: datetime | None, now: datetime
) -> datetime | None:
    """The next digest's due time for a schedule, or None when no digest is wanted.

    A schedule set at ``changed_at`` starts with its next occurrence (a time already past
    that day starts the day after). A schedule older than the record of its change counts
    from today, so today's time is due even if it has passed (as for a digest missed while
    the bot was down).
    """
    if not (active and subscribed):
        return None
    if changed_at is not None:
        return first_after(changed_at, digest_time, tz)
    return occurrence(local_day(now, tz), digest_time, tz)
