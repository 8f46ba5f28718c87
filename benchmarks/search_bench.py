"""Keyword-search latency on 100k synthetic articles, on SQLite and (when reachable) PostgreSQL.

Articles are built from a vocabulary sampled with its real word frequencies from the IndoSum
dev set (``<project>/../shared/data/indosum-dev.jsonl``), or from a small built-in list when
that file is absent. The fill uses bulk inserts and writes the same index rows as
``bot.store.search_index.index_articles`` would; then 200 queries of 1-3 terms (common, mid-frequency
and rare words mixed) are timed through ``bot.store.search.search`` and p50/p95 are printed as a
Markdown table with a description of the machine.

    .venv/bin/python benchmarks/search_bench.py [--articles 100000] [--queries 200]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import secrets
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path

import psycopg
from sqlalchemy import insert, make_url, text
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.store.db import Database
from bot.store.models import Article, Story
from bot.store.search import search
from bot.store.search_index import search_document, search_terms
from summarizer.lang.words import STOP_WORDS, words

DEV_SET = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "indosum-dev.jsonl"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
SEED = 20261125
BATCH = 2_000
TITLE_WORDS, BODY_WORDS, SUMMARY_WORDS = 8, 250, 40
# Articles per story, as the near-duplicate grouping would roughly produce.
STORY_SIZES, STORY_SIZE_WEIGHTS = (1, 2, 3, 5), (60, 25, 10, 5)
SPAN_DAYS = 30
WARMUP_QUERIES = 20
# Vocabulary ranks (by frequency) of the three kinds of query words.
COMMON_RANKS, MID_RANKS = 300, 5_000
QUERY_KIND_WEIGHTS = {"common": 3, "mid": 4, "rare": 3}
TARGET_P95_MS = 25.0

BUILTIN_WORDS = [
    "yang",
    "dan",
    "di",
    "ini",
    "itu",
    "dengan",
    "untuk",
    "tidak",
    "dari",
    "dalam",
    "akan",
    "pada",
    "juga",
    "saya",
    "ke",
    "karena",
    "tersebut",
    "bisa",
    "ada",
    "mereka",
    "lebih",
    "kata",
    "tahun",
    "sudah",
    "atau",
    "saat",
    "oleh",
    "menjadi",
    "orang",
    "dia",
    "telah",
    "jakarta",
    "pemerintah",
    "presiden",
    "indonesia",
    "warga",
    "polisi",
    "banjir",
    "gempa",
    "harga",
    "beras",
    "minyak",
    "sekolah",
    "guru",
    "rumah",
    "sakit",
    "dokter",
    "pasien",
    "jalan",
    "tol",
    "kereta",
    "bandara",
    "pesawat",
    "kapal",
    "pelabuhan",
    "nelayan",
    "petani",
    "pasar",
    "pedagang",
    "rupiah",
    "dolar",
    "saham",
    "bank",
    "kredit",
    "pajak",
    "anggaran",
    "menteri",
    "gubernur",
    "bupati",
    "wali",
    "kota",
    "desa",
    "kecamatan",
    "provinsi",
    "pemilu",
    "partai",
    "dewan",
    "sidang",
    "hakim",
    "jaksa",
    "korupsi",
    "tersangka",
    "sepak",
    "bola",
    "liga",
    "pemain",
    "pelatih",
    "gol",
    "stadion",
    "musik",
    "film",
    "konser",
    "artis",
    "teknologi",
    "internet",
    "aplikasi",
    "ponsel",
    "data",
    "siber",
    "peretas",
    "listrik",
    "air",
    "hujan",
    "cuaca",
    "kebakaran",
    "hutan",
    "asap",
    "vaksin",
]


@dataclass(frozen=True)
class Vocabulary:
    """Words with cumulative sampling weights, their index stems, and the query-word buckets."""

    words: list[str]
    cumulative: list[int]
    stems: dict[str, str]

    def bucket(self, kind: str) -> list[str]:
        """Content words (search drops stop words) of one class: common, mid or rare."""
        content = [w for w in self.words if w not in STOP_WORDS]
        if kind == "common":
            return content[:COMMON_RANKS]
        if kind == "mid":
            return content[COMMON_RANKS:MID_RANKS]
        return content[MID_RANKS:] or content[-50:]


def load_vocabulary() -> tuple[Vocabulary, str]:
    """Word frequencies of the dev set, or the built-in list."""
    counts: Counter[str] = Counter()
    if DEV_SET.exists():
        with DEV_SET.open(encoding="utf-8") as handle:
            for line in handle:
                counts.update(words(json.loads(line)["text"]))
        source = f"IndoSum dev set ({DEV_SET.name})"
    else:
        counts.update({w: len(BUILTIN_WORDS) - i for i, w in enumerate(BUILTIN_WORDS)})
        source = "built-in word list (dev set not found)"
    # Single-token words only, so stemming a word alone equals stemming it in running text.
    kept = [(w, n) for w, n in counts.most_common() if len(search_terms(w)) == 1 and "_" not in w]
    stems = {w: search_terms(w)[0] for w, _ in kept}
    return Vocabulary([w for w, _ in kept], list(accumulate(n for _, n in kept)), stems), source


@dataclass
class Batch:
    """Rows for one bulk insert: stories, articles and their index rows, with explicit ids."""

    stories: list[dict] = field(default_factory=list)
    articles: list[dict] = field(default_factory=list)
    index_rows: list[dict] = field(default_factory=list)


def make_batch(vocab: Vocabulary, first_id: int, count: int, total: int, story_id: int, rng: random.Random) -> Batch:
    """Articles first_id.. (oldest first) grouped into stories from story_id on."""
    now = datetime.now(UTC)
    batch = Batch()
    left_in_story = 0
    for n in range(first_id, first_id + count):
        title_words = rng.choices(vocab.words, cum_weights=vocab.cumulative, k=TITLE_WORDS)
        body_words = rng.choices(vocab.words, cum_weights=vocab.cumulative, k=BODY_WORDS)
        title, body = " ".join(title_words).capitalize(), " ".join(body_words)
        seen = now - timedelta(days=SPAN_DAYS * (1 - n / total))
        if left_in_story == 0:
            story_id += 1
            left_in_story = rng.choices(STORY_SIZES, STORY_SIZE_WEIGHTS)[0]
            batch.stories.append({"id": story_id, "title": title, "first_seen_at": seen, "updated_at": seen})
        left_in_story -= 1
        batch.articles.append(
            {
                "id": n,
                "story_id": story_id,
                "url": f"https://bench.test/{n}",
                "canonical_url": f"https://bench.test/{n}",
                "title": title,
                "published_at": seen,
                "first_seen_at": seen,
                "source": f"Outlet {n % 12}",
                "text": body,
                "summary": [" ".join(body_words[:SUMMARY_WORDS])],
            }
        )
        batch.index_rows.append(
            {
                "id": n,
                "title": " ".join(vocab.stems[w] for w in title_words),
                "body": " ".join(vocab.stems[w] for w in body_words),
            }
        )
    return batch


_INDEX_SQL = {
    "sqlite": "INSERT INTO article_search(rowid, title, body) VALUES (:id, :title, :body)",
    "postgresql": "INSERT INTO article_search (article_id, document) VALUES (:id, "
    "setweight(to_tsvector('simple', :title), 'A') || "
    "setweight(to_tsvector('simple', :body), 'B'))",
}


async def fill(db: Database, vocab: Vocabulary, count: int, seed: int) -> float:
    """Bulk-insert stories, articles and index rows; returns seconds taken."""
    rng = random.Random(seed)
    started = time.perf_counter()
    next_id, story_id = 1, 0
    with tqdm(total=count, desc=f"fill {db.dialect}", unit="art", file=sys.stderr) as bar:
        while next_id <= count:
            size = min(BATCH, count - next_id + 1)
            batch = make_batch(vocab, next_id, size, count, story_id, rng)
            async with db.sessionmaker.begin() as session:
                await session.execute(insert(Story), batch.stories)
                await session.execute(insert(Article), batch.articles)
                await session.execute(text(_INDEX_SQL[db.dialect]), batch.index_rows)
            story_id = batch.stories[-1]["id"]
            next_id += size
            bar.update(size)
    if db.dialect == "postgresql":
        # Ids were given explicitly; VACUUM cannot run in a transaction block.
        autocommit = db.engine.execution_options(isolation_level="AUTOCOMMIT")
        async with autocommit.connect() as conn:
            for table in ("stories", "articles"):
                await conn.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}")
                )
            await conn.execute(text("VACUUM ANALYZE"))
    return time.perf_counter() - started


def make_queries(vocab: Vocabulary, count: int, rng: random.Random) -> list[tuple[str, str]]:
    """(kind, query) pairs; a query's kind is its rarest word's class."""
    kinds = list(QUERY_KIND_WEIGHTS)
    order = {k: i for i, k in enumerate(kinds)}
    out = []
    for _ in range(count):
        picked = rng.choices(kinds, list(QUERY_KIND_WEIGHTS.values()), k=rng.randint(1, 3))
        words = [rng.choice(vocab.bucket(kind)) for kind in picked]
        out.append((max(picked, key=order.__getitem__), " ".join(words)))
    return out


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation."""
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


