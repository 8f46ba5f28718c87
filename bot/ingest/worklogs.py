"""A worker process's log records, sent to the parent with each answer and logged there.

A spawned worker starts with logging unconfigured: its warnings went to stderr as bare
lines ("cannot parse feed …"), outside the parent's format (``RINGKAS_LOG_FORMAT=json``) and
filters (the token's redaction). Instead the worker keeps its records (message rendered,
traceback as text, so they pickle) and hands them over with the job's answer; the parent
passes each to the logger it was made for, so it goes through the parent's handlers and
levels like any record of its own, and still says which process (``process``) made it.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

# A hostile document must not make one answer carry unbounded log lines.
MAX_RECORDS_PER_JOB = 200


class RecordKeeper(logging.Handler):
    """Keeps the records logged in a worker until the next answer takes them."""

    def __init__(self) -> None:
        """Start with no records and none dropped."""
        super().__init__()
        self.records: list[logging.LogRecord] = []
        self.dropped = 0

    def emit(self, record: logging.LogRecord) -> None:
        """Keep a portable copy of the record (up to MAX_RECORDS_PER_JOB per answer)."""
        if len(self.records) >= MAX_RECORDS_PER_JOB:
            self.dropped += 1
            return
        try:
            self.records.append(portable(record))
        except Exception:  # a record whose message cannot be rendered is no reason to fail a job
            self.handleError(record)

    def take(self) -> list[logging.LogRecord]:
        """The records kept since the last call (and one saying how many were dropped)."""
        records, self.records = self.records, []
        if self.dropped:
            message = f"worker log records dropped count={self.dropped} (more than {MAX_RECORDS_PER_JOB} in one job)"
            records.append(logging.LogRecord(__name__, logging.WARNING, __file__, 0, message, None, None))
            self.dropped = 0
        return records


def portable(record: logging.LogRecord) -> logging.LogRecord:
    """A copy of the record that pickles: message rendered, no arguments, traceback as text."""
    clone = copy.copy(record)
    message = record.getMessage()
    if record.exc_info and not clone.exc_text:
        clone.exc_text = logging.Formatter().formatException(record.exc_info)
    clone.msg, clone.args, clone.exc_info = message, None, None
    return clone


def keep_records(level: int) -> RecordKeeper:
    """In a worker: send every record at ``level`` or above to a keeper, and return it."""
    keeper = RecordKeeper()
    root = logging.getLogger()
    root.handlers = [keeper]
    root.setLevel(level)
    return keeper


def replay(records: Any) -> None:
    """In the parent: log a worker's records through the loggers they were made for."""
    for record in records if isinstance(records, list) else ():
        if isinstance(record, logging.LogRecord):
            logger = logging.getLogger(record.name)
            if logger.isEnabledFor(record.levelno):
                logger.handle(record)
