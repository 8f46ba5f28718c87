"""Turning fetched or read bytes into text: BOM, declared charset, UTF-8, then cp1252."""

from __future__ import annotations

import codecs
import logging

logger = logging.getLogger(__name__)

# Share of control characters (other than whitespace) above which bytes are called binary.
BINARY_CONTROL_SHARE = 0.05
SNIFF_BYTES = 65536
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v")
# UTF-32 first: its little-endian mark begins with UTF-16's.
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class InputError(Exception):
    """The input cannot be summarized; the message says why in one line."""


def decode_bytes(data: bytes, *, charset: str | None = None, name: str = "input") -> str:
    """Return the text of page bytes: BOM (UTF-8/16/32), declared charset, UTF-8, then cp1252.

    Raise InputError for binary data or bytes no candidate decodes.
    """
    for bom, codec in _BYTE_ORDER_MARKS:
        if data.startswith(bom):
            # UTF-16/32 text is full of NUL bytes, so the mark is trusted before any sniffing.
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: undecodable bytes ({exc.reason})") from exc
    sample = data[:SNIFF_BYTES]
    controls = sum(1 for b in sample if b < 32 and b not in _TEXT_CONTROLS)
    if b"\x00" in sample or (sample and controls / len(sample) > BINARY_CONTROL_SHARE):
        logger.info("%s: refused as binary (%d control bytes in %d)", name, controls, len(sample))
        raise InputError(f"{name}: binary data, not text")
    candidates = [c for c in (charset, "utf-8", "cp1252") if c]
    for codec in candidates:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    raise InputError(f"{name}: undecodable bytes: neither UTF-8 nor cp1252 text")
