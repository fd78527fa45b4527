"""Structured logs: one JSON object per line, for the web service and the Lambda function.

Callers pass only safe fields: request ids, request types, intent names, timings, statuses. Never
slot values or anything else the runner said. Exception messages are left out for the same reason
(a message may quote a value); the exception type and the stack are kept.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import traceback
from typing import IO, Any

ROOT = "hipcoach"
_FIELDS = "fields"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        entry.update(getattr(record, _FIELDS, {}))
        if record.exc_info and record.exc_info[0] is not None:
            entry["exc_type"] = record.exc_info[0].__name__
            entry["stack"] = "".join(traceback.format_tb(record.exc_info[2])).strip()
        return json.dumps(entry, default=str, separators=(",", ":"))


def configure(stream: IO[str] | None = None, level: int = logging.INFO) -> logging.Logger:
    """Give the ``hipcoach`` logger one JSON-lines handler (idempotent); return it."""
    logger = logging.getLogger(ROOT)
    if not any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
        handler = logging.StreamHandler(stream or sys.stderr)
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
        logger.propagate = False
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
    logger.log(level, name, exc_info=exc_info, extra={_FIELDS: fields})


def elapsed_ms(started: float) -> float:
    """Milliseconds since ``started`` (a ``time.perf_counter()`` value)."""
    return round((time.perf_counter() - started) * 1000, 2)


def envelope_fields(payload: Any) -> dict[str, Any]:
    """The safe identifying fields of a request envelope (a dict): ids, type, intent name."""
    if not isinstance(payload, dict):
        return {}
    request = payload.get("request")
    request = request if isinstance(request, dict) else {}
    fields: dict[str, Any] = {
        "request_id": request.get("requestId"),
        "request_type": request.get("type"),
    }
    intent = request.get("intent")
    if isinstance(intent, dict) and isinstance(intent.get("name"), str):
        fields["intent"] = intent["name"]
    return fields
