"""Running it: the token check, secrets kept out of logs, backup and restore, the metrics endpoint."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

from bot import metrics
from bot.logs import RedactFilter, redact

ROOT = Path(__file__).resolve().parents[2]


def ringkas(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "RINGKAS_", "DATABASE_"))}
    full = {**clean, "PYTHONPATH": str(ROOT), "RINGKAS_SEED_FEEDS": "false", **env}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=full, cwd=cwd, timeout=60
    )


def test_run_without_a_token_exits_2_with_one_line(tmp_path: Path) -> None:
    out = ringkas("run", cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and "TELEGRAM_BOT_TOKEN" in out.stderr


def test_token_is_read_from_dotenv(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("TELEGRAM_BOT_TOKEN=\nRINGKAS_TIMEZONE=Asia/Makassar\n", encoding="utf-8")
    out = ringkas("run", cwd=tmp_path)
    assert out.returncode == 2  # an empty token in .env is still no token
    from bot.config import Settings

    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        assert Settings().ringkas_timezone == "Asia/Makassar"
    finally:
        os.chdir(old)


def test_redaction_filter_hides_the_token_in_messages_and_tracebacks() -> None:
    token = "123456:SECRET-token"
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "calling %s", (f"https://api/bot{token}/getMe",), None)
    try:
        raise RuntimeError(f"failed https://api/bot{token}/sendMessage")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    RedactFilter(token).filter(record)
    text = logging.Formatter().format(record)
    assert token not in text and "<token>" in text


def test_redaction_catches_the_token_lower_cased_and_its_secret_half_alone() -> None:
    token = "123456:AAHsecretPART"
    assert redact(f"Not found /bot{token.lower()}/getMe", token) == "Not found /bot<token>/getMe"
    assert redact("proxy said: key=aahSECRETpart rejected", token) == "proxy said: key=<token> rejected"
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "failed: %s", (f"/bot{token.upper()}/x",), None)
    RedactFilter(token).filter(record)
    assert record.getMessage() == "failed: /bot<token>/x"


def test_backup_and_restore_sqlite(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'live.db'}"
    feed = tmp_path / "feeds.opml"
    feed.write_text('<opml version="2.0"><body><outline xmlUrl="https://a.example/rss" text="A"/></body></opml>')
    assert ringkas("feeds", "import", str(feed), cwd=tmp_path, DATABASE_URL=db).returncode == 0
    backed = ringkas("db", "backup", str(tmp_path / "backup.db"), cwd=tmp_path, DATABASE_URL=db)
    assert backed.returncode == 0, backed.stderr
    assert ringkas("feeds", "remove", "1", cwd=tmp_path, DATABASE_URL=db).returncode == 0
    assert "a.example" not in ringkas("feeds", "list", "--json", cwd=tmp_path, DATABASE_URL=db).stdout
    restored = ringkas("db", "restore", str(tmp_path / "backup.db"), cwd=tmp_path, DATABASE_URL=db)
    assert restored.returncode == 0, restored.stderr
    assert "a.example" in ringkas("feeds", "list", "--json", cwd=tmp_path, DATABASE_URL=db).stdout
    again = ringkas("db", "backup", str(tmp_path / "backup.db"), cwd=tmp_path, DATABASE_URL=db)
    assert again.returncode == 2 and "already exists" in again.stderr
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    junk = ringkas("db", "restore", str(tmp_path / "junk.db"), cwd=tmp_path, DATABASE_URL=db)
    assert junk.returncode == 2 and "not a Ringkas database" in junk.stderr
    pg = ringkas("db", "backup", str(tmp_path / "x.db"), cwd=tmp_path, DATABASE_URL="postgresql://u@127.0.0.1/x")
    assert pg.returncode == 2 and "pg_dump" in pg.stderr


def test_metrics_endpoint_serves_counters() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    metrics.serve(port)
    metrics.MESSAGES_SENT.labels("digest").inc()
    body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    for name in (
        "ringkas_feeds_polled_total",
        "ringkas_messages_sent_total",
        "ringkas_telegram_429_total",
        "ringkas_delivery_lag_seconds",
        "ringkas_articles_stored_total",
        "ringkas_feed_errors_total",
    ):
        assert name in body


def test_a_rejected_token_or_an_unreachable_api_is_one_clear_line(tmp_path: Path) -> None:
    from tests.bot.httpserver import closed_port
    from tests.fakes import FakeTelegram

    with FakeTelegram(token="123:right") as tg:
        out = ringkas("run", cwd=tmp_path, TELEGRAM_BOT_TOKEN="123:wrong", TELEGRAM_API_URL=tg.api_url)
    assert out.returncode == 2 and "rejected TELEGRAM_BOT_TOKEN" in out.stderr.splitlines()[-1]
    assert "123:wrong" not in out.stderr
    api = f"http://127.0.0.1:{closed_port()}/bot"
    out = ringkas("run", cwd=tmp_path, TELEGRAM_BOT_TOKEN="123:abc", TELEGRAM_API_URL=api)
    assert out.returncode == 1 and f"cannot reach the Telegram Bot API at {api}" in out.stderr.splitlines()[-1]
    assert "123:abc" not in out.stderr


TOKEN = "123456:AAHsecretPART"
HTML = b"<html><body>Welcome to the captive portal</body></html>"


def _no_token(text: str) -> bool:
    return "secretpart" not in text.lower()


def test_an_error_echoing_the_path_never_shows_the_token(tmp_path: Path) -> None:
    from tests.fakes import FakeTelegram

    with FakeTelegram(token=TOKEN) as tg:
        # Telegram-style "Bad Request: ..." is capitalized by PTB, which lower-cases the token.
        tg.fail_next("getMe", 400, description=f"Bad Request: no route for /bot{TOKEN}/getMe")
        out = ringkas("run", cwd=tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=tg.api_url)
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "<token>" in out.stderr and _no_token(out.stderr)


def test_a_bot_api_answering_html_is_one_line_and_exit_2_at_start(tmp_path: Path) -> None:
    from tests.fakes import FakeTelegram

    with FakeTelegram(token=TOKEN) as tg:
        tg.answer_raw_next("getMe", HTML)
        out = ringkas("run", cwd=tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=tg.api_url)
    assert out.returncode == 2, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "does not answer like the Telegram Bot API" in lines[0], out.stderr
    assert "Traceback" not in out.stderr and _no_token(out.stderr)


def test_a_bot_api_answering_html_while_running_is_logged_and_retried(tmp_path: Path) -> None:
    from tests.fakes import FakeTelegram

    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "RINGKAS_", "DATABASE_"))}
    log = tmp_path / "bot.log"
    with FakeTelegram(token=TOKEN) as tg:
        env = {
            **clean,
            "PYTHONPATH": str(ROOT),
            "RINGKAS_SEED_FEEDS": "false",
            "RINGKAS_INGEST": "false",
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": tg.api_url,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}",
        }
        with log.open("wb") as out:
            proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env, stdout=out, stderr=out)
        try:
            assert tg.wait_until(lambda: len(tg.calls("getUpdates")) >= 2, timeout=30), log.read_text()
            tg.answer_raw_next("getUpdates", HTML, count=2)
            tg.send_text(USER, "/start")  # answered by the poll already waiting; the next two meet the portal
            assert tg.wait_until(lambda: len(tg.messages_to(USER)) == 1, timeout=30), log.read_text()
            tg.send_text(USER, "/bantuan")
            assert tg.wait_until(lambda: len(tg.messages_to(USER)) == 2, timeout=30), log.read_text()
            assert ["Halo" in (m.text or "") for m in tg.messages_to(USER)] == [True, False]
            assert proc.poll() is None
        finally:
            proc.terminate()
            proc.wait(15)
    text = log.read_text()
    assert text.count("Bot API call failed (polling)") == 2 and "not Bot API JSON" in text, text
    assert "Traceback" not in text and _no_token(text)


USER = 4242
