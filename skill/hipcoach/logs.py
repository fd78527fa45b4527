"""Log lines as bounded JSON objects, through `logging` or written straight to a stream.

The skill's modules log through a `Log` (one per logger name). By default a line goes through the
standard `logging` logger of that name, so the host's handlers apply: the web service's and the
Lambda function's JSON-lines handler (``hipcoach.hosting.jsonlog``), pytest's capture. A process
whose interpreter never imported `logging` (the Lambda function on a bare interpreter, as the
cold-start benchmark runs it) may instead have every line written straight to a stream
(`write_directly`), in the very same JSON shape: importing `logging` and building a record, a
handler and a formatter cost such a cold start about 18 million instructions, a fifth of what it
spends beyond a hello-world skill.

Callers pass only safe fields: request ids, request types, intent names, timings, statuses. Never
slot values or anything else the runner said. Exception messages are left out for the same reason
(a message may quote a value); the exception type and the stack are kept.

Log lines are bounded, whatever a request carries: every string field is cut to
:data:`MAX_FIELD_CHARS`, the stack to its last :data:`MAX_STACK_CHARS`, and no line is longer than
:data:`MAX_LINE_CHARS`.
"""

from __future__ import annotations

import json
import re
import sys
import time
from types import TracebackType
from typing import IO, Any

DEBUG, INFO, WARNING, ERROR, CRITICAL = 10, 20, 30, 40, 50  # the `logging` levels' numbers
_NAMES = {DEBUG: "debug", INFO: "info", WARNING: "warning", ERROR: "error", CRITICAL: "critical"}
FIELDS = "fields"  # the attribute of a `logging.LogRecord` that holds a line's fields
MAX_LINE_CHARS = 2048
MAX_FIELD_CHARS = 160
MAX_STACK_CHARS = 1200
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]

# What Alexa's own values look like: ids (amzn1.echo-api.request.<uuid>), type and intent names
# (IntentRequest, AMAZON.StopIntent), locales (en-US).
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_NAME = re.compile(r"[A-Za-z0-9._]{1,96}")
_LOCALE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,4}){0,2}")

_direct: IO[str] | None = None  # set by write_directly: lines bypass `logging`
_direct_level = INFO


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


def envelope_fields(payload: Any) -> dict[str, Any]:
    """The safe identifying fields of a request envelope (a dict): ids, type, intent name.

    Fields taken from a request are kept only when they look like what Alexa sends (else the line
    says ``"invalid"`` and how long the value was)."""
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


def level_name(level: int) -> str:
    return _NAMES.get(level) or f"level {level}"


def line(
    logger: str,
    level: str,
    event: str,
    fields: dict[str, Any],
    created: float,
    exc_info: ExcInfo | tuple[None, None, None] | None = None,
) -> str:
    """One log line: the JSON object, bounded (``level`` by name, lower case)."""
    entry: dict[str, Any] = {
        "ts": round(created, 3),
        "level": level,
        "logger": logger,
        "event": short(event),
    }
    for key, value in fields.items():
        entry[short(str(key), 40)] = short(value) if isinstance(value, str) else value
    if exc_info and exc_info[0] is not None:
        entry["exc_type"] = exc_info[0].__name__
        import traceback  # only with an exception: not on every cold start

        stack = "".join(traceback.format_tb(exc_info[2])).strip()
        entry["stack"] = stack[-MAX_STACK_CHARS:]
    return _bounded(entry)


def write_directly(stream: IO[str], level: int = INFO) -> None:
    """From now on, write every line of ``level`` and above straight to ``stream``, never through
    `logging` (for a process that has no other use for it)."""
    global _direct, _direct_level
    _direct, _direct_level = stream, level


def writes_directly() -> bool:
    return _direct is not None


def elapsed_ms(started: float) -> float:
    """Milliseconds since ``started`` (a ``time.perf_counter()`` value)."""
    return round((time.perf_counter() - started) * 1000, 2)


class Log:
    """A named logger: `logging.getLogger(name)`'s lines, or the direct stream's."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def event(self, event: str, level: int = INFO, exc_info: bool = False, **fields: Any) -> None:
        """Log one event with its structured fields (``exc_info``: add the current exception)."""
        stream = _direct
        if stream is None:
            import logging  # a host that logs through it has loaded it already

            logger = logging.getLogger(self.name)
            if not logger.isEnabledFor(level):
                return
            # Logger.log would first walk the stack for the caller's file and line, which no line
            # here shows: a record made directly costs a warm turn a fraction of that.
            record = logger.makeRecord(
                self.name,
                level,
                "",
                0,
                event,
                (),
                sys.exc_info() if exc_info else None,
                extra={FIELDS: fields},
            )
            logger.handle(record)
        elif level >= _direct_level:
            found = sys.exc_info() if exc_info else None
            stream.write(line(self.name, level_name(level), event, fields, time.time(), found))
            stream.write("\n")
            stream.flush()

    def _message(self, level: int, message: str, args: tuple[object, ...]) -> None:
        if _direct is None:
            import logging

            # stacklevel: the record names the caller of warning() or error(), as before
            logging.getLogger(self.name).log(level, message, *args, stacklevel=3)
        else:
            self.event(message % args if args else message, level)

    def warning(self, message: str, *args: object) -> None:
        """A plain message, ``%``-formatted with ``args`` (as `logging.Logger.warning`)."""
        self._message(WARNING, message, args)

    def error(self, message: str, *args: object) -> None:
        """A plain message, ``%``-formatted with ``args`` (as `logging.Logger.error`)."""
        self._message(ERROR, message, args)
