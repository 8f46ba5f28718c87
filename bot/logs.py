"""Logging safety: the bot token never reaches a log line, even inside a URL in an exception.

The token can come back altered: python-telegram-bot capitalizes an error description it
strips a prefix from ("Bad Request: ..." becomes "Not found /bot123:abc..."), so the token's
secret half arrives lower-cased, and a proxy may echo only the part after the colon. Matching
is therefore case-insensitive, on the whole token and on its secret half alone.
"""

from __future__ import annotations

import logging
import re

REDACTED = "<token>"


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
