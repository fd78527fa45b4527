"""Structured logs: one JSON object per line, for the web service and the Lambda function.

Callers pass only safe fields: request ids, request types, intent names, timings, statuses. Never
slot values or anything else the runner said. Exception messages are left out for the same reason
(a message may quote a value); the exception type and the stack are kept.

Log lines are bounded, whatever a request carries: fields taken from a request (request id, request
type, intent name, locale) are kept only when they look like what Alexa sends (else the line says
``"invalid"`` and how long the value was), every string field is cut to :data:`MAX_FIELD_CHARS`,
the stack to its last :data:`MAX_STACK_CHARS`, and no line is longer than :data:`MAX_LINE_CHARS`.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from typing import IO, Any

ROOT = "hipcoach"
_FIELDS = "fields"
MAX_LINE_CHARS = 2048
MAX_FIELD_CHARS = 160
MAX_STACK_CHARS = 1200
# What Alexa's own values look like: ids (amzn1.echo-api.request.<uuid>), type and intent names
# (IntentRequest, AMAZON.StopIntent), locales (en-US).
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_NAME = re.compile(r"[A-Za-z0-9._]{1,96}")
_LOCALE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,4}){0,2}")


def short(value: Any, limit: int = MAX_FIELD_CHARS) -> Any:
    """A string cut to ``limit`` characters (other values as they are)."""
    if isinstance(value, str) and len(value) > limit:
        return value[:limit] + f"...({len(value)} chars)"
    return value


def checked(value: Any, pattern: re.Pattern[str]) -> Any:
    """A request field as logged: itself when it matches ``pattern``, else a short note."""
    if value is None:
        return None
    if isinstance(value, str) and pattern.fullmatch(value):
        return value
    size = len(value) if isinstance(value, str) else None
    return {"invalid": type(value).__name__, "chars": size}


def _bounded(entry: dict[str, Any]) -> str:
    line = json.dumps(entry, default=str, separators=(",", ":"))
    if len(line) <= MAX_LINE_CHARS:
        return line
    # Still too long (many fields, a long stack): drop the stack, then cut every field harder.
    entry.pop("stack", None)
    entry["truncated"] = True
    line = json.dumps(entry, default=str, separators=(",", ":"))
    if len(line) <= MAX_LINE_CHARS:
        return line
    slim = {key: short(str(value), 40) for key, value in entry.items()}
    line = json.dumps(slim, separators=(",", ":"))
    if len(line) <= MAX_LINE_CHARS:
        return line
    core = ("ts", "level", "logger", "event", "exc_type", "truncated")
    return json.dumps({key: slim[key] for key in core if key in slim}, separators=(",", ":"))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        entry["event"] = short(entry["event"])
        for key, value in getattr(record, _FIELDS, {}).items():
            entry[short(str(key), 40)] = short(value) if isinstance(value, str) else value
        if record.exc_info and record.exc_info[0] is not None:
            entry["exc_type"] = record.exc_info[0].__name__
            import traceback  # only with an exception: not on every cold start

            stack = "".join(traceback.format_tb(record.exc_info[2])).strip()
            entry["stack"] = stack[-MAX_STACK_CHARS:]
        return _bounded(entry)


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
        extra={_FIELDS: fields},
    )
    logger.handle(record)


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
        "request_id": checked(request.get("requestId"), REQUEST_ID),
        "request_type": checked(request.get("type"), _NAME),
    }
    intent = request.get("intent")
    if isinstance(intent, dict) and intent.get("name") is not None:
        fields["intent"] = checked(intent["name"], _NAME)
    if request.get("locale") is not None:
        fields["locale"] = checked(request.get("locale"), _LOCALE)
    return fields
