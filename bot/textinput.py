"""Reading a page for ``ringkas summarize``: a file, a URL or standard input, decoded safely."""

from __future__ import annotations

import asyncio
import codecs
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

MAX_INPUT_BYTES = 10_000_000
# Share of control characters (other than whitespace) above which bytes are called binary.
BINARY_CONTROL_SHARE = 0.05
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v")


class InputError(Exception):
    """The input cannot be summarized; the message says why in one line."""


@dataclass(frozen=True)
class Source:
    """Decoded text and where it came from."""

    text: str
    url: str | None = None


def decode_bytes(data: bytes, *, charset: str | None = None, name: str = "input") -> str:
    """Decode page bytes: BOM, declared charset, UTF-8, then cp1252; refuse binary data."""
    if b"\x00" in data[:65536] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"{name}: binary data, not text")
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 32 and b not in _TEXT_CONTROLS)
    if sample and controls / len(sample) > BINARY_CONTROL_SHARE:
        raise InputError(f"{name}: binary data, not text")
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: undecodable bytes ({exc.reason})") from exc
    candidates = [c for c in (charset, "utf-8", "cp1252") if c]
    for codec in candidates:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    raise InputError(f"{name}: undecodable bytes: neither UTF-8 nor cp1252 text")


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
    from bot.fetch import Fetcher, FetchError, FetchLimits

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
