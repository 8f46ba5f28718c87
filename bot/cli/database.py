"""``ringkas db upgrade|prune|backup|restore``: the database from the command line."""

from __future__ import annotations

import argparse
import logging
import sqlite3
from pathlib import Path

from bot.cli.store import _fail, _run
from bot.config import get_settings
from bot.ingest.services import Services

logger = logging.getLogger(__name__)


def db_upgrade(args: argparse.Namespace) -> int:
    """Apply the database migrations."""

    async def action(s: Services) -> int:
        """Do the command's work with the open services; return the exit status."""
        print(f"database at {s.db.engine.url.render_as_string(hide_password=True)} is up to date")
        return 0

    return _run(action, seed=False)


def db_prune(args: argparse.Namespace) -> int:
    """Delete articles older than the retention period."""
    from bot.store.retention import prune

    async def action(s: Services) -> int:
        """Do the command's work with the open services; return the exit status."""
        removed = await prune(s.db, s.settings.ringkas_retention_days)
        print(f"pruned {removed} articles older than {s.settings.ringkas_retention_days} days")
        return 0

    return _run(action, seed=False)


def db_backup(args: argparse.Namespace) -> int:
    """Copy the SQLite database to a file."""
    from bot.store.backup import BackupError, backup

    try:
        print(f"backup written to {backup(get_settings().database_url, Path(args.file))}")
    except (BackupError, OSError, sqlite3.Error) as exc:
        return _fail(str(exc))
    return 0


def db_restore(args: argparse.Namespace) -> int:
    """Replace the SQLite database with a backup."""
    from bot.store.backup import BackupError, restore

    try:
        print(f"database restored to {restore(get_settings().database_url, Path(args.file))}")
    except (BackupError, OSError, sqlite3.Error) as exc:
        return _fail(str(exc))
    return 0
