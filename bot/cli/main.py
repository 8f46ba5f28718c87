"""The ``ringkas`` command line: one sub-command per user-facing capability."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence

from bot.logs import configure as configure_logging

Handler = Callable[[argparse.Namespace], int]


def _lazy(module: str, name: str) -> Handler:
    """A handler that imports ``bot.cli.<module>`` only when its command runs.

    ``ringkas summarize`` must not pay for SQLAlchemy, Alembic and python-telegram-bot.
    """

    def run(args: argparse.Namespace) -> int:
        handler: Handler = getattr(importlib.import_module(f"bot.cli.{module}"), name)
        return handler(args)

    return run


def _add_text_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("summarize", help="summarize a page: a .txt/.html file, a URL, or - for stdin")
    p.add_argument("source", nargs="?", default="-", help="PATH, URL or - (default: stdin)")
    p.add_argument("-n", type=int, default=5, help="at most N sentences (default 5)")
    p.add_argument("--words", type=int, default=60, metavar="W", help="about W words (default 60)")
    p.add_argument("--json", action="store_true", help="one JSON object with metadata")
    p.add_argument("--jsonl", metavar="IN.jsonl", help='batch mode: lines with "text" (and "id")')
    p.add_argument("-o", "--output", metavar="OUT.jsonl", help="batch output (default stdout)")
    p.add_argument("--method", default="default", help="ranking method (see `ringkas eval --help`)")
    p.set_defaults(handler=_lazy("text", "summarize_command"))

    p = sub.add_parser("eval", help="ROUGE-1/2/L of summaries against each line's 'summary'")
    p.add_argument("input", metavar="IN.jsonl")
    p.add_argument("-n", type=int, default=5, help="at most N sentences (LEAD-3 takes 3)")
    p.add_argument("--words", type=int, default=60, metavar="W", help="about W words (default 60)")
    p.add_argument("--method", action="append", dest="methods", help="repeatable; default: lead3 and default")
    p.add_argument("--limit", type=int, default=None, help="only the first N articles")
    p.set_defaults(handler=_lazy("text", "eval_command"))


def _add_store_commands(sub: argparse._SubParsersAction) -> None:
    feeds = sub.add_parser("feeds", help="manage the list of feeds").add_subparsers(dest="feeds_command", required=True)
    p = feeds.add_parser("add", help="add a feed (fetches it once)")
    p.add_argument("url")
    p.add_argument("--name")
    p.add_argument("--category", default=None)
    p.add_argument("--interval", type=int, default=None, metavar="MIN")
    p.set_defaults(handler=_lazy("store", "feeds_add"))
    p = feeds.add_parser("list", help="list feeds with their health")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_lazy("store", "feeds_list"))
    p = feeds.add_parser("remove", help="remove a feed")
    p.add_argument("id", type=int)
    p.set_defaults(handler=_lazy("store", "feeds_remove"))
    for verb, handler in (("pause", _lazy("store", "feeds_pause")), ("resume", _lazy("store", "feeds_resume"))):
        p = feeds.add_parser(verb, help=f"{verb} a feed")
        p.add_argument("id", type=int)
        p.set_defaults(handler=handler)
    p = feeds.add_parser("import", help="import feeds from an OPML file")
    p.add_argument("file")
    p.set_defaults(handler=_lazy("store", "feeds_import"))
    p = feeds.add_parser("export", help="print the feeds as OPML")
    p.set_defaults(handler=_lazy("store", "feeds_export"))

    p = sub.add_parser("fetch", help="one ingestion pass over due feeds (or one feed)")
    p.add_argument("--feed", type=int, action="append", dest="feed_ids", metavar="ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_lazy("store", "fetch_command"))

    p = sub.add_parser("ingest", help="run the ingestion schedule without Telegram")
    p.add_argument("--watch", action="store_true", help="keep running on the schedule")
    p.set_defaults(handler=_lazy("store", "ingest_command"))

    p = sub.add_parser("cluster", help="group articles into stories offline, as ingestion does")
    p.add_argument("input", metavar="IN.jsonl", help="lines with id, outlet, title, published, text")
    p.add_argument("-o", "--output", metavar="OUT.jsonl", help="lines with id and story (default stdout)")
    p.add_argument(
        "--database", metavar="URL", help="group in this (empty) database instead of a temporary SQLite file"
    )
    p.set_defaults(handler=_lazy("cluster", "cluster_command"))

    p = sub.add_parser("search", help="keyword search over stored articles")
    p.add_argument("query", nargs="+")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_lazy("store", "search_command"))

    db = sub.add_parser("db", help="database maintenance").add_subparsers(dest="db_command", required=True)
    p = db.add_parser("upgrade", help="apply migrations")
    p.set_defaults(handler=_lazy("database", "db_upgrade"))
    p = db.add_parser("prune", help="delete articles older than the retention period")
    p.set_defaults(handler=_lazy("database", "db_prune"))
    p = db.add_parser("backup", help="copy the SQLite database to FILE (safe while the bot runs)")
    p.add_argument("file")
    p.set_defaults(handler=_lazy("database", "db_backup"))
    p = db.add_parser("restore", help="replace the SQLite database with FILE (stop the bot first)")
    p.add_argument("file")
    p.set_defaults(handler=_lazy("database", "db_restore"))


def build_parser() -> argparse.ArgumentParser:
    """The whole command surface in one place."""
    parser = argparse.ArgumentParser(prog="ringkas", description="Ringkas: berita Indonesia, ringkas.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at DEBUG level")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("run", help="run the Telegram bot with ingestion and digests")
    p.add_argument("--webhook-url", help="use a webhook at this public HTTPS URL instead of polling")
    p.add_argument("--webhook-listen", default="127.0.0.1", help="address the webhook server binds")
    p.add_argument("--webhook-port", type=int, default=8443)
    p.set_defaults(handler=_lazy("store", "run_command"))
    _add_text_commands(sub)
    _add_store_commands(sub)
    p = sub.add_parser("health", help="exit 0 when the database, feeds and delivery queue are healthy, else 1")
    p.add_argument("--json", action="store_true", help="the report as one JSON object")
    p.add_argument("--telegram", action="store_true", help="also check that Telegram's getMe answers")
    p.set_defaults(handler=_lazy("health", "health_command"))
    return parser


def _log_format() -> str | None:
    """RINGKAS_LOG_FORMAT from the settings; None (after one line on stderr) when a setting is invalid."""
    from pydantic import ValidationError

    from bot.config import get_settings

    try:
        return get_settings().ringkas_log_format
    except ValidationError as exc:
        # Only names and reasons: the rejected value could be a secret.
        reasons = "; ".join(f"{'.'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors())
        print(f"ringkas: invalid configuration: {reasons}", file=sys.stderr)
        return None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``ringkas`` console script."""
    # Telegram's retry_after as a timedelta, as python-telegram-bot 23 will give it anyway.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    args = build_parser().parse_args(argv)
    # The text commands and `health` answer in a few lines; library warnings would only repeat them.
    quiet = args.command in ("summarize", "eval", "health")
    log_format = "text" if quiet else _log_format()
    if log_format is None:
        return 2
    configure_logging(logging.DEBUG if args.verbose else logging.ERROR if quiet else logging.INFO, log_format)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # Alembic narrates every migration step at INFO; -v shows it.
    logging.getLogger("alembic").setLevel(logging.DEBUG if args.verbose else logging.WARNING)
    handler: Handler = args.handler
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
