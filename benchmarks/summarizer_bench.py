"""Benchmark of the summarization methods on the IndoSum dev set: quality and speed.

Prints a Markdown table of ROUGE-1/2/L F1 (x100, rouge-score without stemming) and articles
per second, with mean words per summary, for LEAD-3, every sumy summarizer in the registry (run on the same sentences
with the Indonesian tokenizer, stemmer and stop words; plain sumy LexRank included) and the
default learned ranker; then the time to summarize one 500-sentence article built by
concatenating dev articles; then the machine. Each row says how many articles it ran on.
Note that the default model was trained on this very file, so its row here is in-sample;
the honest, cross-validated figure is printed by ``python -m summarizer.training.train``. Run from
the project root: ``.venv/bin/python benchmarks/summarizer_bench.py [--limit N]
[--slow-limit N] [--method M ...] [-n N] [--words W]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summarizer.core import DEFAULT_SENTENCES, DEFAULT_WORDS, summarize_page  # noqa: E402
from summarizer.evaluate import evaluate, format_table  # noqa: E402
from summarizer.page.clean import clean_text  # noqa: E402
from summarizer.ranking.features import split_document  # noqa: E402
from summarizer.ranking.methods import DEFAULT_METHOD, LEAD_METHOD, METHODS  # noqa: E402

DEFAULT_DATA = ROOT / ".." / "shared" / "data" / "indosum-dev.jsonl"
SLOW_METHODS = ("lsa", "kl", "reduction", "textrank")
LONG_ARTICLE_SENTENCES = 500
TIMING_RUNS = 5


def load_records(path: Path, limit: int | None) -> list[dict]:
    """The first ``limit`` records (all if None) of a JSON Lines file."""
    with path.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return records[:limit]


def sample(records: list[dict], size: int | None) -> list[dict]:
    """Every k-th record, so that about ``size`` records spread over the whole file remain."""
    if size is None or size >= len(records):
        return records
    step = -(-len(records) // size)
    return records[::step]


def long_article(records: list[dict], sentences: int) -> str:
    """Cleaned dev articles glued together until ``sentences`` sentences, cut there."""
    paragraphs: list[str] = []
    count = 0
    for record in records:
        for paragraph in clean_text(record["text"]).split("\n\n"):
            found = split_document(paragraph)
            if count + len(found) > sentences:
                found = found[: sentences - count]
            paragraphs.append(" ".join(s.text for s in found))
            count += len(found)
            if count >= sentences:
                return "\n\n".join(p for p in paragraphs if p)
    return "\n\n".join(p for p in paragraphs if p)


def time_long_article(text: str, method: str) -> float:
    """Median milliseconds to summarize the text with a method (after one warm-up run)."""
    summarize_page(text, method=method)
    runs = []
    for _ in range(TIMING_RUNS):
        started = time.perf_counter()
        summarize_page(text, method=method)
        runs.append(time.perf_counter() - started)
    return 1000 * statistics.median(runs)


def cpu_model() -> str:
    """The processor's model name where the OS tells it, else what platform knows."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    return platform.processor() or platform.machine()


def main() -> int:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--slow-limit", type=int, default=None, help=f"run {', '.join(SLOW_METHODS)} on ~N articles")
    parser.add_argument("-n", type=int, default=DEFAULT_SENTENCES, help="most sentences")
    parser.add_argument("--words", type=int, default=DEFAULT_WORDS, help="word budget")
    parser.add_argument("--method", action="append", dest="methods", help="only these (repeatable)")
    args = parser.parse_args()
    if not args.data.is_file():
        print(f"no data at {args.data} (it lives in ../shared beside the project)", file=sys.stderr)
        return 2
    records = load_records(args.data, args.limit)
    methods = args.methods or [
        LEAD_METHOD,
        *(m for m in METHODS if m not in (LEAD_METHOD, DEFAULT_METHOD)),
        DEFAULT_METHOD,
    ]
    scores = []
    for method in methods:
        chosen = sample(records, args.slow_limit) if method in SLOW_METHODS else records
        scores.extend(evaluate(chosen, [method], n=args.n, progress=True, words=args.words))
    print(f"## Summarizers on {args.data.name} (at most {args.n} sentences, {args.words} words)\n")
    print(format_table(scores))

    text = long_article(records, LONG_ARTICLE_SENTENCES)
    seen = len(split_document(text))
    print(f"\n## One long article ({seen} sentences, {len(text):,} characters)\n")
    print("| method | ms per article |\n|---|---:|")
    for method in (DEFAULT_METHOD, "lexrank", LEAD_METHOD):
        print(f"| {method} | {time_long_article(text, method):.1f} |")

    print("\n## Machine\n")
    print(f"- processor: {cpu_model()} ({platform.processor() or platform.machine()})")
    print(f"- cpu count: {os.cpu_count()}")
    print(f"- python: {platform.python_version()} ({platform.python_implementation()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
