"""Migrating in a process of its own, so the long-running bot never holds Alembic in memory.

``ringkas run`` upgrades its database at start; Alembic and Mako would then stay loaded for
the bot's whole life (about 10 MB). ``upgrade_in_child`` runs ``python -m bot.store.migrate``
instead, with the database URL in the environment (not on the command line, where ``ps``
would show its password), and turns the child's one-line failure into the same errors as an
upgrade here.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path

from sqlalchemy import URL

from bot.store.db import Database, DatabaseUnavailableError, DatabaseURLError

logger = logging.getLogger(__name__)

URL_ENV = "RINGKAS_MIGRATE_URL"
URL_ERROR = 3  # the child's exit status for an unusable URL; any other failure is "unavailable"
CODE_ROOT = str(Path(__file__).resolve().parents[2])  # where ``bot`` is, for the child's imports


async def upgrade_in_child(url: URL) -> None:
    """Upgrade the database at ``url`` to head in a child process; its failure raised here."""
    env = {
        **os.environ,
        URL_ENV: url.render_as_string(hide_password=False),
        "PYTHONPATH": os.pathsep.join(filter(None, [CODE_ROOT, os.environ.get("PYTHONPATH")])),
    }
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.store.migrate",
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await child.communicate()
    if child.returncode == 0:
        logger.info("database schema at head (migrated by pid %d)", child.pid)
        return
    lines = err.decode("utf-8", "replace").strip().splitlines()
    reason = lines[-1] if lines else f"the migration exited with status {child.returncode}"
    raise (DatabaseURLError if child.returncode == URL_ERROR else DatabaseUnavailableError)(reason)


def main() -> int:
    """Upgrade the database named in the environment; one line on stderr and a status when that fails."""
    try:
        db = Database(os.environ[URL_ENV])
    except DatabaseURLError as exc:
        print(exc, file=sys.stderr)
        return URL_ERROR

    async def upgrade() -> None:
        try:
            await db.upgrade()
        finally:
            await db.dispose()

    try:
        asyncio.run(upgrade())
    except DatabaseUnavailableError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
