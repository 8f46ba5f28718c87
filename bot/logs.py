"""Log lines and their safety: text or JSON lines, and neither the bot token nor readers' data in either.

The text form is ``time level logger: message`` with the message's ``key=value`` fields; the
JSON form (``RINGKAS_LOG_FORMAT=json``) is one object per line with the same fields. The
redaction filter runs on the handler before either formatter, so both see the redacted text,
even inside a URL in an exception.

The token can come back altered: python-telegram-bot capitalizes an error description it
strips a prefix from ("Bad Request: ..." becomes "Not found /bot123:abc..."), so the token's
secret half arrives lower-cased, and a proxy may echo only the part after the colon. Matching
is therefore case-insensitive, on the whole token and on its secret half alone.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import IO, Any

REDACTED = "<token>"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# key=value in a message, the key starting a word (not inside a URL); the value runs to the
# next space or comma, or is quoted as %r quotes it.
_FIELD = re.compile(r"(?<!\S)([a-z_][a-z0-9_]*)=('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[^\s,;]+)")
_INTEGER = re.compile(r"-?\d+")
# The lowest level at which these libraries may write, whatever the bot's level (-v included):
# below it they write what logs must not hold. httpx logs every request's URL at INFO (Telegram's
# carry the token, a reader's link its query and credentials) and httpcore every response's
# headers at DEBUG (a redirect's Location too); python-telegram-bot's DEBUG lines echo every
# update and API call, readers' messages and links included.
LIBRARY_FLOORS = {"httpx": logging.WARNING, "httpcore": logging.WARNING, "telegram": logging.INFO}


def secret_pattern(secret: str) -> re.Pattern[str]:
    """A case-insensitive pattern for the secret and, for a bot token, its part after the colon."""
    parts = [secret]
    _, colon, after = secret.partition(":")
    if colon and after:
        parts.append(after)
    return re.compile("|".join(re.escape(p) for p in parts), re.IGNORECASE)


def redact(text: str, secret: str) -> str:
    """The text with every form of the secret replaced by a placeholder."""
    return secret_pattern(secret).sub(REDACTED, text)


class RedactFilter(logging.Filter):
    """Replace a secret in every record's rendered message (and traceback) with a placeholder."""

    def __init__(self, secret: str) -> None:
        """Redact secret (and its parts) from every record this filter sees."""
        super().__init__()
        self.pattern = secret_pattern(secret)

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the message once, redacted, and drop the arguments."""
        message = record.getMessage()
        cleaned = self.pattern.sub(REDACTED, message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None:
            text = record.exc_text or logging.Formatter().formatException(record.exc_info)
            cleaned = self.pattern.sub(REDACTED, text)
            if cleaned != text:
                record.exc_text = cleaned
        return True


def redact_secret(secret: str) -> None:
    """Install the filter on every handler of the root logger."""
    if not secret:
        return
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactFilter(secret))


def message_fields(message: str) -> dict[str, Any]:
    """The key=value pairs of a log message, integers as numbers and quotes removed."""
    fields: dict[str, Any] = {}
    for key, raw in _FIELD.findall(message):
        if raw[:1] in "'\"" and len(raw) > 1 and raw[-1] == raw[0]:
            fields[key] = raw[1:-1]
        else:
            fields[key] = int(raw) if _INTEGER.fullmatch(raw) else raw
    return fields


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, its key=value fields, a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON (exc_text is reused, so a redacted traceback stays so)."""
        message = record.getMessage()
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": message,
        }
        for key, value in message_fields(message).items():
            entry.setdefault(key, value)  # a field named like time or level never overwrites it
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(level: int, log_format: str = "text", stream: IO[str] | None = None) -> None:
    """Send the root logger's records to stderr (or ``stream``) as text or JSON lines."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    logging.basicConfig(level=level, handlers=[handler])
    for name, floor in LIBRARY_FLOORS.items():
        logging.getLogger(name).setLevel(max(level, floor))
