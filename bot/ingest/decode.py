"""Turning fetched or read bytes into text: BOM, declared charset, UTF-8, then cp1252."""

from __future__ import annotations

import codecs

# Share of control characters (other than whitespace) above which bytes are called binary.
BINARY_CONTROL_SHARE = 0.05
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v")


class InputError(Exception):
    """The input cannot be summarized; the message says why in one line."""


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
