"""Which feed items are stored already: by canonical URL anywhere, or by guid within one feed."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.db import Database
from bot.store.models import Article

# Stored URLs and guids are looked up this many at a time (well under any bind-parameter limit).
LOOKUP_CHUNK = 500


async def stored_in(
    session: AsyncSession, feed_id: int, canonicals: Sequence[str], guids: Sequence[str]
) -> tuple[set[str], set[str]]:
    """(the canonical URLs stored anywhere, the guids stored for this feed) among those given,
    one query per chunk rather than per item, in the session's transaction."""
    known_urls: set[str] = set()
    known_guids: set[str] = set()
    for start in range(0, len(canonicals), LOOKUP_CHUNK):
        chunk = list(canonicals[start : start + LOOKUP_CHUNK])
        known_urls.update(await session.scalars(select(Article.canonical_url).where(Article.canonical_url.in_(chunk))))
    for start in range(0, len(guids), LOOKUP_CHUNK):
        query = select(Article.guid).where(
            Article.feed_id == feed_id, Article.guid.in_(list(guids[start : start + LOOKUP_CHUNK]))
        )
        known_guids.update(g for g in await session.scalars(query) if g)
    return known_urls, known_guids


async def stored_links(
    db: Database, feed_id: int, canonicals: Sequence[str], guids: Sequence[str]
) -> tuple[set[str], set[str]]:
    """``stored_in`` in a session of its own."""
    if not canonicals and not guids:
        return set(), set()
    async with db.sessionmaker() as session:
        return await stored_in(session, feed_id, canonicals, guids)
