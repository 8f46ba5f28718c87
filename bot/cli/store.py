"""``ringkas feeds|fetch|ingest|search|run``: storage and ingestion from the command line (``db`` is ``bot.cli.database``)."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.config import get_settings
from bot.ingest.services import Services, open_services

logger = logging.getLogger(__name__)

SUMMARY_SENTENCES = 3


def _fail(message: str) -> int:
    """Print one error line for the user and return exit status 2."""
    print(f"ringkas: {message}", file=sys.stderr)
    return 2


def _run(action: Callable[[Services], Awaitable[int]], *, seed: bool = True) -> int:
    """Open the services, run one async action, and turn known failures into exit status 2."""
    from bot.store.feeds import FeedError

    async def main() -> int:
        """Run the action with the services open."""
        async with open_services(get_settings(), seed=seed) as services:
            return await action(services)

    try:
        return asyncio.run(main())
    except FeedError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"database: {exc}")


def feeds_add(args: argparse.Namespace) -> int:
    """Add a feed after one trial fetch."""
    from bot.ingest.sources import add_feed

    async def action(s: Services) -> int:
        """Do the command's work with the open services; return the exit status."""
        async with s.db.sessionmaker.begin() as session:
            feed, check = await add_feed(
                session,
                s.fetcher,
                args.url,
                name=args.name,
                category=args.category,
                interval=args.interval,
                work=s.work,
            )
        print(f"added feed {feed.id}: {check.title or feed.name} ({check.item_count} items)")
        return 0

    return _run(action)


def feeds_list(args: argparse.Namespace) -> int:
    """Print every feed with its health."""
    from bot.store.feeds import list_feeds

    async def action(s: Services) -> int:
        """Do the command's work with the open services; return the exit status."""
        async with s.db.sessionmaker() as session:
            rows = [h.as_dict() for h in await list_feeds(session)]
        if args.json:
            print(json.dumps(rows, ensure_ascii=False, indent=2))
            return 0
        print(f"{'id':>4}  {'on':3} {'fail':>4} {'items':>6}  {'last success':25} name / url / last error")
        for r in rows:
            print(
                f"{r['id']:>4}  {'yes' if r['enabled'] else 'no':3} {r['consecutive_failures']:>4} "
                f"{r['articles']:>6}  {str(r['last_success_at'] or '-')[:25]:25} {r['name']} <{r['url']}>"
            )
            if r["last_error"] or r["paused_reason"]:
                print(f"{'':45}{r['paused_reason'] or r['last_error']}")
            if r["warning_count"]:
                print(f"{'':45}{r['warning_count']} warnings, last: {r['last_warning']}")
        return 0

    return _run(action)


def _feed_action(verb: str) -> Callable[[argparse.Namespace], int]:
    """Return the command that removes, pauses or resumes a feed by id."""

    def command(args: argparse.Namespace) -> int:
        """Remove, pause or resume the feed ``args.id``."""
        from bot.store.feeds import remove_feed, set_enabled

        async def action(s: Services) -> int:
            """Do the command's work with the open services; return the exit status."""
            async with s.db.sessionmaker.begin() as session:
                if verb == "remove":
                    feed = await remove_feed(session, args.id)
                else:
                    feed = await set_enabled(session, args.id, verb == "resume")
            print(f"{verb}d feed {args.id}: {feed.name}")
            return 0

        return _run(action)

    command.__doc__ = f"{verb.capitalize()} a feed by id."
    return command


feeds_remove = _feed_action("remove")
feeds_pause = _feed_action("pause")
feeds_resume = _feed_action("resume")


def feeds_import(args: argparse.Namespace) -> int:
    """Add the feeds of an OPML file, checked as ``feeds add`` checks them; one line per outline."""
    from bot.ingest.sources import import_feeds
    from bot.store.feeds import parse_opml

    path = Path(args.file)
    if not path.is_file():
        return _fail(f"{path}: no such file")

    async def action(s: Services) -> int:
        """Do the command's work with the open services; return the exit status."""
        rows = parse_opml(path.read_bytes())
        async with s.db.sessionmaker.begin() as session:
            outcomes = await import_feeds(session, rows, allow_private=s.settings.ringkas_allow_private_urls)
        for outcome in outcomes:
            print(f"{outcome.status:8} {outcome.url}" + (f": {outcome.reason}" if outcome.reason else ""))
        counts = {status: sum(o.status == status for o in outcomes) for status in ("added", "exists", "refused")}
        print(f"imported {counts['added']} feeds ({counts['exists']} already present, {counts['refused']} refused)")
        return 0

    return _run(action)


