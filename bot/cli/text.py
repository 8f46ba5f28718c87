"""``ringkas summarize`` and ``ringkas eval``: the summarizer from the command line."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn, TextIO

from bot.cli.textinput import InputError, decode_bytes, read_source

logger = logging.getLogger(__name__)


NO_TEXT = "no article text found"


def _fail(message: str) -> int:
    """Print one error line for the user and return exit status 2."""
    logger.debug("refused: %s", message)
    print(f"ringkas: {message}", file=sys.stderr)
    return 2


def _refuse_constant(name: str) -> NoReturn:
    """Refuse NaN and ±Infinity, which json accepts but no JSON writer may echo back."""
    raise ValueError(f"non-finite number {name}")


def _checked_jsonl(path: str) -> str:
    """Return the decoded text of a JSON Lines file; InputError if it cannot be read."""
    file = Path(path)
    if not file.is_file():
        raise InputError(f"{path}: no such file" if not file.exists() else f"{path}: not a file")
    return decode_bytes(file.read_bytes(), name=path)


def _read_jsonl(path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) from a JSON Lines file; raise InputError on bad lines."""
    text = _checked_jsonl(path)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line, parse_constant=_refuse_constant)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}: not JSON ({exc.msg})") from exc
        except ValueError as exc:
            raise InputError(f"{path}:{number}: not JSON ({exc})") from exc
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise InputError(f'{path}:{number}: expected an object with a "text" string')
        yield number, record


def _allow_private(source: str) -> bool:
    """Whether a private URL may be fetched; the settings (pydantic) load only for a URL."""
    if not source.lower().startswith(("http://", "https://")):
        return False
    from bot.config import get_settings

    return get_settings().ringkas_allow_private_urls


def _write_rows(args: argparse.Namespace, out: TextIO) -> None:
    """Write one JSON line of sentences per input line."""
    from summarizer import summarize_page

    for number, record in _read_jsonl(args.jsonl):
        result = summarize_page(record["text"], n=args.n, method=args.method, words=args.words)
        row = {"id": record.get("id", number), "sentences": result.sentences}
        out.write(json.dumps(row, ensure_ascii=False, allow_nan=False) + "\n")


def _summarize_batch(args: argparse.Namespace) -> int:
    """Summarize a JSON Lines file; with -o, the output file is replaced only on success."""
    _checked_jsonl(args.jsonl)  # a missing input must not cost an existing output
    if not args.output:
        _write_rows(args, sys.stdout)
        return 0
    target = Path(args.output)
    if target.exists() and target.resolve() == Path(args.jsonl).resolve():
        return _fail(f"{args.output}: -o names the input file; choose another output file")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        return _fail(f"{args.output}: {exc.strerror}")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            _write_rows(args, out)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    logger.info("wrote %s", target)
    return 0


def summarize_command(args: argparse.Namespace) -> int:
    """Summarize one page, or a JSON Lines batch."""
    from summarizer import summarize_page
    from summarizer.ranking.methods import METHODS

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
    result = summarize_page(source.text, n=args.n, method=args.method, url=source.url, words=args.words)
    if not result.sentences and not (args.json and result.title):
        logger.info("no summary: %s", result.reason)
        return _fail(NO_TEXT)
    if args.json:
        payload = {
            "title": result.title,
            "author": result.author,
            "published": published_text(result.published, result.has_time),
            "sentences": result.sentences,
            "method": result.method,
        }
        if not result.sentences:  # a page with no prose (a gallery, a video): say why, exit 0
            payload["reason"] = result.reason
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for sentence in result.sentences:
            print(sentence)
    return 0


def published_text(published: datetime | None, has_time: bool) -> str | None:
    """ISO 8601: date and time with the offset, or only the date where the page gives no time."""
    if published is None:
        return None
    return published.isoformat() if has_time else published.date().isoformat()


def eval_command(args: argparse.Namespace) -> int:
    """Print a ROUGE table for the chosen methods on a JSON Lines file with summaries."""
    from summarizer.evaluate import evaluate, format_table
    from summarizer.ranking.methods import METHODS

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
