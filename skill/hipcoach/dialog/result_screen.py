"""The result on a screen (Echo Show and other APL devices): skill/hipcoach/apl/result.json and its
data, built from the result's own parts. What to do comes first and large, then the locale's
emergency number, larger still, then the card's lines (the likely cause, tonight, running
tomorrow, recovery, the disclaimer). Devices without a screen get the card alone, as before.

The words are the result's (content/) and content/speech/result.yaml's `screen_*` keys; they are
shown, not said, so they are looked up outside the response's record of said keys.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from ask_sdk_core.handler_input import HandlerInput

from hipcoach.speech import said
from hipcoach.speech.locales import policy
from hipcoach.speech.texts import Texts

if TYPE_CHECKING:
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

    from hipcoach.dialog.result_speech import SpokenResult

TOKEN = "hipcoach-result"
DATASOURCE = "result"


@cache
def document() -> dict[str, Any]:
    """The APL document, parsed once."""
    text = files("hipcoach").joinpath("apl/result.json").read_text(encoding="utf-8")
    parsed: dict[str, Any] = json.loads(text)
    return parsed


def supports_apl(handler_input: HandlerInput) -> bool:
    """Whether the requesting device has a screen that renders APL."""
    context = handler_input.request_envelope.context
    system = context.system if context else None
    device = system.device if system else None
    interfaces = device.supported_interfaces if device else None
    return bool(interfaces and interfaces.alexa_presentation_apl)


def screen_data(result: SpokenResult, locale: str) -> dict[str, Any]:
    """The datasource: every field the document binds, the action and the number first."""
    texts = Texts(locale)
    with said.recording():  # shown, not said
        title = texts.get("result.screen_title")
        number_label = texts.get("result.screen_number_label")
    # The card's first line is the action with its level (result_speech.compose): shown above.
    details = result.card_text.splitlines()[1:]
    return {
        "title": title,
        "action": " ".join(result.parts["action"]),
        "highUrgency": result.high_urgency,  # the action in the warning colour
        "numberLabel": number_label,
        "number": policy(locale).emergency_number,
        "details": [line for line in details if line.strip()],
    }


def directive_for(
    screen: bool, result: SpokenResult, locale: str
) -> RenderDocumentDirective | None:
    """The RenderDocument directive for this result, or None when the device has no APL screen."""
    if not screen:
        return None
    # Imported here: the APL models cost a cold start ~50 ms and voice-only devices never need them.
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

    return RenderDocumentDirective(
        token=TOKEN, document=document(), datasources={DATASOURCE: screen_data(result, locale)}
    )
