"""The storage and ingestion command line, as a user runs it: ``ringkas feeds|fetch|search|db``."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import URL

from tests.bot.httpserver import LocalServer, respond
from tests.bot.newsfeed import Item, rss

ROOT = Path(__file__).resolve().parents[3]
NOW = datetime.now(UTC)
LEAD = "Banjir setinggi satu meter merendam ratusan rumah di Kemang, Jakarta Selatan, pada Senin pagi."


def ringkas(*args: str, db_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "RINGKAS_SEED_FEEDS": "false",
        "RINGKAS_ALLOW_PRIVATE_URLS": "true",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120
    )


@pytest.fixture
def site() -> Iterator[LocalServer]:
    with LocalServer() as server:
        server.route(
            "/rss",
            respond(
                rss(
                    [
                        Item(
                            "Banjir Rendam Kemang",
                            "https://kabar.example/1?utm_source=x",
                            NOW - timedelta(hours=1),
                            LEAD,
                        ),
                        Item(
                            "Gempa Guncang Cianjur",
                            "https://kabar.example/2",
                            NOW,
                            "Gempa bermagnitudo 5,2 mengguncang Cianjur.",
                        ),
                    ],
                    title="Kabar Uji",
                ),
                headers={"Content-Type": "application/rss+xml"},
            ),
        )
        yield server


def test_feeds_fetch_search_round_trip(tmp_path: Path, site: LocalServer) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    assert ringkas("db", "upgrade", db_url=db, cwd=tmp_path).returncode == 0
    added = ringkas(
        "feeds", "add", site.url("/rss"), "--category", "bencana", "--interval", "5", db_url=db, cwd=tmp_path
    )
    assert added.returncode == 0, added.stderr
    assert "Kabar Uji" in added.stdout and "2 items" in added.stdout
    listed = json.loads(ringkas("feeds", "list", "--json", db_url=db, cwd=tmp_path).stdout)
    assert listed[0]["category"] == "bencana" and listed[0]["interval_minutes"] == 5
    assert {"id", "name", "url", "category", "enabled", "last_success_at", "last_error", "consecutive_failures"} <= set(
        listed[0]
    )
    fetched = json.loads(ringkas("fetch", "--json", db_url=db, cwd=tmp_path).stdout)
    assert fetched[0]["new"] == 2 and fetched[0]["error"] is None
    table = ringkas("fetch", "--feed", str(listed[0]["id"]), db_url=db, cwd=tmp_path).stdout
    assert "2 " in table and "0 new articles" in table  # duplicates the second time
    hits = json.loads(ringkas("search", "kebanjiran", "--json", db_url=db, cwd=tmp_path).stdout)
    assert [h["title"] for h in hits] == ["Banjir Rendam Kemang"]
    assert set(hits[0]) == {"title", "url", "source", "published", "sentences", "story_id", "outlets", "links"}
    assert hits[0]["outlets"] == ["Kabar Uji"]
    assert hits[0]["links"] == [{"outlet": "Kabar Uji", "url": hits[0]["url"]}]
    assert hits[0]["sentences"] and hits[0]["published"].endswith("+00:00")
    for hostile in ['kota-kota "NEAR" OR *', "'; DROP TABLE articles; -- 🌊" + "x" * 2000]:
        out = ringkas("search", hostile, "--json", db_url=db, cwd=tmp_path)
        assert out.returncode == 0 and isinstance(json.loads(out.stdout), list), (hostile, out.stderr)
    opml = ringkas("feeds", "export", db_url=db, cwd=tmp_path).stdout
    assert "xmlUrl" in opml and "bencana" in opml
    removed = ringkas("feeds", "remove", str(listed[0]["id"]), db_url=db, cwd=tmp_path)
    assert (
        removed.returncode == 0 and json.loads(ringkas("feeds", "list", "--json", db_url=db, cwd=tmp_path).stdout) == []
    )
    (tmp_path / "feeds.opml").write_text(opml, encoding="utf-8")
    imported = ringkas("feeds", "import", str(tmp_path / "feeds.opml"), db_url=db, cwd=tmp_path)
    assert "imported 1 feeds" in imported.stdout
    assert ringkas("db", "prune", db_url=db, cwd=tmp_path).returncode == 0


def test_feed_errors_are_one_line_and_status_2(tmp_path: Path, site: LocalServer) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    for args, message in [
        (("feeds", "add", "http://127.0.0.1:1/rss"), "127.0.0.1:1"),
        (("feeds", "add", site.url("/missing")), "HTTP 404"),
        (("feeds", "remove", "99"), "no feed with id 99"),
        (("feeds", "import", str(tmp_path / "nope.opml")), "no such file"),
    ]:
        out = ringkas(*args, db_url=db, cwd=tmp_path)
        assert out.returncode == 2 and message in out.stderr and "Traceback" not in out.stderr, out.stderr
    (tmp_path / "bad.opml").write_text("<opml><body>", encoding="utf-8")
    out = ringkas("feeds", "import", str(tmp_path / "bad.opml"), db_url=db, cwd=tmp_path)
    assert out.returncode == 2 and "not valid OPML" in out.stderr


def test_default_feeds_are_seeded_once(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'seed.db'}"
    env_seed = {**os.environ, "DATABASE_URL": db, "PYTHONPATH": str(ROOT)}
    first = subprocess.run(
        [sys.executable, "-m", "bot", "feeds", "list", "--json"],
        capture_output=True,
        text=True,
        env=env_seed,
        cwd=tmp_path,
        timeout=60,
    )
    feeds = json.loads(first.stdout)
    assert len(feeds) >= 10 and any("antaranews" in f["url"] for f in feeds)
    again = subprocess.run(
        [sys.executable, "-m", "bot", "feeds", "list", "--json"],
        capture_output=True,
        text=True,
        env=env_seed,
        cwd=tmp_path,
        timeout=60,
    )
    assert len(json.loads(again.stdout)) == len(feeds)


def test_cli_on_postgresql(tmp_path: Path, site: LocalServer, postgres_url: URL) -> None:
    db = postgres_url.render_as_string(hide_password=False)
    ringkas("feeds", "add", site.url("/rss"), db_url=db, cwd=tmp_path)
    fetched = json.loads(ringkas("fetch", "--json", db_url=db, cwd=tmp_path).stdout)
    assert sum(f["new"] for f in fetched) >= 0
    hits = json.loads(ringkas("search", "banjir", "--json", db_url=db, cwd=tmp_path).stdout)
    assert any(h["title"] == "Banjir Rendam Kemang" for h in hits)


def test_ingest_watch_runs_the_schedule_until_stopped(tmp_path: Path, site: LocalServer) -> None:
    db = f"sqlite:///{tmp_path / 'watch.db'}"
    assert ringkas("feeds", "add", site.url("/rss"), db_url=db, cwd=tmp_path).returncode == 0
    env = {
        **os.environ,
        "DATABASE_URL": db,
        "RINGKAS_SEED_FEEDS": "false",
        "RINGKAS_ALLOW_PRIVATE_URLS": "true",
        "PYTHONPATH": str(ROOT),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "ingest", "--watch"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        stored = 0
        while time.monotonic() < deadline and stored < 2:
            time.sleep(0.5)
            with sqlite3.connect(tmp_path / "watch.db") as conn:
                stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert stored == 2
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, output
    assert "feed polled" in output


def test_fetch_counts_the_articles_it_stores(
    tmp_path: Path, site: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prometheus_client import REGISTRY

    from bot.cli.main import main
    from bot.config import get_settings

    db = f"sqlite:///{tmp_path / 'counted.db'}"
    assert ringkas("feeds", "add", site.url("/rss"), db_url=db, cwd=tmp_path).returncode == 0
    monkeypatch.chdir(tmp_path)
    for name, value in {
        "DATABASE_URL": db,
        "RINGKAS_SEED_FEEDS": "false",
        "RINGKAS_ALLOW_PRIVATE_URLS": "true",
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    before = REGISTRY.get_sample_value("ringkas_articles_stored_total") or 0.0
    try:
        assert main(["fetch"]) == 0  # in this process, so its counters can be read
    finally:
        get_settings.cache_clear()
    assert (REGISTRY.get_sample_value("ringkas_articles_stored_total") or 0.0) == before + 2
