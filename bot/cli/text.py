"""``ringkas summarize`` and ``ringkas eval``: the summarizer from the command line."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from bot.cli.textinput import InputError, decode_bytes, read_source

logger = logging.getLogger(__name__)


def _fail(message: str) -> int:
    print(f"ringkas: {message}", file=sys.stderr)
    return 2


def _read_jsonl(path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) from a JSON Lines file; raise InputError on bad lines."""
    file = Path(path)
    if not file.is_file():
        raise InputError(f"{path}: no such file" if not file.exists() else f"{path}: not a file")
    text = decode_bytes(file.read_bytes(), name=path)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}: not JSON ({exc.msg})") from exc
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise InputError(f'{path}:{number}: expected an object with a "text" string')
        yield number, record


def _allow_private(source: str) -> bool:
    """Whether a private URL may be fetched; the settings (pydantic) load only for a URL."""
    if not source.lower().startswith(("http://", "https://")):
        return False
    from bot.config import get_settings

    return get_settings().ringkas_allow_private_urls


def _summarize_batch(args: argparse.Namespace) -> int:
    from summarizer import summarize_page

    out: TextIO = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    try:
        for number, record in _read_jsonl(args.jsonl):
            result = summarize_page(record["text"], n=args.n, method=args.method, words=args.words)
            row = {"id": record.get("id", number), "sentences": result.sentences}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


def summarize_command(args: argparse.Namespace) -> int:
    """Summarize one page, or a JSON Lines batch."""
    from summarizer import summarize_page
    from summarizer.methods import METHODS

    if args.n < 1:
        return _fail("-n must be at least 1")
    if args.words < 1:
        return _fail("--words must be at least 1")
    if args.method not in METHODS:
        return _fail(f"unknown method {args.method!r}; choose from {', '.join(METHODS)}")
    try:
        if args.jsonl:
            return _summarize_batch(args)
        source = read_source(args.source, allow_private=_allow_private(args.source))
    except InputError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"{exc.filename or args.output}: {exc.strerror}")
    result = summarize_page(
        source.text, n=args.n, method=args.method, url=source.url, words=args.words
    )
    if not result.sentences:
        logger.warning("no summary: %s", result.reason)
    if args.json:
        payload = {
            "title": result.title,
            "author": result.author,
            "published": result.published.isoformat() if result.published else None,
            "sentences": result.sentences,
            "method": result.method,
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for sentence in result.sentences:
            print(sentence)
    return 0


def eval_command(args: argparse.Namespace) -> int:
    """Print a ROUGE table for the chosen methods on a JSON Lines file with summaries."""
    from summarizer.evaluate import evaluate, format_table
    from summarizer.methods import METHODS

    methods = args.methods or ["lead3", "default"]
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        return _fail(f"unknown method {unknown[0]!r}; choose from {', '.join(METHODS)}")
    try:
        records = [r for _, r in _read_jsonl(args.input)]
    except InputError as exc:
        return _fail(str(exc))
    records = [r for r in records if isinstance(r.get("summary"), str)][: args.limit]
    if not records:
        return _fail(f'{args.input}: no lines with both "text" and "summary"')
    if args.n < 1 or args.words < 1:
        return _fail("-n and --words must be at least 1")
    print(format_table(evaluate(records, methods, n=args.n, progress=True, words=args.words)))
    return 0
