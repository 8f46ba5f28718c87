"""Grouping stored articles into stories and threads: the database side of ``bot.store.cluster``.

A new article's strongest terms look up the open stories that index any of them (``story_terms``),
which come back in the same statement with their latest members' fingerprints, threads and
headline vectors. ``bot.store.cluster`` decides; the article joins the story or starts one (in the
thread it fits, or a new one). Then the story's centroid, key terms, counts and headline (the member
closest to its centroid) are updated in one UPDATE, and its thread's latest time. The same function
serves ingestion and ``ringkas cluster``, so the offline evaluation measures what the bot does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.util import identity_key

from bot.store.cluster import DEFAULT_SETTINGS, ClusterSettings, Member, OpenStory, choose, key_terms, utc
from bot.store.models import Article, ArticlePrint, Story, StoryTerm, Thread
from bot.store.pairmodel import PairModels
from bot.store.pairrows import PackedPrint, pack
from bot.store.pairs import Fingerprint, dumps, fingerprint, loads
from bot.store.story_terms import candidates_statement, insert_statement, term_params
from bot.store.storyvec import add, cosine, decode, encode

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1024)  # about 15 MB at most: a centroid is a dict of 120 terms
def _decoded(text: str) -> dict[str, float]:
    """``decode``, remembered for the day's open stories; the dicts are shared: callers never change them."""
    return decode(text)


@lru_cache(maxsize=8192)
def _print(text: str) -> PackedPrint:
    """``loads`` and ``pack``, remembered: a story's latest members are compared with article after article."""
    return pack(loads(text))


def _decode(text: str, owner: int) -> dict[str, float]:
    """A stored vector, or an empty one (logged) if it cannot be read."""
    try:
        return _decoded(text)
    except ValueError as exc:
        logger.warning("story %s has an unreadable vector: %s", owner, exc)
    return {}


# The grouping's statements differ only in their values, article after article; PostgreSQL
# otherwise plans each execution afresh for its values (a "custom plan"), which for the
# candidate lookup's UNION took longer than running it. Transaction-local, PostgreSQL 12+.
_GENERIC_PLANS = text("SET LOCAL plan_cache_mode = force_generic_plan")


async def _generic_plans(session: AsyncSession) -> None:
    """On PostgreSQL, plan the rest of this transaction's statements once, not per execution."""
    dialect = session.get_bind().dialect
    if dialect.name == "postgresql" and (dialect.server_version_info or (0,)) >= (12,):
        await session.execute(_GENERIC_PLANS)


@dataclass
class _Candidates:
    """What the lookup found: open stories, their latest members, centroids and headlines."""

    stories: list[OpenStory] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    centroids: dict[int, dict[str, float]] = field(default_factory=dict)
    headlines: dict[int, tuple[int | None, str]] = field(default_factory=dict)


async def _candidates(
    session: AsyncSession, article: Article, keys: list[str], settings: ClusterSettings
) -> _Candidates:
    """Open stories sharing the most key terms with the article, with what deciding needs, in one statement.

    Each key term looks at most ``settings.per_term`` stories active within ``thread_idle``,
    the most recently active first: a term that dozens of open stories share says little
    about which one an article belongs to."""
    found = _Candidates()
    if not keys:
        return found
    await _generic_plans(session)
    params = {"since": article.published_at - settings.thread_idle, "per_term": settings.per_term}
    params |= {"candidates": settings.candidates, "members": settings.members}
    rows = (await session.execute(candidates_statement(len(keys)), {**term_params(keys), **params})).all()
    seen: set[int] = set()
    for row in rows:
        story_id = row.story_id
        if story_id not in seen:
            seen.add(story_id)
            found.stories.append(OpenStory(story_id, row.thread_id, row.first, row.thread_last))
        if row.centroid is not None:
            found.centroids[story_id] = _decode(row.centroid, story_id)
            found.headlines[story_id] = (row.lead_article_id, row.lead_signature or "")
        try:
            packed = _print(row.fingerprint)
            found.members.append(Member(story_id, packed.print, row.published_at, row.source, packed))
        except ValueError as exc:
            logger.warning("story %s has a member with an unreadable fingerprint: %s", story_id, exc)
    return found


async def _index_terms(
    session: AsyncSession, story_id: int, before: list[str], after: list[str], when: datetime, moved: bool
) -> None:
    """Keep the story's indexed key terms, and their time ``when``, in step with its centroid:
    rewritten (in one INSERT) when the set of terms changed, else their time updated if it ``moved``."""
    if set(before) != set(after):
        await session.execute(delete(StoryTerm).where(StoryTerm.story_id == story_id))
        if after:
            await session.execute(
                insert_statement(len(after)), {"story_id": story_id, "at": when, **term_params(after)}
            )
    elif moved and after:
        await session.execute(update(StoryTerm).where(StoryTerm.story_id == story_id).values(last_published_at=when))


async def _touch_thread(session: AsyncSession, thread_id: int, when: datetime, stories: int) -> None:
    """Move the thread's latest time forward to ``when`` and count ``stories`` more stories."""
    later = func.max(Thread.last_published_at, when) if session.get_bind().dialect.name == "sqlite" else None
    values: dict[str, object] = {"story_count": Thread.story_count + stories}
    values["last_published_at"] = later if later is not None else func.greatest(Thread.last_published_at, when)
    await session.execute(update(Thread).where(Thread.id == thread_id).values(values))


