"""Choosing stories for a reader: digest selection, and story views for search results and alerts."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import Article, Story, Subscriber
from bot.store.mutes import muted_story_ids
from bot.store.newsrank import Coverage, news_score
from bot.store.storylist import story_sources
from bot.store.subscribers import exclusions
from bot.store.threads import Entry, earlier_counts, fold
from bot.telegram.i18n import N_, _
from bot.telegram.render import StoryView, render_digest, source_buttons
from summarizer.ranking.budget import take_within

logger = logging.getLogger(__name__)

FIRST_DIGEST_LOOKBACK = timedelta(hours=24)
MAX_DIGEST_LOOKBACK = timedelta(days=3)
CANDIDATE_STORIES = 400
EMPTY_DIGEST = N_("📭 Belum ada berita baru sejak ringkasan terakhir. Sampai besok!")


class Digest(NamedTuple):
    """A reader's digest as sent: its messages, the buttons under the last one, and the lead picture."""

    messages: list[str]
    buttons: list[list[str]]
    picture: str | None


def summary_sentences(summary: Sequence[Any], count: int, words: int | None = None) -> list[str]:
    """At most ``count`` of a stored summary's best sentences within about ``words`` words, in article order.

    A stored summary is a list of ``[position, sentence]`` pairs, best first; the word budget
    cuts it with the summarizer's own stopping rule (``summarizer.ranking.budget.take_within``).
    """
    pairs = [(p[0], p[1]) for p in summary if isinstance(p, list | tuple) and len(p) == 2]
    if not pairs:  # a plain list of sentences, already in order
        return take_within([s for s in summary if isinstance(s, str)], count, words)
    kept = take_within([sentence for _, sentence in pairs], count, words)
    return [sentence for _, sentence in sorted(pairs[: len(kept)])]


async def story_views(
    session: AsyncSession, story_ids: Sequence[int], sentences: int, words: int | None = None
) -> list[StoryView]:
    """Views of the given stories, in the given order: lead article, all sources, summary.

    Each summary keeps at most ``sentences`` sentences within about ``words`` words.
    """
    if not story_ids:
        return []
    rows = (
        await session.execute(
            select(
                Article.story_id,
                Article.id,
                Article.title,
                Article.url,
                Article.source,
                Article.published_at,
                Article.summary,
                Article.category,
                Article.image_url,
            )
            .where(Article.story_id.in_(story_ids))
            .order_by(Article.published_at)
        )
    ).all()
    by_story: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        if row[0] is not None:
            by_story[row[0]].append(row)
    leads = dict((await session.execute(select(Story.id, Story.lead_article_id).where(Story.id.in_(story_ids)))).all())
    links = await story_sources(session, story_ids)
    views = []
    for sid in story_ids:
        articles = by_story.get(sid)
        if not articles:
            continue
        lead = next((a for a in articles if a[1] == leads.get(sid)), articles[0])
        sources = [lead[4], *dict.fromkeys(a[4] for a in articles if a[4] != lead[4])]
        # The lead's own picture, else the earliest other report's: the same event either way.
        picture = lead[8] or next((a[8] for a in articles if a[8]), None)
        views.append(
            StoryView(
                sid,
                lead[2],
                lead[3],
                sources,
                lead[5],
                summary_sentences(lead[6] or [], sentences, words),
                lead[7],
                links.get(sid, []),
                picture=picture,
            )
        )
    return views


async def entry_views(
    session: AsyncSession, entries: Sequence[Entry], sentences: int, words: int | None = None
) -> list[StoryView]:
    """``story_views`` of the entries, each with its folded stories as "related" lines (headline
    and outlet) and the number of its thread's earlier stories."""
    views = await story_views(session, [e.story_id for e in entries], sentences, words)
    folded = [sid for e in entries for sid in e.related]
    heads: dict[int, tuple[str, str]] = {}
    if folded:
        query = (
            select(Story.id, Story.title, Article.source)
            .join(Article, Article.id == Story.lead_article_id)
            .where(Story.id.in_(folded))
        )
        heads = {sid: (title, source) for sid, title, source in await session.execute(query)}
    earlier = await earlier_counts(session, [v.story_id for v in views])
    related = {e.story_id: [heads[sid] for sid in e.related if sid in heads] for e in entries}
    return [replace(v, related=related.get(v.story_id, []), earlier=earlier.get(v.story_id, 0)) for v in views]


