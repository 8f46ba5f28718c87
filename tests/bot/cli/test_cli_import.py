"""``ringkas feeds import``: every outline checked as ``feeds add`` checks URLs (without the trial
fetch), one result line per outline, duplicates and already stored feeds reported, not stored twice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.store.feeds import parse_opml
from tests.bot.cli.test_cli_store import ROOT

OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Uji</title></head><body>
  <outline text="nasional">
    <outline type="rss" text="Baik" xmlUrl="https://kabar.example/rss"/>
    <outline type="rss" text="Loopback" xmlUrl="http://127.0.0.1:8080/rss"/>
    <outline type="rss" text="Localhost" xmlUrl="http://localhost/rss"/>
    <outline type="rss" text="Kredensial" xmlUrl="https://user:pass@kabar.example/rss"/>
    <outline type="rss" text="FTP" xmlUrl="ftp://kabar.example/rss"/>
    <outline type="rss" text="Port" xmlUrl="http://kabar.example:99999/rss"/>
    <outline type="rss" text="Lagi" xmlUrl="https://kabar.example/rss"/>
  </outline>
  <outline type="rss" text="Metadata" xmlUrl="http://169.254.169.254/latest"/>
</body></opml>
"""


def ringkas(*args: str, db_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "RINGKAS_SEED_FEEDS": "false",
        "RINGKAS_ALLOW_PRIVATE_URLS": "false",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120
    )


def test_import_refuses_what_add_refuses_and_says_so_per_outline(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    (tmp_path / "feeds.opml").write_text(OPML, encoding="utf-8")
    out = ringkas("feeds", "import", str(tmp_path / "feeds.opml"), db_url=db, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    status = {line.split()[1].rstrip(":"): line.split()[0] for line in lines[:-1]}
    assert status == {
        "https://kabar.example/rss": "added",
        "http://127.0.0.1:8080/rss": "refused",
        "http://localhost/rss": "refused",
        "https://user:pass@kabar.example/rss": "refused",
        "ftp://kabar.example/rss": "refused",
        "http://kabar.example:99999/rss": "refused",
        "http://169.254.169.254/latest": "refused",
    }
    assert "loopback" in out.stdout and "user name or password" in out.stdout
    assert lines[-1] == "imported 1 feeds (0 already present, 6 refused)"
    listed = json.loads(ringkas("feeds", "list", "--json", db_url=db, cwd=tmp_path).stdout)
    assert [(f["url"], f["category"]) for f in listed] == [("https://kabar.example/rss", "nasional")]
    again = ringkas("feeds", "import", str(tmp_path / "feeds.opml"), db_url=db, cwd=tmp_path)
    assert "exists   https://kabar.example/rss" in again.stdout
    assert again.stdout.splitlines()[-1] == "imported 0 feeds (1 already present, 6 refused)"


def test_many_outlines_are_each_read_once() -> None:
    body = "".join(f'<outline type="rss" text="F{i}" xmlUrl="https://f{i % 5000}.example/rss"/>' for i in range(20_000))
    rows = parse_opml(f"<opml><body>{body}</body></opml>".encode())
    assert len(rows) == 5000 and rows[0] == ("https://f0.example/rss", "F0", None)
