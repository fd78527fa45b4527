"""Structured logs through `logging`: one JSON object per line, for the web service and the Lambda
function (``hipcoach.logs`` builds the lines and says what they may carry).
"""

from __future__ import annotations

import logging
import sys
from typing import IO, Any

from hipcoach.logs import (
    FIELDS,
    MAX_FIELD_CHARS,
    MAX_LINE_CHARS,
    MAX_STACK_CHARS,
    REQUEST_ID,
    checked,
    elapsed_ms,
    envelope_fields,
    line,
    short,
)

__all__ = [
    "MAX_FIELD_CHARS",
    "MAX_LINE_CHARS",
    "MAX_STACK_CHARS",
    "REQUEST_ID",
    "JsonFormatter",
    "checked",
    "configure",
    "elapsed_ms",
    "envelope_fields",
    "event",
    "short",
]

ROOT = "hipcoach"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return line(
            record.name,
            record.levelname.lower(),
            record.getMessage(),
            getattr(record, FIELDS, {}),
            record.created,
            record.exc_info,
        )


def configure(stream: IO[str] | None = None, level: int = logging.INFO) -> logging.Logger:
    """Give the ``hipcoach`` logger one JSON-lines handler (idempotent); return it."""
    logger = logging.getLogger(ROOT)
    if not any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
        handler = logging.StreamHandler(stream or sys.stderr)
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
        logger.propagate = False
    if logger.level != level:  # setLevel clears every logger's cache: not on every request
        logger.setLevel(level)
    return logger


def event(
    logger: logging.Logger,
    name: str,
    level: int = logging.INFO,
    exc_info: bool = False,
    **fields: Any,
) -> None:
    """Log one event with its structured fields (``exc_info``: add the current exception)."""
    if not logger.isEnabledFor(level):
        return
    # Logger.log would first walk the stack for the caller's file and line, which no line here
    # shows: a record made directly costs a warm turn a fraction of that.
    record = logger.makeRecord(
        logger.name,
        level,
        "",
        0,
        name,
        (),
        sys.exc_info() if exc_info else None,
        extra={FIELDS: fields},
    )
    logger.handle(record)
