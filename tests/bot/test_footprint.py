"""What each process of the bot loads: the main process no parsing libraries, no Alembic and no
plotting library (matplotlib is imported by the /stats chart alone, when an admin asks),
a parse worker no event loop, HTTP client, database or Telegram code (grouping's fingerprint, which
it computes, is plain text code) (benchmarks/memory_bench.py
measures the memory itself)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.ingest.workers import WorkerPool
from bot.store.pairs import fingerprint

ROOT = Path(__file__).resolve().parents[2]
PARSING = ("numpy", "trafilatura", "lxml", "feedparser", "summarizer.core")
NOT_IN_WORKERS = (
    "asyncio",
    "httpx",
    "sqlalchemy",
    "telegram",
    "pydantic",
    "bot.store.db",
    "bot.store.models",
    "bot.telegram",
)


def test_the_bots_main_process_loads_no_parsing_code_no_alembic_and_no_matplotlib() -> None:
    probe = (
        "import sys, bot.cli.main, bot.telegram.runner, bot.telegram.app, bot.ingest.services, bot.ingest.pipeline;"
        "print(' '.join(sorted(sys.modules)))"
    )
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "bot.telegram.chart" in loaded  # the /stats handler's module is loaded; its library is not
    assert not loaded & {*PARSING, "alembic", "mako", "matplotlib"}


async def test_a_parse_worker_loads_only_what_parsing_needs() -> None:
    pool = WorkerPool(1, 60.0)
    try:
        print_ = await pool.run(fingerprint, "Banjir di Jakarta", "Banjir melanda Jakarta pada Senin (9/6). " * 20)
        loaded = set(await pool.run(eval, "sorted(__import__('sys').modules)"))
    finally:
        await pool.aclose()
    assert set(PARSING) <= loaded  # preloaded before the first document
    assert print_ == fingerprint("Banjir di Jakarta", "Banjir melanda Jakarta pada Senin (9/6). " * 20)
    assert not loaded & set(NOT_IN_WORKERS)
