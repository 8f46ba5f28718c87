"""Logging safety: the bot token never reaches a log line, even inside a URL in an exception."""

from __future__ import annotations

import logging

REDACTED = "<token>"


class RedactFilter(logging.Filter):
    """Replace a secret in every record's rendered message (and traceback) with a placeholder."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the message once, redacted, and drop the arguments."""
        message = record.getMessage()
        if self.secret in message:
            record.msg, record.args = message.replace(self.secret, REDACTED), None
        if record.exc_info and record.exc_info[1] is not None:
            text = logging.Formatter().formatException(record.exc_info)
            if self.secret in text:
                record.exc_text = text.replace(self.secret, REDACTED)
        return True


def redact_secret(secret: str) -> None:
    """Install the filter on every handler of the root logger."""
    if not secret:
        return
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactFilter(secret))