def feeds_export(args: argparse.Namespace) -> int:
    """Print the feed list as OPML."""
    from bot.store.feeds import export_opml, list_feeds

    async def action(s: Services) -> int:
        """Do the command's work with the open services; return the exit status."""
        async with s.db.sessionmaker() as session:
            sys.stdout.write(export_opml([h.feed for h in await list_feeds(session)]))
        return 0

    return _run(action)


def fetch_command(args: argparse.Namespace) -> int:
    """One ingestion pass over due (or the given) feeds, with a per-feed table.

    Due feeds are claimed one at a time (``bot.ingest.schedule.fetch_pass``): passes run at once
    by several processes on one database share the feeds, none polled twice.
    """
    from bot.ingest.schedule import FeedClaims, fetch_pass, ingest_many

    async def action(s: Services) -> int:
        """Do the command's work with the open services; return the exit status."""
        if args.feed_ids:
            results = await ingest_many(s, args.feed_ids)
        else:
            results = await fetch_pass(s, FeedClaims(s.db, s.settings.ringkas_lease_seconds))
        if args.json:
            print(json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=2))
            return 0
        print(f"{'feed':>5} {'new':>5} {'dup':>5} {'304':>4} {'err':>4}  name / error")
        for r in results:
            print(
                f"{r.feed_id:>5} {r.new:>5} {r.duplicate:>5} {'yes' if r.not_modified else '':>4} {r.errors:>4}  {r.name}"
                + (f" — {r.error}" if r.error else "")
            )
        print(f"{len(results)} feeds, {sum(r.new for r in results)} new articles")
        return 0

    return _run(action)


def ingest_command(args: argparse.Namespace) -> int:
    """Run the ingestion schedule without Telegram (once, or forever with --watch)."""
    from bot.ingest.schedule import watch

    if not args.watch:
        return fetch_command(argparse.Namespace(feed_ids=None, json=False))
    return _run(watch)


def search_command(args: argparse.Namespace) -> int:
    """Keyword search over stored articles."""
    from bot.store.search import search
    from bot.store.storylist import story_sources
    from bot.telegram.digest import summary_sentences

    query = " ".join(args.query)

    async def action(s: Services) -> int:
        """Do the command's work with the open services; return the exit status."""
        async with s.db.sessionmaker() as session:
            hits = await search(session, query, limit=max(1, args.limit))
            links = await story_sources(session, [h.story_id for h in hits if h.story_id])
        rows = [
            {
                "title": h.title,
                "url": h.url,
                "source": h.source,
                "published": h.published_at.isoformat() if h.published_at else None,
                "sentences": summary_sentences(h.summary, SUMMARY_SENTENCES),
                "story_id": h.story_id,
                # Every outlet of the story with its link, earliest report first.
                "outlets": [o for o, _ in links.get(h.story_id or 0, [])],
                "links": [{"outlet": o, "url": u} for o, u in links.get(h.story_id or 0, [])],
            }
            for h in hits
        ]
        if args.json:
            print(json.dumps(rows, ensure_ascii=False, indent=2))
        elif not rows:
            print("tidak ada hasil (no results)")
        for hit in [] if args.json else hits:
            print(f"{hit.title}\n  {hit.source} · {hit.published_at.isoformat()}\n  {hit.url}")
            for sentence in summary_sentences(hit.summary, SUMMARY_SENTENCES):
                print(f"  - {sentence}")
        return 0

    return _run(action, seed=False)


def run_command(args: argparse.Namespace) -> int:
    """Run the Telegram bot."""
    from bot.telegram.runner import run_bot

    return run_bot(get_settings(), webhook_url=args.webhook_url, listen=args.webhook_listen, port=args.webhook_port)
