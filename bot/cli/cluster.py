"""``ringkas cluster``: group a file of articles into stories offline, exactly as ingestion does.

Each input line is an object with ``id``, ``outlet``, ``title``, ``published`` and ``text``.
The articles are stored, in order of publication, in a throwaway database (a temporary SQLite
file unless ``--database`` names one) and each goes through ``bot.store.stories.assign_story``,
the function ingestion calls. A date without a time counts as noon WIB; a missing date as the
latest publication time seen in the file, as ingestion stamps an undated item with the time it
first sees it. Output: one ``{"id", "story", "thread"}`` line per input line, in input order: the
story is the happening, the thread the developing story it belongs to.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.store.cluster import DEFAULT_SETTINGS, ClusterSettings
from bot.store.db import Database
from bot.store.models import Article, Story
from bot.store.stories import assign_story

WIB = timezone(timedelta(hours=7))
NOON = time(12, 0)
BATCH = 200


@dataclass(frozen=True)
class Item:
    """One input article."""

    id: str
    outlet: str
    title: str
    published: datetime | None
    text: str
    url: str


def parse_published(value: object) -> datetime | None:
    """An ISO date or date-time (naive ones are WIB; a bare date is noon WIB); None if absent."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    moment = (
        datetime.combine(datetime.fromisoformat(text).date(), NOON) if len(text) == 10 else datetime.fromisoformat(text)
    )
    return moment.replace(tzinfo=WIB) if moment.tzinfo is None else moment


def read_items(path: str) -> list[Item]:
    """The articles of a JSONL file; ValueError naming the line when one is unusable."""
    file = Path(path)
    if not file.is_file():
        raise ValueError(f"{path}: no such file")
    items = []
    for number, line in enumerate(file.read_text("utf-8").split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record: Any = json.loads(line)
            items.append(
                Item(
                    str(record["id"]),
                    str(record.get("outlet") or "?"),
                    str(record.get("title") or ""),
                    parse_published(record.get("published")),
                    str(record.get("text") or ""),
                    str(record.get("url") or ""),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise ValueError(
                f"{path}:{number}: expected an object with id, outlet, title, published, text ({exc})"
            ) from exc
    return items


def publication_order(items: Sequence[Item]) -> list[tuple[Item, datetime]]:
    """Items with their effective time, oldest first; undated ones last, at the latest time seen."""
    dated = sorted((i for i in items if i.published), key=lambda i: i.published or datetime.min)
    latest = dated[-1].published if dated else datetime.now(WIB)
    assert latest is not None
    return [(i, i.published or latest) for i in dated] + [(i, latest) for i in items if not i.published]


async def store_items(
    db: Database, items: Sequence[Item], settings: ClusterSettings = DEFAULT_SETTINGS
) -> dict[str, int]:
    """Store the items in a migrated database in publication order, each grouped with
    ``assign_story`` as ingestion does; story id by article id."""
    stories: dict[str, int] = {}
    ordered = publication_order(items)
    for start in range(0, len(ordered), BATCH):
        async with db.sessionmaker.begin() as session:
            for n, (item, when) in enumerate(ordered[start : start + BATCH], start=start):
                article = Article(
                    url=item.url or f"ringkas-cluster:{n}",
                    canonical_url=f"ringkas-cluster:{n}",
                    title=item.title[:500],
                    published_at=when,
                    first_seen_at=when,
                    source=item.outlet,
                    text=item.text,
                )
                session.add(article)
                await session.flush()
                stories[item.id] = await assign_story(session, article, settings)
    return stories


async def cluster_items(
    items: Sequence[Item], settings: ClusterSettings = DEFAULT_SETTINGS, database_url: str | None = None
) -> tuple[dict[str, int], dict[str, int]]:
    """(story id, thread id) by article id, after grouping the items one by one with ``assign_story``."""
    with tempfile.TemporaryDirectory(prefix="ringkas-cluster-") as tmp:
        db = Database(database_url or f"sqlite:///{Path(tmp) / 'cluster.db'}")
        try:
            await db.upgrade()
            stories = await store_items(db, items, settings)
            async with db.sessionmaker() as session:
                thread_of = {sid: tid for sid, tid in await session.execute(select(Story.id, Story.thread_id))}
            return stories, {item_id: thread_of.get(sid) or 0 for item_id, sid in stories.items()}
        finally:
            await db.dispose()


def cluster_command(args: argparse.Namespace) -> int:
    """Read articles, group them, write ``{"id", "story", "thread"}`` lines."""
    try:
        items = read_items(args.input)
    except (ValueError, UnicodeDecodeError) as exc:
        print(f"ringkas: {exc}", file=sys.stderr)
        return 2
    stories, threads = asyncio.run(cluster_items(items, database_url=args.database))
    lines = "".join(
        json.dumps({"id": item.id, "story": stories[item.id], "thread": threads[item.id]}) + "\n" for item in items
    )
    if args.output:
        Path(args.output).write_text(lines, encoding="utf-8")
    else:
        sys.stdout.write(lines)
    return 0
