"""Whole digests on labelled days: how often an entry repeats a happening already shown above it,
and how many entries read as press releases.

Every article of ``../shared/data/multi-outlet-2025-06-10.jsonl`` is stored and grouped in a
throwaway SQLite database exactly as ingestion does (``bot.cli.cluster``), then three 20-story
digests are made by the bot's own ``digest_entries`` for a reader whose last digest was a day
earlier: 07:00 WIB on 9, 10 and 11 June 2025. An entry repeats a happening when the event label
most of its story's labelled articles carry (``benchmarks/data/event_labels.jsonl``) is the
label of an entry above it; a release is what ``bot.store.newsrank.is_release`` says, printed
with each entry so a reader can judge. For comparison the same stories are ranked as before
(outlets minus hours / 6, no threads).

Run: ``.venv/bin/python benchmarks/digest_eval.py [--show]``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import select

from bot.cli.cluster import read_items, store_items
from bot.cli.grouping_train import read_labels
from bot.store.db import Database
from bot.store.models import Story, Subscriber
from bot.store.newsrank import Coverage, is_release
from bot.telegram.digest import digest_entries

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT.parent / "shared" / "data" / "multi-outlet-2025-06-10.jsonl"
WIB = timezone(timedelta(hours=7))
DIGESTS = [datetime(2025, 6, day, 7, 0, tzinfo=WIB) for day in (9, 10, 11)]
ENTRIES = 20


def story_events(members: Mapping[int, list[str]], events: Mapping[str, str | None]) -> dict[int, str | None]:
    """The event label most of each story's labelled articles carry (None where none is labelled)."""
    out: dict[int, str | None] = {}
    for sid, ids in members.items():
        found = Counter(e for i in ids if (e := events.get(i)))
        out[sid] = found.most_common(1)[0][0] if found else None
    return out


def repeats(order: Sequence[int], event_of: Mapping[int, str | None]) -> int:
    """Entries whose happening an entry above them already showed."""
    seen: set[str] = set()
    count = 0
    for sid in order:
        event = event_of.get(sid)
        if event is not None and event in seen:
            count += 1
        if event is not None:
            seen.add(event)
    return count


async def evaluate(show: bool) -> None:
    """Group the file, make the digests, print the table."""
    items = read_items(str(ARTICLES))
    labels = read_labels()
    events = {i: label.event for i, label in labels.items()}
    with tempfile.TemporaryDirectory(prefix="ringkas-digest-") as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'digest.db'}")
        try:
            await db.upgrade()
            story_of = await store_items(db, items)
            members: dict[int, list[str]] = {}
            for item_id, sid in story_of.items():
                members.setdefault(sid, []).append(item_id)
            event_of = story_events(members, events)
            print("| digest (07:00 WIB) | entries | repeated happenings | read as releases | before: repeated |")
            print("|---|---:|---:|---:|---:|")
            totals = [0, 0, 0, 0]
            for now in DIGESTS:
                async with db.sessionmaker() as session:
                    sub = Subscriber(chat_id=1, stories_per_digest=ENTRIES, last_digest_at=now - timedelta(days=1))
                    entries = await digest_entries(session, sub, now)
                    order = [e.story_id for e in entries]
                    rows = {
                        s.id: s
                        for s in await session.scalars(
                            select(Story).where(
                                Story.first_seen_at > now - timedelta(days=1), Story.first_seen_at <= now
                            )
                        )
                    }
                    before = sorted(
                        rows,
                        key=lambda sid: (
                            -(rows[sid].source_count - (now - rows[sid].updated_at).total_seconds() / 3600 / 6)
                        ),
                    )[:ENTRIES]
                    releases = [sid for sid in order if is_release(_coverage(rows[sid]))]
                    shown = [(sid, rows[sid].title, rows[sid].source_count) for sid in order]
                    if show:
                        _show(now, shown, releases, event_of)
                r, b = repeats(order, event_of), repeats(before, event_of)
                totals = [totals[0] + len(order), totals[1] + r, totals[2] + len(releases), totals[3] + b]
                print(f"| {now:%d %b %Y} | {len(order)} | {r} | {len(releases)} | {b} |")
            print(f"| all | {totals[0]} | {totals[1]} | {totals[2]} | {totals[3]} |")
        finally:
            await db.dispose()


def _coverage(story: Story) -> Coverage:
    return Coverage(
        story.source_count,
        story.independent_count,
        story.article_count,
        story.promo_count,
        story.last_published_at or story.updated_at,
    )


def _show(
    now: datetime, shown: list[tuple[int, str, int]], releases: list[int], event_of: Mapping[int, str | None]
) -> None:
    """Print one digest's entries with their outlets, release flag and event label."""
    print(f"\n{now:%d %b %Y %H:%M}", file=sys.stderr)
    for n, (sid, title, outlets) in enumerate(shown, start=1):
        flag = " [release]" if sid in releases else ""
        print(f"{n:2}. ({outlets}) {title[:90]}{flag} <{event_of.get(sid) or '-'}>", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table (``--show``: each digest's entries on stderr)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args(argv)
    if not ARTICLES.exists():
        print(f"needs {ARTICLES} (the developers' shared data)", file=sys.stderr)
        return 2
    asyncio.run(evaluate(args.show))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
