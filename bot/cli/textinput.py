"""Reading a page for ``ringkas summarize``: a file, a URL or standard input, decoded safely."""

from __future__ import annotations

import asyncio
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

from bot.ingest.decode import InputError, decode_bytes

logger = logging.getLogger(__name__)

MAX_INPUT_BYTES = 10_000_000


@dataclass(frozen=True)
class Source:
    """Decoded text and where it came from."""

    text: str
    url: str | None = None


def _read_path(path: Path) -> Source:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a file")
    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise InputError(f"{path}: file too large ({size / 1e6:.1f} MB; limit {MAX_INPUT_BYTES / 1e6:.0f} MB)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from exc
    return Source(decode_bytes(data, name=str(path)))


def _read_stdin() -> Source:
    data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"stdin: input too large (limit {MAX_INPUT_BYTES / 1e6:.0f} MB)")
    return Source(decode_bytes(data, name="stdin"))


async def _read_url(url: str, *, allow_private: bool) -> Source:
    from bot.ingest.fetch import Fetcher, FetchError, FetchLimits

    try:
        async with Fetcher(FetchLimits(max_bytes=MAX_INPUT_BYTES), allow_private=allow_private) as fetcher:
            result = await fetcher.get(url)
    except FetchError as exc:
        raise InputError(f"{url}: {exc.message}") from exc
    return Source(decode_bytes(result.content, charset=result.charset, name=url), url=result.url)


def read_source(source: str, *, allow_private: bool = False) -> Source:
    """Read ``source``: '-' for stdin, an http(s) URL, or a file path."""
    if source == "-":
        return _read_stdin()
    if source.lower().startswith(("http://", "https://")):
        return asyncio.run(_read_url(source, allow_private=allow_private))
    return _read_path(Path(source))
