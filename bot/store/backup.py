"""Backup and restore of the SQLite database (PostgreSQL uses pg_dump / pg_restore; see docs/operations.md)."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from sqlalchemy import make_url

logger = logging.getLogger(__name__)


class BackupError(Exception):
    """A backup or restore could not be done; the message says why."""


def sqlite_path(database_url: str) -> Path:
    """The file behind a SQLite URL; BackupError for other databases."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupError(f"{url.get_backend_name()}: use pg_dump/pg_restore for PostgreSQL (see docs/operations.md)")
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _copy(source: Path, target: Path) -> None:
    """Copy a live SQLite database consistently (the online backup API; safe while the bot runs)."""
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    check = sqlite3.connect(target)
    try:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{target}: integrity check failed")
    finally:
        check.close()


def backup(database_url: str, target: Path) -> Path:
    """Write a consistent copy of the database to ``target``."""
    source = sqlite_path(database_url)
    if not source.is_file():
        raise BackupError(f"{source}: no database file")
    if target.exists():
        raise BackupError(f"{target}: already exists; choose a new file name")
    _copy(source, target)
    logger.info("backup written %s -> %s", source, target)
    return target


def restore(database_url: str, backup_file: Path) -> Path:
    """Replace the database with a backup (stop the bot first)."""
    target = sqlite_path(database_url)
    if not backup_file.is_file():
        raise BackupError(f"{backup_file}: no such file")
    try:
        with sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True) as conn:
            conn.execute("SELECT count(*) FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{backup_file}: not a Ringkas database ({exc})") from exc
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    target.unlink(missing_ok=True)
    _copy(backup_file, target)
    logger.info("database restored %s -> %s", backup_file, target)
    return target
