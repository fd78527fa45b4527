"""hipcoach.logs: a line written directly is the line `logging` and jsonlog's formatter write."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from hipcoach import logs
from hipcoach.hosting import jsonlog


@pytest.fixture
def direct(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    stream = io.StringIO()
    monkeypatch.setattr(logs, "_direct", None)
    monkeypatch.setattr(logs, "_direct_level", logs.INFO)
    logs.write_directly(stream)
    return stream


@pytest.fixture
def through_logging() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(jsonlog.JsonFormatter())
    logger = logging.getLogger("hipcoach.test.logs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield stream
    logger.removeHandler(handler)


def _lines(stream: io.StringIO) -> list[dict[str, object]]:
    found = [json.loads(line) for line in stream.getvalue().splitlines()]
    for entry in found:
        assert isinstance(entry.pop("ts"), float)
    return found


def _say(log: logs.Log) -> None:
    log.event("request", outcome="ok", ms=1.5, note="x" * 500)
    log.event("quiet", logs.DEBUG)  # below INFO: never written
    log.warning("memory unavailable on %s: %s", "load", "OSError")
    log.error("plain")
    said = "the hip is " + "sore"  # a message may quote the runner
    try:
        raise ValueError(said)
    except ValueError:
        log.event("request", logs.ERROR, exc_info=True, outcome="error")


def test_a_direct_line_is_the_line_logging_writes(direct, through_logging, monkeypatch):
    _say(logs.Log("hipcoach.test.logs"))
    written = _lines(direct)
    monkeypatch.setattr(logs, "_direct", None)  # now through logging
    _say(logs.Log("hipcoach.test.logs"))
    logged = _lines(through_logging)
    for entry in written + logged:
        entry.pop("stack", None)  # the frames differ (the caller's lines), the shape does not
    assert written == logged
    assert [e["event"] for e in written] == [
        "request",
        "memory unavailable on load: OSError",
        "plain",
        "request",
    ]
    assert [e["level"] for e in written] == ["info", "warning", "error", "error"]
    assert written[0]["note"].endswith("...(500 chars)")
    assert written[3]["exc_type"] == "ValueError"
    assert "sore" not in direct.getvalue() + through_logging.getvalue()


def test_a_direct_line_carries_the_stack_and_stays_bounded(direct):
    log = logs.Log("hipcoach.test.logs")
    secret = "sec" + "ret"
    try:
        raise KeyError(secret)
    except KeyError:
        log.event("failed", logs.ERROR, exc_info=True, **{f"k{i}": "v" * 150 for i in range(40)})
    (line,) = direct.getvalue().splitlines()
    assert len(line) <= logs.MAX_LINE_CHARS
    entry = json.loads(line)
    assert entry["exc_type"] == "KeyError" and entry["event"] == "failed"
    assert "secret" not in line


def test_the_direct_level_drops_lower_lines(monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr(logs, "_direct", None)
    logs.write_directly(stream, logs.WARNING)
    monkeypatch.setattr(logs, "_direct_level", logs.WARNING)
    log = logs.Log("hipcoach.test.logs")
    log.event("request")
    log.warning("kept")
    assert [json.loads(x)["event"] for x in stream.getvalue().splitlines()] == ["kept"]
