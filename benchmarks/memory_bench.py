"""Peak memory of ``ringkas run`` at its defaults while it ingests a day of six outlets.

Six outlets, each on its own loopback address (127.0.0.11 to .16, so the per-host politeness
applies as it would to six real sites), serve a feed of ``--items`` teasers whose article pages
must be fetched, extracted and summarized. The texts are the outlets' own from
../shared/data/multi-outlet-2025-06-10.jsonl when present, else a synthetic article. The
fake Bot API runs in its own process; ``ringkas run`` starts with a fresh SQLite database and
its default settings, except that private (loopback) URLs are allowed and the six feeds
replace the seed list. Every process of the bot's tree is sampled every 0.1 s: RSS, and PSS
(``/proc/PID/smaps_rollup``: a page shared by several processes counted once, split between
them). Prints each process's peak and the peak of the totals, once every item is stored.

    .venv/bin/python benchmarks/memory_bench.py [--items 100] [--timeout 600]
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.fanout_bench import start_fake  # noqa: E402
from bot.store.db import Database  # noqa: E402
from bot.store.models import Article, Feed  # noqa: E402
from tests.bot.newsfeed import BODY, Item, rss  # noqa: E402

OUTLETS = ("tribunnews", "liputan6", "detik", "okezone", "sindonews", "tempo")
CORPUS = ROOT.parent / "shared" / "data" / "multi-outlet-2025-06-10.jsonl"
TOKEN = "123:ABC"
SAMPLE_SECONDS = 0.1
TARGET_MB = 200


def articles(outlet: str, count: int) -> list[tuple[str, str]]:
    """(title, text) of an outlet's articles: the real ones when the corpus is present."""
    if CORPUS.is_file():
        with CORPUS.open(encoding="utf-8") as lines:
            rows = [json.loads(line) for line in lines if line.strip()]
        found = [(r["title"], r["text"]) for r in rows if r["outlet"] == outlet and len(r["text"]) > 400]
        if found:
            return [found[i % len(found)] for i in range(count)]
    return [(f"Berita {outlet} nomor {i}", BODY) for i in range(count)]


def page(title: str, text: str) -> bytes:
    """A news page: navigation and footer around the article."""
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
    return (
        f"<html><head><title>{html.escape(title)}</title></head><body><nav>Beranda | Nasional | Ekonomi</nav>"
        f"<article><h1>{html.escape(title)}</h1>{paragraphs}</article><footer>Hak Cipta</footer></body></html>"
    ).encode()