async def digest_entries(session: AsyncSession, sub: Subscriber, now: datetime) -> list[Entry]:
    """Entries of a subscriber's digest: stories new since the last one, chosen sources only, no
    muted words, ranked by ``bot.store.newsrank``, one entry per thread (its other stories folded
    under it), then grouped by category in the order of each category's best entry."""
    since = sub.last_digest_at or now - FIRST_DIGEST_LOOKBACK
    since = max(since, now - MAX_DIGEST_LOOKBACK)
    excluded_feeds, excluded_categories = await exclusions(session, sub.id)
    query = (
        select(
            Story.id,
            Story.source_count,
            Story.independent_count,
            Story.article_count,
            Story.promo_count,
            func.coalesce(Story.last_published_at, Story.updated_at),
            Story.category,
            Story.thread_id,
            Article.feed_id,
            Article.category,
        )
        .join(Article, Article.story_id == Story.id)
        .where(Story.first_seen_at > since, Story.first_seen_at <= now)
        .order_by(Story.first_seen_at.desc())
        .limit(CANDIDATE_STORIES * 4)
    )
    scores: dict[int, float] = {}
    category: dict[int, str] = {}
    thread_of: dict[int, int | None] = {}
    for sid, outlets, independent, articles, promo, latest, cat, thread, feed_id, art_category in await session.execute(
        query
    ):
        if feed_id in excluded_feeds or art_category in excluded_categories or sid in scores:
            continue
        scores[sid] = news_score(Coverage(outlets, independent, articles, promo, latest), now)
        category[sid], thread_of[sid] = cat, thread
    ranked = sorted(scores, key=lambda sid: (-scores[sid], -sid))
    # Only as many candidates as could fill the digest are checked against the mute words.
    muted = await muted_story_ids(session, sub.id, ranked[: sub.stories_per_digest * 6])
    entries = fold([sid for sid in ranked if sid not in muted], thread_of, sub.stories_per_digest)
    order: list[str] = list(dict.fromkeys(category[e.story_id] for e in entries))
    return [e for cat in order for e in entries if category[e.story_id] == cat]


async def digest_story_ids(session: AsyncSession, sub: Subscriber, now: datetime) -> list[int]:
    """The stories a subscriber's digest lists as entries (``digest_entries`` without the folds)."""
    return [entry.story_id for entry in await digest_entries(session, sub, now)]


async def digest_messages(session: AsyncSession, sub: Subscriber, now: datetime, *, on_request: bool = False) -> Digest:
    """The rendered digest for one subscriber, the buttons under its last message, and its lead picture.

    Messages: empty when nothing is new and they skip empty days (a digest asked for with
    /ringkasan always answers); one entry per thread, its other stories folded under it.
    Buttons: one "Sumber lain (N)" per story several outlets reported and one "Perkembangan (N)"
    per entry whose thread began earlier, as ``[label, callback data]``; none in a channel,
    where a press would post the list for every reader.
    Picture: the lead story's (the first one shown), whatever the reader's /atur gambar choice.
    """
    entries = await digest_entries(session, sub, now)
    if not entries:
        return Digest([] if sub.skip_empty_digest and not on_request else [_(EMPTY_DIGEST)], [], None)
    views = await entry_views(session, entries, sub.sentences_per_summary, sub.summary_words)
    buttons = [] if sub.chat_type == "channel" else source_buttons(views)
    return Digest(render_digest(views, sub.timezone, now), buttons, views[0].picture if views else None)
