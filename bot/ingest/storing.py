"""Storing a feed's extracted items: a batch in one transaction, item by item only when the batch fails.

One transaction per item cost a connection checkout, the feed row, a stored-already lookup and a
commit (on PostgreSQL a WAL flush) for every article, each a round trip taken while holding the
process's write lock. A batch takes them once: the feed row, one lookup for the whole batch, one
commit. Grouping still sees every earlier article (``assign_story`` flushes each one into the same
transaction). When any item of a batch fails (a bad value, another process storing the same URL a
moment earlier), the batch is rolled back and its items are stored one at a time, each in its own
transaction as before: the failing item is dropped with a warning, and no other article is lost.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot import metrics
from bot.ingest.extract import Extracted, publication_time
from bot.ingest.feeditems import FeedItem
from bot.ingest.feedstate import FeedResult
from bot.ingest.workers import Work, WorkerLost, WorkTimeout
from bot.store import stories
from bot.store.db import Database
from bot.store.known import stored_in
from bot.store.models import Article, Feed
from bot.store.pairs import Fingerprint, fingerprint
from bot.store.search import index_articles
from bot.store.story_updates import note_story_update

logger = logging.getLogger(__name__)

# Items stored per transaction. The write lock is held for the whole batch (about 10-30 ms an
# item for grouping and indexing), so this bounds how long other writers in the process wait.
BATCH_ITEMS = 25


def stored_title(item: FeedItem) -> str:
    """The headline as an article row keeps it."""
    return item.title[:500]


async def worker_fingerprint(work: Work, item: FeedItem, text: str) -> Fingerprint | None:
    """Grouping's fingerprint of the article, made in a parse worker: the ingesting process stores
    articles one after another, and this is the largest part of grouping that needs only the article.
    None (grouping then makes it itself) when the worker cannot."""
    try:
        return await work.run(fingerprint, stored_title(item), text)
    except (WorkTimeout, WorkerLost) as exc:
        logger.warning("fingerprint left to grouping url=%s: %s", item.url, exc)
        return None


@dataclass(frozen=True)
class Ready:
    """A new feed item with its canonical URL and extracted article, ready to store."""

    item: FeedItem
    canonical: str
    extracted: Extracted
    print_: Fingerprint | None = None  # grouping's fingerprint of (stored title, text), made in a parse worker


@dataclass
class _Outcome:
    """What one transaction stored: new articles' story ids (None: no story) and duplicates skipped."""

    stories: list[int | None] = field(default_factory=list)
    duplicate: int = 0


async def store_batch(
    db: Database, feed_id: int, batch: list[Ready], now: datetime, result: FeedResult, warnings: list[str]
) -> None:
    """Store the items in one transaction; on any failure, each in its own. Counts go to ``result``."""
    if not batch:
        return
    try:
        # Stores run one transaction at a time so that grouping into stories sees every earlier
        # article, also on PostgreSQL where concurrent transactions would not see each other's rows.
        async with db.write_lock, db.sessionmaker.begin() as session:
            outcome = await _store_all(session, feed_id, batch, now)
    except Exception as exc:  # the batch is rolled back whole; nothing of it was stored
        if len(batch) == 1 and isinstance(exc, IntegrityError):  # stored by another process a moment ago
            result.duplicate += 1
            logger.info("duplicate on insert feed=%d url=%s", feed_id, batch[0].canonical)
            return
        logger.info(
            "feed id=%d: batch of %d items rolled back (%s: %s); storing them one by one",
            feed_id,
            len(batch),
            type(exc).__name__,
            " ".join(str(exc).split())[:200],  # one line: a database error spans several
        )
    else:
        _count(outcome, result)
        return
    for ready in batch:  # outside the handler: an item's own failure is logged without the batch's
        await _store_one(db, feed_id, ready, now, result, warnings)


async def _store_all(session: AsyncSession, feed_id: int, batch: list[Ready], now: datetime) -> _Outcome:
    """Insert every item not stored yet (by canonical URL anywhere, or guid in this feed); flushed, not committed."""
    outcome = _Outcome()
    feed = await session.get(Feed, feed_id)
    if feed is None:  # removed while its items were extracted
        return outcome
    guids = [r.item.guid for r in batch if r.item.guid]
    known_urls, known_guids = await stored_in(session, feed_id, [r.canonical for r in batch], guids)
    articles: list[Article] = []
    for ready in batch:
        guid = ready.item.guid
        if ready.canonical in known_urls or (guid and guid in known_guids):
            outcome.duplicate += 1
            continue
        article = await _store_item(session, feed, ready, now)
        known_urls.add(ready.canonical)  # the same article twice in one batch is stored once
        if guid:
            known_guids.add(guid)
        articles.append(article)
        outcome.stories.append(article.story_id)
    await index_articles(session, articles)  # one statement for the batch (two on SQLite)
    return outcome


async def _store_one(
    db: Database, feed_id: int, ready: Ready, now: datetime, result: FeedResult, warnings: list[str]
) -> None:
    """Store one item in a transaction of its own; a failure drops the item with a warning, never the feed."""
    try:
        async with db.write_lock, db.sessionmaker.begin() as session:
            outcome = await _store_all(session, feed_id, [ready], now)
    except IntegrityError:  # another feed or process stored the same article a moment ago
        result.duplicate += 1
        logger.info("duplicate on insert feed=%d url=%s", feed_id, ready.canonical)
        return
    except Exception as exc:  # one bad item must not stop the feed; the traceback says why
        logger.exception("item dropped feed=%d url=%s", feed_id, ready.item.url)
        warnings.append(f"item {ready.item.url[:200]!r} dropped: {type(exc).__name__}: {exc}"[:500])
        return
    _count(outcome, result)


def _count(outcome: _Outcome, result: FeedResult) -> None:
    """Add a committed transaction's articles, stories and duplicates to the feed's result."""
    result.new += len(outcome.stories)
    result.duplicate += outcome.duplicate
    metrics.ARTICLES_STORED.inc(len(outcome.stories))  # once committed: the one place articles are stored
    for story_id in outcome.stories:
        if story_id is not None and story_id not in result.new_story_ids:
            result.new_story_ids.append(story_id)


async def _store_item(session: AsyncSession, feed: Feed, ready: Ready, now: datetime) -> Article:
    """Insert the article, group it into a story and leave the story for the alert scan; return the row.

    Its search index row is written with the rest of its batch (``_store_all``)."""
    item, extracted = ready.item, ready.extracted
    article = Article(
        feed_id=feed.id,
        guid=item.guid,
        url=item.url,
        canonical_url=ready.canonical,
        title=stored_title(item),
        author=item.author or extracted.author,
        published_at=publication_time(item, extracted),
        first_seen_at=now,
        source=feed.name,
        category=feed.category,
        text=extracted.text,
        summary=[[i, s] for i, s in extracted.summary],
        fulltext_status=extracted.status,
        image_url=extracted.image or item.image_url,  # og:image is made for sharing: larger than a feed thumbnail
    )
    session.add(article)
    await session.flush()
    await stories.assign_story(session, article, print_=ready.print_)
    if article.story_id is not None:  # in this transaction: the scan sees the story once it is stored
        await note_story_update(session, article.story_id)
    return article