async def time_queries(db: Database, queries: list[tuple[str, str]]) -> dict[str, list[float]]:
    """Milliseconds per query, by query kind and "all"."""
    timings: dict[str, list[float]] = {"all": []}
    async with db.sessionmaker() as session:
        for _, query in queries[:WARMUP_QUERIES]:
            await search(session, query)
        for kind, query in queries:
            started = time.perf_counter()
            await search(session, query)
            elapsed = (time.perf_counter() - started) * 1000
            timings["all"].append(elapsed)
            timings.setdefault(kind, []).append(elapsed)
    # Other work on the machine inflates latencies; the 1-minute load average says how much.
    timings["load"] = [os.getloadavg()[0]] if hasattr(os, "getloadavg") else []
    return timings


def machine() -> str:
    """CPU model, cores, OS and library versions."""
    cpu = platform.processor() or "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split("MemTotal:", 1)[1].split()[0])
        memory = f", {kib / 2**20:.0f} GiB RAM"
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


async def bench(url: str, vocab: Vocabulary, args: argparse.Namespace) -> tuple[float, dict]:
    """Fill a database at url and time the queries on it."""
    db = Database(url)
    try:
        await db.upgrade()
        fill_seconds = await fill(db, vocab, args.articles, SEED)
        queries = make_queries(vocab, args.queries, random.Random(SEED + 1))
        sample = " ".join(vocab.words[:30])
        assert search_document(sample) == " ".join(vocab.stems[w] for w in vocab.words[:30])
        return fill_seconds, await time_queries(db, queries)
    finally:
        await db.dispose()


