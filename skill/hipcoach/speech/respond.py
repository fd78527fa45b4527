"""Building responses from plain sentences: escaped, wrapped, length-checked."""

from __future__ import annotations

from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.ui import SimpleCard

from hipcoach import request
from hipcoach.speech import ssml
from hipcoach.speech.texts import Texts


def texts(handler_input: HandlerInput) -> Texts:
    return Texts(request.locale(handler_input))


def session(handler_input: HandlerInput) -> dict[str, Any]:
    manager = handler_input.attributes_manager
    attributes = manager.session_attributes
    if attributes is None:  # typed optional; ask-sdk starts every session with {}
        attributes = manager.session_attributes = {}
    return attributes


def sentence(text: str) -> str:
    """Text ending as a sentence, so joined sentences are read with their pauses."""
    text = text.strip()
    return text if not text or text[-1] in ".?!:;" else text + "."


def render(sentences: list[str]) -> str:
    return ssml.speak(*(ssml.text(sentence(s)) for s in sentences if s and s.strip()))


def reply(
    handler_input: HandlerInput,
    sentences: list[str],
    reprompt: str | None = None,
    *,
    end: bool = False,
    card: tuple[str, str] | None = None,
) -> Response:
    """Speak `sentences`; keep the session open with `reprompt`, or end it."""
    builder = handler_input.response_builder
    builder.speak(render(sentences))
    if reprompt and not end:
        builder.ask(render([reprompt]))
    if card:
        builder.set_card(SimpleCard(title=card[0], content=card[1]))
    builder.set_should_end_session(end)
    return builder.response
