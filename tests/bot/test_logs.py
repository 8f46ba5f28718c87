"""Log lines as text or JSON (RINGKAS_LOG_FORMAT), with the bot token redacted in both."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.logs import LIBRARY_FLOORS, TEXT_FORMAT, JsonFormatter, RedactFilter, message_fields

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:SECRET-token"


@pytest.fixture
def capture() -> Iterator[tuple[logging.Logger, logging.StreamHandler[io.StringIO], io.StringIO]]:
    """A logger writing to a string through one handler carrying the redaction filter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactFilter(TOKEN))
    logger = logging.getLogger("tests.logs")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    yield logger, handler, stream
    logger.removeHandler(handler)
    logger.propagate = True


def log_failure(logger: logging.Logger) -> None:
    """One event with key=value fields, the token in the message and in the traceback."""
    try:
        raise RuntimeError(f"POST https://api.telegram.org/bot{TOKEN}/sendMessage failed")
    except RuntimeError:
        logger.exception("feed polled id=%d new=%d name=%r url=%s", 7, 3, "Kabar Uji", f"https://x/bot{TOKEN}/getMe")


def test_json_lines_carry_the_same_fields_redacted(
    capture: tuple[logging.Logger, logging.Handler, io.StringIO],
) -> None:
    logger, handler, stream = capture
    handler.setFormatter(JsonFormatter())
    log_failure(logger)
    logger.info("deliveries run pending=0 sent=0")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2 and TOKEN not in stream.getvalue()
    entry = json.loads(lines[0])
    assert entry["level"] == "ERROR" and entry["logger"] == "tests.logs" and entry["time"].endswith("+00:00")
    assert entry["message"] == "feed polled id=7 new=3 name='Kabar Uji' url=https://x/bot<token>/getMe"
    assert (entry["id"], entry["new"], entry["name"], entry["url"]) == (7, 3, "Kabar Uji", "https://x/bot<token>/getMe")
    assert "RuntimeError" in entry["exc"] and "bot<token>/sendMessage" in entry["exc"]
    assert json.loads(lines[1])["sent"] == 0


def test_text_lines_are_redacted_too(capture: tuple[logging.Logger, logging.Handler, io.StringIO]) -> None:
    logger, handler, stream = capture
    handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    log_failure(logger)
    text = stream.getvalue()
    assert TOKEN not in text and "ERROR tests.logs: feed polled id=7 new=3" in text and "bot<token>/sendMessage" in text


@pytest.mark.parametrize(
    ("message", "fields"),
    [
        ("feed polled id=3 new=0 errors=-1", {"id": 3, "new": 0, "errors": -1}),
        ("x detail='a b=c' ok=yes,", {"detail": "a b=c", "ok": "yes"}),  # a quoted value keeps its = inside
        ("database sqlite+aiosqlite:///a.db?mode=ro", {}),  # inside a URL is not a field
        ("no fields here", {}),
        ("time=x level=y", {"time": "x", "level": "y"}),
    ],
)
def test_message_fields(message: str, fields: dict[str, object]) -> None:
    assert message_fields(message) == fields


def test_a_field_never_overwrites_the_line_s_own_keys(
    capture: tuple[logging.Logger, logging.Handler, io.StringIO],
) -> None:
    logger, handler, stream = capture
    handler.setFormatter(JsonFormatter())
    logger.warning("odd level=debug logger=me")
    entry = json.loads(stream.getvalue())
    assert (entry["level"], entry["logger"]) == ("WARNING", "tests.logs")


def ringkas(*args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "RINGKAS_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env={**clean, "PYTHONPATH": str(ROOT), **env},
    )


def test_ringkas_log_format_json_from_the_environment(tmp_path: Path) -> None:
    out = ringkas("db", "upgrade", DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}", RINGKAS_LOG_FORMAT="JSON")
    assert out.returncode == 0, out.stderr
    entries = [json.loads(line) for line in out.stderr.splitlines()]
    assert entries and {e["logger"] for e in entries} == {"bot.store.db"}
    text = ringkas("db", "upgrade", DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}")
    assert " INFO bot.store.db: database " in text.stderr


def test_an_unknown_log_format_is_one_line_and_status_2(tmp_path: Path) -> None:
    out = ringkas("db", "upgrade", DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}", RINGKAS_LOG_FORMAT="xml")
    assert out.returncode == 2 and out.stderr.strip().count("\n") == 0
    assert out.stderr.startswith("ringkas: invalid configuration: RINGKAS_LOG_FORMAT: ")


def test_an_unknown_time_zone_is_one_line_and_status_2(tmp_path: Path) -> None:
    out = ringkas("db", "upgrade", DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}", RINGKAS_TIMEZONE="Mars/Base")
    assert out.returncode == 2 and out.stderr.strip().count("\n") == 0, out.stderr
    assert "RINGKAS_TIMEZONE" in out.stderr and "Mars/Base" in out.stderr


def test_worker_processes_log_in_the_chosen_format_too(tmp_path: Path) -> None:
    from tests.bot.httpserver import LocalServer, respond
    from tests.bot.newsfeed import Item, rss

    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}", "RINGKAS_SEED_FEEDS": "false"}
    env |= {"RINGKAS_ALLOW_PRIVATE_URLS": "true", "RINGKAS_LOG_FORMAT": "json"}
    with LocalServer() as site:
        feed = rss([Item("Banjir Rendam Kemang", "https://kabar.example/1", datetime.now(UTC), "Banjir.")])
        site.route("/rss", respond(feed, headers={"Content-Type": "application/rss+xml"}))
        assert ringkas("feeds", "add", site.url("/rss"), cwd=tmp_path, **env).returncode == 0
        # The feed turns into a web page: the worker parsing it logs "cannot parse feed".
        site.route("/rss", respond(b"<!doctype html><html><body>Pindah</body></html>"))
        out = ringkas("fetch", cwd=tmp_path, **env)
    assert out.returncode == 0, out.stderr
    entries = [json.loads(line) for line in out.stderr.splitlines()]  # every line JSON, the workers' too
    [parsed] = [e for e in entries if e["logger"] == "bot.ingest.feedparse"]
    assert parsed["level"] == "WARNING" and parsed["message"].startswith("cannot parse feed ")


def test_verbose_logs_keep_libraries_above_their_floor(tmp_path: Path) -> None:
    from tests.fakes import FakeTelegram

    with FakeTelegram() as tg:
        out = ringkas(
            "-v",
            "health",
            "--telegram",
            cwd=tmp_path,
            DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}",
            TELEGRAM_BOT_TOKEN=tg.token,
            TELEGRAM_API_URL=tg.api_url,
        )
    logged = [m.groups() for m in re.finditer(r"(?m)^\S+ \S+ ([A-Z]+) ([\w.]+): ", out.stderr)]
    assert ("DEBUG", "asyncio") in logged or any(n.startswith("bot.") for _, n in logged), out.stderr  # -v is on
    for name, floor in LIBRARY_FLOORS.items():  # PTB would echo the getMe call, httpx its URL
        below = [(lv, n) for lv, n in logged if n.split(".")[0] == name and logging.getLevelName(lv) < floor]
        assert below == [], below