def postgres_database(admin: str) -> tuple[str | None, str, str]:
    """Create a scratch database; returns its URL (None if unreachable), a note, the version."""
    url = make_url(admin)
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"ringkas_bench_{secrets.token_hex(4)}"
    try:
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as conn:
            version = str(conn.execute(b"SHOW server_version").fetchone()[0]).split()[0]  # type: ignore[index]
            conn.execute(f'CREATE DATABASE "{name}"'.encode())
    except psycopg.Error as exc:
        return None, f"PostgreSQL not reachable at {url.render_as_string()}: {exc}", ""
    return url.set(database=name).render_as_string(hide_password=False), name, version


def drop_postgres_database(admin: str, name: str) -> None:
    """Drop the scratch database."""
    conninfo = make_url(admin).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())


def main() -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--postgres-url", default=os.environ.get("RINGKAS_TEST_POSTGRES_URL", DEFAULT_POSTGRES))
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()

    vocab, source = load_vocabulary()
    results: list[tuple[str, float, dict]] = []
    notes = [f"vocabulary: {len(vocab.words)} words from the {source}"]
    with tempfile.TemporaryDirectory(prefix="ringkas-bench-") as tmp:
        fill_s, timings = asyncio.run(bench(f"sqlite:///{tmp}/bench.db", vocab, args))
        results.append(("SQLite FTS5", fill_s, timings))
    if not args.no_postgres:
        url, name, version = postgres_database(args.postgres_url)
        if url is None:
            notes.append(name)
        else:
            try:
                fill_s, timings = asyncio.run(bench(url, vocab, args))
                results.append((f"PostgreSQL {version}", fill_s, timings))
            finally:
                drop_postgres_database(args.postgres_url, name)

    print(f"## Keyword search, {args.articles:,} articles, {args.queries} queries\n")
    print(f"Machine: {machine()}\n")
    print("| database | fill (s) | p50 ms | p95 ms | max ms | p95 common | p95 mid | p95 rare | load avg |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, fill_s, t in results:
        kinds = [f"{percentile(t[k], 95):.1f}" if t.get(k) else "-" for k in QUERY_KIND_WEIGHTS]
        load = f"{t['load'][0]:.1f}" if t["load"] else "-"
        print(
            f"| {name} | {fill_s:.0f} | {percentile(t['all'], 50):.1f} | "
            f"{percentile(t['all'], 95):.1f} | {max(t['all']):.1f} | {' | '.join(kinds)} "
            f"| {load} |"
        )
    print(
        f"\nTarget: p95 < {TARGET_P95_MS:.0f} ms. Queries are content words (search drops stop"
        " words); a query's class is its rarest word's: common = the 300 most frequent, mid ="
        f" ranks 300-{MID_RANKS}, rare = beyond."
    )
    for note in notes:
        print(f"- {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
