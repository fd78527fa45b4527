"""Typed reads of the incoming request: ask-sdk types every request field as optional."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import IntentRequest


def intent_request(handler_input: HandlerInput) -> IntentRequest:
    """The request, for a handler whose can_handle made sure it is an IntentRequest."""
    request = handler_input.request_envelope.request
    if not isinstance(request, IntentRequest):
        raise TypeError(f"expected an IntentRequest, got {type(request).__name__}")
    return request


def intent_name(handler_input: HandlerInput) -> str | None:
    """The intent's name, or None for any other request."""
    request = handler_input.request_envelope.request
    if isinstance(request, IntentRequest) and request.intent is not None:
        return request.intent.name
    return None


def locale(handler_input: HandlerInput) -> str | None:
    request = handler_input.request_envelope.request
    return request.locale if request is not None else None
