"""A reader's choice of whole media groups: the enabled feeds of each group, and including or
excluding them together.

A group choice is stored as the exclusion of each of the group's feeds (the same rows a single
feed's button writes), so the digest's selection needs no second rule; a feed added to the group
later is included, as any new feed is.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.feeds import enabled_feeds
from bot.store.mediagroups import media_groups
from bot.store.models import Feed, SourceFilter


async def feeds_by_group(session: AsyncSession) -> dict[str, list[Feed]]:
    """Enabled feeds under their media group (from the feed's host), groups in the data file's order."""
    groups = media_groups()
    found: dict[str, list[Feed]] = {}
    for feed in await enabled_feeds(session):
        group = groups.group_of_url(feed.url)
        if group is not None:
            found.setdefault(group, []).append(feed)
    order = {name: n for n, name in enumerate(groups.groups())}
    return dict(sorted(found.items(), key=lambda item: order.get(item[0], len(order))))


async def set_feeds_excluded(
    session: AsyncSession, subscriber_id: int, feed_ids: Collection[int], excluded: bool
) -> None:
    """Exclude every given feed from a subscriber's digest, or include them all again."""
    values = [str(feed_id) for feed_id in feed_ids]
    where = (SourceFilter.subscriber_id == subscriber_id, SourceFilter.kind == "feed")
    await session.execute(delete(SourceFilter).where(*where, SourceFilter.value.in_(values)))
    if excluded:
        session.add_all(SourceFilter(subscriber_id=subscriber_id, kind="feed", value=v) for v in values)
    await session.flush()
