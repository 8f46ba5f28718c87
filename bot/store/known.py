"""Which feed items are stored already: by canonical URL anywhere, or by guid within one feed."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.db import Database
from bot.store.models import Article

# Stored URLs and guids are looked up this many at a time (well under any bind-parameter limit).
LOOKUP_CHUNK = 500


async def is_stored(session: AsyncSession, feed_id: int, canonical: str, guid: str | None) -> bool:
    """Whether an article with this canonical URL, or this feed's guid, is stored already."""
    query = select(Article.id).where(Article.canonical_url == canonical)
    if await session.scalar(query.limit(1)) is not None:
        return True
    if guid:
        query = select(Article.id).where(Article.feed_id == feed_id, Article.guid == guid)
        return await session.scalar(query.limit(1)) is not None
    return False


async def stored_links(
    db: Database, feed_id: int, canonicals: Sequence[str], guids: Sequence[str]
) -> tuple[set[str], set[str]]:
    """(the canonical URLs stored anywhere, the guids stored for this feed) among those given,
    one query per chunk rather than per item."""
    known_urls: set[str] = set()
    known_guids: set[str] = set()
    async with db.sessionmaker() as session:
        for start in range(0, len(canonicals), LOOKUP_CHUNK):
            chunk = list(canonicals[start : start + LOOKUP_CHUNK])
            known_urls.update(
                await session.scalars(select(Article.canonical_url).where(Article.canonical_url.in_(chunk)))
            )
        for start in range(0, len(guids), LOOKUP_CHUNK):
            query = select(Article.guid).where(
                Article.feed_id == feed_id, Article.guid.in_(list(guids[start : start + LOOKUP_CHUNK]))
            )
            known_guids.update(g for g in await session.scalars(query) if g)
    return known_urls, known_guids
