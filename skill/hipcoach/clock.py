"""Today's date, always from the request: tests and the chat console move through days with it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from ask_sdk_core.handler_input import HandlerInput


def request_time(handler_input: HandlerInput) -> datetime:
    """The request's timestamp (UTC); the clock only when a request carries none."""
    request = handler_input.request_envelope.request
    stamp = request.timestamp if request is not None else None
    if stamp is None:
        return datetime.now(UTC)
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def today(handler_input: HandlerInput) -> date:
    return request_time(handler_input).date()