def serve_outlet(host: str, outlet: str, count: int) -> tuple[ThreadingHTTPServer, str]:
    """Serve one outlet's feed and pages on host; (server, feed URL)."""
    documents: dict[str, tuple[str, bytes]] = {}
    server = ThreadingHTTPServer((host, 0), BaseHTTPRequestHandler)
    base = f"http://{host}:{server.server_address[1]}"
    now = datetime.now(UTC)
    items = []
    for i, (title, text) in enumerate(articles(outlet, count)):
        path = f"/{outlet}/{i}"
        documents[path] = ("text/html; charset=utf-8", page(title, text))
        lead = " ".join(text.split()[:30]) + " …"
        items.append(Item(f"{title} ({i})", base + path, now - timedelta(minutes=10 * i), lead, body=""))
    documents["/rss"] = ("application/rss+xml", rss(items, title=outlet))

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            kind, body = documents.get(self.path, ("text/plain", b""))
            self.send_response(200 if self.path in documents else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server.RequestHandlerClass = Handler
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, base + "/rss"


async def prepare(url: str, feeds: list[tuple[str, str]]) -> None:
    """Migrate the database and add the outlets' feeds."""
    db = Database(url)
    await db.upgrade()
    async with db.sessionmaker.begin() as session:
        session.add_all(Feed(url=feed, name=name, category="nasional") for name, feed in feeds)
    await db.dispose()


async def stored(url: str) -> int:
    """Articles stored so far."""
    from sqlalchemy import func, select

    db = Database(url)
    try:
        async with db.sessionmaker() as session:
            return int(await session.scalar(select(func.count()).select_from(Article)) or 0)
    finally:
        await db.dispose()


def tree(pid: int) -> list[int]:
    """pid and all its descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            children = task / "children"
            if children.exists():
                todo += [int(c) for c in children.read_text().split()]
    return found


def role(pid: int, main: int) -> str:
    """What a process of the bot's tree is (a forked worker keeps its fork server's command line)."""
    if pid == main:
        return "main (ringkas run)"
    parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    for marker, name in (
        ("bot.store.migrate", "migration (exits before ingesting)"),
        ("bot.ingest.workerloop", "parse worker"),
        ("resource_tracker", "resource tracker"),
    ):
        if marker in cmdline:
            return name
    return "fork server" if "forkserver" in cmdline and parent == main else "other"


def memory(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of one process in MB."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _, rest = line.partition(":")
        values[name] = int(rest.split()[0]) / 1024
    return values.get("Rss", 0.0), values.get("Pss", 0.0)


def main() -> int:
    """Run the bot, ingest, sample, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--items", type=int, default=100, help="items per outlet (the default poll takes 100)")
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args()
    servers, feeds = [], []
    for n, outlet in enumerate(OUTLETS):
        server, feed = serve_outlet(f"127.0.0.{11 + n}", outlet, args.items)
        servers.append(server)
        feeds.append((outlet, feed))
    fake, api = start_fake(None)
    peaks: dict[int, tuple[str, float, float]] = {}
    total_rss = total_pss = 0.0
    with tempfile.TemporaryDirectory(prefix="ringkas-memory-") as tmp:
        url = f"sqlite:///{tmp}/ringkas.db"
        asyncio.run(prepare(url, feeds))
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": f"{api}/bot",
            "DATABASE_URL": url,
            "RINGKAS_SEED_FEEDS": "false",
            "RINGKAS_ALLOW_PRIVATE_URLS": "true",
        }
        log = open(Path(tmp) / "bot.log", "wb")  # noqa: SIM115 -- closed below, after the bot stops
        bot = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=tmp, env=env, stdout=log, stderr=log)
        started, count, last_check = time.monotonic(), 0, 0.0
        expected = args.items * len(OUTLETS)
        try:
            while time.monotonic() - started < args.timeout and bot.poll() is None:
                rss_sum = pss_sum = 0.0
                for pid in tree(bot.pid):
                    try:
                        rss, pss = memory(pid)
                        kind = role(pid, bot.pid)
                    except (FileNotFoundError, ProcessLookupError):
                        continue
                    _, best_rss, best_pss = peaks.get(pid, (kind, 0.0, 0.0))
                    peaks[pid] = (kind, max(best_rss, rss), max(best_pss, pss))
                    rss_sum, pss_sum = rss_sum + rss, pss_sum + pss
                total_rss, total_pss = max(total_rss, rss_sum), max(total_pss, pss_sum)
                if time.monotonic() - last_check > 2:
                    count, last_check = asyncio.run(stored(url)), time.monotonic()
                    if count >= expected:
                        break
                time.sleep(SAMPLE_SECONDS)
            seconds = time.monotonic() - started
        finally:
            bot.terminate()
            bot.wait(30)
            log.close()
            fake.terminate()
            for server in servers:
                server.shutdown()
    print(f"## `ringkas run` at its defaults, ingesting six outlets ({args.items} articles each)\n")
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f}; {count} of {expected} articles stored in {seconds:.0f} s\n"
    )
    print("| process | peak RSS (MB) | peak PSS (MB) |")
    print("|---|---:|---:|")
    for pid, (kind, rss, pss) in sorted(peaks.items()):
        print(f"| {kind} (pid {pid}) | {rss:.0f} | {pss:.0f} |")
    print(f"| **all together, at their peak** | **{total_rss:.0f}** | **{total_pss:.0f}** |")
    print(
        f"\nTarget: {TARGET_MB} MB in total. RSS counts a page shared by several processes in each of them;"
        " PSS splits it between them, so its total is the memory the bot really holds."
    )
    return 0 if count >= expected and total_pss <= TARGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