def _keep_print(session: AsyncSession, article: Article, story_id: int, print_: Fingerprint) -> None:
    """Add the article's row of ``article_prints``, for the next flush (one flush writes it with the article)."""
    session.add(ArticlePrint(article_id=article.id, story_id=story_id, published_at=article.published_at,
                             source=article.source, fingerprint=dumps(print_)))  # fmt: skip


async def _start_story(
    session: AsyncSession, article: Article, print_: Fingerprint, thread_id: int | None, settings: ClusterSettings
) -> int:
    """Insert a story made of the article alone, in its thread (a new one if None), with its key terms; its id."""
    if thread_id is None:
        thread = Thread(
            title=article.title, first_seen_at=article.first_seen_at, last_published_at=article.published_at
        )
        session.add(thread)
        await session.flush()
        thread_id = thread.id
    else:
        await _touch_thread(session, thread_id, article.published_at, 1)
    story = Story(
        title=article.title,
        category=article.category,
        first_seen_at=article.first_seen_at,
        updated_at=article.first_seen_at,
        article_count=1,
        source_count=1,
        independent_count=1,
        promo_count=int(print_.promo),
        lead_article_id=article.id,
        last_published_at=article.published_at,
        thread_id=thread_id,
        centroid=encode(add({}, print_.body, settings.centroid_terms)),
    )
    article.story = story  # one flush inserts the story and points the article at it
    await session.flush()
    _keep_print(session, article, story.id, print_)
    terms = key_terms(print_.body, settings.story_keys)
    if terms:
        await session.execute(
            insert_statement(len(terms)), {"story_id": story.id, "at": article.published_at, **term_params(terms)}
        )
    return story.id


async def _join_story(
    session: AsyncSession,
    article: Article,
    story: OpenStory,
    found: _Candidates,
    print_: Fingerprint,
    settings: ClusterSettings,
) -> None:
    """Make the article a member of ``story``: one UPDATE of the story, whose counts the database
    takes from its members, the article among them; its thread's latest time; its key terms."""
    sid = story.story_id
    article.story_id = sid
    _keep_print(session, article, sid, print_)
    await session.flush()  # the article must be a member when the counts are taken
    before = found.centroids.get(sid, {})
    centroid = add(before, print_.body, settings.centroid_terms)
    of_story = Article.story_id == sid
    counts = {
        "article_count": select(func.count()).where(of_story).scalar_subquery(),
        "source_count": select(func.count(func.distinct(Article.source))).where(of_story).scalar_subquery(),
        "independent_count": select(func.count(func.distinct(Article.source)))
        .where(of_story, Article.syndicated.is_(False))
        .scalar_subquery(),
        "promo_count": select(func.count()).where(of_story, Article.promo.is_(True)).scalar_subquery(),
    }
    values: dict[str, object] = {"centroid": encode(centroid), "updated_at": article.first_seen_at, **counts}
    latest = max((utc(m.published_at) for m in found.members if m.story_id == sid), default=None)
    moved = latest is None or utc(article.published_at) > latest
    if moved:
        values["last_published_at"] = article.published_at
    lead_id, lead_signature = found.headlines.get(sid, (None, ""))
    current = _decode(lead_signature, sid) if lead_signature else {}
    if lead_id in (None, article.id) or not current or cosine(print_.body, centroid) > cosine(current, centroid):
        values |= {"lead_article_id": article.id, "title": article.title}
    stmt = update(Story).where(Story.id == sid).values(values).execution_options(synchronize_session=False)
    await session.execute(stmt)
    loaded = session.identity_map.get(identity_key(Story, sid))
    if loaded is not None:  # a Story this session holds would be out of date
        session.expire(loaded)
    if story.thread_id is not None and moved:
        await _touch_thread(session, story.thread_id, article.published_at, 0)
    when = article.published_at if moved or latest is None else latest
    await _index_terms(
        session, sid, key_terms(before, settings.story_keys), key_terms(centroid, settings.story_keys), when, moved
    )


async def assign_story(
    session: AsyncSession,
    article: Article,
    settings: ClusterSettings = DEFAULT_SETTINGS,
    models: PairModels | None = None,
    print_: Fingerprint | None = None,
) -> int:
    """Attach a freshly flushed article to the best open story, or start one (in the best open
    thread, or a new one); returns the story's id. ``print_``: its fingerprint, if a parse worker made it.

    Changes: the article's ``signature``, ``promo``, ``syndicated`` and ``story_id``, and its row
    in ``article_prints``; the story's centroid, key terms, counts, times and headline; its thread's time.
    """
    with session.no_autoflush:
        print_ = print_ or fingerprint(article.title, article.text)
        article.signature = encode(print_.body)
        article.promo = print_.promo
        found = await _candidates(session, article, key_terms(print_.body, settings.key_terms), settings)
        choice = choose(print_, article.published_at, article.source, found.stories, found.members, settings, models)
        if choice.story_id is None:
            story_id = await _start_story(session, article, print_, choice.thread_id, settings)
        else:
            story_id = choice.story_id
            article.syndicated = choice.syndicated
            chosen = next(s for s in found.stories if s.story_id == story_id)
            await _join_story(session, article, chosen, found, print_, settings)
        await session.flush()  # the next article's lookup, in this transaction too, compares it
        return story_id
